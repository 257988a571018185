"""The game's store: games, teams, turns, decisions, injects and predictions, through SQLAlchemy.

SQLite by default — a file ``flashpoint.db`` under the data directory (``$FLASHPOINT_DATA_DIR``,
default ``~/.local/share/flashpoint``) — or any database SQLAlchemy reaches through
``$FLASHPOINT_DB_URL`` (PostgreSQL for a department server). The schema is created and upgraded by
Alembic (``sim/game/migrations``) when a store opens: ``upgrade head``.

The :class:`GameStore` is the small repository the engine uses; every method is one transaction.
Unique constraints make concurrent and replayed writes safe: one team per state and game, one
decision row per state, turn and attempt (holding all its moves of the turn), one resolution per turn and attempt, and a request id that is
accepted once.
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import (
    Boolean,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    create_engine,
    event,
    select,
    text,
    update,
)
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, IntegrityError, NoSuchModuleError, OperationalError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker

__all__ = [
    "Base",
    "DecisionRow",
    "GameRow",
    "GameStore",
    "InjectRow",
    "PredictionRow",
    "TeamRow",
    "TurnRow",
    "Conflict",
    "StoreUnavailable",
    "data_dir",
    "database_url",
    "migrate",
    "normalise_url",
]

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


class Conflict(Exception):
    """A write that a unique constraint refused (the row exists already)."""


class StoreUnavailable(Exception):
    """The database of ``$FLASHPOINT_DB_URL`` cannot be opened (the message says which and why)."""


def data_dir() -> Path:
    """The data directory: ``$FLASHPOINT_DATA_DIR`` or ``~/.local/share/flashpoint``."""
    env = os.environ.get("FLASHPOINT_DATA_DIR")
    return Path(env).expanduser() if env else Path.home() / ".local" / "share" / "flashpoint"


def database_url() -> str:
    """``$FLASHPOINT_DB_URL``, or SQLite in :func:`data_dir`."""
    url = os.environ.get("FLASHPOINT_DB_URL")
    if url:
        return url
    d = data_dir()
    d.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{d / 'flashpoint.db'}"


class Base(DeclarativeBase):
    """Declarative base of the game tables."""


class GameRow(Base):
    """One game: its scenario, seed, timing, and where play stands."""

    __tablename__ = "games"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True, index=True)
    key_hash: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(200))
    scenario_json: Mapped[str] = mapped_column(Text)
    variant: Mapped[str | None] = mapped_column(String(64), nullable=True)
    seed: Mapped[int] = mapped_column(Integer)
    steps_per_turn: Mapped[int] = mapped_column(Integer, default=1)
    timer_seconds: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(16), default="running")
    turn: Mapped[int] = mapped_column(Integer, default=0)
    attempt: Mapped[int] = mapped_column(Integer, default=0)
    step: Mapped[int] = mapped_column(Integer, default=0)
    horizon: Mapped[int] = mapped_column(Integer)
    deadline: Mapped[float | None] = mapped_column(Float, nullable=True)
    paused_remaining: Mapped[float | None] = mapped_column(Float, nullable=True)
    reveal: Mapped[bool] = mapped_column(Boolean, default=False)
    version: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[float] = mapped_column(Float)


class TeamRow(Base):
    """A team of students playing one state of a game."""

    __tablename__ = "teams"
    __table_args__ = (UniqueConstraint("game_id", "state", name="uq_team_state"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    game_id: Mapped[int] = mapped_column(ForeignKey("games.id"), index=True)
    state: Mapped[str] = mapped_column(String(8))
    name: Mapped[str] = mapped_column(String(80))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[float] = mapped_column(Float)


class DecisionRow(Base):
    """A state's decision for a turn (a team's, the instructor's, or the model's default)."""

    __tablename__ = "decisions"
    __table_args__ = (UniqueConstraint("game_id", "state", "turn", "attempt", name="uq_decision"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    game_id: Mapped[int] = mapped_column(ForeignKey("games.id"), index=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"), nullable=True)
    state: Mapped[str] = mapped_column(String(8))
    turn: Mapped[int] = mapped_column(Integer)
    attempt: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(32))
    target: Mapped[str | None] = mapped_column(String(8), nullable=True)
    rationale: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(String(16))  # team | instructor | model
    rec_action: Mapped[str | None] = mapped_column(String(32), nullable=True)
    rec_target: Mapped[str | None] = mapped_column(String(8), nullable=True)
    rec_why: Mapped[str | None] = mapped_column(Text, nullable=True)
    #: The state's further moves this turn after ``action``/``target``: JSON ``[[action, target], ...]``.
    more_json: Mapped[str | None] = mapped_column(Text, nullable=True)
    #: The model's further recommended moves: JSON ``[[action, target, why], ...]``.
    rec_more_json: Mapped[str | None] = mapped_column(Text, nullable=True)

    @property
    def moves(self) -> list[tuple[str, str | None]]:
        """Every move of the state this turn (an empty list: it holds)."""
        first = [] if self.action == "hold" else [(self.action, self.target)]
        return first + [(a, t) for a, t in json.loads(self.more_json or "[]")]

    @property
    def rec_moves(self) -> list[tuple[str, str | None, str]]:
        """The model's recommended moves, with why (an empty list: it would hold; none recorded: empty)."""
        if self.rec_action is None:
            return []
        first = [] if self.rec_action == "hold" else [(self.rec_action, self.rec_target, self.rec_why or "")]
        return first + [(a, t, w) for a, t, w in json.loads(self.rec_more_json or "[]")]
    request_id: Mapped[str | None] = mapped_column(String(64), unique=True, nullable=True)
    updated_at: Mapped[float] = mapped_column(Float)


