"""Actor catalog: real capabilities, regimes, alliances and geography for scenario actors.

Built from public data sets (COW, ATOP, V-Dem, Polity5, UNGA ideal points, SIPRI, CShapes, TSS,
Thompson & Dreyer, GRH) by ``scripts/build_catalog.py``; see ``docs/data.md`` for sources and caveats. Nothing here
imports Mesa or Streamlit, and nothing reads files outside the package.

Example::

    from sim.catalog import load_catalog

    cat = load_catalog()
    cat.state("PRK", 2022).cinc
"""

from sim.catalog.catalog import (
    DATA_DIR,
    AllianceRecord,
    Catalog,
    RivalryRecord,
    StateRecord,
    load_catalog,
)
from sim.catalog.currency import DORMANT_BELOW
from sim.catalog.rivalries import RIVALRY_TYPES

__all__ = [
    "DATA_DIR",
    "DORMANT_BELOW",
    "RIVALRY_TYPES",
    "AllianceRecord",
    "Catalog",
    "RivalryRecord",
    "StateRecord",
    "load_catalog",
]
