"""Ties among the catalog's states: ATOP alliances (weighted by currency), rivalries, arms races.

:class:`Ties` is a part of :class:`sim.catalog.Catalog` (a mixin: it uses the catalog's code
resolution, year checks, state records and geography); call its methods on the catalog::

    cat = load_catalog()
    cat.alliances(["RUS", "PRK", "CHN"], 2022)   # ATOP year 2018
    cat.rivalries(["USA", "CHN"], 2022)
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from sim.catalog.currency import ENDED_AFTER_ATOP, currency, tie_history
from sim.catalog.records import _OBLIGATIONS, AllianceRecord
from sim.catalog.rivalries import RIVALRY_TYPES, RivalryRecord, RivalrySpell, in_force
from sim.catalog.tables import read_csv_gz

__all__ = ["Ties"]


class Ties:
    """Alliances, rivalries and arms races among the catalog's states (see the module's docstring)."""

    def _pairs(self, ccs: list[int]) -> dict[int, int]:
        first: dict[int, int] = {}
        for i, c in enumerate(ccs):
            first.setdefault(c, i)
        return first

    def _load_atop(self) -> dict[int, list[tuple[int, int, int, int]]]:
        if self._atop is None:
            d: dict[int, list[tuple[int, int, int, int]]] = defaultdict(list)
            for c1, c2, s, e, m in read_csv_gz(self.data_dir / "atop_spells.csv.gz"):
                d[int(c1)].append((int(c2), int(s), int(e), int(m)))
            self._atop = dict(d)
        return self._atop

    def alliances(self, codes: Iterable[str], year: int) -> list[AllianceRecord]:
        """Return the ATOP alliance obligations among the given states, weighted by currency.

        Each unordered pair appears once, with obligations OR-ed over both directed ATOP rows;
        pairs without any obligation are left out. The ATOP year is ``min(year, 2018)``. Each
        record carries the tie's history (``since``, ``renewed``) and its currency ``weight`` in
        ``year`` (:func:`sim.catalog.currency.currency`; dormant below 0.5, 0 if ended).

        Args:
            codes: Actor codes; duplicates of one state are considered once.
            year: A catalog year.

        Returns:
            Records ordered by the position of ``a`` then ``b`` in ``codes``.
        """
        y = self._check_year(year)
        norm, ccs = self._resolve_all(codes)
        sy = max(min(y, self.atop_last_year), self.atop_first_year)
        first = self._pairs(ccs)
        atop = self._load_atop()
        masks: dict[tuple[int, int], int] = {}
        history: dict[tuple[int, int], dict[int, int]] = {}
        for c, i in first.items():
            for c2, s, e, m in atop.get(c, ()):
                j = first.get(c2)
                if j is None or j == i or s > sy:
                    continue
                key = (min(i, j), max(i, j))
                h = history.setdefault(key, {})
                for yy in range(s, min(e, sy) + 1):
                    h[yy] = h.get(yy, 0) | m
                if s <= sy <= e:
                    masks[key] = masks.get(key, 0) | m
        bits = self._meta["atop_bits"]
        inputs = self._currency_inputs(norm, y, {k for ij in masks for k in ij})
        out = []
        for (i, j), m in sorted(masks.items()):
            since, renewed = tie_history(history[(i, j)], sy)
            cu = currency(year=y, since=since, renewed=renewed, **inputs(i, j),
                          ended=ENDED_AFTER_ATOP.get((min(ccs[i], ccs[j]), max(ccs[i], ccs[j]))))
            out.append(AllianceRecord(
                norm[i], norm[j], *(bool(m & bits[k]) for k in _OBLIGATIONS), source_year=sy,
                since=since, renewed=renewed, weight=round(cu.weight, 4), ended=cu.ended, note=cu.note,
            ))
        return out

    def _currency_inputs(self, norm: list[str], y: int, used: set[int]):
        """A function ``(i, j) -> dict`` of the currency rule's inputs for the pair (i, j)."""
        present = sorted(k for k in used if (self.resolve(norm[k]), y) in self._row)
        pos = {k: p for p, k in enumerate(present)}
        codes = [norm[k] for k in present]
        recs = [self.state(c, y) for c in codes]
        cont = self.contiguity(codes, y) if codes else None
        km = self.capital_distance(codes, y) if codes else None

        def inputs(i: int, j: int) -> dict:
            if i not in pos or j not in pos:  # a partner not in the system that year: no evidence
                return {"ideal_gap": None, "major": False, "contiguous": False, "capital_km": None}
            a, b = pos[i], pos[j]
            ia, ib = recs[a].ideal_point, recs[b].ideal_point
            return {
                "ideal_gap": None if ia is None or ib is None else abs(ia - ib),
                "major": recs[a].major_power or recs[b].major_power,
                "contiguous": bool(cont[a, b]),
                "capital_km": float(km[a, b]),
            }

        return inputs

    def _load_riv(self) -> list[RivalrySpell]:
        if self._riv is None:
            kinds = ("positional", "spatial", "ideological", "interventionary")  # TSS column order
            rows = []
            for r in read_csv_gz(self.data_dir / "rivalries.csv"):
                _, name, a, b, s, e, ongoing = r[:7]
                fl = [x == "1" for x in r[7:]]
                types = tuple(t for t in RIVALRY_TYPES if fl[kinds.index(t)])
                rows.append(RivalrySpell("tss", int(a), int(b), name, int(s),
                                         None if ongoing == "1" else int(e), types, fl[4]))
            td = self.data_dir / "rivalries_td.csv"
            for _, name, a, b, s, e, ongoing, region, types in (read_csv_gz(td) if td.exists() else []):
                rows.append(RivalrySpell("td", int(a), int(b), name, int(s), None if ongoing == "1" else int(e),
                                         tuple(t for t in types.split(";") if t), False, region))
            self._riv = rows
        return self._riv

    def rivalry_records(self, codes: Sequence[str], year: int) -> list[RivalryRecord]:
        """Return the strategic rivalries among the states in force in ``year``, with their types.

        A pair is a rivalry when TSS (to 2020) or Thompson & Dreyer (to 2010) has one in force;
        types are the union of both (see :mod:`sim.catalog.rivalries`).
        """
        y = self._check_year(year)
        norm, ccs = self._resolve_all(codes)
        first = self._pairs(ccs)
        out = []
        for (a, b), d in in_force(self._load_riv(), y).items():
            i, j = first.get(a), first.get(b)
            if i is None or j is None or i == j:
                continue
            if i > j:
                i, j = j, i
            out.append((i, j, RivalryRecord(norm[i], norm[j], d["name"], d["start"], d["end"], d["types"],
                                            d["principal"], d["sources"], d["main_type"], d["region"])))
        return [r for *_, r in sorted(out, key=lambda t: (t[0], t[1], t[2].start))]

    def rivalries(self, codes: Sequence[str], year: int) -> list[tuple[str, str, str, tuple[str, ...]]]:
        """Return the strategic rivalries in force in ``year`` as ``(a, b, name, types)``.

        Rivalries running at a source's end (TSS 2020, TD 2010) are taken as ongoing to 2022.
        ``types`` are the rivalry types (spatial, positional, ideological, interventionary);
        :meth:`rivalry_records` gives the full records.
        """
        return [(r.a, r.b, r.name, r.types) for r in self.rivalry_records(codes, year)]

    def arms_races(self, codes: Sequence[str], year: int) -> list[tuple[str, str]]:
        """Return the conventional arms races (Gibler, Rider & Hutchison) in force in ``year``."""
        y = self._check_year(year)
        norm, ccs = self._resolve_all(codes)
        first = self._pairs(ccs)
        if self._races is None:
            self._races = [
                (int(a), int(b), int(s), int(e))
                for _, a, b, s, e in read_csv_gz(self.data_dir / "arms_races.csv")
            ]
        out = set()
        for a, b, s, e in self._races:
            i, j = first.get(a), first.get(b)
            if i is not None and j is not None and i != j and s <= y <= e:
                out.add((min(i, j), max(i, j)))
        return [(norm[i], norm[j]) for i, j in sorted(out)]
