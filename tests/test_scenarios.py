"""Every bundled scenario validates and runs, with every variant."""

from __future__ import annotations

import numpy as np
import pytest

from sim.model import run_scenario
from sim.scenario.loader import load_scenario
from tests.conftest import SCENARIOS

FILES = sorted(SCENARIOS.glob("*.yaml"))


@pytest.mark.parametrize("path", FILES, ids=[f.stem for f in FILES])
def test_bundled_scenario_validates_and_every_variant_runs(path):
    sc = load_scenario(path)
    assert sc.briefing.summary.strip()
    for v in [None, *sc.variant_names()]:
        res = run_scenario(sc, seed=1, variant=v, record="summary")
        assert res.system["max_level"].max() <= 10
        assert np.isfinite(res.series["milex"]).all()


def test_founding_scenario_has_the_case():
    sc = load_scenario(SCENARIOS / "korea-russia-2024.yaml")
    assert sc.data_year == 2022
    assert set(sc.codes) >= {"RUS", "PRK", "USA", "ROK", "JPN", "CHN", "UKR", "CUB"}
    ids = {sc.event_id(k) for k in range(len(sc.events))}
    assert {"pact", "havana-visit"} <= ids
    assert len(sc.variants) >= 3
