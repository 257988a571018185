"""Read files of the International Crisis Behavior (ICB) v14 layout, with located errors.

ICB (Brecher, Wilkenfeld, Beardsley, James & Quinn; see docs/data.md) publishes two tables: the
**system level** (ICB1, one row per international crisis) and the **actor level** (ICB2, one row
per crisis actor). :func:`read_icb` reads any rows of either layout — the shipped training subset
or crises the project has never seen — into frozen :class:`IcbCrisis` and :class:`IcbActor`
records. Only the columns listed in :data:`SYSTEM_COLUMNS` and :data:`ACTOR_COLUMNS` are read;
others are ignored. Codes are the codebook's (``9.0`` and ``9`` both read as 9); a blank cell is
``None``.

A malformed file raises :class:`IcbDataError` listing every problem as
``FILE:LINE:COL: column: what is wrong`` (a missing column, a row with the wrong number of fields,
a value that is not a number, a crisis number given twice). Rows that are well formed but cannot
become scenarios (a blank trigger year, say) are not errors here: the builder reports them with
their reasons.

The codebook labels used in briefings and reports are here too (:data:`TRIGGER_TYPES`,
:data:`VIOLENCE_LEVELS`, :data:`MAJOR_RESPONSES` …).
"""

from __future__ import annotations

import csv
import io
import math
import os
from dataclasses import dataclass, field
from pathlib import Path

from sim.errors import FlashpointError, Issue

__all__ = [
    "ACTOR_COLUMNS",
    "GRAVITY",
    "IcbActor",
    "IcbCrisis",
    "IcbData",
    "IcbDataError",
    "MAJOR_RESPONSES",
    "MULTIPLE_STATES",
    "NON_STATE",
    "INTERNAL",
    "NUCLEAR",
    "REGIONS",
    "SYSTEM_COLUMNS",
    "TRIGGER_TYPES",
    "VIOLENCE_LEVELS",
    "read_icb",
    "region_of",
]

#: ICB1 ``break`` / ICB2 ``triggr``: the type of act that triggered the crisis.
TRIGGER_TYPES: dict[int, str] = {
    1: "verbal act", 2: "political act", 3: "economic act", 4: "external change",
    5: "other non-violent act", 6: "internal verbal or physical challenge to the regime or elite",
    7: "non-violent military act", 8: "indirect violent act", 9: "violent act",
}
#: ICB1 ``gravcr`` / ICB2 ``gravty``: the gravity of the threat (the most serious value threatened).
GRAVITY: dict[int, str] = {
    0: "economic threat", 1: "limited military threat", 2: "political threat", 3: "territorial threat",
    4: "threat to influence in the international system or region", 5: "threat of grave damage",
    6: "threat to existence", 7: "other",
}
#: ICB1 ``viol``: the extent of violence in the crisis (the scored outcome).
VIOLENCE_LEVELS: dict[int, str] = {1: "no violence", 2: "minor clashes", 3: "serious clashes", 4: "full-scale war"}
#: ICB2 ``majres``: the crisis actor's major response.
MAJOR_RESPONSES: dict[int, str] = {
    1: "no response", 2: "verbal act", 3: "political act", 4: "economic act", 5: "other non-violent act",
    6: "non-violent military act", 7: "multiple, including a non-violent military act", 8: "violent military act",
    9: "multiple, including a violent military act",
}
#: ICB2 ``nuclear``: the actor's nuclear capability.
NUCLEAR: dict[int, str] = {1: "no foreseeable nuclear capability", 2: "could build nuclear weapons",
                           3: "has nuclear weapons", 4: "second-strike capability"}
