"""A printable handout per scenario: briefing, objectives, questions and the current results.

No Streamlit here. :func:`handout_html` writes one self-contained HTML page (no script, no external
resource) laid out for A4/Letter paper with print CSS, so that the browser's *Print* (or *Save as
PDF*) gives a clean handout. Everything that comes from a scenario or the user is escaped with
``html.escape``: a title like ``<script>`` prints as those characters.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping

import pandas as pd

from app_support.plainwords import plain, plain_dyad, start_rungs
from app_support.text import html as esc
from sim.analysis.outcomes import support_frame
from sim.scales import BANDS

__all__ = ["handout_html", "result_rows", "support_rows", "CSS"]

CSS = """
@page { size: A4; margin: 16mm 15mm 18mm 15mm; }
body { font-family: "DejaVu Serif", Georgia, serif; font-size: 11pt; line-height: 1.4; color: #111; max-width: 46em;
       margin: 0 auto; }
h1 { font-size: 18pt; margin: 0 0 2mm; } h2 { font-size: 13pt; margin: 6mm 0 2mm; border-bottom: 1px solid #999; }
.meta { color: #444; font-size: 9.5pt; } .question { border-left: 3px solid #0072B2; padding: 1mm 3mm; margin: 3mm 0; }
table { border-collapse: collapse; width: 100%; font-size: 10pt; } th, td { border-bottom: 1px solid #ccc;
        padding: 1.2mm 2mm; text-align: left; vertical-align: top; } th { background: #eee; }
td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
tr, li, .question { break-inside: avoid; } h2 { break-after: avoid; }
.note { font-size: 9pt; color: #444; } .lines { border-bottom: 1px dotted #999; height: 7mm; }
@media screen { body { margin: 2em auto; } }
"""

#: The bands the handout lists: use of force, war and nuclear use (:data:`sim.scales.BANDS`).
_BANDS = {f"p_{b.key}": (b.words, b.rung) for b in BANDS if b.rung >= 5}


def support_rows(outcomes: pd.DataFrame, names: Mapping[str, str], top: int = 6) -> list[dict[str, str]]:
    """The partners most likely to send arms, troops or join a fight, each chance with its 95 % interval."""
    sf = support_frame(outcomes) if outcomes is not None and not outcomes.empty else None
    if sf is None or sf.empty:
        return []
    sf = sf[sf["arms"] > 0]
    return [{"pair": plain_dyad(r.pair, names),
             **{d: f"{getattr(r, d):.0%} ({getattr(r, d + '_lo'):.0%} – {getattr(r, d + '_hi'):.0%})" for d in ("arms", "troops", "join")}}
            for r in sf.head(top).itertuples()]


def result_rows(outcomes: pd.DataFrame, scenario, names: Mapping[str, str], top: int = 10) -> list[dict[str, str]]:
    """The pairs' chances of a use of force, war and nuclear use, highest first, each with its 95 % interval.

    Pairs already at that rung when the run starts (a war under way) are left to the end, marked.
    """
    if outcomes is None or outcomes.empty:
        return []
    start = start_rungs(scenario)
    d = outcomes[outcomes["outcome"].isin(list(_BANDS))].copy()
    d["already"] = [start.get(frozenset(str(x).split("–")), 0) >= _BANDS[o][1] for o, x in zip(d["outcome"], d["dyad"], strict=True)]
    d = d.sort_values(["already", "estimate"], ascending=[True, False])
    rows = []
    for r in d.head(top).itertuples():
        rows.append({"pair": plain_dyad(r.dyad, names), "outcome": _BANDS[r.outcome][0],
                     "estimate": f"{r.estimate:.0%}", "interval": f"{r.lo:.0%} – {r.hi:.0%}",
                     "note": "under way at the start" if r.already else ""})
    return rows


def _paras(text: str) -> str:
    return "".join(f"<p>{esc(p.strip())}</p>" for p in re.split(r"\n\s*\n", text or "") if p.strip())


def handout_html(scenario, variant: str, seed: int, runs: int, outcomes: pd.DataFrame | None,
                 names: Mapping[str, str], link: str = "") -> str:
    """The handout of ``scenario`` (``variant`` applied) with the results of ``runs`` runs from ``seed``."""
    b = scenario.briefing
    title = scenario.title + ("" if variant == "baseline" else f" — what-if “{variant}”")
    parts = [f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{esc(title)}</title>"
             f"<style>{CSS}</style></head><body>",
             f"<h1>{esc(title)}</h1>",
             f"<p class='meta'>{esc(b.period or '')} · starts {esc(scenario.calendar.start)} · "
             f"{scenario.calendar.horizon} {esc(scenario.calendar.step)}s · Flashpoint handout, "
             f"{dt.date.today().isoformat()}</p>"]
    if b.question:
        parts.append(f"<p class='question'><b>The question.</b> {esc(b.question)}</p>")
    parts.append("<h2>Briefing</h2>" + _paras(b.summary))
    if b.learning_objectives:
        parts.append("<h2>Learning objectives</h2><ol>" + "".join(f"<li>{esc(o)}</li>" for o in b.learning_objectives)
                     + "</ol>")
    if b.discussion_questions:
        parts.append("<h2>Discussion questions</h2><ol>" + "".join(
            f"<li>{esc(q)}<div class='lines'></div><div class='lines'></div></li>" for q in b.discussion_questions) + "</ol>")
    parts.append("<h2>What the model gives</h2>")
    rows = result_rows(outcomes, scenario, names) if outcomes is not None else []
    if rows:
        parts.append(f"<p class='note'>Chance that each pair of states reaches the rung at least once in the "
                     f"{runs} runs of “{esc(variant)}” (seed {seed}), with its 95 % interval.</p>")
        parts.append("<table><thead><tr><th>pair of states</th><th>reaches</th><th>chance</th><th>95 % interval</th>"
                     "<th></th></tr></thead><tbody>")
        for r in rows:
            parts.append(f"<tr><td>{esc(r['pair'])}</td><td>{esc(r['outcome'])}</td><td class='num'>{esc(r['estimate'])}</td>"
                         f"<td class='num'>{esc(r['interval'])}</td><td class='note'>{esc(r['note'])}</td></tr>")
        parts.append("</tbody></table>")
    else:
        parts.append("<p class='note'>No results yet: run the ensemble in the app first.</p>")
    help_rows = support_rows(outcomes, names) if outcomes is not None else []
    if help_rows:
        parts.append("<h2>Will partners help?</h2><p class='note'>Chance that a state gives its partner in a crisis at "
                     "least this much help at some point, by its own choice (95 % interval).</p>")
        parts.append("<table><thead><tr><th>supporter → partner</th><th>sends arms (or more)</th>"
                     "<th>sends troops (or joins)</th><th>joins the fight</th></tr></thead><tbody>")
        for r in help_rows:
            parts.append(f"<tr><td>{esc(r['pair'])}</td><td class='num'>{esc(r['arms'])}</td>"
                         f"<td class='num'>{esc(r['troops'])}</td><td class='num'>{esc(r['join'])}</td></tr>")
        parts.append("</tbody></table>")
    if b.sources:
        parts.append("<h2>Sources</h2><ul>" + "".join(
            f"<li>{esc(plain(s.title, names))}" + (f" — {esc(s.url)}" if s.url else "") + "</li>" for s in b.sources)
            + "</ul>")
    parts.append("<p class='note'>A teaching model, not a forecast. Same scenario, variant, seed and runs give the same "
                 "figures" + (f": {esc(link)}" if link else ".") + "</p>")
    parts.append("</body></html>")
    return "\n".join(parts)
