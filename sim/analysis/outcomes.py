"""Outcome statistics of one ensemble, from its per-run indicators (never from the model).

One row per outcome and dyad or actor (see docs/cli.md for the list):

=========================  ===========  ==========================================================
outcome                    kind         estimate and interval
=========================  ===========  ==========================================================
``p_threat``/``display``/  probability  share of runs in which the dyad reached the band by the
``violence``/``war``/                   horizon: threat of force (rung ≥2), display of force (≥4),
``nuclear``                             use of force (≥5), war (≥7), nuclear use (≥9) — the MID
                                        hostility levels (:data:`sim.scales.BANDS`); Wilson 95 %
``first_<band>_step``      median       median first step in the band among runs that reached it
                                        (``n`` = those runs; use of force, war and nuclear use
                                        only); bootstrap interval
``p_support_<degree>``     probability  the supporter gave the partner (``dyad`` ``PRK→RUS``) at
                                        least this degree of support by the horizon: ``statement``,
                                        ``arms``, ``troops`` (troops or joining), ``join`` (joined
                                        the partner's fight); for every ordered pair with any
                                        support in any run; Wilson
``peak_level``             mean         mean highest rung of the dyad; bootstrap interval
``p_alliance_formed`` /    probability  a defence pledge ≥ 0.5 formed / lapsed in the dyad; Wilson
``p_alliance_lapsed``
``milex_change``           mean         actor's relative change in military spending over the
                                        horizon (0.05 = +5 %); bootstrap interval
``p_any_<band>``           probability  any dyad reached the band (system); Wilson
``system_peak_level``      mean         the highest rung anywhere (system); bootstrap
``alliances_formed``       mean         number of new defence pledges per run (system); bootstrap
=========================  ===========  ==========================================================

``se`` is the Monte Carlo (standard) error of the estimate and ``runs_needed`` the number of runs
for a 95 % interval of half-width ``precision`` (probabilities only). With more than
:data:`ALL_DYADS_LIMIT` dyads, dyad rows whose indicator is zero in every run are left out.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from sim.analysis.aggregate import RunTable
from sim.analysis.digest import BAND_RUNGS, BAND_WORDS, Layout
from sim.analysis.stats import (
    BOOTSTRAP,
    Z95,
    bootstrap_means,
    bootstrap_median_int,
    runs_needed,
    se_proportion,
    wilson,
)
from sim.scales import BANDS, SUPPORT_LEVELS, SUPPORT_WORDS

__all__ = ["outcome_table", "OUTCOME_COLUMNS", "ALL_DYADS_LIMIT", "SUPPORT_OUTCOMES", "bootstrap_seed", "describe",
           "records", "step_unit", "support_frame", "support_pairs", "pair_name"]

OUTCOME_COLUMNS = ["outcome", "kind", "dyad", "actor", "estimate", "lo", "hi", "n", "se", "runs_needed", "label"]
#: Above this many dyads, dyad rows that are zero in every run are omitted.
ALL_DYADS_LIMIT = 200
#: Support outcomes, one per degree from a statement up (``p_support_troops``: troops or joining).
SUPPORT_OUTCOMES: dict[str, int] = {f"p_support_{name}": level for level, name in enumerate(SUPPORT_LEVELS) if level}


def pair_name(codes, i: int, k: int) -> str:
    """A directed pair, supporter first: ``PRK→RUS``."""
    return f"{codes[i]}→{codes[k]}"


def support_pairs(support: np.ndarray) -> list[tuple[int, int]]:
    """Ordered pairs (supporter, partner) with any support in any run, from per-run ``(R, N, N)`` degrees."""
    if support.size == 0:
        return []
    i, k = np.nonzero(support.max(axis=0) > 0)
    return list(zip(i.tolist(), k.tolist(), strict=True))


def bootstrap_seed(seed: int, purpose: int = 0) -> np.random.SeedSequence:
    """Return the bootstrap's seed for an ensemble with master ``seed`` (independent of the run seeds)."""
    return np.random.SeedSequence([int(seed), 0xB0075, int(purpose)])


def step_unit(dates) -> str:
    """``day`` or ``week`` from a layout's ISO dates (one per step), or "" if it cannot tell."""
    import datetime as dt

    try:
        gap = (dt.date.fromisoformat(str(dates[1])) - dt.date.fromisoformat(str(dates[0]))).days
    except (IndexError, ValueError):
        return ""
    return {1: "day", 7: "week"}.get(gap, "")


