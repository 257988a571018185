"""Safe YAML reading with a position for every node.

:func:`read_yaml` turns a scenario file (or pasted text) into plain Python data — ``dict``,
``list``, ``str``, ``int``, ``float``, ``bool``, ``None``, ``datetime.date`` and
``datetime.datetime`` — together with a :class:`PositionMap` that gives the 1-based line and
column of every key and value, so that later validation errors can point at ``FILE:LINE:COL``.

Safety and limits:

* The document is composed into nodes by PyYAML's safe composer (``yaml.compose`` with a
  ``SafeLoader`` subclass: libyaml's when available, pure Python otherwise), which gives every
  node its position and shares one node between an anchor and its aliases. This module then turns
  the nodes into data itself: no constructor for ``!!python/...`` (or any other non-standard) tag
  can ever run; such tags are reported as located errors.
* Files larger than :data:`MAX_BYTES` are refused before they are read (``stat`` first, then at
  most ``MAX_BYTES + 1`` bytes); only regular files are opened (a FIFO or a device could block).
  Nesting deeper than :data:`MAX_DEPTH`, more than :data:`MAX_ALIASES` aliases or more than
  :data:`MAX_NODES` nodes (counting every node an alias expands to, without expanding it) stop
  the reading, so alias bombs ("billion laughs") fail in milliseconds. These limits raise
  :class:`ScenarioLimitError` (a :class:`~sim.errors.ScenarioError` and a
  :class:`~sim.errors.LimitError`). Read the constants at call time, so tests may patch them.
* Duplicate keys, disallowed tags, undefined or recursive aliases, invalid dates and control
  characters are collected and reported together; a syntax error ends the reading, and is reported
  with the problems found in the text before it.

Plain scalars follow YAML 1.2's core schema rather than PyYAML's YAML 1.1 defaults: only
``true``/``false`` are booleans (``yes``, ``no``, ``on``, ``off``, ``NO`` stay strings), ``1:30``
stays a string (no base-60 numbers), ``012`` stays a string (no implicit octal) and ``1e3`` is a
float. ``~``/``null``/empty are ``None``; ``2024-05-01`` is a ``datetime.date``. Merge keys
(``<<: *base``) are supported.
"""

from __future__ import annotations

import codecs
import gc
import os
import re
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml
from yaml.events import AliasEvent, MappingStartEvent, SequenceStartEvent, StreamEndEvent
from yaml.nodes import MappingNode, ScalarNode

from sim.errors import Issue, LimitError, ScenarioError
from sim.scenario.positions import Position, PositionMap, YamlPath, format_path
from sim.scenario.yaml_messages import syntax_issue

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
_NON_PRINTABLE = yaml.reader.Reader.NON_PRINTABLE  # characters YAML forbids in a stream
_MAX_LISTED = 20  # cap on repeated issues of one kind (control characters)


# --------------------------------------------------------------------------------------------
# The loader: PyYAML's safe composer with a YAML 1.2-style resolver
# --------------------------------------------------------------------------------------------


class _Flagged(ScalarNode):
    """A null node standing for an alias that cannot be followed (the walk reports ``problem``)."""

    def __init__(self, event: AliasEvent, problem: str):
        super().__init__(_NULL, "", event.start_mark, event.end_mark)
        self.problem = problem


class _LimitHit(Exception):
    """Internal: the composer met a limit (``mark``, ``message``)."""


class _StrictSafeLoader(yaml.SafeLoader):
    """``SafeLoader`` with YAML 1.2 core-schema scalars, composing nodes only (never constructing).

    ``compose_node`` is extended so that the pure-Python composer (used when libyaml is missing
    or has reported a problem) never recurses deeper than :data:`MAX_DEPTH`, lets an anchor be
    defined again (YAML 1.2), and turns an undefined or recursive alias into a :class:`_Flagged`
    null node that the walk reports at the alias, instead of an exception or a cyclic graph.
    """

    yaml_implicit_resolvers: dict = {}  # start empty: no YAML 1.1 yes/no/on/off, base 60, ...

    def __init__(self, stream: str):
        super().__init__(stream)
        self._open: list[str | None] = []  # anchors of the collections being composed

    def compose_node(self, parent: yaml.Node | None, index: object) -> yaml.Node:  # noqa: D102
        event = self.peek_event()
        if isinstance(event, AliasEvent):
            name = event.anchor
            if name not in self.anchors:
                self.get_event()
                return _Flagged(event, f"alias '*{name}' is used before any '&{name}' anchor defines it")
            if name in self._open:
                self.get_event()
                return _Flagged(event, f"alias '*{name}' refers to a mapping or list that contains it; "
                                       "recursive structures are not allowed")
            return super().compose_node(parent, index)
        self.anchors.pop(event.anchor, None)  # a redefined anchor names the new node from here on
        if not isinstance(event, MappingStartEvent | SequenceStartEvent):
            return super().compose_node(parent, index)
        if len(self._open) >= MAX_DEPTH:
            raise _LimitHit(event.start_mark, f"nesting is too deep: more than {MAX_DEPTH} levels "
                            "of mappings and lists")
        self._open.append(event.anchor)
        try:
            return super().compose_node(parent, index)
        finally:
            self._open.pop()


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
        """libyaml's composer (about 8x faster) with the same resolver; libyaml caps nesting at 1000."""

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
# From composed nodes to plain data, positions and issues
# --------------------------------------------------------------------------------------------


