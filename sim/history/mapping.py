"""One ICB crisis as a scenario: actors, catalog year, triggering events, horizon, briefing.

:func:`map_crisis` turns an :class:`~sim.history.icb.IcbCrisis` and its crisis actors into the data
of a scenario (a plain dict that :func:`sim.scenario.loader.parse_scenario` validates), or into an
:class:`Unmapped` record that says why it cannot. Only what was known when the crisis broke is
used for the model's inputs (actors, triggers at the onset, gravity of threat, ongoing war); what
happened afterwards (violence, responses, termination) goes to the briefing and the manifest only.
The mapping is documented, table by table, in docs/history.md.

Pure data: the catalog and the scenario language, no model.
"""

from __future__ import annotations

import calendar as _calendar
import datetime as dt
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from statistics import median
from typing import Any

from sim.catalog import Catalog
from sim.history.icb import (
    GRAVITY,
    INTERNAL,
    MULTIPLE_STATES,
    NON_STATE,
    TRIGGER_TYPES,
    VIOLENCE_LEVELS,
    IcbActor,
    IcbCrisis,
    region_of,
)
from sim.scenario.schema import LIMITS

__all__ = [
    "CHALLENGER",
    "GREAT_POWERS",
    "MILITARY_ACTIVITY",
    "ONSET_DAYS",
    "TRIGGER_EVENTS",
    "MappedCrisis",
    "Unmapped",
    "cow_code",
    "map_crisis",
    "pretty_name",
    "scenario_id",
    "trigger_date",
    "typical_durations",
]

#: ICB2 great-power activity column → COW ccode of that power.
GREAT_POWERS: dict[str, int] = {"usinv": 2, "suinv": 365, "gbinv": 200, "frinv": 220, "itinv": 325,
                                "grinv": 255, "jpinv": 740}
#: Activity codes that make a great power an actor of the scenario: covert, semi-military and direct
#: military involvement (9 means the power is itself a crisis actor; 1–5 are no, neutral, political,
#: economic and propaganda involvement, which stay in the briefing).
MILITARY_ACTIVITY = frozenset({6, 7, 8})
#: A crisis actor's trigger becomes an event when it came within this many days of the crisis's.
ONSET_DAYS = 7
#: ICB trigger type → (event type, its fields, the role field of the crisis actor).
TRIGGER_EVENTS: dict[int, tuple[str, dict[str, Any], str]] = {
    1: ("statement", {"kind": "threaten"}, "targets"),
    2: ("statement", {"kind": "condemn"}, "targets"),
    3: ("sanctions", {"severity": 0.5}, "targets"),
    4: ("statement", {"kind": "threaten"}, "targets"),
    5: ("statement", {"kind": "threaten"}, "targets"),
    6: ("incident", {"severity": 0.5}, "targets"),
    7: ("mobilization", {}, "near"),
    8: ("incident", {"severity": 0.9}, "targets"),
    9: ("armed_clash", {"intensity": 0.5}, "targets"),
}
#: A violent trigger that threatens a state's existence (gravity 6) is a heavier strike (rung 6).
EXISTENTIAL_CLASH_INTENSITY = 0.8
#: ICB day codes for a part of the month (early, middle, late) → day used.
_PART_OF_MONTH = {66: 5, 77: 15, 88: 25}
#: Code of the custom actor that stands for a non-state challenger when no second state takes part.
CHALLENGER = "NONST"
#: The challenger's capability as a share of the challenged state's.
CHALLENGER_SHARE = 0.1
#: How far the catalog year may move from the trigger year so that every crisis actor is in it.
MAX_YEAR_SHIFT = 5
#: Longest daily horizon; longer crises step by weeks.
DAILY_MAX_DAYS = 180
#: Shortest horizon, in days.
MIN_HORIZON_DAYS = 14
#: ICB codes that the catalog files under another COW code: (ICB code, first year) → COW code.
#: ICB keeps 260 for Germany after unification; COW's Germany from 1990 is 255.
_ICB_TO_COW: dict[tuple[int, int], int] = {(260, 1990): 255}
_ROMAN = re.compile(r"^(?=[IVX])M*(C[MD]|D?C{0,3})(X[CL]|L?X{0,3})(I[XV]|V?I{0,3})$")
_KEEP_UPPER = {"UAR", "US", "USA", "USSR", "UN", "UK", "WWII", "WWI", "UDI", "SWAPO", "PLO", "OAS", "NATO", "EC"}


