"""One pattern test per named mechanism that no other test isolates: each in a small world where the
mechanism matters according to its literature (issue 10, item 7).

Each test compares two worlds that differ in one thing, run over the same seeds (common random
numbers, so the comparison is paired), and asserts the theory's prediction with a 95% interval
that excludes the null. Switching the mechanism off (``FLASHPOINT_SWITCH_OFF=<name>``, see
``scripts/switch_off.py``) makes the two worlds behave alike and the test fail. The run counts
are large enough that the result holds for any master seed (seeds 0–4 checked when written; the
numbers are in the report of docs/validation.md §10).
"""

from __future__ import annotations

import numpy as np
import pytest

from sim.ensemble.seeds import child_seeds
from sim.model import CrisisModel
from sim.scenario.schema import Scenario

pytestmark = pytest.mark.slow

#: The master seed of every test here (the seeds of the runs derive from it).
MASTER = 2024

__all__ = ["paired_difference", "paired_ratio", "spiral_gap", "shift_gap", "transition_gap", "offer_ratio"]


# ---------------------------------------------------------------- helpers
def paired_difference(x: np.ndarray, y: np.ndarray) -> tuple[float, float, float]:
    """Mean of the paired differences x − y with its 95% normal interval (low, mean, high)."""
    d = np.asarray(x, dtype=float) - np.asarray(y, dtype=float)
    se = d.std(ddof=1) / np.sqrt(len(d))
    return d.mean() - 1.96 * se, d.mean(), d.mean() + 1.96 * se