#: ICB ``trigent`` codes that are not a state.
INTERNAL, NON_STATE, MULTIPLE_STATES = 995, 996, 997
#: ICB1 ``geog``: where the crisis took place (broad region, subregion).
REGIONS: dict[int, tuple[str, str]] = {
    9: ("Asia", "Euro-Asia"), 10: ("Middle East", "West Asia"), 11: ("Asia", "East Asia"),
    12: ("Asia", "South-East Asia"), 13: ("Asia", "South Asia"), 14: ("Asia", "Central Asia"),
    15: ("Middle East", "Middle East"), 20: ("Africa", "West Africa"), 21: ("Africa", "North Africa"),
    22: ("Africa", "East Africa"), 23: ("Africa", "Southern Africa"), 24: ("Africa", "Central Africa"),
    30: ("Europe", "Europe"), 31: ("Europe", "East Europe"), 32: ("Europe", "Central Europe"),
    33: ("Europe", "West Europe"), 34: ("Europe", "North Europe"), 35: ("Europe", "South Europe"),
    40: ("Americas", "Americas"), 41: ("Americas", "North America"), 42: ("Americas", "Central America"),
    43: ("Americas", "South America"),
}

# column -> (kind, required). kind: "int" (a code; "9.0" reads as 9), "num" (a number), "text".
#: The ICB1 (system-level) columns read, and whether the file must have them.
SYSTEM_COLUMNS: dict[str, tuple[str, bool]] = {
    "crisno": ("int", True), "crisname": ("text", True), "break": ("int", True), "trigent": ("int", True),
    "yrtrig": ("int", True), "motrig": ("int", True), "datrig": ("int", True),
    "yrterm": ("int", False), "moterm": ("int", False), "daterm": ("int", False),
    "gravcr": ("int", False), "viol": ("int", True), "sevviosy": ("int", False), "crismg": ("int", False),
    "iwcmb": ("int", False), "gpinv": ("int", False), "usinv": ("int", False), "suinv": ("int", False),
    "powdissy": ("num", False), "geog": ("int", False),
}
#: The ICB2 (actor-level) columns read, and whether the file must have them.
ACTOR_COLUMNS: dict[str, tuple[str, bool]] = {
    "crisno": ("int", True), "cracid": ("int", True), "actor": ("text", True), "triggr": ("int", True),
    "yrtrig": ("int", True), "motrig": ("int", True), "datrig": ("int", True), "trigent": ("int", True),
    "majres": ("int", True), "gravty": ("int", False), "nuclear": ("int", False), "powdis": ("num", False),
    "usinv": ("int", False), "suinv": ("int", False), "gbinv": ("int", False), "frinv": ("int", False),
    "itinv": ("int", False), "grinv": ("int", False), "jpinv": ("int", False), "cractloc": ("int", False),
}
#: Great-power activity columns of ICB2 (the activity of that power toward this crisis actor).
ACTIVITY_COLUMNS = ("usinv", "suinv", "gbinv", "frinv", "itinv", "grinv", "jpinv")
#: Most problems listed in one error (the rest are counted).
MAX_ISSUES = 50
#: Largest file read, in bytes.
MAX_BYTES = 64 * 1024 * 1024


class IcbDataError(FlashpointError):
    """A file of the ICB layout is malformed; holds every located issue found."""

    def __init__(self, issues: list[Issue], more: int = 0):
        self.issues = list(issues)
        text = "\n".join(str(i) for i in self.issues)
        if more:
            text += f"\n… and {more} more problem(s)"
        super().__init__(text)


@dataclass(frozen=True)
class IcbCrisis:
    """One row of the system-level table (ICB1). Codes are the codebook's; ``None`` is a blank cell."""

    crisno: int
    name: str
    line: int
    trigger_type: int | None
    trigger_entity: int | None
    trigger_year: int | None
    trigger_month: int | None
    trigger_day: int | None
    end_year: int | None = None
    end_month: int | None = None
    end_day: int | None = None
    gravity: int | None = None
    violence: int | None = None
    severity: int | None = None
    management: int | None = None
    intra_war: int | None = None
    gp_involvement: int | None = None
    us_activity: int | None = None
    su_activity: int | None = None
    power_discrepancy: float | None = None
    region_code: int | None = None


