"""The bounds a pydantic field declares, read once for every form, table and check that needs them.

A scenario field's range is declared on the field (``Field(ge=0, le=1)``, ``gt=0``,
``min_length=1``); pydantic keeps it as ``annotated_types`` metadata. :func:`field_bounds` reads
that metadata into a :class:`Bounds`, so that the event forms (the what-if builder, the game's
injects), the parameter table and the uncertainty check agree on what a field allows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["Bounds", "field_bounds"]


@dataclass(frozen=True)
class Bounds:
    """The range a field allows (``None``: open on that side).

    Attributes:
        low: Smallest value (``ge``) or the value it must exceed (``gt``, then ``low_exclusive``).
        high: Largest value (``le``) or the value it must stay below (``lt``, then ``high_exclusive``).
        low_exclusive: True when ``low`` itself is not allowed.
        high_exclusive: True when ``high`` itself is not allowed.
        min_items: Fewest items a list field needs (``min_length``; 0 when none).
    """

    low: float | None = None
    high: float | None = None
    low_exclusive: bool = False
    high_exclusive: bool = False
    min_items: int = 0


def field_bounds(info: Any) -> Bounds:
    """The :class:`Bounds` of a pydantic ``FieldInfo`` (from its ``ge``/``gt``/``le``/``lt``/``min_length``).

    The bounds are the declared values as they are (an ``int`` field's bounds stay whole numbers).
    """
    low = high = None
    low_ex = high_ex = False
    min_items = 0
    for m in info.metadata:
        if getattr(m, "ge", None) is not None:
            low, low_ex = m.ge, False
        if getattr(m, "gt", None) is not None:
            low, low_ex = m.gt, True
        if getattr(m, "le", None) is not None:
            high, high_ex = m.le, False
        if getattr(m, "lt", None) is not None:
            high, high_ex = m.lt, True
        if getattr(m, "min_length", None) is not None:
            min_items = int(m.min_length)
    return Bounds(low, high, low_ex, high_ex, min_items)
