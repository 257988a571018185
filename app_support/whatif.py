"""The what-if builder's logic: from the user's choices to a validated :class:`Variant`.

No Streamlit here. A :class:`WhatIf` records what the user changed (events left out or moved, actors'
doctrine, modifiers and attributes, the lens, parameters). :func:`make_variant` turns it into a
``sim.scenario.schema.Variant``; :func:`add_variants` appends variants to a scenario and validates
the result exactly as ``flashpoint`` would read the exported YAML, so that a what-if that the app
accepts is one the CLI runs unchanged. Problems come back as a ``ScenarioError`` whose issues name
the field, never as a traceback.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from sim.errors import Issue, ScenarioError
from sim.scenario.parameters import parameter_table
from sim.scenario.schema import (
    Actor,
    ActorChange,
    ActorOverrides,
    Alliance,
    EventChange,
    Scenario,
    Variant,
)

__all__ = ["ACTOR_FIELDS", "WhatIf", "event_label", "make_variant", "add_variants", "parameter_value",
           "describe", "check_event"]

#: Actor attributes the builder lets a user override, with a label and the unit shown.
ACTOR_FIELDS = {
    "resolve": "resolve (stake in the crisis, 0–1)",
    "cinc": "capability (CINC share, 0–1)",
    "polyarchy": "democracy (V-Dem polyarchy, 0–1)",
}


@dataclass
class WhatIf:
    """What a user changed in the builder.

    Attributes:
        name: Variant name (lower case, digits, ``-`` and ``_``).
        title: A short title.
        description: What the what-if asks, in prose.
        remove: Event ids to leave out.
        move: Event ids to move.
        shift_steps: Steps (weeks or days, as the calendar's step) to move them by (negative: earlier).
        actors: Per actor code, the changes: ``doctrine``, ``modifiers`` (list) and any of
            :data:`ACTOR_FIELDS` (a number).
        lens: One theory lens for every actor, or ``None`` to keep the scenario's.
        parameters: ``group.name`` → new value.
        add_events: Events to add, each the plain data of an event (``type``, ``actor``, ``date`` …;
            see :func:`app_support.eventform.event_data`) — sanctions started or lifted are events too.
        change: Changes to existing events: ``{"id": …, "date": … (optional), "set": {field: value}}``.
        add_actors: States from the catalog to add: ``{"code": …, "doctrine": …}``.
        remove_actors: Codes of the scenario's states to take out, with their events and ties
            (the variant's ``remove_actors``).
        alliances: Alliances to add or end: ``{"members": [a, b], "type": …, "strength": …}``
            (type ``none`` ends the pair's alliance).
    """

    name: str = "my-what-if"
    title: str = ""
    description: str = ""
    remove: list[str] = field(default_factory=list)
    move: list[str] = field(default_factory=list)
    shift_steps: int = 0
    actors: dict[str, dict[str, Any]] = field(default_factory=dict)
    lens: str | None = None
    parameters: dict[str, float] = field(default_factory=dict)
    add_events: list[dict[str, Any]] = field(default_factory=list)
    change: list[dict[str, Any]] = field(default_factory=list)
    add_actors: list[dict[str, Any]] = field(default_factory=list)
    alliances: list[dict[str, Any]] = field(default_factory=list)
    remove_actors: list[str] = field(default_factory=list)


def event_label(scenario: Scenario, k: int) -> str:
    """``pact — defense_pact, RUS, 2024-06-19``: how an event is named in the builder."""
    ev = scenario.events[k]
    when = ev.date.isoformat() if ev.date is not None else f"step {ev.step}"
    return f"{scenario.event_id(k)} — {ev.type.replace('_', ' ')}, {ev.actor}, {when}"


def parameter_value(scenario: Scenario, path: str) -> float:
    """The scenario's current value of parameter ``group.name``."""
    group, name = path.split(".", 1)
    return getattr(getattr(scenario.parameters, group), name)


def _issues(exc: ValidationError, prefix: str) -> list[Issue]:
    out = []
    for err in exc.errors():
        loc = ".".join(str(p) for p in err.get("loc", ()))
        out.append(Issue("what-if", 0, 0, f"{prefix}.{loc}".strip("."), err.get("msg", "invalid")))
    return out


def make_variant(scenario: Scenario, w: WhatIf) -> Variant:
    """The variant that makes ``w``'s changes to ``scenario``.

    Raises:
        ScenarioError: a name, value or date the scenario language rejects (each issue names the field).
    """
    ids = [scenario.event_id(k) for k in range(len(scenario.events))]
    issues: list[Issue] = []
    if not re.fullmatch(r"[a-z0-9][a-z0-9_-]{0,63}", w.name.strip()):
        issues.append(Issue("what-if", 0, 0, "name", f"'{w.name}' is not a valid name: use lower-case letters, "
                            "digits, '-' and '_', starting with a letter or digit (e.g. late-pact)"))
    elif w.name.strip() in scenario.variant_names() or w.name.strip() == "baseline":
        issues.append(Issue("what-if", 0, 0, "name", f"'{w.name}' is already a variant of the scenario: choose another name"))
    for eid in [*w.remove, *w.move]:
        if eid not in ids:
            issues.append(Issue("what-if", 0, 0, "events", f"no event with id '{eid}'"))
    changes = []
    cal = scenario.calendar
    if w.shift_steps:
        for eid in w.move:
            if eid in w.remove or eid not in ids:
                continue
            ev = scenario.events[ids.index(eid)]
            if ev.date is not None:
                new = ev.date + dt.timedelta(days=w.shift_steps * cal.step_days)
                if not cal.start <= new < cal.end:
                    issues.append(Issue("what-if", 0, 0, f"events.{eid}.date",
                                        f"moved to {new}, outside the horizon {cal.start} … {cal.end - dt.timedelta(days=1)}"))
                changes.append({"id": eid, "date": new})
            else:
                new_step = ev.step + w.shift_steps
                if not 0 <= new_step < cal.horizon:
                    issues.append(Issue("what-if", 0, 0, f"events.{eid}.step",
                                        f"moved to step {new_step}, outside the horizon (0 … {cal.horizon - 1})"))
                changes.append({"id": eid, "step": max(new_step, 0)})
    actors: dict[str, Any] = {}
    by_code = {a.code: a for a in scenario.actors}
    for code, ch in w.actors.items():
        if code not in by_code:
            issues.append(Issue("what-if", 0, 0, f"actors.{code}", f"unknown actor {code}"))
            continue
        a = by_code[code]
        entry: dict[str, Any] = {}
        if ch.get("doctrine") and ch["doctrine"] != a.doctrine:
            entry["doctrine"] = ch["doctrine"]
        if ch.get("modifiers") is not None and tuple(ch["modifiers"]) != tuple(a.modifiers):
            entry["modifiers"] = tuple(ch["modifiers"])
        ov = {k: float(v) for k, v in ch.items() if k in ACTOR_FIELDS and v is not None}
        if ov:
            entry["overrides"] = ov
        if entry:
            actors[code] = entry
    params: dict[str, dict[str, float]] = {}
    known = {r["path"] for r in parameter_table()}
    for path, value in w.parameters.items():
        if path not in known:
            issues.append(Issue("what-if", 0, 0, f"parameters.{path}", f"unknown parameter '{path}'"))
            continue
        if value is None or float(value) == float(parameter_value(scenario, path)):
            continue
        group, name = path.split(".", 1)
        params.setdefault(group, {})[name] = float(value)
    for code in w.remove_actors:
        if code not in by_code:
            issues.append(Issue("what-if", 0, 0, "remove_actors", f"{code} is not a state of the scenario"))
        elif code in w.actors:
            issues.append(Issue("what-if", 0, 0, f"actors.{code}", f"{code} is removed: do not change it too"))
    for c in w.change:
        if c.get("id") not in ids:
            issues.append(Issue("what-if", 0, 0, "change_events.id", f"no event with id '{c.get('id')}'"))
        elif c["id"] in w.remove:
            issues.append(Issue("what-if", 0, 0, f"change_events.{c['id']}", "this event is also left out"))
    moved = {c["id"] for c in changes}
    for c in w.change:
        if c.get("id") in moved:
            issues.append(Issue("what-if", 0, 0, f"change_events.{c['id']}", "this event is both moved and changed: "
                                "change its date in one place"))
    if issues:
        raise ScenarioError(issues)
    try:
        return Variant(
            name=w.name.strip(),
            title=w.title.strip()[:200],
            description=w.description.strip()[:5000],
            remove_events=tuple(w.remove),
            change_events=tuple(EventChange(**c) for c in [*changes, *w.change]),
            add_events=tuple(dict(e) for e in w.add_events),
            add_actors=tuple(Actor(code=a["code"], doctrine=a.get("doctrine") or "realist") for a in w.add_actors),
            remove_actors=tuple(dict.fromkeys(w.remove_actors)),
            alliances=tuple(Alliance(members=tuple(al["members"]), type=al.get("type", "defense"),
                                     **({} if al.get("type") == "none" else {"strength": float(al.get("strength", 0.8))}))
                            for al in w.alliances),
            actors={c: ActorChange(doctrine=e.get("doctrine"), modifiers=e.get("modifiers"),
                                   overrides=ActorOverrides(**e.get("overrides", {}))) for c, e in actors.items()},
            parameters=params,
            lens=w.lens or None,
        )
    except ValidationError as exc:
        raise ScenarioError(_issues(exc, "what-if")) from None


def add_variants(scenario: Scenario, variants: list[Variant]) -> Scenario:
    """``scenario`` with ``variants`` appended (a same-named one is replaced), fully validated.

    The result is dumped to YAML and read back through the loader, and each new variant is applied
    and checked, so the app accepts exactly what ``flashpoint validate`` accepts.

    Raises:
        ScenarioError: with every issue found.
    """
    from app_support.library import to_yaml  # local: library imports the loader
    from sim.scenario.loader import parse_scenario

    names = {v.name for v in variants}
    data = scenario.model_dump(mode="python")
    data["variants"] = [v for v in data["variants"] if v["name"] not in names] + [v.model_dump(mode="python") for v in variants]
    try:
        combined = Scenario.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError(_issues(exc, "scenario")) from None
    checked = parse_scenario(to_yaml(combined), "what-if.yaml")
    for v in variants:
        try:
            applied = checked.with_variant(v.name)
        except ValidationError as exc:
            raise ScenarioError(_issues(exc, f"variants.{v.name}")) from None
        probs = applied.semantic_issues()
        if probs:
            raise ScenarioError([Issue("what-if", 0, 0, ".".join(str(p) for p in loc), msg) for loc, msg in probs])
    return checked


def describe(variant: Variant) -> list[str]:
    """The changes a variant makes, one plain sentence each."""
    out = []
    if variant.remove_events:
        out.append("Leaves out: " + ", ".join(variant.remove_events) + ".")
    for c in variant.change_events:
        when = c.date.isoformat() if c.date is not None else (f"step {c.step}" if c.step is not None else "")
        sets = ", ".join(f"{k} = {v}" for k, v in c.set.items())
        out.append(f"Changes {c.id}" + (f": moved to {when}" if when else "") + (f"; sets {sets}" if sets else "") + ".")
    for e in variant.add_events:
        others = [*e.targets_of(), *e.partners_of(), *e.near_of(), *getattr(e, "parties", ())]
        when = e.date.isoformat() if e.date is not None else f"step {e.step}"
        out.append(f"Adds {e.id or 'an event'}: {e.type.replace('_', ' ')} by {e.actor}"
                   + (f" ({', '.join(others)})" if others else "") + f" on {when}.")
    for a in variant.add_actors:
        out.append(f"Adds the state {a.code} ({a.doctrine}).")
    if variant.remove_actors:
        out.append("Removes the state(s) " + ", ".join(variant.remove_actors) + " with their events and ties.")
    for code, ch in variant.actors.items():
        bits = []
        if ch.doctrine:
            bits.append(f"doctrine {ch.doctrine}")
        if ch.modifiers is not None:
            bits.append("modifiers " + (", ".join(ch.modifiers) or "none"))
        bits += [f"{k} {v:g}" for k, v in ch.overrides.model_dump(exclude_none=True).items()
                 if isinstance(v, int | float) and not isinstance(v, bool)]
        out.append(f"{code}: " + "; ".join(bits) + ".")
    for al in variant.alliances:
        out.append(f"Alliance {al.members[0]}–{al.members[1]}: {al.type}"
                   + (f", strength {al.pledge:g}." if al.type == "defense" else "."))
    for g, vals in variant.parameters.items():
        out += [f"Parameter {g}.{k} = {v}." for k, v in vals.items()]
    if variant.lens:
        out.append(f"Every state reasons through the {variant.lens} lens.")
    return out or ["No changes: this is the baseline."]


def check_event(scenario: Scenario, data: dict[str, Any], add_actors: list[dict[str, Any]] | None = None,
                remove_actors: list[str] | None = None) -> dict[str, list[str]]:
    """Check one event the builder's form made, exactly as the loader would; problems per form field.

    The event is put in a throw-away variant (with the draft's added states, which it may name, and
    its removed states, which it may not) and
    validated by :func:`make_variant` and :func:`add_variants`. Returns ``{field: [messages]}``,
    ``""`` for problems of the event as a whole; empty when the event is valid.
    """
    from app_support.eventform import field_of_issue

    w = WhatIf(name="checking-this-event", add_events=[data], add_actors=list(add_actors or []),
               remove_actors=list(remove_actors or []))
    try:
        add_variants(scenario, [make_variant(scenario, w)])
    except ScenarioError as exc:
        out: dict[str, list[str]] = {}
        for i in exc.issues:
            out.setdefault(field_of_issue(i.path, str(data.get("type", ""))), []).append(i.message)
        return out
    return {}