class TurnRow(Base):
    """A resolved turn: the steps it covered and how it was resolved (undone turns are kept)."""

    __tablename__ = "turns"
    __table_args__ = (UniqueConstraint("game_id", "number", "attempt", name="uq_turn"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    game_id: Mapped[int] = mapped_column(ForeignKey("games.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    attempt: Mapped[int] = mapped_column(Integer)
    start_step: Mapped[int] = mapped_column(Integer)
    steps: Mapped[int] = mapped_column(Integer)
    how: Mapped[str] = mapped_column(String(16))  # all_submitted | timer | instructor
    undone: Mapped[bool] = mapped_column(Boolean, default=False)
    resolved_at: Mapped[float] = mapped_column(Float)
    seconds: Mapped[float] = mapped_column(Float, default=0.0)


class InjectRow(Base):
    """An event the instructor injected during play (scenario-language JSON, at a step)."""

    __tablename__ = "injects"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    game_id: Mapped[int] = mapped_column(ForeignKey("games.id"), index=True)
    step: Mapped[int] = mapped_column(Integer)
    event_json: Mapped[str] = mapped_column(Text)
    request_id: Mapped[str | None] = mapped_column(String(64), unique=True, nullable=True)
    created_at: Mapped[float] = mapped_column(Float)


class PredictionRow(Base):
    """A student's prediction (predict-then-run): the highest rung the crisis will reach."""

    __tablename__ = "predictions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    game_id: Mapped[int] = mapped_column(ForeignKey("games.id"), index=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"), nullable=True)
    student: Mapped[str] = mapped_column(String(80))
    peak: Mapped[int] = mapped_column(Integer)
    why: Mapped[str] = mapped_column(Text, default="")
    request_id: Mapped[str | None] = mapped_column(String(64), unique=True, nullable=True)
    created_at: Mapped[float] = mapped_column(Float)


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()


#: The PostgreSQL advisory lock key that serialises migrations of servers starting at once.
_MIGRATION_LOCK = 0x466C617368  # "Flash"
_MIGRATING = threading.Lock()


def normalise_url(url: str) -> str:
    """A database URL with its driver: ``postgresql://`` (or ``postgres://``) uses psycopg 3 when installed.

    SQLAlchemy's default PostgreSQL driver is psycopg2; the ``postgres`` extra installs psycopg 3, so a
    plain ``postgresql://user@host/db`` URL works as written. An explicit driver is kept.
    """
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            try:
                import psycopg  # noqa: F401
            except ImportError:
                return "postgresql://" + url[len(prefix):]
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def _shown(url: str) -> str:
    """The URL as it may be shown: the password hidden."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return repr(url[:80])


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest revision (Alembic ``upgrade head``), in one transaction.

    On PostgreSQL a transaction-scoped advisory lock makes servers that start at once on an empty
    database wait for each other: the first creates the schema, the others find it up to date.
    Within one process a lock does the same (Alembic's command context is process-global).
    """
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with _MIGRATING, engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK})
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


