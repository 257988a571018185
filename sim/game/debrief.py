"""The debrief: the class's crisis beside the model's ensemble from the same start, decision by decision.

:func:`build_debrief` gathers what the debrief shows — the class's trajectory of one pair of states
drawn over the ensemble's bands from the same scenario, variant and seed ("your crisis reached rung
6; 9 % of 1,000 runs did"), each team's decisions next to the model's recommendation and its cause
chain, and the class's predictions against the outcome. :func:`to_html` writes it as a report that
prints well (every user text escaped) and :func:`to_csv` every decision with its rationale.
"""

from __future__ import annotations

import csv
import html
import io
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from sim.game.moves import moves_text
from sim.model import LADDER

__all__ = ["Debrief", "build_debrief", "default_dyad", "to_csv", "to_html", "CSV_COLUMNS"]

#: Columns of the decisions CSV.
CSV_COLUMNS = ("turn", "step", "state", "team", "source", "moves", "rationale", "model_moves", "model_why",
               "same_as_model")


@dataclass
class Debrief:
    """Everything the debrief shows (plain data: tables as lists of dicts)."""

    title: str
    code: str
    seed: int
    variant: str
    dyad: str
    steps: int
    runs: int
    class_levels: list[int]
    class_peak: int
    share_reaching: float
    fan: list[dict[str, Any]]
    decisions: list[dict[str, Any]]
    predictions: list[dict[str, Any]]
    injects: list[dict[str, Any]]
    peak_shares: dict[int, float] = field(default_factory=dict)

    @property
    def headline(self) -> str:
        """One sentence: how far the class's crisis went and how often the model's runs went as far."""
        return (f"Your crisis ({self.dyad}) reached rung {self.class_peak} ({LADDER[self.class_peak]}); "
                f"{self.share_reaching:.0%} of {self.runs:,} model runs from the same start did.")


def default_dyad(codes: list[str], level_hist: np.ndarray, steps: int, rivalries=()) -> str:
    """The pair whose rung rose most in the class's game (ties: the first rivalry, then scenario order)."""
    n = len(codes)
    best, key = None, None
    riv = {frozenset(p) for p in rivalries}
    for i in range(n):
        for j in range(i + 1, n):
            rise = int(level_hist[: steps + 1, i, j].max()) - int(level_hist[0, i, j])
            k = (rise, frozenset((codes[i], codes[j])) in riv, -i, -j)
            if key is None or k > key:
                best, key = f"{codes[i]}–{codes[j]}", k
    return best or ""


def build_debrief(engine, who, *, runs: int = 1000, dyad: str | None = None, executor: Any = "inprocess",
                  progress=None) -> Debrief:
    """Gather the debrief of a game (the instructor's: it shows every team's rationale).

    Args:
        engine: The :class:`~sim.game.GameEngine`.
        who: The instructor (from ``engine.instructor``).
        runs: Ensemble size.
        dyad: The pair of states to follow (``"USA–CHN"``); default: :func:`default_dyad`.
        executor: Passed to :func:`~sim.ensemble.run_ensemble`.
        progress: ``progress(done, total)`` while the ensemble runs.
    """
    from sim.ensemble import run_ensemble

    g = engine.store.game(who.game_id)
    model = engine.model_of(who)
    codes = list(model.world.codes)
    steps = g.step
    sc = engine.scenario(g)
    dyad = dyad or default_dyad(codes, model.level_hist, steps, sc.relations.rivalries)
    a, b = dyad.split("–")
    i, j = codes.index(a), codes.index(b)
    levels = [int(x) for x in model.level_hist[: steps + 1, i, j]]
    peak = max(levels)
    res = run_ensemble(sc, runs=runs, seed=g.seed, executor=executor, progress=progress)
    per = res.per_run
    peaks = per.loc[per["dyad"] == dyad, "peak"].to_numpy()
    fan = res.fan("level", dyad=dyad)
    fan_rows = [{k: (float(v) if k != "date" else v) for k, v in r.items()} for r in fan.to_dict("records")]
    recs = {(d.turn, d.attempt, d.state): d for d in engine.store.decisions(g.id)}
    turns = engine.store.turns(g.id)
    teams = {t.id: t.name for t in engine.store.teams(g.id)}
    decisions = []
    for t in turns:
        for (turn, attempt, _state), d in recs.items():
            if turn != t.number or attempt != t.attempt or d.team_id is None:
                continue
            rec = d.rec_moves
            decisions.append({"turn": t.number + 1, "step": t.start_step, "state": d.state, "team": teams.get(d.team_id, ""),
                              "source": d.source, "moves": moves_text(d.moves), "rationale": d.rationale,
                              "model_moves": moves_text([(a, t) for a, t, _ in rec]) if d.rec_action else "",
                              "model_why": " ".join(w for _, _, w in rec) or (d.rec_why or ""),
                              "same_as_model": d.rec_action is not None and set(d.moves) == {(a, t) for a, t, _ in rec}})
    shares = {k: float((peaks >= k).mean()) if peaks.size else 0.0 for k in range(11)}
    preds = [{"student": p.student, "team": teams.get(p.team_id, "") if p.team_id else "", "predicted_peak": p.peak,
              "why": p.why, "off_by": p.peak - peak, "runs_reaching_prediction": shares[p.peak]}
             for p in engine.store.predictions(g.id)]
    import json

    injects = [dict(json.loads(x.event_json), injected_at_step=x.step) for x in engine.store.injects(g.id)]
    return Debrief(title=g.title, code=g.code, seed=g.seed, variant=g.variant or "baseline", dyad=dyad, steps=steps,
                   runs=int(peaks.size), class_levels=levels, class_peak=peak, share_reaching=shares[peak],
                   fan=fan_rows, decisions=decisions, predictions=preds, injects=injects, peak_shares=shares)


