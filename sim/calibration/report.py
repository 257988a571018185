"""Markdown sections of the calibration and Sobol results, for docs/validation.md's generator.

The validation page's generator (``scripts/validate_patterns.py``) includes them with::

    from sim.calibration.report import render_markdown
    text = render_markdown(json.loads(Path("docs/validation-data/calibration.json").read_text()),
                           json.loads(Path("docs/validation-data/sobol.json").read_text()))

Everything printed comes from the two JSON objects; nothing is typed in here but the headings.
"""

from __future__ import annotations

import math
from typing import Any

__all__ = ["calibration_markdown", "render_markdown", "sobol_markdown"]


def _f(v: Any, fmt: str = ".4f") -> str:
    if v is None or (isinstance(v, float) and not math.isfinite(v)):
        return "–"
    return format(v, fmt)


def _cell(text: Any) -> str:
    """A table cell as plain text (a pipe or a backtick in a name cannot break the table)."""
    return str(text).replace("\\", "\\\\").replace("|", "\\|").replace("`", "\\`").replace("\n", " ")


def calibration_markdown(cal: dict[str, Any]) -> str:
    """The calibration result (``flashpoint.calibration/2``) as a markdown section."""
    out = [f"{cal['design_size']} design points × {cal['crises']} ICB crises × {cal['runs']} runs, {cal['fold_count']} folds; "
           f"targets: {', '.join(cal['targets'])} (weights {', '.join(f'{k} {v:g}' for k, v in cal['weights'].items())}); "
           f"{cal.get('simulations', '?')} simulations ({cal.get('checkpoints_reused', 0)} more read from checkpoints) "
           f"in {cal.get('seconds', '?')} s on the {cal.get('executor', '?')} executor"
           + (f" (re-selected from the checkpoints of the design's own run: {cal['design_run']['simulations']} simulations, "
              f"{cal['design_run']['checkpoints_reused']} read from checkpoints, in {cal['design_run']['seconds']:.0f} s "
              f"on {cal['design_run'].get('cores', '?')} cores)." if cal.get("design_run") else "."),
           ""]
    hm = any("plausible_min" in s for s in cal["parameters"].values())
    if hm:
        out += [f"History matching: the fit is the best of the {cal.get('plausible_points', '?')} plausible design points "
                f"(every dangerous-dyad ratio within ×{_f(cal.get('dyad_band'), 'g')} of the real one); the plausible range is "
                "what that band does not rule out within the searched box, and is the fitted interval docs/model.md gives.", ""]
    out += ["| parameter | default before | fitted (all crises) | range over folds |" + (" plausible range |" if hm else ""),
            "|---|---:|---:|---|" + ("---|" if hm else "")]
    for p, s in cal["parameters"].items():
        row = f"| `{_cell(p)}` | {s['default']:g} | {s['fitted']:.4g} | {s['fold_min']:.4g} – {s['fold_max']:.4g} |"
        if hm:
            row += f" {s['plausible_min']:.4g} – {s['plausible_max']:.4g} |" if "plausible_min" in s else " — |"
        out.append(row)
    out += ["", f"Emulator of the all-crisis loss: leave-one-out R² {_f(cal.get('final_emulator_cv_r2'), '.2f')}; "
            + ("the fitted values are the emulator's minimum" if cal.get("final_fit_source", "emulator") == "emulator"
               else "the fitted values are the best design point")
            + (f" (the emulator's minimum is used only when its R² is at least {cal['min_cv_r2']:g})." if 'min_cv_r2' in cal else "."),
            "", "| fold | held-out crises | emulator cv R² | fit from | held-out RPS: model fitted | model defaults | base rate | ordered logit "
            "| training RPS: model (best design point) | base rate | ordered logit |",
            "|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|"]
    for f in cal["folds"]:
        t, r = f["test_rps"], f["train_rps"]
        out.append(f"| {f['fold']} | {len(f['test'])} | {_f(f['emulator_cv_r2'], '.2f')} | {f.get('fit_source', 'emulator')} | "
                   f"{_f(t.get('model_fitted'))} | "
                   f"{_f(t.get('model_default'))} | {_f(t.get('base_rate'))} | {_f(t.get('ordered_logit'))} | "
                   f"{_f(r.get('model_best_design'))} | {_f(r.get('base_rate'))} | {_f(r.get('ordered_logit'))} |")
    n = sum(len(f["test"]) for f in cal["folds"])
    pooled = []
    for key, label in (("model_fitted", "model fitted"), ("model_default", "model defaults"),
                       ("base_rate", "base rate"), ("ordered_logit", "ordered logit")):
        vals = [(len(f["test"]), f["test_rps"].get(key)) for f in cal["folds"]]
        if n and all(v is not None for _, v in vals):
            pooled.append(f"{label} {sum(k * v for k, v in vals) / n:.4f}")
    fair = (cal.get("held_out") or {}).get("rps") or {}
    for key, label in (("model_fitted_fair", "model fitted, fair RPS"), ("model_default_fair", "model defaults, fair RPS")):
        if key in fair:
            pooled.append(f"{label} {fair[key]:.4f}")
    if pooled:
        out += ["", f"Held-out RPS over all {n} crises (each scored by the fold that held it out): {'; '.join(pooled)}."]
    diffs = (cal.get("held_out") or {}).get("differences") or {}
    if diffs:
        out += ["", f"The model's forecasts are shares of {cal.get('runs', '?')} runs; the *fair* RPS (Ferro 2014) removes "
                "what their sampling noise adds to the score, i.e. estimates the score of the model's own probabilities.", "",
                "| held-out RPS difference (lower is better for the first) | mean | 95% interval (paired bootstrap over crises) |",
                "|---|---:|---|"]
        for label, d in diffs.items():
            out.append(f"| {_cell(label)} | {_f(d.get('mean'), '+.4f')} | {_f(d.get('lo'), '+.4f')} – {_f(d.get('hi'), '+.4f')} |")
    ratios = (cal.get("final_world") or {}).get("dyad_ratios") or {}
    if ratios:
        default = next((d.get("dyad_ratios") for d in cal.get("design", []) if d.get("point") == 0), None) or {}
        out += ["", f"Dangerous-dyad use-of-force ratios (in / out; {cal.get('dyad_runs', '?')} runs of the whole state system) "
                "at the defaults before calibration and at the fitted values, against the real ratios (MID 1946–2010):", "",
                "| category | real | model, old defaults | model, fitted | fitted within ×2 |", "|---|---:|---:|---:|---|"]
        for cat, r in ratios.items():
            old_r = default.get(cat, {}).get("model")
            ok = r["real"] / 2 <= r["model"] <= r["real"] * 2
            out.append(f"| {_cell(cat)} | {_f(r['real'], '.2f')} | {_f(old_r, '.2f')} | {_f(r['model'], '.2f')} | {'yes' if ok else 'no'} |")
    return "\n".join(out) + "\n"


