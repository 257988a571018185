"""Hardening of the scenario language (issue 14): special files, strict types and dates, variants.

Each test reproduces a failure found by hostile testing (a hang, a traceback, a silently accepted
bad value) and asserts the located error that replaces it.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sim.cli.main import app
from sim.errors import ScenarioError
from sim.scenario.loader import load_scenario, parse_scenario
from tests.conftest import FOUNDING

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()


def cli(*args):
    res = runner.invoke(app, [str(a) for a in args])
    text = res.stdout + (res.stderr or "")
    assert "Traceback" not in text
    return res, text


# --------------------------------------------------------------------------------------------
# 6. Only regular files are read (a FIFO blocked open() forever)
# --------------------------------------------------------------------------------------------


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX FIFOs")
def test_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "scenario.yaml"
    os.mkfifo(fifo)
    # In a child process with a timeout: before the fix this blocked in open() with no writer.
    code = ("import sys\nfrom sim.scenario.loader import load_scenario\nfrom sim.errors import ScenarioError\n"
            "try:\n    load_scenario(sys.argv[1])\nexcept ScenarioError as e:\n    print(e)\n")
    done = subprocess.run([sys.executable, "-c", code, str(fifo)], capture_output=True, text=True,
                          timeout=60, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"{fifo}: is a named pipe (FIFO), not a regular file; save the scenario to a file"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX FIFOs")
def test_fifo_swapped_in_after_the_check_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The open itself never blocks: a FIFO that appears between stat() and open() is refused too."""
    from sim.scenario import yaml_source

    fifo = tmp_path / "late.yaml"
    os.mkfifo(fifo)
    monkeypatch.setattr(yaml_source, "_check_regular", _regular_once(yaml_source._check_regular))
    with pytest.raises(ScenarioError, match="named pipe"):
        load_scenario(fifo)


def _regular_once(check):
    calls = []

    def fake(mode, filename):
        calls.append(mode)
        if len(calls) > 1:  # the first (path) check is fooled; the fstat check is not
            check(mode, filename)
    return fake


def test_devices_and_sockets_are_refused(tmp_path: Path) -> None:
    if Path("/dev/zero").exists():  # reading it would never end
        with pytest.raises(ScenarioError, match=r"^/dev/zero: is a character device"):
            load_scenario("/dev/zero")
    sock_path = tmp_path / "s.yaml"
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(sock_path))
        with pytest.raises(ScenarioError, match="is a socket"):
            load_scenario(sock_path)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX FIFOs")