def _cell(v: Any) -> str:
    """A CSV cell that a spreadsheet will not run as a formula."""
    s = "" if v is None else str(v)
    return "'" + s if s[:1] in ("=", "+", "-", "@", "\t", "\r") else s


def to_csv(d: Debrief) -> str:
    """Every team decision with its rationale and the model's recommendation (one row each)."""
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(CSV_COLUMNS)
    for r in d.decisions:
        w.writerow([_cell(r[c]) for c in CSV_COLUMNS])
    return out.getvalue()


def _svg(d: Debrief, width: int = 720, height: int = 260) -> str:
    """The class's rungs (line) over the ensemble's 5–95 % and 25–75 % bands, as inline SVG."""
    pad = 36
    steps = max(1, len(d.fan) - 1)

    def x(t: float) -> float:
        return pad + (width - 2 * pad) * t / steps

    def y(v: float) -> float:
        return height - pad - (height - 2 * pad) * v / 10.0

    def band(lo: str, hi: str) -> str:
        up = [f"{x(r['step']):.1f},{y(r[hi]):.1f}" for r in d.fan]
        down = [f"{x(r['step']):.1f},{y(r[lo]):.1f}" for r in reversed(d.fan)]
        return " ".join(up + down)

    grid = "".join(f'<line x1="{pad}" x2="{width - pad}" y1="{y(k):.1f}" y2="{y(k):.1f}" class="grid"/>'
                   f'<text x="{pad - 6}" y="{y(k) + 4:.1f}" text-anchor="end">{k}</text>' for k in range(0, 11, 2))
    line = " ".join(f"{x(t):.1f},{y(v):.1f}" for t, v in enumerate(d.class_levels))
    med = " ".join(f"{x(r['step']):.1f},{y(r['q50']):.1f}" for r in d.fan)
    return (f'<svg viewBox="0 0 {width} {height}" role="img" aria-label="rungs by step">{grid}'
            f'<polygon points="{band("q05", "q95")}" class="b90"/><polygon points="{band("q25", "q75")}" class="b50"/>'
            f'<polyline points="{med}" class="median"/><polyline points="{line}" class="class"/>'
            f'<text x="{width / 2:.0f}" y="{height - 6}" text-anchor="middle">step</text></svg>')


def to_html(d: Debrief) -> str:
    """The debrief as one self-contained HTML page that prints well; every user text is escaped."""
    e = html.escape

    def table(rows: list[dict[str, Any]], cols: list[tuple[str, str]]) -> str:
        head = "".join(f"<th>{e(label)}</th>" for _, label in cols)
        body = "".join("<tr>" + "".join(f"<td>{e(_fmt(r.get(k)))}</td>" for k, _ in cols) + "</tr>" for r in rows)
        return f"<table><thead><tr>{head}</tr></thead><tbody>{body or '<tr><td>none</td></tr>'}</tbody></table>"

    dec_cols = [("turn", "Turn"), ("state", "State"), ("team", "Team"), ("source", "By"), ("moves", "Moves"),
                ("rationale", "Rationale"), ("model_moves", "Model's choice"), ("model_why", "Model's reasoning (cause chain)")]
    pred_cols = [("student", "Student"), ("team", "Team"), ("predicted_peak", "Predicted peak rung"), ("why", "Why"),
                 ("off_by", "Off by (rungs)"), ("runs_reaching_prediction", "Share of runs reaching it")]
    same = sum(r["same_as_model"] for r in d.decisions)
    css = ("body{font-family:Georgia,serif;max-width:60rem;margin:2rem auto;color:#111}"
           "table{border-collapse:collapse;width:100%;font-size:.85rem;margin:.5rem 0 1.5rem}"
           "th,td{border:1px solid #999;padding:.25rem .4rem;vertical-align:top;text-align:left}"
           "thead{display:table-header-group}tr{page-break-inside:avoid}"
           "svg{width:100%;max-width:720px}svg text{font-size:11px}.grid{stroke:#ddd}"
           ".b90{fill:#c6dbef}.b50{fill:#6baed6}.median{fill:none;stroke:#08519c;stroke-dasharray:4 3}"
           ".class{fill:none;stroke:#d62728;stroke-width:3}"
           "@media print{body{margin:0;max-width:none}h2{page-break-after:avoid}}")
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>Debrief — {e(d.title)}</title><style>{css}</style></head><body>"
        f"<h1>Debrief: {e(d.title)}</h1>"
        f"<p>Game {e(d.code)} · variant {e(d.variant)} · seed {d.seed} · {d.steps} steps played</p>"
        f"<h2>The class's crisis against {d.runs:,} model runs</h2><p><strong>{e(d.headline)}</strong></p>"
        f"<p>Red: the class's rung for {e(d.dyad)}; blue bands: the middle 50 % and 90 % of the model's runs from "
        f"the same start (dashed: median).</p>{_svg(d)}"
        f"<h2>Decisions beside the model's</h2><p>{same} of {len(d.decisions)} team decisions were the model's own choice.</p>"
        + table(d.decisions, dec_cols)
        + "<h2>Predictions</h2>" + table(d.predictions, pred_cols)
        + "<h2>Injected events</h2>"
        + table(d.injects, [("injected_at_step", "Step"), ("type", "Type"), ("actor", "Actor"), ("description", "Description")])
        + "</body></html>"
    )


def _fmt(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, float):
        return f"{v:.0%}" if 0 <= v <= 1 else f"{v:.2f}"
    if isinstance(v, (list, tuple)):
        return ", ".join(map(str, v))
    return str(v)
