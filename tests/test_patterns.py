"""Pattern tests: the stylised facts the model must reproduce over many seeded runs (fixed seeds).

Each test compares outcome frequencies over seeded replications; seeds are fixed, so the tests
are deterministic, and the thresholds leave room for the sampling error of the run counts used.
"""

from __future__ import annotations

import numpy as np
import pytest

from sim.ensemble.seeds import child_seeds
from sim.model import CrisisModel, build_world, run_scenario
from sim.scenario.loader import load_scenario
from sim.scenario.schema import Scenario
from tests.conftest import SCENARIOS

pytestmark = pytest.mark.slow


def seeds(n: int, master: int = 2024) -> list[int]:
    return child_seeds(master, n)


# ---------------------------------------------------------------- dangerous dyads
def test_dangerous_dyads_ordering_matches_real_base_rates():
    from sim.validation import dangerous_dyads

    rows = {r["category"]: r for r in dangerous_dyads(runs=12, seed=0)}
    c = rows["land-contiguous"]
    assert c["model_force"] > 10 * c["model_force_complement"], c
    d = rows["PR: both democracies"]
    assert d["model_force"] < 0.5 * d["model_force_complement"], d
    p = rows["PR: parity (CINC ratio ≤ 3)"]
    assert p["model_force"] > p["model_force_complement"], p
    cd = rows["contiguous: both democracies"]
    assert cd["model_force"] < cd["model_force_complement"], cd
    # the real data order the same way
    assert c["real_force"] > 10 * c["real_force_complement"]
    assert d["real_force"] < d["real_force_complement"] and p["real_force"] > p["real_force_complement"]


# ---------------------------------------------------------------- 1914
def great_powers_at_war(res, major):
    return int(((res.peak >= 7).any(axis=1) & major).sum())


@pytest.fixture(scope="module")
def july():
    sc = load_scenario(SCENARIOS / "july-crisis-1914.yaml")
    major = np.array([a.major_power for a in build_world(sc).actors])
    return sc, major


def test_1914_offence_dominance_spreads_the_war(july):
    sc, major = july
    # 80 seeds: since new defence pledges form at ATOP's rate (docs/model.md §7.5) no alliance
    # signed mid-crisis widens the war, and the share sits near the bar (62.5% of 80 runs), where
    # 40 runs' sampling error (±8 points) would decide the test
    gp = [great_powers_at_war(run_scenario(sc, seed=s, record="summary"), major) for s in seeds(80)]
    assert np.mean(np.array(gp) >= 4) > 0.6, gp


@pytest.mark.parametrize("variant", ["defense-dominant", "conditional-pledge"])
def test_1914_defence_dominance_or_conditional_pledge_keeps_it_local(july, variant):
    sc, major = july
    gp = np.array([great_powers_at_war(run_scenario(sc, seed=s, variant=variant, record="summary"), major) for s in seeds(40)])
    assert np.mean(gp >= 4) < 0.2, gp
    assert np.mean(gp <= 2) > 0.6, gp  # at most Austria-Hungary and one other great power


# ---------------------------------------------------------------- 1962
def test_1962_high_rung_without_war_then_settlement():
    sc = load_scenario(SCENARIOS / "cuban-missile-crisis-1962.yaml")
    principals = [sc.codes.index(c) for c in ("USA", "RUS", "CUB")]
    u, r = sc.codes.index("USA"), sc.codes.index("RUS")
    out = {}
    for v in (None, "no-deal"):
        war = high = 0
        final = []
        ss = seeds(100)
        for s in ss:
            res = run_scenario(sc, seed=s, variant=v, record="summary")
            sub = res.peak[np.ix_(principals, principals)]
            war += (sub >= 7).any()
            high += res.peak[u, r] >= 6
            final.append(res.final_level[u, r])
        out[v] = {"war": war / len(ss), "high": high / len(ss), "final": float(np.mean(final))}
    base, nodeal = out[None], out["no-deal"]
    assert base["high"] > 0.9, out          # a high rung (blockade) is reached …
    assert base["war"] < 0.2, out           # … without war among the principals in most runs
    assert base["final"] < nodeal["final"] - 0.5, out   # the face-saving deal brings it down
    assert nodeal["war"] > base["war"] + 0.03, out       # and removing it raises the war rate


