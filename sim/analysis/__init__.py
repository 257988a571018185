"""Analysis of ensemble results: streaming aggregation, outcome statistics, comparisons.

Key parts: :class:`EnsembleAggregator` (per-run indicators plus bounded fan-chart state,
:mod:`sim.analysis.aggregate`), the quantile estimators (:mod:`sim.analysis.quantiles`), interval
estimates (:mod:`sim.analysis.stats`: Wilson, Newcombe, bootstrap, runs needed), outcome tables
(:mod:`sim.analysis.outcomes`) and paired comparisons with verdicts in words
(:func:`compare`, :class:`Comparison`, :mod:`sim.analysis.compare`). Analysis works on results,
never on the model: only :func:`compare`, a convenience, runs ensembles first.
"""

from sim.analysis.aggregate import EnsembleAggregator, RunTable
from sim.analysis.compare import Comparison, compare, compare_results
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
    "compare",
    "compare_results",
    "newcombe",
    "outcome_table",
    "runs_needed",
    "wilson",
]
