"""Pattern tests: the stylised facts the model must reproduce over many seeded runs.

Each test states what the literature predicts and where it comes from, compares worlds that differ
in one thing on the same seeds (common random numbers: the model's draws are keyed by run,
purpose, step and actor or dyad), and asserts a ratio or difference whose 95% interval excludes
the null — a Wilson or Newcombe score interval for proportions (``sim.analysis.stats``), a paired
normal interval for mean differences, a bootstrap over runs (runs as clusters) for rate ratios —
with enough runs that it holds for any seed block. ``FLASHPOINT_TEST_SEED`` (default 0) shifts
every seed block, so the suite can be checked on other seeds locally
(``FLASHPOINT_TEST_SEED=3 pytest tests/test_patterns.py``); CI runs the default.
"""

from __future__ import annotations

import os

import numpy as np
import pytest

from sim.analysis.stats import Z95, newcombe, phi, wilson
from sim.ensemble.seeds import child_seeds
from sim.model import CrisisModel, build_world, run_scenario
from sim.scenario.loader import load_scenario
from sim.scenario.schema import Scenario
from sim.validation.mechanisms import clash_world, dyad_world
from tests.conftest import SCENARIOS

pytestmark = pytest.mark.slow

#: Shifts every seed block (0 in CI; 1–4 checked locally, see the module docstring).
SEED = int(os.environ.get("FLASHPOINT_TEST_SEED", "0"))


def seeds(n: int, master: int = 2024) -> list[int]:
    """The child seeds of seed block ``master`` (shifted by :data:`SEED`)."""
    return child_seeds(master + 1000 * SEED, n)


def batch(sc: Scenario, n: int, master: int = 2024, **kw) -> CrisisModel:
    """``n`` replications of ``sc`` stepped together (in process) on seed block ``master``."""
    return CrisisModel(sc, seeds=seeds(n, master), record="summary", **kw).run()


def paired_diff(x: np.ndarray, y: np.ndarray) -> tuple[float, float, float]:
    """Mean of the paired differences ``x − y`` (same seeds) with its 95% normal interval."""
    d = np.asarray(x, dtype=float) - np.asarray(y, dtype=float)
    half = Z95 * d.std(ddof=1) / np.sqrt(len(d)) if len(d) > 1 else np.inf
    return float(d.mean()), float(d.mean() - half), float(d.mean() + half)


def paired_props(x: np.ndarray, y: np.ndarray) -> tuple[float, float, float]:
    """Difference of two paired proportions ``P(x) − P(y)`` with Newcombe's interval (φ for the pairing)."""
    x, y = np.asarray(x, dtype=bool), np.asarray(y, dtype=bool)
    return newcombe(int(x.sum()), len(x), int(y.sum()), len(y), corr=phi(x, y))


def ratio_ci(num: np.ndarray, den: np.ndarray, scale: float = 1.0, resamples: int = 4000,
             paired_with: tuple[np.ndarray, np.ndarray] | None = None) -> tuple[float, float, float]:
    """Ratio of summed per-run counts ``scale · Σnum / Σden`` with a 95% bootstrap interval over runs.

    Runs are resampled whole (clusters), so dependence among the events of one run is kept. With
    ``paired_with=(num2, den2)`` the result is the ratio of the two ratios, runs resampled jointly
    (paired seeds).
    """
    num, den = np.asarray(num, dtype=float), np.asarray(den, dtype=float)
    rng = np.random.default_rng(20241)
    idx = rng.integers(0, len(num), size=(resamples, len(num)))

    def stat(a, b):
        return scale * a.sum(axis=-1) / np.maximum(b.sum(axis=-1), 1e-12)

    est, boot = stat(num, den), stat(num[idx], den[idx])
    if paired_with is not None:
        n2, d2 = (np.asarray(v, dtype=float) for v in paired_with)
        est, boot = est / max(stat(n2, d2), 1e-12), boot / np.maximum(stat(n2[idx], d2[idx]), 1e-12)
    lo, hi = np.percentile(boot, [2.5, 97.5])
    return float(est), float(lo), float(hi)


def share_diff_ci(n1, d1, n2, d2, resamples: int = 4000) -> tuple[float, float, float]:
    """``Σn1/Σd1 − Σn2/Σd2`` for paired runs, with a 95% bootstrap interval (runs resampled jointly)."""
    n1, d1, n2, d2 = (np.asarray(v, dtype=float) for v in (n1, d1, n2, d2))
    idx = np.random.default_rng(20242).integers(0, len(n1), size=(resamples, len(n1)))

    def share(a, b):
        return a.sum(axis=-1) / np.maximum(b.sum(axis=-1), 1e-12)

    boot = share(n1[idx], d1[idx]) - share(n2[idx], d2[idx])
    lo, hi = np.percentile(boot, [2.5, 97.5])
    return float(share(n1, d1) - share(n2, d2)), float(lo), float(hi)


# ---------------------------------------------------------------- dangerous dyads
WORLD_RUNS = 40  # × 18,721 dyads of the 2010 system, one year each


def rate_ratio(row: dict) -> tuple[float, float, float]:
    """The model's use-of-force rate ratio, category over complement, with its bootstrap interval over runs."""
    return ratio_ci(row["force_per_run"], row["force_per_run_complement"],
                    scale=row["dyad_years_complement"] / row["dyad_years"])


