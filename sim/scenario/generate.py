"""Generated scenarios: a world of real states from the catalog, with no scripted events.

Used for the 'dangerous dyads' validation (docs/validation.md) and the world-size benchmark.
Pure data: it reads the shipped catalog, builds a :class:`~sim.scenario.schema.Scenario`.
"""

from __future__ import annotations

import datetime as dt

from sim.scenario.schema import Scenario

__all__ = ["world_scenario"]


def world_scenario(year: int = 2010, *, horizon: int = 52, step: str = "week", codes: list[str] | None = None,
                   lens: str | None = None) -> Scenario:
    """Every state of the catalog in ``year`` (or the given ``codes``), weekly for ``horizon`` steps.

    Alliances and rivalries come from the catalog of that year; there are no scripted events, so
    everything that happens is the model's own dynamics.
    """
    from sim.catalog import load_catalog

    cat = load_catalog()
    codes = list(codes) if codes is not None else cat.codes(year)
    data = {
        "id": f"world-{year}",
        "title": f"The world of {year}: every state in the catalog, no scripted events",
        "briefing": {"summary": f"All {len(codes)} states of the COW system in {year}, with their capabilities, "
                                "alliances (ATOP), contiguity, distances, regimes and rivalries. Nothing is scripted.",
                     "question": "Which dyads does the model make dangerous?"},
        "data_year": year,
        "calendar": {"start": dt.date(year, 1, 1), "step": step, "horizon": horizon},
        "actors": [{"code": c} for c in codes],
        "lens": lens,
    }
    return Scenario.model_validate(data)