@dataclass(frozen=True)
class Unmapped:
    """A crisis that did not become a scenario, and why."""

    crisno: int
    name: str
    line: int
    reason: str


@dataclass(frozen=True)
class MappedCrisis:
    """A crisis as scenario data, with what the manifest and the scorer need to know."""

    crisno: int
    name: str
    title: str
    scenario_id: str
    data: dict[str, Any]
    trigger_year: int
    data_year: int
    start: dt.date
    region: str
    subregion: str
    violence: int | None
    crisis_actors: tuple[str, ...]
    great_powers: tuple[str, ...]
    contiguous: bool
    attributed: bool
    trigger_types: tuple[int, ...] = ()
    notes: tuple[str, ...] = field(default=())


def pretty_name(name: str) -> str:
    """An ICB crisis name (upper case) in title case, keeping roman numerals and acronyms."""
    def word(w: str) -> str:
        core = w.strip(".,()'")
        if _ROMAN.match(core) or core in _KEEP_UPPER:
            return w
        return "-".join(_cap(p) for p in w.split("-"))
    return " ".join(word(w) for w in name.split())


def _cap(part: str) -> str:
    """Lower case with the first letter capitalised (``"QUOTED"`` → ``"Quoted"``, ``(NORTH`` → ``(North``)."""
    low = part.lower()
    m = re.match(r"[^a-z0-9]*[a-z]", low)  # the first letter, unless a digit comes first ("21s" stays)
    return low if m is None else low[: m.end() - 1] + low[m.end() - 1].upper() + low[m.end():]


def scenario_id(crisno: int, name: str) -> str:
    """The scenario id of a crisis: ``icb-NNN-slug`` (at most 64 characters)."""
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return f"icb-{crisno:03d}-{slug}"[:64].rstrip("-_")


def _day(year: int, month: int, day: int | None, notes: list[str], what: str) -> int:
    last = _calendar.monthrange(year, month)[1]
    if day is None:
        notes.append(f"the {what} day is blank: the 15th is used")
        return 15
    if day in _PART_OF_MONTH:
        return min(_PART_OF_MONTH[day], last)
    if not 1 <= day <= last:
        notes.append(f"the {what} day ({day}) is not a day of the month: the 15th is used")
        return 15
    return day


def trigger_date(year: int | None, month: int | None, day: int | None, notes: list[str] | None = None,
                 what: str = "trigger") -> dt.date | None:
    """The calendar date of an ICB (year, month, day) triple; ``None`` without a year.

    ICB day codes 66, 77 and 88 (early, middle, late in the month) become the 5th, 15th and 25th; a
    blank or impossible day the 15th; a blank month July. Each substitution is appended to ``notes``.
    """
    notes = notes if notes is not None else []
    if year is None or not 1 <= year <= 9999:
        return None
    if month is None or not 1 <= month <= 12:
        notes.append(f"the {what} month is {'blank' if month is None else f'not a month ({month})'}: July is used")
        month = 7
    return dt.date(year, month, _day(year, month, day, notes, what))


def _duration_days(c: IcbCrisis) -> int | None:
    start = trigger_date(c.trigger_year, c.trigger_month, c.trigger_day)
    if start is None or c.end_year is None or c.end_month is None:
        return None
    end = trigger_date(c.end_year, c.end_month, c.end_day)
    if end is None or end < start:
        return None
    return (end - start).days + 1


def typical_durations(crises: Sequence[IcbCrisis]) -> dict[int | None, int]:
    """Median duration in days (trigger to termination) of ``crises`` by trigger type.

    Key ``None`` holds the median over all crises (used for a type with no crisis).
    """
    by: dict[int | None, list[int]] = {}
    for c in crises:
        d = _duration_days(c)
        if d is not None:
            by.setdefault(c.trigger_type, []).append(d)
            by.setdefault(None, []).append(d)
    return {k: int(round(median(v))) for k, v in by.items()}