def describe(outcome: str, dyad: str = "", actor: str = "", unit: str = "") -> str:
    """Describe the outcome in words (used in tables and verdicts); ``unit`` is the step (day/week)."""
    if outcome in SUPPORT_OUTCOMES and "→" in dyad:
        a, b = dyad.split("→", 1)
        return "chance that " + SUPPORT_WORDS[outcome.removeprefix("p_support_")].format(a, b)
    for band, words in BAND_WORDS.items():
        if outcome == f"p_{band}":
            return f"chance of a {dyad} {words}"
        if outcome == f"p_any_{band}":
            return f"chance of any {words}"
        if outcome == f"first_{band}_step":
            if unit:
                return f"median {unit}s from the start to the first {dyad} {words.split(' (')[0]}"
            return f"median step of the first {dyad} {words.split(' (')[0]}"
    return {
        "peak_level": f"mean peak rung of {dyad}",
        "p_alliance_formed": f"chance that a {dyad} defence pledge forms",
        "p_alliance_lapsed": f"chance that the {dyad} defence pledge lapses",
        "milex_change": f"{actor}'s change in military spending",
        "system_peak_level": "mean peak rung anywhere",
        "alliances_formed": "mean number of new defence pledges",
    }.get(outcome, outcome)


def _prop_rows(outcome: str, ind: np.ndarray, names: list[str], who: str, precision: float, omit_zero: bool) -> list[dict]:
    n = ind.shape[0]
    x = ind.sum(axis=0)
    rows = []
    for k, name in enumerate(names):
        xk = int(x[k])
        if omit_zero and xk == 0:
            continue
        p, lo, hi = wilson(xk, n)
        pt = (xk + 2) / (n + 4)
        rows.append({"outcome": outcome, "kind": "probability", "dyad": name if who == "dyad" else "",
                     "actor": name if who == "actor" else "", "estimate": p, "lo": lo, "hi": hi, "n": n,
                     "se": se_proportion(xk, n), "runs_needed": runs_needed(pt * (1 - pt), precision)})
    return rows


def _mean_rows(outcome: str, values: np.ndarray, names: list[str], who: str, seed: np.random.SeedSequence,
               resamples: int, omit: np.ndarray | None = None) -> list[dict]:
    n = values.shape[0]
    keep = np.arange(values.shape[1]) if omit is None else np.flatnonzero(~omit)
    if keep.size == 0:
        return []
    est, lo, hi = bootstrap_means(values[:, keep], seed, resamples)
    sd = values[:, keep].std(axis=0, ddof=1) if n > 1 else np.full(keep.size, np.nan)
    rows = []
    for c, k in enumerate(keep):
        rows.append({"outcome": outcome, "kind": "mean", "dyad": names[k] if who == "dyad" else "",
                     "actor": names[k] if who == "actor" else "", "estimate": float(est[c]), "lo": float(lo[c]),
                     "hi": float(hi[c]), "n": n, "se": float(sd[c] / math.sqrt(n)) if n > 1 else math.nan,
                     "runs_needed": 0})
    return rows


