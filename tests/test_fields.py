"""One reading of the scenario language's field bounds and event classes, shared by every form and check."""

from __future__ import annotations

import pytest
from pydantic import BaseModel, Field

from app_support import eventform
from sim.game import injects
from sim.scenario import events, removal
from sim.scenario.events import (
    EVENT_TYPES,
    ROLE_FIELDS,
    ArmedClash,
    Sanctions,
    Ultimatum,
    event_classes,
)
from sim.scenario.fields import Bounds, field_bounds
from sim.scenario.parameters import Parameters, parameter_table


class _M(BaseModel):
    closed: float = Field(default=0.5, ge=0, le=1)
    open_low: float = Field(default=1.0, gt=0, le=365)
    open_high: float = Field(default=0.0, ge=-1, lt=1)
    whole: int = Field(default=3, ge=0, le=10)
    free: float = 0.0
    items: tuple[str, ...] = Field(default=("a",), min_length=1)


@pytest.mark.parametrize(("name", "bounds"), [
    ("closed", Bounds(0, 1)),
    ("open_low", Bounds(0, 365, low_exclusive=True)),
    ("open_high", Bounds(-1, 1, high_exclusive=True)),
    ("whole", Bounds(0, 10)),
    ("free", Bounds()),
    ("items", Bounds(min_items=1)),
])
def test_field_bounds_reads_what_the_field_declares(name, bounds):
    assert field_bounds(_M.model_fields[name]) == bounds


def test_whole_number_bounds_stay_whole():
    b = field_bounds(_M.model_fields["whole"])
    assert isinstance(b.low, int) and isinstance(b.high, int)


def test_event_fields_in_the_scenario_language():
    assert field_bounds(ArmedClash.model_fields["intensity"]) == Bounds(0, 1)
    assert field_bounds(Ultimatum.model_fields["deadline_days"]) == Bounds(0, 365, low_exclusive=True)
    assert field_bounds(Sanctions.model_fields["targets"]).min_items == 1


def test_every_form_agrees_with_the_declared_bounds():
    for tp, cls in event_classes().items():
        specs = {f.name: f for f in eventform.fields_of(tp)}
        inject = {f.name: f for f in injects.form_fields(tp)}
        for name, info in cls.model_fields.items():
            b = field_bounds(info)
            if name in specs and specs[name].kind in ("number", "integer"):
                assert (specs[name].minimum, specs[name].maximum, specs[name].exclusive_min) == (b.low, b.high, b.low_exclusive)
            if name in specs and specs[name].kind == "states":
                assert specs[name].min_items == b.min_items
            if name in inject and inject[name].kind in ("number", "integer"):
                assert (inject[name].low, inject[name].high) == (b.low, b.high)


def test_the_parameter_table_gives_each_parameters_declared_range():
    rows = {r["path"]: r for r in parameter_table()}
    for g, gf in Parameters.model_fields.items():
        for name, info in gf.annotation.model_fields.items():
            b = field_bounds(info)
            assert (rows[f"{g}.{name}"]["min"], rows[f"{g}.{name}"]["max"]) == (b.low, b.high)
    assert rows["ladder.settlement_drop"]["min"] == 0 and isinstance(rows["ladder.settlement_drop"]["max"], int)


def test_one_list_of_event_classes_and_of_role_fields():
    classes = event_classes()
    assert list(classes) == list(EVENT_TYPES)
    assert all(classes[t].model_fields["type"].annotation.__args__ == (t,) for t in classes)
    assert eventform.event_classes is injects.event_classes is events.event_classes
    assert eventform.ROLE_FIELDS is removal.ROLE_FIELDS is ROLE_FIELDS
    assert {f for cls in classes.values() for f in cls.model_fields if f in ROLE_FIELDS} == set(ROLE_FIELDS)
