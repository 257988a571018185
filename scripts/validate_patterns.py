"""Measure the model against real patterns and write docs/validation.md.

    python scripts/validate_patterns.py [--runs 30]

Runs the generated 2010 world (dangerous dyads) and the historical scenarios over seeded
replications and writes the tables, with the date, the run counts and the package version, into
docs/validation.md. Nothing in that file is typed by hand except the prose around the tables.
"""

from __future__ import annotations

import argparse
import datetime as dt
import platform
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from sim import __version__  # noqa: E402
from sim.ensemble.seeds import child_seeds  # noqa: E402
from sim.model import build_world, run_scenario  # noqa: E402
from sim.scenario.loader import load_scenario  # noqa: E402
from sim.validation import dangerous_dyads  # noqa: E402


def seeds(n, master=2024):
    return child_seeds(master, n)


def wilson(k, n, z=1.96):
    if n == 0:
        return (float("nan"),) * 2
    p = k / n
    d = 1 + z * z / n
    c = (p + z * z / (2 * n)) / d
    h = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / d
    return max(0.0, c - h), min(1.0, c + h)


def pct(k, n):
    lo, hi = wilson(k, n)
    return f"{k / n:.0%} [{lo:.0%}–{hi:.0%}]"


def cow_war_continuation(path: Path, years: int = 3) -> tuple[int, int, int, int] | None:
    """COW inter-state war dyads ongoing for at least ``years`` consecutive calendar years: how many
    of those dyad-years were followed by another year of the same war, and the years covered
    (``(continued, all, first year, last year)``)."""
    if not path.exists():
        return None
    import csv

    spans: dict[tuple, set[int]] = {}
    with path.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if float(row["cowinterongoing"] or 0) != 1:
                continue
            a, b = sorted((int(float(row["ccode1"])), int(float(row["ccode2"]))))
            spans.setdefault((row["warnum"], a, b), set()).add(int(float(row["year"])))
    cont = total = 0
    for ys in spans.values():
        for y in ys:
            if all(y - d in ys for d in range(1, years)):
                total += 1
                cont += (y + 1) in ys
    every = [y for ys in spans.values() for y in ys]
    return cont, total, min(every), max(every)


def war_persistence(n: int, w) -> None:
    """Section 5: how long the founding scenario's ongoing war lasts, against COW's base rate."""
    from sim.ensemble import run_ensemble

    sc = load_scenario(ROOT / "scenarios" / "korea-russia-2024.yaml")
    res = run_ensemble(sc, runs=n, seed=2024)
    k = res.aggregator.layout.dyad_index("RUS–UKR")
    final = res.aggregator.table["final"][:, k]
    at_war, rivalry, calm = int((final >= 7).sum()), int(((final >= 3) & (final < 7)).sum()), int((final == 0).sum())
    hist = cow_war_continuation(ROOT.parent / "shared" / "data" / "cow_war_inter.csv")
    w("## 5. How long an ongoing war lasts\n")
    w(f"`scenarios/korea-russia-2024.yaml`, {n} seeded runs: the Russia–Ukraine war (rung 7 at the start, in June 2024 "
      "its third calendar year) a year later.\n")
    w("| | share of runs |")
    w("|---|---|")
    w(f"| still at war (rung ≥ 7) after 52 weeks | {pct(at_war, n)} |")
    w(f"| a ceasefire, relations at rungs 3–6 (sanctions in force keep rung 3) | {pct(rivalry, n)} |")
    w(f"| back to rung 0 | {pct(calm, n)} |")
    w("")
    if hist:
        c, t, y0, y1 = hist
        mlo, mhi = wilson(at_war, n)
        rlo, rhi = wilson(c, t)
        if mhi < rlo:
            verdict = "The model ends this war sooner than that base rate (the two intervals do not overlap)"
        elif mlo > rhi:
            verdict = "The model keeps this war going longer than that base rate (the two intervals do not overlap)"
        else:
            verdict = "The model's share is within reach of that base rate (the two intervals overlap)"
        w(f"**Real base rate.** Of the COW inter-state war dyad-years ({y0}–{y1}, `cow_war_inter.csv`) that were at "
          f"least the third consecutive calendar year of their war, {c} of {t} ({pct(c, t)}) were followed by another "
          f"year of the same war. {verdict}; the comparison is rough — a war still going on in any part of the next "
          "calendar year counts as continued there, while the model is read at exactly 52 weeks — and one war is not a "
          "sample. The war's end is governed by `bargaining.settlement_rate` and the indivisibility of stakes "
          "(model.md §7.7).\n")
    else:
        w("(The COW war data, `../shared/data/cow_war_inter.csv`, was not found: no base rate.)\n")