def test_dangerous_dyads_ordering_matches_real_base_rates():
    """Bremer (1992); Russett & Oneal (2001): contiguity ≫, joint democracy <, parity > — as rate ratios.

    In the generated 2010 world (every COW state, alliances and rivalries from the data, nothing
    scripted), the model's yearly rate of escalation to violence (rung ≥ 5) per dyad-year is compared
    between each dyad category and its complement, the way the real MID rates are
    (``sim/data/base_rates_MID_1946-2010.csv``): land-contiguous dyads far above the others (real
    ×49), jointly democratic politically relevant dyads below the others (real ×0.24, the
    democratic peace), dyads at parity above those under preponderance (real ×3.6), and among
    contiguous dyads joint democracy still lower (real ×0.30). Each rate ratio's 95% interval
    (bootstrap over whole runs, so that the events of one run stay together) must lie on the
    predicted side of 1; contiguity must be at least ×3.
    """
    from sim.validation import dangerous_dyads

    rows = {r["category"]: r for r in dangerous_dyads(runs=WORLD_RUNS, seed=SEED)}
    ratios = {k: rate_ratio(rows[k]) for k in ("land-contiguous", "PR: both democracies",
                                                 "PR: parity (CINC ratio ≤ 3)", "contiguous: both democracies")}
    counts = {k: (sum(rows[k]["force_per_run"]), sum(rows[k]["force_per_run_complement"])) for k in ratios}
    where = f"rate ratios (estimate, 95% lo, hi): {ratios}; uses of force (in, out): {counts}"
    assert ratios["land-contiguous"][1] > 3.0, where
    assert ratios["PR: both democracies"][2] < 1.0, where
    assert ratios["PR: parity (CINC ratio ≤ 3)"][1] > 1.0, where
    assert ratios["contiguous: both democracies"][2] < 1.0, where
    # the real data order the same way
    real = {k: rows[k]["real_force"] / rows[k]["real_force_complement"] for k in ratios}
    assert real["land-contiguous"] > 10 and real["PR: parity (CINC ratio ≤ 3)"] > 1, real
    assert real["PR: both democracies"] < 1 and real["contiguous: both democracies"] < 1, real


# ---------------------------------------------------------------- 1914
JULY_RUNS = 200


@pytest.fixture(scope="module")
def july():
    """The July crisis and each variant's great powers at war per run (same seeds for every variant)."""
    sc = load_scenario(SCENARIOS / "july-crisis-1914.yaml")
    major = np.array([a.major_power for a in build_world(sc).actors])
    auh, srb = sc.codes.index("AUH"), sc.codes.index("SRB")
    out = {}
    for v in (None, "defense-dominant", "conditional-pledge"):
        m = batch(sc.with_variant(v) if v else sc, JULY_RUNS, 1914)
        at_war = (m.peak >= 7).any(axis=2) & major  # [runs, states]: great powers at war
        out[v] = {"gp": at_war.sum(axis=1), "local_war": m.peak[:, auh, srb] >= 7}
    return out


def test_1914_offence_dominance_spreads_the_war(july):
    """Christensen & Snyder (1990); Van Evera (1984): believed offence dominance chain-gangs a local war into a general one.

    As scripted (up to Austria-Hungary's declaration of war on Serbia, offence believed dominant),
    the war spreads to at least four great powers in a large share of runs: the Wilson 95% interval
    of that share lies above one third. (History is one draw; with allies' entry fitted to the
    record — docs/model.md §7.6 — the model gives about one run in two: 52% [45, 59] of 200 on the
    test's seeds.)
    """
    general = july[None]["gp"] >= 4
    p, lo, hi = wilson(int(general.sum()), len(general))
    assert lo > 1 / 3, (p, lo, hi, np.bincount(july[None]["gp"]))


@pytest.mark.parametrize("variant", ["defense-dominant", "conditional-pledge"])
def test_1914_defence_dominance_or_conditional_pledge_keeps_it_local(july, variant):
    """Christensen & Snyder (1990): with the defence believed dominant, or a German pledge conditional on a Russian attack, allies pass the buck.

    Each variant changes one thing and keeps Austria-Hungary's declaration of war on Serbia (it is
    at war with Serbia in every run of the variant). On the same seeds as the baseline, a general
    war (≥ 4 great powers) is rarer by at least 30 points (Newcombe interval for the paired
    difference), and the war stays local — at most two great powers at war, Austria-Hungary and
    at most one other (Serbia's patron), nothing spreading through the alliance chain — in most
    runs (Wilson interval above one half).
    """
    base, var = july[None], july[variant]
    assert var["local_war"].all(), "the variant must keep the Austro-Serbian war"
    d, lo, hi = paired_props(var["gp"] >= 4, base["gp"] >= 4)
    assert hi < -0.3, (variant, d, lo, hi)
    p, lo, hi = wilson(int((var["gp"] <= 2).sum()), len(var["gp"]))
    assert lo > 0.5, (variant, p, lo, hi, np.bincount(var["gp"]))


# ---------------------------------------------------------------- 1962
#: The no-deal variant's extra danger is a few points (the US–Soviet slip out of the quarantine is
#: 0.75%/week, docs/model.md §7.8): 1,000 runs show it on every seed block (0–4 checked).
CUBA_RUNS = 1000


