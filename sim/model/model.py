"""The crisis model: a Mesa model whose ``step()`` is the documented schedule.

One step (a day or a week) runs these submodels in order — each is a heading of docs/model.md §7 and
a module of :mod:`sim.model.submodels` (events, threat, beliefs, decide, act, support, bargain,
ladder, arms, record); explanations are written by :mod:`sim.model.explain`:

1. ``apply_events``       scheduled scenario events change the world (and pacts come into force);
2. ``perceive_threat``    balance of threat (Walt): every state's threat from every other, in bulk;
3. ``update_beliefs``     spiral and deterrence (Jervis, Kydd): beliefs about intent, by Bayes;
4. ``decide``             each state chooses an action through its doctrine (agents, Mesa AgentSet);
5. ``act``                the chosen actions take effect at once (simultaneous moves);
6. ``alliance_politics``  allies of a state in crisis support or abandon it (Snyder; Christensen & Snyder);
7. ``bargain``            war onset and termination (Fearon), power transition, liberal peace;
8. ``resolve_ladder``     the escalation ladder (Kahn): thresholds, de-escalation, incidents where forces meet;
9. ``arms_dynamics``      Richardson arms dynamics generalised to N states, with fatigue;
10. ``record``            metrics for this step.

**Replications stepped together.** A model holds ``R`` replications of the same scenario, one per
seed (``seeds=[...]``; one seed by default). Every changing array carries a leading replication
axis — ``[R, N]`` per actor, ``[R, N, N]`` per dyad — and every submodel updates all replications
and all dyads in bulk, so that numpy's per-call cost is paid once per step for a whole ensemble
batch. Replication ``r`` depends only on its own seed: its result is the same alone or in a batch
of any size (tested).

**Randomness.** All draws are counter-based (:mod:`sim.model.streams`): a draw is a hash of the run's
``SeedSequence`` key, its purpose, the step and the actor's or dyad's code, so each actor has its
own stream for its decisions and each dyad its own streams for ladder and bargaining draws. A
variant which adds an event or an actor leaves the other streams untouched (common random numbers
for paired comparisons).

**Explanations.** A single run (``R == 1``) keeps the log: every event, perception, decision and
outcome with the record that caused it. Batches (``R > 1``) keep outcomes only.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping, Sequence

import mesa
import numpy as np

from sim.doctrines import ACTIONS, HOSTILE, MODIFIERS, get_doctrine
from sim.doctrines.base import A
from sim.doctrines.lenses import TableDoctrine, TableScorer
from sim.model import decisions, switches
from sim.model.agents import StateAgent
from sim.model.decisions import Decision
from sim.model.records import Log
from sim.model.streams import prefix, run_keys, stream_key, uniform_after
from sim.model.submodels import (
    act,
    arms,
    bargain,
    beliefs,
    decide,
    events,
    ladder,
    record,
    support,
    threat,
)
from sim.model.world import LADDER, World, affinity_matrix, build_world
from sim.scales import TIMED_BANDS
from sim.scenario.schema import Scenario

__all__ = ["CrisisModel", "stream_key"]


class CrisisModel(mesa.Model):
    """A crisis among states, stepped through the documented schedule.

    Args:
        scenario: A validated scenario (a variant already applied, if any).
        seed: The run's master seed (when ``seeds`` is not given).
        record: ``"full"`` keeps N×N histories of rungs and threat for every step (one run:
            narratives and charts); ``"summary"`` keeps per-step per-actor series and running dyad
            summaries only; ``"dyads"`` adds every dyad's rung and tension at every step (what an
            ensemble digests). Default: ``"full"`` for one seed, ``"summary"`` for several.
        catalog: The actor catalog (default: the shipped one).
        seeds: Run several replications together, one per seed (an ensemble batch). Each
            replication's result depends on its own seed only.
        switched_off: Names of :data:`~sim.model.switches.SUBMODELS` to switch off (ablation);
            the environment variable ``FLASHPOINT_SWITCH_OFF`` adds to them.
    """

    def __init__(self, scenario: Scenario, seed: int = 0, *, record: str | None = None, catalog=None,
                 seeds: list[int] | None = None, switched_off: frozenset[str] = frozenset()):
        seeds = [int(seed)] if seeds is None else [int(s) for s in seeds]
        if not seeds:
            raise ValueError("a model needs at least one seed")
        if record is None:
            record = "full" if len(seeds) == 1 else "summary"
        if record not in ("full", "summary", "dyads"):
            raise ValueError(f"record must be 'full', 'summary' or 'dyads', not {record!r}")
        if record == "full" and len(seeds) > 1:
            raise ValueError("record='full' keeps one run's histories; batches use 'summary' or 'dyads'")
        super().__init__(rng=seeds[0])
        # Mesa replaces ``step`` by its own time-keeping wrapper, which takes no arguments; this
        # one takes the overrides, keeps them for the step and calls Mesa's wrapper
        self._overrides: Mapping[str, Sequence[Decision]] | None = None
        self._mesa_step = self.step
        self.step = self._step_with_overrides
        self.spec = scenario
        self.switched_off = switches.switched_off(switched_off)
        self.seeds = seeds
        self.seed = seeds[0]
        self.R = R = len(seeds)
        self.params = scenario.parameters
        base = build_world(scenario, catalog)
        self.world: World = base.batched(R)
        w = self.world
        self.n = n = w.n
        self.idx = {c: k for k, c in enumerate(w.codes)}
        self.logging = R == 1
        self.explain = record == "full"
        self.log = Log(scenario.calendar)
        self.steps_done = 0
        self.record_mode = record
        self.weeks = scenario.calendar.step_days / 7.0
        # random streams: run keys [R], actor keys [N], dyad keys (the two codes' keys, ordered)
        self.keys = run_keys(seeds)
        self.akey = np.array([stream_key(c) for c in w.codes], dtype=np.uint64)
        self.dkey_lo = np.minimum(self.akey[:, None], self.akey[None, :])
        self.dkey_hi = np.maximum(self.akey[:, None], self.akey[None, :])
        # index helpers
        self._lane = np.arange(R)[:, None]
        self._rows = np.arange(n)[None, :]
        self._d = np.arange(n)
        # scheduled events by step
        self._due: dict[int, list] = defaultdict(list)
        for k, ev in enumerate(scenario.events):
            self._due[scenario.event_step(ev)].append(("event", ev, scenario.event_id(k)))
        # per-step working state
        self.pressure = np.zeros((R, n, n), dtype=np.int16)
        self.down = np.zeros((R, n, n), dtype=bool)
        self.acts_off = np.zeros((R, n, n))
        self.acts_def = np.zeros((R, n, n))
        self.acts_reassure = np.zeros((R, n, n))
        # explanation bookkeeping (single runs): which record changed what
        self.causes: dict[tuple[int, int], list[str]] = defaultdict(list)
        self.power_causes: dict[int, list[str]] = defaultdict(list)
        self.last_perception: dict[tuple[int, int], tuple[str, int]] = {}
        self.level_cause: dict[tuple[int, int], str] = {}
        self.offer_cause: dict[tuple[int, int], str] = {}
        self.expiring: dict[int, list[tuple]] = defaultdict(list)  # step -> [(lanes, i, j, weight)]
        # support (sim.model.submodels.support): i's degree of support to k this step, and the most
        # it gave during the run (0 none, 1 statement, 2 arms, 3 troops, 4 joining the war)
        self.support_now = np.zeros((R, n, n), dtype=np.int8)
        self.support_max = np.zeros((R, n, n), dtype=np.int8)
        # whether i was ever called on by a casus foederis: its pledged partner k attacked and at war (validation)
        self.casus_war = np.zeros((R, n, n), dtype=bool)
        self.support_prev = np.zeros((R, n, n), dtype=np.int8)
        # who started each fight (rung ≥ alliance_politics.crisis_level): +1 i against j, −1 j against i, 0 none
        self.aggressor = np.zeros((R, n, n), dtype=np.int8)
        # fights already going at the start have no recorded starter (the scenario's data cannot tell)
        self.fight_seen = w.level >= self.params.alliance_politics.crisis_level
        # the step at which each fight was first seen (0 for fights going at the start): the key of
        # an uncalled supporter's standing disposition to fight in it (sim.model.submodels.support)
        self.fight_start = np.zeros((R, n, n), dtype=np.int64)
        self.support_logged: dict[tuple[int, int], int] = {}
        # (supporter, partner) → the record of the supporter's current degree of support (single runs)
        self.support_rid: dict[tuple[int, int], str] = {}
        self.threat_raw = np.zeros((R, n, n))
        self.threat_raw_prev = np.zeros((R, n, n))
        self.threat_ref = np.zeros((R, n, n))  # remembered raw threat (decision.rise_memory), decide's cause
        self.threat_prev = np.zeros((n, n))
        self.components: dict[str, np.ndarray] = {}
        self.agg = np.zeros((R, n, n))
        self.own = np.ones((R, n))
        self.attrition = np.ones((R, n))
        # agents
        modifiers = [tuple(MODIFIERS[m] for m in a.modifiers) for a in w.actors]
        StateAgent.create_agents(
            self,
            n,
            code=list(w.codes),
            index=list(range(n)),
            doctrine_name=[a.doctrine for a in w.actors],
            modifiers=modifiers,
            key=[int(k) for k in self.akey],
        )
        self.by_index: list[StateAgent] = sorted(self.agents, key=lambda a: a.index)
        self.doctrine_groups: dict[str, np.ndarray] = {}
        for name in sorted({a.doctrine_name for a in self.by_index}):
            self.doctrine_groups[name] = np.array([a.index for a in self.by_index if a.doctrine_name == name])
        self.doctrines = [get_doctrine(name) for name in self.doctrine_groups]
        # the rows of each doctrine's members in the flattened [R·N] feature arrays
        self._group_rows = [(np.arange(R)[:, None] * n + m[None, :]).ravel() for m in self.doctrine_groups.values()]
        # weight-table doctrines (all shipped ones) are scored in one pass: each state's own table
        # ([N, terms, actions]), term by term, the same sums a doctrine's utilities_from_design makes
        self._scorer = None
        if all(isinstance(d, TableDoctrine) for d in self.doctrines):
            by_name = {d.name: d.matrix() for d in self.doctrines}
            self._scorer = TableScorer(np.stack([by_name[a.doctrine_name] for a in self.by_index]))
        self.mod_offsets = np.array([sum((m.offset_vector() for m in a.modifiers), np.zeros(len(ACTIONS))) for a in self.by_index])
        self.risk = np.array([math.prod(m.risk for m in a.modifiers) for a in self.by_index])
        self.choice = np.zeros((R, n), dtype=np.int64)
        self.focal = np.zeros((R, n), dtype=np.int64)
        self.partner = np.full((R, n), -1, dtype=np.int64)
        self.draws: np.ndarray | None = None  # this step's decision uniforms [R, N, 3·K]
        # decide's slots: each state's decisions toward its K most pressing dyads ([R, N, K])
        self.slot_choice = np.zeros((R, n, 1), dtype=np.int64)
        self.slot_focal = np.zeros((R, n, 1), dtype=np.int64)
        self.slot_partner = np.full((R, n, 1), -1, dtype=np.int64)
        self.slot_cross = np.ones((R, n, 1))
        self.u_choice = np.zeros((R, n))
        self.cross_draw = np.ones((R, n))
        self.attending = np.ones((R, n), dtype=bool)
        self.utilities = np.zeros((R, n, len(ACTIONS)))
        self._hostile_cols = np.array([A[a] for a in ACTIONS if a in HOSTILE])
        # recording
        H = scenario.calendar.horizon
        self.peak = w.level.copy()
        self.first_cross = {b: np.where(w.level >= b, 0, -1).astype(np.int32) for b in (band.rung for band in TIMED_BANDS)}
        self.series = {k: np.zeros((H + 1, R, n)) for k in ("milex", "capability", "max_threat", "max_level")}
        self.system = {k: np.zeros((H + 1, R)) for k in ("max_level", "mean_threat", "dyads_violent", "dyads_war")}
        self.level_hist = np.zeros((H + 1, n, n), dtype=np.int8) if record == "full" else None
        self.threat_hist = np.zeros((H + 1, n, n), dtype=np.float32) if record == "full" else None
        self._iu = np.triu_indices(n, 1)
        d = len(self._iu[0])
        self.dyad_level = np.zeros((H + 1, R, d), dtype=np.int8) if record == "dyads" else None
        self.dyad_tension = np.zeros((H + 1, R, d), dtype=np.float32) if record == "dyads" else None
        self.initial_pledge = w.pledge.copy()
        self.leader = int(np.argmax(w.cap0[0]))
        self._static_dyadic()
        # how each state's doctrine weighs a dyad when it picks where to look (the doctrine's own rule)
        self.focus_weight = np.ones((n, n))
        for doctrine, members in zip(self.doctrines, self.doctrine_groups.values(), strict=True):
            self.focus_weight[members] = doctrine.focus(self.damp[members], self.affinity[members])
        self.perceive_threat(initial=True)
        self.record()

    # ================================================================== the schedule
    def step(self, overrides: Mapping[str, Sequence[Decision]] | None = None) -> None:
        """Advance one step: the submodels of docs/model.md §3, in order.

        ``overrides`` (actor code → decisions) replaces those states' choices this step by the
        given ones (a person playing a state); see :mod:`sim.model.decisions`.
        """
        overrides = overrides if overrides is not None else self._overrides
        self.apply_events()
        self.perceive_threat()
        self.update_beliefs()
        self.decide()
        if overrides:
            decisions.apply_overrides(self, overrides)
        self.act()
        self.alliance_politics()
        self.bargain()
        self.resolve_ladder()
        self.arms_dynamics()
        self.steps_done += 1
        self.record()

    def _step_with_overrides(self, overrides: Mapping[str, Sequence[Decision]] | None = None) -> None:
        self._overrides = overrides
        try:
            self._mesa_step()
        finally:
            self._overrides = None

    def peek_decisions(self) -> dict[str, list[Decision]]:
        """What each state would choose in the next step, with a one-sentence why (R == 1; the model is unchanged)."""
        return decisions.peek(self)

    def run(self) -> CrisisModel:
        """Run to the scenario's horizon."""
        for _ in range(self.spec.calendar.horizon):
            self.step()
        return self

    # ================================================================== random draws
    def dyad_uniform(self, purpose: str, lanes: np.ndarray, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        """One uniform per selected (replication, i, j): the dyad's stream for ``purpose`` this step."""
        # the run key, purpose and step are hashed once per replication, not once per dyad (the same bits)
        return uniform_after(prefix(self.keys, purpose, self.steps_done)[lanes], self.dkey_lo[i, j], self.dkey_hi[i, j])

    # ================================================================== helpers used by handlers
    def touch(self, perceiver: int, source: int, rid: str) -> None:
        """Mark that record ``rid`` changed how ``perceiver`` sees ``source`` (for explanations)."""
        if rid and self.explain:
            self.causes[(perceiver, source)].append(rid)

    def touch_power(self, j: int, rid: str) -> None:
        """Mark that record ``rid`` changed ``j``'s (aggregate) power as everyone sees it."""
        if rid and self.explain:
            self.power_causes[j].append(rid)

    def schedule(self, step: int, item: tuple) -> None:
        """Queue an internal change for ``step`` (e.g. a pact coming into force)."""
        self._due[max(step, self.steps_done)].append(("internal", item, ""))

    def add_posture(self, i, j, weight: float, weeks: float, rid: str = "", lanes=None) -> None:
        """Station ``i``'s force near ``j`` for ``weeks`` (offensive-posture index).

        ``i`` and ``j`` are indices (or arrays of them, with ``lanes`` the replications); without
        ``lanes`` the deployment happens in every replication (a scheduled event).
        """
        until = self.steps_done + max(1, int(math.ceil(weeks / self.weeks)))
        if lanes is None:
            lanes = np.arange(self.R)
            i = np.full(self.R, i)
            j = np.full(self.R, j)
            self.touch(int(j[0]), int(i[0]), rid)
        np.add.at(self.world.posture, (lanes, i, j), weight)
        self.expiring[until].append((lanes, i, j, weight))

    def apply_act(self, i: int, j: int, goldstein: float, rung: int, *, offensive: bool, rid: str,
                  magnitude: float = 1.0, forced: bool = True) -> None:
        """Apply one dyadic act of i toward j in every replication: hostility or alignment, belief evidence, ladder pressure.

        ``forced`` acts (scheduled events) set the rung as a fact; otherwise the rung is pressure
        that the ladder resolves at the end of the step.
        """
        w = self.world
        if goldstein < 0:
            w.hostility[:, i, j] += (-goldstein / 10.0) * magnitude
            if offensive:
                self.acts_off[:, i, j] += magnitude
            else:
                self.acts_def[:, i, j] += magnitude
        else:
            w.hostility[:, i, j] *= 1.0 - min(0.9, goldstein / 20.0 * magnitude)
            w.align[:, i, j] = np.minimum(1.0, w.align[:, i, j] + goldstein / 200.0 * magnitude)
            if goldstein >= 5:
                self.acts_reassure[:, i, j] += magnitude
        self.touch(j, i, rid)
        if rung > 0:
            key = (min(i, j), max(i, j))
            if forced:
                if self.logging and rung > w.level[0, i, j]:
                    self.level_cause[key] = rid
                w.level[:, i, j] = w.level[:, j, i] = np.maximum(w.level[:, i, j], rung)
            elif self.logging and rung > self.pressure[0, i, j]:
                self.level_cause[key] = rid
            # a scheduled move is pressure too: the dyad is not quiet this step
            self.pressure[:, i, j] = self.pressure[:, j, i] = np.maximum(self.pressure[:, i, j], rung)


    # ================================================================== the submodels (sim/model/submodels)
    def apply_events(self) -> None:
        """Apply the scenario events due this step; expire deployments; bring pacts into force (:mod:`~sim.model.submodels.events`)."""
        events.apply_events(self)

    def perceive_threat(self, initial: bool = False) -> None:
        """Balance of threat (Walt 1987) read through the relationship — rivals, adversaries, allies (:mod:`~sim.model.submodels.threat`)."""
        threat.perceive_threat(self, initial)

    def update_beliefs(self) -> None:
        """Spiral and deterrence: Bayesian update of π_ij = Pr(j is greedy) from j's acts toward i (:mod:`~sim.model.submodels.beliefs`)."""
        beliefs.update_beliefs(self)

    def decide(self) -> None:
        """Every state scores its actions through its doctrine, hostile moves only with a cause; agents draw their choices (:mod:`~sim.model.submodels.decide`)."""
        decide.decide(self)

    def act(self) -> None:
        """Apply the chosen actions (simultaneous moves) in every replication, and log them with their causes (:mod:`~sim.model.submodels.act`)."""
        act.act(self)

    def alliance_politics(self) -> None:
        """Allies of a state in crisis decide to support it or stand aside (abandonment vs entrapment) (:mod:`~sim.model.submodels.support`)."""
        support.alliance_politics(self)

    def bargain(self) -> None:
        """Bargaining and war (Fearon 1995): onset when private information hides the bargaining range (:mod:`~sim.model.submodels.bargain`)."""
        bargain.bargain(self)

    def resolve_ladder(self) -> None:
        """The escalation ladder: chosen moves take their rung, settlements and de-escalation step down, incidents where forces meet (:mod:`~sim.model.submodels.ladder`)."""
        ladder.resolve_ladder(self)

    def arms_dynamics(self) -> None:
        """Richardson (1960) for N states: dx_i = Δ·(a_i·Σ_j w_ij x_j − m_i·x_i + g_i·G_i) (:mod:`~sim.model.submodels.arms`)."""
        arms.arms_dynamics(self)

    def record(self) -> None:
        """Store this step's metrics (and full matrices when recording in full) (:mod:`~sim.model.submodels.record`)."""
        record.record(self)

    def features(self):
        """What every state sees of its focal dyad (see :func:`sim.model.submodels.decide.features`)."""
        return decide.features(self)

    def win_probability(self) -> np.ndarray:
        """p_ij: i's chance of winning a war with j (see :func:`sim.model.submodels.bargain.win_probability`)."""
        return bargain.win_probability(self)

    def _static_dyadic(self) -> None:
        """Affinity and liberal-peace dampening: fixed for a run (regime, trade and institutions do not change)."""
        w, lp = self.world, self.params.liberal_peace
        scale = self.params.power_transition.dissatisfaction_scale
        # Identity affinity from UN-voting ideal points: 1 − |x_i − x_j| / scale, clipped to [0, 1];
        # neutral (0.5) for a state without an ideal point (world.affinity_matrix, docs/data.md)
        self.affinity = affinity_matrix(w.ideal, scale)
        # Proximity: prox[i, j] = exp(−d_ij / λ_j), λ_j longer for major and nuclear powers
        tp = self.params.threat
        reach = 1.0 + tp.projection_reach * (w.major | w.nuclear)
        self.prox = np.exp(-w.dist / (tp.distance_scale_km * reach)[None, :])
        self._prox_diag = np.diag(self.prox).copy()
        # Liberal-peace dampening: exp(−β_dem·min(dem_i, dem_j) − β_trade·trade_ij − β_io·inst_ij).
        joint = np.minimum(w.dem[:, None], w.dem[None, :])
        self.damp = np.exp(-lp.democracy_weight * joint - lp.trade_weight * w.trade - lp.institutions_weight * w.inst)
        if "liberal_peace" in self.switched_off:
            self.damp = np.ones_like(self.damp)
        self.sqrt_damp = np.sqrt(self.damp)
        # the same for the onset of disputes, with its own democracy weight (the dyadic democratic peace)
        self.dispute_damp = (np.ones_like(self.damp) if "liberal_peace" in self.switched_off else
                             np.exp(-lp.dispute_democracy_weight * joint - lp.trade_weight * w.trade
                                    - lp.institutions_weight * w.inst))
        self.upper = np.triu(np.ones((self.n, self.n), dtype=bool), 1)
        # land neighbours' forces face each other (incidents), less so across liberal-peace borders
        self.border = w.contig * self.damp
        # opportunity to quarrel (Most & Starr 1989; Bremer 1992): 1 for land neighbours, else Ω by
        # whether a major power's reach is in the dyad (the disputes submodel's hazard factor)
        dp = self.params.decision
        self.opportunity = np.where(w.contig, 1.0, np.where(w.major[:, None] | w.major[None, :],
                                                            dp.opportunity_major, dp.opportunity_other))
        if "opportunity" in self.switched_off:
            self.opportunity = np.ones_like(self.opportunity)
        self._has_rival = w.rival.any(axis=1)
        both = w.nuclear[:, None] & w.nuclear[None, :]
        self.both_nuclear = both
        self.indivisibility = np.minimum(1.0, 2.0 * (1.0 - np.maximum(w.resolve[:, None], w.resolve[None, :])))
        self.reach_major = w.major[:, None] | w.contig  # who supports with a show of force rather than words
        # the relationship factor's fixed terms (sim.model.submodels.threat.relationship)
        self._rival_f = w.rival.astype(float)[None]
        self._identity_term = self.params.threat.identity_weight * (1.0 - self.affinity)
        self._affinity_term = self.params.alignment.affinity_weight * self.affinity  # decide's partner choice
        self._flat_static = {k: np.tile(np.asarray(v, dtype=float), self.R)
                             for k, v in (("dem", w.dem), ("resolve", w.resolve), ("nuclear", w.nuclear))}


    @staticmethod
    def ladder_label(level: int) -> str:
        """The words of a rung."""
        return LADDER[int(level)]
