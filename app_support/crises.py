"""The real-crisis collection (ICB) for the app: its manifest, search, and loading one crisis.

No Streamlit here. The collection is the folder ``scenarios/icb/`` written by
``flashpoint icb build`` (see docs/history.md); its ``index.json`` lists the crises. A crisis is
loaded by its scenario id, looked up in the index: nothing a user types is ever used as a path.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from app_support.library import ROOT
from sim.errors import FlashpointError
from sim.history.build import read_index
from sim.scenario.loader import parse_scenario
from sim.scenario.schema import Scenario

__all__ = ["COLUMNS", "ICB_DIR", "VIOLENCE_ORDER", "Crisis", "load", "load_index", "search"]

#: The committed collection.
ICB_DIR = ROOT / "scenarios" / "icb"
#: ICB violence levels, mildest first.
VIOLENCE_ORDER = ("no violence", "minor clashes", "serious clashes", "full-scale war", "unknown")
#: Columns of the browsing table, in order.
COLUMNS = ["crisno", "title", "year", "region", "subregion", "violence", "trigger", "actors", "id"]
_FILE = re.compile(r"^icb-[a-z0-9_-]{1,70}\.yaml$")


@dataclass(frozen=True)
class Crisis:
    """One crisis of the collection, ready to open: its file name, text and validated scenario."""

    id: str
    filename: str
    text: str
    scenario: Scenario


def load_index(folder: Path = ICB_DIR) -> pd.DataFrame:
    """The collection's crises as a table (empty, with the columns, when there is no index).

    Raises:
        FlashpointError: the index is there but unreadable.
    """
    rows = read_index(folder)
    df = pd.DataFrame(rows)
    for c in [*COLUMNS, "file", "name"]:
        if c not in df.columns:
            df[c] = pd.Series(dtype=object)
    df["year"] = pd.to_numeric(df["year"], errors="coerce").astype("Int64")
    df["crisno"] = pd.to_numeric(df["crisno"], errors="coerce").astype("Int64")
    return df


def search(df: pd.DataFrame, text: str = "", years: tuple[int, int] | None = None, regions: list[str] | None = None,
           violence: list[str] | None = None) -> pd.DataFrame:
    """The crises matching every filter given, by crisis number.

    Args:
        df: :func:`load_index`'s table.
        text: Words that must all appear in the crisis's name, title or actors (case-insensitive);
            a number matches the crisis number too.
        years: Inclusive range of trigger years.
        regions: Broad regions to keep (none: all).
        violence: ICB violence levels to keep (none: all).
    """
    out = df
    for word in str(text or "").lower().split():
        hay = (out["name"].astype(str) + " " + out["title"].astype(str) + " " + out["actors"].astype(str)).str.lower()
        hit = hay.str.contains(word, regex=False)
        if word.isdigit():
            hit |= out["crisno"].astype(str) == word
        out = out[hit]
    if years is not None:
        out = out[(out["year"] >= years[0]) & (out["year"] <= years[1])]
    if regions:
        out = out[out["region"].isin(regions)]
    if violence:
        out = out[out["violence"].isin(violence)]
    return out.sort_values("crisno")


def load(scenario_id: str, df: pd.DataFrame, folder: Path = ICB_DIR) -> Crisis:
    """Read and validate one crisis of the index by its scenario id.

    Raises:
        FlashpointError: no such crisis, a file name outside the collection, or an invalid file.
    """
    rows = df[df["id"] == scenario_id]
    if rows.empty:
        raise FlashpointError(f"no crisis '{scenario_id}' in the collection")
    name = str(rows.iloc[0]["file"])
    path = (folder / name).resolve()
    if not _FILE.match(name) or path.parent != folder.resolve():
        raise FlashpointError(f"the index names a file outside the collection: {name!r}")
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise FlashpointError(f"scenarios/icb/{name}: cannot read ({exc})") from None
    return Crisis(scenario_id, f"scenarios/icb/{name}", text, parse_scenario(text, f"scenarios/icb/{name}"))
