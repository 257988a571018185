"""The run's log: every event, perception and decision, each with its cause.

Records are plain dicts (cheap to create, easy to tabulate). Each has an ``id`` (``r<number>``),
``step``, ``kind`` (``event`` | ``perception`` | ``decision`` | ``outcome``), ``mechanism`` (the
submodel that made it, or ``scenario``), ``cause`` (the id of the record that led to it, or
``""``) and ``why`` (one sentence a student can read). Event records also carry the CAMEO code,
Goldstein weight and ladder rung, so that a run's timeline reads next to real event data.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

__all__ = ["Log", "EVENT_COLUMNS"]

#: Columns of the event table (``RunResult.events_frame``).
EVENT_COLUMNS = (
    "id", "step", "date", "kind", "mechanism", "type", "actor", "target", "cameo", "goldstein",
    "level", "cause", "why",
)


class Log:
    """An append-only list of records with cause links."""

    __slots__ = ("records", "_n", "_calendar")

    def __init__(self, calendar) -> None:
        self.records: list[dict[str, Any]] = []
        self._n = 0
        self._calendar = calendar

    def add(self, step: int, kind: str, mechanism: str, why: str, *, cause: str = "", **fields: Any) -> str:
        """Append a record and return its id."""
        self._n += 1
        rid = f"r{self._n}"
        date: dt.date = self._calendar.date_of(step)
        rec = {"id": rid, "step": step, "date": date.isoformat(), "kind": kind, "mechanism": mechanism,
               "type": kind, "actor": "", "target": "", "cameo": "", "goldstein": None, "level": None,
               "cause": cause, "why": why}
        rec.update(fields)
        self.records.append(rec)
        return rid

    def get(self, rid: str) -> dict[str, Any] | None:
        """The record with id ``rid``."""
        if not rid or not rid.startswith("r"):
            return None
        k = int(rid[1:]) - 1
        return self.records[k] if 0 <= k < len(self.records) else None

    def chain(self, rid: str, limit: int = 12) -> list[dict[str, Any]]:
        """The cause chain ending at ``rid``, earliest first (event → perception → decision → outcome)."""
        out = []
        seen = set()
        cur = self.get(rid)
        while cur is not None and len(out) < limit and cur["id"] not in seen:
            out.append(cur)
            seen.add(cur["id"])
            cur = self.get(cur.get("cause", ""))
        return list(reversed(out))
