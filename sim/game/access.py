"""Who may do what in a game: its errors, the proofs of access, and how secrets and player text are kept.

A game's join code admits students; claiming a state gives a team token; the instructor key guards
the console. :class:`Instructor` and :class:`Team` are the proofs the engine hands out once a
secret checks; secrets are stored hashed (:func:`hash_secret`); player text is kept as data
(:func:`clean_text`).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

__all__ = ["MAX_RATIONALE", "MAX_NAME", "GameError", "AccessDenied", "Created", "Instructor", "Team",
           "hash_secret", "clean_text"]

#: The longest rationale a team may write (characters).
MAX_RATIONALE = 600
#: The longest team or student name (characters).
MAX_NAME = 60


class GameError(Exception):
    """A request the game cannot carry out (the message says why, for the player)."""


class AccessDenied(GameError):
    """A code, key or token that does not open this game, or a state that is not the team's."""


def hash_secret(secret: str) -> str:
    """The stored form of a code, key or token (SHA-256, hex): secrets are never stored in clear."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def clean_text(text: str | None, limit: int) -> str:
    """Player text: control characters dropped, trimmed, length-limited (never interpreted)."""
    text = "".join(ch for ch in (text or "") if ch.isprintable() or ch in "\n\t")
    return text.strip()[:limit]


@dataclass(frozen=True)
class Created:
    """A new game: its id, join code and instructor key (shown once)."""

    game_id: int
    code: str
    instructor_key: str


@dataclass(frozen=True)
class Instructor:
    """Proof that the caller holds a game's instructor key."""

    game_id: int
    code: str


@dataclass(frozen=True)
class Team:
    """Proof that the caller holds a team token of this game: the team and its state."""

    game_id: int
    code: str
    team_id: int
    state: str
    name: str
