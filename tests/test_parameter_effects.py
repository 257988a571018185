"""The core of scripts/parameter_effects.py on a tiny setting: a parameter that matters moves outcomes,
one that cannot matter leaves every run as it was."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))

from parameter_effects import effects, markdown, numeric_parameters, with_parameter  # noqa: E402

from sim.validation.mechanisms import dyad_world  # noqa: E402


def test_every_numeric_parameter_has_a_range_to_sweep():
    rows = numeric_parameters()
    assert len(rows) > 30
    assert all(r["min"] < r["max"] for r in rows)
    assert {"spiral.distinguishability", "ladder.nuclear_slip"} <= {r["path"] for r in rows}


def test_with_parameter_sets_one_value_and_validates():
    sc = dyad_world(horizon=4)
    assert with_parameter(sc, "spiral.distinguishability", 0.0).parameters.spiral.distinguishability == 0.0
    assert sc.parameters.spiral.distinguishability != 0.0  # the original is untouched
    with pytest.raises(ValueError):
        with_parameter(sc, "spiral.distinguishability", 2.0)  # outside the registry's range


def test_a_parameter_that_matters_moves_outcomes_and_one_that_cannot_moves_nothing():
    sc = dyad_world(horizon=52)  # two neighbours without nuclear weapons or allies, for the spiral's year
    spiral = effects(sc, "spiral.distinguishability", 0.0, 1.0, runs=40, seed=1)
    assert not spiral["identical"]
    moved = {m["outcome"]: m for m in spiral["moved"]}
    assert moved["AAA–BBB mean peak rung"]["diff"] < 0  # defence told from offence: no spiral
    slip = effects(sc, "ladder.nuclear_slip", 0.0, 1.0, runs=40, seed=1)  # no nuclear dyad: cannot matter
    assert slip["identical"] and slip["moved"] == []
    table = markdown({"spiral.distinguishability": {"min": 0.0, "max": 1.0, "scenarios": {"dyad.yaml": spiral}},
                      "ladder.nuclear_slip": {"min": 0.0, "max": 1.0, "scenarios": {"dyad.yaml": slip}}}, 40, 1, 3.3)
    assert "| `ladder.nuclear_slip` | 0.0 → 1.0 | 0 | none (runs identical at both ends) |" in table
    row = next(line for line in table.splitlines() if line.startswith("| `spiral.distinguishability`"))
    assert f"| dyad {len(spiral['moved'])} |" in row and "AAA" in row


def test_every_mechanism_world_builds_and_runs():
    from sim.validation.mechanisms import MECHANISM_WORLDS, batch

    for name, build in MECHANISM_WORLDS.items():
        m = batch(build(), 2, 0)
        assert m.steps_done == m.spec.calendar.horizon and m.n >= 2, name


def test_only_accumulates_over_repeated_options(capsys):
    """``--only a --only b`` asks for both (before, the second silently replaced the first)."""
    import parameter_effects

    assert parameter_effects.main(["--only", "no.such", "--only", "nor.this", "other.one"]) == 2
    err = capsys.readouterr().err
    assert "no.such" in err and "nor.this" in err and "other.one" in err
