"""Paths into scenario data and the file position of every node (``FILE:LINE:COL``).

:class:`PositionMap` records, for a document read by :func:`sim.scenario.yaml_source.read_yaml`,
where each key and value was written; :func:`format_path` renders a data path as users write it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

__all__ = ["Position", "PositionMap", "YamlPath", "format_path"]

#: A path into the data: mapping keys and list indexes, e.g. ``("events", 2, "date")``.
type YamlPath = tuple[object, ...]

_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")


class Position(NamedTuple):
    """A 1-based place in a file."""

    line: int
    col: int


def format_path(loc: tuple[object, ...] | list[object]) -> str:
    """Render a data path the way users write it.

    Args:
        loc: Mapping keys and list indexes, e.g. ``("events", 2, "date")``.

    Returns:
        ``"events[2].date"``; ``""`` for the empty path. Keys that are not identifiers are
        quoted (``actors['my actor']``), integers are indexes (``[2]``).
    """
    out: list[str] = []
    for seg in loc:
        if isinstance(seg, bool):
            out.append(f"[{str(seg).lower()}]")
        elif isinstance(seg, int):
            out.append(f"[{seg}]")
        elif isinstance(seg, str) and _IDENT.match(seg):
            out.append(f".{seg}" if out else seg)
        elif isinstance(seg, dt.date):
            out.append(f"[{seg.isoformat()}]")
        else:
            out.append(f"[{seg!r}]")
    return "".join(out)


@dataclass
class PositionMap(Mapping[YamlPath, Position]):
    """Where every node of a document sits in its file.

    Indexing (``positions[("events", 2, "date")]``) gives the position of the *value* at a path;
    :meth:`key_position` gives the position of the *key* that introduces it. Paths that run
    through an alias (``*base``) or a merge key (``<<: *base``) resolve to the node the alias
    names, so errors point at the text that was actually written.

    Attributes:
        value_at: Position of each value, by path (as written, without alias resolution).
        key_at: Position of each mapping key, by the path of its value.
        alias_of: For each alias or merged entry, the path of the node it stands for.
    """

    value_at: dict[YamlPath, Position] = field(default_factory=dict)
    key_at: dict[YamlPath, Position] = field(default_factory=dict)
    alias_of: dict[YamlPath, YamlPath] = field(default_factory=dict)

    def resolve(self, path: YamlPath) -> YamlPath:
        """Follow alias and merge redirections until ``path`` names written text.

        Args:
            path: A data path.

        Returns:
            The path of the node as written in the file (``path`` itself if no alias is crossed).
        """
        path = tuple(path)
        for _ in range(len(self.alias_of) + 1):  # each hop follows one alias: bounded
            if path in self.value_at or path in self.key_at:
                return path
            for cut in range(len(path), 0, -1):
                target = self.alias_of.get(path[:cut])
                if target is not None:
                    path = target + path[cut:]
                    break
            else:
                return path
        return path

    def value_position(self, path: YamlPath) -> Position | None:
        """Position of the value at ``path``, or ``None`` if the path is not in the document."""
        path = tuple(path)
        found = self.value_at.get(path)
        return found if found is not None else self.value_at.get(self.resolve(path))

    def key_position(self, path: YamlPath) -> Position | None:
        """Position of the key whose value is at ``path`` (``None`` for list items and unknowns)."""
        path = tuple(path)
        found = self.key_at.get(path)
        return found if found is not None else self.key_at.get(self.resolve(path))

    def nearest(self, path: YamlPath) -> tuple[YamlPath, Position | None]:
        """Find the longest prefix of ``path`` that has a value position, and that position.

        Args:
            path: A data path, possibly naming something that is not in the document.

        Returns:
            ``(prefix, position)``; ``position`` is ``None`` only when the map is empty.
        """
        path = tuple(path)
        for cut in range(len(path), -1, -1):
            pos = self.value_position(path[:cut])
            if pos is not None:
                return path[:cut], pos
        return (), None

    def __getitem__(self, path: YamlPath) -> Position:
        pos = self.value_position(path)
        if pos is None:
            raise KeyError(path)
        return pos

    def __iter__(self) -> Iterator[YamlPath]:
        return iter(self.value_at)

    def __len__(self) -> int:
        return len(self.value_at)


