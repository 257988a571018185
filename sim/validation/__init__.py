"""Validation against real patterns: the 'dangerous dyads' base rates (Bremer 1992).

Key parts: :func:`dyad_categories` (which dyads of a world are contiguous, jointly democratic, at
parity …, defined as in the shipped base-rate file), :func:`dangerous_dyads` (model rates per
category over seeded runs of a generated world) and :data:`REAL_RATES` (the real MID onset rates
per 1,000 dyad-years, 1946–2010, shipped in ``sim/data/base_rates_MID_1946-2010.csv``).
"""

from sim.validation.dyads import REAL_RATES, dangerous_dyads, dyad_categories

__all__ = ["REAL_RATES", "dangerous_dyads", "dyad_categories"]
