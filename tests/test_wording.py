"""Texts that users read: cost estimates at every scale, and the pairing line of a comparison."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from app_support.plainwords import plain
from sim.analysis import compare_results
from sim.api import load_scenario
from sim.ensemble import run_ensemble
from sim.ensemble.budget import Estimate

FOUNDING = Path(__file__).resolve().parent.parent / "scenarios" / "korea-russia-2024.yaml"
WALL = r"(under a second|about \d+ s|about \d+ min|about \d+\.\d h|about \d+\.\d days)"


@pytest.mark.parametrize("seconds", [0.0, 0.004, 0.5, 0.999, 1.0, 1.4, 59, 89.4, 90, 3000, 5399, 5400, 7200,
                                     47 * 3600, 48 * 3600, 10 * 86400])
@pytest.mark.parametrize("workers", [1, 2, 16])
def test_an_estimate_reads_as_a_sentence_at_every_scale(seconds, workers):
    est = Estimate(cpu_seconds=seconds * workers, wall_seconds=seconds, memory_bytes=3 * 2**20, workers=workers,
                   what="200 runs")
    text = est.text()
    worker = "1 worker" if workers == 1 else f"{workers} workers"
    assert re.fullmatch(rf"200 runs: {WALL} on {worker} and 3\.0 MB of memory", text), text
    assert "about under" not in text and "(s)" not in text
    assert text.startswith("200 runs: under a second") == (seconds < 1)


@pytest.fixture(scope="module")
def same_twice():
    """The baseline compared with itself: every run of a pair is the same run, every difference is 0."""
    base = run_ensemble(load_scenario(FOUNDING), runs=12, seed=3, executor="inprocess")
    return compare_results(base, [base])


def test_perfect_pairing_is_said_in_words_not_as_an_infinite_factor(same_twice):
    summary = same_twice.correlation_summary()
    assert summary and all(v["median_variance_reduction"] == float("inf") for v in summary.values())
    text = same_twice.summary_text()
    assert "inf" not in text.lower()
    assert "common random numbers pair the runs exactly" in text
    assert "cut the variance" not in text


def test_the_students_view_drops_the_pairing_line_in_either_form(same_twice):
    text = same_twice.summary_text()
    assert "Pairing:" in text
    assert "Pairing" not in plain(text) and "random numbers" not in plain(text)
    sentence = "Both moved together; common random numbers pair the runs exactly: no variance is left."
    assert plain(sentence) == "Both moved together."
    assert plain("Tension rose; common random numbers cut the variance of the differences 23.2×.") == "Tension rose."
