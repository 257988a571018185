"""The catalog's record types: one state in one year, and one alliance tie between two states."""

from __future__ import annotations

from dataclasses import dataclass

from sim.catalog.currency import DORMANT_BELOW

__all__ = ["AllianceRecord", "StateRecord"]

_OBLIGATIONS = ("defense", "offense", "neutral", "nonagg", "consul")


@dataclass(frozen=True, slots=True)
class StateRecord:
    """One state in one year.

    Attributes:
        code: The actor code as requested (COW stateabb, or an accepted alias such as SRB).
        ccode: COW numeric state code.
        name: Display name for that year (e.g. "Serbia" for ccode 345 in 1914).
        year: The year.
        cinc: COW Composite Index of National Capability (share of the system total).
        milex: Military expenditure, thousands of current US$ (COW; None if missing).
        milper: Military personnel, thousands.
        irst: Iron and steel production, thousands of tons.
        pec: Primary energy consumption, thousands of coal-ton equivalents.
        tpop: Total population, thousands.
        upop: Urban population, thousands.
        capital: Capital city in force on 1 July of the year.
        lat: Capital latitude (degrees).
        lon: Capital longitude (degrees).
        polyarchy: V-Dem electoral democracy index 0-1 (None if unknown).
        polity2: Polity2 score -10..10 (None if unknown).
        ideal_point: UNGA ideal point, all votes (1946 on; None if missing).
        major_power: COW major power that year (2017-2022: 2016 status).
        nuclear: Possesses nuclear weapons that year (hard-coded table, see docs/data.md).
        sipri_milex_usd_m: SIPRI military expenditure, constant 2023 US$ million, or None.
        flags: Notes on imputed or special values ("polyarchy carried forward from 2019" …).
        cow_name: The state's name in the COW data.
        imputed: Values imputed where the source has none, as ``(field, value, how)``:
            ``milex`` from SIPRI's current-US$ figure of the year, else the COW figure of the
            nearest year; ``ideal_point`` from the nearest year the state voted (1946 on).
            The field itself stays ``None`` (missing); see :meth:`imputed_value`.
    """

    code: str
    ccode: int
    name: str
    year: int
    cinc: float
    milex: float | None
    milper: float | None
    irst: float | None
    pec: float | None
    tpop: float | None
    upop: float | None
    capital: str
    lat: float
    lon: float
    polyarchy: float | None
    polity2: float | None
    ideal_point: float | None
    major_power: bool
    nuclear: bool
    sipri_milex_usd_m: float | None
    flags: tuple[str, ...] = ()
    cow_name: str = ""
    imputed: tuple[tuple[str, float, str], ...] = ()

    def imputed_value(self, name: str) -> tuple[float, str] | None:
        """``(value, how)`` imputed for the missing field ``name``, or None."""
        return next(((v, how) for f, v, how in self.imputed if f == name), None)


@dataclass(frozen=True, slots=True)
class AllianceRecord:
    """ATOP obligations between two states, OR-ed over both directions.

    Attributes:
        a: First code (earlier in the list the caller passed).
        b: Second code.
        defense: Defence pledge.
        offense: Offence pledge.
        neutral: Neutrality pledge.
        nonagg: Non-aggression pledge.
        consul: Consultation pledge.
        source_year: The ATOP year the obligations were read from (at most 2018).
        since: First year of the pair's unbroken run of obligation years (ATOP).
        renewed: Last year the pair's obligations changed in that run (a new or amended treaty).
        weight: Currency weight 0–1 in the year asked for (rule in :mod:`sim.catalog.currency`).
        ended: Year the tie ended after ATOP's last year (e.g. 2019 for RUS–UKR), or None.
        note: Why the weight is what it is, in one sentence.
    """

    a: str
    b: str
    defense: bool
    offense: bool
    neutral: bool
    nonagg: bool
    consul: bool
    source_year: int
    since: int = 0
    renewed: int = 0
    weight: float = 1.0
    ended: int | None = None
    note: str = ""

    @property
    def dormant(self) -> bool:
        """True when the tie's currency weight is below ``currency.DORMANT_BELOW`` (0.5)."""
        return self.weight < DORMANT_BELOW

    @property
    def obligations(self) -> tuple[str, ...]:
        """Names of the obligations present, e.g. ``("defense", "consul")``."""
        return tuple(k for k in _OBLIGATIONS if getattr(self, k))