def test_1962_the_deal_ends_the_crisis_without_war():
    """George & Smoke (1974); Schelling (1966): with the quarantine in place, the face-saving trade ends the crisis without war.

    The quarantine (rung 6) and the letters are scripted; what is asked is what the model makes of
    them. With the Kennedy–Khrushchev trade, war among the principals (USA, USSR, Cuba) is rare —
    the Wilson 95% interval lies below 15% — and the blockade is lifted (the US–Soviet rung ends
    below 6) in most runs. Without the trade (variant ``no-deal``, the letters removed, same seeds),
    the confrontation lasts and so does its risk (Schelling's threat that leaves something to chance):
    war among the principals is more frequent (paired Newcombe interval above zero).
    """
    sc = load_scenario(SCENARIOS / "cuban-missile-crisis-1962.yaml")
    pr = [sc.codes.index(c) for c in ("USA", "RUS", "CUB")]
    u, r = sc.codes.index("USA"), sc.codes.index("RUS")
    war, lifted = {}, {}
    for v in (None, "no-deal"):
        m = batch(sc.with_variant(v) if v else sc, CUBA_RUNS, 1962)
        war[v] = (m.peak[:, pr][:, :, pr] >= 7).any(axis=(1, 2))
        lifted[v] = m.world.level[:, u, r] < 6
    p, lo, hi = wilson(int(war[None].sum()), CUBA_RUNS)
    assert hi < 0.15, ("war with the deal", p, lo, hi)
    p, lo, hi = wilson(int(lifted[None].sum()), CUBA_RUNS)
    assert lo > 0.5, ("blockade lifted with the deal", p, lo, hi)
    d, lo, hi = paired_props(war["no-deal"], war[None])
    assert lo > 0, ("war: no-deal − deal", d, lo, hi)


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
    """Walt (1987): a new pact makes its members more threatening, and their rivals balance together.

    The same five-state world with and without Russia's pledge to North Korea, on the same seeds:
    South Korea's threat from North Korea rises in the step of the pact, and the three rivals'
    balancing acts toward each other in the following eight steps are more frequent (the 95%
    paired interval of the difference in counts lies above zero).
    """
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
    assert np.mean(threat) > 0.1  # the pact raises South Korea's threat from North Korea
    d, lo, hi = paired_diff(np.array(diffs), np.zeros(len(diffs)))
    assert lo > 0, ("extra balancing acts among the rivals with the pact", d, lo, hi)


def test_a_small_distant_naval_visit_stays_a_low_rung_signal():
    """Walt (1987) on proximity and offensive power; MID hostility levels (Jones, Bremer & Singer 1996): a small, distant visit is a display, not a use of force.

    A one-ship Russian visit to Cuba near the USA: the US–Russian dyad reaches a use of force
    (rung ≥ 5) in under 10% of runs (Wilson 95% upper bound; about 7% are measured, so 1,000 runs
    keep the bound clear of 10% on every seed block).
    """
    sc = Scenario.model_validate({
        "id": "visit", "title": "t", "briefing": {"summary": "s"}, "data_year": 2022,
        "calendar": {"start": "2024-01-01", "horizon": 12},
        "actors": [{"code": c} for c in ("RUS", "USA", "CUB")],
        "events": [{"type": "naval_deployment", "step": 1, "actor": "RUS", "partners": ["CUB"], "near": ["USA"], "force_size": 1.0}],
    })
    peaks = batch(sc, 1000).peak[:, 0, 1]
    p, lo, hi = wilson(int((peaks >= 5).sum()), len(peaks))
    assert hi < 0.1, (p, lo, hi, np.bincount(peaks))


# ---------------------------------------------------------------- lenses
def identity_world(lens: str, c_ideal: float = -1.5) -> Scenario:
    """A faces B (strong, near, same UN-voting identity) and C (weaker, farther, opposite identity unless ``c_ideal`` = 1)."""
    def actor(code, cinc, lon, ideal):
        return {"code": code, "catalog": False, "overrides": {"cinc": cinc, "lat": 0.0, "lon": lon, "ideal_point": ideal, "polyarchy": 0.3}}

    return Scenario.model_validate({
        "id": "identity", "title": "t", "briefing": {"summary": "s"}, "data_year": 2022, "lens": lens,
        "calendar": {"start": "2024-01-01", "horizon": 26},
        "actors": [actor("AAA", 0.02, 0.0, 1.0), actor("BBB", 0.06, 5.0, 1.0), actor("CCC", 0.03, 15.0, c_ideal)],
        # AAA has a running dispute with both (escalation needs a cause); which one it answers is the lens's
        "relations": {"from_catalog": False, "tensions": [{"between": ["AAA", "BBB"], "value": 2}, {"between": ["AAA", "CCC"], "value": 2}]},
    })


def decisions(res, actor: str | None = None) -> list[dict]:
    """The decision records of a single run (optionally of one actor)."""
    return [x for x in res.records if x["kind"] == "decision" and (actor is None or x["actor"] == actor)]


def test_liberal_lens_uses_less_force_than_the_realist(founding):
    """Keohane & Nye (1977); Russett & Oneal (2001) against Waltz (1979) and Mearsheimer (2001): interdependence, institutions and regime type restrain force.

    The founding scenario under the liberal and the realist lens, same seeds: the liberal states
    make fewer threats, shows of force and clashes. The ratio of the two counts (liberal over
    realist, runs resampled jointly) has a 95% bootstrap interval below 1.
    """
    force = {}
    for lens in ("realist", "liberal"):
        sc = founding.model_copy(update={"lens": lens})
        force[lens] = [sum(x["type"] in ("threaten", "show_force", "clash") for x in decisions(run_scenario(sc, seed=s, record="summary")))
                       for s in seeds(20)]
    r, lo, hi = ratio_ci(force["liberal"], force["realist"])
    assert hi < 1.0, ("liberal / realist uses of force", r, lo, hi, force)


