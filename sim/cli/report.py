"""How ``flashpoint run`` tells a run in words: event effects, answers, peaks, spending."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from sim.cli.text import plain, safe, text
from sim.model.result import RunResult
from sim.model.world import LADDER

__all__ = ["print_run"]


def print_run(out: Console, res: RunResult, explain: bool = False, per_event: int = 6) -> None:
    """Print the readable summary of one run (and the full narrative with ``explain``)."""
    sc = res.scenario
    out.rule(text(sc.title, "bold"))
    out.print(f"variant: [bold]{safe(res.variant)}[/bold] · seed {res.seed} · {sc.calendar.start} → "
              f"{sc.calendar.date_of(res.steps)} ({res.steps} {sc.calendar.step}s) · {len(res.codes)} actors")
    if sc.briefing.question:
        out.print(text(sc.briefing.question, "italic"))
    for line in res.starting_point():
        out.print(plain(f"Where it starts — {line}"), markup=False)

    out.print("\n[bold]What the scheduled events did[/bold] (each traced through perception to the answers it drew)")
    for g in res.event_effects():
        out.print(f"\n[bold cyan]{safe(g['date'])}  {safe(g['event_id'])}[/bold cyan] ({safe(g['type'].replace('_', ' '))})")
        for r in g["readings"]:
            out.print(plain(f"  • {r['why']}"), markup=False)
        for r in g["perceptions"][:per_event]:
            out.print(plain(f"    ↳ {r['why']}"), markup=False)
        if len(g["perceptions"]) > per_event:
            out.print(f"    ↳ … and {len(g['perceptions']) - per_event} more threat changes (see --explain)")
        for r in g["responses"][:per_event]:
            out.print(plain(f"    ⇒ {sc.calendar.label(r['step']).lower()}: {r['why']}"), markup=False)
        if len(g["responses"]) > per_event:
            out.print(f"    ⇒ … and {len(g['responses']) - per_event} more answers (see --explain)")
        for r in g["outcomes"][:3]:
            out.print(plain(f"    ⚑ {sc.calendar.label(r['step']).lower()}: {r['why']}"), markup=False)
        if g.get("knock_on"):
            out.print(f"    [dim]… and {g['knock_on']} knock-on effects further down the chain (see --explain)[/dim]")

    t = Table(title="\nHow far each dyad climbed the escalation ladder (0–10)")
    for c in ("dyad", "start", "peak", "end", "peak rung means"):
        t.add_column(c)
    for row in res.peak_table(top=12):
        t.add_row(text(row["dyad"]), str(row.get("start", "")), str(row["peak"]), str(row["final"]), LADDER[row["peak"]])
    out.print(t)

    t = Table(title="Threats that moved most (threat i perceives from j, 0–1)")
    for c in ("perceiver", "from", "start", "end", "change"):
        t.add_column(c)
    for row in res.threat_changes(8):
        t.add_row(text(row["perceiver"]), text(row["source"]), f"{row['start']:.2f}", f"{row['end']:.2f}", f"{row['change']:+.2f}")
    out.print(t)

    given = res.support_given()
    if given:
        out.print("\n[bold]Support to partners[/bold] (the most each state gave, by its own choice): "
                  + safe(", ".join(f"{g['supporter']} → {g['partner']} {g['support']}" for g in given)))
    spend = {c: float(res.series["milex"][-1][k] - 1.0) for k, c in enumerate(res.codes)}
    moved = ", ".join(f"{c} {v:+.1%}" for c, v in sorted(spend.items(), key=lambda kv: -abs(kv[1])) if abs(v) >= 0.005)
    out.print(f"\n[bold]Military spending[/bold] (Richardson dynamics, change over the run): {safe(moved or 'no notable change')}")
    counts: dict[str, int] = {}
    for r in res.records:
        if r["kind"] == "decision":
            counts[r["type"]] = counts.get(r["type"], 0) + 1
    out.print("[bold]Choices made[/bold]: " + ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in sorted(counts.items(), key=lambda kv: -kv[1])))
    if explain:
        out.rule("Step by step, with causes  [record ← the record that caused it]")
        for line in res.narrative(explain=True):
            out.print(plain(line), markup=False)
    else:
        out.print("\n[dim]One run is an anecdote: `flashpoint compare FILE --all-variants` gives distributions. "
                  "`--explain` tells every step with its causes.[/dim]")