# ---------------------------------------------------------------- Richardson
def two_rivals(a, b, m, n, g, h):
    data = {
        "id": "arms", "title": "two rivals", "briefing": {"summary": "s"}, "data_year": 2022,
        "calendar": {"start": "2024-01-01", "horizon": 4},
        "actors": [
            {"code": "AAA", "catalog": False, "overrides": {"cinc": 0.01, "lat": 0, "lon": 0, "arms_reaction": a, "arms_fatigue": m, "grievance": g}},
            {"code": "BBB", "catalog": False, "overrides": {"cinc": 0.01, "lat": 0, "lon": 5, "arms_reaction": b, "arms_fatigue": n, "grievance": h}},
        ],
        "relations": {"from_catalog": False, "rivalries": [["AAA", "BBB"]]},
    }
    return CrisisModel(Scenario.model_validate(data), 0)


def test_richardson_stable_pair_settles_to_equilibrium():
    a, b, m, n, g, h = 0.10, 0.15, 0.30, 0.25, 0.05, 0.04
    assert m * n > a * b
    model = two_rivals(a, b, m, n, g, h)
    for _ in range(52 * 60):  # sixty years of weekly steps of the arms submodel alone
        model.arms_dynamics()
    x_star = (a * h + n * g) / (m * n - a * b)
    y_star = (b * g + m * h) / (m * n - a * b)
    assert model.world.spending[0, 0] == pytest.approx(x_star, rel=1e-3)
    assert model.world.spending[0, 1] == pytest.approx(y_star, rel=1e-3)


def test_richardson_unstable_pair_runs_away():
    a, b, m, n, g, h = 0.40, 0.35, 0.10, 0.12, 0.05, 0.04
    assert m * n < a * b
    model = two_rivals(a, b, m, n, g, h)
    xs = []
    for t in range(52 * 40):
        model.arms_dynamics()
        if t % 52 == 0:
            xs.append(model.world.spending[0].copy())
    xs = np.array(xs)
    assert (np.diff(xs[:, 0]) > 0).all() and xs[-1, 0] > 100 * max(xs[1, 0], 1e-6)


# ---------------------------------------------------------------- balancing
def pact_world(pact: bool) -> Scenario:
    ev = [{"type": "defense_pact", "step": 2, "actor": "RUS", "parties": ["PRK"], "strength": 1.0}] if pact else []
    return Scenario.model_validate({
        "id": "bal", "title": "t", "briefing": {"summary": "s"}, "data_year": 2022,
        "calendar": {"start": "2024-01-01", "horizon": 12},
        "actors": [{"code": c} for c in ("RUS", "PRK", "ROK", "JPN", "USA")],
        "relations": {"rivalries": [["ROK", "PRK"], ["JPN", "PRK"], ["USA", "PRK"], ["USA", "RUS"]]},
        "events": ev,
    })


def test_balancing_a_new_pact_raises_rivals_threat_and_they_align():
    rivals = {"ROK", "JPN", "USA"}
    diffs, threat = [], []
    for s in seeds(80):
        counts = []
        for pact in (True, False):
            res = run_scenario(pact_world(pact), seed=s)
            counts.append(sum(1 for x in res.records if x["type"] == "balance" and x["actor"] in rivals
                              and x["target"] in rivals and 2 <= x["step"] <= 10))
            if pact:
                i, j = res.codes.index("ROK"), res.codes.index("PRK")
                threat.append(res.threat_hist[3, i, j] - res.threat_hist[1, i, j])
        diffs.append(counts[0] - counts[1])
    d = np.array(diffs)
    assert np.mean(threat) > 0.1  # the pact raises South Korea's threat from North Korea
    assert d.mean() > 0 and d.mean() / (d.std(ddof=1) / np.sqrt(len(d))) > 2.0, (d.mean(), d.std())


