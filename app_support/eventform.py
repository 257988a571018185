"""Forms generated from the scenario language's event models: one field spec per event field.

No Streamlit here. :func:`fields_of` reads a pydantic event class (``sim.scenario.events``) and
says, for each field a user fills in, what kind of widget it needs (states, a choice, a number in a
range, a yes/no, a date), its default and bounds, and its description. The builder draws those
widgets, :func:`event_data` turns the answers into the plain data of an event, and the loader's own
validation (through :func:`app_support.whatif.add_variants`) checks it; :func:`field_of_issue`
puts each located problem back on the form field it concerns.
"""

from __future__ import annotations

import datetime as dt
import re
import typing
from dataclasses import dataclass
from typing import Any, Literal

from sim.scenario.events import EVENT_SPECS, ROLE_FIELDS, event_classes
from sim.scenario.fields import field_bounds

__all__ = ["FieldSpec", "COMMON", "ROLE_FIELDS", "event_classes", "fields_of", "event_data", "field_of_issue",
           "type_title"]

#: Fields every event has, drawn by the builder itself (not per type).
COMMON = ("type", "id", "date", "step", "actor", "description", "source")


@dataclass(frozen=True)
class FieldSpec:
    """What the form needs to draw one event field.

    Attributes:
        name: The field's name in the scenario language.
        kind: ``states`` (several actor codes), ``choice``, ``number``, ``integer``, ``bool`` or ``date``.
        label: A short label for the widget (the name in words).
        help: The field's description from the model.
        default: The model's default (``None``: required, or empty).
        required: True when the model has no default (the form must give a value).
        minimum, maximum: Bounds of a number (``None``: unbounded).
        exclusive_min: True when the minimum itself is not allowed (``gt``).
        choices: The allowed values of a ``choice``.
        min_items: Fewest states a ``states`` field needs.
    """

    name: str
    kind: str
    label: str
    help: str
    default: Any
    required: bool
    minimum: float | None = None
    maximum: float | None = None
    exclusive_min: bool = False
    choices: tuple[str, ...] = ()
    min_items: int = 0


def type_title(type_name: str) -> str:
    """The event type in words (``Arms transfer``)."""
    spec = EVENT_SPECS.get(type_name)
    return spec.title if spec else type_name.replace("_", " ")


def fields_of(type_name: str) -> list[FieldSpec]:
    """The fields of event type ``type_name`` a user fills in besides the common ones, in model order.

    Raises:
        KeyError: unknown event type.
    """
    cls = event_classes()[type_name]
    out = []
    for name, info in cls.model_fields.items():
        if name in COMMON:
            continue
        ann = info.annotation
        args = typing.get_args(ann)
        if typing.get_origin(ann) is Literal:
            kind, choices = "choice", tuple(str(a) for a in args)
        elif typing.get_origin(ann) is tuple:
            kind, choices = "states", ()
        elif ann is bool:
            kind, choices = "bool", ()
        elif ann is int:
            kind, choices = "integer", ()
        elif ann is float:
            kind, choices = "number", ()
        elif dt.date in args or ann is dt.date:
            kind, choices = "date", ()
        else:  # a type the form cannot draw: leave it to the model's default
            continue
        b = field_bounds(info)
        lo, hi = (None if b.low is None else float(b.low)), (None if b.high is None else float(b.high))
        excl, min_items = b.low_exclusive, b.min_items
        required = info.is_required()
        default = None if required else info.get_default(call_default_factory=True)
        if kind == "states":
            default = list(default or ())
        out.append(FieldSpec(name=name, kind=kind, label=name.replace("_", " "), help=info.description or "",
                             default=default, required=required, minimum=lo, maximum=hi, exclusive_min=excl,
                             choices=choices, min_items=min_items))
    return out


def event_data(type_name: str, actor: str, date: dt.date | str, values: dict[str, Any], *, event_id: str = "",
               description: str = "") -> dict[str, Any]:
    """The plain data of one event (what its YAML says), from the form's answers.

    Empty state lists and ``None`` values are left out, so that the model's defaults apply and a
    required field left empty is reported by the validation as missing.
    """
    data: dict[str, Any] = {"type": type_name}
    if event_id.strip():
        data["id"] = event_id.strip()
    data["date"] = date if isinstance(date, dt.date) else dt.date.fromisoformat(str(date))
    data["actor"] = actor
    specs = {f.name: f for f in fields_of(type_name)}
    for name, value in values.items():
        if name not in specs or value is None:
            continue
        if specs[name].kind == "states":
            if not value:
                continue
            value = tuple(value)
        data[name] = value
    if description.strip():
        data["description"] = description.strip()
    return data


_TOKEN = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def field_of_issue(path: str, type_name: str) -> str:
    """The form field a located problem concerns (``targets``, ``date`` …), or ``""`` for the event as a whole.

    The path is the one the loader reports (``variants[5].add_events[0].targets[1]``) or pydantic's
    (``what-if.add_events.0.sanctions.severity``): the last part that names a field of the event wins.
    """
    names = set(COMMON) | {f.name for f in fields_of(type_name)}
    found = ""
    for tok in _TOKEN.findall(path or ""):
        if tok in names and tok != "type":
            found = tok
    return found