def outcome_table(table: RunTable, layout: Layout, *, seed: int = 0, resamples: int = BOOTSTRAP,
                  precision: float = 0.02) -> pd.DataFrame:
    """Compute the outcome statistics of an ensemble (see the module docstring).

    Args:
        table: The ensemble's per-run indicators.
        layout: Its actors and dyads.
        seed: Seed of the bootstrap (the ensemble's master seed: same runs, same intervals).
        resamples: Bootstrap resamples.
        precision: Half-width wanted for a probability's 95 % interval (for ``runs_needed``).
    """
    n = table.size
    dyads, codes = layout.dyads, list(layout.codes)
    omit = layout.d > ALL_DYADS_LIMIT
    rows: list[dict] = []
    if n == 0:
        return pd.DataFrame(columns=OUTCOME_COLUMNS)
    peak = table["peak"]
    first = table["first"]
    for band in BANDS:
        rows += _prop_rows(f"p_{band.key}", peak >= band.rung, dyads, "dyad", precision, omit)
    for b, (band, rung) in enumerate(BAND_RUNGS.items()):
        ind = peak >= rung
        for k in np.flatnonzero(ind.any(axis=0)):
            steps = first[:, b, k]
            steps = steps[steps >= 0]
            est, lo, hi = bootstrap_median_int(steps, bootstrap_seed(seed, 1000 + b * layout.d + int(k)), resamples)
            rows.append({"outcome": f"first_{band}_step", "kind": "median", "dyad": dyads[k], "actor": "",
                         "estimate": est, "lo": lo, "hi": hi, "n": int(steps.size),
                         "se": (hi - lo) / (2 * Z95),  # bootstrap standard error, approximately
                         "runs_needed": 0})
    rows += _mean_rows("peak_level", peak.astype(float), dyads, "dyad", bootstrap_seed(seed, 1), resamples,
                       omit=(peak == 0).all(axis=0) if omit else None)
    rows += _prop_rows("p_alliance_formed", table["alliance_new"], dyads, "dyad", precision, True)
    rows += _prop_rows("p_alliance_lapsed", table["alliance_lost"], dyads, "dyad", precision, True)
    rows += _mean_rows("milex_change", table["milex_change"].astype(float), codes, "actor", bootstrap_seed(seed, 2), resamples)
    support = table["support"]
    pairs = support_pairs(support)
    if pairs:
        ii, kk = (np.array(x) for x in zip(*pairs, strict=True))
        names = [pair_name(codes, i, k) for i, k in pairs]
        given = support[:, ii, kk]
        for outcome, level in SUPPORT_OUTCOMES.items():
            rows += _prop_rows(outcome, given >= level, names, "dyad", precision, False)
    sys_peak = table["system_peak"]
    for band in BANDS:
        rows += _prop_rows(f"p_any_{band.key}", (sys_peak >= band.rung)[:, None], [""], "system", precision, False)
    sys_vals = np.stack([sys_peak.astype(float), table["alliance_new"].sum(axis=1).astype(float)], axis=1)
    for c, name in enumerate(("system_peak_level", "alliances_formed")):
        rows += _mean_rows(name, sys_vals[:, [c]], [""], "system", bootstrap_seed(seed, 3 + c), resamples)
    df = pd.DataFrame(rows)
    unit = step_unit(layout.dates)
    df["label"] = [describe(o, d, a, unit) for o, d, a in zip(df["outcome"], df["dyad"], df["actor"], strict=True)]
    return df[OUTCOME_COLUMNS]


def support_frame(df: pd.DataFrame) -> pd.DataFrame:
    """The support outcomes of an outcome table, one row per ordered pair, most support first.

    Columns: ``pair`` (``PRK→RUS``), ``supporter``, ``partner``, then ``<degree>``, ``<degree>_lo``,
    ``<degree>_hi`` for each degree (statement, arms, troops, join; each "at least this degree"), ``n``.
    """
    s = df[df["outcome"].isin(list(SUPPORT_OUTCOMES))]
    cols = ["pair", "supporter", "partner"] + [f"{d}{x}" for d in SUPPORT_LEVELS[1:] for x in ("", "_lo", "_hi")] + ["n"]
    if s.empty:
        return pd.DataFrame(columns=cols)
    rows: dict[str, dict[str, Any]] = {}
    for r in s.itertuples(index=False):
        row = rows.setdefault(r.dyad, {"pair": r.dyad, "supporter": r.dyad.split("→")[0], "partner": r.dyad.split("→")[1],
                                       "n": r.n})
        d = r.outcome.removeprefix("p_support_")
        row[d], row[f"{d}_lo"], row[f"{d}_hi"] = r.estimate, r.lo, r.hi
    out = pd.DataFrame(list(rows.values())).reindex(columns=cols)
    key = [c for c in reversed(SUPPORT_LEVELS[1:])]
    return out.sort_values([*key, "pair"], ascending=[False] * len(key) + [True], kind="stable").reset_index(drop=True)


def records(df: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows of ``df`` as JSON-ready dicts: numpy scalars as Python numbers, NaN as ``None``, floats to 6 places."""
    out = []
    for rec in df.to_dict(orient="records"):
        clean = {}
        for k, v in rec.items():
            if isinstance(v, (np.integer,)):
                v = int(v)
            elif isinstance(v, (np.floating, float)):
                v = None if math.isnan(float(v)) else round(float(v), 6)
            elif isinstance(v, np.bool_):
                v = bool(v)
            clean[k] = v
        out.append(clean)
    return out
