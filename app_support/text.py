"""User text made harmless for display: nothing from a file or a URL is read as Markdown or HTML.

No Streamlit here. Streamlit's ``st.markdown``, ``st.error``, ``st.warning`` … render Markdown
(links, images, code fences, ``:red[…]`` colour directives, LaTeX between ``$``); :func:`md`
backslash-escapes every character that would start one, so a scenario title, an actor name or a
query parameter shows as the characters it is. :func:`html` is ``html.escape`` for generated files.
"""

from __future__ import annotations

import html as _html
import re

__all__ = ["md", "html", "one_line", "paragraphs", "source_line"]

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>!|~$&#]|:(?=[A-Za-z_/])|(?<=[wW]{3})\.)")
_LINE_START = re.compile(r"^(\s*)([+\-=]|\d+(?=[.)]))")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def one_line(text: object) -> str:
    """``text`` as one line: newlines become spaces, control and bidi characters become ``?``."""
    return _CONTROL.sub("?", str(text).replace("\r\n", " ").replace("\n", " ").replace("\t", " "))


def md(text: object) -> str:
    """``text`` escaped for Streamlit Markdown (and kept on one line): shown literally, never as markup."""
    out = _MD_SPECIAL.sub(lambda m: "\\" + m.group(0), one_line(text))
    m = _LINE_START.match(out)
    if m is None:
        return out
    if m.group(2)[0].isdigit():  # "1. " would start a list: escape the dot (or parenthesis) after the number
        k = m.end()
        return out[:k] + "\\" + out[k:]
    return out[:m.start(2)] + "\\" + out[m.start(2):]


def html(text: object) -> str:
    """``text`` escaped for HTML (``&``, ``<``, ``>``, quotes)."""
    return _html.escape(str(text), quote=True)


def paragraphs(text: object) -> str:
    """Prose of several paragraphs (a briefing) as Markdown that shows it literally, paragraph by paragraph."""
    paras = [p for p in re.split(r"\n\s*\n", str(text or "")) if p.strip()]
    return "\n\n".join(md(p) for p in paras)


_URL = re.compile(r"https?://[^\s()<>\[\]\\`\"']+")


def source_line(title: object, url: object = None, note: object = None) -> str:
    """A source as Markdown: the escaped title, linked only when the URL is a plain http(s) address."""
    head = md(title)
    if url and _URL.fullmatch(str(url)):
        head = f"[{head}]({url})"
    elif url:
        head += f" ({md(url)})"
    return head + (f" — {md(note)}" if note else "")