def test_a_small_distant_naval_visit_stays_a_low_rung_signal():
    sc = Scenario.model_validate({
        "id": "visit", "title": "t", "briefing": {"summary": "s"}, "data_year": 2022,
        "calendar": {"start": "2024-01-01", "horizon": 12},
        "actors": [{"code": c} for c in ("RUS", "USA", "CUB")],
        "events": [{"type": "naval_deployment", "step": 1, "actor": "RUS", "partners": ["CUB"], "near": ["USA"], "force_size": 1.0}],
    })
    peaks = np.array([run_scenario(sc, seed=s, record="summary").peak[0, 1] for s in seeds(60)])
    assert np.mean(peaks <= 4) > 0.9, np.bincount(peaks)
    assert np.mean(peaks >= 5) < 0.1


# ---------------------------------------------------------------- lenses
def identity_world(lens: str) -> Scenario:
    """A faces B (strong, near, same UN-voting identity) and C (weaker, farther, opposite identity)."""
    def actor(code, cinc, lon, ideal):
        return {"code": code, "catalog": False, "overrides": {"cinc": cinc, "lat": 0.0, "lon": lon, "ideal_point": ideal, "polyarchy": 0.3}}

    return Scenario.model_validate({
        "id": "identity", "title": "t", "briefing": {"summary": "s"}, "data_year": 2022, "lens": lens,
        "calendar": {"start": "2024-01-01", "horizon": 26},
        "actors": [actor("AAA", 0.02, 0.0, 1.0), actor("BBB", 0.06, 5.0, 1.0), actor("CCC", 0.03, 15.0, -1.5)],
        # AAA has a running dispute with both (escalation needs a cause); which one it answers is the lens's
        "relations": {"from_catalog": False, "tensions": [{"between": ["AAA", "BBB"], "value": 2}, {"between": ["AAA", "CCC"], "value": 2}]},
    })


def test_switching_the_lens_moves_outcomes_as_theory_predicts(founding):
    """Liberals use less force than realists; realists balance against power and proximity, constructivists confront the 'other'.

    Earlier this test asked that a realist direct most of its *hostile acts* at the strong, near
    state B. That held only while a state answered one dyad a step. With decisions toward several
    states (docs/model.md §7.4) a realist answers both disputes, and realism does not predict
    that most of its protests and shows of force go to the stronger neighbour: it is deterred from
    force against a stronger state (Huth 1988) and matches force with force most readily at
    parity (Blainey 1973), and C's own hostile acts make it a threat too (Walt 1987 counts
    aggressive intentions). What balance of threat predicts about power and proximity is where
    the state *balances* — arms and alliances against the greater threat (Walt 1987; Morrow 1993)
    — so the realist's arming and aligning must be directed mostly against B, while a
    constructivist arms, aligns and confronts by identity (Wendt 1999): its hostile acts go mostly
    to C, and far more of them than the realist's.
    """
    force = {}
    for lens in ("realist", "liberal"):
        sc = founding.model_copy(update={"lens": lens})
        n_force = []
        for s in seeds(15):
            res = run_scenario(sc, seed=s, record="summary")
            n_force.append(sum(1 for x in res.records if x["kind"] == "decision" and x["type"] in ("threaten", "show_force", "clash")))
        force[lens] = np.mean(n_force)
    # liberalism: interdependence, institutions and shared regimes restrain the use of force
    assert force["liberal"] < 0.7 * force["realist"], force

    # realism balances against power and proximity; constructivism answers identity (the 'other')
    at_other, against_power = {}, {}
    for lens in ("realist", "constructivist"):
        hits = total = vs_b = policy = 0
        for s in seeds(20):
            res = run_scenario(identity_world(lens), seed=s, record="summary")
            mine = [x for x in res.records if x["kind"] == "decision" and x["actor"] == "AAA"]
            acts = [x for x in mine if x["type"] in ("protest", "threaten", "sanction", "show_force", "clash")]
            hits += sum(x["target"] == "CCC" for x in acts)
            total += len(acts)
            # arming is against its target; aligning (recorded with the partner) is against the third state
            bal = [x for x in mine if x["type"] in ("arm", "balance")]
            vs_b += sum(x["target"] == ("BBB" if x["type"] == "arm" else "CCC") for x in bal)
            policy += len(bal)
        at_other[lens] = hits / max(total, 1)
        against_power[lens] = vs_b / max(policy, 1)
    assert against_power["realist"] > 0.5 > against_power["constructivist"], against_power
    assert at_other["constructivist"] > 0.5, at_other
    assert at_other["constructivist"] - at_other["realist"] > 0.25, at_other


