"""Decisions as values: what a state chooses in a step, a preview of the next step, and overrides.

This is the model's interface for front ends that let a person play a state (the classroom game):

* :class:`Decision` — one state's choice: an action of :data:`ACTION_MENU` and, for actions that
  have one, the target state (for ``balance``, the partner it aligns with);
* :func:`peek` — what every state would choose in the next step, with a one-sentence reason, run
  on a deep copy so that the model itself does not change;
* :func:`apply_overrides` — replace the model's choices for some states with given decisions
  (called by ``CrisisModel.step(overrides=...)`` between ``decide`` and ``act``).

Overriding every state with what :func:`peek` returned gives a run bit-identical to one without
overrides: the override writes the same choice, target and partner the model had drawn.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sim.doctrines import ACTIONS
from sim.doctrines.base import A
from sim.model import explain
from sim.scenario.events import ACTION_SPECS

if TYPE_CHECKING:  # pragma: no cover
    from sim.model.model import CrisisModel

__all__ = ["Decision", "ACTION_MENU", "action_menu", "peek", "apply_overrides"]


@dataclass(frozen=True)
class Decision:
    """One state's decision in a step.

    Attributes:
        actor: The deciding state's code.
        action: One of the action names of :data:`ACTION_MENU`.
        target: The state the action is directed at (``None`` for ``hold`` and ``arm``; for
            ``balance``, the partner the actor aligns with).
        why: One sentence from the cause chain (filled by :func:`peek`; ignored in overrides).
    """

    actor: str
    action: str
    target: str | None = None
    why: str = ""


#: Actions that take no target state.
_UNTARGETED = frozenset({"hold", "arm"})

#: The action menu: name, label (the CAMEO reading) and whether it takes a target, in model order.
ACTION_MENU: tuple[dict[str, object], ...] = tuple(
    {"action": a,
     "label": "Hold (no move)" if a == "hold" else ACTION_SPECS[a].label,
     "takes_target": a not in _UNTARGETED}
    for a in ACTIONS
)


def action_menu() -> list[dict[str, object]]:
    """The action menu as a list of ``{"action", "label", "takes_target"}`` dicts (a copy)."""
    return [dict(row) for row in ACTION_MENU]


def _decisions_of(m: CrisisModel, i: int) -> list[Decision]:
    """State ``i``'s decisions this step (replication 0, after ``decide``): one per slot that is not a hold."""
    from sim.model.submodels.decide import select_slot

    out = []
    for s in range(m.slot_choice.shape[2]):
        select_slot(m, s)
        a = ACTIONS[int(m.choice[0, i])]
        if a == "hold" and (s > 0 or out):
            continue
        if a in _UNTARGETED:
            target = None
        elif a == "balance":
            target = m.world.codes[int(m.partner[0, i])]
        else:
            target = m.world.codes[int(m.focal[0, i])]
        out.append(Decision(m.world.codes[i], a, target, explain.decision_sentence(m, i)))
    select_slot(m, 0)
    if len(out) > 1 and out[0].action == "hold":
        out = out[1:]
    return out


def peek(m: CrisisModel) -> dict[str, list[Decision]]:
    """What each state would choose in the next step, with why; the model is not changed."""
    if m.R != 1:
        raise ValueError("peek_decisions needs a single run (R == 1)")
    twin = copy.deepcopy(m)
    twin.explain = True
    twin.apply_events()
    twin.perceive_threat()
    twin.update_beliefs()
    twin.decide()
    return {code: _decisions_of(twin, i) for i, code in enumerate(twin.world.codes)}


