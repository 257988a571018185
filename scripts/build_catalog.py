"""Build Flashpoint's actor catalog from the shared reference data.

Run from the repository root::

    python scripts/build_catalog.py [--shared ../shared/data] [--out sim/data/catalog]

Reads the CSV files described in ``../shared/data/PROVENANCE.md`` and writes compact derived files
into ``sim/data/catalog/`` (gzip'd JSON/CSV with a fixed gzip header, plain CSV and JSON), plus
``MANIFEST.json`` with the SHA-256 of every input read and every output written. The output is
deterministic: the same inputs give byte-identical files. Only the Python standard library is used.

The package (``sim.catalog``) reads only these derived files, never ``../shared``. See
``docs/data.md`` for what each file holds, the sources to cite and the known caveats.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import io
import json
import math
import sys
from collections import defaultdict
from pathlib import Path

SCRIPT_VERSION = "1.1.0"
REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SHARED = REPO_ROOT.parent / "shared" / "data"
DEFAULT_OUT = REPO_ROOT / "sim" / "data" / "catalog"

# Input files (names as in ../shared/data).
F_NMC = "cow_nmc_v7_all_states_1816-2022.csv"
F_STATES = "cow_states.csv"
F_MAJORS = "cow_majors.csv"
F_CAPITALS = "cow_capitals.csv"
F_CONTDIR = "cow_contdir.csv"
F_MINDIST = "cow_mindist_2019.csv"
F_DEMOCRACY = "ccode_democracy.csv"
F_ATOP = "atop_v5_1_directed_dyad_year_1815-2018.csv"
F_UNGA = "unga_idealpoints_BSV_July2025.csv"
F_SIPRI = "sipri_milex_1949-2024_long.csv"
F_TSS = "tss_rivalries.csv"
F_GRH = "grh_arms_races.csv"
F_TD = "td_rivalries.csv"
INPUTS = [
    F_NMC,
    F_STATES,
    F_MAJORS,
    F_CAPITALS,
    F_CONTDIR,
    F_MINDIST,
    F_DEMOCRACY,
    F_ATOP,
    F_UNGA,
    F_SIPRI,
    F_TSS,
    F_GRH,
    F_TD,
]

# --- Hard-coded tables (documented in docs/data.md) -------------------------------------------

#: Nuclear-weapon possession by COW ccode: (first year, last year or None, note).
#: First-test years; Israel never tested or declared (estimate); South Africa assembled devices
#: without a test and dismantled them. Sources: Kristensen & Korda et al., Federation of American
#: Scientists, "Status of World Nuclear Forces"; SIPRI Yearbook, ch. "World nuclear forces";
#: NTI country profiles (Israel, South Africa).
NUCLEAR = {
    2: (1945, None, "first test 1945"),
    365: (1949, None, "first test 1949 (USSR)"),
    200: (1952, None, "first test 1952"),
    220: (1960, None, "first test 1960"),
    710: (1964, None, "first test 1964"),
    666: (1967, None, "undeclared; possession from c. 1967 per NTI/FAS estimates"),
    750: (1974, None, "first test 1974"),
    560: (1982, 1990, "devices assembled from 1982 without a test; dismantled 1990-91"),
    770: (1998, None, "first test 1998"),
    731: (2006, None, "first test 2006"),
}

#: Display names by period, where COW's single state name misleads for a period (COW calls
#: ccode 345 "Yugoslavia" from 1878, 365 "Russia" throughout). The COW name is kept as cow_name.
HISTORICAL_NAMES = {
    345: [
        (1878, 1918, "Serbia"),
        (1919, 1991, "Yugoslavia"),
        (1992, 2002, "Yugoslavia (Serbia and Montenegro)"),
        (2003, 2005, "Serbia and Montenegro"),
        (2006, 9999, "Serbia"),
    ],
    365: [
        (1816, 1917, "Russia"),
        (1918, 1921, "Soviet Russia"),
        (1922, 1991, "Soviet Union"),
        (1992, 9999, "Russia"),
    ],
    255: [(1816, 1870, "Prussia"), (1871, 9999, "Germany")],
    260: [(1816, 9999, "West Germany")],
    265: [(1816, 9999, "East Germany")],
    300: [(1816, 1866, "Austrian Empire"), (1867, 9999, "Austria-Hungary")],
    325: [(1816, 1860, "Sardinia"), (1861, 9999, "Italy")],
    640: [(1816, 1922, "Ottoman Empire"), (1923, 9999, "Turkey")],
    816: [(1954, 1975, "North Vietnam"), (1976, 9999, "Vietnam")],
    817: [(1954, 9999, "South Vietnam")],
    678: [(1918, 9999, "North Yemen")],
    680: [(1967, 9999, "South Yemen")],
}

#: Scenario aliases accepted in place of a COW stateabb (alias -> COW stateabb).
ALIASES = {"SRB": "YUG"}

#: Capital coordinates that the source gives wrongly (a country centroid); replaced by the city.
CAPITAL_FIXES = {
    (140, "Brasilia"): (-15.7939, -47.8828),
    (670, "Riyadh"): (24.7136, 46.6753),
}

#: TSS rows whose COW code contradicts the row's own name and years:
#: tssr_id -> (field, wrong ccode, right ccode, corrected name or None).
#: 165: 438 is Guinea; the rivalry (and its name, misspelt) is Equatorial Guinea (411)-Gabon.
#: 92/140/141: unified Yemen (679) exists only from 1990; before that North Yemen is 678.
#: 158: "S. Yemen" is the Yemen People's Republic (680), not unified Yemen (679).
TSS_FIXES = {
    165: ("ccode1", 438, 411, "Equatorial Guinea-Gabon"),
    92: ("ccode2", 679, 678, None),
    140: ("ccode2", 679, 678, None),
    141: ("ccode2", 679, 678, None),
    158: ("ccode1", 679, 680, None),
}

#: SIPRI country names whose spelling differs from COW's state name (others match exactly).
SIPRI_NAMES = {
    "Congo, DR": 490,
    "Congo, Republic": 484,
    "Cote d'Ivoire": 437,
    "Czechia": 316,
    "Eswatini": 572,
    "Gambia, The": 420,
    "Korea, North": 731,
    "Korea, South": 732,
    "Kyrgyz Republic": 703,
    "North Macedonia": 343,
    "Serbia": 345,
    "Timor Leste": 860,
    "Türkiye": 640,
    "USSR": 365,
    "Viet Nam": 816,
    "Yemen, North": 678,
}
#: SIPRI's "Germany" before 1991 is the Federal Republic; 1990 is given to both GFR and GMY.
SIPRI_NOT_STATES = {"European Union"}

#: Thompson & Dreyer's rivalry types (a rivalry has one to three of them, the first the main one).
TD_TYPES = ("spatial", "positional", "ideological", "interventionary")

CARRY_FORWARD_MAX = 5  # years a democracy score may be carried forward
ATOP_BITS = (
    ("atop_defense", 1),
    ("atop_offense", 2),
    ("atop_neutral", 4),
    ("atop_nonagg", 8),
    ("atop_consul", 16),
)

SOURCES = [
    {
        "id": "cow_nmc",
        "title": "Correlates of War National Material Capabilities v7.0",
        "citation": 'Singer, J. David, Stuart Bremer, and John Stuckey. 1972. "Capability '
        'Distribution, Uncertainty, and Major Power War, 1820-1965." In Bruce Russett '
        "(ed.), Peace, War, and Numbers, 19-48. Beverly Hills: Sage. Singer, J. David. "
        '1987. "Reconstructing the Correlates of War Dataset on Material Capabilities '
        'of States, 1816-1985." International Interactions 14(2): 115-132.',
        "url": "https://correlatesofwar.org/data-sets/national-material-capabilities/",
        "terms": "Free for research use with citation.",
        "used_for": "stateabb, ccode, name, CINC and its six components, state-years",
    },
    {
        "id": "cow_states",
        "title": "Correlates of War State System Membership v2016",
        "citation": 'Correlates of War Project. 2017. "State System Membership List, v2016."',
        "url": "https://correlatesofwar.org/data-sets/state-system-membership/",
        "terms": "Free for research use with citation.",
        "used_for": "state codes and names",
    },
    {
        "id": "cow_majors",
        "title": "Correlates of War major powers (v2016)",
        "citation": 'Correlates of War Project. 2017. "State System Membership List, v2016" '
        "(major powers).",
        "url": "https://correlatesofwar.org/data-sets/state-system-membership/",
        "terms": "Free for research use with citation.",
        "used_for": "major-power status (ends 2016; carried forward to 2022)",
    },
    {
        "id": "cow_contdir",
        "title": "Correlates of War Direct Contiguity v3.2",
        "citation": "Stinnett, Douglas M., Jaroslav Tir, Philip Schafer, Paul F. Diehl, and Charles "
        'Gochman. 2002. "The Correlates of War Project Direct Contiguity Data, Version '
        '3." Conflict Management and Peace Science 19(2): 58-66.',
        "url": "https://correlatesofwar.org/data-sets/direct-contiguity/",
        "terms": "Free for research use with citation.",
        "used_for": "contiguity spells",
    },
    {
        "id": "cshapes",
        "title": "CShapes 2.0 minimum distances (2019), via peacesciencer",
        "citation": "Schvitz, Guy, Luc Girardin, Seraina Rüegger, Nils B. Weidmann, Lars-Erik "
        'Cederman, and Kristian Skrede Gleditsch. 2022. "Mapping the International '
        'System, 1886-2019: The CShapes 2.0 Dataset." Journal of Conflict Resolution '
        "66(1): 144-161.",
        "url": "https://icr.ethz.ch/data/cshapes/",
        "terms": "Free for research use with citation.",
        "used_for": "minimum distances (km)",
    },
    {
        "id": "peacesciencer",
        "title": "peacesciencer (R package)",
        "citation": 'Miller, Steven V. 2022. "peacesciencer: An R Package for Quantitative Peace '
        'Science Research." Conflict Management and Peace Science 39(6): 755-779.',
        "url": "https://svmiller.com/peacesciencer/",
        "terms": "GPL-2 package; data carry their producers' terms.",
        "used_for": "the copies of the COW, ATOP, cshapes, democracy, TSS and GRH data; capitals",
    },
    {
        "id": "vdem",
        "title": "V-Dem electoral democracy index (v2x_polyarchy)",
        "citation": "Coppedge, Michael, John Gerring, Carl Henrik Knutsen, Staffan I. Lindberg, "
        "Jan Teorell, et al. V-Dem Country-Year Dataset. Varieties of Democracy (V-Dem) "
        "Project (version as packaged in peacesciencer's ccode_democracy).",
        "url": "https://www.v-dem.net/",
        "terms": "Free with citation (CC BY-SA 4.0).",
        "used_for": "polyarchy",
    },
    {
        "id": "polity5",
        "title": "Polity5 Project (polity2)",
        "citation": "Marshall, Monty G., and Ted Robert Gurr. 2020. Polity5: Political Regime "
        "Characteristics and Transitions, 1800-2018. Center for Systemic Peace.",
        "url": "https://www.systemicpeace.org/inscrdata.html",
        "terms": "Free for non-commercial research with citation.",
        "used_for": "polity2",
    },
    {
        "id": "atop",
        "title": "Alliance Treaty Obligations and Provisions (ATOP) v5.1",
        "citation": "Leeds, Brett Ashley, Jeffrey M. Ritter, Sara McLaughlin Mitchell, and Andrew "
        'G. Long. 2002. "Alliance Treaty Obligations and Provisions, 1815-1944." '
        "International Interactions 28(3): 237-260.",
        "url": "http://www.atopdata.org/",
        "terms": "Free with citation.",
        "used_for": "alliance obligations 1815-2018",
    },
    {
        "id": "unga",
        "title": "UN General Assembly ideal points (July 2025)",
        "citation": 'Bailey, Michael A., Anton Strezhnev, and Erik Voeten. 2017. "Estimating '
        'Dynamic State Preferences from United Nations Voting Data." Journal of '
        "Conflict Resolution 61(2): 430-456. Data: Voeten, Erik, Anton Strezhnev, and "
        'Michael Bailey, "United Nations General Assembly Voting Data", Harvard '
        "Dataverse, doi:10.7910/DVN/LEJUQZ.",
        "url": "https://doi.org/10.7910/DVN/LEJUQZ",
        "terms": "Free with citation.",
        "used_for": "ideal point (idealpointall), 1946-",
    },
    {
        "id": "sipri",
        "title": "SIPRI Military Expenditure Database",
        "citation": "SIPRI Military Expenditure Database, Stockholm International Peace Research "
        "Institute, https://www.sipri.org/databases/milex (data 1949-2024).",
        "url": "https://www.sipri.org/databases/milex",
        "terms": '© SIPRI; free use with the citation "SIPRI Military Expenditure Database".',
        "used_for": "military expenditure, constant 2023 US$ m",
    },
    {
        "id": "tss",
        "title": "Strategic rivalries 1494-2020 (Thompson, Sakuwa & Suhas)",
        "citation": "Thompson, William R., Kentaro Sakuwa, and Prashant Hosur Suhas. 2021. "
        "Analyzing Strategic Rivalries in World Politics. Springer; as entered in "
        "peacesciencer's tss_rivalries (Miller 2022).",
        "url": "https://search.r-project.org/CRAN/refmans/peacesciencer/html/tss_rivalries.html",
        "terms": "Cite the book and peacesciencer.",
        "used_for": "strategic rivalries",
    },
    {
        "id": "td",
        "title": "Strategic rivalries with their types, 1494-2010 (Thompson & Dreyer)",
        "citation": "Thompson, William R., and David R. Dreyer. 2011. Handbook of International "
        "Rivalries, 1494-2010. Washington, DC: CQ Press; as entered in peacesciencer's "
        "td_rivalries (Miller 2022).",
        "url": "https://search.r-project.org/CRAN/refmans/peacesciencer/html/td_rivalries.html",
        "terms": "Cite the book and peacesciencer.",
        "used_for": "rivalry types (spatial, positional, ideological, interventionary)",
    },
    {
        "id": "grh",
        "title": "Conventional arms races (Gibler, Rider & Hutchison)",
        "citation": 'Gibler, Douglas M., Toby J. Rider, and Marc L. Hutchison. 2005. "Taking Arms '
        "Against a Sea of Troubles: Conventional Arms Races During Periods of "
        'Rivalry." Journal of Peace Research 42(2): 131-147.',
        "url": "https://search.r-project.org/CRAN/refmans/peacesciencer/html/grh_arms_races.html",
        "terms": "Cite the article.",
        "used_for": "arms races",
    },
    {
        "id": "nuclear",
        "title": "Nuclear-weapon states (hard-coded table)",
        "citation": 'Kristensen, Hans M., Matt Korda, et al. "Status of World Nuclear Forces." '
        'Federation of American Scientists (annual); SIPRI Yearbook, chapter "World '
        'nuclear forces"; NTI country profiles (Israel, South Africa).',
        "url": "https://fas.org/initiative/status-world-nuclear-forces/",
        "terms": "Facts (first-test years) cited to their sources.",
        "used_for": "nuclear status by year",
    },
]


# --- helpers ----------------------------------------------------------------------------------


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def num(s: str | None) -> float | None:
    """Parse a CSV number; empty, NA and NaN give None."""
    if s is None:
        return None
    s = s.strip()
    if s == "" or s.upper() in {"NA", "NAN"}:
        return None
    v = float(s)
    return None if math.isnan(v) else v


def inum(s: str | None) -> int | None:
    v = num(s)
    return None if v is None else int(v)


def compact(v: float | None) -> float | int | None:
    """Integral floats as ints (shorter JSON), others unchanged."""
    if v is None:
        return None
    return int(v) if float(v).is_integer() and abs(v) < 2**53 else v


def gz_bytes(data: bytes) -> bytes:
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, mtime=0, compresslevel=9) as gz:
        gz.write(data)
    return buf.getvalue()


def csv_bytes(header: list[str], rows: list[list]) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    for r in rows:
        w.writerow(["" if v is None else v for v in r])
    return buf.getvalue().encode("utf-8")


def json_bytes(obj) -> bytes:
    return (
        json.dumps(obj, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
        + "\n"
    ).encode("utf-8")


def date_key(s: str) -> int:
    """'1816-01-01' -> 18160101."""
    y, m, d = s.split("-")
    return int(y) * 10000 + int(m) * 100 + int(d)


# --- builders ---------------------------------------------------------------------------------


def build(shared: Path, out: Path) -> dict:
    missing = [f for f in INPUTS if not (shared / f).is_file()]
    if missing:
        raise SystemExit(f"error: {shared} lacks {', '.join(missing)}")
    notes: dict[str, object] = {}

    # NMC: the backbone, one row per state-year.
    nmc = read_csv(shared / F_NMC)
    nmc.sort(key=lambda r: (int(r["ccode"]), int(r["year"])))
    abb_of: dict[int, str] = {}
    name_of: dict[int, str] = {}
    for r in nmc:
        c = int(r["ccode"])
        if abb_of.setdefault(c, r["stateabb"]) != r["stateabb"]:
            raise SystemExit(f"ccode {c} has several stateabb codes")
        name_of.setdefault(c, r["statenme"])
    codes_seen: dict[str, int] = {}
    for c, a in abb_of.items():
        if codes_seen.setdefault(a, c) != c:
            raise SystemExit(f"stateabb {a} is used by ccodes {codes_seen[a]} and {c}")
    # Cross-check codes against the COW state list (same stateabb for the same ccode).
    for r in read_csv(shared / F_STATES):
        c = inum(r["ccode"])
        if c in abb_of and abb_of[c] != r["stateabb"]:
            raise SystemExit(f"ccode {c}: NMC says {abb_of[c]}, state list {r['stateabb']}")
    for alias, target in ALIASES.items():
        if alias in codes_seen or target not in codes_seen:
            raise SystemExit(f"alias {alias}->{target} clashes with the COW codes")
    first_year = min(int(r["year"]) for r in nmc)
    last_year = max(int(r["year"]) for r in nmc)

    # Democracy: per ccode sorted lists of (year, value).
    dem_v: dict[int, list[tuple[int, float]]] = defaultdict(list)
    dem_p: dict[int, list[tuple[int, float]]] = defaultdict(list)
    for r in read_csv(shared / F_DEMOCRACY):
        c, y = inum(r["ccode"]), inum(r["year"])
        if (v := num(r["v2x_polyarchy"])) is not None:
            dem_v[c].append((y, v))
        if (p := num(r["polity2"])) is not None:
            dem_p[c].append((y, p))
    for d in (dem_v, dem_p):
        for lst in d.values():
            lst.sort()

    def carry(series: list[tuple[int, float]], year: int) -> tuple[float | None, int | None]:
        best = None
        for y, v in series:  # short lists; linear scan is fine for a build script
            if y > year:
                break
            best = (y, v)
        if best is None or year - best[0] > CARRY_FORWARD_MAX:
            return None, None
        return best[1], best[0]

    # UN ideal points (idealpointall); ISO3 codes for error hints.
    ideal: dict[tuple[int, int], float] = {}
    iso3: dict[int, str] = {}
    for r in read_csv(shared / F_UNGA):
        c, y = inum(r["ccode"]), inum(r["year"])
        if (v := num(r["idealpointall"])) is not None:
            ideal[(c, y)] = v
        iso = (r.get("iso3c") or "").strip()
        if iso and iso != "NA" and (c not in iso3 or y >= 1990):
            iso3[c] = iso

    # Major powers: inclusive year ranges; the list ends in 2016.
    majors: dict[int, list[tuple[int, int]]] = defaultdict(list)
    majors_last = 0
    for r in read_csv(shared / F_MAJORS):
        c, a, b = inum(r["ccode"]), inum(r["styear"]), inum(r["endyear"])
        majors[c].append((a, b))
        majors_last = max(majors_last, b)

    def is_major(c: int, y: int) -> bool:
        yy = min(y, majors_last)  # status after the list's end = its last status
        return any(a <= yy <= b for a, b in majors.get(c, []))

    # Capitals: the spell in force on 1 July of the year, else one overlapping the year.
    caps: dict[int, list[tuple[int, int, str, float, float]]] = defaultdict(list)
    for r in read_csv(shared / F_CAPITALS):
        c = inum(r["ccode"])
        lat, lon = num(r["lat"]), num(r["lng"])
        fix = CAPITAL_FIXES.get((c, r["capital"]))
        if fix:
            lat, lon = fix
        caps[c].append((date_key(r["stdate"]), date_key(r["enddate"]), r["capital"], lat, lon))
    cap_table: list[list] = []
    cap_index: dict[tuple, int] = {}

    def capital(c: int, y: int) -> int:
        spells = caps.get(c)
        if not spells:
            raise SystemExit(f"no capital for ccode {c}")
        mid = y * 10000 + 701
        pick = next((s for s in spells if s[0] <= mid <= s[1]), None)
        if pick is None:
            pick = next((s for s in spells if s[0] // 10000 <= y <= s[1] // 10000), None)
        if pick is None:
            pick = min(spells, key=lambda s: min(abs(s[0] // 10000 - y), abs(s[1] // 10000 - y)))
        key = (pick[2], pick[3], pick[4])
        if key not in cap_index:
            cap_index[key] = len(cap_table)
            cap_table.append([pick[2], pick[3], pick[4]])
        return cap_index[key]

    # SIPRI constant-2023 US$ m by (ccode, year).
    cow_name_to_c = {name_of[c]: c for c in name_of}
    sipri: dict[tuple[int, int], float] = {}
    sipri_cur: dict[tuple[int, int], float] = {}  # current US$ m, for imputing COW milex
    unmapped: set[str] = set()
    mapped_names: dict[str, list[int]] = {}
    for r in read_csv(shared / F_SIPRI):
        name, y, v = r["Country"], int(r["year"]), num(r["milex_const2023_usd_m"])
        if name == "Germany":
            targets = ([260] if y <= 1990 else []) + ([255] if y >= 1990 else [])
        elif name in SIPRI_NAMES:
            targets = [SIPRI_NAMES[name]]
        elif name in cow_name_to_c:
            targets = [cow_name_to_c[name]]
        else:
            unmapped.add(name)
            continue
        mapped_names.setdefault(name, sorted(set(mapped_names.get(name, []) + targets)))
        cur = num(r["milex_current_usd_m"])
        if cur:  # SIPRI's sheet writes 0.0 where it has no figure: only positive values count
            for c in targets:
                sipri_cur[(c, y)] = cur
        if v is None:
            continue
        for c in targets:
            if (c, y) in sipri and sipri[(c, y)] != v:
                raise SystemExit(f"two SIPRI series for ccode {c} in {y}")
            sipri[(c, y)] = v
    notes["sipri_unmapped"] = sorted(unmapped)
    notes["sipri_states_with_values"] = len({c for c, _ in sipri})
    notes["sipri_no_const_usd"] = sorted(
        n
        for n, cs in mapped_names.items()
        if not any((c, y) in sipri for c in cs for y in range(1949, 2025))
    )

    # State-year columns.
    cols: dict[str, list] = {
        k: []
        for k in (
            "ccode",
            "year",
            "milex",
            "milper",
            "irst",
            "pec",
            "tpop",
            "upop",
            "cinc",
            "polyarchy",
            "polyarchy_year",
            "polity2",
            "polity2_year",
            "ideal_point",
            "major",
            "nuclear",
            "sipri_milex_usd_m",
            "capital",
            "milex_imputed",
            "milex_imputed_from",
            "ideal_point_imputed",
            "ideal_point_imputed_year",
        )
    }
    # Imputation sources (rules in docs/data.md, "Missing values"): COW milex by state, ideal points.
    cow_milex: dict[int, list[tuple[int, float]]] = defaultdict(list)
    for r in nmc:
        if (v := num(r["milex"])) is not None:
            cow_milex[int(r["ccode"])].append((int(r["year"]), v))
    ideal_years: dict[int, list[int]] = defaultdict(list)
    for c, y in sorted(ideal):
        ideal_years[c].append(y)

    def nearest(years: list[int], y: int) -> int | None:
        """The year in ``years`` closest to ``y`` (the earlier one on a tie)."""
        return min(years, key=lambda t: (abs(t - y), t)) if years else None

    imputed = {"milex": 0, "ideal_point": 0}
    carried = {"polyarchy": 0, "polity2": 0}
    for r in nmc:
        c, y = int(r["ccode"]), int(r["year"])
        cols["ccode"].append(c)
        cols["year"].append(y)
        for k in ("milex", "milper", "irst", "pec", "tpop", "upop", "cinc"):
            cols[k].append(compact(num(r[k])))
        for k, series in (("polyarchy", dem_v), ("polity2", dem_p)):
            v, sy = carry(series.get(c, []), y)
            cols[k].append(compact(v) if k == "polity2" else v)
            cols[k + "_year"].append(sy if (sy is not None and sy != y) else None)
            carried[k] += sy is not None and sy != y
        cols["ideal_point"].append(ideal.get((c, y)) if y >= 1946 else None)
        cols["major"].append(int(is_major(c, y)))
        nu = NUCLEAR.get(c)
        cols["nuclear"].append(int(nu is not None and nu[0] <= y and (nu[1] is None or y <= nu[1])))
        sv = sipri.get((c, y))
        cols["sipri_milex_usd_m"].append(None if sv is None else round(sv, 1))
        cols["capital"].append(capital(c, y))
        mv, msrc = None, None
        if num(r["milex"]) is None:
            if (c, y) in sipri_cur:
                mv, msrc = round(sipri_cur[(c, y)] * 1000.0), "sipri"
            elif (yy := nearest([t for t, _ in cow_milex.get(c, [])], y)) is not None:
                mv, msrc = dict(cow_milex[c])[yy], f"cow:{yy}"
        cols["milex_imputed"].append(compact(mv))
        cols["milex_imputed_from"].append(msrc)
        iv, iy = None, None
        if y >= 1946 and (c, y) not in ideal and (yy := nearest(ideal_years.get(c, []), y)) is not None:
            iv, iy = ideal[(c, yy)], yy
        cols["ideal_point_imputed"].append(iv)
        cols["ideal_point_imputed_year"].append(iy)
        imputed["milex"] += mv is not None
        imputed["ideal_point"] += iv is not None
    notes["carried_forward_rows"] = carried
    notes["imputed_rows"] = imputed

    spans: dict[int, list[list[int]]] = defaultdict(list)
    for c, y in zip(cols["ccode"], cols["year"], strict=True):
        sp = spans[c]
        if sp and sp[-1][1] == y - 1:
            sp[-1][1] = y
        else:
            sp.append([y, y])

    states = []
    for c in sorted(abb_of):
        states.append(
            {
                "ccode": c,
                "code": abb_of[c],
                "cow_name": name_of[c],
                "iso3": iso3.get(c),
                "names": [list(t) for t in HISTORICAL_NAMES.get(c, [])],
                "spans": spans[c],
            }
        )

    # ATOP: directed spells of identical obligation patterns (rows with no obligation dropped).
    atop_rows: dict[tuple[int, int], list[tuple[int, int]]] = defaultdict(list)
    atop_first, atop_last = 9999, 0
    for r in read_csv(shared / F_ATOP):
        c1, c2, y = int(r["ccode1"]), int(r["ccode2"]), int(r["year"])
        atop_first, atop_last = min(atop_first, y), max(atop_last, y)
        mask = sum(bit for k, bit in ATOP_BITS if r[k].strip() == "1")
        if mask:
            atop_rows[(c1, c2)].append((y, mask))
    atop_spells = []
    for c1, c2 in sorted(atop_rows):
        for y, mask in sorted(atop_rows[(c1, c2)]):
            last = atop_spells[-1] if atop_spells else None
            if last and last[0] == c1 and last[1] == c2 and last[3] == y - 1 and last[4] == mask:
                last[3] = y
            else:
                atop_spells.append([c1, c2, y, y, mask])

    # Contiguity: undirected spells, conttype 1-5 (source 0 = none, dropped). The source's
    # right edge (December 2016) is written as open-ended (end year 9999).
    cont = []
    cont_last = 0
    for r in read_csv(shared / F_CONTDIR):
        cont_last = max(cont_last, date_key(r["enddate"]) // 10000)
    for r in read_csv(shared / F_CONTDIR):
        c1, c2, t = inum(r["ccode1"]), inum(r["ccode2"]), inum(r["conttype"])
        if c1 >= c2 or not t:
            continue
        s, e = date_key(r["stdate"]) // 100, date_key(r["enddate"]) // 100
        cont.append([c1, c2, t, s, 999912 if e // 100 == cont_last else e])
    cont.sort()

    # Minimum distance 2019 (undirected, km to 0.1).
    mind = {}
    for r in read_csv(shared / F_MINDIST):
        c1, c2 = inum(r["ccode1"]), inum(r["ccode2"])
        a, b = min(c1, c2), max(c1, c2)
        mind[(a, b)] = round(num(r["mindist"]), 1)
    mind_rows = [[a, b, compact(v)] for (a, b), v in sorted(mind.items())]

    # Rivalries (TSS); ongoing at the 2020 right edge -> open-ended.
    tss = read_csv(shared / F_TSS)
    tss_last = max(inum(r["end"]) for r in tss)
    riv = []
    for r in tss:
        rid = inum(r["tssr_id"])
        c1, c2, name = inum(r["ccode1"]), inum(r["ccode2"]), r["rivalry"]
        if rid in TSS_FIXES:
            field, wrong, right, fixed = TSS_FIXES[rid]
            if (c1 if field == "ccode1" else c2) != wrong:
                raise SystemExit(f"TSS fix for {rid} no longer applies")
            c1, c2 = (right, c2) if field == "ccode1" else (c1, right)
            name = fixed or name
        a, b = min(c1, c2), max(c1, c2)
        end = inum(r["end"])
        flags = [
            1 if num(r[k]) == 1 else 0
            for k in (
                "positional",
                "spatial",
                "ideological",
                "interventionary",
                "principal",
                "aprin",
            )
        ]
        riv.append([rid, name, a, b, inum(r["start"]), end, int(end == tss_last), *flags])
    riv.sort(key=lambda x: x[0])

    # Thompson & Dreyer typed rivalries; ongoing at the 2010 right edge -> open-ended.
    td = read_csv(shared / F_TD)
    td_last = max(inum(r["endyear"]) for r in td)
    td_rows = []
    for r in td:
        c1, c2 = inum(r["ccode1"]), inum(r["ccode2"])
        types = [t for t in (r["type1"], r["type2"], r["type3"]) if t.strip()]
        bad = [t for t in types if t not in TD_TYPES]
        if bad:
            raise SystemExit(f"td_rivalries: unknown rivalry type {bad} in row {r['rivalryno']}")
        end = inum(r["endyear"])
        td_rows.append([inum(r["rivalryno"]), r["rivalryname"], min(c1, c2), max(c1, c2),
                        inum(r["styear"]), end, int(end == td_last), r["region"], ";".join(types)])
    td_rows.sort(key=lambda x: x[0])

    races = []
    for r in read_csv(shared / F_GRH):
        c1, c2 = inum(r["ccode1"]), inum(r["ccode2"])
        races.append(
            [inum(r["race_id"]), min(c1, c2), max(c1, c2), inum(r["styear"]), inum(r["endyear"])]
        )
    races.sort()

    meta = {
        "first_year": first_year,
        "last_year": last_year,
        "atop_first_year": atop_first,
        "atop_last_year": atop_last,
        "contiguity_source_last_year": cont_last,
        "majors_last_year": majors_last,
        "democracy_carry_forward_max": CARRY_FORWARD_MAX,
        "mindist_year": 2019,
        "tss_last_year": tss_last,
        "td_last_year": td_last,
        "atop_bits": {k.removeprefix("atop_"): b for k, b in ATOP_BITS},
    }
    states_doc = {
        "meta": meta,
        "aliases": ALIASES,
        "states": states,
        "capitals": cap_table,
        "nuclear": {str(c): {"first": a, "last": b, "note": n} for c, (a, b, n) in NUCLEAR.items()},
        "columns": cols,
    }

    outputs = {
        "states.json.gz": gz_bytes(json_bytes(states_doc)),
        "atop_spells.csv.gz": gz_bytes(
            csv_bytes(["ccode1", "ccode2", "start", "end", "mask"], atop_spells)
        ),
        "contiguity.csv.gz": gz_bytes(
            csv_bytes(["ccode1", "ccode2", "conttype", "start_ym", "end_ym"], cont)
        ),
        "mindist_2019.csv.gz": gz_bytes(csv_bytes(["ccode1", "ccode2", "km"], mind_rows)),
        "rivalries.csv": csv_bytes(
            [
                "tssr_id",
                "rivalry",
                "ccode1",
                "ccode2",
                "start",
                "end",
                "ongoing",
                "positional",
                "spatial",
                "ideological",
                "interventionary",
                "principal",
                "aprin",
            ],
            riv,
        ),
        "rivalries_td.csv": csv_bytes(
            ["rivalryno", "rivalry", "ccode1", "ccode2", "start", "end", "ongoing", "region", "types"],
            td_rows,
        ),
        "arms_races.csv": csv_bytes(["race_id", "ccode1", "ccode2", "start", "end"], races),
        "sources.json": (json.dumps(SOURCES, indent=1, ensure_ascii=False) + "\n").encode(),
    }
    notes.update(
        {
            "state_years": len(nmc),
            "states": len(states),
            "atop_spells": len(atop_spells),
            "contiguity_spells": len(cont),
            "mindist_pairs": len(mind_rows),
            "rivalries": len(riv),
            "rivalries_td": len(td_rows),
            "arms_races": len(races),
            "capitals": len(cap_table),
        }
    )

    out.mkdir(parents=True, exist_ok=True)
    for name, data in outputs.items():
        (out / name).write_bytes(data)
    manifest = {
        "script": "scripts/build_catalog.py",
        "script_version": SCRIPT_VERSION,
        "inputs": {f: sha256_file(shared / f) for f in INPUTS},
        "outputs": {
            n: {"sha256": hashlib.sha256(d).hexdigest(), "bytes": len(d)}
            for n, d in sorted(outputs.items())
        },
        "meta": meta,
        "notes": notes,
    }
    (out / "MANIFEST.json").write_bytes(
        (json.dumps(manifest, indent=1, sort_keys=True, ensure_ascii=False) + "\n").encode()
    )
    return manifest


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--shared",
        type=Path,
        default=DEFAULT_SHARED,
        help="folder with the shared reference CSVs (default: ../shared/data)",
    )
    ap.add_argument(
        "--out", type=Path, default=DEFAULT_OUT, help="output folder (default: sim/data/catalog)"
    )
    args = ap.parse_args(argv)
    m = build(args.shared.resolve(), args.out.resolve())
    total = sum(o["bytes"] for o in m["outputs"].values())
    print(f"wrote {len(m['outputs'])} files ({total / 1024:.0f} KiB) + MANIFEST.json to {args.out}")
    print(json.dumps(m["notes"], indent=1, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
