"""How current an ATOP tie is in a given year: the documented weighting rule (docs/data.md).

ATOP records an obligation for as long as the treaty is formally in force, so a 1986 friendship
treaty between Cuba and North Korea weighs as much in 2022 as the US–Japan alliance. This module
turns an ATOP tie into a *currency weight* in [0, 1] from what the data can show:

* **recency** — years since the pair's obligations last changed (a new or amended treaty):
  ``1`` up to :data:`GRACE_YEARS`, then halving every :data:`HALF_LIFE_YEARS`;
* **maintenance** — evidence that an old tie is still kept up: the partners still vote together
  at the UN (ideal-point gap at most :data:`ALIGNED_GAP`, none at :data:`OPPOSED_GAP` or more,
  linear between; 1 when either has no votes, e.g. before 1946) *and* one of them can act for the
  other (a politically relevant pair in Lemke & Reed's sense — a major power, or contiguous —
  or capitals within :data:`NEAR_KM`, none beyond :data:`FAR_KM`, linear between);
* **ended** — a small table of terminations after ATOP's last year (:data:`ENDED_AFTER_ATOP`).

``weight = 0`` for an ended tie, else ``max(recency, alignment × reach)``. A tie is *dormant* when
``weight < DORMANT_BELOW``. Pure functions; no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "ALIGNED_GAP",
    "DORMANT_BELOW",
    "ENDED_AFTER_ATOP",
    "FAR_KM",
    "GRACE_YEARS",
    "HALF_LIFE_YEARS",
    "NEAR_KM",
    "OPPOSED_GAP",
    "Currency",
    "currency",
    "tie_history",
]

GRACE_YEARS = 10
HALF_LIFE_YEARS = 10.0
ALIGNED_GAP = 2.0
OPPOSED_GAP = 3.5
NEAR_KM = 3000.0
FAR_KM = 8000.0
DORMANT_BELOW = 0.5

#: Ties ATOP (to 2018) still shows but which ended later: (ccode, ccode) sorted -> (year, why).
ENDED_AFTER_ATOP: dict[tuple[int, int], tuple[int, str]] = {
    (365, 369): (
        2019,
        "Ukraine did not renew the 1997 Russia–Ukraine Treaty of Friendship, Cooperation and "
        "Partnership (law of 6 December 2018); it expired on 1 April 2019",
    ),
}


@dataclass(frozen=True, slots=True)
class Currency:
    """The currency of one tie in one year.

    Attributes:
        since: First year of the unbroken run of years with any obligation (up to the ATOP year).
        renewed: Last year the pair's obligations changed within that run (new or amended treaty).
        recency: 0–1 factor from the years since ``renewed``.
        alignment: 0–1 factor from the UN ideal-point gap (1 when unknown).
        reach: 0–1 factor from major-power status, contiguity and capital distance.
        weight: ``0`` if ended, else ``max(recency, alignment * reach)``.
        ended: Year the tie ended after ATOP's last year, or None.
        note: One sentence saying why the weight is what it is.
    """

    since: int
    renewed: int
    recency: float
    alignment: float
    reach: float
    weight: float
    ended: int | None
    note: str

    @property
    def dormant(self) -> bool:
        """True when the weight is below :data:`DORMANT_BELOW`."""
        return self.weight < DORMANT_BELOW


def tie_history(masks_by_year: dict[int, int], atop_year: int) -> tuple[int, int]:
    """``(since, renewed)`` of the run of obligation years ending at ``atop_year``.

    Args:
        masks_by_year: The pair's OR-ed ATOP obligation bit mask per year (both directions).
        atop_year: The ATOP year the tie is read from; its mask must be non-zero.
    """
    now = masks_by_year.get(atop_year, 0)
    since = renewed = atop_year
    y = atop_year - 1
    while masks_by_year.get(y, 0):
        since = y
        if masks_by_year[y] == now and renewed == y + 1:
            renewed = y
        y -= 1
    return since, renewed


def _ramp(x: float, full: float, zero: float) -> float:
    """1 at or below ``full``, 0 at or above ``zero``, linear between."""
    if x <= full:
        return 1.0
    if x >= zero:
        return 0.0
    return (zero - x) / (zero - full)


def currency(
    *,
    year: int,
    since: int,
    renewed: int,
    ideal_gap: float | None,
    major: bool,
    contiguous: bool,
    capital_km: float | None,
    ended: tuple[int, str] | None = None,
) -> Currency:
    """Apply the rule to one tie (see the module docstring and docs/data.md).

    Args:
        year: The catalog year asked for (may be after ATOP's last year).
        since: First year of the unbroken tie.
        renewed: Last year its obligations changed.
        ideal_gap: ``|ideal point a − ideal point b|`` in ``year``, or None if either is unknown.
        major: Either partner is a major power in ``year``.
        contiguous: The partners are contiguous (COW types 1–5) in ``year``.
        capital_km: Great-circle distance between the capitals, or None if unknown.
        ended: ``(year, why)`` when the tie ended after ATOP's last year.
    """
    age = max(0, year - renewed)
    recency = 1.0 if age <= GRACE_YEARS else 0.5 ** ((age - GRACE_YEARS) / HALF_LIFE_YEARS)
    alignment = 1.0 if ideal_gap is None else _ramp(ideal_gap, ALIGNED_GAP, OPPOSED_GAP)
    if major or contiguous:
        reach = 1.0
    else:
        reach = 1.0 if capital_km is None else _ramp(capital_km, NEAR_KM, FAR_KM)
    if ended is not None and year >= ended[0]:
        return Currency(since, renewed, recency, alignment, reach, 0.0, ended[0], f"ended {ended[0]}: {ended[1]}")
    maintained = alignment * reach
    weight = max(recency, maintained)
    votes = "no UN votes" if ideal_gap is None else f"UN-vote alignment {alignment:.2f} (gap {ideal_gap:.2f})"
    where = ("a major power is a partner" if major else "neighbours" if contiguous
             else f"capitals {capital_km:,.0f} km apart, no major power" if capital_km is not None
             else "distance unknown")
    if age <= GRACE_YEARS:
        note = f"recent: obligations set in {renewed}"
    elif weight < DORMANT_BELOW:
        note = f"dormant: unchanged since {renewed} ({age} years); {votes}; reach {reach:.2f} ({where})"
    elif maintained >= recency:
        note = f"old ({renewed}) but kept up: {votes}; reach {reach:.2f} ({where})"
    else:
        note = f"ageing: set in {renewed} ({age} years ago); {votes}; reach {reach:.2f} ({where})"
    return Currency(since, renewed, recency, alignment, reach, weight, None, note)
