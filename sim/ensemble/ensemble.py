"""Ensembles: many seeded replications of one scenario, aggregated as they finish.

:func:`run_ensemble` is the entry point of the library, the CLI and the app::

    from sim.ensemble import run_ensemble

    res = run_ensemble(scenario, runs=200, seed=0, variant="forceful-us")
    res.outcomes                        # one row per outcome, with 95 % intervals
    res.fan("level", dyad="USA–RUS")    # per-step median and 50 %/90 % bands
    res.to_dir("out/")                  # Parquet tables + manifest.json

Replication ``k`` runs with seed ``child_seeds(seed, runs)[k]`` (see :mod:`sim.ensemble.seeds`),
whatever the executor; the baseline and every variant of a comparison use the same seeds.
"""

from __future__ import annotations

import concurrent.futures as cf
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from sim.analysis.aggregate import EnsembleAggregator
from sim.analysis.digest import BAND_RUNGS, Layout
from sim.analysis.outcomes import outcome_table, records
from sim.ensemble.engine import Job, Report, execute
from sim.ensemble.executors import ExecutorHandle, open_executor
from sim.ensemble.seeds import check_seed, child_seeds
from sim.ensemble.worker import RunFn
from sim.errors import FlashpointError
from sim.storage.manifest import MANIFEST_SCHEMA, environment, scenario_hash
from sim.storage.results import write_ensemble

__all__ = ["run_ensemble", "run_many", "EnsembleResult", "DYAD_LEVELS_LIMIT", "layout_of"]

#: Per-dyad per-step rungs (fan charts and heat maps per dyad) are recorded up to this many dyads.
DYAD_LEVELS_LIMIT = 2000

Progress = Callable[[int, int], None]


def layout_of(scenario: Any) -> Layout:
    """Return the :class:`~sim.analysis.digest.Layout` of a scenario (a variant already applied)."""
    cal = scenario.calendar
    return Layout(codes=tuple(scenario.codes), horizon=cal.horizon,
                  dates=tuple(cal.date_of(t).isoformat() for t in range(cal.horizon + 1)))