def paired_ratio(x: np.ndarray, y: np.ndarray) -> tuple[float, float, float]:
    """Ratio of means mean(x)/mean(y) of paired samples with its 95% delta-method interval."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    r = x.mean() / y.mean()
    se = (x - r * y).std(ddof=1) / (np.sqrt(len(x)) * y.mean())
    return r - 1.96 * se, r, r + 1.96 * se


def dyad_world(events=(), *, horizon: int, a: dict | None = None, b: dict | None = None, extra=(),
               parameters: dict | None = None) -> Scenario:
    """Two custom states AAA and BBB about 440 km apart (no rivalry, no ties), with the given events."""
    actors = [{"code": "AAA", "catalog": False, "overrides": {"cinc": 0.02, "lat": 0, "lon": 0, **(a or {})}},
              {"code": "BBB", "catalog": False, "overrides": {"cinc": 0.02, "lat": 0, "lon": 4, **(b or {})}},
              *extra]
    sc = Scenario.model_validate({
        "id": "dyad", "title": "two states", "briefing": {"summary": "a mechanism test"}, "data_year": 2022,
        "calendar": {"start": "2024-01-01", "horizon": horizon}, "actors": actors,
        "relations": {"from_catalog": False}, "events": list(events)})
    if parameters:
        groups = {g: getattr(sc.parameters, g).model_copy(update=v) for g, v in parameters.items()}
        sc = sc.model_copy(update={"parameters": sc.parameters.model_copy(update=groups)})
    return sc


def batch(sc: Scenario, runs: int, master: int) -> CrisisModel:
    """``runs`` replications of ``sc`` with the seeds derived from ``master`` (the same seeds for every world)."""
    return CrisisModel(sc, seeds=child_seeds(master, runs), record="summary").run()


def war(m: CrisisModel) -> np.ndarray:
    """1 for each run in which AAA and BBB went to war (rung ≥ 7), else 0."""
    return (m.peak[:, 0, 1] >= 7).astype(float)


# ---------------------------------------------------------------- beliefs: the spiral model
def spiral_gap(runs: int = 400, master: int = MASTER) -> tuple[float, float, float]:
    """Late-year mean rung of the AAA–BBB dyad with distinguishability 0 minus with 1 (paired interval)."""
    def late_rung(dist: float) -> np.ndarray:
        m = batch(dyad_world(horizon=52, parameters={"spiral": {"distinguishability": dist}}), runs, master)
        return m.series["max_level"][26:, :, 0].mean(axis=0)
    return paired_difference(late_rung(0.0), late_rung(1.0))


def test_beliefs_spiral_when_defence_cannot_be_told_from_offence():
    """The security dilemma spiral (Jervis 1976, ch. 3; Jervis 1978; Glaser 1997).

    Two neighbours with no dispute arm for their security. When offence and defence cannot be told
    apart (``spiral.distinguishability`` = 0), each one's arming reads as evidence that the other
    is greedy, beliefs about intent rise, threat with them, and the pair spirals into a crisis;
    when defensive preparations are distinguishable (= 1) they reveal nothing and the pair stays
    calm. Prediction: the dyad's mean rung over the second half-year is higher with
    distinguishability 0, by at least half a rung (paired 95% interval). With beliefs fixed at
    their priors (``beliefs`` switched off) distinguishability has nothing to act on.
    """
    lo, mean, hi = spiral_gap()
    assert lo > 0.5, (lo, mean, hi)


# ---------------------------------------------------------------- commitment problem
def shift_gap(runs: int = 2000, master: int = MASTER) -> tuple[float, float, float]:
    """P(war) after a sudden shift in the balance minus P(war) with the same balance since the start."""
    supplier = {"code": "CCC", "catalog": False, "overrides": {"cinc": 0.005, "lat": -40, "lon": 150}}

    def world(transfer_step: int) -> Scenario:
        ev = [{"type": "arms_transfer", "step": transfer_step, "actor": "CCC", "partners": ["BBB"], "amount": 1.0}
              for _ in range(2)]  # BBB's capability ×4: AAA's chance of winning falls from 0.8 to 0.5
        ev += [{"type": "armed_clash", "step": s, "actor": "AAA", "targets": ["BBB"]} for s in range(4, 30, 2)]
        return dyad_world(ev, horizon=30, a={"cinc": 0.04}, b={"cinc": 0.01}, extra=[supplier])
    return paired_difference(war(batch(world(4), runs, master)), war(batch(world(0), runs, master)))


def test_commitment_a_sudden_shift_in_power_raises_the_hazard_of_war():
    """The commitment problem (Fearon 1995, pp. 401–409; Powell 2006).

    A state whose power is about to fall cannot trust its rival's promises not to exploit its
    later strength, so a large, rapid shift in the balance of power makes war likelier than the
    same balance reached long ago. Two worlds with the same violent crisis (AAA's clashes with BBB
    from week 4): in one, BBB's capability quadruples by an arms transfer in week 4, as the crisis
    starts; in the other the same transfer came in week 0, before the balance was ever observed
    (no shift during the crisis). Prediction: war is likelier after the sudden shift (paired 95%
    interval of the difference in P(war) above 0). Without the commitment problem the two worlds
    are the same crisis at the same balance.
    """
    lo, mean, hi = shift_gap()
    assert lo > 0, (lo, mean, hi)


# ---------------------------------------------------------------- power transition
def transition_gap(runs: int = 2000, master: int = MASTER, ratio: float = 0.95,
                   ideal: tuple[float, float] = (2.0, 0.0)) -> tuple[float, float, float]:
    """P(war) of the leader AAA with challenger BBB (capability ``ratio`` of AAA's) at ideal point ideal[0] minus at ideal[1]."""
    def world(ideal_b: float, r: float) -> Scenario:
        ev = [{"type": "armed_clash", "step": s, "actor": "AAA", "targets": ["BBB"]} for s in range(2, 30, 2)]
        return dyad_world(ev, horizon=30, a={"cinc": 0.02, "ideal_point": 0.0}, b={"cinc": 0.02 * r, "ideal_point": ideal_b})
    return paired_difference(war(batch(world(ideal[0], ratio), runs, master)), war(batch(world(ideal[1], ratio), runs, master)))


def test_power_transition_a_dissatisfied_challenger_at_parity_fights_more():
    """Power transition (Organski & Kugler 1980, ch. 1; Lemke 2002, ch. 2).

    War between the leading state and a challenger is likeliest when the challenger has drawn
    level (parity) *and* is dissatisfied with the leader's order; a satisfied challenger at parity
    overtakes peacefully (the Anglo-American transition). Same violent crisis (the leader AAA's
    clashes with BBB every second week), BBB at 95% of AAA's capability: a challenger whose UN
    ideal point is 2 away from the leader's (fully dissatisfied) goes to war more often than one
    that shares it (paired 95% interval of the difference above 0).
    """
    lo, mean, hi = transition_gap()
    assert lo > 0, (lo, mean, hi)


# ---------------------------------------------------------------- settlement
def offer_ratio(runs: int = 1000, master: int = MASTER) -> tuple[float, float, float]:
    """Mean weeks at war when BBB offers a settlement every 4 weeks over mean weeks at war without offers."""
    def weeks_at_war(offers: bool) -> np.ndarray:
        ev = [{"type": "war_declaration", "step": 1, "actor": "AAA", "targets": ["BBB"]}]
        if offers:
            ev += [{"type": "settlement_offer", "step": s, "actor": "BBB", "targets": ["AAA"]} for s in range(3, 30, 4)]
        m = batch(dyad_world(ev, horizon=30), runs, master)
        return (m.system["dyads_war"] > 0).sum(axis=0)
    return paired_ratio(weeks_at_war(True), weeks_at_war(False))


def test_settlement_offers_end_wars_sooner():
    """Wars end by negotiation (Fearon 1995; Slantchev 2003; George & Smoke 1974 on face-saving deals).

    A war ends when the sides agree on terms; an offer on the table that the other side can take
    up (its own offer to settle meeting the standing one) shortens the war. Same war (AAA declares
    war on BBB in week 1): in one world BBB offers a settlement every four weeks. Prediction: the
    war lasts less than 90% as long with the offers (paired 95% interval of the ratio of mean weeks
    at war below 0.9). If offers are never accepted, they hardly shorten a war.
    """
    lo, ratio, hi = offer_ratio()
    assert hi < 0.9, (lo, ratio, hi)
