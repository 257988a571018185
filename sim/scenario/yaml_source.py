"""Safe YAML reading with a position for every node.

:func:`read_yaml` turns a scenario file (or pasted text) into plain Python data — ``dict``,
``list``, ``str``, ``int``, ``float``, ``bool``, ``None``, ``datetime.date`` and
``datetime.datetime`` — together with a :class:`PositionMap` that gives the 1-based line and
column of every key and value, so that later validation errors can point at ``FILE:LINE:COL``.

Safety and limits:

* Only the pure-Python ``yaml.SafeLoader`` parser is used, and only for its event stream: this
  module builds the data itself, so no constructor for ``!!python/...`` (or any other non-standard)
  tag can ever run. Such tags are reported as located errors.
* Files larger than :data:`MAX_BYTES` are refused before they are read (``stat`` first, then at
  most ``MAX_BYTES + 1`` bytes). Nesting deeper than :data:`MAX_DEPTH`, more than
  :data:`MAX_ALIASES` aliases or more than :data:`MAX_NODES` nodes (counting every node an alias
  expands to) stop the reading at once, so alias bombs ("billion laughs") fail in milliseconds.
  These limits raise :class:`ScenarioLimitError` (a :class:`~sim.errors.ScenarioError` and a
  :class:`~sim.errors.LimitError`). Read the constants at call time, so tests may patch them.
* Duplicate keys, disallowed tags, undefined or recursive aliases, invalid dates and control
  characters are collected and reported together; a syntax error ends the reading, and is reported
  with whatever was collected before it.

Plain scalars follow YAML 1.2's core schema rather than PyYAML's YAML 1.1 defaults: only
``true``/``false`` are booleans (``yes``, ``no``, ``on``, ``off``, ``NO`` stay strings), ``1:30``
stays a string (no base-60 numbers), ``012`` stays a string (no implicit octal) and ``1e3`` is a
float. ``~``/``null``/empty are ``None``; ``2024-05-01`` is a ``datetime.date``. Merge keys
(``<<: *base``) are supported.
"""

from __future__ import annotations

import codecs
import datetime as dt
import os
import re
import stat
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import yaml
from yaml.events import (
    AliasEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)
from yaml.nodes import ScalarNode

from sim.errors import Issue, LimitError, ScenarioError

__all__ = [
    "MAX_BYTES",
    "MAX_DEPTH",
    "MAX_NODES",
    "MAX_ALIASES",
    "YamlPath",
    "Position",
    "PositionMap",
    "ScenarioLimitError",
    "read_yaml",
    "format_path",
]

#: Largest scenario file accepted, in bytes (1 MiB).
MAX_BYTES: int = 1024 * 1024
#: Deepest nesting of mappings and lists accepted.
MAX_DEPTH: int = 50
#: Most nodes (keys, values, list items, counting alias expansions) one document may hold.
MAX_NODES: int = 200_000
#: Most aliases (``*name``) one document may use.
MAX_ALIASES: int = 100

#: A path into the data: mapping keys and list indexes, e.g. ``("events", 2, "date")``.
type YamlPath = tuple[object, ...]


class Position(NamedTuple):
    """A 1-based place in a file."""

    line: int
    col: int


class ScenarioLimitError(ScenarioError, LimitError):
    """A scenario file exceeds a size, depth, node or alias limit (carries located issues)."""


_STD = "tag:yaml.org,2002:"
_STR, _INT, _FLOAT, _BOOL, _NULL, _TIMESTAMP = (
    _STD + n for n in ("str", "int", "float", "bool", "null", "timestamp")
)
_MAP, _SEQ, _MERGE = _STD + "map", _STD + "seq", _STD + "merge"
_SCALAR_KIND = {
    _STR: "string",
    _INT: "integer",
    _FLOAT: "number",
    _BOOL: "boolean (true or false)",
    _NULL: "null",
    _TIMESTAMP: "date (YYYY-MM-DD)",
}
_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")
_NON_PRINTABLE = yaml.reader.Reader.NON_PRINTABLE  # characters YAML forbids in a stream
_MAX_LISTED = 20  # cap on repeated issues of one kind (control characters)


