"""Optimised computations give, bit for bit, what the reference computations they replace give.

Each test draws random inputs (zeros, negative values and ties included) and compares the fast path
with the plain one it replaced, as raw bits (so that even the sign of a zero must agree).
"""

from __future__ import annotations

import numpy as np
import pytest

from sim.doctrines import ACTIONS
from sim.doctrines.lenses import TERMS, TableScorer, design


def _bits(a: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(a, dtype=np.float64).view(np.uint64)


def _reference_scores(x: np.ndarray, tables: np.ndarray, lanes: int) -> np.ndarray:
    """The term-by-term sum the model used before: every term some state weighs, for every action."""
    n = tables.shape[0]
    terms = [(t, tables[:, t, :]) for t in range(tables.shape[1]) if tables[:, t, :].any()]
    x3 = x.reshape(lanes, n, -1)
    t0, w0 = terms[0]
    u = x3[:, :, t0:t0 + 1] * w0
    for t, wt in terms[1:]:
        u += x3[:, :, t:t + 1] * wt
    return u


@pytest.mark.parametrize("seed", range(6))
def test_table_scorer_equals_the_term_by_term_sum(seed):
    rng = np.random.default_rng(seed)
    lanes, n, k, a = int(rng.integers(1, 40)), int(rng.integers(2, 12)), len(TERMS), len(ACTIONS)
    # sparse tables, shared by groups of states (as doctrines are), some weights exactly zero
    kinds = rng.normal(size=(3, k, a)) * (rng.random((3, k, a)) < 0.3)
    kinds[:, 0, :] = rng.normal(size=(3, a)) * (rng.random((3, a)) < 0.8)  # the constant, now and then absent
    tables = kinds[rng.integers(0, 3, size=n)]
    x = rng.normal(size=(lanes * n, k)) * (rng.random((lanes * n, k)) < 0.8)
    x[:, 0] = 1.0
    x[rng.random(x.shape) < 0.05] = -0.0
    got = TableScorer(tables).scores(x, lanes)
    assert got.shape == (lanes, n, a)
    assert np.array_equal(_bits(got), _bits(_reference_scores(x, tables, lanes)))


def test_table_scorer_on_the_shipped_doctrines():
    from sim.doctrines.lenses import Constructivist, Liberal, Realist
    rng = np.random.default_rng(7)
    tables = np.stack([d.matrix() for d in (Realist, Liberal, Constructivist, Realist, Liberal)])
    lanes, n = 16, tables.shape[0]
    x = design(_random_features(rng, lanes * n))
    assert np.array_equal(_bits(TableScorer(tables).scores(x, lanes)), _bits(_reference_scores(x, tables, lanes)))


def _random_features(rng, m):
    from sim.doctrines import Features

    u = lambda: rng.random(m)  # noqa: E731
    return Features(threat=u(), threat_rise=rng.uniform(-1, 1, m), level=rng.integers(0, 10, m).astype(float),
                    power=np.exp(rng.normal(size=m)), ally=u(), partner=(u() < 0.5).astype(float), hostility=2 * u(),
                    belief=u(), damp=u(), trade=u(), democracy=u(), affinity=u(), resolve=u(),
                    nuclear=(u() < 0.3).astype(float), target_nuclear=(u() < 0.3).astype(float),
                    weak_alone=(u() < 0.2).astype(float), at_war=(u() < 0.1).astype(float), offer=u() * (u() < 0.3))


@pytest.mark.parametrize("seed", range(4))
def test_top_k_equals_a_stable_descending_sort(seed):
    from sim.model.submodels.decide import top_k

    rng = np.random.default_rng(seed)
    r, n = int(rng.integers(1, 20)), int(rng.integers(2, 40))
    score = np.round(rng.random((r, n, n)), 1)  # many ties: the lower index must come first
    score[:, np.arange(n), np.arange(n)] = -1.0
    score[rng.random(score.shape) < 0.1] = 0.0
    for k in range(1, n):
        want = np.argsort(-score, axis=2, kind="stable")[:, :, :k]
        assert np.array_equal(top_k(score.copy(), k), want), k


def test_dyad_draws_from_a_per_run_prefix_equal_the_full_hash():
    from sim.model.streams import prefix, uniform, uniform_after

    rng = np.random.default_rng(3)
    keys = rng.integers(0, 2**63, size=7, dtype=np.uint64)
    lanes = rng.integers(0, 7, size=500)
    a, b = rng.integers(0, 2**32, size=(2, 500), dtype=np.uint64)
    for step in (0, 1, 51):
        want = uniform(keys[lanes], "war", step, a, b)
        assert np.array_equal(uniform_after(prefix(keys, "war", step)[lanes], a, b), want)


def test_conflict_lookup_equals_the_formula():
    from sim.model.submodels.threat import _CONFLICT

    for dtype in (np.int8, np.int16, np.int64):
        rung = np.arange(0, 11, dtype=dtype)
        assert np.array_equal(_bits(_CONFLICT[rung]), _bits(np.clip((rung - 2) / 5.0, 0.0, 1.0)))


def test_sparse_belief_update_equals_the_dense_one():
    """Bayes on the dyads with evidence only gives what the update over every dyad gave."""
    import math

    from sim.model import CrisisModel
    from sim.model.submodels.beliefs import update_beliefs
    from sim.scenario.loader import load_scenario

    m = CrisisModel(load_scenario("scenarios/korea-russia-2024.yaml"), seeds=[1, 2, 3], record="summary")
    rng = np.random.default_rng(5)
    w, sp = m.world, m.params.spiral
    w.belief[:] = rng.random(w.belief.shape)
    w.belief[:, m._d, m._d] = 0.0
    for a in (m.acts_off, m.acts_def, m.acts_reassure):
        a[:] = rng.random(a.shape) * (rng.random(a.shape) < 0.2)
    m.acts_off[0, 1, 2], m.acts_reassure[0, 1, 2] = 1.0, -math.log(sp.hostile_likelihood) / math.log(sp.reassurance_likelihood)
    lh, lr = math.log(sp.hostile_likelihood), math.log(sp.reassurance_likelihood)  # the dense reference, as it was
    logodds = (m.acts_off * lh + m.acts_def * (lh * (1.0 - sp.distinguishability)) + m.acts_reassure * lr).transpose(0, 2, 1)
    b = np.clip(w.belief, 1e-4, 1 - 1e-4)
    odds = b / (1 - b) * np.exp(np.clip(logodds, -20, 20))
    # restraint as evidence, over every dyad: where i watches j and j made no move this step
    ld = lh * (1.0 - sp.distinguishability)
    q = sp.ambiguous_rate
    lq = m.weeks * math.log((1.0 - min(0.95, q * math.exp(ld))) / (1.0 - q))
    evidence = ((m.acts_off != 0.0) | (m.acts_def != 0.0) | (m.acts_reassure != 0.0)).transpose(0, 2, 1)
    quiet = (w.threat > m.params.decision.attention) & ~evidence
    quiet_odds = b / (1 - b) * math.exp(lq)
    want = np.where(logodds != 0.0, odds / (1 + odds), np.where(quiet, quiet_odds / (1 + quiet_odds), w.belief))
    want[:, m._d, m._d] = 0.0
    assert quiet.sum() > 10  # the quiet rule is exercised
    update_beliefs(m)
    assert np.array_equal(_bits(w.belief), _bits(want))
    assert not m.acts_off.any() and not m.acts_def.any() and not m.acts_reassure.any()


def test_policy_pick_over_four_actions_equals_the_pick_over_all_twelve():
    from sim.model.submodels.decide import _POLICY, _POLICY_PICK, _logit_pick

    rng = np.random.default_rng(11)
    u = rng.normal(size=(50, 9, len(ACTIONS))) * 3
    u[rng.random(u.shape) < 0.2] = -np.inf
    u[:, :, 0] = rng.normal(size=(50, 9))  # hold is always open
    uc = rng.random((50, 9))
    uc[0, :] = 1.0 - 2.0**-53  # the largest draw
    uc[1, :] = 0.0
    full = np.full(u.shape, -np.inf)
    full[:, :, _POLICY] = u[:, :, _POLICY]
    assert np.array_equal(_POLICY_PICK[_logit_pick(u[:, :, _POLICY] / 0.7, uc)], _logit_pick(full / 0.7, uc))
