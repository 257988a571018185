"""User text made harmless for display: nothing from a file or a URL is read as Markdown or HTML.

No Streamlit here. Streamlit's ``st.markdown``, ``st.error``, ``st.warning`` … render Markdown
(links, images, code fences, ``:red[…]`` colour directives, LaTeX between ``$``); :func:`md`
backslash-escapes every character that would start one, so a scenario title, an actor name or a
query parameter shows as the characters it is. :func:`html` is ``html.escape`` for generated files.
"""

from __future__ import annotations

import html as _html
import re

__all__ = ["md", "html", "one_line"]

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$:=^&@%\"'])")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def one_line(text: object) -> str:
    """``text`` as one line: newlines become spaces, control and bidi characters become ``?``."""
    return _CONTROL.sub("?", str(text).replace("\r\n", " ").replace("\n", " ").replace("\t", " "))


def md(text: object) -> str:
    """``text`` escaped for Streamlit Markdown (and kept on one line): shown literally, never as markup."""
    return _MD_SPECIAL.sub(r"\\\1", one_line(text))


def html(text: object) -> str:
    """``text`` escaped for HTML (``&``, ``<``, ``>``, quotes)."""
    return _html.escape(str(text), quote=True)
