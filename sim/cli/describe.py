"""What ``flashpoint describe`` shows: a scenario's actors, ties, rivalries, timeline and variants.

:func:`describe_data` gives the same content as a JSON-ready dict (``describe --json``); values the
catalog lacks are marked (``missing``: how they were imputed, defaulted or left missing — an ideal
point without UN votes is ``null``) and alliance ties carry
their currency (``weight``, ``status``: in force, dormant, ended, void). User text (titles, names,
descriptions) is printed as plain text, never as markup.
"""

from __future__ import annotations

import math
from typing import Any

from rich.console import Console
from rich.table import Table

from sim.cli.text import text
from sim.model.world import RIVALRY_BITS, World

__all__ = ["describe_data", "print_describe", "step_label"]

#: Actor fields shown, with their label, format and scale (milex: COW thousands of US$ → US$ bn).
ACTOR_FIELDS = (
    ("cinc", "CINC", "{:.4f}", 1.0),
    ("milex", "milex (US$ bn)", "{:.2f}", 1e-6),
    ("polyarchy", "polyarchy", "{:.2f}", 1.0),
    ("ideal_point", "UN ideal pt", "{:+.2f}", 1.0),
)


#: Short names of the obligations for narrow tables.
SHORT = {"defense": "defence", "consultation": "consult", "neutrality": "neutral", "nonaggression": "non-aggr",
         "none": "none"}


def step_label(calendar, step: int) -> str:
    """``Day 3`` or ``Week 3`` for the 0-based ``step``, in the calendar's own unit."""
    return calendar.label(step)


def _rival_types(mask: int) -> list[str]:
    return [t for t, b in RIVALRY_BITS.items() if mask & b]


def describe_data(sc, w: World) -> dict[str, Any]:
    """The scenario as resolved against the catalog, as plain data (see docs/cli.md)."""
    n = w.n
    actors = []
    for a in w.actors:
        actors.append({
            "code": a.code, "name": a.name, "cinc": a.cinc, "milex": a.milex, "polyarchy": a.polyarchy,
            "ideal_point": None if math.isnan(a.ideal_point) else a.ideal_point,  # no UN votes: missing
            "major_power": a.major_power, "nuclear": a.nuclear,
            "doctrine": a.doctrine, "modifiers": list(a.modifiers), "provenance": dict(a.provenance),
            "missing": {k: a.missing(k) for k in a.provenance if a.missing(k)},
        })
    ties = []
    for t in w.ties:
        i, j = w.index(t.a), w.index(t.b)
        ties.append({"pair": [t.a, t.b], "source": t.source, "kind": t.kind, "obligations": list(t.obligations),
                     "since": t.since or None, "weight": round(t.weight, 4), "status": t.status,
                     "dormant": t.dormant, "note": t.note,
                     "pledge": round(float(w.pledge[i, j]), 4), "alignment": round(float(w.align[i, j]), 4)})
    rivals = [{"pair": [w.codes[i], w.codes[j]],
               "types": _rival_types(int(w.rival_type[i, j])) if w.rival_type is not None else []}
              for i in range(n) for j in range(i + 1, n) if w.rival[i, j]]
    cal = sc.calendar
    events = []
    for k in sorted(range(len(sc.events)), key=lambda k: sc.event_step(sc.events[k])):
        ev = sc.events[k]
        step = sc.event_step(ev)
        events.append({"step": step, "step_label": step_label(cal, step), "date": str(ev.date or cal.date_of(step)),
                       "id": sc.event_id(k), "type": ev.type, "actor": ev.actor,
                       "with": [*ev.targets_of(), *ev.near_of(), *ev.partners_of(), *getattr(ev, "parties", ())],
                       "description": ev.description})
    return {
        "id": sc.id, "title": sc.title, "variant": sc.variant, "question": sc.briefing.question,
        "data_year": sc.data_year, "lens": sc.lens,
        "calendar": {"start": str(cal.start), "step": cal.step, "horizon": cal.horizon, "end": str(cal.end)},
        "actors": actors, "ties": ties, "rivalries": rivals, "events": events,
        "variants": [{"name": v.name, "title": v.title, "description": v.description} for v in sc.variants],
    }


