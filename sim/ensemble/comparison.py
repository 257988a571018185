"""Comparisons, run: the baseline and its variants on the same seeds, then compared.

The ensemble layer's part of a comparison: :func:`compare` runs the baseline and each variant as
ensembles with the same child seeds (common random numbers) on one executor
(:func:`~sim.ensemble.ensemble.run_many`), hands the finished ensembles to the analysis
(:func:`sim.analysis.compare_results`, which only reads results) and returns a
:class:`ComparisonResult`, which adds what a run comparison can do beyond the analysis: its
``--json`` document (with the scenario's hash) and writing it to a directory.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sim.analysis.compare import Comparison, compare_results
from sim.analysis.outcomes import records
from sim.analysis.stats import BOOTSTRAP
from sim.ensemble.ensemble import run_many
from sim.errors import FlashpointError
from sim.storage.manifest import scenario_hash
from sim.storage.results import write_comparison

__all__ = ["compare", "ComparisonResult"]


@dataclass
class ComparisonResult(Comparison):
    """A :class:`~sim.analysis.Comparison` of ensembles run here: also JSON and files."""

    def to_json(self) -> dict[str, Any]:
        """Return the ``--json`` output of ``flashpoint compare`` (schema in docs/cli.md)."""
        b = self.baseline
        return {
            "schema": "flashpoint.comparison/1",
            "scenario": b.scenario.id,
            "title": b.scenario.title,
            "scenario_hash": scenario_hash(b.base_scenario),
            "seed": b.seed,
            "runs": self.runs,
            "seeds": list(b.seeds),
            "partial": self.partial,
            "variants": [{"name": v.variant, "title": self.titles.get(v.variant, v.variant), "completed": v.completed,
                          "failed": len(v.failures), "failures": v.failures,
                          **self.correlation_summary().get(v.variant, {})} for v in self.variants],
            "baseline": {"completed": b.completed, "failed": len(b.failures), "failures": b.failures},
            "verdicts": list(self.verdicts),
            "comparisons": records(self.table),
            "timing": {"wall_seconds": round(b.report.seconds, 4)},
            "executor": b.report.executor,
        }

    def to_dir(self, path: str, format: str = "parquet") -> list[str]:  # noqa: A002
        """Write the comparison table, every ensemble's tables and a manifest."""
        return write_comparison(self, path, format=format)


def compare(scenario: Any, variants: Sequence[str] | None = None, runs: int = 200, seed: int = 0,
            executor: Any = "process", workers: int | None = None, progress: Callable[[int, int], None] | None = None,
            *, scheduler: str | None = None, keep_runs: bool = False, precision: float = 0.02,
            resamples: int = BOOTSTRAP, **kwargs: Any) -> ComparisonResult:
    """Run the baseline and each variant with the same seeds (common random numbers) and compare.

    Args:
        scenario: The scenario.
        variants: Variant names (default: all of the scenario's variants).
        runs: Paired replications per ensemble.
        seed: Master seed (the same child seeds for every ensemble).
        executor: As :func:`sim.ensemble.run_ensemble`; one executor serves every ensemble.
        workers: Worker processes.
        progress: ``progress(done, total)``, counting the runs of all ensembles.
        scheduler: Dask scheduler address.
        keep_runs: Keep every run's digest.
        precision: Wanted half-width of a difference's interval (for ``runs_needed``).
        resamples: Bootstrap resamples.
        kwargs: Passed to :func:`sim.ensemble.run_many` (``batch_size``, ``run_fn``, …).

    Raises:
        FlashpointError: no variants, unknown variant, bad runs or executor.
    """
    names = list(variants) if variants else scenario.variant_names()
    if not names:
        raise FlashpointError(f"scenario '{scenario.id}' has no variants to compare")
    known = scenario.variant_names()
    unknown = [v for v in names if v not in known]
    if unknown:
        raise FlashpointError(f"no variant {', '.join(repr(u) for u in unknown)} in scenario '{scenario.id}' "
                              f"(known: {', '.join(known) or 'none'})")
    results = run_many(scenario, [None, *names], runs, seed, executor=executor, workers=workers, keep_runs=keep_runs,
                       progress=progress, scheduler=scheduler, precision=precision, resamples=resamples, **kwargs)
    titles = {v.name: (v.title or v.name) for v in scenario.variants}
    cmp = compare_results(results[0], results[1:], titles=titles, resamples=resamples, precision=precision)
    return ComparisonResult(**{f: getattr(cmp, f) for f in Comparison.__dataclass_fields__})