def cow_code(ccode: int | None, year: int, catalog: Catalog, by_ccode: Mapping[int, str]) -> str | None:
    """The catalog (COW) code of an ICB country number in ``year``, or ``None`` if it has none."""
    if ccode is None:
        return None
    for (icb, first), cow in _ICB_TO_COW.items():
        if ccode == icb and year >= first:
            ccode = cow
    return by_ccode.get(ccode)


def _entity_words(code: int | None, names: Mapping[str, str], by_ccode: Mapping[int, str], year: int,
                  catalog: Catalog) -> str:
    if code == NON_STATE:
        return "a non-state actor"
    if code == MULTIPLE_STATES:
        return "several states"
    if code == INTERNAL:
        return "an internal challenge"
    cow = cow_code(code, year, catalog, by_ccode)
    if cow is None:
        return "an entity not in the state catalog" if code is None else f"ICB entity {code}"
    return names.get(cow) or _name(catalog, cow, year)


def _name(catalog: Catalog, code: str, year: int) -> str:
    try:
        return catalog.state(code, year).name
    except Exception:  # noqa: BLE001 — a name for prose only; the code will do
        return code


def _choose_year(codes: Sequence[str], year: int, catalog: Catalog) -> int | None:
    """The year nearest ``year`` (later first on ties) in which every code is a state, within the shift."""
    for shift in range(MAX_YEAR_SHIFT + 1):
        for y in ((year + shift, year - shift) if shift else (year,)):
            if catalog.first_year <= y <= catalog.last_year and all(catalog.has_state(c, y) for c in codes):
                return y
    return None


def _non_state_trigger(crisis: IcbCrisis, actors: Sequence[IcbActor], catalog: Catalog,
                       by_ccode: Mapping[int, str], year: int) -> bool:
    """True when no state of the catalog is named as the trigger (non-state, internal, several, unknown)."""
    ents = [crisis.trigger_entity, *(a.trigger_entity for a in actors)]
    return all(cow_code(e, year, catalog, by_ccode) is None for e in ents)


def _challenger(target: Any) -> dict[str, Any]:
    """The custom actor standing for a non-state challenger of ``target`` (a catalog state record)."""
    return {"code": CHALLENGER, "catalog": False,
            "overrides": {"name": "Non-state challenger", "cinc": round(max(CHALLENGER_SHARE * target.cinc, 1e-6), 8),
                          "lat": target.lat, "lon": target.lon, "major_power": False, "nuclear": False}}


def _resolve(gravity: int | None) -> float | None:
    """Resolve (stake) from the actor's gravity of threat: 0.5 at a territorial threat, ±0.075 a step."""
    if gravity is None or not 0 <= gravity <= 6:
        return None
    return round(0.5 + 0.075 * (gravity - 3), 3)