class _Stop(Exception):
    """Internal: a fatal problem was recorded; stop reading."""


class _Cyclic(Exception):
    """Internal: libyaml composed a recursive alias into a cycle; re-read in pure Python."""


_MERGE_KEY = object()


@dataclass
class _Done:
    """A node already turned into data: a later visit is an alias (``*name``) of it."""

    value: object
    path: YamlPath
    size: int  # nodes, counting alias expansions
    height: int  # levels of mappings and lists


class _Walk:
    """Turn a composed node graph into plain data, with positions, issues and limits.

    ``yaml.compose`` shares one node between an anchor and its aliases, so the walk meets an
    alias as a node it has already seen: it reuses that value (no expansion, so alias bombs cost
    nothing) while counting the nodes the alias stands for, and records where its text is.
    Recursion is bounded: a collection deeper than :data:`MAX_DEPTH` stops the walk.
    """

    def __init__(self, loader: yaml.SafeLoader, filename: str):
        self.loader = loader
        self.filename = filename
        self.positions = PositionMap()
        self.issues: list[Issue] = []
        self.limit_hit = False
        self.done: dict[int, _Done] = {}
        self.active: set[int] = set()
        self.total = 0
        self.aliases = 0
        self._dup_serial = 0
        self.data: object = None

    def issue(self, mark: yaml.Mark | None, path: YamlPath, message: str) -> None:
        shown = format_path(path) if len(path) <= 12 else format_path(path[:6]) + "…"
        self.issues.append(Issue(self.filename, *_pos(mark), shown, message))

    def fatal_limit(self, mark: yaml.Mark | None, path: YamlPath, message: str) -> None:
        self.limit_hit = True
        self.issue(mark, path, message)
        raise _Stop

    def count(self, n: int, mark: yaml.Mark | None, path: YamlPath) -> None:
        self.total += n
        if self.total > MAX_NODES:
            self.fatal_limit(mark, path, f"document is too large: more than {MAX_NODES:,} nodes "
                             "(after expanding aliases); aborted reading")

    def value(self, node: yaml.Node, path: YamlPath, depth: int, at: yaml.Mark | None) -> tuple[object, int]:
        """The data of ``node`` (at ``path``, ``depth`` collections deep) and its height.

        ``at`` is where the enclosing collection starts: an alias's own text is not kept by the
        composer, so limits met through an alias are reported there.
        """
        seen = self.done.get(id(node))
        if seen is not None:  # an alias
            self.aliases += 1
            if self.aliases > MAX_ALIASES:
                self.fatal_limit(at, path, f"too many aliases: more than {MAX_ALIASES} '*name' "
                                 "references in one file; aborted reading")
            self.count(seen.size, at, path)
            if depth + seen.height > MAX_DEPTH:
                self.fatal_limit(at, path, f"nesting is too deep: an alias nests more than "
                                 f"{MAX_DEPTH} levels of mappings and lists")
            self.positions.alias_of[path] = seen.path
            return seen.value, seen.height
        if id(node) in self.active:
            raise _Cyclic
        mark = node.start_mark
        self.positions.value_at[path] = _pos(mark)
        start = self.total
        self.count(1, mark, path)
        if isinstance(node, ScalarNode):
            if isinstance(node, _Flagged):
                self.issue(mark, path, node.problem)
                return None, 0  # not recorded: each flagged alias is its own node
            value, height = self.scalar(node, path), 0
        else:
            if depth + 1 > MAX_DEPTH:
                self.fatal_limit(mark, path, f"nesting is too deep: more than {MAX_DEPTH} levels of "
                                 "mappings and lists")
            is_map = isinstance(node, MappingNode)
            if node.tag != (_MAP if is_map else _SEQ):
                self.bad_tag(mark, path, node.tag)
            self.active.add(id(node))
            value, height = (self.mapping if is_map else self.sequence)(node, path, depth + 1)
            self.active.discard(id(node))
        self.done[id(node)] = _Done(value, path, self.total - start, height)
        return value, height

    def sequence(self, node: yaml.SequenceNode, path: YamlPath, depth: int) -> tuple[list, int]:
        out, height = [], 1
        for i, item in enumerate(node.value):
            value, h = self.value(item, (*path, i), depth, node.start_mark)
            out.append(value)
            height = max(height, h + 1)
        return out, height

    def mapping(self, node: yaml.MappingNode, path: YamlPath, depth: int) -> tuple[dict, int]:
        explicit: dict = {}
        merges: list[tuple[object, YamlPath]] = []
        first_line: dict = {}
        height = 1
        for key_node, value_node in node.value:
            key = self.key(key_node, path, node.start_mark)
            shown = "<<" if key is _MERGE_KEY else key
            first = first_line.get(key)
            if first is not None:
                self.issue(key_node.start_mark, (*path, shown),
                           f"duplicate key {_show(str(shown))} (first at line {first})")
                self._dup_serial += 1  # still read the value (for its issues), at a path no one asks for
                self.value(value_node, (*path, (" duplicate", self._dup_serial)), depth, node.start_mark)
                continue
            first_line[key] = key_node.start_mark.line + 1
            child = (*path, shown)
            if key is not _MERGE_KEY:
                self.positions.key_at[child] = _pos(key_node.start_mark)
            value, h = self.value(value_node, child, depth, node.start_mark)
            height = max(height, h + 1)
            if key is _MERGE_KEY:
                merges.append((value, self.positions.resolve(child)))
            else:
                explicit[key] = value
        return (self.merge(explicit, merges, path) if merges else explicit), height

    def key(self, node: yaml.Node, path: YamlPath, at: yaml.Mark) -> object:
        if isinstance(node, ScalarNode):
            seen = self.done.get(id(node))
            if seen is not None:  # an alias as a key
                self.aliases += 1
                if self.aliases > MAX_ALIASES:
                    self.fatal_limit(at, path, f"too many aliases: more than {MAX_ALIASES} '*name' "
                                     "references in one file; aborted reading")
                return seen.value
            self.count(1, node.start_mark, path)
            if isinstance(node, _Flagged):
                self.issue(node.start_mark, path, node.problem)
                return None
            key = _MERGE_KEY if node.tag == _MERGE else self.scalar(node, path)
            self.done[id(node)] = _Done(key, path, 1, 0)
            return key
        if id(node) in self.done or id(node) in self.active:
            self.issue(at, path, "a mapping key must be a plain value (text, number or date), "
                       "not a list or mapping")
        else:
            self.issue(node.start_mark, path, "a mapping key must be a plain value (text, number or "
                       "date); complex keys ('? ' followed by a list or mapping) are not supported")
        raise _Stop

    def merge(self, explicit: dict, merges: list[tuple[object, YamlPath]], path: YamlPath) -> dict:
        """Apply ``<<`` merge keys: explicit keys win, then the first source that has a key."""
        merged: dict = {}
        for value, src_path in merges:
            sources = [(value, src_path)]
            if isinstance(value, list):
                sources = [(v, self.positions.resolve((*src_path, i))) for i, v in enumerate(value)]
            for src, where in sources:
                if not isinstance(src, dict):
                    pos = self.positions.value_position(where)
                    self.issues.append(Issue(self.filename, *(pos or (0, 0)), format_path((*path, "<<")),
                                             "a merge key '<<' takes a mapping (such as *base) "
                                             "or a list of mappings"))
                    continue
                for k, v in src.items():
                    if k not in explicit and k not in merged:
                        merged[k] = v
                        self.positions.alias_of[(*path, k)] = (*where, k)
        merged.update(explicit)
        return merged

    def bad_tag(self, mark: yaml.Mark, path: YamlPath, tag: str) -> None:
        short = _short_tag(tag)
        why = ("scenario files hold plain data only" if short.startswith("!!python/")
               else "only plain YAML values are accepted: text, numbers, true/false, null, "
               "dates, lists and mappings")
        self.issue(mark, path, f"tag {short} is not allowed ({why})")

    def scalar(self, node: ScalarNode, path: YamlPath) -> object:
        tag = node.tag
        if tag == _MERGE:  # '<<' as a value rather than a key is just text
            return node.value
        if tag not in _CONSTRUCT:
            self.bad_tag(node.start_mark, path, tag)
            return None
        try:
            return _CONSTRUCT[tag](self.loader, node)
        except (ValueError, LookupError, AttributeError, TypeError, OverflowError) as exc:
            why = str(exc) if isinstance(exc, ValueError) and tag == _TIMESTAMP else ""
            if tag == _INT and len(node.value) > 1000:
                why = "too many digits"
            self.issue(node.start_mark, path, f"{_show(node.value)} is not a valid "
                       f"{_SCALAR_KIND[tag]}" + (f": {why}" if why else ""))
            return None