@dataclass(frozen=True)
class IcbActor:
    """One row of the actor-level table (ICB2): a crisis actor in one crisis."""

    crisno: int
    line: int
    ccode: int | None
    abbrev: str
    trigger_type: int | None
    trigger_year: int | None
    trigger_month: int | None
    trigger_day: int | None
    trigger_entity: int | None
    major_response: int | None
    gravity: int | None = None
    nuclear: int | None = None
    power_discrepancy: float | None = None
    activity: dict[str, int | None] = field(default_factory=dict)
    location: int | None = None


@dataclass(frozen=True)
class IcbData:
    """Both tables: crises in file order, their actors (file order) and where they came from."""

    crises: tuple[IcbCrisis, ...]
    actors: dict[int, tuple[IcbActor, ...]]
    system_file: str
    actors_file: str
    orphans: tuple[IcbActor, ...] = ()

    def actors_of(self, crisno: int) -> tuple[IcbActor, ...]:
        """The crisis actors of crisis ``crisno`` (empty if the actor file has none)."""
        return self.actors.get(crisno, ())

    def crisis(self, crisno: int) -> IcbCrisis:
        """The crisis numbered ``crisno``.

        Raises:
            KeyError: if there is none.
        """
        for c in self.crises:
            if c.crisno == crisno:
                return c
        raise KeyError(f"no crisis number {crisno} in {self.system_file}")


def region_of(code: int | None) -> tuple[str, str]:
    """The (broad region, subregion) of an ICB ``geog`` code (``unknown`` when not in the table)."""
    if code is None:
        return "unknown", "unknown"
    return REGIONS.get(code, ("unknown", f"ICB region code {code}"))


def _value(raw: str, kind: str) -> tuple[object, str | None]:
    """Parse one cell; returns (value, problem)."""
    s = raw.strip()
    if kind == "text":
        return s, None
    if s == "" or s.upper() in ("NA", "NAN", "."):
        return None, None
    try:
        x = float(s)
    except ValueError:
        return None, f"expected a number, got {s[:40]!r}"
    if not math.isfinite(x):
        return None, f"expected a finite number, got {s[:40]!r}"
    if kind == "int":
        if x != int(x):
            return None, f"expected a whole-number code, got {s[:40]!r}"
        return int(x), None
    return x, None


def _read_rows(path: str | os.PathLike[str], columns: dict[str, tuple[str, bool]], issues: list[Issue]
               ) -> list[tuple[int, dict[str, object]]]:
    """Read a CSV into (line, {column: value}) rows, appending located issues."""
    name = str(path)
    p = Path(path)
    try:
        size = p.stat().st_size
        if size > MAX_BYTES:
            issues.append(Issue(name, 0, 0, "", f"the file is {size:,} bytes, more than the limit of {MAX_BYTES:,}"))
            return []
        data = p.read_bytes()
    except FileNotFoundError:
        issues.append(Issue(name, 0, 0, "", "no such file"))
        return []
    except IsADirectoryError:
        issues.append(Issue(name, 0, 0, "", "is a folder, not a CSV file"))
        return []
    except OSError as exc:
        issues.append(Issue(name, 0, 0, "", f"cannot read the file ({exc.strerror})"))
        return []
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        issues.append(Issue(name, line, 0, "", f"not UTF-8 text (byte 0x{data[exc.start]:02x})"))
        return []
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        issues.append(Issue(name, line, 0, "", "the file holds a NUL byte: not a CSV text file"))
        return []
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
    except StopIteration:
        issues.append(Issue(name, 1, 0, "", "the file is empty (expected a header row of column names)"))
        return []
    except csv.Error as exc:
        issues.append(Issue(name, 1, 0, "", f"not a readable CSV header: {exc}"))
        return []
    pos = {h.strip().lower(): k for k, h in enumerate(header)}
    missing = [c for c, (_, req) in columns.items() if req and c not in pos]
    if missing:
        issues.append(Issue(name, 1, 1, "header", f"missing column(s) {', '.join(missing)} (an ICB "
                            f"{'system' if 'crisname' in columns else 'actor'}-level file needs them)"))
        return []
    rows: list[tuple[int, dict[str, object]]] = []
    while True:
        line = reader.line_num + 1
        try:
            fields = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            issues.append(Issue(name, reader.line_num, 0, "", f"not readable as CSV: {exc}"))
            break
        if not fields or all(not f.strip() for f in fields):
            continue
        if len(fields) != len(header):
            issues.append(Issue(name, line, 0, "", f"{len(fields)} fields where the header has {len(header)}"))
            continue
        row: dict[str, object] = {}
        for col, (kind, _) in columns.items():
            k = pos.get(col)
            if k is None:
                row[col] = None
                continue
            val, problem = _value(fields[k], kind)
            if problem:
                issues.append(Issue(name, line, k + 1, col, problem))
            row[col] = val
        rows.append((line, row))
    return rows


