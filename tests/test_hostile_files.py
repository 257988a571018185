"""A sweep of malformed and hostile scenario files: each is rejected with located messages or runs.

Hundreds of files are generated from a small valid scenario by (a) replacing a value anywhere in the
document with a hostile one (wrong types, booleans, timestamps, huge or non-finite numbers, markup
and control text, far dates, lists and mappings), (b) deleting or renaming a key, and (c) splicing
hostile YAML text into a line. For every file the loader must either raise ``ScenarioError`` whose
every issue names the file and a line inside it, or return a scenario that then runs (baseline and
every variant) without any other exception — and nothing may take long (an alarm turns a hang into
a failure).
"""

from __future__ import annotations

import copy
import datetime as dt
import signal
import time
from contextlib import contextmanager

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim.errors import FlashpointError, ScenarioError
from sim.scenario.loader import parse_scenario

BASE_TEXT = """\
id: hostile-base
title: A small crisis
briefing:
  summary: Three states and four events.
  question: Does it escalate?
  sources:
    - {title: A source, url: "https://example.org"}
data_year: 2022
calendar: {start: 2024-01-01, step: week, horizon: 5}
actors:
  - code: USA
    doctrine: liberal
  - code: RUS
    modifiers: [hawkish]
  - code: CUB
    overrides: {resolve: 0.6, cinc: 0.001}
relations:
  trade:
    - {between: [USA, CUB], value: 0.1}
  tensions:
    - {between: [USA, RUS], value: 3}
  sanctions:
    - {by: USA, targets: [RUS], severity: 0.7}
events:
  - id: visit
    type: naval_deployment
    date: 2024-01-10
    actor: RUS
    partners: [CUB]
    near: [USA]
    force_size: 1.5
  - id: warning
    type: statement
    step: 1
    actor: USA
    targets: [RUS]
    kind: threaten
  - id: pact
    type: defense_pact
    date: 2024-01-20
    actor: RUS
    parties: [CUB]
    strength: 0.6
  - type: sanctions
    step: 3
    actor: USA
    targets: [CUB]
    severity: 0.4
parameters:
  threat: {power_exponent: 1.2}
  ladder: {settlement_drop: 2}
variants:
  - name: bigger
    change_events:
      - id: visit
        set: {force_size: 4, duration_weeks: 2}
    actors:
      USA: {doctrine: realist, overrides: {resolve: 0.9}}
    parameters: {ladder: {deescalation_rate: 0.05}}
  - name: calm
    remove_events: [warning]
    add_events:
      - {id: talks, type: summit, step: 2, actor: USA, partners: [RUS]}
    lens: liberal
uncertainties:
  - {parameter: threat.power_exponent, low: 0.5, high: 1.5}
"""
BASE = yaml.safe_load(BASE_TEXT)
N_LINES = BASE_TEXT.count("\n")

HOSTILE_VALUES = [
    True, False, None, 0, -1, 1.5, -0.0, 10**30, -(10**30), 1e308, float("nan"), float("inf"),
    "", " ", "x" * 5000, "[/bold]red[bold]", "\x1b[31mred\x1b]8;;http://x\x07", "\u202eevil",
    "<script>alert(1)</script>", "../../etc/passwd", "USA", "ZZZ", "baseline", "e1", "2024-01-03",
    dt.date(1, 1, 1), dt.date(9999, 12, 31), dt.date(2023, 12, 31), dt.datetime(2024, 1, 2, 3, 4),
    1717977600, [], [None], ["USA", "USA"], {}, {"type": "statement"}, {"x": [1, {"y": 2}]},
]

SNIPPETS = [
    "&a [*a]", "*undefined", "!!python/object/apply:os.system ['echo pwned']", "!!binary aGk=",
    "{", "[", "'", '"\\x"', "\t", "<<: 5", "? [a, b]", "--- ", "... ", "%YAML 1.1", "&x 1",
    "!custom 3", "0x" + "f" * 400, "9" * 2000, "~", "2024-02-30", "1:30", ".nan", "-.inf",
    "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
    "{a: 1, a: 2}", "\u0000", "\ufeff", "é\u0301", "- - -", "!!int", "!!float", "!!timestamp",
    "!!bool", "!!int ''", "!!null x", "!!str", "!!map", "!!seq",
]