def lens_counts(lens: str, n: int, c_ideal: float = -1.5) -> np.ndarray:
    """Per run, A's (hostile acts at C, hostile acts, balancing against B, balancing acts) in :func:`identity_world`."""
    rows = []
    for s in seeds(n):
        mine = decisions(run_scenario(identity_world(lens, c_ideal), seed=s, record="summary"), "AAA")
        acts = [x for x in mine if x["type"] in ("protest", "threaten", "sanction", "show_force", "clash")]
        # arming is against its target; aligning (recorded with the partner) is against the third state
        bal = [x for x in mine if x["type"] in ("arm", "balance")]
        rows.append((sum(x["target"] == "CCC" for x in acts), len(acts),
                     sum(x["target"] == ("BBB" if x["type"] == "arm" else "CCC") for x in bal), len(bal)))
    return np.array(rows, dtype=float)


def test_realists_balance_against_power_constructivists_confront_the_other():
    """Walt (1987), Waltz (1979) and Morrow (1993) against Wendt (1999): power and proximity, or identity, decide whom a state opposes.

    State A has the same running dispute with B (stronger, nearer) and C (weaker, farther). Each
    theory's prediction is tested where the theory makes it, on shared seeds:

    * Balance of threat (Walt 1987; Morrow 1993 on arms versus allies). When B and C differ only
      in power and proximity (the same UN-voting identity as A), a realist arms and aligns mostly
      against B: more than half of its balancing acts (95% bootstrap interval over runs). Realism
      does *not* predict where its protests and shows of force go — it is deterred from force
      against a stronger state (Huth 1988), and C's hostile acts make C a threat too (Walt counts
      aggressive intentions) — so no claim is made about its hostile acts.
    * Identity (Wendt 1999). When C is also the 'other' (the opposite UN-voting identity), a
      constructivist confronts it whatever the balance of power: more than half of its hostile
      acts go to C, and a larger share than the realist's in the same world (the difference of
      the shares, runs resampled jointly, has its 95% interval above 0); and the realist, blind
      to identity in its choices, directs a larger share of its balancing against B than the
      constructivist does (paired difference above 0).

    Why the realist's own claim is not asked in the identity world: the threat every state
    perceives weighs UN-voting distance (docs/model.md §7.2), so there C is a comparable threat
    to the realist as well — its balancing against B was measured at 0.52–0.60 of its acts
    (80 runs, seed blocks 0–4), which realism does not decide.
    """
    neutral = lens_counts("realist", 40, c_ideal=1.0)
    against_power = ratio_ci(neutral[:, 2], neutral[:, 3])
    assert against_power[1] > 0.5, ("realist, B and C alike but for power and proximity: share of balancing against B", against_power)
    re_, co = lens_counts("realist", 20), lens_counts("constructivist", 20)
    at_other = ratio_ci(co[:, 0], co[:, 1])
    assert at_other[1] > 0.5, ("constructivist: share of hostile acts at C", at_other)
    # the contrasts, on paired seeds: differences of shares (realist − constructivist and back)
    power_contrast = share_diff_ci(re_[:, 2], re_[:, 3], co[:, 2], co[:, 3])
    assert power_contrast[1] > 0, ("balancing against B: realist share − constructivist share", power_contrast)
    other_contrast = share_diff_ci(co[:, 0], co[:, 1], re_[:, 0], re_[:, 1])
    assert other_contrast[1] > 0, ("hostile acts at C: constructivist share − realist share", other_contrast)


# ---------------------------------------------------------------- escalation needs a cause
QUIET_RUNS = 3000
#: Known failures of the quiet founding world, each asserted by its own strict xfail below.
QUIET_KNOWN: set[tuple[str, str]] = set()  # (dyad, measure) pairs that fail and have their own strict xfail


@pytest.fixture(scope="module")
def quiet_checks():
    """The quiet founding world's per-dyad checks: (row, measure, bound), and the Bonferroni z of the family."""
    import sys
    from pathlib import Path

    from scipy.stats import norm

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
    from quiet_worlds import quiet

    rows = [r for r in quiet("korea-russia-2024", QUIET_RUNS, 11 + SEED) if not r["side_at_war"]]
    checks = [(r, "war", 0.02) for r in rows if r["start"] == 0] + [(r, "force", 2 * r["mid_force"]) for r in rows if not r["rival"]]
    return checks, float(norm.isf(0.05 / (2 * len(checks))))


def quiet_over(checks, z, keep) -> list[tuple]:
    """The checks (selected by ``keep(dyad, measure)``) whose runs show a rate above the bound."""
    n = QUIET_RUNS
    return [(r["dyad"], what, r[what], bound, wilson(round(r[what] * n), n, z)[1]) for r, what, bound in checks
            if keep(r["dyad"], what) and wilson(round(r[what] * n), n, z)[1] > bound]


