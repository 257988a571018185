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

All randomness derives from the run's seed through :class:`numpy.random.SeedSequence`: each actor
has its own stream for its decisions, each dyad its own stream for ladder and bargaining draws, so
that a variant which adds an event or an actor leaves the other streams untouched (common random
numbers for paired comparisons).
"""

from __future__ import annotations

import math
import zlib
from collections import defaultdict

import mesa
import numpy as np

from sim.doctrines import ACTIONS, HOSTILE, MODIFIERS, Features, get_doctrine, valid_mask
from sim.doctrines.base import A
from sim.doctrines.lenses import design
from sim.model.agents import StateAgent
from sim.model.handlers import apply_scheduled
from sim.model.records import Log
from sim.model.world import LADDER, World, build_world
from sim.scenario.events import ACTION_SPECS
from sim.scenario.schema import Scenario

__all__ = ["CrisisModel", "stream_key"]

_PURPOSE = {"decide": 1, "dyad": 2}
_SQRT2 = math.sqrt(2.0)


def stream_key(code: str) -> int:
    """A stable 32-bit key of an actor code (the same on every machine and Python run)."""
    return zlib.crc32(code.encode("utf-8"))


class CrisisModel(mesa.Model):
    """A crisis among states, stepped through the documented schedule.

    Args:
        scenario: A validated scenario (a variant already applied, if any).
        seed: The run's master seed.
        record: ``"full"`` keeps N×N histories of rungs and threat for every step (for one run,
            narratives and charts); ``"summary"`` keeps per-step per-actor series and running
            dyad summaries only (for ensembles).
        catalog: The actor catalog (default: the shipped one).
    """

    def __init__(self, scenario: Scenario, seed: int = 0, *, record: str = "full", catalog=None):
        super().__init__(rng=int(seed))
        self.spec = scenario
        self.seed = int(seed)
        self.params = scenario.parameters
        self.world: World = build_world(scenario, catalog)
        w = self.world
        self.n = n = w.n
        self.idx = {c: k for k, c in enumerate(w.codes)}
        self.log = Log(scenario.calendar)
        self.steps_done = 0
        self.record_mode = record
        self.weeks = scenario.calendar.step_days / 7.0
        self._seed_seq = np.random.SeedSequence(self.seed)
        self._dyad_rngs: dict[tuple[int, int], np.random.Generator] = {}
        # scheduled events by step
        self._due: dict[int, list] = defaultdict(list)
        for k, ev in enumerate(scenario.events):
            self._due[scenario.event_step(ev)].append(("event", ev, scenario.event_id(k)))
        # per-step working state
        self.pressure = np.zeros((n, n), dtype=np.int16)
        self.down = np.zeros((n, n), dtype=bool)
        self.acts_off = np.zeros((n, n))
        self.acts_def = np.zeros((n, n))
        self.acts_reassure = np.zeros((n, n))
        self.causes: dict[tuple[int, int], list[str]] = defaultdict(list)
        self.power_causes: dict[int, list[str]] = defaultdict(list)
        self.last_perception: dict[tuple[int, int], str] = {}
        self.level_cause: dict[tuple[int, int], str] = {}
        self.offer_cause: dict[tuple[int, int], str] = {}
        self.deployments: list[list] = []  # [actor, near, weight, until_step, rid]
        self.support_decided: dict[tuple[int, int, int], int] = {}
        self.threat_raw = np.zeros((n, n))
        self.threat_prev = np.zeros((n, n))
        self.components: dict[str, np.ndarray] = {}
        self.agg = np.zeros((n, n))
        self.own = np.ones(n)
        self.attrition = np.ones(n)
        # agents
        modifiers = [tuple(MODIFIERS[m] for m in a.modifiers) for a in w.actors]
        StateAgent.create_agents(
            self,
            n,
            code=list(w.codes),
            index=list(range(n)),
            doctrine_name=[a.doctrine for a in w.actors],
            modifiers=modifiers,
            stream=[np.random.default_rng(np.random.SeedSequence([self.seed, stream_key(c), _PURPOSE["decide"]])) for c in w.codes],
        )
        self.by_index: list[StateAgent] = sorted(self.agents, key=lambda a: a.index)
        self.doctrine_groups: dict[str, np.ndarray] = {}
        for name in sorted({a.doctrine_name for a in self.by_index}):
            self.doctrine_groups[name] = np.array([a.index for a in self.by_index if a.doctrine_name == name])
        self.doctrines = [get_doctrine(name) for name in self.doctrine_groups]
        self.mod_offsets = np.array([sum((m.offset_vector() for m in a.modifiers), np.zeros(len(ACTIONS))) for a in self.by_index])
        self.risk = np.array([math.prod(m.risk for m in a.modifiers) for a in self.by_index])
        self.choice = np.zeros(n, dtype=np.int64)
        self.focal = np.zeros(n, dtype=np.int64)
        self.partner = np.full(n, -1, dtype=np.int64)
        self.cross_draw = np.ones(n)
        self.u_choice = np.zeros(n)
        self.attending = np.ones(n, dtype=bool)
        self.utilities = np.zeros((n, len(ACTIONS)))
        self._hostile_cols = np.array([A[a] for a in ACTIONS if a in HOSTILE])
        # recording
        H = scenario.calendar.horizon
        self.peak = w.level.copy()
        self.first_cross = {b: np.full((n, n), -1, dtype=np.int32) for b in (5, 7, 9)}
        for b in (5, 7, 9):
            self.first_cross[b][w.level >= b] = 0
        self.series = {k: np.zeros((H + 1, n)) for k in ("milex", "capability", "max_threat", "max_level")}
        self.system = {k: np.zeros(H + 1) for k in ("max_level", "mean_threat", "dyads_violent", "dyads_war")}
        self.level_hist = np.zeros((H + 1, n, n), dtype=np.int8) if record == "full" else None
        self.threat_hist = np.zeros((H + 1, n, n), dtype=np.float32) if record == "full" else None
        self.explain = record == "full"
        self.leader = int(np.argmax(w.cap0))
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
    def step(self) -> None:
        """Advance one step: the submodels of docs/model.md §3, in order."""
        self.apply_events()
        self.perceive_threat()
        self.update_beliefs()
        self.decide()
        self.act()
        self.alliance_politics()
        self.bargain()
        self.resolve_ladder()
        self.arms_dynamics()
        self.steps_done += 1
        self.record()

    def run(self) -> CrisisModel:
        """Run to the scenario's horizon."""
        for _ in range(self.spec.calendar.horizon):
            self.step()
        return self

    # ================================================================== helpers used by handlers
    def dyad_rng(self, i: int, j: int) -> np.random.Generator:
        """The random stream of the (unordered) dyad i–j, created on first use."""
        a, b = (i, j) if i < j else (j, i)
        g = self._dyad_rngs.get((a, b))
        if g is None:
            ka, kb = stream_key(self.world.codes[a]), stream_key(self.world.codes[b])
            g = np.random.default_rng(np.random.SeedSequence([self.seed, ka, kb, _PURPOSE["dyad"]]))
            self._dyad_rngs[(a, b)] = g
        return g

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

    def add_posture(self, i: int, j: int, weight: float, weeks: float, rid: str) -> None:
        """Station ``i``'s force near ``j`` for ``weeks`` (offensive-posture index)."""
        until = self.steps_done + max(1, int(math.ceil(weeks / self.weeks)))
        self.deployments.append([i, j, weight, until, rid])
        self.world.posture[i, j] += weight
        self.touch(j, i, rid)

    def apply_act(self, i: int, j: int, goldstein: float, rung: int, *, offensive: bool, rid: str,
                  magnitude: float = 1.0, forced: bool = False) -> None:
        """Apply one dyadic act of i toward j: hostility or alignment, belief evidence, ladder pressure.

        ``forced`` acts (scheduled events) set the rung as a fact; chosen acts are resolved by the
        ladder's threshold tests.
        """
        w = self.world
        if goldstein < 0:
            w.hostility[i, j] += (-goldstein / 10.0) * magnitude
            if offensive:
                self.acts_off[i, j] += magnitude
            else:
                self.acts_def[i, j] += magnitude
        else:
            w.hostility[i, j] *= 1.0 - min(0.9, goldstein / 20.0 * magnitude)
            w.align[i, j] = min(1.0, w.align[i, j] + goldstein / 200.0 * magnitude)
            if goldstein >= 5:
                self.acts_reassure[i, j] += magnitude
        self.touch(j, i, rid)
        if rung > 0:
            if forced:
                if rung > w.level[i, j]:
                    w.level[i, j] = w.level[j, i] = rung
                    self.level_cause[(min(i, j), max(i, j))] = rid
                # a scheduled move is pressure too: the dyad is not quiet this step
                self.pressure[i, j] = self.pressure[j, i] = max(int(self.pressure[i, j]), rung)
            else:
                if rung > self.pressure[i, j]:
                    self.pressure[i, j] = self.pressure[j, i] = rung
                    self.level_cause[(min(i, j), max(i, j))] = rid

    # ================================================================== 1. apply_events
    def apply_events(self) -> None:
        """Apply the scenario events due this step; expire deployments; bring pacts into force."""
        w = self.world
        t = self.steps_done
        # expire deployments
        if self.deployments:
            keep = []
            for d in self.deployments:
                if d[3] <= t:
                    w.posture[d[0], d[1]] -= d[2]
                else:
                    keep.append(d)
            self.deployments = keep
            np.maximum(w.posture, 0.0, out=w.posture)
        for kind, item, eid in self._due.pop(t, ()):
            if kind == "event":
                apply_scheduled(self, item, eid)
            elif item[0] == "pact_in_force":
                _, idx, strength, cause = item
                names = " and ".join(w.codes[k] for k in idx)
                rid = self.log.add(t, "event", "alignment", f"The {names} pact enters into force: the pledge binds at full strength ({strength:.1f}).",
                                   cause=cause, type="pact_in_force", actor=w.codes[idx[0]], target=",".join(w.codes[k] for k in idx[1:]),
                                   cameo="057", goldstein=8.0, level=0)
                for a in idx:
                    for b in idx:
                        if a != b:
                            w.pledge[a, b] = max(w.pledge[a, b], strength)
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
        if not initial:
            decay = p.hostility_retention ** self.weeks
            w.hostility *= decay
            # sanctions in force keep a floor of hostility
            np.maximum(w.hostility, 0.5 * w.sanctions, out=w.hostility)
        cap = w.cap
        pledge = w.pledge
        prox = self.prox
        # j's aggregate power as i sees it: j plus each ally k's pledged capability, as far as it
        # reaches i (loss-of-strength gradient); i does not count itself among j's allies
        AGG = cap[None, :] + prox @ (pledge * cap[:, None]) - pledge * cap[:, None] * np.diag(prox)[:, None]
        # i's own power: itself plus its allies' pledged capability, discounted by their reliability
        own = cap + p.own_alliance_weight * ((pledge.T * w.reliab * prox) @ cap)
        R = np.maximum(AGG, 1e-9) / own[:, None]
        power = R ** p.power_exponent
        offense = 1.0 + p.offense_weight * w.posture.T
        prior = self.params.spiral.prior_greedy
        intent = np.maximum(0.1, 1.0 + p.hostility_weight * w.hostility.T + 2.0 * p.intent_weight * (w.belief - prior))
        # allies' power is not a threat (Walt 1987): alignment discounts it, and so, by half, does
        # alignment through a common partner (the friend of my friend: ROK and JPN through the USA)
        common = np.minimum(1.0, w.align @ w.align)
        np.fill_diagonal(common, 0.0)
        friend = 1.0 - p.alignment_discount * np.maximum(w.align, 0.5 * common)
        T = power * prox * offense * intent * friend
        np.fill_diagonal(T, 0.0)
        self.threat_prev = w.threat.copy() if not initial else T / (1.0 + T)
        prev_raw = self.threat_raw
        prev_comp = self.components
        self.threat_raw_prev = T if initial else self.threat_raw
        self.threat_raw = T
        self.agg, self.own = AGG, own
        self.components = {"power": power, "proximity": prox, "offense": offense, "intent": intent * friend}
        w.threat = T / (1.0 + T)
        if not initial and self.explain:
            self._explain_perception(prev_raw, prev_comp)
        self.causes.clear()
        self.power_causes.clear()

    def _explain_perception(self, prev_raw: np.ndarray, prev_comp: dict[str, np.ndarray]) -> None:
        """Log a perception record for each threat that rose noticeably and has a named cause."""
        w = self.world
        if not self.causes and not self.power_causes:
            return
        rel = np.where(prev_raw > 0, self.threat_raw / np.where(prev_raw > 0, prev_raw, 1.0) - 1.0, 0.0)
        cand = set(self.causes)
        for j in self.power_causes:
            for i in range(self.n):
                if i != j:
                    cand.add((i, j))
        t = self.steps_done
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
            before, after = float(self.threat_prev[i, j]), float(w.threat[i, j])
            shown = f" ({before:.2f} → {after:.2f} on the 0–1 scale)" if round(after, 2) != round(before, 2) else ""
            why = (f"{w.codes[i]}'s threat from {w.codes[j]} rose {rel[i, j]:.0%}{shown} because {because}{ev}.")
            rid = self.log.add(t, "perception", "perceive_threat", why, cause=cause, actor=w.codes[i], target=w.codes[j],
                               component=comp, before=float(self.threat_prev[i, j]), after=float(w.threat[i, j]))
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
        logodds = (self.acts_off.T * lh + self.acts_def.T * lh * (1.0 - sp.distinguishability)
                   + self.acts_reassure.T * lr)
        b = np.clip(w.belief, 1e-4, 1 - 1e-4)
        odds = b / (1 - b) * np.exp(np.clip(logodds, -20, 20))
        w.belief = odds / (1 + odds)
        np.fill_diagonal(w.belief, 0.0)
        self.acts_off[:] = 0.0
        self.acts_def[:] = 0.0
        self.acts_reassure[:] = 0.0

    # ================================================================== 4. decide
    def features(self) -> Features:
        """The focal dyad of every state and what the state sees of it (vectorised)."""
        w = self.world
        n = self.n
        T = w.threat
        # the focal dyad: the one the state's lens makes most pressing (threat for a realist,
        # threat read through the liberal peace for a liberal, threat from the 'other' for a
        # constructivist), plus the rung already reached
        score = T * self.focus_weight + 0.05 * w.level
        np.fill_diagonal(score, -1.0)
        k = np.argmax(score, axis=1)
        self.focal = k
        rows = np.arange(n)
        att = self.params.decision.attention
        # balancing partner: another state threatened by k, weighted by alignment and affinity
        aff = self.affinity
        cand = T[:, k].T + self.params.alignment.affinity_weight * aff + w.align  # cand[i, p]
        threatened_by_k = T[:, k].T > att  # [i, p]: p threatened by k_i
        mask = threatened_by_k.copy()
        mask[rows, rows] = False
        mask[rows, k] = False
        cand = np.where(mask, cand, -np.inf)
        partner = np.argmax(cand, axis=1)
        has_partner = np.isfinite(cand[rows, partner])
        self.partner = np.where(has_partner, partner, -1)
        ally = (w.pledge.T * w.reliab).max(axis=1)
        power = np.maximum(self.own / np.maximum(self.agg[rows, k], 1e-9), 1e-6)
        alp = self.params.alignment
        weak_alone = (power < alp.weak_ratio) & (ally < alp.credible_ally)
        D = self.damp
        return Features(
            threat=T[rows, k],
            threat_rise=self._relative_rise(rows, k),
            level=w.level[rows, k].astype(float),
            power=power,
            ally=ally,
            partner=has_partner.astype(float),
            hostility=w.hostility[k, rows],
            belief=w.belief[rows, k],
            damp=D[rows, k],
            trade=w.trade[rows, k],
            democracy=w.dem,
            affinity=aff[rows, k],
            resolve=w.resolve,
            nuclear=w.nuclear.astype(float),
            target_nuclear=w.nuclear[k].astype(float),
            weak_alone=weak_alone.astype(float),
            at_war=(w.level[rows, k] >= 7).astype(float),
            offer=w.offer[k, rows],
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
        # Liberal-peace dampening: exp(−β_dem·min(dem_i, dem_j) − β_trade·trade_ij − β_io·inst_ij).
        joint = np.minimum(w.dem[:, None], w.dem[None, :])
        self.damp = np.exp(-lp.democracy_weight * joint - lp.trade_weight * w.trade - lp.institutions_weight * w.inst)
        self.upper = np.triu(np.ones((self.n, self.n), dtype=bool), 1)
        self._iu = np.triu_indices(self.n, 1)
        self._has_rival = w.rival.any(axis=1)

    def _relative_rise(self, rows: np.ndarray, k: np.ndarray) -> np.ndarray:
        """Relative change of the raw threat index since the last step, clipped to [−1, 1]."""
        now = self.threat_raw[rows, k]
        before = self.threat_raw_prev[rows, k]
        rise = now / np.maximum(before, 1e-12) - 1.0
        rise[before <= 0] = 0.0
        return np.clip(rise, -1.0, 1.0)

    def decide(self) -> None:
        """Every state scores its actions through its doctrine; agents draw their choices."""
        f = self.features()
        self.feat = f
        x = design(f)  # the terms every lens weighs, computed once for all states
        if len(self.doctrine_groups) == 1:
            u = self.doctrines[0].utilities_from_design(x)
        else:
            u = np.empty((self.n, len(ACTIONS)))
            for doctrine, members in zip(self.doctrines, self.doctrine_groups.values(), strict=True):
                u[members] = doctrine.utilities_from_design(x[members])
        u += self.mod_offsets
        # liberal peace (a mechanism for every lens): joint democracy, trade and institutions
        # lower the odds of every hostile choice by the dyad's dampening factor
        u[:, self._hostile_cols] += np.log(np.maximum(f.damp, 1e-6))[:, None]
        u[~valid_mask(f)] = -np.inf
        self.utilities = u
        # each agent draws its uniforms from its own stream; moves are simultaneous, so the
        # order of the calls does not matter
        self.agents.do("decide")
        self._choose()

    def _choose(self) -> None:
        """Logit choice for all states at once from the uniforms each agent drew."""
        u = self.utilities / self.params.decision.temperature
        u = u - u.max(axis=1, keepdims=True)
        p = np.exp(u)
        c = np.cumsum(p, axis=1)
        pick = (c < (self.u_choice * c[:, -1])[:, None]).sum(axis=1)
        np.minimum(pick, len(ACTIONS) - 1, out=pick)
        pick[~self.attending] = 0
        self.choice = pick

    # ================================================================== 5. act
    def act(self) -> None:
        """Apply the chosen actions (simultaneous moves) and log them with their causes."""
        w = self.world
        t = self.steps_done
        al = self.params.alignment
        for i in range(self.n):
            a = ACTIONS[self.choice[i]]
            if a == "hold":
                continue
            k = int(self.focal[i])
            ci, ck = w.codes[i], w.codes[k]
            cause = self._recent_perception(i, k)
            doctrine = self.by_index[i].doctrine_name
            rd = ACTION_SPECS[a]
            thr = float(w.threat[i, k])
            target = w.codes[int(self.partner[i])] if a == "balance" else ck
            if not self.explain:  # the ensemble fast path: the record without its sentence
                why = ""
            elif a == "balance":
                why = (f"{ci} ({doctrine}) balances against {ck} (threat {thr:.2f}) by aligning with {target}, "
                       f"also threatened by {ck}: {rd.label} (CAMEO {rd.cameo}).")
            elif a == "arm":
                why = f"{ci} ({doctrine}) arms in answer to {ck} (threat {thr:.2f}): military spending up."
            else:
                why = f"{ci} ({doctrine}) answers {ck} (threat {thr:.2f}, rung {w.level[i, k]}): {a.replace('_', ' ')} — {rd.label} (CAMEO {rd.cameo}, Goldstein {rd.goldstein:+.1f})."
            rid = self.log.add(t, "decision", "decide", why, cause=cause, type=a, actor=ci, target=target,
                               cameo=rd.cameo, goldstein=rd.goldstein, level=rd.ladder, doctrine=doctrine)
            self._effect(i, k, a, rd, rid, al)

    def _recent_perception(self, i: int, k: int, window_weeks: float = 4.0) -> str:
        """The perception record that prompted i's answer to k, if it is recent enough to be the reason."""
        rec = self.last_perception.get((i, k))
        if rec is None or (self.steps_done - rec[1]) * self.weeks > window_weeks:
            return ""
        return rec[0]

    def _effect(self, i: int, k: int, a: str, rd, rid: str, al) -> None:
        w = self.world
        if a in HOSTILE:
            rung = rd.ladder
            if rung > w.level[i, k]:
                rung = self._cross(i, k, int(w.level[i, k]), rung)
            offensive = a in ("threaten", "show_force", "clash", "nuclear_signal")
            self.apply_act(i, k, rd.goldstein, rung, offensive=offensive, rid=rid, magnitude=1.0 if a != "protest" else 0.5)
            if a == "sanction":
                w.sanctions[i, k] = max(w.sanctions[i, k], 0.5)
            elif a == "show_force":
                self.add_posture(i, k, 0.15, 2.0, rid)
        elif a == "arm":
            w.x[i] += self.params.arms.arm_boost
            worried = w.threat[:, i] > self.params.decision.attention
            self.acts_def[i, :] += 0.5 * worried
            if self.explain:
                for j in np.nonzero(worried)[0]:
                    if j != i:
                        self.touch(int(j), i, rid)
        elif a == "balance":
            p = int(self.partner[i])
            step = al.alignment_step * min(1.0, self.weeks)
            w.align[i, p] += step * (1.0 - w.align[i, p])  # diminishing returns
            w.align[p, i] += step / 2 * (1.0 - w.align[p, i])
            self.acts_def[i, k] += 0.5
            self.touch(k, i, rid)
            if w.align[i, p] >= al.pact_threshold and w.pledge[i, p] < 0.5:
                w.pledge[i, p] = w.pledge[p, i] = 0.6
                w.reliab[i, p] = max(w.reliab[i, p], 0.6)
                w.reliab[p, i] = max(w.reliab[p, i], 0.6)
                r2 = self.log.add(self.steps_done, "outcome", "alignment",
                                  f"{w.codes[i]} and {w.codes[p]} firm their alignment into a defence commitment against {w.codes[k]} (Walt: balancing).",
                                  cause=rid, type="defense_pact", actor=w.codes[i], target=w.codes[p], cameo="057", goldstein=8.0, level=0)
                self.touch_power(i, r2)
                self.touch_power(p, r2)
        elif a == "bandwagon":
            w.hostility[i, k] *= 0.5
            w.align[i, k] = min(1.0, w.align[i, k] + al.alignment_step)
            self.acts_reassure[i, k] += 1.0
            self.down[i, k] = self.down[k, i] = True
        elif a == "reassure":
            self.apply_act(i, k, rd.goldstein, 0, offensive=False, rid=rid)
            self.down[i, k] = self.down[k, i] = True
        elif a == "settle":
            w.offer[i, k] = max(w.offer[i, k], 0.5)
            self.offer_cause[(i, k)] = rid

    def _cross(self, i: int, k: int, level: int, rung: int) -> int:
        """Threshold test for a chosen move from ``level`` up to ``rung`` (Kahn's thresholds)."""
        lp = self.params.ladder
        prob = 1.0
        first = None
        for thr, res in ((5, lp.violence_resistance), (7, lp.war_resistance), (9, lp.nuclear_resistance)):
            if level < thr <= rung:
                prob *= min(1.0, res * self.risk[i])
                first = first or thr
        if first is None:
            return rung
        prob *= float(self.damp[i, k]) ** 0.5
        return rung if self.cross_draw[i] < prob else first - 1

    # ================================================================== 6. alliance_politics
    def alliance_politics(self) -> None:
        """Allies of a state in crisis decide to support it or stand aside (abandonment vs entrapment).

        For ally i of k in a crisis with z (rung ≥ crisis_level), support probability is a logistic
        function of i's dependence on k (abandonment fear, D), the expected cost of joining (entrapment,
        E), the firmness of the pledge, and the offence–defence perception (+: chain-ganging,
        −: buck-passing). Supporting at war means joining it. Reliability beliefs update after.
        """
        w, ap = self.world, self.params.alliance_politics
        L = w.level
        crisis = np.argwhere((L >= ap.crisis_level) & self.upper)
        if crisis.size == 0:
            return
        t = self.steps_done
        pwin = self.win_probability()
        for a, b in crisis:
            lvl = int(L[a, b])
            for k, z in ((a, b), (b, a)):
                allies = np.nonzero(w.pledge[:, k] > 0.05)[0]
                for i in allies:
                    if i == z or i == k or L[i, z] >= lvl or w.pledge[i, z] > 0.3:
                        continue
                    key = (int(i), int(k), int(z))
                    if self.support_decided.get(key, -1) >= lvl:
                        continue
                    self.support_decided[key] = lvl
                    # dependence: the share of i's security that k's pledge provides, 0–1
                    backing = float(w.pledge[k, i] * w.cap[k])
                    dependence = backing / (backing + float(self.own[i]))
                    # entrapment: the expected cost of fighting z; joining a war against a nuclear
                    # power carries the risk of nuclear escalation (Jervis 1989)
                    cost = float((lvl / 10.0) * min(3.0, self.agg[i, z] / max(self.own[i], 1e-9)))
                    if w.nuclear[z] and lvl >= 7:
                        cost += 3.0
                    odp = float(w.odp[i])
                    pledge = float(w.pledge[i, k])
                    need = 0.5 - float(pwin[k, z])  # > 0 when the ally would lose alone
                    x = (-1.5 + pledge * (1.5 + 2.5 * odp)
                         + ap.abandonment_weight * (1.5 * dependence + 3.0 * need)
                         - ap.entrapment_weight * cost + 1.0 * (float(w.threat[i, z]) - 0.3)
                         + (float(self.prox[i, z]) - 0.5)  # distant quarrels matter less
                         + math.log(self.risk[i]))  # risk-acceptant states enter wars more readily
                    prob = 1.0 / (1.0 + math.exp(-2.0 * x))
                    u = self.dyad_rng(int(i), int(z)).random()
                    ci, ck, cz = w.codes[i], w.codes[k], w.codes[z]
                    cause = self.level_cause.get((min(k, z), max(k, z)), "")
                    style = "chain-ganging" if odp > 0.2 else ("buck-passing" if odp < -0.2 else "weighing abandonment against entrapment")
                    if u < prob:
                        # at war, support means joining it. Short of war it is a show of force (rung 4)
                        # from a major power or a neighbour of the opponent, words (rung 1) from others.
                        if lvl >= 7:
                            join = lvl
                        else:
                            join = 4 if (w.major[i] or w.contig[i, z]) else 1
                        rd = ACTION_SPECS["join_war" if join >= 7 else "support_ally"]
                        why = (f"{ci} stands by its ally {ck} against {cz} (rung {lvl}; support chance {prob:.0%}, {style})"
                               + (f": {ci} goes to war with {cz}." if join >= 7 else f": {ci} raises its own dyad with {cz} to rung {join}."))
                        rid = self.log.add(t, "decision", "alliance_politics", why, cause=cause, type="support_ally",
                                           actor=ci, target=cz, cameo=rd.cameo, goldstein=rd.goldstein, level=join)
                        if join > L[i, z]:
                            L[i, z] = L[z, i] = join
                            self.level_cause[(min(i, z), max(i, z))] = rid
                            w.sigma[i, z] = w.sigma[z, i] = self.params.bargaining.uncertainty
                        w.hostility[i, z] += 0.5
                        w.reliab[k, i] += ap.reliability_learning * (1.0 - w.reliab[k, i])
                    else:
                        why = (f"{ci} stays out of its ally {ck}'s crisis with {cz} (rung {lvl}; support chance {prob:.0%}, {style}); "
                               f"{ck} now trusts {ci} less.")
                        self.log.add(t, "decision", "alliance_politics", why, cause=cause, type="abandon", actor=ci, target=ck,
                                     cameo="1222", goldstein=-4.0, level=0)
                        w.reliab[k, i] += ap.reliability_learning * (0.0 - w.reliab[k, i])

    # ================================================================== 7. bargain
    def win_probability(self) -> np.ndarray:
        """p_ij: i's chance of winning a war with j, from aggregate capabilities (with allies)."""
        own_agg = self.own[:, None]
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
        active = np.argwhere((L >= 5) & self.upper)
        if active.size == 0:
            return
        pt = self.transition_risk()
        damp = self.damp
        t = self.steps_done
        both_nuc = w.nuclear[:, None] & w.nuclear[None, :]
        for i, j in active:
            lvl = int(L[i, j])
            cost = bp.war_cost * (4.0 if both_nuc[i, j] else 1.0)
            width = 2 * cost
            # uncertainty about the outcome is largest at parity (Reed 2003): σ·4p(1−p)
            sigma = max(float(w.sigma[i, j]) * 4.0 * float(pw[i, j]) * (1.0 - float(pw[i, j])), 1e-6)
            p_break = math.erfc(width / (2 * sigma * _SQRT2))
            g = self.dyad_rng(int(i), int(j))
            ci, cj = w.codes[i], w.codes[j]
            cause = self.level_cause.get((int(i), int(j)), "")
            if lvl < 7:
                commit = bp.commitment_weight * float(shift[i, j])
                hz = bp.breakdown_rate * p_break * (1 + commit) * (1 + float(pt[i, j])) * float(damp[i, j])
                hz = 1 - (1 - min(hz, 1.0)) ** self.weeks
                if g.random() < hz:
                    L[i, j] = L[j, i] = 7
                    w.sigma[i, j] = w.sigma[j, i] = bp.uncertainty
                    rd = ACTION_SPECS["war"]
                    why = (f"Bargaining between {ci} and {cj} breaks down: private information hides a deal "
                           f"(chance {p_break:.0%} that the range is misread; commitment-problem boost {commit:.2f}, "
                           f"power-transition boost {float(pt[i, j]):.2f}) — war (rung 7).")
                    rid = self.log.add(t, "outcome", "bargain", why, cause=cause, type="war", actor=ci, target=cj,
                                       cameo=rd.cameo, goldstein=rd.goldstein, level=7)
                    self.level_cause[(int(i), int(j))] = rid
            else:
                w.sigma[i, j] = w.sigma[j, i] = float(w.sigma[i, j]) * bp.learning_in_war ** self.weeks
                indiv = min(1.0, 2.0 * (1.0 - max(float(w.resolve[i]), float(w.resolve[j]))))
                hz = bp.settlement_rate * (1 - p_break) * indiv
                hz = 1 - (1 - min(hz, 1.0)) ** self.weeks
                u = g.random()
                if u < hz:
                    L[i, j] = L[j, i] = 4
                    rd = ACTION_SPECS["ceasefire"]
                    why = (f"Fighting has revealed enough about the balance for {ci} and {cj} to agree a ceasefire "
                           f"(σ down to {sigma:.3f}; indivisibility factor {indiv:.2f}) — back to rung 4.")
                    rid = self.log.add(t, "outcome", "bargain", why, cause=cause, type="ceasefire", actor=ci, target=cj,
                                       cameo=rd.cameo, goldstein=rd.goldstein, level=4)
                    self.level_cause[(int(i), int(j))] = rid
                elif both_nuc[i, j] and lvl == 8 and u > 1 - self.params.ladder.nuclear_resistance * p_break * self.weeks:
                    L[i, j] = L[j, i] = 9
                    rd = ACTION_SPECS["nuclear_use"]
                    rid = self.log.add(t, "outcome", "bargain", f"{ci}–{cj}: a losing nuclear power crosses the nuclear threshold (rung 9).",
                                       cause=cause, type="nuclear_use", actor=ci, target=cj, cameo=rd.cameo, goldstein=rd.goldstein, level=9)
                    self.level_cause[(int(i), int(j))] = rid

    def transition_risk(self) -> np.ndarray:
        """Power transition (Organski & Kugler 1980): extra war hazard for a dissatisfied challenger near parity."""
        w, pp = self.world, self.params.power_transition
        n = self.n
        out = np.zeros((n, n))
        leader = self.leader  # the leading state at the start: a challenger may overtake it
        ratio = w.cap / max(w.cap[leader], 1e-12)
        window = (ratio >= pp.parity_low) & (ratio <= pp.parity_high)
        window[leader] = False
        dissat = np.clip(np.abs(w.ideal - w.ideal[leader]) / pp.dissatisfaction_scale, 0, 1)
        risk = pp.weight * window * dissat
        out[leader, :] = risk
        out[:, leader] = risk
        return out

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
        t = self.steps_done
        up = self.pressure > L
        if up.any():
            for i, j in np.argwhere(up & self.upper):
                old = int(L[i, j])
                L[i, j] = L[j, i] = self.pressure[i, j]
                if old < 5 <= L[i, j] or old < 7 <= L[i, j]:
                    w.sigma[i, j] = w.sigma[j, i] = self.params.bargaining.uncertainty
        # settlements: mutual offers
        mutual = (w.offer > 0) & (w.offer.T > 0)
        if mutual.any():
            for i, j in np.argwhere(mutual & self.upper):
                old = int(L[i, j])
                new = max(0, old - lp.settlement_drop)
                L[i, j] = L[j, i] = new
                w.hostility[i, j] *= 0.5
                w.hostility[j, i] *= 0.5
                cause = self.offer_cause.get((int(i), int(j))) or self.offer_cause.get((int(j), int(i)), "")
                rd = ACTION_SPECS["settle"]
                self.log.add(t, "outcome", "resolve_ladder",
                             f"{w.codes[i]} and {w.codes[j]} accept a face-saving settlement: rung {old} → {new}.",
                             cause=cause, type="settlement", actor=w.codes[i], target=w.codes[j], cameo=rd.cameo,
                             goldstein=rd.goldstein, level=new)
            # a patron's settlement carries its client (Snyder 1984 on restraining allies):
            # an open offer from either side to the other's ally is accepted with the deal
            for i, j in np.argwhere(mutual & self.upper):
                for a, b in ((int(i), int(j)), (int(j), int(i))):
                    clients = np.nonzero((w.pledge[a, :] >= 0.3) & (w.offer[b, :] > 0) & (L[b, :] >= 3))[0]
                    for c in clients:
                        if c in (a, b):
                            continue
                        old = int(L[b, c])
                        new = max(0, old - lp.settlement_drop)
                        L[b, c] = L[c, b] = new
                        w.offer[b, c] = w.offer[c, b] = 0.0
                        self.log.add(t, "outcome", "resolve_ladder",
                                     f"{w.codes[c]} accepts {w.codes[b]}'s offer as part of its patron {w.codes[a]}'s settlement: rung {old} → {new}.",
                                     cause=self.offer_cause.get((b, int(c)), ""), type="settlement", actor=w.codes[c],
                                     target=w.codes[b], cameo="037", goldstein=5.0, level=new)
            w.offer[mutual] = 0.0
        w.offer *= 0.8 ** self.weeks
        w.offer[w.offer < 0.05] = 0.0
        # de-escalation of quiet dyads
        quiet = (L > 0) & (L < 7) & ~(self.pressure > 0)
        floor = np.where((w.sanctions > 0) | (w.sanctions.T > 0), 3, 0)
        cand = np.argwhere((quiet | self.down) & self.upper)
        if cand.size:
            rate = 1 - (1 - lp.deescalation_rate) ** self.weeks
            for i, j in cand:
                boost = 2.0 if self.down[i, j] else 1.0
                g = self.dyad_rng(int(i), int(j))
                if L[i, j] > floor[i, j] and L[i, j] < 7 and g.random() < min(1.0, rate * boost):
                    L[i, j] = L[j, i] = L[i, j] - 1
        # accidents
        hot = np.argwhere((L >= 4) & (L < 7) & self.upper)
        if hot.size and lp.accident_rate > 0:
            for i, j in hot:
                # more forces on alert, more chances for an unchosen incident (Sagan 1993):
                # the weekly rate doubles with each rung above 4
                rate = min(1.0, lp.accident_rate * 2.0 ** (int(L[i, j]) - 4))
                pa = 1 - (1 - rate) ** self.weeks
                if self.dyad_rng(int(i), int(j)).random() < pa:
                    new = int(L[i, j]) + 1
                    L[i, j] = L[j, i] = new
                    w.hostility[i, j] += 0.5
                    w.hostility[j, i] += 0.5
                    rid = self.log.add(t, "outcome", "resolve_ladder",
                                       f"An incident neither side chose (a collision, a misread order) pushes {w.codes[i]}–{w.codes[j]} to rung {new}.",
                                       cause=self.level_cause.get((int(i), int(j)), ""), type="incident", actor=w.codes[i],
                                       target=w.codes[j], cameo="180", goldstein=-9.0, level=new)
                    self.level_cause[(int(i), int(j))] = rid
        self.pressure[:] = 0
        self.down[:] = False

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
        tot = T.sum(axis=1, keepdims=True)
        wts = np.divide(T, tot, out=np.zeros_like(T), where=tot > 0)
        y = wts @ w.x
        G = (self._has_rival | (w.level >= 3).any(axis=1)).astype(float)
        w.x += dt_years * (w.arms_a * y - w.arms_m * w.x + w.arms_g * G)
        np.maximum(w.x, -0.5, out=w.x)
        wars = (w.level >= 7).sum(axis=1)
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
        s["max_threat"][t] = w.threat.max(axis=1)
        s["max_level"][t] = L.max(axis=1)
        lv = L[self._iu]
        sy = self.system
        sy["max_level"][t] = lv.max() if lv.size else 0
        sy["mean_threat"][t] = w.threat.sum() / max(1, self.n * (self.n - 1))
        sy["dyads_violent"][t] = int((lv >= 5).sum())
        sy["dyads_war"][t] = int((lv >= 7).sum())
        if self.level_hist is not None:
            self.level_hist[t] = L
            self.threat_hist[t] = w.threat

    @staticmethod
    def ladder_label(level: int) -> str:
        """The words of a rung."""
        return LADDER[int(level)]
