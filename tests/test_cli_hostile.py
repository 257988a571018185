"""Hostile user text in the terminal: printed as text, control characters made visible, no forged lines."""

from __future__ import annotations

import re

import pytest
import yaml
from typer.testing import CliRunner

from sim.cli.main import app
from sim.cli.text import error_text, plain, safe
from sim.errors import Issue, ScenarioError
from tests.conftest import FOUNDING

runner = CliRunner()

ESC_LINK = "\x1b]8;;http://evil.example\x07click\x1b]8;;\x07"
HOSTILE = f"[/bold][red]Pwn[/red] {ESC_LINK} \x1b[2J \u202eevil\u202c \x9b31m"
FORGED = "x\nforged.yaml:1:1: ok"


def raw_controls(s: str) -> list[str]:
    """Control/bidi characters that reached the output raw (newlines between lines are fine)."""
    return [c for c in s if (ord(c) < 0x20 and c not in "\n") or 0x7f <= ord(c) < 0xa0 or c in "\u202e\u202c\u2066\u2069"]


@pytest.fixture(scope="module")
def hostile_file(tmp_path_factory):
    d = yaml.safe_load(FOUNDING.read_text(encoding="utf-8"))
    d["title"] = "T " + HOSTILE
    d["briefing"]["question"] = "Q " + HOSTILE
    d["actors"][0].setdefault("overrides", {})["name"] = "[/b]\x1b"
    for ev in d["events"]:
        ev["description"] = "D " + HOSTILE
    v = d["variants"][0]
    v["title"] = "V " + HOSTILE
    v["description"] = "VD " + HOSTILE
    p = tmp_path_factory.mktemp("hostile") / "hostile.yaml"
    p.write_text(yaml.safe_dump(d, allow_unicode=True), encoding="utf-8")
    return p, v["name"]


def check(res):
    out = res.stdout + (res.stderr or "")
    assert "Traceback" not in out and "internal error" not in out and "MarkupError" not in out, out
    assert raw_controls(out) == [], out
    return out


def test_plain_and_safe_make_controls_visible_and_markup_inert():
    assert plain("a\x1bb\u202ec\nd\x9b") == "a\\x1bb\\u202ec\\x0ad\\x9b"
    assert plain("Côte d’Ivoire – Ελλάδα") == "Côte d’Ivoire – Ελλάδα"  # printable text is untouched
    assert safe("[/bold]") == "\\[/bold]"


def test_an_issue_with_a_newline_cannot_forge_an_ok_line():
    err = ScenarioError([Issue(file="f.yaml", line=3, col=5, path="variants.x", message=f"unknown key '{FORGED}'")])
    lines = error_text(err).split("\n")
    assert len(lines) == 1 and lines[0].startswith("f.yaml:3:5:")


@pytest.mark.parametrize("command", [["describe"], ["run"], ["run", "--explain"], ["validate"]])
def test_single_run_commands_print_hostile_text_as_text(hostile_file, command):
    path, _ = hostile_file
    res = runner.invoke(app, [command[0], str(path), *command[1:]])
    out = check(res)
    assert res.exit_code == 0, out
    if command[0] != "validate":
        assert "[/bold][red]Pwn[/red]" in out  # the brackets are shown, not applied
    if command[0] == "describe":
        assert "[/b]\\x1b" in out  # the actor's name: brackets shown, ESC made visible
    assert "\\x1b" in out  # the escapes are visible


def test_ensemble_and_compare_print_hostile_text_as_text(hostile_file):
    path, name = hostile_file
    res = runner.invoke(app, ["ensemble", str(path), "-n", "3", "-e", "inprocess", "--variant", name])
    out = check(res)
    assert res.exit_code == 0, out and "[/bold][red]Pwn[/red]" in out
    res = runner.invoke(app, ["compare", str(path), "-n", "3", "-e", "inprocess", "--variant", name])
    out = check(res)
    assert res.exit_code == 0, out
    assert "[/bold][red]Pwn[/red]" in out


def test_a_variant_name_with_a_newline_cannot_forge_a_line(hostile_file):
    path, _ = hostile_file
    res = runner.invoke(app, ["run", str(path), "--variant", FORGED])
    out = check(res)
    assert res.exit_code == 1
    assert not re.search(r"^forged\.yaml:1:1: ok", out, re.M), out
