"""A team's moves: the action menu, moves in words, and moves as the model's decisions.

A :data:`Move` is an action of the model's menu (``ACTION_MENU``) and its target state (``None``
for actions that take none); :data:`ACTIONS` maps each action to its label and whether it takes a
target.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from sim.model import ACTION_MENU, Decision

__all__ = ["Move", "ACTIONS", "as_decisions", "moves_text", "rec_columns"]

#: A move: an action of the menu and its target state (``None`` for actions that take none).
Move = tuple[str, str | None]

#: Every action of the menu: its label and whether it takes a target state.
ACTIONS = {str(row["action"]): (str(row["label"]), bool(row["takes_target"])) for row in ACTION_MENU}


def as_decisions(state: str, moves: Sequence[Move]) -> list[Decision]:
    """A team's moves as the model's decisions (``hold`` left out)."""
    return [Decision(state, a, t) for a, t in moves if a != "hold"]


def rec_columns(recs: list[Decision]) -> tuple[str, str | None, str, str]:
    """The model's recommended moves as the decision row's columns (first move, further moves as JSON)."""
    moves = [d for d in recs if d.action != "hold"]
    if not moves:
        return "hold", None, " ".join(d.why for d in recs), "[]"
    first = moves[0]
    return first.action, first.target, first.why, json.dumps([[d.action, d.target, d.why] for d in moves[1:]])


def moves_text(moves: Sequence[Move]) -> str:
    """Moves in words: ``threaten → ROK; arm`` (``hold`` for none)."""
    return "; ".join(a.replace("_", " ") + (f" → {t}" if t else "") for a, t in moves if a != "hold") or "hold"