@dataclass
class EnsembleResult:
    """The aggregated outcome of an ensemble (see :func:`run_ensemble`)."""

    scenario: Any
    base_scenario: Any
    variant: str
    seed: int
    seeds: list[int]
    aggregator: EnsembleAggregator
    report: Report
    precision: float = 0.02
    resamples: int = 2000
    meta: dict[str, Any] = field(default_factory=dict)

    # ---------------------------------------------------------------- status
    @property
    def runs(self) -> int:
        """Replications requested."""
        return len(self.seeds)

    @property
    def completed(self) -> int:
        """Replications that finished without error."""
        return self.aggregator.n

    @property
    def failures(self) -> list[dict[str, Any]]:
        """Runs that raised: ``{"seed", "index", "error"}`` each (replay with ``flashpoint run --seed``)."""
        return [{"seed": f["seed"], "index": f["index"], "error": f["error"]} for f in self.aggregator.failed]

    @property
    def partial(self) -> bool:
        """True when not every replication ran (interrupted, or the executor broke)."""
        return bool(self.report.partial)

    @property
    def layout(self) -> Layout:
        """Actors, dyads, steps and dates."""
        return self.aggregator.layout

    @property
    def table(self):
        """The per-run indicators (:class:`~sim.analysis.aggregate.RunTable`)."""
        return self.aggregator.table

    @property
    def title(self) -> str:
        """The variant's title (or the scenario's, for the baseline)."""
        for v in getattr(self.base_scenario, "variants", ()):
            if v.name == self.variant:
                return v.title or v.name
        return "baseline" if self.variant == "baseline" else self.variant

    @property
    def runs_kept(self) -> list:
        """Per-run digests (only with ``keep_runs=True``)."""
        return self.aggregator.runs

    # ---------------------------------------------------------------- tables
    @cached_property
    def outcomes(self) -> pd.DataFrame:
        """One row per outcome: outcome, kind, dyad, actor, estimate, lo, hi, n, se, runs_needed, label."""
        return outcome_table(self.aggregator.table, self.layout, seed=self.seed, resamples=self.resamples,
                             precision=self.precision)

    @cached_property
    def per_run(self) -> pd.DataFrame:
        """Per-run indicators, one row per run and dyad.

        Columns: index, seed, dyad, peak, final, first_violence, first_war, first_nuclear (step or
        -1), alliance_formed, alliance_lapsed.
        """
        t = self.aggregator.table
        lay = self.layout
        r, d = t.size, lay.d
        first = t["first"]
        return pd.DataFrame({
            "index": np.repeat(t["index"], d),
            "seed": np.repeat(t["seed"], d),
            "dyad": np.tile(np.asarray(lay.dyads, dtype=object), r),
            "peak": t["peak"].reshape(-1),
            "final": t["final"].reshape(-1),
            **{f"first_{band}": first[:, b, :].reshape(-1) for b, band in enumerate(BAND_RUNGS)},
            "alliance_formed": t["alliance_new"].reshape(-1),
            "alliance_lapsed": t["alliance_lost"].reshape(-1),
        })

    @cached_property
    def per_run_actors(self) -> pd.DataFrame:
        """Per-run per-actor indicators: index, seed, actor, milex_change."""
        t = self.aggregator.table
        n = self.layout.n
        return pd.DataFrame({"index": np.repeat(t["index"], n), "seed": np.repeat(t["seed"], n),
                             "actor": np.tile(np.asarray(self.layout.codes, dtype=object), t.size),
                             "milex_change": t["milex_change"].reshape(-1)})

    @cached_property
    def per_run_system(self) -> pd.DataFrame:
        """Per-run system indicators: index, seed, system_peak, any_violence/war/nuclear, alliances_formed."""
        t = self.aggregator.table
        sp = t["system_peak"]
        return pd.DataFrame({"index": t["index"], "seed": t["seed"], "system_peak": sp,
                             **{f"any_{band}": sp >= rung for band, rung in BAND_RUNGS.items()},
                             "alliances_formed": t["alliance_new"].sum(axis=1)})

    @cached_property
    def per_run_support(self) -> pd.DataFrame:
        """Per-run support, one row per run and ordered pair that gave any: index, seed, supporter, partner, support.

        ``support`` is the highest degree given during the run (1 statement, 2 arms, 3 troops, 4
        joined the partner's fight); pairs and runs without support have no row.
        """
        t = self.aggregator.table
        r, i, k = np.nonzero(t["support"])
        codes = np.asarray(self.layout.codes, dtype=object)
        return pd.DataFrame({"index": t["index"][r], "seed": t["seed"][r], "supporter": codes[i], "partner": codes[k],
                             "support": t["support"][r, i, k]})

    def fan(self, metric: str = "level", dyad: str | None = None, actor: str | None = None) -> pd.DataFrame:
        """Fan-chart data: step, date, q05, q25, q50, q75, q95, mean, n (see ``EnsembleAggregator.fan``)."""
        return self.aggregator.fan(metric, dyad=dyad, actor=actor)

    def heatmap(self) -> pd.DataFrame:
        """Mean rung per dyad (rows) and step (columns)."""
        return self.aggregator.heatmap()

    def top_outcomes(self, k: int = 12) -> pd.DataFrame:
        """Return the band probabilities most worth a look (highest estimates first)."""
        o = self.outcomes
        band = o[o["outcome"].isin([f"p_{b}" for b in BAND_RUNGS] + [f"p_any_{b}" for b in BAND_RUNGS])]
        band = band[band["estimate"] > 0].sort_values(["estimate", "outcome"], ascending=[False, True])
        return band.head(k)

    # ---------------------------------------------------------------- output
    def manifest(self) -> dict[str, Any]:
        """Describe what produced these results (written as manifest.json)."""
        rep = self.report
        return {
            "schema": MANIFEST_SCHEMA,
            "kind": "ensemble",
            "scenario": self.scenario.id,
            "title": self.scenario.title,
            "scenario_hash": scenario_hash(self.base_scenario),
            "run_scenario_hash": scenario_hash(self.scenario),
            "variant": self.variant,
            "variant_title": self.title,
            "seed": self.seed,
            "runs": self.runs,
            "completed": self.completed,
            "failed": len(self.failures),
            "partial": self.partial,
            "interrupted": rep.interrupted,
            "seeds": list(self.seeds),
            "failures": self.failures,
            "executor": rep.executor,
            "workers": rep.executor.get("workers"),
            "timing": {"wall_seconds": round(rep.seconds, 4), "runs_per_second": round(self.completed / rep.seconds, 3) if rep.seconds else None,
                       "mean_run_seconds": round(self.aggregator.run_seconds / max(1, self.completed), 6), "tasks": rep.tasks},
            "dyad_levels": self.aggregator.dyad_levels,
            "layout": self.layout.to_json(),
            "statistics": {"interval": "95%", "proportions": "Wilson", "means_medians": "percentile bootstrap",
                           "bootstrap_resamples": self.resamples, "precision": self.precision},
            "state_bytes": self.aggregator.state_nbytes,
            **environment(),
            **self.meta,
        }

    def to_json(self) -> dict[str, Any]:
        """Return the ``--json`` output of ``flashpoint ensemble`` (schema in docs/cli.md)."""
        m = self.manifest()
        out: dict[str, Any] = {"schema": "flashpoint.ensemble/1"}
        out.update({k: m[k] for k in ("scenario", "title", "scenario_hash", "variant", "variant_title", "seed", "runs",
                                      "completed", "failed", "partial", "failures", "executor", "timing")})
        out["seeds"] = list(self.seeds)
        out["outcomes"] = records(self.outcomes)
        return out

    def to_dir(self, path: str, format: str = "parquet") -> list[str]:  # noqa: A002 — the documented name
        """Write tables and manifest.json to ``path``; returns the files written."""
        return write_ensemble(self, path, format=format)

    def summary_text(self) -> str:
        """Summarise the ensemble in a few lines for people."""
        lines = [f"{self.scenario.title} — {self.variant}: {self.completed} of {self.runs} runs"
                 + (f" ({len(self.failures)} failed)" if self.failures else "")
                 + (" — PARTIAL" if self.partial else "")]
        for _, r in self.top_outcomes(8).iterrows():
            lines.append(f"  {r['label']}: {_pct(r['estimate'])} [{_pct(r['lo'])}–{_pct(r['hi'])}]")
        return "\n".join(lines)


