"""The actor catalog: real state-year and dyadic data for scenario actors.

The catalog reads only the derived files shipped in ``sim/data/catalog/`` (built from the shared
reference data by ``scripts/build_catalog.py``; see ``docs/data.md``). It never reads anything
outside the package.

Actors are keyed by the Correlates of War three-letter state abbreviation (``USA``, ``RUS``,
``PRK`` …). Codes are case-insensitive. ``SRB`` is accepted as an alias of COW ``YUG``
(ccode 345, Serbia/Yugoslavia); results echo the code the caller passed.

Typical use::

    from sim.catalog import load_catalog

    cat = load_catalog()
    rus = cat.state("RUS", 2022)
    pacts = cat.alliances(["RUS", "PRK", "CHN"], 2022)   # ATOP year 2018

Dyadic choices:
    * ``alliances`` reports each unordered pair once, its obligations OR-ed over both directed
      ATOP rows (ATOP is directed: a pledge can bind one side only). ATOP ends in 2018; later
      years use 2018 (``AllianceRecord.source_year`` says which year was used).
    * ``contiguity`` gives the closest COW contiguity type in force at any time in the year;
      COW spells still running at the source's end (December 2016) are taken to continue.
    * ``rivalries`` merges TSS (to 2020) and Thompson & Dreyer (to 2010, with rivalry types);
      rivalries still running at a source's end are taken as ongoing.
    * ``alliances`` weights each tie by its currency in the year (``sim.catalog.currency``).
    * The COW major-power list ends in 2016; 2017-2022 carry the 2016 status (flagged).
"""

from __future__ import annotations

import difflib
import gzip
import json
import operator
import threading
from collections.abc import Iterable, Sequence
from pathlib import Path

from sim.catalog.geography import Geography
from sim.catalog.records import AllianceRecord, StateRecord
from sim.catalog.rivalries import RivalryRecord
from sim.catalog.ties import Ties
from sim.errors import CatalogError
from sim.resources import data_dir

__all__ = [
    "DATA_DIR",
    "AllianceRecord",
    "Catalog",
    "RivalryRecord",
    "StateRecord",
    "load_catalog",
]

#: Folder of the derived files, inside the package.
DATA_DIR: Path = data_dir() / "catalog"

#: Predecessor/successor codes worth suggesting when a code is absent in a year (by ccode).
_RELATED: dict[int, tuple[int, ...]] = {
    255: (260, 265),
    260: (255,),
    265: (255,),
    240: (255,),
    245: (255,),
    267: (255,),
    269: (255,),
    271: (255,),
    273: (255,),
    275: (255,),
    280: (255,),
    300: (305, 310),
    305: (300,),
    310: (300,),
    315: (316, 317),
    316: (315,),
    317: (315,),
    327: (325,),
    329: (325,),
    332: (325,),
    335: (325,),
    337: (325,),
    345: (341, 343, 344, 346, 347, 349),
    341: (345,),
    343: (345,),
    344: (345,),
    346: (345,),
    347: (345,),
    349: (345,),
    678: (679,),
    680: (679,),
    679: (678, 680),
    730: (731, 732),
    731: (730,),
    732: (730,),
    816: (817,),
    817: (816,),
}


def _fmt_spans(spans: Sequence[Sequence[int]]) -> str:
    return ", ".join(f"{a}–{b}" if a != b else f"{a}" for a, b in spans)