def test_quiet_world_stays_quiet(quiet_checks):
    """The founding scenario without its events, one year: no war from peace; non-rivals near MID rates.

    Issue 10's acceptance: a pair that starts at peace reaches war in at most 2% of one-year runs,
    and a non-rival pair's yearly chance of a new use of force is within ×2 of the MID rate for its
    dyad type. "At most" is read as: the runs do not show more — each dyad's Wilson interval
    reaches down to its bound, at a family-wise 95% over the dyads checked (Bonferroni). A state
    joining a partner's ongoing war (North Korea in Russia's war with Ukraine) is alliance
    support, not a new war between a pair at peace: such pairs are held to neither bound here
    (the support test below asks about them). Rival dyads and dyads already in dispute
    (sanctions, tensions) are reported by scripts/quiet_worlds.py; the MID base-rate file has no
    rivalry row to hold them to. Known failures (:data:`QUIET_KNOWN`; none at present — South
    Korea–Cuba passed once statements and arms for a partner stopped opening a dispute with its
    opponent) would have their own strict xfail.
    """
    checks, z = quiet_checks
    over = quiet_over(checks, z, lambda d, w: (d, w) not in QUIET_KNOWN)
    assert not over, f"(dyad, measure, rate, bound, lower bound) over {QUIET_RUNS} runs: {over}"


def test_a_tense_year_of_a_rivalry_rarely_ends_in_war():
    """Thompson & Dreyer (2011); Klein, Goertz & Diehl (2006): most years of a strategic rivalry, even hostile ones, end without war.

    In the founding scenario's quiet year (300 runs) every pair of rivals that starts in an open
    dispute (North Korea with South Korea and with Japan: the scenario's standing tension) reaches a
    war of its own (not by fighting for a partner) in no more than ×2 the Thompson–Dreyer rivals'
    yearly rate of new wars (2.3% for contiguous rivals, 2.1% for the others, 1816–1989,
    ``sim/data/mid_rivalry_rates.csv``): each pair's Wilson interval reaches down to its bound at a
    family-wise 95% (Bonferroni). North Korea's war with South Korea is what extended deterrence
    holds down (the United States' pledge, docs/model.md §7.7): without it the pair fights a war
    in about 8% of these years.
    """
    from scipy.stats import norm

    from sim.validation.credibility import quiet_world

    q = quiet_world(load_scenario(SCENARIOS / "korea-russia-2024.yaml"), 300, seed=7 + SEED, executor="inprocess")
    rows = [r for r in q["dyads"] if r["p_war_rival"] is not None]
    assert rows, "the founding scenario has rival pairs in a dispute"
    z = float(norm.isf(0.05 / (2 * len(rows))))
    over = [(r["dyad"], r["p_war_direct"], 2 * r["p_war_rival"]) for r in rows
            if wilson(r["war_runs"] - r["war_joined_runs"], q["runs"], z)[1] > 2 * r["p_war_rival"]]
    assert not over, f"(dyad, own-war share, bound) over {q['runs']} runs: {over}"


def test_incidents_happen_where_forces_meet():
    """Posen (1991); Sagan (1993): incidents nobody chose happen where forces are in contact.

    Two states in a running dispute, with and without a US naval deployment near China (same
    seeds): a run has an unchosen incident more often with the deployment (paired Newcombe
    interval above zero), and such incidents are not rare then (Wilson lower bound above 5%).
    """
    def world(deploy: bool) -> Scenario:
        ev = [{"type": "naval_deployment", "step": 0, "actor": "USA", "near": ["CHN"], "force_size": 5.0, "duration_weeks": 26}] if deploy else []
        return Scenario.model_validate({
            "id": "contact", "title": "t", "briefing": {"summary": "s"}, "data_year": 2022,
            "calendar": {"start": "2024-01-01", "horizon": 26},
            "actors": [{"code": "USA"}, {"code": "CHN"}],
            "relations": {"from_catalog": False, "tensions": [{"between": ["USA", "CHN"], "value": 4}]},
            "events": ev,
        })
    hit = {}
    for deploy in (True, False):
        sc = world(deploy)
        hit[deploy] = np.array([any(x["type"] == "incident" for x in run_scenario(sc, seed=s, record="summary").records)
                                for s in seeds(120)])
    d, lo, hi = paired_props(hit[True], hit[False])
    assert lo > 0, ("incidents: deployment − none", d, lo, hi)
    p, lo, hi = wilson(int(hit[True].sum()), len(hit[True]))
    assert lo > 0.05, ("incidents with the deployment", p, lo, hi)


def test_border_contact_and_crisis_contact_have_their_own_incident_hazards():
    """Posen (1991); Vasquez (1993): land neighbours' forces on alert meet along the border, apart from any crisis deployment.

    Two land neighbours (India and Pakistan, 2022) held at a show of force, nothing scheduled: a run
    has an unchosen incident more often with the border hazard than with it set to zero (same seeds;
    paired Newcombe interval above zero) — only the border hazard changes. For two distant powers
    whose forces meet only through a deployment (the US near China), the border hazard changes
    nothing at all (the same incidents, run for run), while the crisis hazard does.
    """
    def world(a: str, b: str, border: float, crisis: float, deploy: bool) -> Scenario:
        ev = [{"type": "naval_deployment", "step": 0, "actor": a, "near": [b], "force_size": 5.0, "duration_weeks": 26}] if deploy else []
        return Scenario.model_validate({
            "id": "contact", "title": "t", "briefing": {"summary": "s"}, "data_year": 2022,
            "calendar": {"start": "2024-01-01", "horizon": 26},
            "actors": [{"code": a}, {"code": b}],
            "relations": {"from_catalog": False, "tensions": [{"between": [a, b], "value": 4}]},
            "parameters": {"ladder": {"border_incident_rate": border, "incident_rate": crisis}},
            "events": ev,
        })

    def incidents(sc: Scenario) -> np.ndarray:
        return np.array([sum(x["type"] == "incident" for x in run_scenario(sc, seed=s, record="summary").records)
                         for s in seeds(120)])

    on, off = incidents(world("IND", "PAK", 0.03, 0.015, False)), incidents(world("IND", "PAK", 0.0, 0.015, False))
    d, lo, hi = paired_props(on > 0, off > 0)
    assert lo > 0, ("neighbours: border hazard − none", d, lo, hi)
    far = [incidents(world("USA", "CHN", b, c, True)) for b, c in ((0.03, 0.015), (0.0, 0.015), (0.03, 0.0))]
    assert np.array_equal(far[0], far[1]), "the border hazard moved incidents between states with no land border"
    d, lo, hi = paired_props(far[0] > 0, far[2] > 0)
    assert lo > 0, ("deployment: crisis hazard − none", d, lo, hi)


