"""Small worlds in which one named mechanism matters by its literature, and the paired measurements on them.

Each ``*_world`` function builds a two-state scenario (plus a distant arms supplier for the
commitment problem) that differs between its arguments in one thing only; each ``*_gap`` /
``*_ratio`` function runs two such worlds over the same seeds (common random numbers) and returns
the paired 95% interval ``(low, estimate, high)`` of the prediction that ``tests/test_mechanisms.py``
asserts. :data:`MECHANISM_WORLDS` lists one world per mechanism, in which
``scripts/parameter_effects.py`` can show a parameter's effect that the bundled scenarios hide.

- beliefs: the security-dilemma spiral (Jervis 1976, 1978; Glaser 1997) — :func:`spiral_world`, :func:`spiral_gap`;
- commitment: a sudden shift in the balance of power (Fearon 1995; Powell 2006) — :func:`shift_world`, :func:`shift_gap`;
- power_transition: a dissatisfied challenger at parity (Organski & Kugler 1980; Lemke 2002) —
  :func:`transition_world`, :func:`transition_gap`;
- settlement: wars end by negotiation (Fearon 1995; Slantchev 2003) — :func:`offer_world`, :func:`offer_ratio`;
- nuclear_risk: two nuclear powers at war or at the brink (Schelling 1960, 1966; Powell 2015) —
  :func:`nuclear_world`, :func:`blockade_world`, :func:`brinkmanship_gap`;
- extended_deterrence: a nuclear ally's pledge behind a non-nuclear client (Huth 1988; Fuhrmann & Sechser 2014) —
  :func:`umbrella_world` (no parameter of its own, so not in :data:`MECHANISM_WORLDS`);
- disputes: rivals quarrel more (Bremer 1992; Thompson 2001) — :func:`rivals_world`, :func:`dispute_gap`;
- parity: states near parity quarrel more (Bremer 1992; Organski & Kugler 1980) — :func:`parity_world`, :func:`parity_ratio`;
- liberal_peace: neighbours sharing institutions (Russett & Oneal 2001) — :func:`institutions_world`;
- opportunity: rivals without a land border, one of them a major power or not (Most & Starr 1989;
  Bremer 1992) — :func:`opportunity_world`;
- intensification and serious_clash_war: minor clashes that become serious ones, and serious ones
  that end in war (Richardson 1960; Leng 1993; Brecher & Wilkenfeld 2000) — :func:`clash_world`;
- alignment: only the weak and alone bandwagon (Walt 1987) — :func:`alignment_world`, :func:`bandwagon_share`;
- quiet years of real states (the calibration's MID worlds): how far threat drifts when nothing happens
  (:func:`quiet_threat_drift`; restraint as evidence, Kydd 2005) and dispute onsets per dyad type
  (:func:`mid_world_onsets`; opportunity, Most & Starr 1989, Bremer 1992).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from sim.ensemble.seeds import child_seeds
from sim.model import CrisisModel
from sim.scenario.schema import Scenario

__all__ = ["paired_difference", "paired_ratio", "dyad_world", "batch", "spiral_world", "spiral_gap", "shift_world",
           "shift_gap", "transition_world", "transition_gap", "offer_world", "offer_ratio", "nuclear_world",
           "institutions_world", "blockade_world", "brinkmanship_gap", "rivals_world", "dispute_gap", "parity_world", "parity_ratio",
           "alignment_world", "bandwagon_share", "opportunity_world", "clash_world", "MECHANISM_WORLDS", "quiet_threat_drift", "mid_world_onsets", "rate_ratio"]


def paired_difference(x: np.ndarray, y: np.ndarray) -> tuple[float, float, float]:
    """Mean of the paired differences x − y with its 95% normal interval ``(low, mean, high)``."""
    d = np.asarray(x, dtype=float) - np.asarray(y, dtype=float)
    se = d.std(ddof=1) / np.sqrt(len(d))
    return float(d.mean() - 1.96 * se), float(d.mean()), float(d.mean() + 1.96 * se)


def paired_ratio(x: np.ndarray, y: np.ndarray) -> tuple[float, float, float]:
    """Ratio of means mean(x)/mean(y) of paired samples with its 95% delta-method interval."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    r = x.mean() / y.mean()
    se = (x - r * y).std(ddof=1) / (np.sqrt(len(x)) * y.mean())
    return float(r - 1.96 * se), float(r), float(r + 1.96 * se)


