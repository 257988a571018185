"""PyYAML's scanner and parser errors, made readable and located (``YAML syntax error: ...``)."""

from __future__ import annotations

import re

import yaml

from sim.errors import Issue

__all__ = ["syntax_issue"]


def _pos(mark: yaml.Mark | None) -> tuple[int, int]:
    return (mark.line + 1, mark.column + 1) if mark is not None else (0, 0)


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


def syntax_issue(exc: yaml.MarkedYAMLError, filename: str) -> Issue:
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


