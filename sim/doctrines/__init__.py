"""Doctrines (theory lenses) and modifiers: how states choose among actions.

Key parts: :data:`REGISTRY` of doctrine classes by name (realist, liberal, constructivist),
:data:`MODIFIERS` (hawkish, dovish, risk-acceptant, risk-averse), the action menu :data:`ACTIONS`,
the per-state :class:`Features` a doctrine scores, and :func:`get_doctrine`.
"""

from sim.doctrines.base import ACTIONS, HOSTILE, MODIFIERS, Doctrine, Features, Modifier, valid_mask
from sim.doctrines.lenses import Constructivist, Liberal, Realist

__all__ = [
    "ACTIONS",
    "HOSTILE",
    "MODIFIERS",
    "REGISTRY",
    "Doctrine",
    "Features",
    "Modifier",
    "Realist",
    "Liberal",
    "Constructivist",
    "get_doctrine",
    "valid_mask",
]

#: Every doctrine, by name.
REGISTRY: dict[str, type[Doctrine]] = {d.name: d for d in (Realist, Liberal, Constructivist)}


def get_doctrine(name: str) -> Doctrine:
    """An instance of the doctrine called ``name``.

    Raises:
        KeyError: for an unknown name (the message lists the known ones).
    """
    try:
        return REGISTRY[name]()
    except KeyError:
        raise KeyError(f"unknown doctrine '{name}' (known: {', '.join(REGISTRY)})") from None
