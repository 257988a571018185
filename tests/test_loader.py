"""Tests of the scenario loader: safe YAML, located errors, limits, and pydantic error mapping.

Validation is tested against a small stand-in model (``StandIn``) with the same shape as the real
schema (frozen, extra="forbid", events as a discriminated union on ``type``, a
``semantic_issues()`` method), passed through the ``model=`` keyword.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from pathlib import Path
from typing import Annotated, Literal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ConfigDict, Field

from sim.errors import FlashpointError, LimitError, ScenarioError
from sim.scenario import yaml_source
from sim.scenario.loader import (
    PositionMap,
    ScenarioLimitError,
    format_path,
    load_scenario,
    parse_scenario,
    read_yaml,
    validate_data,
)

BROKEN = Path(__file__).parent / "broken"


# --------------------------------------------------------------------------------------------
# Stand-in schema
# --------------------------------------------------------------------------------------------


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Actor(_Frozen):
    code: str
    name: str


class NavalDeployment(_Frozen):
    type: Literal["naval_deployment"]
    date: dt.date
    actor: str
    force_size: int = Field(default=1, ge=1)


class Sanctions(_Frozen):
    type: Literal["sanctions"]
    date: dt.date
    actor: str
    targets: tuple[str, ...]


Event = Annotated[NavalDeployment | Sanctions, Field(discriminator="type")]


class StandIn(_Frozen):
    name: str
    start: dt.date
    end: dt.date
    actors: tuple[Actor, ...] = ()
    events: tuple[Event, ...] = ()

    def semantic_issues(self) -> list[tuple[tuple, str]]:
        codes = {a.code for a in self.actors}
        out: list[tuple[tuple, str]] = []
        for i, ev in enumerate(self.events):
            if ev.actor not in codes:
                out.append((("events", i, "actor"), f"unknown actor '{ev.actor}'"))
            if not self.start <= ev.date <= self.end:
                out.append((("events", i, "date"), "event is outside the scenario's horizon"))
        return out


VALID = """\
name: Strait crisis
start: 2024-01-01
end: 2024-06-30
actors:
  - code: USA
    name: United States
  - code: CHN
    name: China
events:
  - type: naval_deployment
    date: 2024-02-01
    actor: USA
    force_size: 2
  - type: sanctions
    date: 2024-03-01
    actor: CHN
    targets: [USA]