# ---------------------------------------------------------------- alliance support as choices
def support_to(sc: Scenario, giver: str, partner: str, runs: int, master: int, variant: str | None = None) -> np.ndarray:
    """The highest degree of support ``giver`` gave ``partner`` in each run (0 none … 4 joined the war)."""
    s2 = sc.with_variant(variant) if variant else sc
    m = CrisisModel(s2, seeds=child_seeds(master, runs), record="summary").run()
    return m.support_max[:, m.idx[giver], m.idx[partner]]


def test_the_pact_draws_north_korean_forces_into_russias_war_by_its_own_choice(founding):
    """Snyder (1984); Leeds (2003); Morrow (1991): a pledge makes a partner's help likelier; help comes in degrees.

    North Korea's arms and troops for Russia's war come from its own choices (support is chosen
    each step, docs/model.md §7.5). On the same seeds with and without the pact (variant
    ``no-pact``): troops are likelier with the pact (paired Newcombe interval above zero); the
    answer is uncertain, not a certainty either way (Wilson interval inside 1%–95%); arms are
    likelier than troops, troops than joining; and China, with no pledge to Russia, sends no
    troops (Wilson upper bound below 5%).
    """
    master, n = 1, 400
    base = support_to(founding, "PRK", "RUS", n, master + 1000 * SEED)
    nopact = support_to(founding, "PRK", "RUS", n, master + 1000 * SEED, "no-pact")
    d, lo, hi = paired_props(base >= 3, nopact >= 3)
    assert lo > 0, ("troops: pact − no pact", d, lo, hi)
    p, lo, hi = wilson(int((base >= 3).sum()), n)
    # a question the model answers either way: troops are neither ruled out nor certain (measured on
    # seed 1: 4.75% [3.1, 7.3] of 400 runs with the pact; entry into a partner's war is fitted to
    # the record, docs/model.md §7.6)
    assert 0.01 < lo and hi < 0.95, ("troops with the pact", p, lo, hi)
    for k in (2, 3):  # degrees: arms likelier than troops than joining the war
        d, lo, hi = paired_props(base >= k, base >= k + 1)
        assert lo > 0, (f"support ≥ {k} vs ≥ {k + 1}", d, lo, hi)
    # a pledge matters, not just proximity: China, with no pledge to Russia, sends no troops
    chn = support_to(founding, "CHN", "RUS", n, master + 1000 * SEED) >= 3
    assert wilson(int(chn.sum()), n)[2] < 0.05, chn.mean()


# ---------------------------------------------------------------- nuclear weapons: restraint and risk
def nuclear_pair(nuclear: bool, events: tuple = (), horizon: int = 52) -> Scenario:
    """Two rival great powers about 850 km apart with a running dispute; ``nuclear`` is the one thing varied."""
    def actor(code: str, lon: float, ideal: float) -> dict:
        return {"code": code, "catalog": False, "overrides": {
            "cinc": 0.08, "lat": 40.0, "lon": lon, "major_power": True, "nuclear": nuclear, "polyarchy": 0.3, "ideal_point": ideal}}

    return Scenario.model_validate({
        "id": "nuclear-pair", "title": "t", "briefing": {"summary": "s"}, "data_year": 2022,
        "calendar": {"start": "2024-01-01", "horizon": horizon},
        "actors": [actor("AAA", 0.0, 1.0), actor("BBB", 10.0, -1.0)],
        "relations": {"from_catalog": False, "rivalries": [["AAA", "BBB"]],
                      "tensions": [{"between": ["AAA", "BBB"], "value": 3}]},
        "events": list(events),
    })


#: Both sides' forces standing face to face for the year (as along Kashmir's line of control, the
#: paradox's paradigm case): the opportunity for force that the model requires (Most & Starr 1989).
LINE_OF_CONTROL = tuple({"type": "troop_deployment", "step": 0, "actor": a, "near": [b], "force_size": 5.0,
                         "duration_weeks": 52} for a, b in (("AAA", "BBB"), ("BBB", "AAA")))


def _paradox_runs(n: int = 2000, weeks: int = 52):
    band, peak = {}, {}
    for nuclear in (True, False):
        m = CrisisModel(nuclear_pair(nuclear, LINE_OF_CONTROL, horizon=weeks), seeds=seeds(n, 1965), record="summary")
        band[nuclear] = np.zeros(n)
        for _ in range(weeks):
            m.step()
            lv = m.world.level[:, 0, 1]
            band[nuclear] += (lv >= 4) & (lv <= 6)
        peak[nuclear] = m.peak[:, 0, 1].copy()
    return band, peak


