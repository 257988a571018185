"""Errors that Flashpoint reports to users.

Every error a user can cause (a bad scenario file, an unknown actor, a limit exceeded) is a
:class:`FlashpointError`. Front ends print ``str(error)`` and exit with status 1; they never show a
traceback. A :class:`ScenarioError` carries one or more located :class:`Issue` records, each printed
as ``FILE:LINE:COL: field.path: what is wrong``.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["FlashpointError", "Issue", "ScenarioError", "CatalogError", "LimitError"]


class FlashpointError(Exception):
    """Base class of every error that is the user's to fix (exit status 1)."""


@dataclass(frozen=True)
class Issue:
    """One located problem in an input file.

    Attributes:
        file: The file name as the user gave it (or ``<text>`` for pasted text).
        line: 1-based line number, or 0 when unknown.
        col: 1-based column number, or 0 when unknown.
        path: Dotted field path inside the document (``events[2].date``), or ``""``.
        message: What is wrong, in words a user can act on.
    """

    file: str
    line: int
    col: int
    path: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.col}" if self.line else f"{self.file}"
        return f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"


class ScenarioError(FlashpointError):
    """A scenario file could not be read or is invalid; holds every issue found."""

    def __init__(self, issues: list[Issue]):
        self.issues = list(issues)
        super().__init__("\n".join(str(i) for i in self.issues))


class CatalogError(FlashpointError):
    """An actor code or year that the shipped catalog does not cover."""


class LimitError(FlashpointError):
    """A request exceeds a documented limit (actors, steps, runs, file size)."""