def _pct(x: float) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "n/a"
    v = 100 * x
    return f"{v:.0f}%" if v >= 10 or v == 0 else f"{v:.1f}%"


def _apply_variant(scenario: Any, variant: str | None) -> Any:
    try:
        return scenario.with_variant(variant) if variant else scenario
    except KeyError as exc:
        raise FlashpointError(str(exc).strip("'\"")) from None


def run_many(scenario: Any, variants: Sequence[str | None], runs: int = 200, seed: int = 0, *,
             executor: str | cf.Executor | Any = "process", workers: int | None = None, keep_runs: bool = False,
             progress: Progress | None = None, scheduler: str | None = None, dyad_levels: bool | None = None,
             batch_size: int | None = None, run_fn: RunFn | None = None, start_method: str | None = None,
             precision: float = 0.02, resamples: int = 2000, scenarios: Sequence[Any] | None = None,
             labels: Sequence[str] | None = None) -> list[EnsembleResult]:
    """Run several ensembles with the same seeds on one executor (used by compare and sweep).

    Args:
        scenario: The base scenario.
        variants: Variant names (``None`` or ``"baseline"``: the scenario as written).
        runs: Replications per ensemble.
        seed: Master seed; every ensemble uses the same child seeds.
        executor: See :func:`run_ensemble`.
        workers: See :func:`run_ensemble`.
        keep_runs: See :func:`run_ensemble`.
        progress: ``progress(done, total)`` over the runs of all ensembles.
        scheduler: See :func:`run_ensemble`.
        dyad_levels: See :func:`run_ensemble`.
        batch_size: See :func:`run_ensemble`.
        run_fn: See :func:`run_ensemble`.
        start_method: See :func:`run_ensemble`.
        precision: See :func:`run_ensemble`.
        resamples: See :func:`run_ensemble`.
        scenarios: Instead of variants, ready scenarios to run (e.g. sweep points).
        labels: Names of ``scenarios``.
    """
    seed = check_seed(seed)
    runs = check_seed(runs, "runs")
    if runs < 1:
        raise FlashpointError(f"runs must be at least 1, got {runs}")
    try:
        seeds = child_seeds(seed, runs)
    except ValueError as exc:
        raise FlashpointError(str(exc)) from None
    if scenarios is None:
        scs = [_apply_variant(scenario, v) for v in variants]
        names = [v or "baseline" for v in variants]
    else:
        scs = list(scenarios)
        names = list(labels or [f"point-{k}" for k in range(len(scs))])
    aggs = []
    jobs = []
    for sc, name in zip(scs, names, strict=True):
        lay = layout_of(sc)
        dl = (lay.d <= DYAD_LEVELS_LIMIT) if dyad_levels is None else bool(dyad_levels)
        agg = EnsembleAggregator(lay, dyad_levels=dl, keep_runs=keep_runs)
        aggs.append(agg)
        jobs.append(Job(scenario=sc, seeds=seeds, sink=agg.add, batch_sink=agg.add_batch, dyad_levels=dl, label=name))
    handle = executor if isinstance(executor, ExecutorHandle) else open_executor(executor, workers, scheduler, start_method)
    t0 = time.perf_counter()
    try:
        report = execute(jobs, handle, progress=progress, batch_size=batch_size, run_fn=run_fn)
    finally:
        if not isinstance(executor, ExecutorHandle):
            handle.close()
    wall = time.perf_counter() - t0
    out = []
    for sc, name, agg in zip(scs, names, aggs, strict=True):
        agg.finish()
        rep = Report(total=len(seeds), ok=agg.n, failures=list(agg.failed), partial=report.partial,
                     interrupted=report.interrupted, seconds=wall, tasks=report.tasks, run_seconds=agg.run_seconds,
                     executor=report.executor)
        rep.not_run = len(seeds) - agg.n - len(agg.failed)
        rep.partial = rep.partial or rep.not_run > 0
        out.append(EnsembleResult(scenario=sc, base_scenario=scenario, variant=name, seed=int(seed), seeds=seeds,
                                  aggregator=agg, report=rep, precision=precision, resamples=resamples))
    return out


