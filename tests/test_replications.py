"""Replications stepped together: counter-based random streams and the independence of each run.

The model steps many replications in one set of ``[runs, N, N]`` arrays. These tests prove that a
replication's result depends on its own seed only — alone, in a batch, first or last in it — and
that the random numbers it draws are uniform, independent across purposes, steps, actors and
runs, and keyed by actor code (so that a variant adding an actor leaves the others' draws alone).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from sim.model import CrisisModel
from sim.model.streams import PURPOSE, run_keys, stream_key, uniform
from sim.scenario.loader import load_scenario

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml"))
SEEDS = [0, 1, 7, 42, 12345, 2**31 + 5]


# ----------------------------------------------------------------------------- streams
def test_run_keys_come_from_seed_sequence():
    keys = run_keys([0, 5, 2**40])
    for k, s in zip(keys, [0, 5, 2**40], strict=True):
        assert k == np.random.SeedSequence(s).generate_state(1, dtype=np.uint64)[0]


def test_draws_are_fixed():
    # regression values: a change of the hash would silently change every result
    assert uniform(run_keys([0]), "decide", 0, stream_key("USA"), 0)[0] == 0.6230785098543394
    assert uniform(run_keys([12345]), "war", 7, stream_key("RUS"), stream_key("USA"))[0] == 0.18140477767231478


def test_draws_are_uniform_and_independent():
    keys = run_keys(range(200))[:, None, None]
    actors = np.array([stream_key(f"A{i}") for i in range(50)], dtype=np.uint64)[None, :, None]
    u = np.stack([uniform(keys, "decide", t, actors, np.arange(3, dtype=np.uint64)[None, None, :]) for t in range(20)])
    assert u.shape == (20, 200, 50, 3)
    assert u.min() >= 0.0 and u.max() < 1.0
    x = u.ravel()
    assert abs(x.mean() - 0.5) < 0.003 and abs(x.var() - 1 / 12) < 0.002
    # chi-square over 50 bins (600,000 draws): 49 d.f., 0.1% critical value 85.4
    counts = np.bincount((x * 50).astype(int), minlength=50)
    chi2 = ((counts - len(x) / 50) ** 2 / (len(x) / 50)).sum()
    assert chi2 < 85.4, chi2

    def corr(a, b):
        return abs(np.corrcoef(a.ravel(), b.ravel())[0, 1])

    assert corr(u[1:], u[:-1]) < 0.01  # consecutive steps
    assert corr(u[:, 1:], u[:, :-1]) < 0.01  # neighbouring runs (consecutive seeds)
    assert corr(u[:, :, 1:], u[:, :, :-1]) < 0.01  # neighbouring actors
    assert corr(u[..., 1:], u[..., :-1]) < 0.01  # the three slots of one draw
    other = uniform(keys, "accident", 0, actors, np.arange(3, dtype=np.uint64)[None, None, :])
    assert corr(other, u[0]) < 0.01  # purposes
    assert set(PURPOSE) >= {"decide", "war", "deescalate", "accident", "support"}


def test_dyad_stream_is_symmetric_and_keyed_by_codes(founding):
    m = CrisisModel(founding, seeds=[3, 4])
    lanes = np.array([0, 1, 0])
    i, j = np.array([0, 2, 5]), np.array([1, 5, 2])
    u1 = m.dyad_uniform("deescalate", lanes, i, j)
    u2 = m.dyad_uniform("deescalate", lanes, j, i)
    np.testing.assert_array_equal(u1, u2)
    assert u1[1] != u1[2]  # same dyad, different runs


# ----------------------------------------------------------------------------- replications
def _outputs(m: CrisisModel, r: int) -> dict[str, np.ndarray]:
    out = {"peak": m.peak[r], "level": m.world.level[r], "belief": m.world.belief[r], "threat": m.world.threat[r],
           "x": m.world.spending[r], "pledge": m.world.pledge[r], "reliab": m.world.reliab[r], "dyad_level": m.dyad_level[:, r],
           "dyad_tension": m.dyad_tension[:, r]}
    out.update({f"series.{k}": v[:, r] for k, v in m.series.items()})
    out.update({f"system.{k}": v[:, r] for k, v in m.system.items()})
    out.update({f"first.{b}": fc[r] for b, fc in m.first_cross.items()})
    return out


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_a_replication_is_the_same_alone_and_in_any_batch(path):
    sc = load_scenario(path)
    batch = CrisisModel(sc, seeds=SEEDS, record="dyads").run()
    backwards = CrisisModel(sc, seeds=SEEDS[::-1], record="dyads").run()
    for r, seed in enumerate(SEEDS):
        alone = CrisisModel(sc, seeds=[seed], record="dyads").run()
        a, b, c = _outputs(alone, 0), _outputs(batch, r), _outputs(backwards, len(SEEDS) - 1 - r)
        for name in a:
            np.testing.assert_array_equal(a[name], b[name], err_msg=f"{path.stem} seed {seed}: {name} (batch)")
            np.testing.assert_array_equal(a[name], c[name], err_msg=f"{path.stem} seed {seed}: {name} (reversed)")
    # and the replications of a batch really differ (the streams are the runs' own)
    assert len({batch.dyad_level[:, r].tobytes() for r in range(len(SEEDS))}) > 1


def test_a_large_world_replication_is_the_same_alone_and_in_a_batch():
    from sim.catalog import load_catalog
    from sim.scenario.generate import world_scenario

    codes = load_catalog().codes(2010)[:60]
    sc = world_scenario(2010, horizon=12, codes=codes)
    seeds = [5, 6, 7]
    batch = CrisisModel(sc, seeds=seeds, record="dyads").run()
    for r, seed in enumerate(seeds):
        alone = CrisisModel(sc, seeds=[seed], record="dyads").run()
        for name, v in _outputs(alone, 0).items():
            np.testing.assert_array_equal(v, _outputs(batch, r)[name], err_msg=f"seed {seed}: {name}")


def test_single_run_with_explanations_matches_its_lean_replication(founding):
    from sim.model import run_scenario

    for seed in (2, 9):
        full = run_scenario(founding, seed=seed, record="full")
        lean = CrisisModel(founding, seeds=[seed + 100, seed], record="dyads").run()
        np.testing.assert_array_equal(full.peak, lean.peak[1])
        np.testing.assert_array_equal(full.level_hist[:, *np.triu_indices(len(full.codes), 1)], lean.dyad_level[:, 1])
        np.testing.assert_array_equal(full.series["milex"], lean.series["milex"][:, 1])


def test_an_added_actor_leaves_the_others_draws_alone(founding):
    from sim.scenario.schema import Scenario

    data = founding.model_dump(mode="json", exclude_none=True)
    data["actors"].insert(0, {"code": "IND"})  # a new first row: every other actor moves down
    larger = Scenario.model_validate(data)
    a = CrisisModel(founding, seeds=[11, 12])
    b = CrisisModel(larger, seeds=[11, 12])
    assert b.idx["USA"] == a.idx["USA"] + 1
    for m in (a, b):
        m.agents.do("decide")
    for code in ("USA", "RUS", "PRK"):
        np.testing.assert_array_equal(a.u_choice[:, a.idx[code]], b.u_choice[:, b.idx[code]])
        np.testing.assert_array_equal(a.cross_draw[:, a.idx[code]], b.cross_draw[:, b.idx[code]])
    i, j = a.idx["USA"], a.idx["RUS"]
    k, l_ = b.idx["USA"], b.idx["RUS"]
    lanes = np.array([0, 1])
    np.testing.assert_array_equal(a.dyad_uniform("war", lanes, np.array([i, i]), np.array([j, j])),
                                  b.dyad_uniform("war", lanes, np.array([k, k]), np.array([l_, l_])))


def test_full_recording_is_for_one_run(founding):
    with pytest.raises(ValueError, match="one run"):
        CrisisModel(founding, seeds=[1, 2], record="full")
    with pytest.raises(ValueError, match="at least one seed"):
        CrisisModel(founding, seeds=[])