#: Below this cross-validated R², an output's indices are printed but marked as not informative.
TRUSTED_R2 = 0.5


def sobol_markdown(sob: dict[str, Any], top: int = 5) -> str:
    """The Sobol result (``flashpoint.sobol/2``): per output, the emulator's fit and the leading parameters."""
    out = [f"Emulator-based Sobol indices: {sob['design_size']} simulated design points over {len(sob['parameters'])} "
           f"parameters ({sob['crises']} crises × {sob['runs']} runs each), SALib N = {sob['base_samples']} on the emulator.",
           "", "| output | emulator cv R² | leading parameters (total index ST, first-order S1) |", "|---|---:|---|"]
    for name, e in sob["emulators"].items():
        if e.get("constant"):
            out.append(f"| {_cell(name)} | constant | – |")
            continue
        rows = sorted((r for r in sob["rows"] if r["output"] == name), key=lambda r: -r["ST"])[:top]
        lead = "; ".join(f"`{_cell(r['parameter'])}` {r['ST']:.2f} ({r['S1']:.2f})" for r in rows)
        if not (e["cv_r2"] is not None and e["cv_r2"] >= TRUSTED_R2):
            lead = f"*not informative (the emulator explains less than {TRUSTED_R2:.0%} out of sample):* {lead}"
        r2 = _f(e["cv_r2"], ".2f") if e["cv_r2"] is not None and e["cv_r2"] > -10 else "< −10"
        out.append(f"| {_cell(name)} | {r2} | {lead} |")
    return "\n".join(out) + "\n"


def render_markdown(cal: dict[str, Any] | None, sob: dict[str, Any] | None = None) -> str:
    """The calibration and sensitivity sections for docs/validation.md (either may be absent)."""
    parts = []
    if cal is not None:
        parts += ["### Calibration (design-based SMM, k-fold by crisis)", "", calibration_markdown(cal)]
    if sob is not None:
        parts += ["### Sensitivity: Sobol indices of the targets", "", sobol_markdown(sob)]
    return "\n".join(parts)