def map_crisis(crisis: IcbCrisis, actors: Sequence[IcbActor], catalog: Catalog, durations: Mapping[int | None, int],
               *, by_ccode: Mapping[int, str] | None = None, horizon: str = "type") -> MappedCrisis | Unmapped:
    """Turn one crisis into scenario data (see docs/history.md for every rule).

    Args:
        crisis: The system-level row.
        actors: Its crisis actors (actor-level rows), in file order.
        catalog: The actor catalog.
        durations: Typical duration in days by trigger type (:func:`typical_durations`; key ``None``:
            all types).
        by_ccode: COW ccode → catalog code (built from the catalog when not given).
        horizon: ``"type"`` (the typical duration of crises with this trigger type: no knowledge of
            how this crisis ended) or ``"dates"`` (this crisis's own trigger-to-termination span).

    Returns:
        A :class:`MappedCrisis`, or an :class:`Unmapped` with the reason.
    """
    if by_ccode is None:
        by_ccode = {catalog.resolve(c): c for c in catalog.known_codes()}

    def unmapped(reason: str) -> Unmapped:
        return Unmapped(crisis.crisno, crisis.name, crisis.line, reason)

    notes: list[str] = []
    start = trigger_date(crisis.trigger_year, crisis.trigger_month, crisis.trigger_day, notes)
    if start is None:
        return unmapped("the trigger year (yrtrig) is blank")
    if not actors:
        return unmapped("no crisis actor in the actor-level file")
    year = min(max(start.year, catalog.first_year), catalog.last_year)
    if year != start.year:
        notes.append(f"the catalog covers {catalog.first_year}–{catalog.last_year}: year {year} is used for {start.year}")
    # crisis actors (COW codes in the catalog); a code the catalog lacks is reported by name
    cast: list[tuple[IcbActor, str]] = []
    unknown = []
    for a in actors:
        code = cow_code(a.ccode, year, catalog, by_ccode)
        if code is None:
            unknown.append(f"{a.abbrev or '?'} (ICB country number {a.ccode})")
        elif code not in [c for _, c in cast]:
            cast.append((a, code))
    if unknown:
        return unmapped(f"crisis actor(s) not in the state catalog: {', '.join(unknown)}")
    codes = [c for _, c in cast]
    data_year = _choose_year(codes, year, catalog)
    if data_year is None:
        absent = [c for c in codes if not catalog.has_state(c, year)]
        spans = "; ".join(f"{c} {', '.join(f'{a}–{b}' for a, b in catalog.years(c))}" for c in absent)
        return unmapped(f"no catalog year within {MAX_YEAR_SHIFT} years of {start.year} holds every crisis actor "
                        f"(not in the state system then: {spans})")
    if data_year != start.year:
        notes.append(f"catalog year {data_year} (the trigger year {start.year} lacks "
                     f"{', '.join(c for c in codes if not catalog.has_state(c, start.year)) or 'no one'})")
    names = {c: _name(catalog, c, data_year) for c in codes}

    # other states: triggering states, then great powers active militarily
    others: list[str] = []
    left_out: list[str] = []

    def add_state(ccode: int | None, why: str) -> None:
        code = cow_code(ccode, data_year, catalog, by_ccode)
        if code is None or code in codes or code in others:
            return
        if catalog.has_state(code, data_year):
            others.append(code)
            names[code] = _name(catalog, code, data_year)
        else:
            left_out.append(f"{code} ({why}; not a state in {data_year})")

    add_state(crisis.trigger_entity, "triggering entity")
    for a, _ in cast:
        add_state(a.trigger_entity, "triggering entity")
    powers: list[str] = []
    for col, gp in GREAT_POWERS.items():
        if any((a.activity.get(col) or 0) in MILITARY_ACTIVITY for a, _ in cast):
            before = len(others)
            add_state(gp, "great power active")
            if len(others) > before:
                powers.append(others[-1])
    notes += [f"left out: {x}" for x in left_out]
    everyone = codes + others
    challenger: dict[str, Any] | None = None
    if len(everyone) < 2 and _non_state_trigger(crisis, [a for a, _ in cast], catalog, by_ccode, data_year):
        challenger = _challenger(catalog.state(codes[0], data_year))
        everyone.append(CHALLENGER)
        names[CHALLENGER] = "Non-state challenger"
        notes.append(f"the non-state challenger is a custom actor ({CHALLENGER}) with a tenth of "
                     f"{names[codes[0]]}'s capability, placed at its capital")
    if len(everyone) < 2:
        return unmapped("only one state takes part (the trigger came from "
                        f"{_entity_words(crisis.trigger_entity, names, by_ccode, data_year, catalog)} and no other "
                        "state is a crisis actor, a triggering state or an active great power)")
    if len(everyone) > LIMITS["actors"]:
        return unmapped(f"{len(everyone)} states, more than the limit of {LIMITS['actors']}")

    # events: each crisis actor's trigger at the onset
    onset = [(a, c) for a, c in cast
             if (d := trigger_date(a.trigger_year, a.trigger_month, a.trigger_day)) is not None
             and abs((d - start).days) <= ONSET_DAYS]
    if not onset:
        onset = cast[:1]
        notes.append("no crisis actor's own trigger date is at the onset: the first crisis actor's trigger is used")
    events: list[dict[str, Any]] = []
    wars: list[list[str]] = []
    attributed = False
    ttypes: list[int] = []
    intra_war = crisis.intra_war not in (None, 1)
    gravity = crisis.gravity
    for a, target in onset:
        ttype = a.trigger_type if a.trigger_type in TRIGGER_EVENTS else crisis.trigger_type
        if ttype not in TRIGGER_EVENTS:
            return unmapped(f"the trigger type ({a.trigger_type!r}) is not an ICB trigger type (1–9)")
        source = cow_code(a.trigger_entity, data_year, catalog, by_ccode)
        guessed = False
        if challenger is not None:
            source = CHALLENGER
        elif source not in everyone or source == target:
            system_source = cow_code(crisis.trigger_entity, data_year, catalog, by_ccode)
            candidates = ([system_source] if system_source in everyone else []) + codes + others
            source = next((c for c in candidates if c != target), None)
            guessed = True
        if source is None:  # pragma: no cover - len(everyone) >= 2 guarantees a candidate
            return unmapped("no state to attribute the trigger to")
        attributed |= guessed
        ttypes.append(ttype)
        etype, extra, role = TRIGGER_EVENTS[ttype]
        extra = dict(extra)
        if etype == "armed_clash" and (a.gravity == 6 or gravity == 6):
            extra["intensity"] = EXISTENTIAL_CLASH_INTENSITY
        when = trigger_date(a.trigger_year, a.trigger_month, a.trigger_day) or start
        when = max(when, start)
        who = _entity_words(a.trigger_entity, names, by_ccode, data_year, catalog)
        desc = (f"Trigger for {names[target]}: {TRIGGER_TYPES[ttype]} by {who} (ICB trigger type {ttype}).")
        if guessed:
            desc += f" ICB does not name a single state here; the model attributes the act to {names[source]}."
        events.append({"id": f"trigger-{target.lower()}", "type": etype, "date": when.isoformat(), "actor": source,
                       role: [target], **extra, "description": desc,
                       "source": f"ICB v14, crisis {crisis.crisno}, actor-level row at line {a.line}"})
        if intra_war and sorted([source, target]) not in wars:
            wars.append(sorted([source, target]))

    # calendar
    if horizon == "dates":
        days = _duration_days(crisis)
        if days is None:
            days = durations.get(crisis.trigger_type) or durations.get(None) or 60
            notes.append("the termination date is blank: the typical duration of its trigger type is used")
    else:
        days = durations.get(crisis.trigger_type) or durations.get(None) or 60
    days = max(int(days), MIN_HORIZON_DAYS)
    step = "day" if days <= DAILY_MAX_DAYS else "week"
    steps = min(math.ceil(days / (1 if step == "day" else 7)), LIMITS["steps"])
    last_event = max(dt.date.fromisoformat(e["date"]) for e in events)
    while (last_event - start).days // (1 if step == "day" else 7) >= steps:
        steps += 1

    actor_rows = {c: a for a, c in cast}
    actor_data = []
    for c in everyone:
        if c == CHALLENGER and challenger is not None:
            actor_data.append(challenger)
            continue
        entry: dict[str, Any] = {"code": c}
        a = actor_rows.get(c)
        r = _resolve(a.gravity) if a is not None else None
        if r is not None:
            entry["overrides"] = {"resolve": r}
        actor_data.append(entry)
    title = f"{pretty_name(crisis.name)} ({start.year})"[:200]
    region, subregion = region_of(crisis.region_code)
    cont = catalog.contiguity(codes, data_year) if len(codes) > 1 else None
    contiguous = bool(cont is not None and ((cont > 0) & (cont <= 2)).any())
    data: dict[str, Any] = {
        "id": scenario_id(crisis.crisno, crisis.name),
        "title": title,
        "briefing": _briefing(crisis, cast, names, others, powers, events, start, data_year, notes, region, subregion,
                              by_ccode, catalog),
        "data_year": data_year,
        "calendar": {"start": start.isoformat(), "step": step, "horizon": steps},
        "actors": actor_data,
        "events": events,
    }
    if wars:
        data["relations"] = {"from_catalog": True, "wars": wars}
    return MappedCrisis(crisno=crisis.crisno, name=crisis.name, title=title, scenario_id=data["id"], data=data,
                        trigger_year=start.year, data_year=data_year, start=start, region=region, subregion=subregion,
                        violence=crisis.violence, crisis_actors=tuple(codes), great_powers=tuple(powers),
                        contiguous=contiguous, attributed=attributed, trigger_types=tuple(ttypes),
                        notes=tuple(notes))


