"""Quiet variants: a scenario's starting world with nothing scheduled to happen.

A *quiet* variant keeps everything a scenario says about its start — the actors and their
overrides, alliances, rivalries, trade and institutional ties, initial tensions, wars and sanctions
in force, parameters and uncertainties — and removes its scheduled events (and with them its
variants, which are written against those events). Whatever happens in a quiet run is the model's
own dynamics: the validation measures that quiet worlds stay about as quiet as history
(docs/validation.md) and that a scenario's events change its outcomes.

:func:`one_year` sets a scenario's horizon to one year in its own step unit (52 weeks or 365
days), so that rates measured on scenarios with different step lengths are comparable.

Pure data: the results are validated :class:`~sim.scenario.schema.Scenario` objects.
"""

from __future__ import annotations

import math
from typing import Any

from sim.errors import Issue, ScenarioError
from sim.scenario.schema import Scenario

__all__ = ["quiet_scenario", "one_year", "steps_per_year", "DAYS_PER_YEAR"]

#: Days in a year, for scaling horizons and rates.
DAYS_PER_YEAR = 365.25


def _validated(data: dict[str, Any], what: str) -> Scenario:
    sc = Scenario.model_validate(data)
    issues = sc.semantic_issues()
    if issues:
        raise ScenarioError([Issue(file=f"<{what}>", line=0, col=0, path=".".join(map(str, loc)), message=msg)
                             for loc, msg in issues])
    return sc


def quiet_scenario(scenario: Scenario) -> Scenario:
    """The same start as ``scenario`` with its scheduled events (and variants) removed.

    The id gets the suffix ``-quiet`` and the title says "no scheduled events". A variant already
    applied to ``scenario`` stays applied (its start is kept; its events are removed too).

    Raises:
        ScenarioError: if the result does not validate (it always should: a start without events
            is a valid scenario).
    """
    data = scenario.model_dump(mode="python", exclude_none=False)
    data["events"] = ()
    data["variants"] = ()
    base_id = scenario.id[: 64 - len("-quiet")]
    data["id"] = f"{base_id}-quiet"
    data["title"] = f"{scenario.title[: 200 - 25]} (no scheduled events)"
    return _validated(data, f"quiet variant of {scenario.id}")


def steps_per_year(scenario: Scenario) -> int:
    """Steps in one year of the scenario's calendar (52 for weeks, 365 for days)."""
    return int(math.floor(DAYS_PER_YEAR / scenario.calendar.step_days))


def one_year(scenario: Scenario) -> Scenario:
    """``scenario`` with its horizon set to one year in its own step unit.

    Raises:
        ScenarioError: if a scheduled event then falls outside the horizon (a scenario longer than
            a year whose events come late); run its quiet variant instead.
    """
    data = scenario.model_dump(mode="python", exclude_none=False)
    data["calendar"] = dict(data["calendar"], horizon=steps_per_year(scenario))
    return _validated(data, f"one-year run of {scenario.id}")
