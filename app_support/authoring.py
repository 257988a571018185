"""Authoring help for the Editor: YAML snippets for actors and events, and a new-scenario wizard.

No Streamlit here. :func:`actor_snippet` and :func:`event_snippet` write the YAML of one actor or one
event of any type (fields, defaults and bounds read from the event models, :mod:`app_support.eventform`),
ready to paste under ``actors:`` or ``events:``. :func:`new_scenario_yaml` turns the wizard's answers
(title, year, start, horizon, states, first events) into a scenario and returns YAML that the loader has
just accepted — or raises its located ``ScenarioError``.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import yaml

from app_support import eventform
from app_support.library import parse_text, to_yaml

__all__ = ["actor_snippet", "event_snippet", "new_scenario_yaml", "slug"]


def slug(title: str) -> str:
    """A scenario id from a title (lower case, digits, ``-``)."""
    s = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:60]
    return s or "my-scenario"


def actor_snippet(code: str, name: str = "", doctrine: str = "realist") -> str:
    """The YAML of one actor, as an item of ``actors:``."""
    comment = f"  # {name}" if name and name != code else ""
    return f"  - code: {code}{comment}\n    doctrine: {doctrine}\n"


def _yaml_value(v: Any) -> str:
    if isinstance(v, list | tuple):
        return "[" + ", ".join(str(x) for x in v) + "]"
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


def event_snippet(type_name: str, actor: str, date: dt.date, others: list[str] | None = None) -> str:
    """The YAML of one event of ``type_name`` with every field (defaults filled, bounds as comments).

    ``others`` fills the first field that names other states (``targets``, ``partners``, ``parties``).
    """
    lines = [f"  - type: {type_name}", f"    date: {date.isoformat()}", f"    actor: {actor}"]
    filled = False
    for f in eventform.fields_of(type_name):
        value: Any = f.default
        if f.kind == "states" and not filled and others and (f.required or f.min_items or f.name in ("targets", "partners")):
            value, filled = list(others), True
        if f.kind == "choice" and value is None:
            value = f.choices[0]
        if value is None:
            continue
        notes = []
        if f.min_items:
            notes.append(f"at least {f.min_items} state")
        if f.kind == "choice":
            notes.append("one of " + ", ".join(f.choices))
        if f.minimum is not None and f.maximum is not None:
            notes.append(f"{'>' if f.exclusive_min else ''}{f.minimum:g} … {f.maximum:g}")
        lines.append(f"    {f.name}: {_yaml_value(value)}" + (f"  # {'; '.join(notes)}" if notes else ""))
    lines.append('    description: ""')
    return "\n".join(lines) + "\n"


def new_scenario_yaml(title: str, year: int, start: dt.date, weeks: int, actors: list[str],
                      events: list[dict[str, Any]] | None = None, question: str = "", summary: str = "") -> str:
    """The YAML of a new scenario from the wizard's answers, checked by the loader.

    Args:
        title: The scenario's title (its id is made from it).
        year: Catalog year of the states' data (1816–2022).
        start: First day.
        weeks: The horizon, in weeks.
        actors: Catalog codes of the states.
        events: First events, each the plain data of an event (:func:`app_support.eventform.event_data`).
        question: The scenario's question, in one line.
        summary: The briefing (a placeholder when empty).

    Raises:
        ScenarioError: every located problem (the text is validated as the Editor would).
    """
    data: dict[str, Any] = {
        "id": slug(title),
        "title": title.strip() or "My scenario",
        "briefing": {"summary": summary.strip() or "What happened, who the states are, and what is at stake.",
                     "question": question.strip()},
        "data_year": int(year),
        "calendar": {"start": start, "step": "week", "horizon": int(weeks)},
        "actors": [{"code": c} for c in actors],
        "events": [dict(e) for e in (events or [])],
    }
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    sc = parse_text(text, "new-scenario.yaml")  # raises the loader's located issues
    return "# A new Flashpoint scenario (docs/scenario-format.md describes every field).\n" + to_yaml(sc)
