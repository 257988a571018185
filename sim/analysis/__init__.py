"""Analysis of ensemble results: streaming aggregation, outcome statistics, comparisons.

Key parts: :class:`EnsembleAggregator` (per-run indicators plus bounded fan-chart state,
:mod:`sim.analysis.aggregate`), the quantile estimators (:mod:`sim.analysis.quantiles`), interval
estimates (:mod:`sim.analysis.stats`: Wilson, Newcombe, bootstrap, runs needed), outcome tables
(:mod:`sim.analysis.outcomes`) and paired comparisons with verdicts in words
(:func:`compare_results`, :class:`Comparison`, :mod:`sim.analysis.compare`). Analysis works on
results, never on the model, and imports neither :mod:`sim.ensemble` nor :mod:`sim.storage`:
running the baseline and the variants first is :func:`sim.ensemble.compare`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sim._lazy import lazy_exports

if TYPE_CHECKING:
    from sim.analysis.aggregate import EnsembleAggregator, RunTable
    from sim.analysis.compare import Comparison, compare_results
    from sim.analysis.digest import Layout, RunBatch, RunDigest
    from sim.analysis.outcomes import outcome_table
    from sim.analysis.stats import (
        bootstrap_ci,
        bootstrap_diff,
        bootstrap_means,
        newcombe,
        runs_needed,
        wilson,
    )

#: Where each public name lives; imported on first use (PEP 562), so that a worker process, which
#: needs only :mod:`sim.analysis.digest` (numpy), never imports pandas for the statistics.
_HOME = {
    "EnsembleAggregator": "aggregate", "RunTable": "aggregate", "Comparison": "compare", "compare_results": "compare",
    "Layout": "digest", "RunBatch": "digest", "RunDigest": "digest",
    "outcome_table": "outcomes", "bootstrap_ci": "stats", "bootstrap_diff": "stats", "bootstrap_means": "stats",
    "newcombe": "stats", "runs_needed": "stats", "wilson": "stats",
}


__getattr__, __dir__ = lazy_exports(__name__, _HOME)


__all__ = [
    "Comparison",
    "EnsembleAggregator",
    "Layout",
    "RunBatch",
    "RunDigest",
    "RunTable",
    "bootstrap_ci",
    "bootstrap_diff",
    "bootstrap_means",
    "compare_results",
    "newcombe",
    "outcome_table",
    "runs_needed",
    "wilson",
]
