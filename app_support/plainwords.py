"""Students' view: the model's texts without analysts' jargon, states by name.

No Streamlit here. The model's records and the comparison's summary are written for analysts:
record ids (``(r197)``, ``[r12 ← r9]``), CAMEO codes and Goldstein weights, "variance cut 23.2×",
and COW state codes (``GMY``, ``UKG``). :func:`plain` takes those out and puts state names in place of
codes; the app shows the plain version unless the sidebar's *Details* toggle is on.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

__all__ = ["plain", "plain_dyad", "start_rungs"]

_RECORD = re.compile(r"\s*(\(r\d+\)|\[r\d+(\s*←\s*r\d+)?\])")
_CAMEO = re.compile(r"\s*\((?:CAMEO|cameo) [^)]*\)")
_GOLDSTEIN = re.compile(r"\s*\(Goldstein [^)]*\)")
_VARIANCE = re.compile(r";?\s*common random numbers (?:cut the variance of the differences [\d.]+×|pair the runs exactly:"
                       r"[^.\n]*)\.?")
_PAIRING = re.compile(r"\s*Pairing: median correlation [^\n]*")


def _codes(names: Mapping[str, str]) -> re.Pattern[str] | None:
    codes = sorted((c for c in names if c and names[c] and names[c] != c), key=len, reverse=True)
    return re.compile(r"\b(" + "|".join(map(re.escape, codes)) + r")\b") if codes else None


def plain(text: str, names: Mapping[str, str] | None = None) -> str:
    """``text`` without record ids, CAMEO codes, Goldstein weights and pairing statistics; codes as names."""
    out = _RECORD.sub("", str(text))
    out = _CAMEO.sub("", out)
    out = _GOLDSTEIN.sub("", out)
    out = _VARIANCE.sub(".", out)
    out = _PAIRING.sub("", out)
    pat = _codes(names or {})
    if pat is not None:
        out = pat.sub(lambda m: names[m.group(1)], out)  # type: ignore[index]
    return out.replace("..", ".")


def plain_dyad(dyad: str, names: Mapping[str, str]) -> str:
    """``RUS–UKR`` as ``Russia–Ukraine``; a directed pair ``PRK→RUS`` (supporter → partner) as ``North Korea → Russia``."""
    if "→" in str(dyad):
        return " → ".join(names.get(c, c) for c in str(dyad).split("→"))
    return "–".join(names.get(c, c) for c in str(dyad).split("–"))


def start_rungs(scenario) -> dict[frozenset[str], int]:
    """The rung each pair of states starts at, when above 0: wars under way (7) and initial tensions."""
    out: dict[frozenset[str], int] = {}
    rel = scenario.relations
    for t in rel.tensions:
        out[frozenset(t.between)] = max(out.get(frozenset(t.between), 0), int(t.value))
    for a, b in rel.wars:
        out[frozenset((a, b))] = max(out.get(frozenset((a, b)), 0), 7)
    return out