def _paths(node, prefix=()):
    """Every path (to mappings, lists and scalars) of the plain data ``node``."""
    yield prefix
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _paths(v, (*prefix, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _paths(v, (*prefix, i))


PATHS = [p for p in _paths(BASE) if p]


class _Hang(Exception):
    pass


@contextmanager
def _deadline(seconds: int):
    """Fail (instead of hanging the suite) if the body runs longer than ``seconds``."""
    def on_alarm(signum, frame):
        raise _Hang(f"took longer than {seconds} s")

    old = signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def _set(data, path, value):
    node = data
    for seg in path[:-1]:
        node = node[seg]
    node[path[-1]] = value


def _delete(data, path):
    node = data
    for seg in path[:-1]:
        node = node[seg]
    del node[path[-1]]


def check(text: str, name: str = "hostile.yaml") -> str:
    """Load ``text``; a rejection must be located, an acceptance must run. Returns the outcome."""
    lines = text.count("\n") + 1
    start = time.perf_counter()
    with _deadline(60):
        try:
            sc = parse_scenario(text, name)
        except ScenarioError as exc:
            assert exc.issues
            for issue in exc.issues:
                assert issue.file == name
                assert issue.message and "Traceback" not in issue.message
                assert "pydantic" not in issue.message.lower() and "errors.pydantic.dev" not in issue.message
                assert 0 <= issue.line <= lines
                if issue.line == 0:  # only whole-file problems are unlocated
                    assert issue.message.startswith(("file is", "the top level")), str(issue)
            outcome = "rejected"
        else:
            from sim.model.result import run_scenario

            for variant in [None, *sc.variant_names()]:
                try:
                    run_scenario(sc, seed=1, variant=variant, record="summary")
                except FlashpointError as exc:  # allowed only as a clear, user-facing error
                    assert str(exc) and "Traceback" not in str(exc)
            outcome = "ran"
    assert time.perf_counter() - start < 60
    return outcome


def test_the_base_scenario_runs() -> None:
    assert check(BASE_TEXT) == "ran"


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(path=st.sampled_from(PATHS), value=st.sampled_from(HOSTILE_VALUES))
def test_hostile_value_anywhere(path, value) -> None:
    data = copy.deepcopy(BASE)
    _set(data, path, value)
    check(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(path=st.sampled_from(PATHS), how=st.sampled_from(["delete", "rename", "typo"]))
def test_missing_or_misspelt_key(path, how) -> None:
    data = copy.deepcopy(BASE)
    parent = data
    for seg in path[:-1]:
        parent = parent[seg]
    key = path[-1]
    if how == "delete" or not isinstance(parent, dict):
        _delete(data, path)
    else:
        parent[f"{key}x" if how == "typo" else "zz_unknown"] = parent.pop(key)
    check(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(line=st.integers(0, N_LINES - 1), snippet=st.sampled_from(SNIPPETS),
       where=st.sampled_from(["replace-value", "append", "new-line"]))
def test_hostile_yaml_text_spliced_in(line, snippet, where) -> None:
    lines = BASE_TEXT.split("\n")
    target = lines[line]
    if where == "replace-value" and ": " in target:
        key = target.split(": ", 1)[0]
        lines[line] = f"{key}: {snippet}"
    elif where == "append":
        lines[line] = target + snippet
    else:
        lines.insert(line, snippet)
    check("\n".join(lines))


@pytest.mark.parametrize("text", [
    "a: &a [*a, *a]\n" * 2,
    "x: &x " + "[" * 40 + "]" * 40 + "\n" + "y: [" + ", ".join(["*x"] * 90) + "]\n",
    "".join(f"k{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]\n" if i else "k0: &a0 [lol]\n"
            for i in range(10)),
    BASE_TEXT.replace("horizon: 5", "horizon: 2000").replace("step: week", "step: day"),
    BASE_TEXT.replace("variants:\n", "variants:\n" + "".join(f"  - name: v{i}\n    lens: realist\n" for i in range(48))),
])
def test_large_or_explosive_documents(text) -> None:
    check(text)


@pytest.mark.parametrize("tag", ["!!int", "!!float", "!!bool", "!!timestamp"])
def test_explicitly_tagged_empty_or_wrong_scalars(tag) -> None:
    """``a: !!int`` with nothing after it was an IndexError traceback."""
    text = BASE_TEXT.replace("data_year: 2022", f"data_year: {tag}")
    with pytest.raises(ScenarioError) as exc:
        parse_scenario(text, "t.yaml")
    assert exc.value.issues[0].line == 8 and "is not a valid" in exc.value.issues[0].message
