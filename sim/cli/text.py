r"""User text in the terminal: shown as text, never interpreted.

Scenario titles, questions, actor names, event descriptions and variant names/titles come from a
file someone else may have written. Before the CLI prints them:

* :func:`plain` makes every control character visible as an escape (``\x1b``, ``\n``, ``\u202e``),
  so that no ESC/OSC sequence reaches the terminal, a bidi override cannot reorder the line and a
  newline cannot forge an extra output line (such as ``FILE:LINE:COL: ok``);
* :func:`safe` does that and also escapes rich markup (``[bold]`` is printed, not applied), for
  strings printed through a rich console with markup on.

Rich :class:`~rich.text.Text` objects and table cells built from :func:`text` are never parsed
for markup.
"""

from __future__ import annotations

import unicodedata

from rich.markup import escape
from rich.text import Text

__all__ = ["plain", "safe", "text", "error_text"]


def _visible(ch: str) -> str:
    cat = unicodedata.category(ch)
    # Cc: C0/C1 controls (ESC, CR, LF, TAB, CSI …); Cf: format characters (bidi overrides and
    # isolates, zero-width joiners); Cs: lone surrogates (not encodable); Zl/Zp: line and
    # paragraph separators
    if cat in ("Cc", "Cf", "Cs", "Zl", "Zp"):
        o = ord(ch)
        return f"\\x{o:02x}" if o < 0x100 else f"\\u{o:04x}"
    return ch


def plain(value: object) -> str:
    """``str(value)`` with every control, format and line-separator character shown as an escape."""
    s = str(value)
    if s.isprintable():
        return s
    return "".join(_visible(c) for c in s)


def safe(value: object) -> str:
    """:func:`plain`, then rich markup escaped: for f-strings printed with markup on."""
    return escape(plain(value))


def text(value: object, style: str = "") -> Text:
    """A rich :class:`~rich.text.Text` of :func:`plain` text (never parsed as markup)."""
    return Text(plain(value), style=style)


def error_text(exc: BaseException) -> str:
    """An error for stderr: one line per located issue, each made :func:`plain`.

    A :class:`~sim.errors.ScenarioError` prints one line per issue; any other error's text is one
    line — a newline inside user text (a key, a name) cannot start a forged line.
    """
    issues = getattr(exc, "issues", None)
    if issues:
        return "\n".join(plain(i) for i in issues)
    return plain(exc)