def read_icb(system_csv: str | os.PathLike[str], actors_csv: str | os.PathLike[str]) -> IcbData:
    """Read a system-level and an actor-level file of the ICB layout.

    Args:
        system_csv: ICB1-layout file (one row per crisis).
        actors_csv: ICB2-layout file (one row per crisis actor).

    Returns:
        The crises (in file order) with their actors. Actor rows whose crisis is not in the system
        file are kept in ``orphans`` (the builder reports them).

    Raises:
        IcbDataError: with every located problem (``FILE:LINE:COL: column: what is wrong``).
    """
    issues: list[Issue] = []
    sys_rows = _read_rows(system_csv, SYSTEM_COLUMNS, issues)
    act_rows = _read_rows(actors_csv, ACTOR_COLUMNS, issues)
    crises: list[IcbCrisis] = []
    seen: dict[int, int] = {}
    sname = str(system_csv)
    for line, r in sys_rows:
        no = r["crisno"]
        if no is None:
            issues.append(Issue(sname, line, 0, "crisno", "the crisis number is blank"))
            continue
        if no in seen:
            issues.append(Issue(sname, line, 0, "crisno", f"crisis {no} is listed twice (first at line {seen[no]})"))
            continue
        seen[no] = line
        crises.append(IcbCrisis(
            crisno=no, name=str(r["crisname"]) or f"crisis {no}", line=line, trigger_type=r["break"],
            trigger_entity=r["trigent"], trigger_year=r["yrtrig"], trigger_month=r["motrig"], trigger_day=r["datrig"],
            end_year=r["yrterm"], end_month=r["moterm"], end_day=r["daterm"], gravity=r["gravcr"], violence=r["viol"],
            severity=r["sevviosy"], management=r["crismg"], intra_war=r["iwcmb"], gp_involvement=r["gpinv"],
            us_activity=r["usinv"], su_activity=r["suinv"], power_discrepancy=r["powdissy"], region_code=r["geog"]))
    actors: dict[int, list[IcbActor]] = {}
    orphans: list[IcbActor] = []
    aname = str(actors_csv)
    for line, r in act_rows:
        if r["crisno"] is None:
            issues.append(Issue(aname, line, 0, "crisno", "the crisis number is blank"))
            continue
        a = IcbActor(
            crisno=r["crisno"], line=line, ccode=r["cracid"], abbrev=str(r["actor"]), trigger_type=r["triggr"],
            trigger_year=r["yrtrig"], trigger_month=r["motrig"], trigger_day=r["datrig"], trigger_entity=r["trigent"],
            major_response=r["majres"], gravity=r["gravty"], nuclear=r["nuclear"], power_discrepancy=r["powdis"],
            activity={c: r[c] for c in ACTIVITY_COLUMNS}, location=r["cractloc"])
        if a.crisno in seen:
            actors.setdefault(a.crisno, []).append(a)
        else:
            orphans.append(a)
    if issues:
        raise IcbDataError(issues[:MAX_ISSUES], more=max(0, len(issues) - MAX_ISSUES))
    return IcbData(crises=tuple(crises), actors={k: tuple(v) for k, v in actors.items()},
                   system_file=sname, actors_file=aname, orphans=tuple(orphans))