# --------------------------------------------------------------------------------------------
# Paths and positions
# --------------------------------------------------------------------------------------------


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
        for _ in range(MAX_ALIASES * 4 + 8):  # each hop removes one alias; bounded regardless
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


# --------------------------------------------------------------------------------------------
# The loader: PyYAML's safe parser with a YAML 1.2-style resolver
# --------------------------------------------------------------------------------------------


class _StrictSafeLoader(yaml.SafeLoader):
    """``SafeLoader`` with YAML 1.2 core-schema scalars; used only for parsing and resolving."""

    yaml_implicit_resolvers: dict = {}  # start empty: no YAML 1.1 yes/no/on/off, base 60, ...


for _tag, _regexp, _first in (
    (_BOOL, r"^(?:true|True|TRUE|false|False|FALSE)$", list("tTfF")),
    (_INT, r"^(?:[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F][0-9a-fA-F_]*|[-+]?0o[0-7][0-7_]*)$",
     list("-+0123456789")),
    (_FLOAT, r"""^(?:[-+]?(?:[0-9][0-9_]*\.[0-9_]*|\.[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)?
                 |[-+]?[0-9][0-9_]*[eE][-+]?[0-9]+
                 |[-+]?\.(?:inf|Inf|INF)
                 |\.(?:nan|NaN|NAN))$""", list("-+0123456789.")),
    (_MERGE, r"^(?:<<)$", ["<"]),
    (_NULL, r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    (_TIMESTAMP, r"""^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]
                 |[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?
                  (?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?
                  (?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$""", list("0123456789")),
):
    _StrictSafeLoader.add_implicit_resolver(_tag, re.compile(_regexp, re.X), _first)

if getattr(yaml, "__with_libyaml__", False):

    class _CStrictLoader(yaml.CSafeLoader):  # type: ignore[name-defined]
        """libyaml's parser with the same resolver; used only for its event stream."""

        yaml_implicit_resolvers = _StrictSafeLoader.yaml_implicit_resolvers

else:  # pragma: no cover - PyYAML built without libyaml
    _CStrictLoader = None  # type: ignore[assignment,misc]

_CONSTRUCT: dict[str, Callable[[yaml.SafeLoader, ScalarNode], object]] = {
    _STR: yaml.SafeLoader.construct_yaml_str,
    _INT: yaml.SafeLoader.construct_yaml_int,
    _FLOAT: yaml.SafeLoader.construct_yaml_float,
    _BOOL: yaml.SafeLoader.construct_yaml_bool,
    _NULL: yaml.SafeLoader.construct_yaml_null,
    _TIMESTAMP: yaml.SafeLoader.construct_yaml_timestamp,
}


def _short_tag(tag: str) -> str:
    return "!!" + tag[len(_STD):] if tag.startswith(_STD) else tag


def _pos(mark: yaml.Mark | None) -> Position:
    return Position(mark.line + 1, mark.column + 1) if mark is not None else Position(0, 0)


def _show(value: str, limit: int = 40) -> str:
    return repr(value if len(value) <= limit else value[: limit - 1] + "…")


# --------------------------------------------------------------------------------------------
# Building plain data from the event stream (iterative: no recursion, limits checked as we go)
# --------------------------------------------------------------------------------------------


class _Stop(Exception):
    """Internal: a fatal problem was recorded; stop reading."""


_NO_KEY = object()
_MERGE_KEY = object()


@dataclass
class _Anchor:
    value: object
    path: YamlPath
    size: int = 1
    height: int = 0
    pending: bool = False


@dataclass
class _Frame:
    kind: str  # "map" or "seq"
    value: dict | list
    path: YamlPath
    anchor: str | None
    start_total: int
    height: int = 1
    key: object = _NO_KEY
    duplicate: bool = False
    first_line: dict = field(default_factory=dict)
    merges: list = field(default_factory=list)


class _Builder:
    """Turns PyYAML parser events into plain data, positions and issues."""

    def __init__(self, loader: _StrictSafeLoader, filename: str):
        self.loader = loader
        self.filename = filename
        self.positions = PositionMap()
        self.issues: list[Issue] = []
        self.limit_hit = False
        self.anchors: dict[str, _Anchor] = {}
        self.total = 0
        self.alias_count = 0
        self._dup_serial = 0
        self.data: object = None

    # -- issues ------------------------------------------------------------------------------
    def issue(self, mark: yaml.Mark | None, path: YamlPath, message: str) -> None:
        line, col = _pos(mark)
        shown = format_path(path) if len(path) <= 12 else format_path(path[:6]) + "…"
        self.issues.append(Issue(self.filename, line, col, shown, message))

    def fatal_limit(self, mark: yaml.Mark | None, path: YamlPath, message: str) -> None:
        self.limit_hit = True
        self.issue(mark, path, message)
        raise _Stop

    def count(self, n: int, mark: yaml.Mark | None, path: YamlPath) -> None:
        self.total += n
        if self.total > MAX_NODES:
            self.fatal_limit(mark, path, f"document is too large: more than {MAX_NODES:,} nodes "
                             "(after expanding aliases); aborted reading")

    # -- the document ------------------------------------------------------------------------
    def run(self) -> bool:
        """Read the document into ``self.data``, collecting issues.

        Returns:
            ``False`` if the parser itself failed (a syntax or reader error), else ``True``.
        """
        try:
            self.data = self.document()
        except _Stop:
            pass
        except yaml.MarkedYAMLError as exc:
            self.issues.append(_syntax_issue(exc, self.filename))
            return False
        except yaml.YAMLError as exc:  # e.g. a ReaderError that _check_printable did not foresee
            self.issues.append(Issue(self.filename, 0, 0, "", f"YAML error: {exc}"))
            return False
        finally:
            self.loader.dispose()
        return True

    def document(self) -> object:
        """Read the single document of the stream and return its data."""
        loader = self.loader
        loader.get_event()  # StreamStartEvent
        if loader.check_event(StreamEndEvent):
            self.issue(None, (), "file is empty (it holds no YAML content); "
                       "a scenario is a mapping of fields such as 'id:' and 'title:'")
            raise _Stop
        loader.get_event()  # DocumentStartEvent
        root = self.nodes()
        loader.get_event()  # DocumentEndEvent
        if not loader.check_event(StreamEndEvent):
            mark = loader.peek_event().start_mark
            self.issue(mark, (), "the file holds more than one YAML document (a second one starts "
                       "here after '---'); a scenario file holds exactly one")
        return root

    def child_path(self, parent: _Frame | None) -> YamlPath:
        if parent is None:
            return ()
        if parent.kind == "seq":
            return parent.path + (len(parent.value),)
        if parent.key is _MERGE_KEY:
            return parent.path + ("<<",)
        if parent.duplicate:  # an unreachable path: the duplicate's value is dropped
            self._dup_serial += 1
            return parent.path + ((" duplicate", self._dup_serial),)
        return parent.path + (parent.key,)

    def nodes(self) -> object:
        """Consume events for one node (and everything under it); return its value."""
        loader = self.loader
        stack: list[_Frame] = []
        while True:
            event = loader.get_event()
            if isinstance(event, MappingEndEvent | SequenceEndEvent):
                frame = stack.pop()
                value = self.finish(frame, event)
                if not stack:
                    return value
                self.attach(stack[-1], value, frame.path, frame.height)
                continue
            parent = stack[-1] if stack else None
            if parent is not None and parent.kind == "map" and parent.key is _NO_KEY:
                self.take_key(parent, event)
                continue
            path = self.child_path(parent)
            mark = event.start_mark
            self.positions.value_at[path] = _pos(mark)
            if isinstance(event, ScalarEvent):
                self.count(1, mark, path)
                value = self.scalar(event, path)
                if event.anchor is not None:
                    self.anchors[event.anchor] = _Anchor(value, path)
                height = 0
            elif isinstance(event, AliasEvent):
                value, height = self.alias(event, path, len(stack))
            elif isinstance(event, MappingStartEvent | SequenceStartEvent):
                self.count(1, mark, path)
                is_map = isinstance(event, MappingStartEvent)
                if len(stack) + 1 > MAX_DEPTH:
                    self.fatal_limit(mark, path, f"nesting is too deep: more than {MAX_DEPTH} "
                                     "levels of mappings and lists")
                if event.tag not in (None, "!", _MAP if is_map else _SEQ):
                    self.bad_tag(mark, path, event.tag)
                stack.append(_Frame("map" if is_map else "seq", {} if is_map else [], path,
                                    event.anchor, self.total))
                if event.anchor is not None:
                    self.anchors[event.anchor] = _Anchor(None, path, pending=True)
                continue
            else:  # pragma: no cover - the parser emits nothing else inside a document
                raise yaml.YAMLError(f"unexpected {type(event).__name__}")
            if parent is None:
                return value
            self.attach(parent, value, path, height)

    def take_key(self, frame: _Frame, event: yaml.Event) -> None:
        mark = event.start_mark
        if isinstance(event, ScalarEvent):
            self.count(1, mark, frame.path)
            tag = event.tag
            if (tag is None or tag == "!") and self.loader.resolve(
                    ScalarNode, event.value, event.implicit) == _MERGE:
                key: object = _MERGE_KEY
            else:
                key = self.scalar(event, frame.path)
            if event.anchor is not None and key is not _MERGE_KEY:
                self.anchors[event.anchor] = _Anchor(key, frame.path)
        elif isinstance(event, AliasEvent):
            self.alias_count += 1
            if self.alias_count > MAX_ALIASES:
                self.fatal_limit(mark, frame.path, f"too many aliases: more than {MAX_ALIASES} "
                                 "'*name' references in one file; aborted reading")
            anchor = self.anchors.get(event.anchor)
            key = anchor.value if anchor is not None and not anchor.pending else None
            if anchor is None:
                self.issue(mark, frame.path, f"alias '*{event.anchor}' is used before any "
                           f"'&{event.anchor}' anchor defines it")
            if isinstance(key, dict | list):
                self.issue(mark, frame.path, "a mapping key must be a plain value (text, number "
                           "or date), not a list or mapping")
                raise _Stop
        else:
            self.issue(mark, frame.path, "a mapping key must be a plain value (text, number or "
                       "date); complex keys ('? ' followed by a list or mapping) are not supported")
            raise _Stop
        try:
            hash(key)
        except TypeError:  # pragma: no cover - scalars are hashable
            key = repr(key)
        shown = "<<" if key is _MERGE_KEY else key
        first = frame.first_line.get(key)
        if first is not None:
            self.issue(mark, frame.path + (shown,),
                       f"duplicate key {_show(str(shown))} (first at line {first})")
            frame.duplicate = True
        else:
            frame.first_line[key] = mark.line + 1
            if key is not _MERGE_KEY:
                self.positions.key_at[frame.path + (key,)] = _pos(mark)
        frame.key = key

    def attach(self, frame: _Frame, value: object, path: YamlPath, height: int) -> None:
        frame.height = max(frame.height, height + 1)
        if frame.kind == "seq":
            frame.value.append(value)  # type: ignore[union-attr]
            return
        key, frame.key = frame.key, _NO_KEY
        if frame.duplicate:
            frame.duplicate = False
        elif key is _MERGE_KEY:
            frame.merges.append((value, path))
        else:
            frame.value[key] = value  # type: ignore[index]

    def finish(self, frame: _Frame, event: yaml.Event) -> object:
        value = frame.value
        if frame.kind == "map" and frame.merges:
            value = self.merge(frame)
        if frame.anchor is not None:
            self.anchors[frame.anchor] = _Anchor(value, frame.path,
                                                 self.total - frame.start_total + 1, frame.height)
        return value

    def merge(self, frame: _Frame) -> dict:
        explicit: dict = frame.value  # type: ignore[assignment]
        merged: dict = {}
        for value, path in frame.merges:
            sources = [(value, path)]
            if isinstance(value, list):
                sources = [(v, path + (i,)) for i, v in enumerate(value)]
            for src, src_path in sources:
                if not isinstance(src, dict):
                    pos = self.positions.value_position(src_path)
                    self.issues.append(Issue(self.filename, *(pos or (0, 0)),
                                             format_path(frame.path + ("<<",)),
                                             "a merge key '<<' takes a mapping (such as *base) "
                                             "or a list of mappings"))
                    continue
                for k, v in src.items():
                    if k not in explicit and k not in merged:
                        merged[k] = v
                        self.positions.alias_of[frame.path + (k,)] = src_path + (k,)
        merged.update(explicit)
        return merged

    def alias(self, event: AliasEvent, path: YamlPath, depth: int) -> tuple[object, int]:
        mark = event.start_mark
        self.alias_count += 1
        if self.alias_count > MAX_ALIASES:
            self.fatal_limit(mark, path, f"too many aliases: more than {MAX_ALIASES} "
                             "'*name' references in one file; aborted reading")
        anchor = self.anchors.get(event.anchor)
        if anchor is None:
            self.count(1, mark, path)
            self.issue(mark, path, f"alias '*{event.anchor}' is used before any "
                       f"'&{event.anchor}' anchor defines it")
            return None, 0
        if anchor.pending:
            self.count(1, mark, path)
            self.issue(mark, path, f"alias '*{event.anchor}' refers to a mapping or list that "
                       "contains it; recursive structures are not allowed")
            return None, 0
        self.count(anchor.size, mark, path)
        if depth + anchor.height > MAX_DEPTH:
            self.fatal_limit(mark, path, f"nesting is too deep: alias '*{event.anchor}' nests "
                             f"more than {MAX_DEPTH} levels of mappings and lists")
        self.positions.alias_of[path] = anchor.path
        return anchor.value, anchor.height

    def bad_tag(self, mark: yaml.Mark, path: YamlPath, tag: str) -> None:
        short = _short_tag(tag)
        why = ("scenario files hold plain data only" if short.startswith("!!python/")
               else "only plain YAML values are accepted: text, numbers, true/false, null, "
               "dates, lists and mappings")
        self.issue(mark, path, f"tag {short} is not allowed ({why})")

    def scalar(self, event: ScalarEvent, path: YamlPath) -> object:
        tag = event.tag
        if tag is None or tag == "!":
            tag = self.loader.resolve(ScalarNode, event.value, event.implicit)
            if tag == _MERGE:  # '<<' as a value rather than a key is just text
                return event.value
        if tag not in _CONSTRUCT:
            self.bad_tag(event.start_mark, path, tag)
            return None
        node = ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
        try:
            return _CONSTRUCT[tag](self.loader, node)
        except (ValueError, KeyError, AttributeError, TypeError, OverflowError) as exc:
            why = str(exc) if isinstance(exc, ValueError) and tag == _TIMESTAMP else ""
            if tag == _INT and len(event.value) > 1000:
                why = "too many digits"
            self.issue(event.start_mark, path, f"{_show(event.value)} is not a valid "
                       f"{_SCALAR_KIND[tag]}" + (f": {why}" if why else ""))
            return None


# --------------------------------------------------------------------------------------------
# Syntax errors made human
# --------------------------------------------------------------------------------------------

_TOKENS = {
    "<block end>": "the end of the indented block",
    "<block mapping start>": "a new 'key: value' block",
    "<block sequence start>": "a new '- item' list",
    "<block entry>": "a list item '-'",
    "<scalar>": "a value",
    "<stream end>": "the end of the file",
    "<document start>": "a document marker '---'",
    "<document end>": "a document end marker '...'",
    "<flow mapping start>": "'{'",
    "<flow sequence start>": "'['",
    "<flow mapping end>": "'}'",
    "<flow sequence end>": "']'",
    "<alias>": "an alias '*name'",
    "<anchor>": "an anchor '&name'",
    "<tag>": "a tag",
    "'-'": "a list item '-'",
    "'?'": "a new 'key: value' entry",
}


def _token(name: str) -> str:
    name = name.strip()
    return _TOKENS.get(name) or _TOKENS.get(name.strip("'")) or name


def _syntax_issue(exc: yaml.MarkedYAMLError, filename: str) -> Issue:
    """Turn a PyYAML scanner/parser error into one located, readable issue."""
    problem = (exc.problem or "").strip()
    context = (exc.context or "").strip()
    mark = exc.problem_mark or exc.context_mark
    ctx_mark = exc.context_mark
    where = (f" (line {ctx_mark.line + 1}, column {ctx_mark.column + 1})"
             if ctx_mark is not None else "")
    message = ""
    buffer = getattr(mark, "buffer", None)
    if mark is not None and buffer and 0 <= mark.pointer < len(buffer) and buffer[mark.pointer] == "\t":
        before = buffer[mark.pointer - mark.column: mark.pointer]
        if before.strip(" \t") == "":
            message = (f"tabs are not allowed for indentation; use spaces (line {mark.line + 1} "
                       "starts with a tab)")
        else:
            message = f"a tab character is not allowed here (line {mark.line + 1}); use spaces"
    elif problem == "mapping values are not allowed here":
        message = ("unexpected ':' here; put a value that contains ': ' in quotes, or check "
                   "the indentation of this line")
    elif problem == "could not find expected ':'":
        mark = ctx_mark or mark
        message = "expected 'key: value' but this line has no ':' after the key"
    elif problem == "found unexpected end of stream" and "quoted scalar" in context:
        mark = ctx_mark or mark
        message = "unclosed quote: this string has no closing quote"
    elif problem == "found unexpected end of stream":
        message = f"unexpected end of file ({context}{where})" if context else "unexpected end of file"
    elif m := re.match(r"expected ',' or '([\]}])', but got (.*)$", problem):
        opener = "[" if m.group(1) == "]" else "{"
        found_at = f"line {mark.line + 1}, column {mark.column + 1}" if mark is not None else "?"
        mark = ctx_mark or mark
        message = (f"unclosed '{opener}': expected ',' or '{m.group(1)}' but found "
                   f"{_token(m.group(2))} at {found_at}")
    elif m := re.match(r"expected (<[^>]+>), but found (.*)$", problem):
        message = (f"bad indentation or structure: expected {_token(m.group(1))} but found "
                   f"{_token(m.group(2))}; check the indentation of this line"
                   + (f" against the block that starts at line {ctx_mark.line + 1}"
                      if ctx_mark is not None else ""))
    elif problem == "did not find expected key":
        message = ("bad indentation or a missing ':': expected a 'key: value' line here"
                   + (f" (in the block that starts at line {ctx_mark.line + 1})"
                      if ctx_mark is not None else ""))
    elif problem == "did not find expected '-' indicator":
        message = "bad indentation: expected a list item '- …' here"
    elif problem == "but found another document":
        message = ("the file holds more than one YAML document (a second one starts here); "
                   "a scenario file holds exactly one")
    elif problem.startswith("found unknown escape character"):
        message = (f"{problem} in a double-quoted string; use single quotes, or write a "
                   "backslash as '\\\\'")
    elif m := re.match(r"found character '(.*)' that cannot start any token", problem):
        message = (f"the character {m.group(1)!r} cannot start a value here; "
                   "put the value in quotes")
    else:
        message = problem or context or "invalid YAML"
        if context and problem:
            message = f"{problem} ({context}{where})"
    line, col = _pos(mark)
    return Issue(filename, line, col, "", f"YAML syntax error: {message}")


# --------------------------------------------------------------------------------------------
# Reading bytes and text
# --------------------------------------------------------------------------------------------


def _fail(filename: str, message: str, *, line: int = 0, col: int = 0,
          limit: bool = False) -> ScenarioError:
    cls = ScenarioLimitError if limit else ScenarioError
    return cls([Issue(filename, line, col, "", message)])


def _too_large(filename: str, size: int | None) -> ScenarioError:
    got = f"{size:,} bytes" if size is not None else f"more than {MAX_BYTES:,} bytes"
    return _fail(filename, f"file is too large: {got} (the limit is {MAX_BYTES:,} bytes)",
                 limit=True)


_NOT_REGULAR = (
    (stat.S_ISDIR, "is a directory, not a scenario file"),
    (stat.S_ISFIFO, "is a named pipe (FIFO), not a regular file; save the scenario to a file"),
    (stat.S_ISSOCK, "is a socket, not a regular file; save the scenario to a file"),
    (stat.S_ISCHR, "is a character device, not a regular file; save the scenario to a file"),
    (stat.S_ISBLK, "is a block device, not a regular file; save the scenario to a file"),
)


def _check_regular(mode: int, filename: str) -> None:
    """Refuse anything but a regular file: reading a FIFO or a device can block or never end."""
    if stat.S_ISREG(mode):
        return
    for test, message in _NOT_REGULAR:
        if test(mode):
            raise _fail(filename, message)
    raise _fail(filename, "is not a regular file; save the scenario to a file")


def _open_nonblocking(path: str, flags: int) -> int:
    return os.open(path, flags | getattr(os, "O_NONBLOCK", 0))


def _read_file(path: Path, filename: str) -> bytes:
    """Read a file's bytes after checking that it exists, is a file and is not too large."""
    try:
        info = path.stat()
    except FileNotFoundError:
        raise _fail(filename, "file not found") from None
    except PermissionError:
        raise _fail(filename, "cannot read file: permission denied") from None
    except OSError as exc:
        raise _fail(filename, f"cannot read file: {exc.strerror or exc}") from None
    _check_regular(info.st_mode, filename)
    if info.st_size > MAX_BYTES:
        raise _too_large(filename, info.st_size)
    try:
        # O_NONBLOCK: if the path was swapped for a FIFO after the stat, open() still returns at
        # once and the fstat below refuses it (a blocking open of a FIFO waits for a writer).
        with open(path, "rb", opener=_open_nonblocking) as handle:
            _check_regular(os.fstat(handle.fileno()).st_mode, filename)
            data = handle.read(MAX_BYTES + 1)
    except IsADirectoryError:
        raise _fail(filename, "is a directory, not a scenario file") from None
    except PermissionError:
        raise _fail(filename, "cannot read file: permission denied") from None
    except OSError as exc:
        raise _fail(filename, f"cannot read file: {exc.strerror or exc}") from None
    if len(data) > MAX_BYTES:
        raise _too_large(filename, None)
    return data


def _decode(data: bytes, filename: str) -> str:
    """Decode UTF-8 (an optional BOM is dropped); locate the first bad byte otherwise."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE)):
        raise _fail(filename, "file is UTF-16/UTF-32 encoded; save it as UTF-8", line=1, col=1)
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        start = exc.start
        line = data.count(b"\n", 0, start) + 1
        line_start = data.rfind(b"\n", 0, start) + 1
        col = len(data[line_start:start].decode("utf-8", errors="replace")) + 1
        raise _fail(filename, f"file is not valid UTF-8 text (byte 0x{data[start]:02x} at line "
                    f"{line}, column {col}); save it as UTF-8", line=line, col=col) from None


def _line_col(text: str, index: int) -> tuple[int, int]:
    line_start = text.rfind("\n", 0, index) + 1
    return text.count("\n", 0, index) + 1, index - line_start + 1


def _check_printable(text: str, filename: str) -> None:
    issues = []
    for match in _NON_PRINTABLE.finditer(text):
        char = match.group()
        line, col = _line_col(text, match.start())
        issues.append(Issue(filename, line, col, "", f"control character U+{ord(char):04X} is "
                            "not allowed in a YAML file"))
        if len(issues) >= _MAX_LISTED:
            break
    if issues:
        raise ScenarioError(issues)


def _sort(issues: list[Issue]) -> list[Issue]:
    return sorted(issues, key=lambda i: (i.line, i.col))


def read_yaml(source: str | bytes | os.PathLike[str], *,
              filename: str | None = None) -> tuple[object, PositionMap]:
    """Read one YAML document safely into plain data plus the position of every node.

    Args:
        source: A file path (:class:`pathlib.Path` or any ``os.PathLike``), or the document
            itself as ``str`` or ``bytes`` (UTF-8). A ``str`` is always YAML text, never a path,
            so text from an editor or upload can never make this open a file.
        filename: Name to report in issues; defaults to the path as given, or ``"<text>"``.

    Returns:
        ``(data, positions)``: the top-level mapping as plain Python data and its
        :class:`PositionMap`.

    Raises:
        ScenarioError: With every located issue found (missing, unreadable or empty file,
            non-UTF-8 bytes, syntax errors, tabs, duplicate keys, disallowed tags, top level not
            a mapping, ...). :class:`ScenarioLimitError` (also a ``LimitError``) when a size,
            depth, node or alias limit is exceeded.
    """
    if isinstance(source, os.PathLike):
        name = filename if filename is not None else os.fspath(source)
        text = _decode(_read_file(Path(source), name), name)
    elif isinstance(source, bytes | bytearray | memoryview):
        name = filename if filename is not None else "<text>"
        data = bytes(source)
        if len(data) > MAX_BYTES:
            raise _too_large(name, len(data))
        text = _decode(data, name)
    elif isinstance(source, str):
        name = filename if filename is not None else "<text>"
        if len(source) > MAX_BYTES or len(source.encode("utf-8", "surrogatepass")) > MAX_BYTES:
            raise _too_large(name, len(source.encode("utf-8", "surrogatepass")))
        text = source
    else:
        raise TypeError(f"read_yaml() takes a path, str or bytes, not {type(source).__name__}")

    if not text.strip():
        raise _fail(name, "file is empty; a scenario is a mapping of fields such as 'id:' and 'title:'")
    _check_printable(text, name)

    builder = None
    if _CStrictLoader is not None:  # libyaml: ~20x faster; on any error re-read in pure Python
        builder = _Builder(_CStrictLoader(text), name)
        if not builder.run():
            builder = None
    if builder is None:  # pure Python: PyYAML's clearer error messages, or no libyaml
        builder = _Builder(_StrictSafeLoader(text), name)
        builder.run()
    data = builder.data
    if builder.issues:
        raise (ScenarioLimitError if builder.limit_hit else ScenarioError)(_sort(builder.issues))
    if not isinstance(data, dict):
        kind = ("a list" if isinstance(data, list) else "empty (null)" if data is None
                else f"a single value ({type(data).__name__})")
        line, col = builder.positions.value_at.get((), (1, 1))
        raise _fail(name, f"the top level must be a mapping of fields (such as 'id: ...'), "
                    f"but it is {kind}", line=line, col=col)
    return data, builder.positions