class GameStore:
    """The repository of games (one SQLAlchemy engine; each method its own transaction).

    Args:
        url: A SQLAlchemy URL (default: :func:`database_url`).
    """

    def __init__(self, url: str | None = None) -> None:
        self.url = normalise_url(url or database_url())
        sqlite = self.url.startswith("sqlite")
        try:
            if sqlite:
                self.engine = create_engine(self.url, connect_args={"check_same_thread": False, "timeout": 30})
                event.listen(self.engine, "connect", _sqlite_pragmas)
            else:  # a server: connections that the server dropped (a restart) are replaced, not used
                self.engine = create_engine(self.url, pool_pre_ping=True, pool_size=10, max_overflow=20)
            migrate(self.engine)
        except (ArgumentError, NoSuchModuleError, ImportError, OperationalError) as exc:
            shown = _shown(self.url)
            why = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
            hint = " (pip install -e '.[postgres]' for PostgreSQL)" if isinstance(exc, (NoSuchModuleError, ImportError)) else ""
            raise StoreUnavailable(f"the game database {shown} (FLASHPOINT_DB_URL) cannot be opened: {why}{hint}") from None
        self._session = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A transaction: committed at the end, rolled back on error; unique violations raise :class:`Conflict`."""
        s = self._session()
        try:
            yield s
            s.commit()
        except IntegrityError as exc:
            s.rollback()
            raise Conflict(str(exc.orig)) from None
        except BaseException:
            s.rollback()
            raise
        finally:
            s.close()

    # ------------------------------------------------------------------ reads
    def game_by_code(self, code: str) -> GameRow | None:
        """The game with join code ``code``."""
        with self.session() as s:
            return s.scalar(select(GameRow).where(GameRow.code == code))

    def game(self, game_id: int) -> GameRow:
        """The game with id ``game_id``."""
        with self.session() as s:
            return s.get_one(GameRow, game_id)

    def games(self) -> list[GameRow]:
        """Every game, newest first."""
        with self.session() as s:
            return list(s.scalars(select(GameRow).order_by(GameRow.id.desc())))

    def due(self, now: float) -> list[GameRow]:
        """Running games whose turn timer has run out at ``now``."""
        with self.session() as s:
            return list(s.scalars(select(GameRow).where(GameRow.status == "running", GameRow.deadline.is_not(None),
                                                        GameRow.deadline <= now)))

    def teams(self, game_id: int) -> list[TeamRow]:
        """The game's teams in the order they joined."""
        with self.session() as s:
            return list(s.scalars(select(TeamRow).where(TeamRow.game_id == game_id).order_by(TeamRow.id)))

    def team_by_token(self, game_id: int, token_hash: str) -> TeamRow | None:
        """The team of this game holding this token (none for another game's token)."""
        with self.session() as s:
            return s.scalar(select(TeamRow).where(TeamRow.game_id == game_id, TeamRow.token_hash == token_hash))

    def decisions(self, game_id: int, turn: int | None = None, attempt: int | None = None) -> list[DecisionRow]:
        """Decisions of a game (optionally of one turn and attempt), in turn and state order."""
        with self.session() as s:
            q = select(DecisionRow).where(DecisionRow.game_id == game_id)
            if turn is not None:
                q = q.where(DecisionRow.turn == turn)
            if attempt is not None:
                q = q.where(DecisionRow.attempt == attempt)
            return list(s.scalars(q.order_by(DecisionRow.turn, DecisionRow.attempt, DecisionRow.id)))

    def turns(self, game_id: int, *, active: bool = True) -> list[TurnRow]:
        """Resolved turns in order (only those not undone, unless ``active`` is false)."""
        with self.session() as s:
            q = select(TurnRow).where(TurnRow.game_id == game_id)
            if active:
                q = q.where(TurnRow.undone.is_(False))
            return list(s.scalars(q.order_by(TurnRow.number, TurnRow.attempt)))

    def injects(self, game_id: int) -> list[InjectRow]:
        """Injected events in the order they were made."""
        with self.session() as s:
            return list(s.scalars(select(InjectRow).where(InjectRow.game_id == game_id).order_by(InjectRow.id)))

    def predictions(self, game_id: int) -> list[PredictionRow]:
        """The class's predictions in the order they were made."""
        with self.session() as s:
            return list(s.scalars(select(PredictionRow).where(PredictionRow.game_id == game_id).order_by(PredictionRow.id)))

    def version(self, game_id: int) -> tuple[int, str, float | None]:
        """(version, status, deadline): what a polling client compares to know that something changed."""
        with self.session() as s:
            g = s.get_one(GameRow, game_id)
            return g.version, g.status, g.deadline

    def request_seen(self, model: type[Base], request_id: str | None) -> bool:
        """Whether a write with ``request_id`` was accepted already (into ``model``'s table)."""
        if not request_id:
            return False
        with self.session() as s:
            return s.scalar(select(model.id).where(model.request_id == request_id)) is not None  # type: ignore[attr-defined]

    # ------------------------------------------------------------------ writes
    def add(self, row: Base) -> Base:
        """Insert one row (raises :class:`Conflict` on a unique violation)."""
        with self.session() as s:
            s.add(row)
        return row

    def update_game(self, game_id: int, *, bump: bool = True, **values) -> GameRow:
        """Set fields of a game (and bump its version, so that clients notice)."""
        with self.session() as s:
            g = s.get_one(GameRow, game_id, with_for_update=True)
            for k, v in values.items():
                setattr(g, k, v)
            if bump:
                g.version += 1
            return g

    @staticmethod
    def _lock_game(s: Session, game_id: int) -> GameRow:
        """The game's row, locked for this transaction (``SELECT … FOR UPDATE``).

        Every write of a game's play takes this lock first, so that on a server database (PostgreSQL,
        read committed) writes to one game are serialised: no version bump is lost and the checks a
        write makes (request seen, decision present, turn still open) cannot race. SQLite ignores
        ``FOR UPDATE`` and its Python driver opens a transaction only at the first write, so there a
        no-op update of the row comes first: it takes the database's write lock before anything is read.
        """
        if s.get_bind().dialect.name == "sqlite":
            s.execute(update(GameRow).where(GameRow.id == game_id).values(version=GameRow.version))
        return s.get_one(GameRow, game_id, with_for_update=True, populate_existing=True)

    def upsert_decision(self, row: DecisionRow) -> bool:
        """Store a state's decision for a turn, replacing an earlier one of the same turn.

        Returns:
            False when the request id was seen already (nothing changes twice), else True.
        """
        with self.session() as s:
            g = self._lock_game(s, row.game_id)
            if row.request_id and s.scalar(select(DecisionRow.id).where(DecisionRow.request_id == row.request_id)):
                return False
            old = s.scalar(select(DecisionRow).where(
                DecisionRow.game_id == row.game_id, DecisionRow.state == row.state,
                DecisionRow.turn == row.turn, DecisionRow.attempt == row.attempt).with_for_update())
            if old is None:
                s.add(row)
            else:
                for k in ("team_id", "action", "target", "more_json", "rationale", "source", "request_id"):
                    setattr(old, k, getattr(row, k))
                old.updated_at = time.time()
            g.version += 1
        return True

    def resolve_turn(self, turn: TurnRow, defaults: list[DecisionRow], recs: dict[str, tuple], game_values: dict) -> None:
        """Record a resolved turn in one transaction: the turn, the model's defaults, the recommendations, the game.

        Raises:
            Conflict: the turn (number and attempt) was resolved already, or is no longer the open one.
        """
        with self.session() as s:
            g = self._lock_game(s, turn.game_id)
            if (g.turn, g.attempt) != (turn.number, turn.attempt):
                raise Conflict(f"turn {turn.number} (attempt {turn.attempt}) is not the game's open turn any more")
            s.add(turn)
            s.flush()
            for d in defaults:
                s.add(d)
            s.flush()
            rows = s.scalars(select(DecisionRow).where(
                DecisionRow.game_id == turn.game_id, DecisionRow.turn == turn.number, DecisionRow.attempt == turn.attempt))
            for d in rows:
                if d.state in recs:
                    d.rec_action, d.rec_target, d.rec_why, d.rec_more_json = recs[d.state]
            for k, v in game_values.items():
                setattr(g, k, v)
            g.version += 1

    def undo_turn(self, turn_id: int, game_values: dict) -> None:
        """Mark a turn undone and move the game back, in one transaction."""
        with self.session() as s:
            t = s.get_one(TurnRow, turn_id)
            g = self._lock_game(s, t.game_id)
            t.undone = True
            for k, v in game_values.items():
                setattr(g, k, v)
            g.version += 1

    def add_inject(self, row: InjectRow) -> bool:
        """Store an injected event (False if its request id was seen already)."""
        with self.session() as s:
            g = self._lock_game(s, row.game_id)
            if row.request_id and s.scalar(select(InjectRow.id).where(InjectRow.request_id == row.request_id)):
                return False
            s.add(row)
            g.version += 1
        return True

    def add_prediction(self, row: PredictionRow) -> bool:
        """Store a prediction (False if its request id was seen already)."""
        with self.session() as s:
            if row.request_id and s.scalar(select(PredictionRow.id).where(PredictionRow.request_id == row.request_id)):
                return False
            s.add(row)
        return True