def dyad_world(events=(), *, horizon: int, a: dict | None = None, b: dict | None = None, extra=(),
               parameters: dict | None = None, relations: dict | None = None, ident: str = "dyad",
               b_actor: dict | None = None) -> Scenario:
    """Two custom states AAA and BBB about 440 km apart (no rivalry, no ties, no nuclear weapons), with the given events.

    ``a`` and ``b`` add actor overrides (default CINC 0.02 each); ``b_actor`` adds fields of BBB's
    actor entry (``{"doctrine": "liberal", "modifiers": ["dovish"]}``); ``parameters`` replaces values
    of parameter groups (``{"spiral": {"distinguishability": 0.0}}``); ``relations`` adds initial
    relations (``{"institutions": [{"between": ["AAA", "BBB"], "value": 1.0}]}``).
    """
    actors = [{"code": "AAA", "catalog": False, "overrides": {"cinc": 0.02, "lat": 0, "lon": 0, **(a or {})}},
              {"code": "BBB", "catalog": False, "overrides": {"cinc": 0.02, "lat": 0, "lon": 4, **(b or {})},
               **(b_actor or {})},
              *extra]
    sc = Scenario.model_validate({
        "id": ident, "title": "two states", "briefing": {"summary": "a mechanism test"}, "data_year": 2022,
        "calendar": {"start": "2024-01-01", "horizon": horizon}, "actors": actors,
        "relations": {"from_catalog": False, **(relations or {})}, "events": list(events)})
    if parameters:
        groups = {g: getattr(sc.parameters, g).model_copy(update=v) for g, v in parameters.items()}
        sc = sc.model_copy(update={"parameters": sc.parameters.model_copy(update=groups)})
    return sc


def batch(sc: Scenario, runs: int, master: int) -> CrisisModel:
    """``runs`` replications of ``sc`` with the seeds derived from ``master`` (the same seeds for every world)."""
    return CrisisModel(sc, seeds=child_seeds(master, runs), record="summary").run()


def _war(m: CrisisModel) -> np.ndarray:
    """1 for each run in which AAA and BBB went to war (rung ≥ 7), else 0."""
    return (m.peak[:, 0, 1] >= 7).astype(float)


# ---------------------------------------------------------------- beliefs: the spiral model
def spiral_world(distinguishability: float | None = None) -> Scenario:
    """Two neighbours with no dispute and no events for a year (``spiral.distinguishability`` set if given)."""
    params = {"spiral": {"distinguishability": distinguishability}} if distinguishability is not None else None
    return dyad_world(horizon=52, parameters=params)


def spiral_gap(runs: int = 400, master: int = 2024) -> tuple[float, float, float]:
    """Mean rung of the dyad over the second half-year with distinguishability 0 minus with 1 (paired)."""
    def late_rung(dist: float) -> np.ndarray:
        return batch(spiral_world(dist), runs, master).series["max_level"][26:, :, 0].mean(axis=0)
    return paired_difference(late_rung(0.0), late_rung(1.0))


# ---------------------------------------------------------------- commitment problem
def shift_world(transfer_step: int = 4) -> Scenario:
    """A violent crisis in which BBB's capability quadruples in week ``transfer_step``.

    AAA (CINC 0.04) clashes with BBB (0.01) every second week from week 4; a distant supplier's two
    arms transfers in week ``transfer_step`` quadruple BBB's capability (AAA's chance of winning:
    0.8 → 0.5).
    """
    supplier = {"code": "CCC", "catalog": False, "overrides": {"cinc": 0.005, "lat": -40, "lon": 150}}
    ev = [{"type": "arms_transfer", "step": transfer_step, "actor": "CCC", "partners": ["BBB"], "amount": 1.0}
          for _ in range(2)]
    ev += [{"type": "armed_clash", "step": s, "actor": "AAA", "targets": ["BBB"]} for s in range(4, 30, 2)]
    return dyad_world(ev, horizon=30, a={"cinc": 0.04}, b={"cinc": 0.01}, extra=[supplier])


