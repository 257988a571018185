"""The public API answers wrong arguments with clear errors, never a bare TypeError or truncation."""

from __future__ import annotations

import numpy as np
import pytest

import sim
from sim.errors import FlashpointError
from tests.conftest import FOUNDING


@pytest.fixture(scope="module")
def sc():
    return sim.load_scenario(FOUNDING)


def test_load_scenario_refuses_yaml_text_and_bytes_with_a_pointer_to_parse_scenario():
    text = FOUNDING.read_text(encoding="utf-8")
    with pytest.raises(FlashpointError, match="parse_scenario"):
        sim.load_scenario(text)
    with pytest.raises(FlashpointError, match="parse_scenario"):
        sim.load_scenario(text.encode())
    with pytest.raises(FlashpointError, match="file path"):
        sim.load_scenario(42)
    assert sim.parse_scenario(text).id == sim.load_scenario(str(FOUNDING)).id
    with pytest.raises(FlashpointError, match="load_scenario"):
        sim.parse_scenario(FOUNDING)  # a Path is not text


def test_seed_none_is_the_documented_default_and_non_integers_are_refused(sc):
    short = sc.model_copy(update={"calendar": sc.calendar.model_copy(update={"horizon": 3})})
    a = sim.run_scenario(short, seed=None, record="summary")
    b = sim.run_scenario(short, seed=0, record="summary")
    assert a.seed == 0 and np.array_equal(a.peak, b.peak)
    assert sim.run_scenario(short, seed=np.int64(3), record="summary").seed == 3
    for bad in (1.5, 2.0, True, False, "3", -1):
        with pytest.raises(FlashpointError, match="non-negative integer"):
            sim.run_scenario(short, seed=bad)
    with pytest.raises(FlashpointError, match="load it first"):
        sim.run_scenario(str(FOUNDING))


def test_ensemble_seed_and_runs_are_checked_not_truncated(sc):
    from sim.ensemble import run_ensemble

    for bad in (1.5, True):
        with pytest.raises(FlashpointError, match="non-negative integer"):
            run_ensemble(sc, runs=2, seed=bad, executor="inprocess")
    with pytest.raises(FlashpointError, match="runs must be"):
        run_ensemble(sc, runs=2.7, executor="inprocess")
