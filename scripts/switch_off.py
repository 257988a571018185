"""Switch off each named mechanism in turn and run the pattern tests: every one must fail a test.

For each name of :data:`sim.model.switches.SUBMODELS` it runs ``pytest`` on the pattern tests
(tests/test_patterns.py, the mechanism tests of tests/test_mechanisms.py and
tests/test_credibility_mechanisms.py, the held disposition of tests/test_support_resolve.py and the
friends-and-rivals test of tests/test_model.py) with the
environment variable ``FLASHPOINT_SWITCH_OFF=<name>``, records the tests that fail (tests that
already fail with every mechanism on are run first and left out), writes
``docs/validation-data/switch_off.json`` (mechanism → failed tests) and prints a table. A
mechanism whose switch-off fails no test does not earn its place (exit status 1).

Usage: ``python scripts/switch_off.py [--first] [--only NAME ...]`` (``--first``: stop each run at
its first failure, which is enough to show that the mechanism matters and much faster; ``--only``:
re-measure the named mechanisms and keep the others' rows of the existing table).
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
TESTS = ["tests/test_mechanisms.py", "tests/test_credibility_mechanisms.py", "tests/test_patterns.py", "tests/test_support_resolve.py", "tests/test_model.py::test_top_threat_at_the_start_is_a_rival_or_adversary_never_a_formal_ally"]


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
    ap.add_argument("--only", action="append", default=[], metavar="NAME",
                    help="re-measure only this mechanism (repeatable); the others are kept from the existing table")
    a = ap.parse_args()
    unknown = sorted(set(a.only) - set(SUBMODELS))
    if unknown:
        ap.error(f"unknown mechanism(s) {', '.join(unknown)} (known: {', '.join(SUBMODELS)})")
    out = ROOT / "docs" / "validation-data" / "switch_off.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    old = json.loads(out.read_text(encoding="utf-8")) if a.only and out.exists() else {}
    if old and old.get("first_failure_only") == a.first:
        baseline = old.get("failing_with_everything_on", [])
        result: dict[str, list[str]] = {k: v for k, v in old.get("failed", {}).items() if k in SUBMODELS}
    else:  # tests failing with everything on are left out of the comparison
        baseline, result = failed_tests("", False), {}
    names = a.only or list(SUBMODELS)
    for name in track(names, description="switching off"):
        result[name] = failed_tests(name, a.first, baseline)
        out.write_text(json.dumps({"first_failure_only": a.first, "failing_with_everything_on": baseline,
                                   "failed": result}, indent=1) + "\n")  # written as it goes
    result = {name: result[name] for name in SUBMODELS if name in result}
    out.write_text(json.dumps({"first_failure_only": a.first, "failing_with_everything_on": baseline,
                               "failed": result}, indent=1) + "\n")
    table = Table("mechanism switched off", "what it removes", "failed tests")
    for name, tests in result.items():
        table.add_row(name, SUBMODELS[name], "\n".join(t.split("::")[-1] for t in tests) or "NONE")
    Console().print(table)
    return 0 if all(result.values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
