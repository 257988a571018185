"""Sweeps: which uncertain assumptions a conclusion hangs on.

A scenario declares uncertain parameters with ranges (``uncertainties:``, each
``{parameter: group.name, low, high}``). :func:`run_sweep` draws ``samples`` points by **Latin
hypercube sampling** (McKay, Beckman & Conover 1979: each parameter's range is cut into
``samples`` equal strata, each stratum is used once, in an independent random order per
parameter, at a uniform position inside it), runs ``runs`` replications at each point with the
same seeds at every point (common random numbers, so that differences between points are not
seed noise), and summarises each point's outcomes.

Sensitivity (:func:`sensitivity_table`): for every outcome that varies across points and every
parameter,

* ``spearman`` — Spearman's rank correlation between the parameter and the outcome across points;
* ``srrc`` — the standardised *rank* regression coefficient: regress the outcome's ranks on all
  parameters' ranks at once (least squares on standardised ranks); with a Latin hypercube the
  parameters are nearly uncorrelated and ``srrc ≈ spearman``, but ``srrc`` controls for the others;
* ``r2`` — the share of the outcome's rank variance the rank regression explains (when it is low,
  the outcome depends on the parameters non-monotonically, or mostly on chance).

Rank measures catch any monotonic effect, linear or not (Saltelli et al. 2008, *Global Sensitivity
Analysis: The Primer*, ch. 1). A coefficient whose size is below ``2/√samples`` is within what
chance alone produces, and is flagged ``weak``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from pydantic import ValidationError

from sim.analysis.digest import BAND_RUNGS
from sim.analysis.outcomes import records
from sim.ensemble.ensemble import EnsembleResult, run_many
from sim.errors import FlashpointError
from sim.storage.manifest import MANIFEST_SCHEMA, environment, scenario_hash
from sim.storage.results import write_sweep

__all__ = ["latin_hypercube", "with_parameters", "run_sweep", "SweepResult", "sensitivity_table", "HEADLINE"]

#: Outcomes the sweep summary leads with.
HEADLINE = ("p_any_violence", "p_any_war", "p_any_nuclear", "system_peak_level")


def latin_hypercube(samples: int, dims: int, seed: int | np.random.SeedSequence = 0) -> np.ndarray:
    """Draw a Latin hypercube design on ``[0, 1)^dims``: ``(samples, dims)``, one point per stratum per column.

    SciPy's :class:`scipy.stats.qmc.LatinHypercube` (random positions inside the strata), driven
    by a generator seeded from ``seed``, so the same seed gives the same design.
    """
    if samples < 1 or dims < 0:
        raise ValueError("samples must be at least 1 and dims non-negative")
    if dims == 0:
        return np.empty((samples, 0))
    from scipy.stats import qmc

    return qmc.LatinHypercube(d=dims, rng=np.random.default_rng(seed)).random(samples)


def with_parameters(scenario: Any, values: dict[str, float]) -> Any:
    """Return the scenario with parameters ``{"group.name": value}`` set (validated again).

    Raises:
        FlashpointError: an unknown parameter or a value outside the parameter's valid range.
    """
    data = scenario.model_dump(mode="python")
    for key, v in values.items():
        g, _, name = key.partition(".")
        if g not in data["parameters"] or name not in data["parameters"][g]:
            raise FlashpointError(f"unknown parameter '{key}'")
        data["parameters"][g][name] = float(v)
    try:
        return type(scenario).model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(x) for x in err.get("loc", ()))
        raise FlashpointError(f"uncertainty range outside the parameter's valid range: {where}: {err.get('msg')}") from None


def _point_outcomes(res: EnsembleResult) -> dict[str, float]:
    t = res.table
    out: dict[str, float] = {}
    if t.size == 0:
        return out
    sp = t["system_peak"]
    for band, rung in BAND_RUNGS.items():
        out[f"p_any_{band}"] = float((sp >= rung).mean())
    out["system_peak_level"] = float(sp.mean())
    out["alliances_formed"] = float(t["alliance_new"].sum(axis=1).mean())
    peak = t["peak"]
    for band in ("violence", "war"):
        share = (peak >= BAND_RUNGS[band]).mean(axis=0)
        for k, name in enumerate(res.layout.dyads):
            out[f"p_{band} {name}"] = float(share[k])
    mc = t["milex_change"].mean(axis=0)
    for k, code in enumerate(res.layout.codes):
        out[f"milex_change {code}"] = float(mc[k])
    return out


def _rank(x: np.ndarray) -> np.ndarray:
    from scipy.stats import rankdata

    return rankdata(x, method="average")


def _spearman(x: np.ndarray, y: np.ndarray) -> float:
    """Spearman's rank correlation (:func:`scipy.stats.spearmanr`); NaN for a constant input."""
    from scipy.stats import spearmanr

    if np.ptp(x) == 0 or np.ptp(y) == 0:
        return math.nan
    return float(spearmanr(x, y).statistic)