def shift_gap(runs: int = 2000, master: int = 2024) -> tuple[float, float, float]:
    """P(war) after the sudden shift (transfers in week 4) minus P(war) with the balance shifted in week 0 (paired)."""
    return paired_difference(_war(batch(shift_world(4), runs, master)), _war(batch(shift_world(0), runs, master)))


# ---------------------------------------------------------------- power transition
def transition_world(ideal_b: float = 2.0, ratio: float = 0.95, overtake: bool = False) -> Scenario:
    """A violent crisis between the leader AAA and a challenger BBB.

    AAA clashes with BBB every second week from week 2; BBB has ``ratio`` of AAA's capability and
    UN ideal point ``ideal_b`` (AAA's is 0). With ``overtake``, a distant supplier's arms transfer
    in week 2 raises BBB's capability by 60% (the challenger overtakes the leader).
    """
    ev = [{"type": "armed_clash", "step": s, "actor": "AAA", "targets": ["BBB"]} for s in range(2, 30, 2)]
    extra = []
    if overtake:
        extra = [{"code": "CCC", "catalog": False, "overrides": {"cinc": 0.005, "lat": -40, "lon": 150}}]
        ev.append({"type": "arms_transfer", "step": 2, "actor": "CCC", "partners": ["BBB"], "amount": 0.6})
    return dyad_world(ev, horizon=30, a={"cinc": 0.02, "ideal_point": 0.0},
                      b={"cinc": 0.02 * ratio, "ideal_point": ideal_b}, extra=extra)


def transition_gap(runs: int = 2000, master: int = 2024, ratio: float = 0.95,
                   ideal: tuple[float, float] = (2.0, 0.0)) -> tuple[float, float, float]:
    """P(war) with the challenger at ideal point ``ideal[0]`` minus at ``ideal[1]`` (paired), at capability ``ratio``."""
    return paired_difference(_war(batch(transition_world(ideal[0], ratio), runs, master)),
                             _war(batch(transition_world(ideal[1], ratio), runs, master)))


# ---------------------------------------------------------------- settlement
def offer_world(offers: bool = True) -> Scenario:
    """AAA declares war on BBB in week 1; with ``offers``, BBB offers a settlement every four weeks from week 3."""
    ev = [{"type": "war_declaration", "step": 1, "actor": "AAA", "targets": ["BBB"]}]
    if offers:
        ev += [{"type": "settlement_offer", "step": s, "actor": "BBB", "targets": ["AAA"]} for s in range(3, 30, 4)]
    return dyad_world(ev, horizon=30)


def offer_ratio(runs: int = 1000, master: int = 2024) -> tuple[float, float, float]:
    """Mean weeks at war with BBB's offers over mean weeks at war without them (paired)."""
    def weeks_at_war(offers: bool) -> np.ndarray:
        return (batch(offer_world(offers), runs, master).system["dyads_war"] > 0).sum(axis=0)
    return paired_ratio(weeks_at_war(True), weeks_at_war(False))


# ---------------------------------------------------------------- liberal peace
def institutions_world() -> Scenario:
    """The spiral world's two neighbours, members of the same institutions (tie 1): the liberal peace (Russett & Oneal 2001)."""
    return dyad_world(horizon=52, relations={"institutions": [{"between": ["AAA", "BBB"], "value": 1.0}]})


# ---------------------------------------------------------------- nuclear risk
def nuclear_world() -> Scenario:
    """Two nuclear powers (AAA declares war on BBB in week 1) for half a year: the threat that leaves something to chance."""
    return dyad_world([{"type": "war_declaration", "step": 1, "actor": "AAA", "targets": ["BBB"]}], horizon=26,
                      a={"nuclear": True}, b={"nuclear": True})