def print_describe(out: Console, sc, w: World) -> None:
    """Print the scenario as tables (user text never read as markup)."""
    d = describe_data(sc, w)
    out.rule(text(sc.title, "bold"))
    if sc.briefing.question:
        out.print(text(sc.briefing.question, "italic"))
    cal = sc.calendar
    out.print(text(f"{cal.start} + {cal.horizon} {cal.step}s · catalog year {sc.data_year}"
                   + (f" · lens: {sc.lens}" if sc.lens else "") + (f" · variant: {sc.variant}" if sc.variant else "")))
    t = Table(title="Actors")
    for c in ("code", "name", *(f[1] for f in ACTOR_FIELDS), "major", "nuclear", "doctrine"):
        t.add_column(c, overflow="fold", min_width=12 if c == "name" else None)
    for a in w.actors:
        t.add_row(text(a.code), text(a.name), *(text(a.display(f, fmt, sc_, short=True)) for f, _, fmt, sc_ in ACTOR_FIELDS),
                  "yes" if a.major_power else "", "yes" if a.nuclear else "", text(" ".join((a.doctrine, *a.modifiers))))
    out.print(t)
    t = Table(title="Ties at the start (ATOP ties: since when; status with currency weight; rivalry types: "
                    "spa spatial, pos positional, ide ideological, int interventionary)")
    for c in ("pair", "tie", "status", "pledge/align", "rivals", "sanctions (severity)", "rung"):
        t.add_column(c, overflow="fold", no_wrap=c in ("pair", "sanctions (severity)"))
    tie_of = {frozenset(x["pair"]): x for x in d["ties"]}
    for i in range(w.n):
        for j in range(i + 1, w.n):
            x = tie_of.get(frozenset((w.codes[i], w.codes[j])))
            sanc = ", ".join(f"{w.codes[a]} on {w.codes[b]} {w.sanctions[a, b]:.1f}"
                             for a, b in ((i, j), (j, i)) if w.sanctions[a, b] > 0)
            if not (x or w.rival[i, j] or w.level[i, j] or sanc):
                continue
            tie = (f"{SHORT[x['kind']]} " + (f"{x['since']}–" if x["since"] else "(scenario)")) if x else ""
            status = (x["status"] + (f" {x['weight']:.2f}" if x["source"] != "scenario" else "")) if x else ""
            types = _rival_types(int(w.rival_type[i, j])) if w.rival_type is not None else []
            riv = ("yes" + (f" ({' '.join(k[:3] for k in types)})" if types else "")) if w.rival[i, j] else ""
            pa = f"{w.pledge[i, j]:.2f}/{w.align[i, j]:.2f}" if (w.pledge[i, j] or w.align[i, j]) else ""
            t.add_row(f"{w.codes[i]}–{w.codes[j]}", tie, status, pa, riv, sanc,
                      str(int(w.level[i, j])) if w.level[i, j] else "")
    out.print(t)
    weak = [x for x in d["ties"] if x["status"] != "in force"]
    if weak:
        out.print("Ties that count for little or nothing (currency rule: docs/data.md):")
        for x in weak:
            note = x["note"] if x["note"].startswith(x["status"].split(" ")[0]) else f"{x['status']}: {x['note']}"
            out.print(text(f"  {x['pair'][0]}–{x['pair'][1]} {note}"))
    missing = [(a["code"], k, how) for a in d["actors"] for k, how in a["missing"].items()]
    if missing:
        out.print("Values missing in the catalog (imputed or defaulted; rules in docs/data.md):")
        for code, k, how in missing:
            out.print(text(f"  {code} {k}: {how}"))
    t = Table(title="Timeline of scheduled events")
    for c in (cal.step, "date", "id", "type", "actor", "toward / with", "what"):
        t.add_column(c, overflow="fold", no_wrap=c in ("id", "date"))
    for e in d["events"]:
        t.add_row(str(e["step"] + 1), e["date"], text(e["id"]), e["type"], e["actor"], ", ".join(e["with"]),
                  text(e["description"][:80]))
    out.print(t)
    if sc.variants:
        t = Table(title="Variants (what-ifs)")
        t.add_column("name")
        t.add_column("title")
        t.add_column("what changes", overflow="fold")
        for v in sc.variants:
            t.add_row(text(v.name), text(v.title), text(v.description))
        out.print(t)
