"""What each scheduled event type does to a running world: one handler per type.

A handler receives the model, the event (a frozen scenario object), its id and the record id of
its logged signing/occurrence, and changes the world's arrays — in every replication the model
steps (arrays are indexed ``[:, i, j]``: a scheduled event happens in every run). Every dyadic reading is logged with
its CAMEO code and Goldstein weight (see :mod:`sim.scenario.events`), and every array it touches is
marked with the record id so that perception can name the cause.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

from sim.scenario.events import EVENT_SPECS, reading_for

if TYPE_CHECKING:  # pragma: no cover
    from sim.model.model import CrisisModel

__all__ = ["HANDLERS", "DE_ESCALATING", "apply_scheduled", "de_escalates"]

Handler = Callable[["CrisisModel", object, str], None]
HANDLERS: dict[str, Handler] = {}


def handles(*types: str):
    """Register a handler for event ``types``."""

    def deco(fn: Handler) -> Handler:
        for t in types:
            HANDLERS[t] = fn
        return fn

    return deco


def _reading_text(ev, code: str, role: str, rd) -> str:
    """'RUS naval deployment or port visit — toward USA it reads as …' (one dyad's reading)."""
    from sim.model.world import LADDER

    what = EVENT_SPECS[ev.type].title.lower() if ev.type != "statement" else f"statement ({ev.kind.replace('_', ' ')})"
    rel = {"target": "toward", "near": "toward", "partner": "with"}[role]
    kind = "a show of force" if rd.ladder == 4 else (LADDER[rd.ladder] if rd.ladder else "cooperation")
    return (f"{ev.actor} {what}: {rel} {code} it reads as '{rd.label}' (CAMEO {rd.cameo}, Goldstein {rd.goldstein:+.1f}) — "
            f"{kind}" + (f", rung {rd.ladder}" if rd.ladder else "") + ".")


#: Scheduled events whose purpose is to bring a dyad down the ladder: like a chosen ``reassure``
#: (sim/model/submodels/act.py), they mark the actor's dyad with each state they address as
#: de-escalating this step (``m.down``: the ladder's step-down chance doubles, §7.8).
DE_ESCALATING = frozenset({"summit", "sanctions_relief", "settlement_offer"})


def de_escalates(ev) -> bool:
    """Whether a scheduled event is a move down the ladder (a summit, relief, an offer, a reassuring statement)."""
    return ev.type in DE_ESCALATING or (ev.type == "statement" and ev.kind == "reassure")


def _readings(m: CrisisModel, ev, eid: str, magnitude: float = 1.0) -> dict[str, list[str]]:
    """Log and apply the event's reading toward each dyad it touches; returns record ids by role."""
    i = m.idx[ev.actor]
    offensive = EVENT_SPECS[ev.type].offensive
    down = de_escalates(ev)
    out: dict[str, list[str]] = {}
    for role, codes in (("target", ev.targets_of()), ("near", ev.near_of()), ("partner", ev.partners_of())):
        rd = reading_for(ev, role)
        if rd is None:
            continue
        for code in codes:
            j = m.idx[code]
            why = _reading_text(ev, code, role, rd)
            rid = m.log.add(
                m.steps_done, "event", "scenario", why, cause="", type=ev.type, actor=ev.actor, target=code,
                cameo=rd.cameo, goldstein=rd.goldstein, level=rd.ladder, event_id=eid,
                event_date=(ev.date or m.spec.calendar.date_of(m.steps_done)).isoformat(),
            )
            m.apply_act(i, j, rd.goldstein, rd.ladder, offensive=offensive, rid=rid, magnitude=magnitude, forced=True)
            if down:
                m.down[:, i, j] = m.down[:, j, i] = True
            if rd.ladder > 0:
                _record_fact(m, i, j)
            out.setdefault(role, []).append(rid)
    return out


def _record_fact(m: CrisisModel, i: int, j: int) -> None:
    """Count the rung a scheduled event set in the run's peak and first crossings at once.

    A scheduled event is a fact: the dyad reached its rung even if the same step's ladder brings
    it down again (a reassurance or a settlement chosen that step), so a scripted clash always
    counts as a use of force. First crossings are dated at the end of this step, as ``record`` does.
    """
    lv = m.world.level[:, i, j]
    for a, b in ((i, j), (j, i)):
        np.maximum(m.peak[:, a, b], lv, out=m.peak[:, a, b])
        for rung, fc in m.first_cross.items():
            fc[:, a, b] = np.where((lv >= rung) & (fc[:, a, b] < 0), m.steps_done + 1, fc[:, a, b])


@handles("naval_deployment", "troop_deployment", "military_exercise", "missile_test", "mobilization", "alert")
def _force(m: CrisisModel, ev, eid: str) -> None:
    size = getattr(ev, "force_size", 1.0)
    if ev.type == "missile_test":
        size = 2.0 if ev.nuclear else 1.0
    elif ev.type == "mobilization":
        size = 1.5 if ev.partial else 3.0
    elif ev.type == "alert":
        size = (6 - ev.level) * 0.6
    nuclear = getattr(ev, "nuclear_capable", False) or getattr(ev, "nuclear", False)
    weight = (size / 10.0) * (1.5 if nuclear else 1.0)
    magnitude = min(1.0, 0.3 + size / 3.0)
    rids = _readings(m, ev, eid, magnitude=magnitude)
    i = m.idx[ev.actor]
    weeks = getattr(ev, "duration_weeks", 1.0)
    for k, code in enumerate(ev.near_of()):
        j = m.idx[code]
        m.add_posture(i, j, weight, weeks, rids.get("near", [""])[k])
    for code in ev.partners_of():
        j = m.idx[code]
        m.world.align[:, i, j] = np.minimum(1.0, m.world.align[:, i, j] + 0.05)
        m.world.align[:, j, i] = np.minimum(1.0, m.world.align[:, j, i] + 0.05)


@handles("defense_pact")
def _pact(m: CrisisModel, ev, eid: str) -> None:
    w = m.world
    members = [ev.actor, *ev.parties]
    idx = [m.idx[c] for c in members]
    rd = reading_for(ev, "parties")
    why = f"{' and '.join(members)} sign a {ev.obligation} pact (strength {ev.strength:.1f}): {rd.label} (CAMEO {rd.cameo}, Goldstein {rd.goldstein:+.1f})"
    rid = m.log.add(m.steps_done, "event", "scenario", why, type=ev.type, actor=ev.actor, target=",".join(ev.parties),
                    cameo=rd.cameo, goldstein=rd.goldstein, level=0, event_id=eid,
                    event_date=(ev.date or m.spec.calendar.date_of(m.steps_done)).isoformat())
    in_force_now = ev.in_force is None or m.spec.calendar.step_of(ev.in_force) <= m.steps_done
    strength = ev.strength if ev.obligation == "defense" else 0.0
    # A pact signed but not yet in force is anticipated at half strength (proposal; docs/model.md).
    now = strength if in_force_now else 0.5 * strength
    for a in idx:
        for b in idx:
            if a != b:
                w.pledge[:, a, b] = np.maximum(w.pledge[:, a, b], now)
                w.align[:, a, b] = np.maximum(w.align[:, a, b], 0.8 if ev.obligation == "defense" else 0.45)
                w.hostility[:, a, b] *= 0.5
                w.reliab[:, a, b] = np.maximum(w.reliab[:, a, b], 0.7)
    for b in idx:
        m.touch_power(b, rid)
        # an alliance is what a security seeker might also do: ambiguous evidence to rivals (Jervis 1978)
        for z in range(m.n):
            if w.rival[b, z] and z not in idx:
                m.acts_def[:, b, z] += 0.5
    if not in_force_now and strength > 0:
        m.schedule(m.spec.calendar.step_of(ev.in_force), ("pact_in_force", tuple(idx), strength, rid))


@handles("alliance_end")
def _pact_end(m: CrisisModel, ev, eid: str) -> None:
    """Pledges and alignment between actor and each party fall to at most ``strength``."""
    w = m.world
    i = m.idx[ev.actor]
    rd = reading_for(ev, "parties")
    left = f"weakens to strength {ev.strength:.1f}" if ev.strength > 0 else "ends"
    for code in ev.parties:
        j = m.idx[code]
        why = (f"{ev.actor}'s alliance tie with {code} {left}: {rd.label} (CAMEO {rd.cameo}, "
               f"Goldstein {rd.goldstein:+.1f})")
        rid = m.log.add(m.steps_done, "event", "scenario", why, type=ev.type, actor=ev.actor, target=code,
                        cameo=rd.cameo, goldstein=rd.goldstein, level=0, event_id=eid,
                        event_date=(ev.date or m.spec.calendar.date_of(m.steps_done)).isoformat())
        for a, b in ((i, j), (j, i)):
            w.pledge[:, a, b] = np.minimum(w.pledge[:, a, b], ev.strength)
            w.align[:, a, b] = np.minimum(w.align[:, a, b], ev.strength)
            w.reliab[:, a, b] = np.minimum(w.reliab[:, a, b], 0.5 + 0.2 * ev.strength)
        m.touch_power(i, rid)
        m.touch_power(j, rid)


@handles("sanctions")
def _sanctions(m: CrisisModel, ev, eid: str) -> None:
    rids = _readings(m, ev, eid, magnitude=0.5 + ev.severity / 2)
    i = m.idx[ev.actor]
    for code in ev.targets:
        j = m.idx[code]
        m.world.sanctions[:, i, j] = np.maximum(m.world.sanctions[:, i, j], ev.severity)
    _ = rids


@handles("sanctions_relief")
def _relief(m: CrisisModel, ev, eid: str) -> None:
    _readings(m, ev, eid, magnitude=ev.severity)
    i = m.idx[ev.actor]
    for code in ev.targets:
        j = m.idx[code]
        m.world.sanctions[:, i, j] = np.maximum(0.0, m.world.sanctions[:, i, j] - ev.severity)


@handles("arms_transfer")
def _arms(m: CrisisModel, ev, eid: str) -> None:
    rids = _readings(m, ev, eid)
    w = m.world
    i = m.idx[ev.actor]
    for k, code in enumerate(ev.partners):
        j = m.idx[code]
        w.cap[:, j] += ev.amount * w.cap0[:, j]
        w.cap0[:, j] += ev.amount * w.cap0[:, j]
        w.align[:, i, j] = np.minimum(1.0, w.align[:, i, j] + 0.1)
        w.align[:, j, i] = np.minimum(1.0, w.align[:, j, i] + 0.1)
        m.touch_power(j, rids.get("partner", [""])[k])


@handles("statement", "ultimatum", "incident")
def _words(m: CrisisModel, ev, eid: str) -> None:
    mag = getattr(ev, "severity", 1.0)
    _readings(m, ev, eid, magnitude=mag)


@handles("summit")
def _summit(m: CrisisModel, ev, eid: str) -> None:
    _readings(m, ev, eid)
    w = m.world
    i = m.idx[ev.actor]
    for code in ev.partners:
        j = m.idx[code]
        w.align[:, i, j] = np.minimum(1.0, w.align[:, i, j] + 0.1)
        w.align[:, j, i] = np.minimum(1.0, w.align[:, j, i] + 0.1)
        w.hostility[:, i, j] *= 0.7
        w.hostility[:, j, i] *= 0.7


@handles("blockade", "armed_clash", "war_declaration")
def _force_used(m: CrisisModel, ev, eid: str) -> None:
    _readings(m, ev, eid)
    if ev.type == "war_declaration":
        i = m.idx[ev.actor]
        for code in ev.targets:
            m.world.sigma[:, i, m.idx[code]] = m.world.sigma[:, m.idx[code], i] = m.params.bargaining.uncertainty


@handles("settlement_offer")
def _offer(m: CrisisModel, ev, eid: str) -> None:
    rids = _readings(m, ev, eid)
    i = m.idx[ev.actor]
    for k, code in enumerate(ev.targets):
        j = m.idx[code]
        m.world.offer[:, i, j] = np.maximum(m.world.offer[:, i, j], ev.generosity)
        m.offer_cause[(i, j)] = rids.get("target", [""])[k]


def apply_scheduled(m: CrisisModel, ev, eid: str) -> None:
    """Apply one scheduled scenario event."""
    HANDLERS[ev.type](m, ev, eid)