def test_cli_validate_fifo_exits_1(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    done = subprocess.run([sys.executable, "-m", "sim", "validate", str(fifo), str(FOUNDING)],
                          capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert done.returncode == 1
    assert f"{fifo}: is a named pipe (FIFO)" in done.stderr
    assert "Traceback" not in done.stderr
    assert f"{FOUNDING}: ok" in done.stdout


# --------------------------------------------------------------------------------------------
# 11. Dates and types are taken as documented (no bool-as-number, no timestamp-as-date)
# --------------------------------------------------------------------------------------------

BASE = FOUNDING.read_text(encoding="utf-8")


def _edit(old: str, new: str, text: str = BASE) -> str:
    assert text.count(old) >= 1, old
    return text.replace(old, new, 1)


def _line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def only_issue(text: str, filename: str = "s.yaml"):
    with pytest.raises(ScenarioError) as exc:
        parse_scenario(text, filename)
    assert len(exc.value.issues) == 1, str(exc.value)
    (issue,) = exc.value.issues
    assert issue.file == filename and issue.line > 0 and issue.col > 0
    return issue


PARAMS_AT_END = "parameters:\n  threat: {power_exponent: true}\n"


@pytest.mark.parametrize(
    ("old", "new", "needle", "path", "words"),
    [
        ("horizon: 52", "horizon: true", "horizon: true", "calendar.horizon", "expected a whole number (got true)"),
        ("horizon: 52", "horizon: 52.0", "horizon: 52.0", "calendar.horizon", "expected a whole number (got 52.0)"),
        ("start: 2024-06-10", "start: 1717977600", "start: 1717977600", "calendar.start", "not a number (got 1717977600; timestamps"),
        ("start: 2024-06-10", "start: 2024-06-10 12:00:00", "start: 2024-06-10 12", "calendar.start", "without a time"),
        ("start: 2024-06-10", "start: '10/06/2024'", "start: '10", "calendar.start", "expected a date as YYYY-MM-DD (got '10/06/2024')"),
        ("severity: 0.5}", "severity: false}", "severity: false", "relations.sanctions[4].severity", "expected a number (got false)"),
        ("value: 0.6}", "value: 10}", "value: 10", "relations.trade[0].value", "trade is a share, 0–1 (got 10)"),
        ("{between: [USA, JPN], value: 0.8}", "{between: [USA, JPN], value: 3}", "value: 3", "relations.institutions[0].value", "0–1 (got 3)"),
        ("low: 0.5, high: 1.5}", "low: -100, high: 1000000}", "low: -100", "uncertainties[0].low", "low -100 is outside the valid range of threat.power_exponent (0 … 3)"),
        ("high: 0.9}", "high: .inf}", "high: .inf", "uncertainties[1].high", "finite number"),
        ("{parameter: spiral.distinguishability,", "{parameter: ladder.settlement_drop,", "ladder.settlement_drop",
         "uncertainties[1].parameter", "is a whole number"),
    ],
)
def test_bad_types_and_ranges_are_located(old, new, needle, path, words) -> None:
    text = _edit(old, new)
    with pytest.raises(ScenarioError) as exc:
        parse_scenario(text, "s.yaml")
    issues = {i.path: i for i in exc.value.issues}
    assert path in issues, str(exc.value)
    issue = issues[path]
    assert words in issue.message
    assert issue.line == _line_of(text, needle) and issue.col > 0


def test_bool_as_parameter_is_refused() -> None:
    text = BASE.replace("uncertainties:", PARAMS_AT_END + "uncertainties:", 1)
    issue = only_issue(text)
    assert issue.path == "parameters.threat.power_exponent"
    assert issue.message == "expected a number (got true)"
    assert issue.line == _line_of(text, "power_exponent: true")


def test_numbers_still_accept_integers_and_dates_iso_text() -> None:
    text = _edit("value: 0.6}", "value: 1}")
    text = _edit("start: 2024-06-10", "start: '2024-06-10'", text)
    sc = parse_scenario(text.replace("uncertainties:", "parameters:\n  threat: {power_exponent: 2}\nuncertainties:", 1))
    assert sc.relations.trade[0].value == 1.0 and isinstance(sc.relations.trade[0].value, float)
    assert sc.parameters.threat.power_exponent == 2.0
    assert str(sc.calendar.start) == "2024-06-10"


def test_start_near_the_end_of_time_is_an_error_not_overflow(tmp_path: Path) -> None:
    text = _edit("start: 2024-06-10", "start: 9999-12-01")
    issue = only_issue(text)
    assert issue.path == "calendar.horizon" and "9999-12-31" in issue.message and "9999-12-01" in issue.message
    path = tmp_path / "late.yaml"
    path.write_text(text, encoding="utf-8")
    for command in ("validate", "run", "describe"):
        res, out = cli(command, path)
        assert res.exit_code == 1, out
        assert f"{path}:{issue.line}:{issue.col}: calendar.horizon:" in out


def test_every_scenario_field_is_strict() -> None:
    """No number, flag or date field of the scenario language takes a value of another type.

    Walks every model reachable from ``Scenario`` (events, parameter groups, variants ...) and feeds
    each numeric field ``true``, each flag ``1`` and each date a Unix timestamp: all must fail.
    """
    import datetime as dt
    from typing import Annotated, get_args

    from pydantic import BaseModel, TypeAdapter, ValidationError

    from sim.scenario.schema import Scenario

    def leaves(tp):
        args = get_args(tp)
        return [x for a in args for x in leaves(a)] if args else [tp]

    wrong = {float: True, int: True, bool: 1, dt.date: 1717977600}
    seen: set[type] = set()
    lax: list[str] = []
    checked = 0

    def visit(model: type[BaseModel]) -> None:
        nonlocal checked
        if model in seen:
            return
        seen.add(model)
        for name, field in model.model_fields.items():
            kinds = set(leaves(field.annotation))
            for tp in kinds:
                if isinstance(tp, type) and issubclass(tp, BaseModel):
                    visit(tp)
            for tp, bad in wrong.items():
                if tp in kinds:
                    adapter = TypeAdapter(Annotated[field.annotation, *field.metadata] if field.metadata
                                           else field.annotation)
                    checked += 1
                    try:
                        adapter.validate_python(bad, strict=model.model_config.get("strict"))
                    except ValidationError:
                        continue
                    lax.append(f"{model.__name__}.{name} accepts {bad!r}")

    visit(Scenario)
    assert not lax, lax
    assert len(seen) > 25 and checked > 100  # every event type, every parameter group


# --------------------------------------------------------------------------------------------
# 10. Every variant is validated as the scenario it produces, located at the variant's lines
# --------------------------------------------------------------------------------------------

CHANGE = "        set: {force_size: 4.0, duration_weeks: 4}\n"


@pytest.mark.parametrize(
    ("old", "new", "needle", "path", "words"),
    [
        # a field the event type lacks (raw pydantic text before)
        (CHANGE, "        set: {forse_size: 4.0}\n", "forse_size", "variants[1].change_events[0].set.forse_size",
         "variant 'forceful-us': unknown field 'forse_size'; did you mean 'force_size'?"),
        # a value out of the field's range
        (CHANGE, "        set: {force_size: 40}\n", "force_size: 40", "variants[1].change_events[0].set.force_size",
         "variant 'forceful-us': Input should be less than or equal to 10 (got 40)"),
        # an unknown actor in set (validated, then KeyError in run, before)
        (CHANGE, "        set: {near: [RUS, XYZ]}\n", "XYZ", "variants[1].change_events[0].set.near[1]",
         "variant 'forceful-us': unknown actor XYZ"),
        # a changed type
        (CHANGE, "        set: {type: statement}\n", "type: statement}", "variants[1].change_events[0].set.type",
         "an event's type cannot be changed"),
        # an event moved outside the horizon (silently dropped before)
        (CHANGE, "        date: 2031-01-01\n", "date: 2031-01-01", "variants[1].change_events[0].date",
         "variant 'forceful-us': 2031-01-01 is outside the horizon"),
        (CHANGE, "        step: 400\n", "step: 400", "variants[1].change_events[0].step",
         "variant 'forceful-us': step 400 is outside the horizon"),
        (CHANGE, "        set: {date: 2031-01-01}\n", "date: 2031-01-01", "variants[1].change_events[0].set.date",
         "outside the horizon"),
        # a parameter out of range, and one given as a boolean
        ("    lens: liberal\n", "    lens: liberal\n    parameters: {threat: {power_exponent: 9}}\n",
         "power_exponent: 9", "variants[4].parameters.threat.power_exponent",
         "variant 'liberal-lens': Input should be less than or equal to 3 (got 9)"),
        ("    lens: liberal\n", "    lens: liberal\n    parameters: {ladder: {violence_resistance: true}}\n",
         "violence_resistance: true", "variants[4].parameters.ladder.violence_resistance",
         "variant 'liberal-lens': expected a number (got true)"),
        # an actor change out of range
        ("      USA: {modifiers: [hawkish]}\n", "      USA: {overrides: {resolve: 3}}\n", "resolve: 3",
         "variants[1].actors.USA.overrides.resolve", "less than or equal to 1"),
        # a variant named baseline
        ("  - name: liberal-lens\n", "  - name: baseline\n", "name: baseline", "variants[4].name",
         "'baseline' names the scenario as written"),
        # duplicate event ids: with the scenario's own, and among the added events
        ("      - id: us-alert\n", "      - id: havana-visit\n", "id: havana-visit\n        type: alert",
         "variants[1].add_events[1].id", "event id 'havana-visit' is already used"),
        ("      - id: us-alert\n", "      - id: us-warning\n", "id: us-warning\n        type: alert",
         "variants[1].add_events[1].id", "event id 'us-warning' is added twice"),
        # an event changed twice, or changed and removed (one change was silently lost)
        (CHANGE, CHANGE + "      - id: helena-guantanamo\n        step: 2\n", "id: helena-guantanamo\n        step: 2",
         "variants[1].change_events[1].id", "event 'helena-guantanamo' is changed twice"),
        ("    remove_events: [pact, sanctions-review]\n",
         "    remove_events: [pact, sanctions-review]\n    change_events:\n      - {id: pact, step: 3}\n",
         "id: pact, step", "variants[0].change_events[0].id", "event 'pact' is also in remove_events"),
    ],
)
def test_variant_problems_are_located_at_the_variant(old, new, needle, path, words) -> None:
    text = _edit(old, new)
    with pytest.raises(ScenarioError) as exc:
        parse_scenario(text, "v.yaml")
    by_path = {i.path: i for i in exc.value.issues}
    assert path in by_path, str(exc.value)
    issue = by_path[path]
    assert words in issue.message, issue.message
    assert issue.line == _line_of(text, needle), str(exc.value)
    assert "pydantic" not in str(exc.value) and "Traceback" not in str(exc.value)


def test_removing_an_event_frees_its_id_for_a_variant() -> None:
    text = _edit("    remove_events: [pact, sanctions-review]\n",
                 "    remove_events: [pact, sanctions-review]\n    add_events:\n"
                 "      - {id: pact, type: statement, date: 2024-06-20, actor: RUS, targets: [USA], kind: condemn}\n")
    sc = parse_scenario(text)
    assert [e.type for e in sc.with_variant("no-pact").events if e.id == "pact"] == ["statement"]


def test_variant_problems_in_cli_validate_and_run(tmp_path: Path) -> None:
    path = tmp_path / "v.yaml"
    text = _edit(CHANGE, "        set: {near: [RUS, XYZ]}\n")
    path.write_text(text, encoding="utf-8")
    line = _line_of(text, "XYZ")
    for args in (("validate", path), ("run", path, "--variant", "forceful-us"), ("run", path)):
        res, out = cli(*args)
        assert res.exit_code == 1, out
        assert f"{path}:{line}:" in out and "unknown actor XYZ" in out
        assert "KeyError" not in out


def test_with_variant_on_a_scenario_built_in_code_raises_scenario_error() -> None:
    """The API guard: a scenario built without the loader still gets a ScenarioError, not a KeyError."""
    from sim.scenario.schema import Scenario

    sc = load_scenario(FOUNDING)
    data = sc.model_dump(mode="python")
    data["variants"][1]["change_events"][0]["set"] = {"near": ["XYZ"]}
    built = Scenario.model_validate(data)
    with pytest.raises(ScenarioError, match=r"<variant forceful-us>: variants\[0\]\.change_events\[0\]\.set\.near\[0\]: unknown actor XYZ"):
        built.with_variant("forceful-us")


def test_the_app_upload_path_gets_the_same_located_errors() -> None:
    """The app validates uploads through the same loader: variant and date problems are located there too."""
    pytest.importorskip("streamlit")
    from app_support.library import parse_upload

    for old, new, needle in (
        ("start: 2024-06-10", "start: 9999-12-01", "horizon: 52"),
        (CHANGE, "        set: {near: [RUS, XYZ]}\n", "XYZ"),
        (CHANGE, "        set: {forse_size: 4.0}\n", "forse_size"),
    ):
        text = _edit(old, new)
        with pytest.raises(ScenarioError) as exc:
            parse_upload("up.yaml", text.encode("utf-8"))
        assert exc.value.issues[0].file == "up.yaml"
        assert exc.value.issues[0].line == _line_of(text, needle), str(exc.value)
        assert "pydantic" not in str(exc.value) and "Overflow" not in str(exc.value)
