"""The founding scenario's scripted events move the dyads they name (issue "A credible model", events matter).

North Korea–Japan is named by the scenario's missile launch of 26 June 2024 (a show of force toward
Japan, Goldstein −7.2, rung 4) as well as Japan's condemnation. A condemnation alone (rung 1,
Goldstein −2) cannot move a dyad that sanctions already hold at rung 3 with a floor of hostility
above what the statement adds; the launch can: it puts the dyad at display (Kahn's rung 4).
"""

from __future__ import annotations

from pathlib import Path

from sim import load_scenario
from sim.validation.credibility import events_matter

ROOT = Path(__file__).resolve().parents[1]


def test_missile_launch_keeps_north_korea_and_japan_longer_at_display():
    """Paired against the quiet variant, the share of weeks PRK–JPN spends at display rises, interval above zero.

    Over 500 paired runs the rise is about +10 points [+8, +12] (seeds 0–3); 300 runs keep the
    interval well above zero for any seed.
    """
    sc = load_scenario(ROOT / "scenarios" / "korea-russia-2024.yaml")
    e = events_matter(sc, 300, seed=11, executor="inprocess")
    row = next(r for r in e["dyads"] if r["dyad"] == "PRK–JPN")
    assert row["role"] == "hostile"
    assert row["time_display"]["lo"] > 0, row["time_display"]
    assert row["mean"]["lo"] > 0, row["mean"]
