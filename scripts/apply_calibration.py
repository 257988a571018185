"""Make a calibration's fitted values the parameter defaults, each with its fitted interval.

    python scripts/apply_calibration.py [--calibration docs/validation-data/calibration.json]
                                        [--skip PATH ...] [--date YYYY-MM-DD] [--digits 3] [--check]

Reads ``flashpoint.calibration/2`` (written by ``scripts/calibrate.py``) and rewrites, in
``sim/scenario/parameters.py``, each fitted parameter's ``P(...)`` line: the default becomes the
all-crisis fit, ``fitted=(low, high)`` the range of the k-fold fits (with history matching, the
range of the plausible design points: what the dangerous-dyad band does not rule out), and the source
``fitted (calibration, k-fold, DATE)`` followed by the citations of the mechanism it had (its
"proposal" mark goes). ``--skip`` keeps a parameter as it is (say why in the report: e.g. its fit
breaks a pattern test). Values are rounded to ``--digits`` significant digits: the fit's own spread
is wider than that. ``--check`` exits 1 if the file differs from what it would write.
Run ``PYTHONPATH=. python scripts/gen_docs.py`` afterwards: docs/model.md's tables show the change.
"""

from __future__ import annotations

import argparse
import ast
import datetime as dt
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PARAMS = ROOT / "sim" / "scenario" / "parameters.py"


def sig(v: float, digits: int) -> float:
    """``v`` to ``digits`` significant digits."""
    return float(f"{v:.{digits}g}")


def new_source(old: str, date: str) -> str:
    """``fitted (calibration, k-fold, DATE)`` and the old source's citations (those with a year)."""
    text, notes = old.strip(), []
    m = re.match(r"fitted \(calibration, k-fold, [^)—]*?(?: — ([^)]*))?\)(?:; )?(.*)$", text)
    if m:  # refitted: keep the notes and citations of the earlier fit
        notes, text = ([n for n in m.group(1).split(" — ")] if m.group(1) else []), m.group(2)
    cites = []
    for part in re.split(r";\s*", re.sub(r"\bproposal\b:?", "", text)):
        part = part.strip().strip("()").strip()
        if part:
            (cites if re.search(r"\b1[89]\d\d|20\d\d\b", part) else notes).append(part)
    head = f"fitted (calibration, k-fold, {date}{''.join(' — ' + n for n in notes)})"
    return "; ".join([head, *cites])


def rewrite(src: str, group_class: str, name: str, default: float, interval: tuple[float, float], date: str) -> str:
    """``src`` with parameter ``name`` of class ``group_class`` set to ``default`` and ``interval``.

    Raises:
        ValueError: the class or the parameter's one-line ``P(...)`` definition is not found.
    """
    start = src.find(f"\nclass {group_class}(")
    if start < 0:
        raise ValueError(f"class {group_class} not found in the parameter registry")
    end = src.find("\nclass ", start + 1)
    end = len(src) if end < 0 else end
    block = src[start:end]
    m = re.search(rf"^    {re.escape(name)}: (float|int) = P\(.*\)$", block, re.M)
    if not m:
        raise ValueError(f"{group_class}.{name}: no one-line P(...) definition (only those can be rewritten)")
    line = m.group(0)
    call = ast.parse(line.strip()).body[0].value
    seg = line.strip()
    args = [ast.get_source_segment(seg, a) for a in call.args]
    if len(args) != 5:
        raise ValueError(f"{group_class}.{name}: expected P(default, lo, hi, description, source)")
    source = new_source(ast.literal_eval(call.args[4]), date)
    value = int(round(default)) if m.group(1) == "int" else default
    new = (f"    {name}: {m.group(1)} = P({value!r}, {args[1]}, {args[2]}, {args[3]}, "
           f"{json.dumps(source, ensure_ascii=False)}, fitted=({interval[0]!r}, {interval[1]!r}))")
    return src[:start] + block.replace(line, new) + src[end:]


def stamp(path: Path, skipped: list[str]) -> int:
    """Record in the calibration file the fingerprint of the model its result is applied to.

    The calibration's own ``model_fingerprint`` is that of the model it was computed on; applying it
    rewrites the parameter registry (and a fit that follows it, e.g. the alliance entry offsets, may
    rewrite it again), which changes the fingerprint. ``applied_to`` says which model carries the
    result, so that the validation page can tell "applied here" from "computed on an earlier model".
    """
    from sim.calibration.space import model_fingerprint

    try:
        cal = json.loads(path.read_text("utf-8"))
        cal["parameters"]
    except (OSError, ValueError, KeyError) as exc:
        sys.stderr.write(f"{path}: not a calibration result ({exc})\n")
        return 1
    cal["applied_to"] = {"model_fingerprint": model_fingerprint(), "skipped": sorted(skipped),
                         "date": dt.date.today().isoformat()}
    path.write_text(json.dumps(cal, indent=1) + "\n", encoding="utf-8")
    print(f"{path}: applied to the model {cal['applied_to']['model_fingerprint']}")
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--calibration", type=Path, default=ROOT / "docs" / "validation-data" / "calibration.json")
    ap.add_argument("--skip", action="append", default=[], help="a parameter path left as it is (repeatable)")
    ap.add_argument("--date", default=None, help="date of the calibration (default: the file's, else today)")
    ap.add_argument("--digits", type=int, default=3)
    ap.add_argument("--check", action="store_true")
    ap.add_argument("--params", type=Path, default=PARAMS, help="the parameter registry to rewrite")
    ap.add_argument("--stamp", action="store_true",
                    help="only record, in the calibration file, the fingerprint of the model it is now applied to "
                         "(run it after the fits that follow the calibration, e.g. scripts/fit_entry.py --apply)")
    args = ap.parse_args(argv)
    from sim.scenario.parameters import Parameters

    if args.stamp:
        return stamp(args.calibration, args.skip)

    try:
        cal = json.loads(args.calibration.read_text("utf-8"))
        fitted = cal["parameters"]
    except (OSError, ValueError, KeyError) as exc:
        sys.stderr.write(f"{args.calibration}: not a calibration result ({exc})\n")
        return 1
    date = args.date or cal.get("date") or dt.date.today().isoformat()
    src = args.params.read_text("utf-8")
    out = src
    for path, s in fitted.items():
        if path in args.skip:
            continue
        group, _, name = path.partition(".")
        field = Parameters.model_fields.get(group)
        if field is None or name not in field.annotation.model_fields:
            sys.stderr.write(f"{args.calibration}: unknown parameter {path}\n")
            return 1
        # the fitted interval: with history matching the plausible range (what the dangerous-dyad band does
        # not rule out), else the range of the folds' fits
        lo_key, hi_key = ("plausible_min", "plausible_max") if "plausible_min" in s else ("fold_min", "fold_max")
        lo, hi = sorted((sig(s[lo_key], args.digits), sig(s[hi_key], args.digits)))
        try:
            out = rewrite(out, field.annotation.__name__, name, sig(s["fitted"], args.digits), (lo, hi), date)
        except ValueError as exc:
            sys.stderr.write(f"{exc}\n")
            return 1
    if args.check:
        return int(out != src)
    args.params.write_text(out, encoding="utf-8")
    print(f"{len([p for p in fitted if p not in args.skip])} defaults set from {args.calibration}"
          + (f" ({len(args.skip)} skipped)" if args.skip else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
