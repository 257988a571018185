"""The crisis model: a Mesa model whose ``step()`` is the documented schedule.

One step (a day or a week) runs these submodels in order — each is a heading of docs/model.md §7:

1. ``apply_events``       scheduled scenario events change the world (and pacts come into force);
2. ``perceive_threat``    balance of threat (Walt): every state's threat from every other, in bulk;
3. ``update_beliefs``     spiral and deterrence (Jervis, Kydd): beliefs about intent, by Bayes;
4. ``decide``             each state chooses an action through its doctrine (agents, Mesa AgentSet);
5. ``act``                the chosen actions take effect at once (simultaneous moves);
6. ``alliance_politics``  allies of a state in crisis support or abandon it (Snyder; Christensen & Snyder);
7. ``bargain``            war onset and termination (Fearon), power transition, liberal peace;
8. ``resolve_ladder``     the escalation ladder (Kahn): thresholds, de-escalation, accidents;
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

import copy
import math
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import mesa
import numpy as np

from sim.doctrines import ACTIONS, HOSTILE, MODIFIERS, Features, get_doctrine, valid_mask
from sim.doctrines.base import A
from sim.doctrines.lenses import TableDoctrine, design
from sim.model.agents import StateAgent
from sim.model.handlers import apply_scheduled
from sim.model.records import Log
from sim.model.streams import run_keys, stream_key, uniform
from sim.model.world import LADDER, World, build_world
from sim.scenario.events import ACTION_SPECS
from sim.scenario.schema import Scenario

__all__ = ["ACTION_MENU", "CrisisModel", "Decision", "stream_key"]

_SQRT2 = math.sqrt(2.0)
_SLOTS3 = np.arange(3, dtype=np.uint64)[None, None, :]
_erfc = np.frompyfunc(math.erfc, 1, 1)
_OFFENSIVE = ("threaten", "show_force", "clash", "nuclear_signal")
# per action: the rung it signals, its Goldstein weight, whether it is hostile / offensive, its magnitude
_RUNG = np.array([ACTION_SPECS[a].ladder if a != "hold" else 0 for a in ACTIONS], dtype=np.int16)
_GOLD = np.array([ACTION_SPECS[a].goldstein if a != "hold" else 0.0 for a in ACTIONS])
_IS_HOSTILE = np.array([a in HOSTILE for a in ACTIONS])
_IS_OFFENSIVE = np.array([a in _OFFENSIVE for a in ACTIONS])
_MAGNITUDE = np.array([0.5 if a == "protest" else 1.0 for a in ACTIONS])
assert (_GOLD[_IS_HOSTILE] < 0).all(), "every hostile action reads as hostile (Goldstein < 0)"


# ====================================================================== game hook (issue 12) ==
# The interface the classroom game (sim/game) uses: a state's decision, the action menu, a peek
# at the next step's decisions and overrides in step(). Kept in this delimited block.
@dataclass(frozen=True)
class Decision:
    """One state's decision for a step: an action of :data:`ACTION_MENU`, its target, and why."""

    actor: str
    action: str
    target: str | None = None
    why: str = ""


#: The actions the model's agents choose among: (name, label, takes a target state).
ACTION_MENU: list[tuple[str, str, bool]] = [
    (a, "Hold (do nothing new)" if a == "hold" else ACTION_SPECS[a].label, a not in ("hold", "arm")) for a in ACTIONS
]
# ============================================================================ end game hook ==


