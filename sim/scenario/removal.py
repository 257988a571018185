"""Taking actors out of a scenario: the rule behind a variant's ``remove_actors``.

Pure data, no model. :func:`without_actors` trims or drops one event, :func:`relations_without`
the initial relations; :func:`sim.scenario.variants.variant_data` applies them and the validation of
the scenario the variant produces does the rest (docs/scenario-format.md, Variants).
"""

from __future__ import annotations

from typing import Any

from sim.scenario.events import ROLE_FIELDS

__all__ = ["ROLE_FIELDS", "named", "drops", "without_actors", "relations_without"]

#: Fields of an event that name other actors.


def _role_fields(event: Any) -> tuple[str, ...]:
    """The role fields ``event`` (a model or its plain data) has and fills."""
    if isinstance(event, dict):
        return tuple(f for f in ROLE_FIELDS if event.get(f))
    return tuple(f for f in ROLE_FIELDS if f in type(event).model_fields)


def named(event: Any) -> set[str]:
    """Every actor an event names: its actor and the codes in its role fields."""
    return {event.actor}.union(*(getattr(event, f) for f in _role_fields(event)))


def drops(event: Any, gone: set[str]) -> bool:
    """Whether removing the actors ``gone`` drops ``event`` (see :func:`without_actors`)."""
    return without_actors(event, gone) is None


def without_actors(event: Any, gone: set[str]) -> Any:
    """``event`` with the actors ``gone`` taken out, or ``None`` when it goes with them.

    An event goes when its actor is removed, or when one of its lists of other actors (targets,
    partners, near, parties) named only removed actors; otherwise the removed codes are taken out of
    its lists. An event that names none of them is returned as it is.
    """
    if not gone:
        return event
    as_dict = isinstance(event, dict)
    get = event.get if as_dict else lambda f, d=None: getattr(event, f, d)
    if get("actor") in gone:
        return None
    fields = _role_fields(event)
    update = {}
    for f in fields:
        codes = tuple(get(f) or ())
        left = tuple(c for c in codes if c not in gone)
        if len(left) == len(codes):
            continue
        if not left:
            return None
        update[f] = left
    if not update:
        return event
    return {**event, **update} if as_dict else event.model_copy(update=update)


def relations_without(relations: Any, gone: set[str], src: dict[tuple, tuple]) -> dict[str, Any]:
    """The scenario's relations with every tie naming an actor in ``gone`` dropped (as data).

    Pairs (alliances, rivalries, trade, institutions, wars, tensions) naming a removed actor go;
    sanctions imposed by one go, and sanctions on several targets lose the removed ones (and go
    when none is left). ``src`` learns where each kept item came from.
    """
    out: dict[str, Any] = {f: getattr(relations, f) for f in type(relations).model_fields}
    for field in ("alliances", "rivalries", "trade", "institutions", "wars", "tensions", "sanctions"):
        kept: list[Any] = []
        for i, item in enumerate(getattr(relations, field)):
            if field == "sanctions":
                if item.by in gone:
                    continue
                targets = tuple(t for t in item.targets if t not in gone)
                if not targets:
                    continue
                if len(targets) < len(item.targets):
                    item = item.model_copy(update={"targets": targets})
            else:
                pair = item.members if field == "alliances" else item.between if field in ("trade", "institutions", "tensions") else item
                if gone & set(pair):
                    continue
            src[("relations", field, len(kept))] = ("relations", field, i)
            kept.append(item)
        out[field] = kept
    return out