def sensitivity_table(points: pd.DataFrame, parameters: Sequence[str], outcomes: Sequence[str]) -> pd.DataFrame:
    """Rank correlation and standardised rank regression of each outcome on each parameter."""
    s = len(points)
    rows = []
    if s < 3:
        return pd.DataFrame(columns=["outcome", "parameter", "spearman", "srrc", "r2", "weak"])
    ranks = np.column_stack([_rank(points[p].to_numpy()) for p in parameters]) if parameters else np.zeros((s, 0))
    z_ranks = (ranks - ranks.mean(axis=0)) / np.where(ranks.std(axis=0) > 0, ranks.std(axis=0), 1.0)
    noise = 2.0 / math.sqrt(s)
    for o in outcomes:
        y = points[o].to_numpy(dtype=float)
        if np.nanstd(y) == 0 or np.isnan(y).any():
            continue
        ry = _rank(y)
        zy = (ry - ry.mean()) / ry.std()
        beta, *_ = np.linalg.lstsq(z_ranks, zy, rcond=None)
        resid = zy - z_ranks @ beta
        r2 = 1.0 - float(resid @ resid) / float(zy @ zy)
        for j, p in enumerate(parameters):
            rho = _spearman(points[p].to_numpy(dtype=float), y)
            rows.append({"outcome": o, "parameter": p, "spearman": rho, "srrc": float(beta[j]), "r2": r2,
                         "weak": bool(abs(rho) < noise) if not math.isnan(rho) else True})
    df = pd.DataFrame(rows, columns=["outcome", "parameter", "spearman", "srrc", "r2", "weak"])
    if len(df):
        df = df.assign(_a=df["spearman"].abs()).sort_values(["outcome", "_a"], ascending=[True, False]).drop(columns="_a")
    return df.reset_index(drop=True)


@dataclass
class SweepResult:
    """A sweep's design, per-point outcomes and sensitivity."""

    scenario: Any
    variant: str
    parameters: list[str]
    ranges: list[tuple[float, float]]
    seed: int
    samples: int
    runs: int
    seeds: list[int]
    points: pd.DataFrame
    sensitivity: pd.DataFrame
    failures: list[dict[str, Any]] = field(default_factory=list)
    partial: bool = False
    seconds: float = 0.0
    executor: dict[str, Any] = field(default_factory=dict)
    #: Runs (over all points) that neither finished nor failed, and whether Ctrl-C stopped the sweep.
    not_run: int = 0
    interrupted: bool = False

    def drivers(self, outcome: str, k: int = 3) -> pd.DataFrame:
        """Return the parameters that move ``outcome`` most (by |spearman|)."""
        s = self.sensitivity
        return s[s["outcome"] == outcome].head(k)

    def top(self, k: int = 10) -> pd.DataFrame:
        """Return the strongest parameter–outcome links overall."""
        s = self.sensitivity
        if s.empty:
            return s
        return s.assign(_a=s["spearman"].abs()).sort_values("_a", ascending=False).drop(columns="_a").head(k)

    def summary_text(self) -> str:
        """Which assumptions the headline outcomes hang on, in words."""
        lines = [f"{self.scenario.title} — sweep of {len(self.parameters)} parameter(s) over {self.samples} "
                 f"Latin-hypercube points × {self.runs} runs (seed {self.seed}, the same seeds at every point)."]
        if self.failures:
            lines.append(f"{len(self.failures)} run(s) failed and are left out.")
        if self.partial:
            lines.append("PARTIAL: not every run finished.")
        for o in HEADLINE:
            d = self.drivers(o, 3)
            if d.empty:
                lines.append(f"  {o}: does not vary across the sweep.")
                continue
            parts = [f"{r['parameter']} (ρ = {r['spearman']:+.2f}{', weak' if r['weak'] else ''})" for _, r in d.iterrows()]
            lines.append(f"  {o} (R² of ranks {d['r2'].iloc[0]:.2f}) moves most with " + ", then ".join(parts) + ".")
        return "\n".join(lines)

    def manifest(self) -> dict[str, Any]:
        """Describe what produced the sweep (manifest.json)."""
        return {"schema": MANIFEST_SCHEMA, "kind": "sweep", "scenario": self.scenario.id, "title": self.scenario.title,
                "scenario_hash": scenario_hash(self.scenario), "variant": self.variant, "seed": self.seed,
                "samples": self.samples, "runs_per_point": self.runs, "seeds": list(self.seeds),
                "uncertainties": [{"parameter": p, "low": lo, "high": hi} for p, (lo, hi) in zip(self.parameters, self.ranges, strict=True)],
                "design": "latin hypercube", "sensitivity": "spearman rank correlation; standardised rank regression",
                "partial": self.partial, "failures": self.failures, "executor": self.executor,
                "workers": self.executor.get("workers"), "timing": {"wall_seconds": round(self.seconds, 4)}, **environment()}

    def to_json(self) -> dict[str, Any]:
        """Return the ``--json`` output of ``flashpoint sweep`` (schema in docs/cli.md)."""
        m = self.manifest()
        return {"schema": "flashpoint.sweep/1", **{k: m[k] for k in ("scenario", "title", "scenario_hash", "variant", "seed",
                                                                     "samples", "runs_per_point", "uncertainties", "partial",
                                                                     "failures", "timing")},
                "points": records(self.points), "sensitivity": records(self.sensitivity), "summary": self.summary_text()}

    def to_dir(self, path: str, format: str = "parquet") -> list[str]:  # noqa: A002
        """Write points, sensitivity and manifest."""
        return write_sweep(self, path, format=format)


