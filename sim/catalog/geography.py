"""Geography of the catalog: COW direct contiguity, CShapes border distances, capital distances.

:class:`Geography` is a part of :class:`sim.catalog.Catalog` (a mixin: it uses the catalog's code
resolution, year checks and state records); call its methods on the catalog::

    cat = load_catalog()
    cat.contiguity(["RUS", "UKR"], 2022)      # int8 N×N: 1 = land border
    cat.capital_distance(["RUS", "CUB"], 2022)   # km
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence

import numpy as np

from sim.catalog.tables import read_csv_gz

__all__ = ["Geography", "EARTH_RADIUS_KM"]

#: Mean Earth radius (IUGG), for great-circle distances between capitals.
EARTH_RADIUS_KM = 6371.0088


class Geography:
    """Contiguity and distances among the catalog's states (see the module's docstring)."""

    def _load_cont(self) -> dict[int, list[tuple[int, int, int, int]]]:
        if self._cont is None:
            d: dict[int, list[tuple[int, int, int, int]]] = defaultdict(list)
            for c1, c2, t, s, e in read_csv_gz(self.data_dir / "contiguity.csv.gz"):
                a, b, sy, ey = int(c1), int(c2), int(s) // 100, int(e) // 100
                d[a].append((b, int(t), sy, ey))
                d[b].append((a, int(t), sy, ey))
            self._cont = dict(d)
        return self._cont

    def contiguity(self, codes: Sequence[str], year: int) -> np.ndarray:
        """Return the COW direct contiguity types among the given states.

        Args:
            codes: Actor codes (N).
            year: A catalog year. Spells running at the source's end (2016) continue.

        Returns:
            ``int8`` array N×N: 0 none, 1 land, 2-5 water of ≤12/24/150/400 miles; the
            closest type in force at any time in the year. The diagonal is 0.
        """
        y = self._check_year(year)
        _, ccs = self._resolve_all(codes)
        n = len(ccs)
        out = np.zeros((n, n), dtype=np.int8)
        idx: dict[int, list[int]] = defaultdict(list)
        for i, c in enumerate(ccs):
            idx[c].append(i)
        cont = self._load_cont()
        for c, rows in idx.items():
            best: dict[int, int] = {}
            for c2, t, s, e in cont.get(c, ()):
                if c2 in idx and s <= y <= e and t < best.get(c2, 99):
                    best[c2] = t
            for c2, t in best.items():
                for i in rows:
                    for j in idx[c2]:
                        out[i, j] = t
        return out

    def _load_mind(self) -> dict[tuple[int, int], float]:
        if self._mind is None:
            self._mind = {
                (int(a), int(b)): float(km)
                for a, b, km in read_csv_gz(self.data_dir / "mindist_2019.csv.gz")
            }
        return self._mind

    def min_distance(self, codes: Sequence[str]) -> np.ndarray:
        """Return the minimum distance in km between the states' 2019 borders (CShapes 2.0).

        Returns:
            ``float`` array N×N; NaN where a state is not in the 2019 data; 0 on the diagonal.
        """
        _, ccs = self._resolve_all(codes)
        mind = self._load_mind()
        n = len(ccs)
        out = np.full((n, n), np.nan)
        for i in range(n):
            out[i, i] = 0.0
            for j in range(i + 1, n):
                a, b = ccs[i], ccs[j]
                v = 0.0 if a == b else mind.get((min(a, b), max(a, b)), math.nan)
                out[i, j] = out[j, i] = v
        return out

    def capital_distance(self, codes: Sequence[str], year: int) -> np.ndarray:
        """Return great-circle (haversine) km between the states' capitals in ``year``.

        Raises:
            CatalogError: If a state is not in the system that year.
        """
        recs = self.states(codes, year)
        lat = np.radians([r.lat for r in recs])
        lon = np.radians([r.lon for r in recs])
        dlat = lat[:, None] - lat[None, :]
        dlon = lon[:, None] - lon[None, :]
        h = (
            np.sin(dlat / 2) ** 2
            + np.cos(lat)[:, None] * np.cos(lat)[None, :] * np.sin(dlon / 2) ** 2
        )
        d = 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))
        np.fill_diagonal(d, 0.0)
        return d