def _check(m: CrisisModel, i: int, d: Decision) -> tuple[int, int]:
    """The action column and target index of decision ``d`` for state ``i``; ValueError if it cannot be taken."""
    w = m.world
    if d.action not in A:
        raise ValueError(f"{d.actor}: unknown action {d.action!r} (known: {', '.join(ACTIONS)})")
    a = A[d.action]
    if d.action in _UNTARGETED:
        if d.target is not None:
            raise ValueError(f"{d.actor}: {d.action} takes no target (got {d.target!r})")
        return a, -1
    if d.target is None or d.target not in m.idx:
        raise ValueError(f"{d.actor}: {d.action} needs a target among {', '.join(w.codes)} (got {d.target!r})")
    k = m.idx[d.target]
    if k == i:
        raise ValueError(f"{d.actor}: cannot {d.action} toward itself")
    rung = int(w.level[0, i, k])
    need = {"clash": (rung >= 4, "a dyad at rung 4 or higher"),
            "nuclear_signal": (bool(w.nuclear[i]) and rung >= 7, "nuclear weapons and a dyad at war (rung 7+)"),
            "settle": (rung >= 3, "a dyad at rung 3 or higher"),
            "reassure": (rung >= 1, "a dyad above rung 0")}
    ok, what = need.get(d.action, (True, ""))
    if not ok:
        raise ValueError(f"{d.actor}: {d.action} toward {d.target} needs {what} (the dyad is at rung {rung})")
    return a, k


_PRIMARY_ACTIONS = frozenset({"hold", "arm", "balance", "bandwagon"})


def apply_overrides(m: CrisisModel, overrides: Mapping[str, Sequence[Decision]]) -> None:
    """Make the given decisions the states' choices this step (after ``decide``, before ``act``).

    A state acts toward at most ``decision.max_dyads`` states a step, at most
    ``decision.max_hostile`` of them with hostile acts, and besides takes at most one of ``arm``,
    ``balance``, ``bandwagon`` (its policy of the step, toward its most pressing dyad). Its other dyads hold; an empty list (or
    ``[hold]``) holds everywhere. A decision toward a state the model already attends to takes
    that dyad's slot, so overriding with what :func:`peek` returned changes nothing.

    Raises:
        ValueError: an unknown actor or action, too many decisions, a missing or needless
            target, or an action the situation does not allow (with the reason).
    """
    from sim.doctrines import HOSTILE

    K = m.slot_choice.shape[2] - 1  # dyadic slots; slot K is the policy
    dp = m.params.decision
    for code, decisions in overrides.items():
        if code not in m.idx:
            raise ValueError(f"unknown actor {code!r} in overrides (actors: {', '.join(m.world.codes)})")
        i = m.idx[code]
        decisions = [d for d in decisions if d.action != "hold"]
        for d in decisions:
            if d.actor != code:
                raise ValueError(f"a decision of {d.actor} was given under {code}")
        if sum(d.action not in _PRIMARY_ACTIONS for d in decisions) > K:
            raise ValueError(f"{code}: at most {K} decisions toward other states a step, besides one policy "
                             f"(got {len(decisions)})")
        if sum(d.action in _PRIMARY_ACTIONS for d in decisions) > 1:
            raise ValueError(f"{code}: at most one of arm, balance, bandwagon a step")
        if sum(d.action in HOSTILE for d in decisions) > dp.max_hostile:
            raise ValueError(f"{code}: at most {dp.max_hostile} hostile acts a step")
        checked = [(d, *_check(m, i, d)) for d in decisions]
        m.slot_choice[:, i, :] = A["hold"]
        used: set[int] = set()
        primary = [c for c in checked if c[0].action in _PRIMARY_ACTIONS]
        if primary:
            d, a, k = primary[0]
            m.slot_choice[:, i, K] = a
            if d.action == "balance":
                m.slot_partner[:, i, K] = k
            elif k >= 0:
                m.slot_focal[:, i, K] = k
        for _d, a, k in (c for c in checked if c[0].action not in _PRIMARY_ACTIONS):
            same = [s for s in range(K) if s not in used and int(m.slot_focal[0, i, s]) == k]
            free = [s for s in range(K) if s not in used]
            if not free:
                raise ValueError(f"{code}: too many decisions for its {K} dyads a step")
            s = same[0] if same else free[0]
            m.slot_choice[:, i, s] = a
            m.slot_focal[:, i, s] = k
            used.add(s)
    from sim.model.submodels.decide import select_slot

    select_slot(m, 0)