def run_sweep(scenario: Any, samples: int = 50, runs: int = 20, seed: int = 0, variant: str | None = None,
              executor: Any = "process", workers: int | None = None, progress: Callable[[int, int], None] | None = None,
              *, scheduler: str | None = None, parameters: Sequence[str] | None = None, **kwargs: Any) -> SweepResult:
    """Latin-hypercube sweep over the scenario's uncertainties (see the module docstring).

    Args:
        scenario: A scenario with ``uncertainties``.
        samples: Points of the design.
        runs: Replications per point (the same seeds at every point).
        seed: Master seed (design and runs).
        variant: Sweep a variant instead of the baseline.
        parameters: Only these uncertainties (default: all).
        executor: As :func:`~sim.ensemble.run_ensemble`.
        workers: As :func:`~sim.ensemble.run_ensemble`.
        progress: ``progress(done, total)`` over all runs of all points.
        scheduler: As :func:`~sim.ensemble.run_ensemble`.
        **kwargs: Passed to :func:`~sim.ensemble.run_many`.

    Raises:
        FlashpointError: no uncertainties, a range outside a parameter's valid values, bad sizes.
    """
    if int(samples) < 3:
        raise FlashpointError(f"a sweep needs at least 3 samples, got {samples}")
    base = scenario.with_variant(variant) if variant else scenario
    us = list(scenario.uncertainties)
    if parameters:
        known = {u.parameter for u in us}
        missing = [p for p in parameters if p not in known]
        if missing:
            raise FlashpointError(f"not an uncertainty of this scenario: {', '.join(missing)} (declared: {', '.join(sorted(known)) or 'none'})")
        us = [u for u in us if u.parameter in set(parameters)]
    if not us:
        raise FlashpointError(f"scenario '{scenario.id}' declares no uncertainties to sweep (add an 'uncertainties:' list)")
    design = latin_hypercube(int(samples), len(us), np.random.SeedSequence([int(seed), 0x1A5]))
    values = np.array([[u.low + x * (u.high - u.low) for x, u in zip(row, us, strict=True)] for row in design])
    scs = [with_parameters(base, {u.parameter: float(v) for u, v in zip(us, row, strict=True)}) for row in values]
    labels = [f"point-{k}" for k in range(len(scs))]
    results = run_many(scenario, [], runs, seed, executor=executor, workers=workers, progress=progress,
                       scheduler=scheduler, scenarios=scs, labels=labels, dyad_levels=False, **kwargs)
    rows = []
    failures = []
    for k, (row, res) in enumerate(zip(values, results, strict=True)):
        rec: dict[str, Any] = {"point": k, **{u.parameter: float(v) for u, v in zip(us, row, strict=True)},
                               "completed": res.completed}
        rec.update(_point_outcomes(res))
        rows.append(rec)
        failures += [{"point": k, **f} for f in res.failures]
    points = pd.DataFrame(rows)
    names = [u.parameter for u in us]
    outcome_cols = [c for c in points.columns if c not in ("point", "completed", *names)]
    sens = sensitivity_table(points, names, outcome_cols)
    r0 = results[0]
    return SweepResult(scenario=scenario, variant=variant or "baseline", parameters=names,
                       ranges=[(u.low, u.high) for u in us], seed=int(seed), samples=int(samples), runs=int(runs),
                       seeds=list(r0.seeds), points=points, sensitivity=sens, failures=failures,
                       partial=any(r.partial for r in results), seconds=r0.report.seconds, executor=r0.report.executor,
                       not_run=sum(r.report.not_run for r in results), interrupted=r0.report.interrupted)