def _history_section(args):
    """Section 11 (scoring against the MID record), when its module is present."""
    try:
        from validate_history import history_section
    except ImportError:
        return None
    return lambda w: history_section(w, workers=args.workers)


def calibration_section(w) -> None:
    """Section 12: the calibration (held-out scores, dangerous-dyad ratios) and the Sobol table, from their JSON."""
    import json

    from sim.calibration.report import render_markdown

    data = ROOT / "docs" / "validation-data"
    cal, sob = (json.loads((data / f).read_text(encoding="utf-8")) if (data / f).exists() else None
                for f in ("calibration.json", "sobol.json"))
    w("## 12. Calibration and sensitivity\n")
    w("Written by `scripts/calibrate.py` (`docs/validation-data/calibration.json`) and `scripts/sensitivity.py` "
      "(`docs/validation-data/sobol.json`) and rendered here by `sim.calibration.report`; the method is in "
      "[history.md](history.md#calibration-and-sensitivity-scriptscalibratepy-scriptssensitivitypy). The held-out RPS "
      "scores each training crisis by the fold that held it out (never by a fit that saw it).\n")
    from sim.calibration.space import model_fingerprint

    now = model_fingerprint()
    entry = data / "entry_fit.json"
    fit = json.loads(entry.read_text(encoding="utf-8")) if entry.exists() else None
    stale = [f"`{name}` ({doc.get('model_fingerprint', 'no fingerprint')})"
             for name, doc in (("calibration.json", cal), ("sobol.json", sob), ("entry_fit.json", fit))
             if doc is not None and now not in (doc.get("model_fingerprint"), (doc.get("applied_to") or {}).get("model_fingerprint"))]
    if stale:
        w(f"**Computed on an earlier model.** {' and '.join(stale)} {'was' if len(stale) == 1 else 'were'} computed on a model whose source fingerprint "
          f"differs from today's (`{now}`): the model has changed since (docs/model.md), and these results describe "
          "the earlier one until the scripts are run again.\n")
    if cal is None and sob is None:
        w("(Neither result is present.)\n")
    else:
        w(render_markdown(cal, sob))
    if fit is not None:
        w(entry_fit_markdown(fit))


