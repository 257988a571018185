"""What-if variants applied to a scenario: the changed data, and where each change came from.

:func:`variant_data` applies a :class:`~sim.scenario.schema.Variant` at the data level and records,
for every part it wrote, the path in the scenario file that wrote it (:class:`AppliedVariant`), so
that the loader can place each problem of a variant on its own line. :func:`apply_variant` validates
the result as a scenario of its own (``Scenario.with_variant`` calls it). Both are re-exported by
:mod:`sim.scenario.schema`.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from sim.scenario.removal import relations_without, without_actors

if TYPE_CHECKING:
    from sim.scenario.schema import Scenario, Variant

__all__ = ["FIXED_EVENT_FIELDS", "AppliedVariant", "variant_data", "apply_variant"]


#: Fields of an event that ``change_events[].set`` may not replace (each has its own way).
FIXED_EVENT_FIELDS = {
    "type": "an event's type cannot be changed; remove the event and add a new one",
    "id": "an event's id cannot be changed (variants and outputs refer to it)",
}


@dataclass(frozen=True)
class AppliedVariant:
    """The scenario a variant produces, as plain data not yet validated, and where each part came from.

    Attributes:
        name: The variant's name.
        data: The resulting scenario as plain data (``Scenario.model_validate`` input).
        sources: For paths (prefixes) of ``data``, the path in the scenario file that wrote them:
            ``("events", 4, "force_size") -> ("variants", 1, "change_events", 0, "set", "force_size")``.
    """

    name: str
    data: dict
    sources: dict[tuple, tuple]

    def origin(self, path: tuple) -> tuple:
        """The path in the scenario file that wrote ``path`` of :attr:`data` (longest known prefix)."""
        path = tuple(path)
        for cut in range(len(path), 0, -1):
            found = self.sources.get(path[:cut])
            if found is not None:
                return found + path[cut:]
        return path


def variant_data(scenario: Scenario, variant: Variant, origin: tuple = ("variants", 0)) -> AppliedVariant:
    """Apply ``variant`` to ``scenario`` at the data level, recording where each change came from.

    What the variant leaves alone stays a validated (frozen) model instance, which pydantic takes
    as it is; what it changes or adds is plain data, validated when the result is. So checking
    fifty variants of a 5,000-event scenario costs fifty validations of the changes, not of
    everything.

    Args:
        scenario: The baseline scenario.
        variant: The variant to apply.
        origin: The variant's path in the scenario file (``("variants", index)``).
    """
    data: dict[str, Any] = {name: getattr(scenario, name) for name in type(scenario).model_fields}
    src: dict[tuple, tuple] = {}
    events: list[Any] = []
    removed = set(variant.remove_events)
    gone = set(variant.remove_actors)
    changes = {c.id: (k, c) for k, c in enumerate(variant.change_events)}
    for i, event in enumerate(scenario.events):
        eid = event.id or f"e{i + 1}"
        if eid in removed:
            continue
        n = len(events)
        src[("events", n)] = ("events", i)
        k, ch = changes.get(eid, (None, None))
        if ch is None:  # unchanged: keeps the id it had by position
            event = without_actors(event, gone)
            if event is None:
                del src[("events", n)]
                continue
            events.append(event if event.id else event.model_copy(update={"id": eid}))
            continue
        ev = dict(event.model_dump(mode="python"), id=eid)
        cloc = (*origin, "change_events", k)
        new = {f: v for f, v in copy.deepcopy(ch.set).items() if f not in FIXED_EVENT_FIELDS}
        if ch.date is not None:
            new.update(date=ch.date, step=None)
            src[("events", n, "date")] = src[("events", n, "step")] = (*cloc, "date")
        if ch.step is not None:
            new.update(step=ch.step, date=None)
            src[("events", n, "step")] = src[("events", n, "date")] = (*cloc, "step")
        for f in ch.set:
            if f in new:
                src[("events", n, f)] = (*cloc, "set", f)
        if "date" in ch.set and "step" not in ch.set and ch.step is None:
            new["step"] = None
        if "step" in ch.set and "date" not in ch.set and ch.date is None:
            new["date"] = None
        ev.update(new)
        ev = without_actors(ev, gone)
        if ev is None:
            for key in [key for key in src if key[:2] == ("events", n)]:
                del src[key]
            continue
        events.append(ev)
    for j, e in enumerate(variant.add_events):
        src[("events", len(events))] = (*origin, "add_events", j)
        events.append(e.model_dump(mode="python"))
    data["events"] = events
    actors: list[Any] = []
    for old_i, actor in enumerate(scenario.actors):
        if actor.code in gone:
            continue
        i = len(actors)
        src[("actors", i)] = ("actors", old_i)
        ch = variant.actors.get(actor.code)
        if ch is None:
            actors.append(actor)
            continue
        cloc = (*origin, "actors", actor.code)
        a = actor.model_dump(mode="python")
        if ch.doctrine is not None:
            a["doctrine"] = ch.doctrine
            src[("actors", i, "doctrine")] = (*cloc, "doctrine")
        if ch.modifiers is not None:
            a["modifiers"] = ch.modifiers
            src[("actors", i, "modifiers")] = (*cloc, "modifiers")
        ov = {k: v for k, v in ch.overrides.model_dump().items() if v is not None}
        for k in ov:
            src[("actors", i, "overrides", k)] = (*cloc, "overrides", k)
        a["overrides"] = {**a["overrides"], **ov}
        actors.append(a)
    for j, a in enumerate(variant.add_actors):
        src[("actors", len(actors))] = (*origin, "add_actors", j)
        actors.append(a.model_dump(mode="python"))
    data["actors"] = actors
    if gone:
        data["relations"] = relations_without(scenario.relations, gone, src)
    if variant.alliances:
        pairs = {frozenset(al.members) for al in variant.alliances}
        kept: list[Any] = []
        for i, al in enumerate(scenario.relations.alliances):
            if frozenset(al.members) not in pairs and not gone & set(al.members):
                src[("relations", "alliances", len(kept))] = ("relations", "alliances", i)
                kept.append(al)
        for j, al in enumerate(variant.alliances):
            src[("relations", "alliances", len(kept))] = (*origin, "alliances", j)
            kept.append(al.model_dump(mode="python"))
        relations = data["relations"]
        if not isinstance(relations, dict):
            relations = {f: getattr(relations, f) for f in type(relations).model_fields}
        data["relations"] = {**relations, "alliances": kept}
    if variant.parameters:
        params = scenario.parameters
        merged: dict[str, Any] = {g: getattr(params, g) for g in type(params).model_fields}
        for g, vals in variant.parameters.items():
            group = merged.get(g)
            own = group.model_dump() if isinstance(group, BaseModel) else {}
            merged[g] = {**own, **copy.deepcopy(vals)}
            src[("parameters", g)] = (*origin, "parameters", g) if group is None else ("parameters", g)
            for name in vals:
                src[("parameters", g, name)] = (*origin, "parameters", g, name)
        data["parameters"] = merged
    if variant.lens is not None:
        data["lens"] = variant.lens
        src[("lens",)] = (*origin, "lens")
    data["variant"] = variant.name
    src[("variant",)] = (*origin, "name")
    data["variants"] = ()  # a variant is applied once; the result is a plain scenario
    return AppliedVariant(variant.name, data, src)


def apply_variant(scenario: Scenario, variant: Variant) -> Scenario:
    """Apply ``variant`` to ``scenario`` and validate the result as a scenario of its own.

    The loader has already checked every variant of a file it read (with located issues); this
    check guards scenarios built in code.

    Raises:
        ScenarioError: If the result is not a valid scenario (an issue per problem, with the
            path in the baseline scenario's terms; the file is shown as ``<variant NAME>``).
    """
    from pydantic import ValidationError

    from sim.errors import Issue, ScenarioError
    from sim.scenario.yaml_source import format_path

    applied = variant_data(scenario, variant)
    where = f"<variant {variant.name}>"
    try:
        result = type(scenario).model_validate(applied.data)
    except ValidationError as exc:
        raise ScenarioError([Issue(where, 0, 0, format_path(applied.origin(tuple(e["loc"]))), e["msg"])
                             for e in exc.errors(include_url=False)]) from None
    problems = result.semantic_issues()
    if problems:
        raise ScenarioError([Issue(where, 0, 0, format_path(applied.origin(loc)), msg) for loc, msg in problems])
    return result