def run_ensemble(scenario: Any, runs: int = 200, seed: int = 0, variant: str | None = None,
                 executor: str | cf.Executor | Any = "process", workers: int | None = None, keep_runs: bool = False,
                 progress: Progress | None = None, *, scheduler: str | None = None, dyad_levels: bool | None = None,
                 batch_size: int | None = None, run_fn: RunFn | None = None, start_method: str | None = None,
                 precision: float = 0.02, resamples: int = 2000) -> EnsembleResult:
    """Run ``runs`` seeded replications of ``scenario`` (optionally a ``variant``) and aggregate them.

    Args:
        scenario: A validated :class:`~sim.scenario.schema.Scenario`.
        runs: Number of replications.
        seed: Master seed; replication ``k`` uses ``child_seeds(seed, runs)[k]``.
        variant: A variant name of the scenario (``None``/``"baseline"``: as written).
        executor: ``"process"`` (default: local worker processes), ``"inprocess"``, ``"dask"``, a
            :class:`concurrent.futures.Executor` or a ``dask.distributed.Client``.
        workers: Worker processes (default: every core) or local Dask workers.
        keep_runs: Keep every run's full digest (trajectories) in memory and in ``to_dir``.
        progress: Called as ``progress(done, total)`` as runs finish.
        scheduler: Address of a Dask scheduler (``tcp://HOST:PORT``); implies ``executor="dask"``.
        dyad_levels: Record per-dyad per-step rungs (default: when there are at most
            :data:`DYAD_LEVELS_LIMIT` dyads).
        batch_size: Runs per task (default: adaptive).
        run_fn: Replaces the run function (tests, extensions); picklable for processes and Dask.
        start_method: Multiprocessing start method of the local pool (default: see
            :mod:`sim.ensemble.executors`).
        precision: Wanted half-width of a probability's interval, for ``runs_needed``.
        resamples: Bootstrap resamples.

    Returns:
        An :class:`EnsembleResult`. Ctrl-C returns what finished, with ``partial`` set.

    Raises:
        FlashpointError: bad runs/seed/workers, unknown variant or executor, Dask unavailable.
    """
    return run_many(scenario, [variant], runs, seed, executor=executor, workers=workers, keep_runs=keep_runs,
                    progress=progress, scheduler=scheduler, dyad_levels=dyad_levels, batch_size=batch_size,
                    run_fn=run_fn, start_method=start_method, precision=precision, resamples=resamples)[0]