def _period(crisis: IcbCrisis, start: dt.date) -> str:
    end = trigger_date(crisis.end_year, crisis.end_month, crisis.end_day, [])
    first = start.strftime("%B %Y")
    if end is None:
        return first
    last = end.strftime("%B %Y")
    return first if last == first else f"{first} – {last}"


def _briefing(crisis: IcbCrisis, cast: Sequence[tuple[IcbActor, str]], names: Mapping[str, str], others: Sequence[str],
              powers: Sequence[str], events: Sequence[dict], start: dt.date, data_year: int, notes: Sequence[str],
              region: str, subregion: str, by_ccode: Mapping[int, str], catalog: Catalog) -> dict[str, Any]:
    """A short plain-text briefing generated from the ICB codes (names are data, never markup)."""
    pname = pretty_name(crisis.name)
    ttype = TRIGGER_TYPES.get(crisis.trigger_type or 0, "an act of a type ICB does not code")
    who = _entity_words(crisis.trigger_entity, names, by_ccode, data_year, catalog)
    lines = [f"ICB crisis {crisis.crisno}, \"{pname}\", broke out on {start.isoformat()} in "
             f"{subregion if subregion != 'unknown' else 'an unrecorded region'}: the trigger was a {ttype} by {who}."]
    if crisis.gravity is not None:
        lines.append(f"The gravest value threatened: {GRAVITY.get(crisis.gravity, f'code {crisis.gravity}')}.")
    actor_bits = []
    for a, c in cast:
        bit = f"{names[c]} ({c}"
        if a.trigger_type in TRIGGER_TYPES:
            bit += f"; its trigger: {TRIGGER_TYPES[a.trigger_type]}"
        trig = trigger_date(a.trigger_year, a.trigger_month, a.trigger_day)
        if trig is not None and trig != start:
            bit += f", {trig.isoformat()}"
        actor_bits.append(bit + ")")
    lines.append("Crisis actors: " + "; ".join(actor_bits) + ".")
    trig_states = [c for c in others if c not in powers]
    if trig_states:
        lines.append("Also in the scenario as triggering states: " + ", ".join(f"{names[c]} ({c})" for c in trig_states) + ".")
    if powers:
        lines.append("Great powers involved militarily (covert, semi-military or direct): "
                     + ", ".join(f"{names[c]} ({c})" for c in powers) + ".")
    if crisis.intra_war not in (None, 1):
        lines.append("ICB codes this as a crisis within an ongoing war: the scenario starts with the triggering "
                     "and crisis actors at war.")
    lines.append(f"Actors and ties come from the catalog of {data_year}. The model sees only the onset: "
                 "who takes part, the triggering acts and the gravity of the threat.")
    if crisis.violence in VIOLENCE_LEVELS:
        lines.append(f"In history (ICB): {VIOLENCE_LEVELS[crisis.violence]}.")
    if notes:
        lines.append("Coding notes: " + "; ".join(notes) + ".")
    summary = "\n".join(lines)
    return {
        "summary": summary[:20000],
        "question": f"How far up the escalation ladder does the {pname} crisis climb, and what keeps it from going higher?"[:500],
        "period": _period(crisis, start)[:100],
        "sources": [
            {"title": "International Crisis Behavior (ICB) data, version 14 — Brecher, Wilkenfeld, Beardsley, James "
                      f"& Quinn; crisis {crisis.crisno}", "url": "https://sites.duke.edu/icbdata/"},
            {"title": f"Correlates of War and ATOP data for {data_year} via the Flashpoint catalog — see docs/data.md"},
        ],
    }
