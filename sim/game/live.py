"""A game's live model: the world rebuilt by replaying the stored turns from the seed, one step at a time.

The model is deterministic, so the same stored turns give the same world; :func:`step_live` steps
it with the players' decisions and drops, deterministically, a decision the model refuses at that
step (the refusal goes into the team's news).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from sim.model import CrisisModel, Decision

__all__ = ["Live", "step_live"]


@dataclass
class Live:
    """A game's live model (a cache of the replay of its stored turns) and what the replay noted."""

    version: tuple
    model: CrisisModel
    peek: dict[str, list[Decision]] | None = None
    turn_steps: list[tuple[int, int]] = field(default_factory=list)
    refused: list[dict[str, Any]] = field(default_factory=list)


def step_live(live: Live, chosen: dict[str, list[Decision]]) -> None:
    """One step of the live model with the players' decisions (deterministic, so replay repeats it).

    A decision the model refuses at this step (a rung it needs changed during a turn of several
    steps) is dropped: the model decides for that state, and the refusal goes into the news.
    """
    m = live.model
    if not chosen:
        m.step(None)
        return
    twin = copy.deepcopy(m)
    try:
        twin.step(chosen)
    except ValueError:
        kept: dict[str, list[Decision]] = {}
        for state in sorted(chosen):
            trial = copy.deepcopy(m)
            try:
                trial.step({**kept, state: chosen[state]})
            except ValueError as exc:
                live.refused.append({"step": m.steps_done, "actor": state, "why": str(exc)})
            else:
                kept[state] = chosen[state]
        twin = copy.deepcopy(m)
        twin.step(kept or None)
    live.model = twin
