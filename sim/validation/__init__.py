"""Validation against real patterns, acceptance measurements and scoring against history.

Key parts:

- :mod:`~sim.validation.dyads` — the 'dangerous dyads' base rates (Bremer 1992):
  :func:`dyad_categories`, :func:`dangerous_dyads`, :data:`REAL_RATES` (real MID onset rates per
  1,000 dyad-years, 1946–2010, shipped in ``sim/data/base_rates_MID_1946-2010.csv``);
- :mod:`~sim.validation.onsets` — new disputes per dyad at each MID hostility level over seeded runs
  on the ensemble executors (:func:`measure_onsets`, :func:`hostility_rungs`);
- :mod:`~sim.validation.credibility` — quiet worlds against MID rates, events against quiet variants
  (paired; onset, peak and time-averaged measures), each event's own effect (leave one out), each
  state's top threat, each dyad's own MID record (:func:`quiet_world`, :func:`events_matter`,
  :func:`event_contributions`, :func:`top_threats`, :func:`own_record`);
- :mod:`~sim.validation.face` — the findings of the issue "A credible model", re-measured
  (:func:`face_validity`);
- :mod:`~sim.validation.world` — every dyad's predicted yearly chance of a new dispute in a catalog
  year (:func:`world_predictions`, the ``flashpoint world`` command);
- :mod:`~sim.validation.history` — those predictions scored (AUC, Brier) against the MID record,
  next to a Bremer-style logit fitted on other years (:func:`score_years`).

``scripts/validate_patterns.py`` renders all of them into docs/validation.md.
"""

from __future__ import annotations

from sim._lazy import lazy_exports
from sim.validation.dyads import REAL_RATES, dangerous_dyads, dyad_categories

#: Where each lazily imported public name lives (pandas and statsmodels load on first use).
_HOME = {
    "measure_onsets": "onsets", "hostility_rungs": "onsets", "Onsets": "onsets",
    "quiet_world": "credibility", "events_matter": "credibility", "top_threats": "credibility",
    "event_contributions": "credibility", "own_record": "credibility",
    "great_power_world": "credibility", "face_validity": "face", "world_predictions": "world",
    "score_years": "history", "fit_logit": "history", "auc": "history", "brier": "history",
}

__getattr__, __dir__ = lazy_exports(__name__, _HOME)

__all__ = [
    "REAL_RATES",
    "Onsets",
    "auc",
    "brier",
    "dangerous_dyads",
    "dyad_categories",
    "event_contributions",
    "events_matter",
    "face_validity",
    "fit_logit",
    "great_power_world",
    "hostility_rungs",
    "measure_onsets",
    "own_record",
    "quiet_world",
    "score_years",
    "top_threats",
    "world_predictions",
]