def erfc(x: np.ndarray) -> np.ndarray:
    """The complementary error function, elementwise (``math.erfc``; numpy has none)."""
    return np.asarray(_erfc(np.asarray(x, dtype=float)), dtype=float)


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
    """

    def __init__(self, scenario: Scenario, seed: int = 0, *, record: str | None = None, catalog=None,
                 seeds: list[int] | None = None):
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
        # game hook (issue 12): Mesa wraps step() without arguments; pass overrides through
        self._overrides: Mapping[str, Sequence[Decision]] | None = None
        self._mesa_step = self.step
        self.step = self._step_with_overrides
        self.spec = scenario
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
        # ally i's last support decision for k against z, as sorted flat keys and the rung decided at
        self._decided_keys = np.zeros(0, dtype=np.int64)
        self._decided_level = np.zeros(0, dtype=np.int16)
        self.threat_raw = np.zeros((R, n, n))
        self.threat_raw_prev = np.zeros((R, n, n))
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
        self._tables = None
        if all(isinstance(d, TableDoctrine) for d in self.doctrines):
            by_name = {d.name: d.matrix() for d in self.doctrines}
            tables = np.stack([by_name[a.doctrine_name] for a in self.by_index])
            self._tables = [(t, tables[:, t, :]) for t in range(tables.shape[1]) if tables[:, t, :].any()]
        self.mod_offsets = np.array([sum((m.offset_vector() for m in a.modifiers), np.zeros(len(ACTIONS))) for a in self.by_index])
        self.risk = np.array([math.prod(m.risk for m in a.modifiers) for a in self.by_index])
        self.choice = np.zeros((R, n), dtype=np.int64)
        self.focal = np.zeros((R, n), dtype=np.int64)
        self.partner = np.full((R, n), -1, dtype=np.int64)
        self.draws: np.ndarray | None = None  # this step's decision uniforms [R, N, 3]
        self.u_choice = np.zeros((R, n))
        self.cross_draw = np.ones((R, n))
        self.attending = np.ones((R, n), dtype=bool)
        self.utilities = np.zeros((R, n, len(ACTIONS)))
        self._hostile_cols = np.array([A[a] for a in ACTIONS if a in HOSTILE])
        # recording
        H = scenario.calendar.horizon
        self.peak = w.level.copy()
        self.first_cross = {b: np.where(w.level >= b, 0, -1).astype(np.int32) for b in (5, 7, 9)}
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
        self.focus_weight = np.ones((n, n))
        for name, members in self.doctrine_groups.items():
            if name == "liberal":
                self.focus_weight[members] = self.damp[members]
            elif name == "constructivist":
                self.focus_weight[members] = 0.5 + (1.0 - self.affinity[members])
        self.perceive_threat(initial=True)
        self.record()

    # ================================================================== the schedule
    def step(self, overrides: Mapping[str, Sequence[Decision]] | None = None) -> None:
        """Advance one step: the submodels of docs/model.md §3, in order.

        Args:
            overrides: For these actor codes, this step's decisions are exactly the given ones
                (the first one's action and target; a game's teams). Others decide as usual.
        """
        overrides = overrides if overrides is not None else self._overrides
        self.apply_events()
        self.perceive_threat()
        self.update_beliefs()
        self.decide()
        if overrides:
            self._override(overrides)
        self.act()
        self.alliance_politics()
        self.bargain()
        self.resolve_ladder()
        self.arms_dynamics()
        self.steps_done += 1
        self.record()

    # ---------------------------------------------------------------- game hook (issue 12)
    def peek_decisions(self) -> dict[str, list[Decision]]:
        """What each state would choose in the next step, and why, without changing this model (R == 1)."""
        if self.R != 1:
            raise ValueError("peek_decisions needs a single run (R == 1)")
        m = copy.deepcopy(self)
        m.apply_events()
        m.perceive_threat()
        m.update_beliefs()
        m.decide()
        was = m.explain
        m.explain = m.logging = True
        rids = m._log_decisions()
        m.explain = was
        out: dict[str, list[Decision]] = {}
        for i, code in enumerate(m.world.codes):
            a = ACTIONS[int(m.choice[0, i])]
            k = int(m.focal[0, i])
            if a == "hold":
                why = (f"{code} holds: it is not yet attending to the crisis this step."
                       if not m.attending[0, i] else
                       f"{code} holds: under its {m.by_index[i].doctrine_name} doctrine nothing else scores "
                       f"higher against {m.world.codes[k]} (threat {float(m.world.threat[0, i, k]):.2f}).")
                out[code] = [Decision(code, a, None, why)]
                continue
            rec = m.log.get(rids[i]) or {}
            why = rec.get("why", "")
            per = m.log.get(rec.get("cause", ""))
            if per is not None:
                why = f"{why.rstrip('.')} — because {per['why']}"
            target = None if a == "arm" else (rec.get("target") or m.world.codes[k])
            out[code] = [Decision(code, a, target, why)]
        return out

    def _step_with_overrides(self, overrides: Mapping[str, Sequence[Decision]] | None = None) -> None:
        """Mesa's step (time advances) with this step's overrides."""
        self._overrides = overrides
        try:
            self._mesa_step()
        finally:
            self._overrides = None

    def _override(self, overrides: Mapping[str, Sequence[Decision]]) -> None:
        """Replace the chosen actions of the given states (balance: the target is the partner)."""
        for code, decisions in overrides.items():
            if not decisions:
                continue
            d = decisions[0]
            i = self.idx[code]
            self.choice[:, i] = A[d.action]
            if d.target is None or d.action in ("hold", "arm"):
                continue
            j = self.idx[d.target]
            if d.action == "balance":
                self.partner[:, i] = j
            else:
                self.focal[:, i] = j

    def run(self) -> CrisisModel:
        """Run to the scenario's horizon."""
        for _ in range(self.spec.calendar.horizon):
            self.step()
        return self

    # ================================================================== random draws
    def dyad_uniform(self, purpose: str, lanes: np.ndarray, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        """One uniform per selected (replication, i, j): the dyad's stream for ``purpose`` this step."""
        return uniform(self.keys[lanes], purpose, self.steps_done, self.dkey_lo[i, j], self.dkey_hi[i, j])

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

    # ================================================================== 1. apply_events
    def apply_events(self) -> None:
        """Apply the scenario events due this step; expire deployments; bring pacts into force."""
        w = self.world
        t = self.steps_done
        for k in sorted(k for k in self.expiring if k <= t):
            for lanes, i, j, weight in self.expiring.pop(k):
                np.subtract.at(w.posture, (lanes, i, j), weight)
        np.maximum(w.posture, 0.0, out=w.posture)  # every step, in every replication alike
        for kind, item, eid in self._due.pop(t, ()):
            if kind == "event":
                apply_scheduled(self, item, eid)
            elif item[0] == "pact_in_force":
                _, idx, strength, cause = item
                names = " and ".join(w.codes[k] for k in idx)
                rid = ""
                if self.logging:
                    rid = self.log.add(t, "event", "alignment", f"The {names} pact enters into force: the pledge binds at full strength ({strength:.1f}).",
                                       cause=cause, type="pact_in_force", actor=w.codes[idx[0]], target=",".join(w.codes[k] for k in idx[1:]),
                                       cameo="057", goldstein=8.0, level=0)
                for a in idx:
                    for b in idx:
                        if a != b:
                            w.pledge[:, a, b] = np.maximum(w.pledge[:, a, b], strength)
                    self.touch_power(a, rid)

    # ================================================================== 2. perceive_threat
    def perceive_threat(self, initial: bool = False) -> None:
        """Balance of threat (Walt 1987): T_ij = R_ij^α · prox_ij · (1 + κ·O_ji) · I_ij.

        R_ij is j's aggregate power (own plus pledged allies', not counting i) over i's own power
        (plus its allies' weighted by reliability); prox_ij = exp(−d_ij/λ_j) with λ_j longer for
        major and nuclear powers; O_ji is j's offensive posture near i; I_ij = 1 + ρ·H_ji +
        2·w_π·(π_ij − π₀) is perceived intent (at least 0.1); alignment, direct or through a common
        partner, discounts the threat. The normalised threat is T/(1+T).
        """
        w, p = self.world, self.params.threat
        d = self._d
        if not initial:
            decay = p.hostility_retention ** self.weeks
            w.hostility *= decay
            # sanctions in force keep a floor of hostility
            np.maximum(w.hostility, 0.5 * w.sanctions, out=w.hostility)
        cap = w.cap  # [R, N]
        pledge = w.pledge  # [R, N, N]
        prox = self.prox  # [N, N]
        # j's aggregate power as i sees it: j plus each ally k's pledged capability, as far as it
        # reaches i (loss-of-strength gradient); i does not count itself among j's allies
        pc = pledge * cap[:, :, None]  # pc[r, k, j] = pledge[k, j] · cap[k]
        AGG = cap[:, None, :] + prox @ pc - pc * self._prox_diag[None, :, None]
        # i's own power: itself plus its allies' pledged capability, discounted by their reliability
        backing = pledge.transpose(0, 2, 1) * w.reliab * prox
        own = cap + p.own_alliance_weight * (backing @ cap[:, :, None])[:, :, 0]
        ratio = np.maximum(AGG, 1e-9) / own[:, :, None]
        power = ratio ** p.power_exponent
        offense = 1.0 + p.offense_weight * w.posture.transpose(0, 2, 1)
        prior = self.params.spiral.prior_greedy
        intent = np.maximum(0.1, 1.0 + p.hostility_weight * w.hostility.transpose(0, 2, 1) + 2.0 * p.intent_weight * (w.belief - prior))
        # allies' power is not a threat (Walt 1987): alignment discounts it, and so, by half, does
        # alignment through a common partner (the friend of my friend: ROK and JPN through the USA)
        common = np.minimum(1.0, w.align @ w.align)
        common[:, d, d] = 0.0
        friend = 1.0 - p.alignment_discount * np.maximum(w.align, 0.5 * common)
        T = power * prox * offense * intent * friend
        T[:, d, d] = 0.0
        prev_raw = self.threat_raw
        prev_comp = self.components
        if self.explain:  # lane 0's threat before this step, for the perception records
            self.threat_prev = (w.threat[0] if not initial else T[0] / (1.0 + T[0])).copy()
        self.threat_raw_prev = T if initial else self.threat_raw
        self.threat_raw = T
        self.agg, self.own = AGG, own
        if self.explain:
            self.components = {"power": power[0], "proximity": prox, "offense": offense[0], "intent": (intent * friend)[0]}
        w.threat = T / (1.0 + T)
        if not initial and self.explain:
            self._explain_perception(prev_raw[0], prev_comp)
        self.causes.clear()
        self.power_causes.clear()

    def _explain_perception(self, prev_raw: np.ndarray, prev_comp: dict[str, np.ndarray]) -> None:
        """Log a perception record for each threat that rose noticeably and has a named cause."""
        w = self.world
        if not self.causes and not self.power_causes:
            return
        raw = self.threat_raw[0]
        rel = np.where(prev_raw > 0, raw / np.where(prev_raw > 0, prev_raw, 1.0) - 1.0, 0.0)
        cand = set(self.causes)
        for j in self.power_causes:
            for i in range(self.n):
                if i != j:
                    cand.add((i, j))
        t = self.steps_done
        threat = w.threat[0]
        for (i, j) in sorted(cand):
            if i == j or rel[i, j] < 0.02:
                continue
            ratios = {k: float(self.components[k][i, j] / max(prev_comp[k][i, j], 1e-12)) for k in self.components}
            comp = max(ratios, key=lambda k: ratios[k])
            causes = self.causes.get((i, j), []) + self.power_causes.get(j, [])
            if comp == "power" and self.power_causes.get(j):
                cause = self.power_causes[j][0]
            else:
                cause = causes[0] if causes else ""
            src = self.log.get(cause)
            because = {
                "power": f"the aggregate power it faces from {w.codes[j]} grew ×{ratios['power']:.2f}",
                "proximity": f"{w.codes[j]}'s power came closer (×{ratios['proximity']:.2f})",
                "offense": f"{w.codes[j]}'s forces deployed near it raised its offensive posture (×{ratios['offense']:.2f})",
                "intent": f"{w.codes[j]}'s acts made its intentions look more hostile (×{ratios['intent']:.2f})",
            }[comp]
            ev = f" — after {src['actor']}'s {str(src['type']).replace('_', ' ')} ({src['id']})" if src else ""
            before, after = float(self.threat_prev[i, j]), float(threat[i, j])
            shown = f" ({before:.2f} → {after:.2f} on the 0–1 scale)" if round(after, 2) != round(before, 2) else ""
            why = (f"{w.codes[i]}'s threat from {w.codes[j]} rose {rel[i, j]:.0%}{shown} because {because}{ev}.")
            rid = self.log.add(t, "perception", "perceive_threat", why, cause=cause, actor=w.codes[i], target=w.codes[j],
                               component=comp, before=before, after=after)
            self.last_perception[(i, j)] = (rid, t)

    # ================================================================== 3. update_beliefs
    def update_beliefs(self) -> None:
        """Spiral and deterrence: Bayesian update of π_ij = Pr(j is greedy) from j's acts toward i.

        Offensive acts multiply the odds by L_h; acts that a security seeker might also take
        (arming, exercises, alliances) by L_h^(1−δ), δ being offence–defence distinguishability;
        costly reassurance by L_r < 1 (Jervis 1978; Kydd 2005).
        """
        w, sp = self.world, self.params.spiral
        if not (self.acts_off.any() or self.acts_def.any() or self.acts_reassure.any()):
            return
        lh = math.log(sp.hostile_likelihood)
        lr = math.log(sp.reassurance_likelihood)
        logodds = (self.acts_off * lh + self.acts_def * (lh * (1.0 - sp.distinguishability))
                   + self.acts_reassure * lr).transpose(0, 2, 1)
        b = np.clip(w.belief, 1e-4, 1 - 1e-4)
        odds = b / (1 - b) * np.exp(np.clip(logodds, -20, 20))
        # beliefs without new evidence stay exactly as they were (a replication's result must not
        # depend on whether other replications stepped with it saw acts this step)
        w.belief = np.where(logodds != 0.0, odds / (1 + odds), w.belief)
        w.belief[:, self._d, self._d] = 0.0
        self.acts_off[:] = 0.0
        self.acts_def[:] = 0.0
        self.acts_reassure[:] = 0.0

    # ================================================================== 4. decide
    def features(self) -> Features:
        """The focal dyad of every state and what the state sees of it (vectorised).

        Arrays are flattened over replications and states (``[R·N]``, replication-major), so that
        doctrines score a whole batch at once.
        """
        w = self.world
        R, n = self.R, self.n
        T = w.threat
        lane, rows = self._lane, self._rows
        # the focal dyad: the one the state's lens makes most pressing (threat for a realist,
        # threat read through the liberal peace for a liberal, threat from the 'other' for a
        # constructivist), plus the rung already reached
        score = T * self.focus_weight + 0.05 * w.level
        score[:, self._d, self._d] = -1.0
        k = np.argmax(score, axis=2)  # [R, N]
        self.focal = k
        att = self.params.decision.attention
        # balancing partner: another state threatened by k, weighted by alignment and affinity
        aff = self.affinity
        tk = T.transpose(0, 2, 1)[lane[:, :, None], k[:, :, None], rows[:, None, :]]  # tk[r, i, p] = T[r, p, k_ri]
        cand = tk + self.params.alignment.affinity_weight * aff + w.align
        mask = tk > att  # p threatened by k_i
        mask[:, self._d, self._d] = False
        mask[lane, rows, k] = False
        cand = np.where(mask, cand, -np.inf)
        partner = np.argmax(cand, axis=2)
        has_partner = np.isfinite(cand[lane, rows, partner])
        self.partner = np.where(has_partner, partner, -1)
        ally = (w.pledge.transpose(0, 2, 1) * w.reliab).max(axis=2)
        power = np.maximum(self.own / np.maximum(self.agg[lane, rows, k], 1e-9), 1e-6)
        alp = self.params.alignment
        weak_alone = (power < alp.weak_ratio) & (ally < alp.credible_ally)
        level_k = w.level[lane, rows, k]

        def flat(a):
            return a.ravel() if a.shape == (R, n) else np.broadcast_to(a, (R, n)).ravel()

        return Features(
            threat=flat(T[lane, rows, k]),
            threat_rise=flat(self._relative_rise(lane, rows, k)),
            level=flat(level_k.astype(float)),
            power=flat(power),
            ally=flat(ally),
            partner=flat(has_partner.astype(float)),
            hostility=flat(w.hostility[lane, k, rows]),
            belief=flat(w.belief[lane, rows, k]),
            damp=flat(self.damp[rows, k]),
            trade=flat(w.trade[rows, k]),
            democracy=self._flat_static["dem"],
            affinity=flat(aff[rows, k]),
            resolve=self._flat_static["resolve"],
            nuclear=self._flat_static["nuclear"],
            target_nuclear=flat(w.nuclear[k].astype(float)),
            weak_alone=flat(weak_alone.astype(float)),
            at_war=flat((level_k >= 7).astype(float)),
            offer=flat(w.offer[lane, k, rows]),
        )

    def _static_dyadic(self) -> None:
        """Affinity and liberal-peace dampening: fixed for a run (regime, trade and institutions do not change)."""
        w, lp = self.world, self.params.liberal_peace
        scale = self.params.power_transition.dissatisfaction_scale
        # Identity affinity from UN-voting ideal points: 1 − |x_i − x_j| / scale, clipped to [0, 1].
        self.affinity = np.clip(1.0 - np.abs(w.ideal[:, None] - w.ideal[None, :]) / scale, 0.0, 1.0)
        # Proximity: prox[i, j] = exp(−d_ij / λ_j), λ_j longer for major and nuclear powers
        tp = self.params.threat
        reach = 1.0 + tp.projection_reach * (w.major | w.nuclear)
        self.prox = np.exp(-w.dist / (tp.distance_scale_km * reach)[None, :])
        self._prox_diag = np.diag(self.prox).copy()
        # Liberal-peace dampening: exp(−β_dem·min(dem_i, dem_j) − β_trade·trade_ij − β_io·inst_ij).
        joint = np.minimum(w.dem[:, None], w.dem[None, :])
        self.damp = np.exp(-lp.democracy_weight * joint - lp.trade_weight * w.trade - lp.institutions_weight * w.inst)
        self.sqrt_damp = np.sqrt(self.damp)
        self.upper = np.triu(np.ones((self.n, self.n), dtype=bool), 1)
        self._has_rival = w.rival.any(axis=1)
        both = w.nuclear[:, None] & w.nuclear[None, :]
        self.both_nuclear = both
        self.indivisibility = np.minimum(1.0, 2.0 * (1.0 - np.maximum(w.resolve[:, None], w.resolve[None, :])))
        self.reach_major = w.major[:, None] | w.contig  # who supports with a show of force rather than words
        self._flat_static = {k: np.tile(np.asarray(v, dtype=float), self.R)
                             for k, v in (("dem", w.dem), ("resolve", w.resolve), ("nuclear", w.nuclear))}

    def _relative_rise(self, lane: np.ndarray, rows: np.ndarray, k: np.ndarray) -> np.ndarray:
        """Relative change of the raw threat index since the last step, clipped to [−1, 1]."""
        now = self.threat_raw[lane, rows, k]
        before = self.threat_raw_prev[lane, rows, k]
        rise = now / np.maximum(before, 1e-12) - 1.0
        rise[before <= 0] = 0.0
        return np.clip(rise, -1.0, 1.0)

    def decide(self) -> None:
        """Every state scores its actions through its doctrine; agents draw their choices."""
        f = self.features()
        self.feat = f
        x = design(f)  # the terms every lens weighs, computed once for all states of all replications
        if len(self.doctrine_groups) == 1:
            u = self.doctrines[0].utilities_from_design(x)
        elif self._tables is not None:
            x3 = x.reshape(self.R, self.n, -1)
            t0, w0 = self._tables[0]
            u = x3[:, :, t0:t0 + 1] * w0
            for t, wt in self._tables[1:]:
                u += x3[:, :, t:t + 1] * wt
        else:
            u = np.empty((self.R * self.n, len(ACTIONS)))
            for doctrine, rows in zip(self.doctrines, self._group_rows, strict=True):
                u[rows] = doctrine.utilities_from_design(x[rows])
        u = u.reshape(self.R, self.n, len(ACTIONS)) + self.mod_offsets
        # liberal peace (a mechanism for every lens): joint democracy, trade and institutions
        # lower the odds of every hostile choice by the dyad's dampening factor
        u[:, :, self._hostile_cols] += np.log(np.maximum(f.damp, 1e-6)).reshape(self.R, self.n)[:, :, None]
        u[~valid_mask(f).reshape(u.shape)] = -np.inf
        self.utilities = u
        # each agent takes its uniforms from its own stream (drawn for all agents at once: a
        # draw is a function of the actor's key, so this is the same as each drawing its own);
        # moves are simultaneous, so the order of the calls does not matter
        self.draws = uniform(self.keys[:, None, None], "decide", self.steps_done, self.akey[None, :, None], _SLOTS3)
        self.agents.do("decide")
        self._choose()

    def _choose(self) -> None:
        """Logit choice for all states at once from the uniforms each agent drew."""
        u = self.utilities / self.params.decision.temperature
        u = u - u.max(axis=2, keepdims=True)
        p = np.exp(u)
        c = np.cumsum(p, axis=2)
        pick = (c < (self.u_choice * c[:, :, -1])[:, :, None]).sum(axis=2)
        np.minimum(pick, len(ACTIONS) - 1, out=pick)
        pick[~self.attending] = 0
        self.choice = pick

    # ================================================================== 5. act
    def act(self) -> None:
        """Apply the chosen actions (simultaneous moves) in every replication, and log them with their causes.

        Effects are computed from the state before anyone acts and added together, so the order of
        the states does not matter (two states balancing with each other both move their alignment).
        """
        w, al = self.world, self.params.alignment
        ch, focal = self.choice, self.focal
        rids = self._log_decisions() if self.logging else None
        align_inc: list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = []
        # ---- hostile moves: hostility, belief evidence, ladder pressure (threshold-tested)
        hostile = _IS_HOSTILE[ch]
        if hostile.any():
            rn, i = np.nonzero(hostile)
            k = focal[rn, i]
            a = ch[rn, i]
            rung = self._cross(rn, i, k, w.level[rn, i, k], _RUNG[a])
            mag = _MAGNITUDE[a]
            w.hostility[rn, i, k] += (-_GOLD[a] / 10.0) * mag
            off = _IS_OFFENSIVE[a]
            self.acts_off[rn[off], i[off], k[off]] += mag[off]
            self.acts_def[rn[~off], i[~off], k[~off]] += mag[~off]
            pos = rung > 0
            if self.logging:
                pressure = self.pressure[0].copy()
                for ii, kk, rr in zip(i[pos].tolist(), k[pos].tolist(), rung[pos].tolist(), strict=True):
                    if rr > pressure[ii, kk]:
                        pressure[ii, kk] = pressure[kk, ii] = rr
                        self.level_cause[(min(ii, kk), max(ii, kk))] = rids[ii]
                for ii, kk in zip(i.tolist(), k.tolist(), strict=True):
                    self.touch(kk, ii, rids[ii])
            np.maximum.at(self.pressure, (rn[pos], i[pos], k[pos]), rung[pos])
            np.maximum.at(self.pressure, (rn[pos], k[pos], i[pos]), rung[pos])
            sanc = a == A["sanction"]
            w.sanctions[rn[sanc], i[sanc], k[sanc]] = np.maximum(w.sanctions[rn[sanc], i[sanc], k[sanc]], 0.5)
            sf = a == A["show_force"]
            if sf.any():
                self.add_posture(i[sf], k[sf], 0.15, 2.0, lanes=rn[sf])
        # ---- arming: spending up; states worried by the armer read it as (ambiguous) evidence
        arm = ch == A["arm"]
        if arm.any():
            w.x += self.params.arms.arm_boost * arm
            worried = w.threat.transpose(0, 2, 1) > self.params.decision.attention  # worried[r, i, j]: j fears i
            self.acts_def += 0.5 * (arm[:, :, None] & worried)
            if self.logging:
                for ii in np.nonzero(arm[0])[0].tolist():
                    for j in np.nonzero(worried[0, ii])[0].tolist():
                        self.touch(j, ii, rids[ii])
        # ---- balancing: align with a partner also threatened by the focal state; firm into a pledge
        bal = ch == A["balance"]
        if bal.any():
            rn, i = np.nonzero(bal)
            p, k = self.partner[rn, i], focal[rn, i]
            step = al.alignment_step * min(1.0, self.weeks)
            align_inc.append((rn, i, p, step * (1.0 - w.align[rn, i, p])))  # diminishing returns
            align_inc.append((rn, p, i, step / 2 * (1.0 - w.align[rn, p, i])))
            self.acts_def[rn, i, k] += 0.5
            if self.logging:
                for ii, kk in zip(i.tolist(), k.tolist(), strict=True):
                    self.touch(kk, ii, rids[ii])
        # ---- bandwagoning and reassurance: hostility down, alignment up, costly signals, de-escalation
        for name, factor, inc in (("bandwagon", 0.5, al.alignment_step),
                                  ("reassure", 1.0 - min(0.9, _GOLD[A["reassure"]] / 20.0), _GOLD[A["reassure"]] / 200.0)):
            sel = ch == A[name]
            if not sel.any():
                continue
            rn, i = np.nonzero(sel)
            k = focal[rn, i]
            w.hostility[rn, i, k] *= factor
            align_inc.append((rn, i, k, np.full(len(rn), inc)))
            if name == "bandwagon" or _GOLD[A["reassure"]] >= 5:
                self.acts_reassure[rn, i, k] += 1.0
            self.down[rn, i, k] = True
            self.down[rn, k, i] = True
            if self.logging and name == "reassure":
                for ii, kk in zip(i.tolist(), k.tolist(), strict=True):
                    self.touch(kk, ii, rids[ii])
        if align_inc:
            for rn, i, j, inc in align_inc:
                np.add.at(w.align, (rn, i, j), inc)
            np.minimum(w.align, 1.0, out=w.align)
        if bal.any():
            rn, i = np.nonzero(bal)
            p, k = self.partner[rn, i], focal[rn, i]
            form = (w.align[rn, i, p] >= al.pact_threshold) & (w.pledge[rn, i, p] < 0.5)
            if form.any():
                rn, i, p, k = rn[form], i[form], p[form], k[form]
                w.pledge[rn, i, p] = w.pledge[rn, p, i] = 0.6
                w.reliab[rn, i, p] = np.maximum(w.reliab[rn, i, p], 0.6)
                w.reliab[rn, p, i] = np.maximum(w.reliab[rn, p, i], 0.6)
                if self.logging:
                    for ii, pp, kk in zip(i.tolist(), p.tolist(), k.tolist(), strict=True):
                        r2 = self.log.add(self.steps_done, "outcome", "alignment",
                                          f"{w.codes[ii]} and {w.codes[pp]} firm their alignment into a defence commitment against {w.codes[kk]} (Walt: balancing).",
                                          cause=rids[ii], type="defense_pact", actor=w.codes[ii], target=w.codes[pp], cameo="057", goldstein=8.0, level=0)
                        self.touch_power(ii, r2)
                        self.touch_power(pp, r2)
        # ---- settlement offers
        st = ch == A["settle"]
        if st.any():
            rn, i = np.nonzero(st)
            k = focal[rn, i]
            w.offer[rn, i, k] = np.maximum(w.offer[rn, i, k], 0.5)
            if self.logging:
                for ii, kk in zip(i.tolist(), k.tolist(), strict=True):
                    self.offer_cause[(ii, kk)] = rids[ii]

    def _log_decisions(self) -> list[str]:
        """Log every state's chosen action (a single run); returns each state's record id ('' for hold)."""
        w = self.world
        t = self.steps_done
        rids = [""] * self.n
        for i in range(self.n):
            a = ACTIONS[self.choice[0, i]]
            if a == "hold":
                continue
            k = int(self.focal[0, i])
            ci, ck = w.codes[i], w.codes[k]
            doctrine = self.by_index[i].doctrine_name
            rd = ACTION_SPECS[a]
            thr = float(w.threat[0, i, k])
            target = w.codes[int(self.partner[0, i])] if a == "balance" else ck
            if not self.explain:  # the record without its sentence
                why = ""
            elif a == "balance":
                why = (f"{ci} ({doctrine}) balances against {ck} (threat {thr:.2f}) by aligning with {target}, "
                       f"also threatened by {ck}: {rd.label} (CAMEO {rd.cameo}).")
            elif a == "arm":
                why = f"{ci} ({doctrine}) arms in answer to {ck} (threat {thr:.2f}): military spending up."
            else:
                why = f"{ci} ({doctrine}) answers {ck} (threat {thr:.2f}, rung {w.level[0, i, k]}): {a.replace('_', ' ')} — {rd.label} (CAMEO {rd.cameo}, Goldstein {rd.goldstein:+.1f})."
            rids[i] = self.log.add(t, "decision", "decide", why, cause=self._recent_perception(i, k), type=a, actor=ci,
                                   target=target, cameo=rd.cameo, goldstein=rd.goldstein, level=rd.ladder, doctrine=doctrine)
        return rids

    def _recent_perception(self, i: int, k: int, window_weeks: float = 4.0) -> str:
        """The perception record that prompted i's answer to k, if it is recent enough to be the reason."""
        rec = self.last_perception.get((i, k))
        if rec is None or (self.steps_done - rec[1]) * self.weeks > window_weeks:
            return ""
        return rec[0]

    def _cross(self, rn: np.ndarray, i: np.ndarray, k: np.ndarray, level: np.ndarray, rung: np.ndarray) -> np.ndarray:
        """Threshold test for chosen moves from ``level`` up to ``rung`` (Kahn's thresholds).

        Each threshold crossed (violence 5, war 7, nuclear 9) multiplies the chance of going through
        by its resistance (scaled by the state's risk attitude), and the liberal peace by √damp; a
        move that fails stops one rung below the first threshold.
        """
        lp = self.params.ladder
        prob = np.ones(len(rn))
        first = np.zeros(len(rn), dtype=np.int16)
        risk = self.risk[i]
        for thr, res in ((5, lp.violence_resistance), (7, lp.war_resistance), (9, lp.nuclear_resistance)):
            c = (level < thr) & (thr <= rung)
            prob = np.where(c, prob * np.minimum(1.0, res * risk), prob)
            first = np.where((first == 0) & c, thr, first)
        prob = prob * self.sqrt_damp[i, k]
        through = (first == 0) | (self.cross_draw[rn, i] < prob)
        return np.where(through, rung, first - 1).astype(np.int16)

    # ================================================================== 6. alliance_politics
    def alliance_politics(self) -> None:
        """Allies of a state in crisis decide to support it or stand aside (abandonment vs entrapment).

        For ally i of k in a crisis with z (rung ≥ crisis_level), support probability is a logistic
        function of i's dependence on k (abandonment fear, D), the expected cost of joining (entrapment,
        E), the firmness of the pledge, and the offence–defence perception (+: chain-ganging,
        −: buck-passing). Supporting at war means joining it. Reliability beliefs update after.
        An ally decides once for each rung its partner's crisis reaches; all allies decide at once,
        from the rungs at the start of this submodel.
        """
        w, ap = self.world, self.params.alliance_politics
        L = w.level
        n = self.n
        cl, ca, cb = np.nonzero((L >= ap.crisis_level) & self.upper)
        if cl.size == 0:
            return
        # both directions of each crisis dyad: ally i of k, against z
        lk = np.concatenate([cl, cl])
        k = np.concatenate([ca, cb])
        z = np.concatenate([cb, ca])
        lvl = L[lk, k, z]
        order = np.argsort(lk * n * n + np.concatenate([ca * n + cb, ca * n + cb]) + 0.5 * np.repeat([0, 1], len(cl)), kind="stable")
        lk, k, z, lvl = lk[order], k[order], z[order], lvl[order]
        cand = w.pledge[lk[:, None], self._d[None, :], k[:, None]] > 0.05  # [M, N]: i pledged to k
        cand &= L[lk[:, None], self._d[None, :], z[:, None]] < lvl[:, None]
        cand &= w.pledge[lk[:, None], self._d[None, :], z[:, None]] <= 0.3
        cand[np.arange(len(k)), k] = False
        cand[np.arange(len(k)), z] = False
        m, i = np.nonzero(cand)
        if m.size == 0:
            return
        rn, k, z, lvl = lk[m], k[m], z[m], lvl[m]
        # each (ally, partner, opponent) decides once per rung reached
        key = ((rn.astype(np.int64) * n + i) * n + k) * n + z
        pos = np.searchsorted(self._decided_keys, key)
        found = pos < len(self._decided_keys)
        found[found] = self._decided_keys[pos[found]] == key[found]
        prev = np.full(len(key), -1, dtype=np.int16)
        prev[found] = self._decided_level[pos[found]]
        go = prev < lvl
        if not go.any():
            return
        rn, i, k, z, lvl, key, pos, found = rn[go], i[go], k[go], z[go], lvl[go], key[go], pos[go], found[go]
        self._decided_level[pos[found]] = lvl[found]
        if (~found).any():
            keys = np.concatenate([self._decided_keys, key[~found]])
            levels = np.concatenate([self._decided_level, lvl[~found].astype(np.int16)])
            srt = np.argsort(keys, kind="stable")
            self._decided_keys, self._decided_level = keys[srt], levels[srt]
        own = self.own
        # dependence: the share of i's security that k's pledge provides, 0–1
        backing = w.pledge[rn, k, i] * w.cap[rn, k]
        dependence = backing / (backing + own[rn, i])
        # entrapment: the expected cost of fighting z; joining a war against a nuclear power
        # carries the risk of nuclear escalation (Jervis 1989)
        cost = (lvl / 10.0) * np.minimum(3.0, self.agg[rn, i, z] / np.maximum(own[rn, i], 1e-9))
        cost = cost + 3.0 * (w.nuclear[z] & (lvl >= 7))
        odp = w.odp[i]
        pwin_kz = own[rn, k] / (own[rn, k] + self.agg[rn, k, z])
        need = 0.5 - pwin_kz  # > 0 when the ally would lose alone
        x = (-1.5 + w.pledge[rn, i, k] * (1.5 + 2.5 * odp)
             + ap.abandonment_weight * (1.5 * dependence + 3.0 * need)
             - ap.entrapment_weight * cost + 1.0 * (w.threat[rn, i, z] - 0.3)
             + (self.prox[i, z] - 0.5)  # distant quarrels matter less
             + np.log(self.risk[i]))  # risk-acceptant states enter wars more readily
        prob = 1.0 / (1.0 + np.exp(-2.0 * x))
        u = uniform(self.keys[rn], "support", self.steps_done, self.akey[i], self.akey[k], self.akey[z])
        sup = u < prob
        # at war, support means joining it. Short of war it is a show of force (rung 4) from a
        # major power or a neighbour of the opponent, words (rung 1) from others.
        join = np.where(lvl >= 7, lvl, np.where(self.reach_major[i, z], 4, 1)).astype(np.int16)
        if self.logging:
            self._log_support(i, k, z, lvl, prob, sup, join, odp)
        # reliability learning: each decision moves k's belief in i toward 1 (support) or 0 (abandon)
        rl = ap.reliability_learning
        flat = (rn.astype(np.int64) * n + k) * n + i
        cells, inv = np.unique(flat, return_inverse=True)
        n_sup = np.bincount(inv, weights=sup, minlength=len(cells))
        n_ab = np.bincount(inv, weights=~sup, minlength=len(cells))
        r = w.reliab.flat[cells]
        # support moves 1 − r toward 0 by (1 − rl), abandonment moves r toward 0 by (1 − rl)
        w.reliab.flat[cells] = (1.0 - (1.0 - r) * (1.0 - rl) ** n_sup) * (1.0 - rl) ** n_ab
        if sup.any():
            rn, i, z, join = rn[sup], i[sup], z[sup], join[sup]
            raise_ = join > L[rn, i, z]
            np.maximum.at(L, (rn, i, z), join)
            np.maximum.at(L, (rn, z, i), join)
            u_ = self.params.bargaining.uncertainty
            w.sigma[rn[raise_], i[raise_], z[raise_]] = u_
            w.sigma[rn[raise_], z[raise_], i[raise_]] = u_
            np.add.at(w.hostility, (rn, i, z), 0.5)

    def _log_support(self, i, k, z, lvl, prob, sup, join, odp) -> None:
        """Log each ally's decision to stand by its partner or stay out (a single run)."""
        w = self.world
        t = self.steps_done
        for ii, kk, zz, lv, pr, s, jn, od in zip(i.tolist(), k.tolist(), z.tolist(), lvl.tolist(), prob.tolist(),
                                                 sup.tolist(), join.tolist(), odp.tolist(), strict=True):
            ci, ck, cz = w.codes[ii], w.codes[kk], w.codes[zz]
            cause = self.level_cause.get((min(kk, zz), max(kk, zz)), "")
            style = "chain-ganging" if od > 0.2 else ("buck-passing" if od < -0.2 else "weighing abandonment against entrapment")
            if s:
                rd = ACTION_SPECS["join_war" if jn >= 7 else "support_ally"]
                why = (f"{ci} stands by its ally {ck} against {cz} (rung {lv}; support chance {pr:.0%}, {style})"
                       + (f": {ci} goes to war with {cz}." if jn >= 7 else f": {ci} raises its own dyad with {cz} to rung {jn}."))
                rid = self.log.add(t, "decision", "alliance_politics", why, cause=cause, type="support_ally",
                                   actor=ci, target=cz, cameo=rd.cameo, goldstein=rd.goldstein, level=jn)
                if jn > w.level[0, ii, zz]:
                    self.level_cause[(min(ii, zz), max(ii, zz))] = rid
            else:
                why = (f"{ci} stays out of its ally {ck}'s crisis with {cz} (rung {lv}; support chance {pr:.0%}, {style}); "
                       f"{ck} now trusts {ci} less.")
                self.log.add(t, "decision", "alliance_politics", why, cause=cause, type="abandon", actor=ci, target=ck,
                             cameo="1222", goldstein=-4.0, level=0)

    # ================================================================== 7. bargain
    def win_probability(self) -> np.ndarray:
        """p_ij: i's chance of winning a war with j, from aggregate capabilities (with allies); ``[R, N, N]``."""
        own_agg = self.own[:, :, None]
        return own_agg / (own_agg + self.agg)

    def bargain(self) -> None:
        """Bargaining and war (Fearon 1995): onset when private information hides the bargaining range.

        For dyads in the violence band (rungs 5–6) the weekly hazard of war is
        ``breakdown_rate · P(|ε| > (c_i + c_j)/2) · (1 + commitment) · (1 + transition) · damp``,
        ε ~ N(0, σ). At war, σ shrinks each week (fighting reveals information) and the war ends in a
        ceasefire with hazard ``settlement_rate · (1 − P_break) · indivisibility``. Nuclear dyads
        at war may climb to nuclear use only through the ladder's steepest threshold.
        """
        w, bp = self.world, self.params.bargaining
        L = w.level
        pw = self.win_probability()
        # commitment problem: shift in win probability over the last year
        first = np.isnan(w.pwin_year)
        w.pwin_year[first] = pw[first]
        shift = np.abs(pw - w.pwin_year)  # pwin_year is an exponential average over about a year
        w.pwin_year += (pw - w.pwin_year) * min(1.0, self.weeks / 52.0)
        rn, i, j = np.nonzero((L >= 5) & self.upper)
        if rn.size == 0:
            return
        lvl = L[rn, i, j]
        both_nuc = self.both_nuclear[i, j]
        width = 2 * bp.war_cost * np.where(both_nuc, 4.0, 1.0)
        # uncertainty about the outcome is largest at parity (Reed 2003): σ·4p(1−p)
        p = pw[rn, i, j]
        sigma = np.maximum(w.sigma[rn, i, j] * 4.0 * p * (1.0 - p), 1e-6)
        p_break = erfc(width / (2 * sigma * _SQRT2))
        u = self.dyad_uniform("war", rn, i, j)
        crisis = lvl < 7
        # violence band: war onset
        commit = bp.commitment_weight * shift[rn, i, j]
        pt = self.transition_risk(rn, i, j)
        hz = bp.breakdown_rate * p_break * (1 + commit) * (1 + pt) * self.damp[i, j]
        hz = 1 - (1 - np.minimum(hz, 1.0)) ** self.weeks
        onset = crisis & (u < hz)
        # at war: learning, ceasefire, or a losing nuclear power's escalation
        atwar = ~crisis
        w.sigma[rn[atwar], i[atwar], j[atwar]] *= bp.learning_in_war ** self.weeks
        w.sigma[rn[atwar], j[atwar], i[atwar]] = w.sigma[rn[atwar], i[atwar], j[atwar]]
        hz_end = bp.settlement_rate * (1 - p_break) * self.indivisibility[i, j]
        hz_end = 1 - (1 - np.minimum(hz_end, 1.0)) ** self.weeks
        cease = atwar & (u < hz_end)
        nuclear = atwar & ~cease & both_nuc & (lvl == 8) & (u > 1 - self.params.ladder.nuclear_resistance * p_break * self.weeks)
        new = np.where(onset, 7, np.where(cease, 4, np.where(nuclear, 9, lvl))).astype(L.dtype)
        L[rn, i, j] = new
        L[rn, j, i] = new
        w.sigma[rn[onset], i[onset], j[onset]] = bp.uncertainty
        w.sigma[rn[onset], j[onset], i[onset]] = bp.uncertainty
        if self.logging:
            self._log_bargain(i, j, onset, cease, nuclear, p_break, commit, pt, sigma)

    def _log_bargain(self, i, j, onset, cease, nuclear, p_break, commit, pt, sigma) -> None:
        w = self.world
        t = self.steps_done
        for q in np.nonzero(onset | cease | nuclear)[0].tolist():
            ii, jj = int(i[q]), int(j[q])
            ci, cj = w.codes[ii], w.codes[jj]
            cause = self.level_cause.get((ii, jj), "")
            if onset[q]:
                rd = ACTION_SPECS["war"]
                why = (f"Bargaining between {ci} and {cj} breaks down: private information hides a deal "
                       f"(chance {p_break[q]:.0%} that the range is misread; commitment-problem boost {commit[q]:.2f}, "
                       f"power-transition boost {pt[q]:.2f}) — war (rung 7).")
                kind, lv = "war", 7
            elif cease[q]:
                rd = ACTION_SPECS["ceasefire"]
                why = (f"Fighting has revealed enough about the balance for {ci} and {cj} to agree a ceasefire "
                       f"(σ down to {sigma[q]:.3f}; indivisibility factor {self.indivisibility[ii, jj]:.2f}) — back to rung 4.")
                kind, lv = "ceasefire", 4
            else:
                rd = ACTION_SPECS["nuclear_use"]
                why = f"{ci}–{cj}: a losing nuclear power crosses the nuclear threshold (rung 9)."
                kind, lv = "nuclear_use", 9
            rid = self.log.add(t, "outcome", "bargain", why, cause=cause, type=kind, actor=ci, target=cj,
                               cameo=rd.cameo, goldstein=rd.goldstein, level=lv)
            self.level_cause[(ii, jj)] = rid

    def transition_risk(self, rn: np.ndarray, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        """Power transition (Organski & Kugler 1980): extra war hazard for a dissatisfied challenger near parity.

        For the selected dyads ``(rn, i, j)`` (replication, states): ``weight × dissatisfaction`` of
        the challenger when one side is the leading state (the strongest at the start) and the
        other's capability is within the parity window of the leader's; 0 for other dyads.
        """
        w, pp = self.world, self.params.power_transition
        leader = self.leader
        ratio = w.cap / np.maximum(w.cap[:, leader:leader + 1], 1e-12)
        window = (ratio >= pp.parity_low) & (ratio <= pp.parity_high)
        window[:, leader] = False
        dissat = np.clip(np.abs(w.ideal - w.ideal[leader]) / pp.dissatisfaction_scale, 0, 1)
        risk = pp.weight * window * dissat  # [R, N]: each state as a challenger of the leader
        return np.where(j == leader, risk[rn, i], np.where(i == leader, risk[rn, j], 0.0))

    # ================================================================== 8. resolve_ladder
    def resolve_ladder(self) -> None:
        """The escalation ladder: chosen moves take their rung, settlements and de-escalation step down.

        Upward pressure was already threshold-tested when chosen. Dyads under no new pressure step
        one rung down with the weekly de-escalation rate (never below a floor of 3 while sanctions
        are in force, nor out of a war, which ends only by bargaining). Mutual settlement offers drop
        a dyad ``settlement_drop`` rungs. At rung ≥ 4, accidents happen, at a weekly rate that
        doubles with each rung above 4.
        """
        w, lp = self.world, self.params.ladder
        L = w.level
        up = (self.pressure > L) & self.upper
        if up.any():
            rn, i, j = np.nonzero(up)
            old, new = L[rn, i, j], self.pressure[rn, i, j]
            L[rn, i, j] = L[rn, j, i] = new
            reset = ((old < 5) & (new >= 5)) | ((old < 7) & (new >= 7))
            u_ = self.params.bargaining.uncertainty
            w.sigma[rn[reset], i[reset], j[reset]] = u_
            w.sigma[rn[reset], j[reset], i[reset]] = u_
        # settlements: mutual offers
        mutual = (w.offer > 0) & (w.offer.transpose(0, 2, 1) > 0)
        if mutual.any():
            self._settle(mutual)
        w.offer *= 0.8 ** self.weeks
        w.offer[w.offer < 0.05] = 0.0
        # de-escalation of quiet dyads
        quiet = (L > 0) & (L < 7) & ~(self.pressure > 0)
        rn, i, j = np.nonzero((quiet | self.down) & self.upper)
        if rn.size:
            rate = 1 - (1 - lp.deescalation_rate) ** self.weeks
            lv = L[rn, i, j]
            floor = np.where((w.sanctions[rn, i, j] > 0) | (w.sanctions[rn, j, i] > 0), 3, 0)
            boost = np.where(self.down[rn, i, j], 2.0, 1.0)
            u = self.dyad_uniform("deescalate", rn, i, j)
            step_down = (lv > floor) & (lv < 7) & (u < np.minimum(1.0, rate * boost))
            rn, i, j = rn[step_down], i[step_down], j[step_down]
            L[rn, i, j] -= 1
            L[rn, j, i] -= 1
        # accidents: more forces on alert, more chances for an unchosen incident (Sagan 1993);
        # the weekly rate doubles with each rung above 4
        if lp.accident_rate > 0:
            rn, i, j = np.nonzero((L >= 4) & (L < 7) & self.upper)
            if rn.size:
                rate = np.minimum(1.0, lp.accident_rate * 2.0 ** (L[rn, i, j] - 4))
                pa = 1 - (1 - rate) ** self.weeks
                hit = self.dyad_uniform("accident", rn, i, j) < pa
                rn, i, j = rn[hit], i[hit], j[hit]
                L[rn, i, j] += 1
                L[rn, j, i] += 1
                w.hostility[rn, i, j] += 0.5
                w.hostility[rn, j, i] += 0.5
                if self.logging:
                    for ii, jj in zip(i.tolist(), j.tolist(), strict=True):
                        new = int(L[0, ii, jj])
                        rid = self.log.add(self.steps_done, "outcome", "resolve_ladder",
                                           f"An incident neither side chose (a collision, a misread order) pushes {w.codes[ii]}–{w.codes[jj]} to rung {new}.",
                                           cause=self.level_cause.get((ii, jj), ""), type="incident", actor=w.codes[ii],
                                           target=w.codes[jj], cameo="180", goldstein=-9.0, level=new)
                        self.level_cause[(ii, jj)] = rid
        self.pressure[:] = 0
        self.down[:] = False

    def _settle(self, mutual: np.ndarray) -> None:
        """Mutual settlement offers: the dyad drops ``settlement_drop`` rungs, and a patron's deal carries its client.

        An open offer from either side to the other's ally (pledge ≥ 0.3, dyad at rung ≥ 3) is
        accepted with the deal (Snyder 1984 on restraining allies).
        """
        w, lp = self.world, self.params.ladder
        L = w.level
        t = self.steps_done
        rn, i, j = np.nonzero(mutual & self.upper)
        old = L[rn, i, j].copy()
        new = np.maximum(0, old - lp.settlement_drop).astype(L.dtype)
        L[rn, i, j] = L[rn, j, i] = new
        w.hostility[rn, i, j] *= 0.5
        w.hostility[rn, j, i] *= 0.5
        if self.logging:
            rd = ACTION_SPECS["settle"]
            for ii, jj, o, nw in zip(i.tolist(), j.tolist(), old.tolist(), new.tolist(), strict=True):
                cause = self.offer_cause.get((ii, jj)) or self.offer_cause.get((jj, ii), "")
                self.log.add(t, "outcome", "resolve_ladder", f"{w.codes[ii]} and {w.codes[jj]} accept a face-saving settlement: rung {o} → {nw}.",
                             cause=cause, type="settlement", actor=w.codes[ii], target=w.codes[jj], cameo=rd.cameo,
                             goldstein=rd.goldstein, level=nw)
        # clients: for patron a settling with b, each c pledged by a with an open offer from b
        la, a, b = np.concatenate([rn, rn]), np.concatenate([i, j]), np.concatenate([j, i])
        d = self._d[None, :]
        clients = ((w.pledge[la[:, None], a[:, None], d] >= 0.3) & (w.offer[la[:, None], b[:, None], d] > 0)
                   & (L[la[:, None], b[:, None], d] >= 3))
        clients[np.arange(len(a)), a] = False
        clients[np.arange(len(a)), b] = False
        q, c = np.nonzero(clients)
        if q.size:
            lc, bc = la[q], b[q]
            cells, first = np.unique((lc.astype(np.int64) * self.n + np.minimum(bc, c)) * self.n + np.maximum(bc, c), return_index=True)
            lc, bc, c, ac = lc[first], bc[first], c[first], a[q][first]
            old = L[lc, bc, c].copy()
            new = np.maximum(0, old - lp.settlement_drop).astype(L.dtype)
            L[lc, bc, c] = L[lc, c, bc] = new
            w.offer[lc, bc, c] = w.offer[lc, c, bc] = 0.0
            if self.logging:
                for aa, bb, cc, o, nw in zip(ac.tolist(), bc.tolist(), c.tolist(), old.tolist(), new.tolist(), strict=True):
                    self.log.add(t, "outcome", "resolve_ladder",
                                 f"{w.codes[cc]} accepts {w.codes[bb]}'s offer as part of its patron {w.codes[aa]}'s settlement: rung {o} → {nw}.",
                                 cause=self.offer_cause.get((bb, cc), ""), type="settlement", actor=w.codes[cc],
                                 target=w.codes[bb], cameo="037", goldstein=5.0, level=nw)
        w.offer[mutual] = 0.0

    # ================================================================== 9. arms_dynamics
    def arms_dynamics(self) -> None:
        """Richardson (1960) for N states: dx_i = Δ·(a_i·Σ_j w_ij x_j − m_i·x_i + g_i·G_i).

        x_i is spending above the state's base, as a share of it; w_ij are the state's threat
        weights (normalised over j); G_i is 1 for a state in a rivalry or a crisis at rung ≥ 3.
        Capability follows spending with ``capability_share``; each week at war costs capability.
        """
        w, ap = self.world, self.params.arms
        dt_years = self.weeks / 52.0
        T = w.threat
        tot = T.sum(axis=2, keepdims=True)
        wts = np.divide(T, tot, out=np.zeros_like(T), where=tot > 0)
        y = (wts * w.x[:, None, :]).sum(axis=2)
        G = (self._has_rival | (w.level >= 3).any(axis=2)).astype(float)
        w.x += dt_years * (w.arms_a * y - w.arms_m * w.x + w.arms_g * G)
        np.maximum(w.x, -0.5, out=w.x)
        wars = (w.level >= 7).sum(axis=2)
        if wars.any():
            self.attrition *= (1.0 - self.params.bargaining.war_cost / 52.0 * self.weeks) ** wars
            np.maximum(self.attrition, 0.5, out=self.attrition)
        w.cap = w.cap0 * (1.0 + ap.capability_share * w.x) * self.attrition

    # ================================================================== 10. record
    def record(self) -> None:
        """Store this step's metrics (and full matrices when recording in full)."""
        w = self.world
        t = self.steps_done
        L = w.level
        np.maximum(self.peak, L, out=self.peak)
        for b, fc in self.first_cross.items():
            fc[(L >= b) & (fc < 0)] = t
        s = self.series
        s["milex"][t] = 1.0 + w.x
        s["capability"][t] = w.cap
        s["max_threat"][t] = w.threat.max(axis=2)
        s["max_level"][t] = L.max(axis=2)
        iu, ju = self._iu
        lv = L[:, iu, ju]
        sy = self.system
        sy["max_level"][t] = lv.max(axis=1) if lv.shape[1] else 0
        sy["mean_threat"][t] = w.threat.sum(axis=(1, 2)) / max(1, self.n * (self.n - 1))
        sy["dyads_violent"][t] = (lv >= 5).sum(axis=1)
        sy["dyads_war"][t] = (lv >= 7).sum(axis=1)
        if self.level_hist is not None:
            self.level_hist[t] = L[0]
            self.threat_hist[t] = w.threat[0]
        if self.dyad_level is not None:
            self.dyad_level[t] = lv
            self.dyad_tension[t] = np.maximum(w.threat[:, iu, ju], w.threat[:, ju, iu])

    @staticmethod
    def ladder_label(level: int) -> str:
        """The words of a rung."""
        return LADDER[int(level)]