def umbrella_world(patron_nuclear: bool, horizon: int = 52) -> Scenario:
    """Extended nuclear deterrence: nuclear AAA and non-nuclear BBB, rivals in a running dispute with forces face to face for a year.

    A distant great power CCC holds a defence pact with BBB; ``patron_nuclear`` (whether CCC has
    nuclear weapons) is the one thing varied. AAA's war with BBB then risks CCC's nuclear
    retaliation (``bargaining`` §7.7: each side's nuclear cover).
    """
    patron = {"code": "CCC", "catalog": False, "overrides": {"cinc": 0.08, "lat": 40, "lon": 120, "major_power": True,
                                                            "nuclear": patron_nuclear}}
    face = [{"type": "troop_deployment", "step": 0, "actor": x, "near": [y], "force_size": 5.0, "duration_weeks": horizon}
            for x, y in (("AAA", "BBB"), ("BBB", "AAA"))]
    return dyad_world(face, horizon=horizon, ident="umbrella", a={"cinc": 0.03, "nuclear": True}, extra=[patron],
                      relations={"rivalries": [["AAA", "BBB"]], "tensions": [{"between": ["AAA", "BBB"], "value": 3}],
                                 "alliances": [{"members": ["BBB", "CCC"], "type": "defense"}]})


def blockade_world(renewals: int) -> Scenario:
    """Two nuclear powers: AAA blockades BBB in week 1 and renews the blockade every third week ``renewals`` times."""
    ev = [{"type": "blockade", "step": 1 + 3 * k, "actor": "AAA", "targets": ["BBB"]} for k in range(renewals + 1)]
    return dyad_world(ev, horizon=26, a={"nuclear": True}, b={"nuclear": True})


def brinkmanship_gap(runs: int = 1000, master: int = 2024) -> tuple[float, float, float]:
    """P(war) when the blockade is renewed for half a year minus P(war) after a single blockade (paired)."""
    return paired_difference(_war(batch(blockade_world(8), runs, master)), _war(batch(blockade_world(0), runs, master)))


# ---------------------------------------------------------------- disputes
#: custom states share no land border in the data; these worlds give their dyad a land border's opportunity (Ω = 1)
_NEIGHBOURS = {"spiral": {"distinguishability": 1.0}, "decision": {"opportunity_other": 1.0}}


def rivals_world(rival: bool) -> Scenario:
    """The two neighbours (Ω = 1, as for a land border) for a quiet year, rivals or not, with arming read as defensive (distinguishability 1: no spiral)."""
    return dyad_world(horizon=52, parameters=_NEIGHBOURS,
                      relations={"rivalries": [["AAA", "BBB"]]} if rival else None)


def dispute_gap(runs: int = 600, master: int = 2024) -> tuple[float, float, float]:
    """P(a new dispute, rung ≥ 2, within the year) for rivals minus for the same pair without rivalry (paired)."""
    def onset(rival: bool) -> np.ndarray:
        return (batch(rivals_world(rival), runs, master).peak[:, 0, 1] >= 2).astype(float)
    return paired_difference(onset(True), onset(False))


def parity_world(weaker_cinc: float) -> Scenario:
    """The two rival neighbours for a quiet year, AAA with CINC 0.02 and BBB with ``weaker_cinc`` (Ω = 1 and no spiral, as in :func:`rivals_world`)."""
    return dyad_world(horizon=52, b={"cinc": weaker_cinc}, parameters=_NEIGHBOURS,
                      relations={"rivalries": [["AAA", "BBB"]]}, ident="parity")


def parity_ratio(runs: int = 8000, master: int = 2024, weaker_cinc: float = 0.002) -> tuple[float, float, float]:
    """P(a new dispute within the year) at parity over the same under preponderance (``weaker_cinc`` against 0.02): (low, ratio, high).

    Disputes are rare at the fitted rate: fewer than about 8,000 runs leave the interval too wide to order the two.
    """
    def onset(cinc: float) -> np.ndarray:
        return (batch(parity_world(cinc), runs, master).peak[:, 0, 1] >= 2).astype(float)
    return paired_ratio(onset(0.02), onset(weaker_cinc))


