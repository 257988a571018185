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
from sim.scenario.loader import load_scenario
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
