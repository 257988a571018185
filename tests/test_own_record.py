"""A dyad's own MID record, the yardstick for a dyad its type's reference does not describe (docs/validation.md §6)."""

from __future__ import annotations

from pathlib import Path

from sim import load_scenario
from sim.validation.credibility import own_record

ROOT = Path(__file__).resolve().parents[1]


def test_north_korea_japan_record_is_a_rare_use_of_force_not_a_dispute_in_course():
    """1952–1989 (both states, post-war window): two new uses of force in 38 years, far from the 78.6% of disputes in course."""
    rec = own_record(load_scenario(ROOT / "scenarios" / "korea-russia-2024.yaml"), ["PRK–JPN", "PRK–USA"])
    pj = rec["PRK–JPN"]
    assert (pj["first"], pj["last"], pj["years"]) == (1952, 1989, 38)
    assert pj["force"] == 2 and pj["lo"] < pj["p"] < pj["hi"] < 0.786 / 2
    # the same dyad type's other rival, North Korea–US, used force far more often in those years
    assert rec["PRK–USA"]["force"] > 3 * pj["force"]
    assert set(rec) == {"PRK–JPN", "PRK–USA"}


def test_window_is_the_fifty_years_before_a_pre_war_data_year():
    rec = own_record(load_scenario(ROOT / "scenarios" / "july-crisis-1914.yaml"))
    assert rec["GMY–FRN"]["first"] == 1864 and rec["GMY–FRN"]["last"] == 1913
    assert rec["AUH–SRB"]["first"] == 1878  # Serbia enters the system in 1878