def test_stability_instability_paradox():
    """Snyder (1965); Jervis (1984); Rauchhaus (2009); Bell & Miller (2015): nuclear weapons do not make low-level conflict rarer.

    The same rival pair of great powers with and without nuclear weapons (nothing else changes),
    their forces facing each other for a year (``LINE_OF_CONTROL``), on the same seeds. Instability
    at the bottom: the weeks the dyad spends in threats, displays and uses of force short of war
    (rungs 4–6) are at least as many (non-inferiority: the paired 95% interval of the difference
    lies above −2% of the non-nuclear mean), and a use of force is at least as likely. (Stability at
    the top — war rarer — is the next test.)
    """
    band, peak = _paradox_runs()
    d, lo, hi = paired_diff(band[True], band[False])
    assert lo > -0.02 * band[False].mean(), ("weeks at rungs 4–6: nuclear − non-nuclear", d, lo, hi, band[False].mean())
    d, lo, hi = paired_props(peak[True] >= 5, peak[False] >= 5)
    assert lo > -0.02, ("use of force: nuclear − non-nuclear", d, lo, hi)


def test_stability_instability_paradox_war_is_rarer_between_nuclear_powers():
    """Snyder (1965); Jervis (1984); Rauchhaus (2009): stability at the top — war rarer between nuclear powers.

    The same pair and seeds as above: the paired Newcombe interval of the difference in the chance
    of war (rung ≥ 7), nuclear minus non-nuclear, lies below zero. Between nuclear powers war
    comes only from the risk path's slip out of a blockade, which their care divides by the same
    ×4 that widens their bargaining range (docs/model.md §7.8); the uses of force it would have
    ended in war between non-nuclear rivals stay short of war.
    """
    _, peak = _paradox_runs()
    d, lo, hi = paired_props(peak[True] >= 7, peak[False] >= 7)
    assert hi < 0, ("war: nuclear − non-nuclear", d, lo, hi)


def test_extended_deterrence_a_nuclear_allys_pledge_makes_war_rarer_not_force():
    """Schelling (1966); Huth (1988); Fuhrmann & Sechser (2014): a nuclear ally's pledge deters war against its client.

    A nuclear state and a non-nuclear rival, forces face to face for a year; the rival holds a
    defence pact with a distant great power whose nuclear weapons are the one thing varied
    (:func:`~sim.validation.mechanisms.umbrella_world`), same seeds. Under a nuclear umbrella war is
    rarer (paired Newcombe interval of the difference below zero), while uses of force short of
    war are not (the interval of their difference lies above −2 points: stability at the top,
    not at the bottom). The umbrella is each side's nuclear cover in the bargaining range
    (docs/model.md §7.7); with ``extended_deterrence`` off only an arsenal of one's own counts and
    the gap in war closes.
    """
    from sim.validation.mechanisms import umbrella_world

    n = 1000
    peak = {nuc: CrisisModel(umbrella_world(nuc), seeds=seeds(n, 1988), record="summary").run().peak[:, 0, 1]
            for nuc in (True, False)}
    d, lo, hi = paired_props(peak[True] >= 7, peak[False] >= 7)
    assert hi < 0, ("war: nuclear patron − non-nuclear patron", d, lo, hi)
    d, lo, hi = paired_props(peak[True] >= 5, peak[False] >= 5)
    assert lo > -0.02, ("use of force: nuclear patron − non-nuclear patron", d, lo, hi)


BLOCKADE = ({"type": "blockade", "step": 1, "actor": "AAA", "targets": ["BBB"]},)
WAR = ({"type": "war_declaration", "step": 1, "actor": "AAA", "targets": ["BBB"]},)


@pytest.mark.parametrize(("start", "rung", "bound"), [(BLOCKADE, 8, 0.25), (WAR, 9, 0.05)], ids=["blockade", "war"])
def test_nuclear_risk_a_threat_that_leaves_something_to_chance(start, rung, bound):
    """Schelling (1960, 1966); Powell (2015): a confrontation between nuclear powers carries a risk of nuclear escalation neither side chooses.

    A half-year blockade (rung 6) or a year of war (rung 7) between the same two great powers:
    with nuclear weapons the dyad reaches nuclear threats within a war (rung 8, from the blockade)
    or nuclear use (rung 9, from the war) in a small but non-zero share of runs (Wilson 95%
    interval above 0 and below ``bound``); without them it never does (rungs 8–10 need nuclear
    weapons); and the risk path (``ladder.nuclear_slip``, docs/model.md §7.8) is what carries
    it: switched off, the share falls (paired Newcombe interval of the difference above zero).
    """
    # nuclear use is rare (about 0.2% of war-years), so the war case needs many runs to see the risk path
    n, weeks = (1000, 26) if start is BLOCKADE else (8000, 52)
    nuc = batch(nuclear_pair(True, start, weeks), n, 1960).peak[:, 0, 1] >= rung
    p, lo, hi = wilson(int(nuc.sum()), n)
    assert 0 < lo and hi < bound, (f"nuclear pair reaches rung {rung}", p, lo, hi)
    conv = batch(nuclear_pair(False, start, weeks), 1000, 1960).peak[:, 0, 1]
    assert conv.max() <= 7, np.bincount(conv)
    off = batch(nuclear_pair(True, start, weeks), n, 1960, switched_off=frozenset({"nuclear_risk"})).peak[:, 0, 1] >= rung
    d, lo, hi = paired_props(nuc, off)
    assert lo > 0, ("risk path on − off", d, lo, hi)


