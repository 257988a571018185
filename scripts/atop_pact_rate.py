"""Derive ``alignment.pact_rate``: how often an aligned dyad signs a defence pledge (ATOP v5.1).

Reads the ATOP v5.1 directed dyad-year file (Leeds et al. 2002; ../shared/data, not shipped) and
prints the share of (undirected) dyad-years, 1946–2018, with a consultation, neutrality or
non-aggression pledge but no defence pledge that have a defence pledge the next year. That
share is the yearly hazard the model uses for a balancing partnership that is aligned at or
above ``alignment.pact_threshold`` (docs/model.md §7.5; docs/data.md). Run:

    python scripts/atop_pact_rate.py [path/to/atop_v5_1_directed_dyad_year_1815-2018.csv]
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

DEFAULT = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "atop_v5_1_directed_dyad_year_1815-2018.csv"


def pact_rate(path: Path, first_year: int = 1946) -> tuple[int, int, float]:
    """(aligned dyad-years, of which upgraded the next year, share) from ``first_year`` on."""
    d = pd.read_csv(path)
    d = d[(d.ccode1 < d.ccode2) & (d.year >= first_year)].sort_values(["ccode1", "ccode2", "year"])
    g = d.groupby(["ccode1", "ccode2"])
    d = d.assign(next_def=g.atop_defense.shift(-1), next_year=g.year.shift(-1))
    # only years followed by the same dyad's next year (ATOP lists allied dyads only: a dyad whose
    # ties all end drops out, and is not counted as an upgrade)
    d = d[d.next_year == d.year + 1]
    aligned = d[(d.atop_defense == 0) & ((d.atop_consul + d.atop_neutral + d.atop_nonagg) > 0)]
    up = int(aligned.next_def.sum())
    return len(aligned), up, up / len(aligned)


def main() -> None:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    n, up, share = pact_rate(path)
    print(f"aligned dyad-years 1946-2018: {n:,}; defence pledge the next year: {up:,}; yearly rate {share:.4f}")


if __name__ == "__main__":
    main()
