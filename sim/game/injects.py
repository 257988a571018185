"""Events the instructor injects during play: a form's fields per event type, validated by the scenario schema.

No YAML: the console builds a form from :func:`form_fields` (one widget per field of the event
type), and :func:`build_inject` validates the values with the scenario language's own models (the
discriminated :data:`~sim.scenario.events.Event` union) and the scenario's cross-field rules
(unknown actors, an actor acting on itself). Problems come back located on the form's fields.
"""

from __future__ import annotations

import types
import typing
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import TypeAdapter, ValidationError

from sim.scenario.events import EVENT_SPECS, EVENT_TYPES, Event, event_classes
from sim.scenario.fields import field_bounds
from sim.scenario.schema import Scenario

__all__ = ["FormField", "InjectError", "build_inject", "form_fields", "event_classes", "with_events"]

_EVENT = TypeAdapter(Event)
#: Fields the game sets itself (the time) or leaves out of the form.
_SKIPPED = {"type", "id", "date", "step", "source", "in_force"}


class InjectError(Exception):
    """An inject the scenario language refuses; ``errors`` maps a form field (or ``""``) to its problem."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(f"{k or 'event'}: {v}" for k, v in errors.items()))
        self.errors = errors


@dataclass(frozen=True)
class FormField:
    """One widget of the inject form.

    Attributes:
        name: The event field.
        kind: ``actor`` (one state), ``actors`` (several), ``number``, ``integer``, ``flag``,
            ``choice`` or ``text``.
        label: What the form shows.
        default: The default value.
        low: Lower bound (numbers), or ``None``.
        high: Upper bound (numbers), or ``None``.
        choices: The allowed values (``choice``).
        required: Whether a value must be given.
    """

    name: str
    kind: str
    label: str
    default: Any = None
    low: float | None = None
    high: float | None = None
    choices: tuple = ()
    required: bool = False


def form_fields(event_type: str) -> list[FormField]:
    """The form of one event type: a widget per field, with its bounds and default.

    Raises:
        KeyError: unknown event type (the message lists the known ones).
    """
    classes = event_classes()
    if event_type not in classes:
        raise KeyError(f"unknown event type '{event_type}' (known: {', '.join(classes)})")
    out = []
    for name, info in classes[event_type].model_fields.items():
        if name in _SKIPPED:
            continue
        ann = info.annotation
        label = (info.description or name.replace("_", " ")).rstrip(".")
        default = None if info.is_required() else info.default
        origin = typing.get_origin(ann)
        if name == "actor":
            out.append(FormField(name, "actor", "Acting state", required=True))
        elif origin is tuple:
            out.append(FormField(name, "actors", f"{name.capitalize()}: {label}" if info.description else name.capitalize(),
                                 default=(), required=info.is_required()))
        elif ann is bool:
            out.append(FormField(name, "flag", label, default=bool(default)))
        elif ann in (int, float):
            b = field_bounds(info)
            low, high = (None if b.low is None else float(b.low)), (None if b.high is None else float(b.high))
            out.append(FormField(name, "integer" if ann is int else "number", label, default=default, low=low, high=high))
        elif origin is Literal:
            out.append(FormField(name, "choice", label, default=default, choices=typing.get_args(ann), required=default is None))
        elif ann is str or (isinstance(ann, types.UnionType) and str in typing.get_args(ann)):
            out.append(FormField(name, "text", label, default=default or ""))
    return out


def with_events(scenario: Scenario, events: list[dict[str, Any]]) -> Scenario:
    """The scenario with ``events`` (scenario-language dicts) appended, re-validated."""
    if not events:
        return scenario
    data = scenario.model_dump(mode="python")
    data["events"] = [*data["events"], *events]
    return Scenario.model_validate(data)


def build_inject(scenario: Scenario, event_type: str, values: dict[str, Any], step: int, eid: str) -> dict[str, Any]:
    """Validate an injected event; return it as a scenario-language dict placed at ``step``.

    Raises:
        InjectError: with each problem on its form field.
    """
    if event_type not in EVENT_SPECS:
        raise InjectError({"type": f"unknown event type '{event_type}' (known: {', '.join(EVENT_TYPES)})"})
    data = {k: (list(v) if isinstance(v, (list, tuple)) else v) for k, v in values.items() if v is not None}
    data.update(type=event_type, step=int(step), id=eid)
    try:
        ev = _EVENT.validate_python(data)
    except ValidationError as exc:
        errors: dict[str, str] = {}
        for e in exc.errors():
            loc = [p for p in e["loc"] if p != event_type]
            field = str(loc[0]) if loc else ""
            errors.setdefault(field, e["msg"])
        raise InjectError(errors) from None
    out = ev.model_dump(mode="json", exclude_none=True)
    try:
        augmented = with_events(scenario, [out])
    except ValidationError as exc:  # e.g. more events than the scenario language allows
        raise InjectError({"": exc.errors()[0]["msg"]}) from None
    k = len(scenario.events)
    errors = {}
    for loc, msg in augmented.semantic_issues():
        if loc[:2] == ("events", k):
            errors.setdefault(str(loc[2]) if len(loc) > 2 else "", msg)
    if errors:
        raise InjectError(errors)
    return out