def test_a_blockade_between_nuclear_powers_ends_in_war_less_often():
    """Asal & Beardsley (2007); Snyder (1965): crises between nuclear powers escalate to full-scale war less often.

    The same half-year blockade between the same two great powers, with and without nuclear
    weapons, on the same seeds: war (rung ≥ 7) is rarer with them (paired Newcombe interval
    below zero) — the risk path makes war possible (the test above), not likelier than without
    the weapons: its slip from a blockade into war is ``ladder.nuclear_slip`` divided by the
    nuclear war-cost factor (docs/model.md §7.8).
    """
    n, weeks = 1000, 26
    war = {nuc: batch(nuclear_pair(nuc, BLOCKADE, weeks), n, 1962).peak[:, 0, 1] >= 7 for nuc in (True, False)}
    d, lo, hi = paired_props(war[True], war[False])
    assert hi < 0, ("war from a blockade: nuclear − non-nuclear", d, lo, hi, war[True].mean(), war[False].mean())


# ---------------------------------------------------------------- fighting: intensification and war
def clash_pair(target_modifiers: list[str], target_doctrine: str = "realist", events: tuple | None = None,
               horizon: int = 12) -> Scenario:
    """The mechanism world of fighting (:func:`~sim.validation.mechanisms.clash_world`: AAA opens minor clashes on BBB).

    Only BBB's disposition (its doctrine and modifiers), the opening event or the horizon is varied.
    """
    opening = clash_world().events if events is None else events
    return dyad_world(opening, horizon=horizon, ident="clash-pair",
                      b_actor={"doctrine": target_doctrine, "modifiers": target_modifiers})


def test_force_answered_with_force_intensifies_into_serious_clashes():
    """Richardson (1960); Leng (1993): crises escalate when coercion is met with coercion (cf. Hensel & Diehl 1994 on targets that answer without force).

    AAA opens minor clashes (rung 5) on BBB; BBB is either firm (a hawkish, risk-acceptant realist,
    who answers in kind) or restrained (a dovish, risk-averse liberal), same seeds. Over twelve
    weeks the fighting becomes serious (rung ≥ 6) more often against the firm target (paired
    Newcombe interval of the difference above zero), and against it in a large share of runs — in
    the ICB record serious clashes follow in 45% of the crises outside a war that a violent act
    triggered (41 of 92, docs/history.md): the Wilson lower bound is above 25%. The gap is the
    intensification of fighting (``ladder.intensification``, docs/model.md §7.8): with it switched
    off, minor clashes rise only by incidents and the gap narrows (paired interval of the
    difference of differences above zero).
    """
    n = 1000
    firm, restrained = clash_pair(["hawkish", "risk_acceptant"]), clash_pair(["dovish", "risk_averse"], "liberal")
    serious = {(who, off): batch(sc, n, 1993, switched_off=off).peak[:, 0, 1] >= 6
               for who, sc in (("firm", firm), ("restrained", restrained))
               for off in (frozenset(), frozenset({"intensification"}))}
    on = frozenset()
    d, lo, hi = paired_props(serious["firm", on], serious["restrained", on])
    assert lo > 0, ("serious clashes: firm − restrained target", d, lo, hi)
    p, lo, hi = wilson(int(serious["firm", on].sum()), n)
    assert lo > 0.25, ("serious clashes against a firm target", p, lo, hi)
    gap = {off: serious["firm", off].astype(float) - serious["restrained", off] for off in (on, frozenset({"intensification"}))}
    d, lo, hi = paired_diff(gap[on], gap[frozenset({"intensification"})])
    assert lo > 0, ("firm − restrained gap: with intensification − without", d, lo, hi)


def test_serious_clashes_end_in_war_more_often_than_minor_ones():
    """Serious clashes end in war more often than minor ones (proposal in the direction of the ICB studies, Brecher & Wilkenfeld 2000).

    Two neighbours fighting for half a year, opened by minor clashes (rung 5) or by serious ones
    (an armed clash of intensity 0.9, rung 6), same seeds. Per week spent in the violence band, war
    breaks out more often from serious clashes than from minor ones: the ratio of the two weekly
    onset rates (onsets over weeks at each rung, runs resampled whole) has a 95% bootstrap interval
    above 1 — the war hazard's factor at rung 6 (``bargaining.serious_clash_factor``, §7.7). The
    time spent at each rung does not carry this: it is the rate per week. Intensification is off so
    that each run stays near the rung it was opened at.
    """
    n, weeks = 1000, 26
    onsets, exposure = {5: np.zeros(n), 6: np.zeros(n)}, {5: np.zeros(n), 6: np.zeros(n)}
    for intensity in (0.5, 0.9):
        ev = ({"type": "armed_clash", "step": 0, "actor": "AAA", "targets": ["BBB"], "intensity": intensity},)
        m = CrisisModel(clash_pair(["hawkish"], events=ev, horizon=weeks), seeds=seeds(n, 2000), record="summary",
                        switched_off=frozenset({"intensification"}))
        m.step()  # the opening clash
        for _ in range(weeks - 1):
            before = m.world.level[:, 0, 1].copy()
            m.step()
            war = m.world.level[:, 0, 1] >= 7
            for rung in (5, 6):
                at = before == rung
                exposure[rung] += at
                onsets[rung] += at & war
    assert exposure[5].sum() > 0 and exposure[6].sum() > 0
    r, lo, hi = ratio_ci(onsets[6], exposure[6], paired_with=(onsets[5], exposure[5]))
    assert lo > 1, ("weekly war onset rate: serious / minor clashes", r, lo, hi, onsets[6].sum(), onsets[5].sum())
