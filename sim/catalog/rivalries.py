"""Strategic rivalries from two sources, merged per pair: TSS (to 2020) and Thompson & Dreyer (to 2010).

Both lists are by W. R. Thompson and colleagues. Thompson, Sakuwa & Suhas (TSS, 2021) runs to 2020
and flags each rivalry's elements; Thompson & Dreyer (TD, 2011) runs to 2010 and gives one to three
*types* per rivalry, the first the main one: **spatial** (territory), **positional** (relative
standing, regional or global), **ideological** (political or religious systems) and
**interventionary** (one meddles in the other's internal affairs). A pair is a rivalry in a year
when either source has one in force; its types are the union of both sources' types in force then.
Rivalries running at a source's right edge (TSS 2020, TD 2010) are taken as ongoing.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["RIVALRY_TYPES", "RivalryRecord", "RivalrySpell", "in_force"]

#: The rivalry types, in Thompson & Dreyer's order of presentation.
RIVALRY_TYPES: tuple[str, ...] = ("spatial", "positional", "ideological", "interventionary")


@dataclass(frozen=True, slots=True)
class RivalryRecord:
    """A strategic rivalry between two states in force in a year (TSS and/or Thompson & Dreyer).

    Attributes:
        a: First code (earlier in the list the caller passed).
        b: Second code.
        name: The rivalry's name in the source (TSS's when both have it).
        start: First year (the earliest of the sources in force).
        end: Last year, or None when still running at a source's end (TSS 2020, TD 2010).
        types: Rivalry types present (any of :data:`RIVALRY_TYPES`, in that order).
        principal: Marked as a principal rivalry (TSS).
        sources: Which lists have the rivalry in force: ``"tss"``, ``"td"``.
        main_type: Thompson & Dreyer's first-listed (main) type, or "" if TD lacks the rivalry.
        region: Thompson & Dreyer's region, or "".
    """

    a: str
    b: str
    name: str
    start: int
    end: int | None
    types: tuple[str, ...]
    principal: bool
    sources: tuple[str, ...] = ("tss",)
    main_type: str = ""
    region: str = ""


@dataclass(frozen=True, slots=True)
class RivalrySpell:
    """One source row: an unordered ccode pair (c1 < c2) with its years and types."""

    source: str
    c1: int
    c2: int
    name: str
    start: int
    end: int | None
    types: tuple[str, ...]
    principal: bool = False
    region: str = ""

    def covers(self, year: int) -> bool:
        """In force in ``year``."""
        return self.start <= year and (self.end is None or year <= self.end)


def in_force(spells: list[RivalrySpell], year: int) -> dict[tuple[int, int], dict]:
    """Merge the spells in force in ``year`` per pair: name, start, end, types, principal, sources."""
    out: dict[tuple[int, int], dict] = {}
    for sp in spells:
        if not sp.covers(year):
            continue
        d = out.setdefault((sp.c1, sp.c2), {"name": sp.name, "start": sp.start, "end": sp.end, "types": set(),
                                            "principal": False, "sources": [], "main_type": "", "region": ""})
        if sp.source == "tss":
            d["name"] = sp.name
        d["start"] = min(d["start"], sp.start)
        d["end"] = None if d["end"] is None or sp.end is None else max(d["end"], sp.end)
        d["types"].update(sp.types)
        d["principal"] |= sp.principal
        if sp.source not in d["sources"]:
            d["sources"].append(sp.source)
        if sp.source == "td":
            d["main_type"] = d["main_type"] or (sp.types[0] if sp.types else "")
            d["region"] = sp.region
    for d in out.values():
        d["types"] = tuple(t for t in RIVALRY_TYPES if t in d["types"])
        d["sources"] = tuple(sorted(d["sources"], key=("tss", "td").index))
    return out
