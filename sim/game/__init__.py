"""The classroom game: students play the states of a scenario turn by turn; the model plays the rest.

Key parts: :class:`GameEngine` (sessions, access, turns, the instructor's controls; no Streamlit),
:class:`GameStore` (SQLAlchemy repository; SQLite by default, PostgreSQL by URL; Alembic
migrations in ``sim/game/migrations``), :mod:`sim.game.injects` (events injected through a form),
:mod:`sim.game.debrief` (the class's crisis beside the model's ensemble; HTML and CSV export).
"""

from sim.game.engine import (
    MAX_NAME,
    MAX_RATIONALE,
    AccessDenied,
    Clock,
    Created,
    GameEngine,
    GameError,
    Instructor,
    Team,
)
from sim.game.injects import FormField, InjectError, build_inject, form_fields
from sim.game.store import GameStore, StoreUnavailable, data_dir, database_url

__all__ = [
    "AccessDenied",
    "Clock",
    "Created",
    "FormField",
    "GameEngine",
    "GameError",
    "GameStore",
    "InjectError",
    "StoreUnavailable",
    "Instructor",
    "MAX_NAME",
    "MAX_RATIONALE",
    "Team",
    "build_inject",
    "data_dir",
    "database_url",
    "form_fields",
]