def entry_fit_markdown(doc: dict) -> str:
    """The fit of allies' entry into a partner's fight (``scripts/fit_entry.py``, docs/model.md §7.6) as Markdown."""
    f = doc["fitted"]
    force, war = f["entry_short_of_war"], f["entry_at_war"]
    check = doc["check"]["war_any_call"]
    real_force, real_war = doc["real"]["force"], doc["real"]["war"]
    rows = [
        ("`alliance_politics.entry_short_of_war`", force["value"],
         f"{force['interval'][0]:+.2f} … {force['interval'][1]:+.2f}" if force["interval"] else "–",
         "defence allies that fight in a partner's use of force short of war",
         f"{real_force['share']:.2%} [{real_force['lo95']:.2%}, {real_force['hi95']:.2%}] (GML MID × ATOP)",
         f"{force['model_share']:.2%} ({force['model_fought']} of {force['model_cases']:,})"),
        ("`alliance_politics.entry_at_war`", war["value"], "–",
         "allies whose pledge is called on (partner attacked, at war) that fight",
         "74.5% (Leeds, Long & Mitchell 2000)",
         f"{war['model_share']:.2%} ({war['model_fought']} of {war['model_cases']:,})"),
        ("(check, not fitted)", None, "–", "all allies of a partner at war, called on or not, that fight",
         f"{real_war['share']:.2%} [{real_war['lo95']:.2%}, {real_war['hi95']:.2%}] (GML MID × ATOP)",
         f"{check['model_share']:.2%} ({check['model_fought']} of {check['model_cases']:,})"),
    ]
    out = ["### Allies' entry into a partner's fight (`scripts/fit_entry.py`)\n",
           f"Fitted by Brent's method on the bundled scenarios and their quiet variants ({doc['runs']} runs each, seed "
           f"{doc['seed']}, common random numbers; {doc['evaluations']} evaluations in {doc['seconds']:.0f} s); the interval "
           "is the range of offsets whose model share stays inside the record's 95% interval. Method and caveats: "
           "docs/model.md §7.6.\n",
           "| parameter | fitted | interval | share of … | record | model at the fit |", "|---|---:|---|---|---|---|"]
    for name, value, span, what, real, model in rows:
        out.append(f"| {name} | {'' if value is None else f'{value:+.2f}'} | {span} | {what} | {real} | {model} |")
    out.append("\nThe last row is not matched: the bundled worlds' wars are mostly wars in which the partner was attacked "
               "(1914), while many real pledges are never called on.\n")
    return "\n".join(out)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=30)
    ap.add_argument("--world-runs", type=int, default=100)
    ap.add_argument("--credibility-runs", type=int, default=500, help="paired runs per scenario (events matter, face validity)")
    ap.add_argument("--quiet-runs", type=int, default=300, help="one-year runs per quiet variant")
    ap.add_argument("--workers", type=int, default=None)
    args = ap.parse_args()
    t0 = time.time()
    out = []
    w = out.append
    w("# Validation: does the model reproduce real patterns?\n")
    w(f"Generated by `python scripts/validate_patterns.py --runs {args.runs} --world-runs {args.world_runs} "
      f"--credibility-runs {args.credibility_runs} --quiet-runs {args.quiet_runs}` on "
      f"{dt.date.today().isoformat()} (Flashpoint {__version__}, Python {platform.python_version()}). "
      "Every figure below was measured by that script; intervals are Wilson 95% intervals over the seeded runs. "
      "The same checks, with fewer runs and fixed seeds, are the pattern tests in `tests/test_patterns.py`.\n")

    # ------------------------------------------------------------ dangerous dyads
    rows = dangerous_dyads(runs=args.world_runs, seed=0)
    w("## 1. Dangerous dyads (Bremer 1992) — a world of real states, no scripted events\n")
    w(f"All {rows[0]['dyads'] + rows[0]['complement_dyads']} dyads of the 2010 state system (COW), weekly for one "
      f"year, {args.world_runs} seeded runs. The model's **use of force** is a dyad reaching rung 5 (violence) in the "
      "year; its **dispute** is reaching rung 4 (a show of force, the MID 'display' level). Real rates are MID onsets "
      "and uses of force per 1,000 dyad-years, 1946–2010 (GML MID v2.2.1 via peacesciencer; "
      "`derived_base_rates_MID_onset_1946-2010.csv`). Categories are defined as in that file (Polity2 ≥ 6 for "
      "democracy, CINC ratio ≤ 3 for parity, PR = politically relevant: contiguous or involving a major power).\n")
    w("| dyads | n | model force /1000 (in / out) | ratio | real force /1000 (in / out) | ratio | model dispute ratio | real MID ratio |")
    w("|---|---:|---|---:|---|---:|---:|---:|")
    for r in rows:
        mr = r["model_force"] / r["model_force_complement"] if r["model_force_complement"] else float("nan")
        rr = r["real_force"] / r["real_force_complement"]
        dr = r["model_dispute"] / r["model_dispute_complement"] if r["model_dispute_complement"] else float("inf")
        w(f"| {r['category']} | {r['dyads']} | {r['model_force']:.2f} / {r['model_force_complement']:.2f} | {mr:.2f} | "
          f"{r['real_force']:.2f} / {r['real_force_complement']:.2f} | {rr:.2f} | {dr:.2f} | {r['real_mid'] / r['real_mid_complement']:.2f} |")
    w("")
    c0 = rows[0]
    calm = c0["real_force"] / max(c0["model_force"], 1e-9)
    by = {r["category"]: r for r in rows}

    def ratio(r):
        return r["model_force"] / r["model_force_complement"] if r["model_force_complement"] else float("nan")

    pr_par, ct_par = by["PR: parity (CINC ratio ≤ 3)"], by["contiguous: parity"]
    events = pr_par["model_force"] * pr_par["dyads"] * args.world_runs * 52 * 7 / 365.25 / 1000
    par = (f"×{ratio(ct_par):.2f} among contiguous dyads (real ×{ct_par['real_force'] / ct_par['real_force_complement']:.2f}), "
           f"×{ratio(pr_par):.2f} among politically relevant ones (real ×{pr_par['real_force'] / pr_par['real_force_complement']:.2f}; "
           f"about {events:.0f} uses of force in {args.world_runs} runs)")
    if ratio(pr_par) > 1 and ratio(ct_par) > 1:
        w("**Reading it.** The ordering the issue asks for holds for escalation to violence: contiguous dyads are far "
          f"more violent than distant ones, jointly democratic dyads less, dyads at parity more than under preponderance ({par}). ")
    else:
        w("**Reading it.** For escalation to violence the ordering the issue asks for holds for contiguity and democracy: "
          "contiguous dyads are far more violent than distant ones, jointly democratic dyads less. "
          f"Parity does not clearly raise it: {par}, too few events to resolve the contrast. ")
    def dispute_ratio(r):
        return r["model_dispute"] / r["model_dispute_complement"] if r.get("model_dispute_complement") else float("nan")

    c_model, c_real = ratio(c0), c0["real_force"] / c0["real_force_complement"]
    c_disp, c_disp_real = dispute_ratio(c0), c0["real_mid"] / c0["real_mid_complement"]
    pact = by["PR: defence pact"]
    p_disp, p_disp_real = dispute_ratio(pact), pact["real_mid"] / pact["real_mid_complement"]
    out[-1] += (
      f"The sizes differ: the model's world is about {calm:.0f} times calmer than the real one for contiguous dyads "
      "(a crisis engine run for one year with nothing scripted is not sixty-five years of history; 'nan' marks a "
      f"complement with no event at all). Its contiguity contrast for the use of force is ×{c_model:.0f}, "
      f"{'stronger' if c_model > c_real else 'weaker'} than the real ×{c_real:.0f} "
      f"({'outside' if not 0.5 <= c_model / c_real <= 2 else 'within'} ×2 of it), because distant dyads almost never "
      f"reach force in the model; for disputes (rung 4) it is ×{c_disp:.1f} against the real ×{c_disp_real:.0f}. "
      "For *disputes* the parity contrast "
      f"{'goes the wrong way' if dispute_ratio(pr_par) < 1 else 'has the right sign'} "
      f"(×{dispute_ratio(pr_par):.2f} against the real ×{pr_par['real_mid'] / pr_par['real_mid_complement']:.2f})"
      + (": shows of force in the model are dominated by major powers supporting allies and signalling to weaker states. "
         if dispute_ratio(pr_par) < 1 else ": disputes arise more often between equals (the parity factor of model.md §7.1). ")
      + "Defence pacts: the "
      f"real data show allied dyads slightly *more* dispute-prone (×{p_disp_real:.2f}; allies are often neighbours); the "
      f"model, which discounts allies' power as a threat, makes them {'less' if p_disp < 1 else 'more'} so "
      f"(×{p_disp:.2f}){' — a known difference' if p_disp < 1 else ''}.\n")

    # ------------------------------------------------------------ 1914
    sc = load_scenario(ROOT / "scenarios" / "july-crisis-1914.yaml")
    major = np.array([a.major_power for a in build_world(sc).actors])
    w("## 2. July 1914 — chain-ganging\n")
    w(f"`scenarios/july-crisis-1914.yaml`, {args.runs} seeded runs per variant; a *general war* is one with at least "
      "four great powers at war (rung ≥ 7); *local* means at most two great powers at war.\n")
    w("| variant | general war | local | mean great powers at war |")
    w("|---|---|---|---:|")
    for v in (None, "defense-dominant", "conditional-pledge", "british-clarity"):
        gp = np.array([int(((run_scenario(sc, seed=s, variant=v, record="summary").peak >= 7).any(axis=1) & major).sum())
                       for s in seeds(args.runs)])
        w(f"| {v or 'baseline (offence believed dominant)'} | {pct(int((gp >= 4).sum()), len(gp))} | "
          f"{pct(int((gp <= 2).sum()), len(gp))} | {gp.mean():.2f} |")
    w("")

    # ------------------------------------------------------------ 1962
    sc = load_scenario(ROOT / "scenarios" / "cuban-missile-crisis-1962.yaml")
    pr = [sc.codes.index(c) for c in ("USA", "RUS", "CUB")]
    u, r_ = sc.codes.index("USA"), sc.codes.index("RUS")
    w("## 3. October 1962 — a high rung without war, then a negotiated retreat\n")
    w(f"`scenarios/cuban-missile-crisis-1962.yaml`, {args.runs * 3} seeded runs per variant. *High rung*: the US–Soviet "
      "dyad reaches rung 6 (blockade). *War*: any pair of the principals (USA, USSR, Cuba) at rung ≥ 7.\n")
    w("| variant | high rung | war among principals | US–USSR rung at the end (mean) | settled |")
    w("|---|---|---|---:|---|")
    for v in (None, "no-deal", "air-strike"):
        n = args.runs * 3
        hi = war = settled = 0
        fin = []
        for s in seeds(n):
            res = run_scenario(sc, seed=s, variant=v, record="summary")
            hi += res.peak[u, r_] >= 6
            war += (res.peak[np.ix_(pr, pr)] >= 7).any()
            settled += any(x["type"] == "settlement" for x in res.records)
            fin.append(res.final_level[u, r_])
        w(f"| {v or 'baseline (the Kennedy–Khrushchev deal)'} | {pct(hi, n)} | {pct(war, n)} | {np.mean(fin):.2f} | {pct(settled, n)} |")
    w("")
    w("## 4. Arms races (Richardson 1960) and balancing\n")
    w("Checked exactly by `tests/test_patterns.py`: two rivals with m·n > a·b settle to the Richardson equilibrium "
      "x* = (a·h + n·g)/(m·n − a·b) to within 0.1%; with m·n < a·b spending grows without bound. A new defence pact "
      "raises its rivals' threat and they balance together more (paired over 80 seeds); a small distant naval visit "
      "stays at rung ≤ 4 in more than 90% of runs.\n")
    war_persistence(args.runs * 10, w)
    from validate_credibility import credibility_sections

    credibility_sections(w, runs=args.credibility_runs, quiet_runs=args.quiet_runs, workers=args.workers,
                         history=_history_section(args))
    calibration_section(w)
    import os
    import resource

    cpu = sum(getattr(resource.getrusage(who), f) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
              for f in ("ru_utime", "ru_stime"))
    w(f"_Run time of this script: {time.time() - t0:.0f} s wall, {cpu:.0f} s CPU in all processes "
      f"(load average {os.getloadavg()[0]:.1f} at the end, {os.cpu_count()} cores)._\n")
    (ROOT / "docs" / "validation.md").write_text("\n".join(out), encoding="utf-8")
    print("\n".join(out))


if __name__ == "__main__":
    main()
