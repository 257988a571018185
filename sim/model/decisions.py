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


def _decision_of(m: CrisisModel, i: int) -> Decision:
    """State ``i``'s decision this step (replication 0), after ``decide``."""
    a = ACTIONS[int(m.choice[0, i])]
    if a in _UNTARGETED:
        target = None
    elif a == "balance":
        target = m.world.codes[int(m.partner[0, i])]
    else:
        target = m.world.codes[int(m.focal[0, i])]
    return Decision(m.world.codes[i], a, target, explain.decision_sentence(m, i))


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
    return {code: [_decision_of(twin, i)] for i, code in enumerate(twin.world.codes)}


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


def apply_overrides(m: CrisisModel, overrides: Mapping[str, Sequence[Decision]]) -> None:
    """Make the given decisions the states' choices this step (after ``decide``, before ``act``).

    A state takes one action a step: its sequence holds one decision, or none (it holds).

    Raises:
        ValueError: an unknown actor or action, more than one decision for a state, a missing or
            needless target, or an action the situation does not allow (with the reason).
    """
    for code, decisions in overrides.items():
        if code not in m.idx:
            raise ValueError(f"unknown actor {code!r} in overrides (actors: {', '.join(m.world.codes)})")
        decisions = list(decisions)
        if len(decisions) > 1:
            raise ValueError(f"{code}: one decision a step (got {len(decisions)})")
        i = m.idx[code]
        if not decisions:
            m.choice[:, i] = A["hold"]
            continue
        d = decisions[0]
        if d.actor != code:
            raise ValueError(f"a decision of {d.actor} was given under {code}")
        a, k = _check(m, i, d)
        m.choice[:, i] = a
        if d.action == "balance":
            m.partner[:, i] = k
        elif k >= 0:
            m.focal[:, i] = k