# ---------------------------------------------------------------- escalation needs a cause
def test_quiet_world_stays_quiet(founding):
    """The founding scenario without its events, one year, 300 runs: no war from peace; non-rivals near MID rates.

    Rival dyads and dyads already in dispute (sanctions, tensions) are reported by
    scripts/quiet_worlds.py; the MID base-rate file has no rivalry row to hold them to.
    """
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
    from quiet_worlds import quiet

    rows = quiet("korea-russia-2024", 300, 11)
    se = lambda p: np.sqrt(max(p, 1e-3) * (1 - p) / 300)  # noqa: E731
    for r in rows:
        if r["start"] == 0:  # a pair at peace (no open dispute, no sanctions) at the start
            assert r["war"] <= 0.02 + 2 * se(0.02), r
        if not r["rival"] and not r["side_at_war"]:  # joining a partner's war is alliance support, not a new dispute
            assert r["force"] <= 2 * r["mid_force"] + 2 * se(2 * r["mid_force"]), r


def test_incidents_happen_where_forces_meet():
    def world(deploy: bool) -> Scenario:
        ev = [{"type": "naval_deployment", "step": 0, "actor": "USA", "near": ["CHN"], "force_size": 5.0, "duration_weeks": 26}] if deploy else []
        return Scenario.model_validate({
            "id": "contact", "title": "t", "briefing": {"summary": "s"}, "data_year": 2022,
            "calendar": {"start": "2024-01-01", "horizon": 26},
            "actors": [{"code": "USA"}, {"code": "CHN"}],
            "relations": {"from_catalog": False, "tensions": [{"between": ["USA", "CHN"], "value": 4}]},
            "events": ev,
        })
    counts = {}
    for deploy in (True, False):
        sc = world(deploy)
        counts[deploy] = sum(any(x["type"] == "incident" for x in run_scenario(sc, seed=s, record="summary").records) for s in seeds(120))
    assert counts[True] >= 10 and counts[True] > 2 * counts[False], counts


# ---------------------------------------------------------------- alliance support as choices
def support_to(sc: Scenario, giver: str, partner: str, runs: int, master: int, variant: str | None = None) -> np.ndarray:
    """The highest degree of support ``giver`` gave ``partner`` in each run (0 none … 4 joined the war)."""
    s2 = sc.with_variant(variant) if variant else sc
    m = CrisisModel(s2, seeds=seeds(runs, master), record="summary").run()
    return m.support_max[:, m.idx[giver], m.idx[partner]]


@pytest.mark.parametrize("master", [1, 2, 3])
def test_the_pact_draws_north_korean_forces_into_russias_war_by_its_own_choice(founding, master):
    """PRK's arms and troops for RUS's war come from PRK's choices; the pact makes troops likelier (paired seeds)."""
    base = support_to(founding, "PRK", "RUS", 400, master)
    nopact = support_to(founding, "PRK", "RUS", 400, master, "no-pact")
    troops_b, troops_n = (base >= 3).astype(float), (nopact >= 3).astype(float)
    d = troops_b - troops_n
    lo = d.mean() - 1.96 * d.std(ddof=1) / np.sqrt(len(d))
    assert lo > 0, (troops_b.mean(), troops_n.mean(), lo)
    assert 0.05 < troops_b.mean() < 0.95  # a question the model answers either way, not a certainty
    assert (base >= 2).mean() > (base >= 3).mean() > (base >= 4).mean()  # degrees: arms likelier than troops than war
    # a pledge matters, not just proximity: China, with no pledge to Russia, sends no troops
    assert (support_to(founding, "CHN", "RUS", 400, master) >= 3).mean() < 0.05