def _compose(text: str, filename: str) -> _Walk:
    """Compose ``text`` and walk it: libyaml first, pure Python for anything libyaml objects to.

    The pure-Python pass gives PyYAML's clearer syntax messages and places alias problems at the
    alias. After a syntax error, the part of the file before it is read again, so that problems
    found there (duplicate keys, bad values ...) are reported with it.
    """
    # The node graph and the data are acyclic and live until we return: collecting garbage while
    # they grow only rescans them (measured: a 700 KB file reads in 1.1 s instead of 2.5 s).
    collecting = gc.isenabled()
    gc.disable()
    try:
        walk = _walk(_CStrictLoader(text), filename, single=True) if _CStrictLoader else None
        if walk is None:
            walk = _walk(_StrictSafeLoader(text), filename, single=False)
    finally:
        if collecting:
            gc.enable()
    assert walk is not None  # noqa: S101 - the pure-Python pass always returns
    return walk


def _walk(loader: yaml.SafeLoader, filename: str, *, single: bool, retry: bool = True) -> _Walk | None:
    """One pass; ``None`` if this is the libyaml pass (``single``) and it met a problem.

    ``retry``: after a syntax error, read the lines before it again for their own issues.
    """
    walk = _Walk(loader, filename)
    try:
        if single:
            root = loader.get_single_node()
            if root is None:
                return None
        else:
            loader.get_event()  # StreamStartEvent
            if loader.check_event(StreamEndEvent):
                walk.issue(None, (), "file is empty (it holds no YAML content); "
                           "a scenario is a mapping of fields such as 'id:' and 'title:'")
                return walk
            root = loader.compose_document()
            if not loader.check_event(StreamEndEvent):
                walk.issue(loader.peek_event().start_mark, (), "the file holds more than one YAML "
                           "document (a second one starts here after '---'); a scenario file holds "
                           "exactly one")
        walk.data, _ = walk.value(root, (), 0, root.start_mark)
    except _Stop:
        pass
    except _LimitHit as hit:
        walk.limit_hit = True
        walk.issue(hit.args[0], (), hit.args[1])
    except (yaml.YAMLError, _Cyclic) as exc:
        if single:
            return None
        if isinstance(exc, yaml.MarkedYAMLError):
            walk.issues = (_before(exc, filename) if retry else []) + [syntax_issue(exc, filename)]
        else:  # pragma: no cover - a reader error that _check_printable did not foresee
            walk.issues.append(Issue(filename, 0, 0, "", f"YAML error: {exc}"))
    finally:
        loader.dispose()
    return walk


def _before(exc: yaml.MarkedYAMLError, filename: str) -> list[Issue]:
    """Issues in the text before a syntax error, read again on its own.

    The text is cut at the error, else at the start of its line; if neither part reads, none.
    """
    marks = [m for m in (exc.context_mark, exc.problem_mark) if m is not None]
    buffer = getattr(marks[0], "buffer", None) if marks else None
    if not isinstance(buffer, str):
        return []
    first = min(marks, key=lambda m: m.index)
    for cut in (first.index, first.index - first.column):
        head = buffer[:cut]
        if not head.strip():
            return []
        walk = _walk(_StrictSafeLoader(head), filename, single=False, retry=False)
        if walk is not None and not any(i.message.startswith("YAML syntax error") for i in walk.issues):
            return [i for i in walk.issues if not i.message.startswith("file is empty")]
    return []


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

    builder = _compose(text, name)
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