"""


def issues_of(excinfo: pytest.ExceptionInfo[ScenarioError]) -> list:
    return excinfo.value.issues


def lines_of(excinfo: pytest.ExceptionInfo[ScenarioError]) -> list[int]:
    return [i.line for i in excinfo.value.issues]


def load_broken(name: str, **kw):
    """Load a fixture by the relative name a user would type; issues must name it exactly."""
    return load_scenario(os.path.relpath(BROKEN / name), model=StandIn, **kw)


# --------------------------------------------------------------------------------------------
# Reading valid YAML
# --------------------------------------------------------------------------------------------


def test_valid_scenario_loads_from_text_bytes_and_file(tmp_path: Path) -> None:
    s1 = parse_scenario(VALID, model=StandIn)
    s2 = parse_scenario(VALID.encode("utf-8"), model=StandIn)
    path = tmp_path / "ok.yaml"
    path.write_text(VALID, encoding="utf-8")
    s3 = load_scenario(path, model=StandIn)
    s4 = load_scenario(str(path), model=StandIn)
    assert s1 == s2 == s3 == s4
    assert s1.events[0].date == dt.date(2024, 2, 1)


def test_plain_data_types_and_yaml12_scalars() -> None:
    text = (
        "d: 2024-05-01\nts: 2024-05-01 10:30:00\ni: 42\nneg: -7\nhex: 0x1F\nf: 2.5\ne: 1e3\n"
        "t: true\nF: False\nn: ~\nempty:\nyes_: yes\nno_: NO\non_: on\nsexa: 1:30\noct: 012\n"
        "q: '12'\nlst: [1, two]\n"
    )
    data, _ = read_yaml(text)
    assert type(data["d"]) is dt.date and data["d"] == dt.date(2024, 5, 1)
    assert data["ts"] == dt.datetime(2024, 5, 1, 10, 30)
    assert (data["i"], data["neg"], data["hex"]) == (42, -7, 31)
    assert (data["f"], data["e"]) == (2.5, 1000.0)
    assert data["t"] is True and data["F"] is False
    assert data["n"] is None and data["empty"] is None
    # YAML 1.1 surprises are plain strings here (Norway problem, base 60, implicit octal).
    assert (data["yes_"], data["no_"], data["on_"]) == ("yes", "NO", "on")
    assert data["sexa"] == "1:30" and data["oct"] == "012"
    assert data["q"] == "12" and data["lst"] == [1, "two"]


def test_utf8_bom_is_accepted() -> None:
    data, positions = read_yaml(b"\xef\xbb\xbfname: caf\xc3\xa9\n")
    assert data == {"name": "café"}
    assert positions[("name",)].line == 1


def test_positions_for_keys_values_and_items() -> None:
    data, pos = read_yaml(VALID)
    assert pos[()] == (2 - 1, 1)  # the root mapping starts at its first key
    assert pos.key_position(("events", 0, "date")) == (11, 5)
    assert pos[("events", 0, "date")] == (11, 11)
    assert pos[("events", 1)] == (14, 5)  # the mapping of a list item
    assert pos[("events", 1, "targets", 0)] == (17, 15)
    assert pos.key_position(("events", 1)) is None  # list items have no key
    assert ("events", 1, "nope") not in pos
    assert pos.nearest(("events", 1, "nope", 3)) == (("events", 1), (14, 5))
    assert len(pos) == len(list(pos)) > 20


def test_positions_follow_aliases_and_merge_keys() -> None:
    text = (
        "base: &b\n"
        "  actor: USA\n"
        "  force: 3\n"
        "copy: *b\n"
        "merged:\n"
        "  <<: *b\n"
        "  force: 4\n"
    )
    data, pos = read_yaml(text)
    assert data["copy"] == {"actor": "USA", "force": 3}
    assert data["merged"] == {"actor": "USA", "force": 4}  # explicit keys win over merged ones
    assert pos[("copy", "actor")] == (2, 10)  # where the aliased text is written
    assert pos.key_position(("merged", "actor")) == (2, 3)
    assert pos[("merged", "force")] == (7, 10)


def test_format_path() -> None:
    assert format_path(("events", 2, "date")) == "events[2].date"
    assert format_path(()) == ""
    assert format_path(["actors", "my actor", 0]) == "actors['my actor'][0]"
    assert format_path((3, "x")) == "[3].x"


# --------------------------------------------------------------------------------------------
# Broken files: each is a ScenarioError naming the file, with lines, reporting every issue
# --------------------------------------------------------------------------------------------


def test_syntax_error_is_located_and_keeps_earlier_issues() -> None:
    name = os.path.relpath(BROKEN / "syntax_error.yaml")
    with pytest.raises(ScenarioError) as exc:
        load_broken("syntax_error.yaml")
    text = str(exc.value)
    assert f"{name}:3:1: name: duplicate key 'name' (first at line 2)" in text
    assert f"{name}:6:9: YAML syntax error: unclosed '['" in text
    assert lines_of(exc) == [3, 6]
    assert "Traceback" not in text and "yaml." not in text


@pytest.mark.parametrize(
    ("text", "line", "col", "words"),
    [
        ("a: b: c\n", 1, 5, "unexpected ':'"),
        ("a:\n  b: 1\n c: 2\n", 3, 2, "bad indentation"),
        ("a: 'abc\nb: 2\n", 1, 4, "unclosed quote"),
        ("a: 1\nb\nc: 2\n", 2, 1, "no ':'"),
        ("a: 1\n- b\n", 2, 1, "list item"),
        ('a: "C:\\windows"\n', 1, 8, "use single quotes"),
        ("a: {x: 1\n", 1, 4, "unclosed '{'"),
        ("a:\n  - 1\n  b: 2\n", 3, 3, "found a new 'key: value' entry"),
    ],
)
def test_syntax_errors_are_human(text: str, line: int, col: int, words: str) -> None:
    with pytest.raises(ScenarioError) as exc:
        read_yaml(text, filename="pasted.yaml")
    (issue,) = issues_of(exc)
    assert (issue.file, issue.line, issue.col) == ("pasted.yaml", line, col)
    assert words in issue.message


def test_tab_indentation_names_the_line() -> None:
    name = os.path.relpath(BROKEN / "tab_indent.yaml")
    with pytest.raises(ScenarioError) as exc:
        load_broken("tab_indent.yaml")
    assert str(exc.value) == (
        f"{name}:5:1: YAML syntax error: tabs are not allowed for indentation; use spaces "
        "(line 5 starts with a tab)"
    )


def test_duplicate_keys_all_reported_at_second_occurrence() -> None:
    name = os.path.relpath(BROKEN / "duplicate_keys.yaml")
    with pytest.raises(ScenarioError) as exc:
        load_broken("duplicate_keys.yaml")
    assert [str(i) for i in issues_of(exc)] == [
        f"{name}:14:5: events[0].date: duplicate key 'date' (first at line 11)",
        f"{name}:19:1: start: duplicate key 'start' (first at line 2)",
    ]


def test_unknown_fields_and_unknown_event_type() -> None:
    name = os.path.relpath(BROKEN / "unknown_field.yaml")
    with pytest.raises(ScenarioError) as exc:
        load_broken("unknown_field.yaml")
    issues = issues_of(exc)
    assert all(i.file == name for i in issues)
    by_path = {i.path: i for i in issues}
    assert set(by_path) == {"horizon_days", "events[0].forse_size", "events[1].type"}
    top = by_path["horizon_days"]
    assert (top.line, top.col, top.message) == (4, 1, "unknown field 'horizon_days'")
    extra = by_path["events[0].forse_size"]
    assert (extra.line, extra.col) == (14, 5)  # at the key
    assert extra.message == "unknown field 'forse_size'; did you mean 'force_size'?"
    tag = by_path["events[1].type"]
    assert (tag.line, tag.col) == (15, 11)  # at the value of 'type'
    assert tag.message == ("unknown type 'navel_deployment'; did you mean 'naval_deployment'? "
                           "Allowed: naval_deployment, sanctions.")
    assert lines_of(exc) == sorted(lines_of(exc))


def test_wrong_types_all_reported_at_the_values() -> None:
    name = os.path.relpath(BROKEN / "wrong_type.yaml")
    with pytest.raises(ScenarioError) as exc:
        load_broken("wrong_type.yaml")
    got = [(i.file, i.line, i.col, i.path) for i in issues_of(exc)]
    assert got == [
        (name, 2, 8, "start"),
        (name, 11, 17, "events[0].force_size"),
        (name, 15, 14, "events[1].targets"),
    ]
    messages = [i.message for i in issues_of(exc)]
    assert "(got 'next week')" in messages[0]
    assert "valid integer" in messages[1] and "(got 'many')" in messages[1]
    assert "(got 'CHN')" in messages[2]


def test_missing_field_reported_at_the_mapping() -> None:
    text = VALID.replace("    force_size: 2\n", "").replace("    actor: CHN\n", "")
    with pytest.raises(ScenarioError) as exc:
        parse_scenario(text, "m.yaml", model=StandIn)
    (issue,) = issues_of(exc)
    assert str(issue) == "m.yaml:13:5: events[1].actor: missing required field 'actor'"


def test_model_validator_error_inside_union_member_is_located_at_item() -> None:
    text = VALID.replace("force_size: 2", "force_size: 0")
    with pytest.raises(ScenarioError) as exc:
        parse_scenario(text, model=StandIn)
    (issue,) = issues_of(exc)
    assert (issue.line, issue.path) == (13, "events[0].force_size")
    assert "greater than or equal to 1" in issue.message and "(got 0)" in issue.message


def test_semantic_issues_are_located() -> None:
    text = VALID.replace("actor: CHN", "actor: RUS").replace("2024-03-01", "2025-03-01")
    with pytest.raises(ScenarioError) as exc:
        parse_scenario(text, "s.yaml", model=StandIn)
    assert [str(i) for i in issues_of(exc)] == [
        "s.yaml:15:11: events[1].date: event is outside the scenario's horizon",
        "s.yaml:16:12: events[1].actor: unknown actor 'RUS'",
    ]


def test_semantic_issue_for_absent_field_points_at_its_mapping() -> None:
    class Strict(StandIn):
        def semantic_issues(self) -> list[tuple[tuple, str]]:
            return [(("events", 0, "source"), "give a source"), ((), "too few actors")]

    with pytest.raises(ScenarioError) as exc:
        parse_scenario(VALID, model=Strict)
    assert [(i.line, i.col, i.path) for i in issues_of(exc)] == [
        (1, 1, ""),
        (10, 5, "events[0].source"),
    ]


def test_validate_data_is_the_shared_core() -> None:
    data, positions = read_yaml(VALID, filename="core.yaml")
    assert validate_data(data, positions, "core.yaml", model=StandIn).name == "Strait crisis"
    with pytest.raises(ScenarioError, match=r"^core\.yaml:1:1: the top level must be a mapping"):
        validate_data([1], PositionMap({(): (1, 1)}), "core.yaml", model=StandIn)


def test_python_tags_never_execute(tmp_path: Path) -> None:
    sentinel = tmp_path / "pwned"
    source = (BROKEN / "python_tag.yaml").read_text(encoding="utf-8")
    path = tmp_path / "python_tag.yaml"
    path.write_text(source.replace("__SENTINEL__", str(sentinel)), encoding="utf-8")
    with pytest.raises(ScenarioError) as exc:
        load_scenario(path, model=StandIn)
    assert not sentinel.exists()
    assert [(i.line, i.path) for i in issues_of(exc)] == [(2, "name"), (4, "end"), (6, "payload")]
    assert issues_of(exc)[0].message.startswith(
        "tag !!python/object/apply:os.system is not allowed")
    assert all(i.file == str(path) for i in issues_of(exc))
    with pytest.raises(ScenarioError):  # the committed fixture itself, too
        load_broken("python_tag.yaml")
    assert not Path("__SENTINEL__").exists()


def test_other_tags_and_bad_scalars_are_located() -> None:
    text = "a: !foo 1\nb: !!set {x, y}\nc: !!binary aGk=\nd: !!str 12\ne: !!float abc\n"
    with pytest.raises(ScenarioError) as exc:
        read_yaml(text)
    msgs = [(i.line, i.message) for i in issues_of(exc)]
    assert msgs[0][0] == 1 and msgs[0][1].startswith("tag !foo is not allowed")
    assert msgs[1][0] == 2 and msgs[1][1].startswith("tag !!set is not allowed")
    assert msgs[2][0] == 3 and msgs[2][1].startswith("tag !!binary is not allowed")
    assert msgs[3] == (5, "'abc' is not a valid number")
    with pytest.raises(ScenarioError) as exc:
        read_yaml("a: !!int " + "9" * 5000 + "\nb:\n  <<: 5\n")
    assert [(i.line, i.message) for i in issues_of(exc)] == [
        (1, "'" + "9" * 39 + "…' is not a valid integer: too many digits"),
        (3, "a merge key '<<' takes a mapping (such as *base) or a list of mappings"),
    ]


def test_bad_values_undefined_and_recursive_aliases() -> None:
    name = os.path.relpath(BROKEN / "bad_values.yaml")
    with pytest.raises(ScenarioError) as exc:
        load_broken("bad_values.yaml")
    assert [str(i) for i in issues_of(exc)] == [
        f"{name}:2:8: start: '2024-02-30' is not a valid date (YYYY-MM-DD): "
        "day is out of range for month",
        f"{name}:3:6: end: 'soon' is not a valid integer",
        f"{name}:4:9: actors: alias '*nowhere' is used before any '&nowhere' anchor defines it",
        f"{name}:5:19: events[1]: alias '*loop' refers to a mapping or list that contains it; "
        "recursive structures are not allowed",
    ]


def test_alias_bomb_rejected_fast() -> None:
    start = time.perf_counter()
    with pytest.raises(ScenarioLimitError) as exc:
        load_broken("alias_bomb.yaml")
    assert time.perf_counter() - start < 10.0  # a hang guard, not a speed test (the machine may be loaded)
    assert isinstance(exc.value, LimitError) and isinstance(exc.value, ScenarioError)
    (issue,) = issues_of(exc)
    assert issue.file == os.path.relpath(BROKEN / "alias_bomb.yaml")
    assert issue.line == 7 and "more than 200,000 nodes" in issue.message


def test_too_many_aliases(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "a: &x 1\nb: [" + ", ".join(["*x"] * 101) + "]\n"
    with pytest.raises(ScenarioLimitError, match=r"<text>:2:\d+: b\[100\]: too many aliases"):
        read_yaml(text)
    read_yaml(text.replace("*x, ", "", 1))  # exactly 100 is fine


def test_enormous_file_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    path.write_bytes(b"a: " + b"x" * yaml_source.MAX_BYTES + b"\n")
    with pytest.raises(ScenarioLimitError) as exc:
        load_scenario(path, model=StandIn)
    assert str(exc.value) == (f"{path}: file is too large: {yaml_source.MAX_BYTES + 4:,} bytes "
                              f"(the limit is {yaml_source.MAX_BYTES:,} bytes)")
    sparse = tmp_path / "sparse.yaml"
    with open(sparse, "wb") as handle:
        handle.truncate(8 * 1024**3)  # 8 GiB, sparse: reading it would take far too long
    start = time.perf_counter()
    with pytest.raises(ScenarioLimitError, match="file is too large: 8,589,934,592 bytes"):
        load_scenario(sparse, model=StandIn)
    assert time.perf_counter() - start < 10.0  # a hang guard, not a speed test (the machine may be loaded)


def test_size_limit_applies_to_text_and_is_configurable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yaml_source, "MAX_BYTES", 64)
    read_yaml("a: " + "x" * 60)
    with pytest.raises(ScenarioLimitError, match=r"^up\.yaml: file is too large: 65 bytes"):
        read_yaml("a: " + "x" * 62, filename="up.yaml")
    with pytest.raises(ScenarioLimitError, match="too large"):
        read_yaml(("a: " + "é" * 31).encode())


@pytest.mark.parametrize("flow", [False, True])
def test_deep_nesting_refused(tmp_path: Path, flow: bool) -> None:
    depth = yaml_source.MAX_DEPTH + 1
    if flow:
        text = "a: " + "[" * 5000 + "]" * 5000 + "\n"
    else:
        text = "".join(" " * (2 * i) + f"k{i}:\n" for i in range(depth)) + " " * 2 * depth + "1\n"
    path = tmp_path / "deep.yaml"
    path.write_text(text, encoding="utf-8")
    start = time.perf_counter()
    with pytest.raises(ScenarioLimitError) as exc:
        load_scenario(path, model=StandIn)
    assert time.perf_counter() - start < 10.0  # a hang guard, not a speed test (the machine may be loaded)
    (issue,) = issues_of(exc)
    assert issue.file == str(path) and issue.line >= 1
    assert f"more than {yaml_source.MAX_DEPTH} levels" in issue.message


def test_deep_nesting_through_aliases_refused() -> None:
    lines = ["l0: &l0 [1]"]
    for i in range(1, 12):
        lines.append(f"l{i}: &l{i} [[[[[[*l{i - 1}]]]]]]")
    with pytest.raises(ScenarioLimitError, match="nests more than 50 levels"):
        read_yaml("\n".join(lines) + "\n")
    read_yaml("\n".join(lines[:8]) + "\n")  # 43 levels: fine


def test_non_utf8_bytes_located() -> None:
    name = os.path.relpath(BROKEN / "non_utf8.yaml")
    with pytest.raises(ScenarioError) as exc:
        load_broken("non_utf8.yaml")
    assert str(exc.value) == (f"{name}:3:17: file is not valid UTF-8 text (byte 0xe9 at line 3, "
                              "column 17); save it as UTF-8")


def test_utf16_and_control_characters() -> None:
    with pytest.raises(ScenarioError, match="UTF-16"):
        read_yaml("a: 1\n".encode("utf-16"))
    with pytest.raises(ScenarioError) as exc:
        read_yaml("a: \x01\nb: ok\nc: \x7f\n")
    assert [(i.line, i.col) for i in issues_of(exc)] == [(1, 4), (3, 4)]
    assert "U+0001" in issues_of(exc)[0].message


def test_directory_missing_empty_and_list(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match=rf"^{tmp_path}: is a directory"):
        load_scenario(tmp_path, model=StandIn)
    missing = tmp_path / "nope.yaml"
    with pytest.raises(ScenarioError, match=rf"^{missing}: file not found$"):
        load_scenario(missing, model=StandIn)
    empty = os.path.relpath(BROKEN / "empty.yaml")
    with pytest.raises(ScenarioError, match=rf"^{empty}: file is empty"):
        load_broken("empty.yaml")
    with pytest.raises(ScenarioError, match=r"^<text>: file is empty"):
        read_yaml("# only a comment\n")
    top = os.path.relpath(BROKEN / "top_level_list.yaml")
    with pytest.raises(ScenarioError) as exc:
        load_broken("top_level_list.yaml")
    assert str(exc.value) == (f"{top}:1:1: the top level must be a mapping of fields "
                              "(such as 'id: ...'), but it is a list")


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads anything")
def test_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "secret.yaml"
    path.write_text("a: 1\n")
    path.chmod(0)
    with pytest.raises(ScenarioError, match="permission denied"):
        load_scenario(path, model=StandIn)


def test_unreadable_file_simulated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "secret.yaml"
    path.write_text("a: 1\n")

    def deny(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(yaml_source, "open", deny, raising=False)
    with pytest.raises(ScenarioError) as exc:
        load_scenario(path, model=StandIn)
    assert str(exc.value) == f"{path}: cannot read file: permission denied"


def test_multiple_documents() -> None:
    name = os.path.relpath(BROKEN / "multiple_documents.yaml")
    with pytest.raises(ScenarioError, match=rf"^{name}:3:1: the file holds more than one"):
        load_broken("multiple_documents.yaml")


def test_text_source_is_never_a_path() -> None:
    with pytest.raises(ScenarioError, match="but it is a single value"):
        read_yaml(str(BROKEN / "duplicate_keys.yaml"))


def test_errors_are_flashpoint_errors_with_no_traceback_text() -> None:
    with pytest.raises(FlashpointError) as exc:
        parse_scenario("a: [\n", "x.yaml", model=StandIn)
    assert str(exc.value).startswith("x.yaml:2:1: YAML syntax error:")


# --------------------------------------------------------------------------------------------
# Property: any input either reads or raises ScenarioError
# --------------------------------------------------------------------------------------------

# YAML-ish fragments: far likelier than random text to reach anchors, merges, tags and errors.
YAMLISH = st.lists(
    st.sampled_from(
        list("ab01: -[]{},&*!|>'\"#%@`?~<.\n\n  \t\r\\é\x00")
        + ["<<", "&a ", "*a", "!!str ", "!!python/name:x ", "---\n", "2024-02-30", "- ", ": ",
           "\n  ", "? "]
    ),
    max_size=50,
).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(max_size=200), YAMLISH, st.binary(max_size=120)))
def test_read_yaml_never_raises_anything_else(source: str | bytes) -> None:
    try:
        data, positions = read_yaml(source)
    except ScenarioError as exc:
        assert exc.issues and all(i.file == "<text>" for i in exc.issues)
    else:
        assert isinstance(data, dict) and isinstance(positions, PositionMap)


@settings(max_examples=150, deadline=None)
@given(YAMLISH)
def test_parse_scenario_never_raises_anything_else(text: str) -> None:
    try:
        parse_scenario("name: x\nstart: 2024-01-01\nend: 2024-02-01\n" + text, model=StandIn)
    except ScenarioError as exc:
        assert exc.issues


# --------------------------------------------------------------------------------------------
# With the real schema (skipped until sim.scenario.schema exists)
# --------------------------------------------------------------------------------------------

SCENARIOS = sorted((Path(__file__).parent.parent / "scenarios").glob("*.yaml"))


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.name for p in SCENARIOS])
def test_shipped_scenarios_load_with_real_schema(path: Path) -> None:
    pytest.importorskip("sim.scenario.schema")
    assert load_scenario(path) is not None


def test_real_schema_errors_are_located(tmp_path: Path) -> None:
    pytest.importorskip("sim.scenario.schema")
    text = (
        "id: t\ntitle: T\ndata_year: 2022\n"
        "briefing: {period: now, question: what, summary: s}\n"
        "calendar: {start: 2024-06-10, step: week, horizon: 4}\n"
        "actors:\n  - code: USA\n  - code: RUS\n"
        "events:\n"
        "  - type: statment\n    date: 2024-06-12\n    actor: USA\n"
        "  - type: statement\n    date: 2025-06-12\n    actor: USA\n    targets: [RUS]\n"
        "    kind: condemn\n"
    )
    path = tmp_path / "real.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ScenarioError) as exc:
        load_scenario(path)
    first = issues_of(exc)[0]
    assert (first.line, first.path) == (10, "events[0].type")
    assert "did you mean 'statement'?" in first.message
    fixed = text.replace("statment", "statement").replace(
        "actor: USA\n  - type", "actor: USA\n    targets: [RUS]\n    kind: condemn\n  - type")
    path.write_text(fixed, encoding="utf-8")
    with pytest.raises(ScenarioError) as exc:
        load_scenario(path)
    (issue,) = issues_of(exc)
    assert (issue.line, issue.path) == (16, "events[1].date")
    assert "outside the horizon" in issue.message