# ---------------------------------------------------------------- alignment: balancing or bandwagoning
def alignment_world(doctrine: str = "realist", cinc: float = 0.004, *, ally: bool = False,
                    partner_cinc: float | None = None) -> Scenario:
    """AAA (CINC ``cinc``, lens ``doctrine``) in an open dispute (rung 3) with a stronger neighbour BBB (CINC 0.04) for a year.

    ``ally`` gives AAA a defence pact with a third state CCC (CINC 0.04, on AAA's other side);
    ``partner_cinc`` adds a state DDD of that CINC beyond BBB, also in a dispute with BBB (rung 3):
    a partner AAA could balance with.
    """
    extra: list[dict] = []
    tensions = [{"between": ["AAA", "BBB"], "value": 3}]
    rel: dict[str, Any] = {"tensions": tensions}
    if ally:
        extra.append({"code": "CCC", "catalog": False, "overrides": {"cinc": 0.04, "lat": 0, "lon": -4}})
        rel["alliances"] = [{"members": ["AAA", "CCC"], "type": "defense"}]
    if partner_cinc is not None:
        extra.append({"code": "DDD", "catalog": False, "overrides": {"cinc": partner_cinc, "lat": 0, "lon": 8}})
        tensions.append({"between": ["DDD", "BBB"], "value": 3})
    sc = dyad_world(horizon=52, a={"cinc": cinc}, b={"cinc": 0.04}, extra=extra, relations=rel, ident="alignment")
    actors = tuple(x.model_copy(update={"doctrine": doctrine}) if x.code == "AAA" else x for x in sc.actors)
    return sc.model_copy(update={"actors": actors})


def bandwagon_share(sc: Scenario, runs: int = 300, master: int = 2024) -> tuple[int, float, float, float]:
    """Runs in which AAA bandwagons toward BBB at least once: ``(runs with it, share, Wilson 95% low, high)``."""
    from sim.analysis.stats import wilson
    from sim.doctrines.base import A

    m = CrisisModel(sc, seeds=child_seeds(master, runs), record="summary")
    aaa, bbb = sc.codes.index("AAA"), sc.codes.index("BBB")
    hit = np.zeros(runs, dtype=bool)
    for _ in range(sc.calendar.horizon):
        m.step()
        policy = m.slot_choice.shape[2] - 1  # the policy slot (hold, arm, balance or bandwagon)
        hit |= (m.slot_choice[:, aaa, policy] == A["bandwagon"]) & (m.slot_focal[:, aaa, policy] == bbb)
    k = int(hit.sum())
    return (k, *wilson(k, runs))


def opportunity_world(major: bool = False) -> Scenario:
    """Two rivals with no land border in the data (custom states are never contiguous) for a quiet year.

    Their dispute hazard carries the opportunity Ω of §7.1: ``decision.opportunity_other``, or
    ``decision.opportunity_major`` when ``major`` makes AAA a major power. Arming is read as
    defensive (distinguishability 1), so disputes come from the rivalry's tension, not a spiral.
    """
    return dyad_world(horizon=52, a={"major_power": True} if major else None,
                      parameters={"spiral": {"distinguishability": 1.0}},
                      relations={"rivalries": [["AAA", "BBB"]]}, ident="opportunity-major" if major else "opportunity")


# ---------------------------------------------------------------- fighting: intensification and war
def clash_world(intensity: float = 0.5) -> Scenario:
    """Two small states about 440 km apart (no land border); AAA opens an armed clash on BBB in the first week, then half a year.

    Minor clashes (``intensity`` below 0.7, rung 5) may intensify into serious ones
    (``ladder.intensification``), and serious ones end in war more often than minor ones
    (``bargaining.serious_clash_factor``), docs/model.md §7.7–7.8.
    """
    return dyad_world([{"type": "armed_clash", "step": 0, "actor": "AAA", "targets": ["BBB"], "intensity": intensity}],
                      horizon=26, ident="clash")


#: One world per mechanism (name → builder of the scenario with its default arguments).
MECHANISM_WORLDS: dict[str, Callable[..., Any]] = {
    "spiral": spiral_world, "shift": shift_world, "transition": transition_world,
    "overtaking": lambda: transition_world(overtake=True), "offers": offer_world,
    "nuclear": nuclear_world,
    "institutions": institutions_world,
    "opportunity": opportunity_world, "opportunity-major": lambda: opportunity_world(major=True),
    "clash": clash_world, "parity": lambda: parity_world(0.02),
}