class Catalog(Ties, Geography):
    """Read-only access to the shipped catalog. Use :func:`load_catalog` for the shared instance.

    This module holds the state-year side (codes, years, :class:`StateRecord`, search) and the
    provenance; the dyadic tables come from :class:`~sim.catalog.ties.Ties` (alliances, rivalries,
    arms races) and :class:`~sim.catalog.geography.Geography` (contiguity, distances).

    Attributes:
        first_year: First year covered (1816).
        last_year: Last year covered (2022).
        atop_last_year: Last ATOP year (2018); later years use it.
        majors_last_year: Last year of the COW major-power list (2016).
        data_dir: Folder the catalog was read from.
    """

    def __init__(self, data_dir: Path | str | None = None):
        """Load the state-year table (dyadic tables load on first use).

        Args:
            data_dir: Folder with the derived files; defaults to the package's own.

        Raises:
            CatalogError: If the derived files are missing.
        """
        self.data_dir = Path(data_dir) if data_dir is not None else DATA_DIR
        path = self.data_dir / "states.json.gz"
        try:
            doc = json.loads(gzip.decompress(path.read_bytes()))
        except FileNotFoundError as exc:
            raise CatalogError(
                f"the actor catalog is missing ({path}); rebuild it with "
                "`python scripts/build_catalog.py`"
            ) from exc
        meta = doc["meta"]
        self._meta = meta
        self.first_year: int = meta["first_year"]
        self.last_year: int = meta["last_year"]
        self.atop_first_year: int = meta["atop_first_year"]
        self.atop_last_year: int = meta["atop_last_year"]
        self.majors_last_year: int = meta["majors_last_year"]
        self._cf_max: int = meta["democracy_carry_forward_max"]
        self._capitals: list[list] = doc["capitals"]
        self._nuclear: dict[int, dict] = {int(k): v for k, v in doc["nuclear"].items()}
        self._aliases: dict[str, str] = dict(doc["aliases"])

        self._meta_by_ccode: dict[int, dict] = {}
        self._ccode_by_code: dict[str, int] = {}
        self._iso: dict[str, int] = {}
        for s in doc["states"]:
            self._meta_by_ccode[s["ccode"]] = s
            self._ccode_by_code[s["code"]] = s["ccode"]
            if s.get("iso3"):
                self._iso.setdefault(s["iso3"], s["ccode"])
        for alias, target in self._aliases.items():
            self._ccode_by_code[alias] = self._ccode_by_code[target]

        cols = doc["columns"]
        self._cols = cols
        self._row: dict[tuple[int, int], int] = dict(
            zip(
                zip(cols["ccode"], cols["year"], strict=True),
                range(len(cols["ccode"])),
                strict=True,
            )
        )
        self._records: dict[tuple[str, int], StateRecord] = {}
        self._codes_by_year: dict[int, list[str]] = {}
        self._lock = threading.Lock()
        self._atop: dict[int, list[tuple[int, int, int, int]]] | None = None
        self._cont: dict[int, list[tuple[int, int, int, int]]] | None = None
        self._mind: dict[tuple[int, int], float] | None = None
        self._riv: list[tuple] | None = None
        self._races: list[tuple[int, int, int, int]] | None = None
        self._sources: list[dict] | None = None
        self._manifest: dict | None = None

    def __repr__(self) -> str:
        return (
            f"Catalog({len(self._meta_by_ccode)} states, {self.first_year}–{self.last_year}, "
            f"ATOP to {self.atop_last_year})"
        )

    # --- codes and years ---------------------------------------------------------------------

    @staticmethod
    def _norm(code: object) -> str:
        if not isinstance(code, str):
            raise CatalogError(f"actor codes are strings such as 'USA', got {code!r}")
        return code.strip().upper()

    def _check_year(self, year: object) -> int:
        try:
            y = operator.index(year)  # type: ignore[arg-type]
        except TypeError:
            raise CatalogError(f"year must be a whole number, got {year!r}") from None
        if not self.first_year <= y <= self.last_year:
            hint = (
                f" Use {self.last_year} as the baseline and model later changes (such as "
                "the 2024 Russia–North Korea treaty) as scenario events."
                if y > self.last_year
                else ""
            )
            raise CatalogError(
                f"year {y} is outside the actor catalog: COW NMC covers "
                f"{self.first_year}–{self.last_year}.{hint}"
            )
        return y

    def _display_name(self, ccode: int, year: int | None = None) -> str:
        m = self._meta_by_ccode[ccode]
        names = m["names"]
        if names:
            if year is None:
                return names[-1][2]
            for a, b, n in names:
                if a <= year <= b:
                    return n
        return m["cow_name"]

    def _unknown(self, code: str) -> CatalogError:
        hints: list[str] = []
        if code in self._iso and self._meta_by_ccode[self._iso[code]]["code"] != code:
            c = self._iso[code]
            hints.append(
                f"'{code}' is the ISO 3166 code of {self._display_name(c)}, whose COW "
                f"code is {self._meta_by_ccode[c]['code']}."
            )
        cands = difflib.get_close_matches(code, list(self._ccode_by_code), n=4, cutoff=0.5)
        if len(code) > 3:
            cands = [c for c, _ in self.search(code)][:4] + cands
        seen: list[str] = []
        for c in cands:
            if c not in seen:
                seen.append(c)
        if seen:
            sug = ", ".join(f"{c} ({self._display_name(self._ccode_by_code[c])})" for c in seen[:5])
            hints.append(f"Did you mean: {sug}?")
        hints.append(
            "Codes are COW state abbreviations (USA, RUS, CHN, UKG, GMY …); "
            "Catalog.search('name') finds one by name."
        )
        return CatalogError(f"unknown actor code '{code}'. " + " ".join(hints))

    def resolve(self, code: str) -> int:
        """Return the COW ccode of an actor code.

        Args:
            code: COW stateabb (case-insensitive) or an accepted alias.

        Returns:
            The numeric COW state code.

        Raises:
            CatalogError: If the code is unknown (with did-you-mean suggestions).
        """
        c = self._norm(code)
        try:
            return self._ccode_by_code[c]
        except KeyError:
            raise self._unknown(c) from None

    def known_codes(self) -> list[str]:
        """Return every COW code in the catalog (any year), sorted; aliases excluded."""
        return sorted(m["code"] for m in self._meta_by_ccode.values())

    def years(self, code: str) -> list[tuple[int, int]]:
        """Return the spells (first, last year) in which the state is in the system."""
        return [tuple(s) for s in self._meta_by_ccode[self.resolve(code)]["spans"]]

    def codes(self, year: int) -> list[str]:
        """Return the codes of the states in the system in ``year`` (with an NMC row), sorted."""
        y = self._check_year(year)
        got = self._codes_by_year.get(y)
        if got is None:
            got = sorted(m["code"] for c, m in self._meta_by_ccode.items() if (c, y) in self._row)
            self._codes_by_year[y] = got
        return list(got)

    def has_state(self, code: str, year: int) -> bool:
        """Tell whether ``code`` is a state in the system in ``year`` (False if unknown)."""
        try:
            c = self._ccode_by_code.get(self._norm(code))
            y = operator.index(year)
        except (CatalogError, TypeError):
            return False
        return c is not None and (c, y) in self._row

    def _absent(self, code: str, c: int, y: int) -> CatalogError:
        m = self._meta_by_ccode[c]
        msg = (
            f"{code} ({self._display_name(c)}) is in the COW state system "
            f"{_fmt_spans(m['spans'])} but not in {y}."
        )
        rel = [r for r in _RELATED.get(c, ()) if (r, y) in self._row]
        if rel:
            msg += " In {}: {}.".format(
                y,
                ", ".join(
                    f"{self._meta_by_ccode[r]['code']} ({self._display_name(r, y)})" for r in rel
                ),
            )
        if code in self._iso and self._iso[code] != c:
            o = self._iso[code]
            msg += (
                f" Note: '{code}' is also the ISO 3166 code of {self._display_name(o)}, "
                f"whose COW code is {self._meta_by_ccode[o]['code']}."
            )
        return CatalogError(msg)

    def state(self, code: str, year: int) -> StateRecord:
        """Return one state's record for one year (O(1), cached).

        Args:
            code: COW stateabb or alias (case-insensitive).
            year: A year in ``first_year..last_year``.

        Raises:
            CatalogError: Unknown code (with suggestions), year out of range, or the state is
                not in the system that year (with the years it is).
        """
        y = self._check_year(year)
        k = self._norm(code)
        rec = self._records.get((k, y))
        if rec is not None:
            return rec
        c = self.resolve(k)
        i = self._row.get((c, y))
        if i is None:
            raise self._absent(k, c, y)
        rec = self._make(k, c, y, i)
        with self._lock:
            self._records[(k, y)] = rec
        return rec

    def states(self, codes: Iterable[str], year: int) -> list[StateRecord]:
        """Return the records of several states in one year, in the order given.

        Raises:
            CatalogError: Listing every code that failed.
        """
        self._check_year(year)
        out, errs = [], []
        for code in codes:
            try:
                out.append(self.state(code, year))
            except CatalogError as exc:
                errs.append(str(exc))
        if errs:
            raise CatalogError("\n".join(errs))
        return out

    def _make(self, code: str, c: int, y: int, i: int) -> StateRecord:
        col = self._cols
        m = self._meta_by_ccode[c]
        flags: list[str] = []
        if code != m["code"]:
            flags.append(f"{code} is an alias of COW {m['code']} (ccode {c})")

        def f(k: str) -> float | None:
            v = col[k][i]
            return None if v is None else float(v)

        if code in self._iso and self._iso[code] != c:
            o = self._iso[code]
            flags.append(
                f"{code} is COW's code for {m['cow_name']}; ISO 3166 {code} is "
                f"{self._display_name(o)} (COW {self._meta_by_ccode[o]['code']})"
            )
        comps = {k: f(k) for k in ("milex", "milper", "irst", "pec", "tpop", "upop")}
        missing = [k for k, v in comps.items() if v is None]
        if missing:
            flags.append("COW NMC components missing: " + ", ".join(missing))
        for k in ("polyarchy", "polity2"):
            sy = col[k + "_year"][i]
            if sy is not None:
                flags.append(f"{k} carried forward from {sy}")
        if y > self.majors_last_year:
            flags.append(
                f"major-power status carried forward from {self.majors_last_year} "
                f"(COW list ends {self.majors_last_year})"
            )
        nuclear = bool(col["nuclear"][i])
        note = self._nuclear.get(c, {}).get("note", "")
        if nuclear and not note.startswith("first test"):
            flags.append(f"nuclear: {note}")
        cap_name, lat, lon = self._capitals[col["capital"][i]]
        imputed = []
        if col["milex_imputed"][i] is not None:
            src = col["milex_imputed_from"][i]
            how = ("SIPRI's current-US$ figure for the year" if src == "sipri"
                   else f"COW figure of {src.split(':')[1]}, the nearest year with one")
            imputed.append(("milex", float(col["milex_imputed"][i]), how))
        if col["ideal_point_imputed"][i] is not None:
            iy = col["ideal_point_imputed_year"][i]
            imputed.append(("ideal_point", float(col["ideal_point_imputed"][i]),
                            f"UN ideal point of {iy}, the nearest year the state voted"))
        for name, _, how in imputed:
            flags.append(f"{name} missing; imputed from the {how}")
        return StateRecord(
            code=code,
            ccode=c,
            name=self._display_name(c, y),
            year=y,
            cinc=float(col["cinc"][i]),
            **comps,
            capital=cap_name,
            lat=float(lat),
            lon=float(lon),
            polyarchy=f("polyarchy"),
            polity2=f("polity2"),
            ideal_point=f("ideal_point"),
            major_power=bool(col["major"][i]),
            nuclear=nuclear,
            sipri_milex_usd_m=f("sipri_milex_usd_m"),
            flags=tuple(flags),
            cow_name=m["cow_name"],
            imputed=tuple(imputed),
        )

    def search(self, text: str) -> list[tuple[str, str]]:
        """Find states by code, ISO code or (part of) a name, for pickers in UIs.

        Args:
            text: Case-insensitive text, e.g. ``"korea"``, ``"PRK"``, ``"germ"``.

        Returns:
            ``(code, name)`` pairs, best matches first (exact code, code prefix, name prefix,
            name substring), each with the state's most recent display name.
        """
        t = str(text).strip().lower()
        if not t:
            return []
        scored: list[tuple[int, str, str]] = []
        for c, m in self._meta_by_ccode.items():
            code = m["code"].lower()
            names = [m["cow_name"].lower()] + [n[2].lower() for n in m["names"]]
            if t == code or t == (m.get("iso3") or "").lower():
                rank = 0 if t == code else 2
            elif code.startswith(t):
                rank = 1
            elif any(n.startswith(t) for n in names):
                rank = 2
            elif any(t in n for n in names):
                rank = 3
            else:
                continue
            scored.append((rank, m["code"], self._display_name(c)))
        for alias, target in self._aliases.items():
            if alias.lower() == t:
                c = self._ccode_by_code[target]
                scored.append((0, alias, self._display_name(c)))
        scored.sort()
        return [(code, name) for _, code, name in scored]

    # --- many codes at once (used by the dyadic tables) ------------------------------------------

    def _resolve_all(self, codes: Iterable[str]) -> tuple[list[str], list[int]]:
        norm, ccs, errs = [], [], []
        for code in codes:
            try:
                k = self._norm(code)
                ccs.append(self.resolve(k))
                norm.append(k)
            except CatalogError as exc:
                errs.append(str(exc))
        if errs:
            raise CatalogError("\n".join(errs))
        return norm, ccs

    # --- provenance ----------------------------------------------------------------------------

    @property
    def sources(self) -> list[dict]:
        """The data sources: dicts with id, title, citation, url, terms, used_for."""
        if self._sources is None:
            self._sources = json.loads((self.data_dir / "sources.json").read_text("utf-8"))
        return [dict(s) for s in self._sources]

    @property
    def manifest(self) -> dict:
        """The build manifest (input and output SHA-256, script version, notes)."""
        if self._manifest is None:
            self._manifest = json.loads((self.data_dir / "MANIFEST.json").read_text("utf-8"))
        return json.loads(json.dumps(self._manifest))


_CATALOG: Catalog | None = None
_CATALOG_LOCK = threading.Lock()


def load_catalog() -> Catalog:
    """Return the shared :class:`Catalog`, loading it on first call (about 0.1 s).

    Raises:
        CatalogError: If the shipped files are missing.
    """
    global _CATALOG
    if _CATALOG is None:
        with _CATALOG_LOCK:
            if _CATALOG is None:
                _CATALOG = Catalog()
    return _CATALOG
