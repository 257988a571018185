"""Dangerous dyads: model escalation rates by dyad type next to the real MID onset rates.

The real rates (per 1,000 dyad-years, 1946–2010) ship with the package in
``sim/data/base_rates_MID_1946-2010.csv`` (a copy of the reference file
``derived_base_rates_MID_onset_1946-2010.csv``, see docs/data.md); categories follow its
definitions: land contiguity (COW conttype 1), major-power involvement (COW), politically relevant
(contiguous or involving a major power), joint democracy (both Polity2 ≥ 6), parity (CINC ratio
≤ 3). A model dyad-year counts as a *dispute* when its rung reaches 4 (a show of force, the MID
'display' level) from below within the year, and as *use of force* when it reaches 5.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from importlib import resources

import numpy as np

from sim.ensemble.seeds import child_seeds

__all__ = ["REAL_RATES", "CATEGORIES", "dyad_categories", "dangerous_dyads"]


def _load_real() -> dict[str, dict[str, float]]:
    path = resources.files("sim") / "data" / "base_rates_MID_1946-2010.csv"
    out: dict[str, dict[str, float]] = {}
    with path.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            name = row[""]
            out[name] = {k: float(v) for k, v in row.items() if k}
    return out


#: Real MID onset rates per 1,000 dyad-years, 1946–2010, by category (row name of the source file).
REAL_RATES = _load_real()

#: (label, real-rate row for the category, real-rate row for its complement)
CATEGORIES = [
    ("land-contiguous", "land-contiguous=1", "land-contiguous=0"),
    ("involves a major power", "involves major power=1", "involves major power=0"),
    ("politically relevant", "politically relevant (contig or major)=1", "politically relevant (contig or major)=0"),
    ("PR: both democracies", "PR: both Polity2>=6 =1", "PR: both Polity2>=6 =0"),
    ("PR: parity (CINC ratio ≤ 3)", "PR: CINC ratio <=3 (parity) =1", "PR: CINC ratio <=3 (parity) =0"),
    ("PR: defence pact", "PR: ATOP defense pact =1", "PR: ATOP defense pact =0"),
    ("contiguous: both democracies", "CONTIG: both democracies =1", "CONTIG: both democracies =0"),
    ("contiguous: parity", "CONTIG: parity (ratio<=3) =1", "CONTIG: parity (ratio<=3) =0"),
]


def dyad_categories(codes: list[str], year: int) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """For each category: (mask of dyads in it, mask of its complement), over the upper triangle."""
    from sim.catalog import load_catalog

    cat = load_catalog()
    recs = cat.states(codes, year)
    n = len(codes)
    iu = np.triu_indices(n, 1)
    contig = (np.asarray(cat.contiguity(codes, year)) == 1)[iu]
    major = np.array([r.major_power for r in recs])
    anymajor = (major[:, None] | major[None, :])[iu]
    pr = contig | anymajor
    pol = np.array([r.polity2 if r.polity2 is not None else -99 for r in recs], dtype=float)
    jointdem = ((pol[:, None] >= 6) & (pol[None, :] >= 6))[iu]
    cinc = np.array([max(r.cinc, 1e-9) for r in recs])
    ratio = np.maximum(cinc[:, None], cinc[None, :]) / np.minimum(cinc[:, None], cinc[None, :])
    parity = (ratio <= 3)[iu]
    pact = np.zeros((n, n), dtype=bool)
    idx = {c: k for k, c in enumerate(codes)}
    for al in cat.alliances(codes, year):
        if al.defense:
            pact[idx[al.a], idx[al.b]] = pact[idx[al.b], idx[al.a]] = True
    pact = pact[iu]
    return {
        "land-contiguous": (contig, ~contig),
        "involves a major power": (anymajor, ~anymajor),
        "politically relevant": (pr, ~pr),
        "PR: both democracies": (pr & jointdem, pr & ~jointdem),
        "PR: parity (CINC ratio ≤ 3)": (pr & parity, pr & ~parity),
        "PR: defence pact": (pr & pact, pr & ~pact),
        "contiguous: both democracies": (contig & jointdem, contig & ~jointdem),
        "contiguous: parity": (contig & parity, contig & ~parity),
    }


def dangerous_dyads(runs: int = 10, seed: int = 0, year: int = 2010, horizon: int = 52,
                    progress: Callable[[int, int], None] | None = None) -> list[dict]:
    """Model rates (per 1,000 dyad-years) by category over ``runs`` seeded runs of the generated world.

    Returns one row per category with the model's dispute (rung ≥ 4 reached from below) and
    use-of-force (rung ≥ 5) rates for the category and its complement, the real MID and force
    rates, and the counts behind them: dyad-years (``dyad_years``, ``dyad_years_complement``)
    and the uses of force in each run (``force_per_run``, ``force_per_run_complement``), from
    which a rate ratio's interval can be computed with runs as clusters.
    """
    from sim.ensemble.worker import lanes_for
    from sim.model import CrisisModel
    from sim.scenario.generate import world_scenario

    sc = world_scenario(year, horizon=horizon)
    codes = sc.codes
    cats = dyad_categories(codes, year)
    n = len(codes)
    iu = np.triu_indices(n, 1)
    years = horizon * sc.calendar.step_days / 365.25
    disputes = np.zeros(len(iu[0]))
    force_runs = np.zeros((runs, len(iu[0])), dtype=np.int32)  # per run: did the dyad reach rung 5?
    seeds = child_seeds(seed, runs)
    size = lanes_for(n)  # replications stepped together (each depends on its own seed only)
    for a in range(0, runs, size):
        model = CrisisModel(sc, seeds=seeds[a:a + size], record="summary").run()
        peak = model.peak[:, iu[0], iu[1]]
        disputes += (peak >= 4).sum(axis=0)
        force_runs[a:a + len(peak)] = peak >= 5
        if progress:
            progress(min(runs, a + size), runs)
    force = force_runs.sum(axis=0)
    rows = []
    for label, row_in, row_out in CATEGORIES:
        inside, outside = cats[label]
        dy_in, dy_out = inside.sum() * runs * years, outside.sum() * runs * years

        def rate(x, m, dy):
            return float(1000.0 * x[m].sum() / dy) if dy else float("nan")

        rows.append({
            "category": label,
            "dyads": int(inside.sum()),
            "complement_dyads": int(outside.sum()),
            "model_dispute": rate(disputes, inside, dy_in),
            "model_dispute_complement": rate(disputes, outside, dy_out),
            "model_force": rate(force, inside, dy_in),
            "model_force_complement": rate(force, outside, dy_out),
            "real_mid": REAL_RATES[row_in]["MID_per_1000"],
            "real_mid_complement": REAL_RATES[row_out]["MID_per_1000"],
            "real_force": REAL_RATES[row_in]["force_per_1000"],
            "real_force_complement": REAL_RATES[row_out]["force_per_1000"],
            "dyad_years": float(dy_in),
            "dyad_years_complement": float(dy_out),
            "force_per_run": force_runs[:, inside].sum(axis=1).tolist(),
            "force_per_run_complement": force_runs[:, outside].sum(axis=1).tolist(),
        })
    return rows
