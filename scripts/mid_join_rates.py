"""Derive how often a defence ally fights on its partner's side in a militarized dispute (GML MID × ATOP).

For every originator A of a militarized interstate dispute that began before 1990 (GML MID v2.2.1
participants; Gibler, Miller & Little 2016) and every state C with an ATOP v5.1 defence obligation
toward A in the dispute's first year (Leeds et al. 2002) that is not itself an originator on
either side nor found only on the opposing side, it asks whether C joined the dispute on A's side with a use of force or war (a
joiner, ``orig`` 0, on A's side, whose highest action is 13 or more: blockade, occupation,
seizure, attack, clash, declaration of war, CBR use, beginning or joining a war). The share is
given by the dispute's hostility level: a use of force short of war (``hostlev`` 4) or a war (5).

These shares are the targets of ``alliance_politics.entry_short_of_war`` and ``entry_at_war``
(``scripts/fit_entry.py``; docs/model.md §7.6). Writes ``sim/data/mid_join_rates.csv`` (the
derived figures, not the raw data: the package never reads ../shared). Run:

    python scripts/mid_join_rates.py [SHARED_DATA_DIR]
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd
from statsmodels.stats.proportion import proportion_confint

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = ROOT.parent / "shared" / "data"
OUT = ROOT / "sim" / "data" / "mid_join_rates.csv"
#: MID highest-action codes of a use of force or war (13 blockade … 21 join interstate war)
FORCE_ACTION = 13
NEEDED = ("gml_mid_participants_1816-1989.csv", "gml_mid_disputes_1816-1989.csv",
          "atop_v5_1_directed_dyad_year_1815-2018.csv", "cow_majors.csv")


def ally_cases(data: Path) -> pd.DataFrame:
    """One row per (dispute, originator, defence ally of the originator) with whether the ally fought on its side."""
    part = pd.read_csv(data / "gml_mid_participants_1816-1989.csv")
    disp = pd.read_csv(data / "gml_mid_disputes_1816-1989.csv")[["dispnum", "hostlev"]]
    atop = pd.read_csv(data / "atop_v5_1_directed_dyad_year_1815-2018.csv")
    majors = pd.read_csv(data / "cow_majors.csv")
    # lookups built once: a state's defence allies in a year, and the major powers of a year
    allies = atop[atop.atop_defense == 1].astype({"ccode1": int, "ccode2": int, "year": int}) \
        .groupby(["ccode1", "year"]).ccode2.apply(list).to_dict()
    spells = list(majors[["ccode", "styear", "endyear"]].astype(int).itertuples(index=False))
    part = part.dropna(subset=["dispnum", "ccode", "sidea", "orig"]).merge(disp, on="dispnum")
    rows = []
    for dispnum, g in part.groupby("dispnum"):
        year = int(g.styear.min())
        hostlev = int(g.hostlev.iloc[0])
        originators = set(g[g.orig == 1].ccode.astype(int))
        for a, side in g[g.orig == 1][["ccode", "sidea"]].astype(int).itertuples(index=False):
            fighters = set(g[(g.orig == 0) & (g.sidea == side) & (g.hiact >= FORCE_ACTION)].ccode.astype(int))
            opponents = set(g[g.sidea != side].ccode.astype(int))
            for c in allies.get((a, year), []):
                # an ally found only on the other side is not a case; one on both sides (a state that
                # changed sides in a world war) fought on A's side at some point and stays one
                if c in originators or (c in opponents and c not in fighters):
                    continue
                major = any(cc == c and st <= year <= en for cc, st, en in spells)
                rows.append((int(dispnum), year, hostlev, a, c, major, c in fighters))
    return pd.DataFrame(rows, columns=["dispnum", "year", "hostlev", "partner", "ally", "ally_major", "fought"])


def rates(cases: pd.DataFrame) -> pd.DataFrame:
    """Shares of defence allies that fought on the partner's side, by hostility level and subgroup, with Wilson intervals."""
    out = []
    groups = [("all", cases), ("ally a major power", cases[cases.ally_major]), ("before 1946", cases[cases.year < 1946])]
    for label, sub in groups:
        for hostlev, name in ((4, "use of force short of war"), (5, "war")):
            s = sub[sub.hostlev == hostlev]
            k, n = int(s.fought.sum()), len(s)
            lo, hi = proportion_confint(k, n, method="wilson") if n else (np.nan, np.nan)
            out.append({"partner_dispute": name, "group": label, "allies": n, "fought": k,
                        "share": k / n if n else np.nan, "lo95": lo, "hi95": hi})
    return pd.DataFrame(out)


def main() -> None:
    data = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    missing = [f for f in NEEDED if not (data / f).is_file()]
    if missing:
        raise SystemExit(f"mid_join_rates: {data} lacks {', '.join(missing)} (give the reference data folder as the argument)")
    table = rates(ally_cases(data))
    OUT.write_text("# Defence allies (ATOP v5.1) fighting on their partner's side in a MID (GML v2.2.1, before 1990); "
                   "derived by scripts/mid_join_rates.py\n" + table.to_csv(index=False, float_format="%.5f"))
    print(table.to_string(index=False))
    print(f"wrote {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