# ---------------------------------------------------------------- quiet years of real states (MID worlds)
def _mid_worlds(years: int, states: int, seed: int, values: dict[str, float] | None):
    """The calibration's MID worlds (one year of real states, nothing scripted) with ``values`` set, and their dyad types."""
    from sim.calibration import parameter_space
    from sim.calibration.targets import WorldTargets

    targets = WorldTargets.build(years=years, states=states, wars=0, dyad_year=0, seed=seed)
    worlds = list(targets.mid_worlds)
    if values:
        space = parameter_space(list(values))
        worlds = [space.apply(w, list(values.values())) for w in worlds]
    return worlds, targets.mid_types


def quiet_threat_drift(years: int = 6, states: int = 24, runs: int = 10, seed: int = 0,
                       switched_off: frozenset[str] = frozenset(),
                       values: dict[str, float] | None = None) -> list[dict[str, float | int]]:
    """How far threat drifts in a year in which nothing happens: one row per MID world.

    The calibration's MID worlds (:class:`sim.calibration.targets.WorldTargets`) are run with the
    dispute hazard switched off (no dispute moves the threat); each row holds the world's year and,
    per dyad type (contiguous, non-contiguous with a major power, other), the median over dyads and
    runs of the raw threat index ``T_ij`` in the last week over the first. ``values`` sets model
    parameters (dotted path → value) as the calibration does.
    """
    from sim.calibration.targets import DYAD_TYPES

    worlds, mid_types = _mid_worlds(years, states, seed, values)
    rows = []
    for world, types in zip(worlds, mid_types, strict=True):
        m = CrisisModel(world, seeds=child_seeds(seed, runs), record="summary",
                        switched_off=frozenset({"disputes", *switched_off}))
        iu, ju = np.triu_indices(m.n, 1)
        m.step()
        first = m.threat_raw[:, iu, ju].copy()
        for _ in range(world.calendar.horizon - 1):
            m.step()
        last = m.threat_raw[:, iu, ju]
        live = first > 0
        row: dict[str, float | int] = {"year": world.data_year}
        for t, name in enumerate(DYAD_TYPES):
            sel = live & (types == t)[None, :]
            row[name] = float(np.median(last[sel] / first[sel])) if sel.any() else float("nan")
        rows.append(row)
    return rows


def mid_world_onsets(years: int = 6, states: int = 24, runs: int = 10, seed: int = 0,
                     switched_off: frozenset[str] = frozenset(),
                     values: dict[str, float] | None = None) -> np.ndarray:
    """Dyad-years and onsets per dyad type in the MID worlds: ``[type, (dyad-years, threat, display, force, war)]``.

    The same worlds and counting as the calibration's MID target (a dyad-year counts in a band when
    its highest rung of the year reaches the band's rung: 2, 4, 5, 7), run in this process.
    """
    from sim.calibration.targets import BANDS, DYAD_TYPES, band_counts

    worlds, mid_types = _mid_worlds(years, states, seed, values)
    out = np.zeros((len(DYAD_TYPES), 1 + len(BANDS)))
    for world, types in zip(worlds, mid_types, strict=True):
        m = CrisisModel(world, seeds=child_seeds(seed, runs), record="summary", switched_off=switched_off).run()
        iu, ju = np.triu_indices(m.n, 1)
        out += band_counts(m.peak[:, iu, ju], types)
    return out


def rate_ratio(k1: float, n1: float, k2: float, n2: float) -> tuple[float, float, float]:
    """Ratio of two Poisson rates k1/n1 over k2/n2 with its 95% interval (delta method on the log, +½ each)."""
    r = ((k1 + 0.5) / n1) / ((k2 + 0.5) / n2)
    se = float(np.sqrt(1.0 / (k1 + 0.5) + 1.0 / (k2 + 0.5)))
    return float(r * np.exp(-1.96 * se)), float(r), float(r * np.exp(1.96 * se))
