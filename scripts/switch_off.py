"""Switch off each named mechanism in turn and run the pattern tests: every one must fail a test.

For each name of :data:`sim.model.switches.SUBMODELS` it runs ``pytest`` on the pattern tests
(tests/test_patterns.py, the mechanism tests of tests/test_mechanisms.py and the
friends-and-rivals test of tests/test_model.py) with the
environment variable ``FLASHPOINT_SWITCH_OFF=<name>``, records the tests that fail (tests that
already fail with every mechanism on are run first and left out), writes
``docs/validation-data/switch_off.json`` (mechanism → failed tests) and prints a table. A
mechanism whose switch-off fails no test does not earn its place (exit status 1).

Usage: ``python scripts/switch_off.py [--first]`` (``--first``: stop each run at its first
failure, which is enough to show that the mechanism matters and much faster).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
from pathlib import Path

from rich.console import Console
from rich.progress import track
from rich.table import Table

from sim.model.switches import ENV_VAR, SUBMODELS

ROOT = Path(__file__).resolve().parent.parent
TESTS = ["tests/test_mechanisms.py", "tests/test_patterns.py", "tests/test_model.py::test_top_threat_at_the_start_is_a_rival_or_adversary_never_a_formal_ally"]


def failed_tests(name: str, first: bool, skip: list[str] = ()) -> list[str]:
    """The tests that fail with mechanism ``name`` switched off ("" for none), ``skip`` deselected."""
    env = {k: v for k, v in os.environ.items() if k != ENV_VAR}
    if name:
        env[ENV_VAR] = name
    cmd = [sys.executable, "-m", "pytest", *TESTS, "-q", "-p", "no:cacheprovider", "-rf"] + (["-x"] if first else [])
    for t in skip:
        cmd += ["--deselect", t]
    out = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True).stdout
    return sorted(set(re.findall(r"^FAILED (\S+?)(?: - .*)?$", out, flags=re.M)))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--first", action="store_true", help="stop each run at its first failing test")
    a = ap.parse_args()
    baseline = failed_tests("", False)  # tests failing with everything on are left out of the comparison
    out = ROOT / "docs" / "validation-data" / "switch_off.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    result: dict[str, list[str]] = {}
    for name in track(list(SUBMODELS), description="switching off"):
        result[name] = failed_tests(name, a.first, baseline)
        out.write_text(json.dumps({"first_failure_only": a.first, "failing_with_everything_on": baseline,
                                   "failed": result}, indent=1) + "\n")  # written as it goes
    table = Table("mechanism switched off", "what it removes", "failed tests")
    for name, tests in result.items():
        table.add_row(name, SUBMODELS[name], "\n".join(t.split("::")[-1] for t in tests) or "NONE")
    Console().print(table)
    return 0 if all(result.values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
