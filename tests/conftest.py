"""Shared fixtures: the founding scenario and a small custom world."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "scenarios"
FOUNDING = SCENARIOS / "korea-russia-2024.yaml"


@pytest.fixture(scope="session")
def founding():
    from sim.scenario.loader import load_scenario

    return load_scenario(FOUNDING)


def small_scenario(events=(), horizon=8, **extra):
    """A five-state 2022 scenario with the given events (dicts) — for unit tests of mechanisms."""
    from sim.scenario.schema import Scenario

    data = {
        "id": "small",
        "title": "Small test world",
        "briefing": {"summary": "test"},
        "data_year": 2022,
        "calendar": {"start": "2024-01-01", "step": "week", "horizon": horizon},
        "actors": [{"code": c} for c in ("USA", "RUS", "CUB", "PRK", "ROK")],
        "events": list(events),
    }
    data.update(extra)
    return Scenario.model_validate(data)
