"""Load and validate scenario files, reporting every problem at ``FILE:LINE:COL``.

The pipeline is: :func:`read_yaml` (safe YAML → plain data + :class:`PositionMap`) →
:func:`validate_data` (pydantic ``Scenario.model_validate`` and then the scenario's own
cross-field checks, ``Scenario.semantic_issues()``) → every variant applied and the scenario it
produces validated the same way, each problem placed at the variant's own lines
(``Scenario.applied_variants()``). Every failure raises
:class:`~sim.errors.ScenarioError` listing all issues found, sorted by line; nothing else escapes
for bad input.

Typical use::

    scenario = load_scenario("scenarios/taiwan_2027.yaml")      # CLI
    scenario = parse_scenario(uploaded_text, "upload.yaml")    # app editor / upload
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
import re
import types
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError

from sim.errors import Issue, ScenarioError
from sim.scenario.yaml_source import (
    Position,
    PositionMap,
    ScenarioLimitError,
    YamlPath,
    format_path,
    read_yaml,
)

if TYPE_CHECKING:
    from sim.scenario.schema import Scenario

__all__ = [
    "Position",
    "PositionMap",
    "ScenarioLimitError",
    "format_path",
    "read_yaml",
    "load_scenario",
    "parse_scenario",
    "validate_data",
]

# Error types whose message should also say what was found.
_NO_GOT = {"missing", "extra_forbidden", "union_tag_invalid", "union_tag_not_found",
           "value_error", "assertion_error"}
# Plainer wording for the structural errors users meet most.
_PLAIN = {
    "model_type": "expected a mapping of fields (key: value lines)",
    "model_attributes_type": "expected a mapping of fields (key: value lines)",
    "dict_type": "expected a mapping (key: value lines)",
    "list_type": "expected a list ('- item' lines or [a, b])",
    "tuple_type": "expected a list ('- item' lines or [a, b])",
    "int_type": "expected a whole number",
    "float_type": "expected a number",
    "bool_type": "expected true or false",
    "finite_number": "expected a finite number (not .nan or .inf)",
}
_QUOTED = re.compile(r"'((?:[^'\\]|\\.)*)'")


def load_scenario(path: str | os.PathLike[str], *,
                  model: type[BaseModel] | None = None) -> Scenario:
    """Read and validate a scenario file.

    Args:
        path: The file to read; issues name it exactly as given.
        model: Model to validate against (default ``sim.scenario.schema.Scenario``).

    Returns:
        The validated, frozen ``Scenario``.

    Raises:
        ScenarioError: With every located issue (unreadable file, YAML problems, schema and
            cross-field errors).
    """
    name = os.fspath(path)
    data, positions = read_yaml(Path(name), filename=name)
    return validate_data(data, positions, name, model=model)


def parse_scenario(text: str | bytes, filename: str = "<text>", *,
                   model: type[BaseModel] | None = None) -> Scenario:
    """Validate a scenario given as text (the app's editor or an upload).

    Args:
        text: The YAML document, as ``str`` or UTF-8 ``bytes``. Never treated as a path.
        filename: Name to show in issues (e.g. the uploaded file's name).
        model: Model to validate against (default ``sim.scenario.schema.Scenario``).

    Returns:
        The validated, frozen ``Scenario``.

    Raises:
        ScenarioError: With every located issue found.
    """
    data, positions = read_yaml(text, filename=filename)
    return validate_data(data, positions, filename, model=model)


def validate_data(data: object, positions: PositionMap, filename: str, *,
                  model: type[BaseModel] | None = None) -> Scenario:
    """Validate plain data against the scenario schema and its cross-field rules.

    Args:
        data: Plain data as returned by :func:`read_yaml`.
        positions: Where each node of ``data`` sits in the file.
        filename: Name to show in issues.
        model: The pydantic model to validate against; defaults to
            ``sim.scenario.schema.Scenario``. If the validated object has a
            ``semantic_issues()`` method returning ``[(loc, message), ...]`` it is called too.

    Returns:
        The validated model instance.

    Raises:
        ScenarioError: With one located issue per pydantic error, or per semantic issue,
            sorted by line.
    """
    if model is None:
        from sim.scenario.schema import Scenario as model  # noqa: N813 - lazy: schema imports us late
    if not isinstance(data, dict):
        line, col = positions.value_position(()) or (0, 0)
        raise ScenarioError([Issue(filename, line, col, "",
                                   "the top level must be a mapping of fields")])
    try:
        result = model.model_validate(data)
    except ValidationError as exc:
        issues = [_pydantic_issue(err, data, positions, filename, model)
                  for err in exc.errors(include_url=False)]
        raise ScenarioError(_sorted(issues)) from None
    issues = _semantic(result, data, positions, filename)
    applied = getattr(result, "applied_variants", None)
    if callable(applied):
        seen = {(i.line, i.col) for i in issues}
        for variant in applied():
            for issue in _variant_issues(variant, positions, filename, model):
                if (issue.line, issue.col) not in seen:  # a baseline problem repeats in every variant
                    seen.add((issue.line, issue.col))
                    issues.append(issue)
    if issues:
        raise ScenarioError(_sorted(issues))
    return result  # type: ignore[return-value]


def _semantic(result: object, data: object, positions: PositionMap, filename: str,
              show: Callable[[tuple], tuple] | None = None, prefix: str = "") -> list[Issue]:
    """Located issues from ``result.semantic_issues()`` (none if the model has no such method)."""
    semantic = getattr(result, "semantic_issues", None)
    if not callable(semantic):
        return []
    issues = []
    for loc, message in semantic():
        path, pos, _ = _walk(tuple(loc), data, positions, keep_last=True)
        shown = show(path) if show is not None else path
        issues.append(Issue(filename, *(pos or (0, 0)), format_path(shown), prefix + str(message)))
    return issues


def _variant_issues(variant: Any, positions: PositionMap, filename: str,
                    model: type[BaseModel]) -> list[Issue]:
    """Validate the scenario a variant produces; locate each problem where the file wrote it.

    ``variant`` is a :class:`~sim.scenario.variants.AppliedVariant`: the resulting data and, for
    each of its parts, the path in the file it came from (the variant's own lines for what the
    variant changed, the baseline's lines for the rest).
    """
    where = _Relocated(positions, variant.origin)
    prefix = f"variant '{variant.name}': "
    try:
        result = model.model_validate(variant.data)
    except ValidationError as exc:
        out = []
        for err in exc.errors(include_url=False):
            issue = _pydantic_issue(err, variant.data, where, filename, model, show=variant.origin)
            out.append(Issue(issue.file, issue.line, issue.col, issue.path, prefix + issue.message))
        return out
    return _semantic(result, variant.data, where, filename, show=variant.origin, prefix=prefix)


class _Relocated(PositionMap):
    """Positions for derived data: each path is first mapped to the file path that wrote it."""

    def __init__(self, positions: PositionMap, origin: Callable[[tuple], tuple]):
        super().__init__(positions.value_at, positions.key_at, positions.alias_of)
        self._origin = origin

    def value_position(self, path: YamlPath) -> Position | None:  # noqa: D102
        return super().value_position(self._origin(tuple(path)))

    def key_position(self, path: YamlPath) -> Position | None:  # noqa: D102
        return super().key_position(self._origin(tuple(path)))


# --------------------------------------------------------------------------------------------
# Locating pydantic errors
# --------------------------------------------------------------------------------------------


def _sorted(issues: list[Issue]) -> list[Issue]:
    return sorted(issues, key=lambda i: (i.line, i.col, i.path))


def _walk(loc: tuple, data: object, positions: PositionMap, *,
          keep_last: bool) -> tuple[YamlPath, Position | None, YamlPath]:
    """Follow ``loc`` through ``data`` as far as it goes.

    Segments that are not keys or indexes of the data (discriminated-union tags such as
    ``'naval_deployment'``, validator names) are dropped. A final segment that is not in the data
    (a missing field) is kept in the shown path when ``keep_last`` is true.

    Returns:
        ``(shown_path, position, data_path)``: the path to show, the best position for it (the
        key for ``[key]`` errors, else the value; the enclosing mapping for missing fields) and
        the part of the path that exists in the data.
    """
    node = data
    path: list = []
    on_key = False
    for i, seg in enumerate(loc):
        last = i == len(loc) - 1
        if seg == "[key]":
            on_key = True
            break
        if isinstance(node, dict) and _has_key(node, seg):
            node = node[seg]
            path.append(seg)
        elif (isinstance(node, list) and isinstance(seg, int) and not isinstance(seg, bool)
              and 0 <= seg < len(node)):
            node = node[seg]
            path.append(seg)
        elif last and keep_last and isinstance(node, dict):
            data_path = tuple(path)
            _, pos = positions.nearest(data_path)
            return data_path + (seg,), pos, data_path
    data_path = tuple(path)
    pos = positions.key_position(data_path) if on_key else None
    if pos is None:
        _, pos = positions.nearest(data_path)
    return data_path, pos, data_path


def _has_key(mapping: dict, key: object) -> bool:
    try:
        return key in mapping
    except TypeError:
        return False


def _pydantic_issue(err: Mapping[str, Any], data: dict, positions: PositionMap,
                    filename: str, model: type[BaseModel],
                    show: Callable[[tuple], tuple] | None = None) -> Issue:
    kind = err.get("type", "")
    loc = tuple(err.get("loc", ()))
    shown, pos, data_path = _walk(loc, data, positions, keep_last=kind == "missing")
    ctx = err.get("ctx") or {}
    message = _clean(str(err.get("msg", "invalid value")))

    if kind == "extra_forbidden":
        pos = positions.key_position(data_path) or pos
        name = loc[-1] if loc else ""
        message = f"unknown field {_q(name)}"
        allowed = _field_names(model, loc[:-1])
        message += _did_you_mean(str(name), allowed)
    elif kind == "missing":
        message = f"missing required field {_q(loc[-1] if loc else '')}"
        present = _data_at(data, data_path)
        if isinstance(present, dict):
            close = difflib.get_close_matches(str(loc[-1]), [str(k) for k in present], 1, 0.75)
            if close:
                message += f" (is {_q(close[0])} a misspelling of it?)"
    elif kind in ("union_tag_invalid", "union_tag_not_found"):
        disc = str(ctx.get("discriminator", "'type'")).strip("'\"")
        expected = _QUOTED.findall(str(ctx.get("expected_tags", "")))
        if not expected:
            expected = _union_tags(model, loc, disc)
        allowed = f" Allowed: {', '.join(expected)}." if expected else ""
        shown = data_path + (disc,)
        if kind == "union_tag_invalid":
            tag = str(ctx.get("tag", ""))
            pos = positions.value_position(shown) or pos
            message = f"unknown {disc} {_q(tag)}" + (_did_you_mean(tag, expected) or ".") + allowed
        else:
            message = f"missing field {_q(disc)}, which says what kind of entry this is.{allowed}"
    elif kind == "literal_error" or kind == "enum":
        expected = _QUOTED.findall(str(ctx.get("expected", "")))
        got = err.get("input")
        message += f" (got {_show(got)})"
        if isinstance(got, str):
            message += _did_you_mean(got, expected)
    elif kind not in _NO_GOT and "input" in err:
        message = _PLAIN.get(kind, message) + f" (got {_show(err['input'])})"
    return Issue(filename, *(pos or (0, 0)), format_path(show(shown) if show else shown), message)


def _data_at(data: object, path: YamlPath) -> object:
    """Return the node of ``data`` at ``path`` (which must exist)."""
    for seg in path:
        data = data[seg]  # type: ignore[index]
    return data


def _clean(msg: str) -> str:
    for prefix in ("Value error, ", "Assertion failed, "):
        if msg.startswith(prefix):
            return msg[len(prefix):]
    return msg


def _q(value: object) -> str:
    return f"'{value}'"


def _show(value: object) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list | tuple):
        return "a list"
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        return repr(value if len(value) <= 40 else value[:39] + "…")
    return repr(value)


def _did_you_mean(word: str, candidates: Sequence[str]) -> str:
    """``"; did you mean 'x'?"`` for the closest candidate, or ``""``.

    A candidate is close if it is similar as a whole, or (scored lower) if its start is similar,
    so that ``navel`` suggests ``naval_deployment``.
    """
    best, best_score = "", 0.0
    for cand in candidates:
        score = difflib.SequenceMatcher(None, word, cand).ratio()
        if len(word) >= 4:
            score = max(score, 0.8 * difflib.SequenceMatcher(None, word, cand[: len(word)]).ratio())
        if score > best_score:
            best, best_score = cand, score
    return f"; did you mean {_q(best)}?" if best_score >= 0.6 else ""


# --------------------------------------------------------------------------------------------
# Schema introspection for suggestions (best effort: any surprise just means no suggestion)
# --------------------------------------------------------------------------------------------


def _unwrap(tp: Any) -> Any:
    while get_origin(tp) is Annotated:
        tp = get_args(tp)[0]
    return tp


def _is_model(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, BaseModel)


def _literal_values(model: type[BaseModel]) -> set:
    out: set = set()
    for f in model.model_fields.values():
        ann = _unwrap(f.annotation)
        if get_origin(ann) is Literal:
            out.update(get_args(ann))
    return out


def _union_members(tp: Any) -> list:
    tp = _unwrap(tp)
    if get_origin(tp) in (Union, types.UnionType):
        return [_unwrap(m) for m in get_args(tp) if m is not type(None)]
    return [tp]


def _step(tp: Any, seg: object) -> Any:
    tp = _unwrap(tp)
    origin = get_origin(tp)
    if _is_model(tp):
        for name, f in tp.model_fields.items():
            if seg in (name, f.alias, f.validation_alias):
                return f.annotation
        return None
    if origin in (Union, types.UnionType):
        members = _union_members(tp)
        for m in members:  # a discriminated-union tag names its member
            if _is_model(m) and seg in _literal_values(m):
                return m
        for m in members:
            found = _step(m, seg)
            if found is not None:
                return found
        return None
    args = get_args(tp)
    if origin in (list, set, frozenset) or (origin is not None and origin is Sequence):
        return args[0] if args and isinstance(seg, int) else None
    if origin is tuple and args and isinstance(seg, int):
        if len(args) == 2 and args[1] is Ellipsis:
            return args[0]
        return args[seg] if 0 <= seg < len(args) else None
    if origin in (dict, Mapping) and len(args) == 2:
        return args[1]
    return None


def _type_at(model: type[BaseModel], loc: tuple) -> Any:
    tp: Any = model
    for seg in loc:
        tp = _step(tp, seg)
        if tp is None:
            return None
    return tp


def _field_names(model: type[BaseModel], loc: tuple) -> list[str]:
    """Field names (and aliases) of the model at ``loc``, for "did you mean" hints."""
    try:
        tp = _unwrap(_type_at(model, loc))
        if not _is_model(tp):
            return []
        names = []
        for name, f in tp.model_fields.items():
            names.append(f.alias if isinstance(f.alias, str) else name)
        return names
    except Exception:  # noqa: BLE001 - suggestions must never break error reporting
        return []


def _union_tags(model: type[BaseModel], loc: tuple, discriminator: str) -> list[str]:
    """Return the tags a discriminated union at ``loc`` accepts, in declaration order."""
    try:
        tags: list[str] = []
        for m in _union_members(_type_at(model, loc)):
            f = m.model_fields.get(discriminator) if _is_model(m) else None
            ann = _unwrap(f.annotation) if f is not None else None
            if get_origin(ann) is Literal:
                tags.extend(str(v) for v in get_args(ann) if str(v) not in tags)
        return tags
    except Exception:  # noqa: BLE001 - suggestions must never break error reporting
        return []
