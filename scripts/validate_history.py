"""Section 11 of docs/validation.md: the model's per-dyad predictions scored against the MID record.

    python scripts/validate_history.py [--runs 30] [--years 1960 1970 1980 1985]

For each scored year, the model's world of that year (``sim.validation.world.world_predictions``)
predicts every dyad's yearly chance of a new dispute; the Bremer-style logit
(``sim.validation.history``) is fitted on every other year 1946–1989. Both are scored with AUC and
Brier against the year's real disputes (GML MID v2.2.1, ``sim/data/mid_onsets_1816-1989.csv``).
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sim.validation.history import COVARIATES, dyad_years, fit_logit, score_years  # noqa: E402

YEARS = (1960, 1970, 1980, 1985)


def history_section(w, runs: int = 30, years=YEARS, workers: int | None = None) -> None:
    train_years = [y for y in range(1946, 1990) if y not in years]
    t0 = time.time()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # statsmodels convergence chatter; the fit is reported below
        rows = score_years(years, runs, train_years, 0, workers=workers)
        fit = fit_logit(dyad_years(train_years), "force")
    w("## 11. Per-dyad predictions scored against history (MID, before 1990)\n")
    w(f"For each year below, `flashpoint world --year Y --runs {runs}` predicts every dyad's yearly chance of a new "
      "dispute (the share of seeded one-year runs of that year's world in which the dyad newly reaches the level). "
      "The real disputes are the GML MID v2.2.1 onsets of that year (`sim/data/mid_onsets_1816-1989.csv`): *any MID* is "
      "a new dispute at the threat level or above (hostility ≥ 2), *use of force* hostility ≥ 4. The reference is a "
      "Bremer-style logit (" + ", ".join(COVARIATES) + f") fitted with statsmodels on the {len(train_years)} other "
      "years 1946–1989 — never on the year it is scored on. AUC: 0.5 is no better than chance; Brier: lower is "
      "better, and the base-rate forecast (the training years' share of dyad-years with a new dispute) is the floor "
      "to beat.\n")
    w("| year | level | dyads | real onsets | model AUC | logit AUC | model Brier | logit Brier | base-rate Brier | model mean p | real rate |")
    w("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    name = {"threat": "any MID", "force": "use of force"}
    for r in rows:
        w(f"| {r['year']} | {name.get(r['level'], r['level'])} | {r['dyads']} | {r['events']} | {r['model_auc']:.3f} | "
          f"{r['logit_auc']:.3f} | {r['model_brier']:.5f} | {r['logit_brier']:.5f} | {r['base_brier']:.5f} | "
          f"{r['model_mean']:.4f} | {r['observed_rate']:.4f} |")
    w("")
    coefs = ", ".join(f"{k} {v:+.2f}" for k, v in fit.params.items())
    w(f"The use-of-force logit fitted on all {len(train_years)} training years: {coefs}. "
      f"({runs} model runs per year; {time.time() - t0:.0f} s for this section.)\n")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=30)
    ap.add_argument("--years", type=int, nargs="+", default=list(YEARS))
    ap.add_argument("--workers", type=int, default=None)
    a = ap.parse_args()
    out: list[str] = []
    history_section(out.append, a.runs, tuple(a.years), a.workers)
    print("\n".join(out))


if __name__ == "__main__":
    main()
