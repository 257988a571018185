"""Plotly figures for the app: networks, the offline map, the timeline, the ladder, fans, heatmaps.

Pure functions of library objects (no Streamlit). Every figure has a title, axis titles with units
and a legend; colours come from the Okabe–Ito palette, which stays distinct for colour-blind
readers. Geo figures must be shown with :data:`GEO_CONFIG` so that plotly loads the world topojson
from the app's own static folder instead of a CDN.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from sim.model.world import LADDER
from sim.scales import BANDS as LADDER_BANDS

__all__ = [
    "GEO_CONFIG",
    "PALETTE",
    "alliance_network",
    "escalation_network",
    "actor_map",
    "timeline",
    "ladder",
    "fan",
    "heatmap",
    "differences",
    "rgba",
    "outcome_bars",
    "for_projector",
]

#: Okabe–Ito colours (black last); readable by colour-blind viewers.
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000"]
#: ``config`` for every ``st.plotly_chart`` of a geo figure: the topojson is served by the app.
GEO_CONFIG = {"topojsonURL": "/app/static/", "displaylogo": False}
#: Short rung names for axis ticks (the full names are in ``sim.model.world.LADDER``).
RUNG_SHORT = {0: "status quo", 1: "protest", 2: "threat", 3: "sanctions", 4: "show of force", 5: "clash",
              6: "blockade, strikes", 7: "war", 8: "nuclear threat", 9: "limited nuclear", 10: "central nuclear"}
_BAND_COLOURS = ("#E69F00", "#D55E00", "#A6192E", "#5B0A14", "#000000")


def _colour_bands() -> list[tuple[int, str, str]]:
    """Protests (rung 1), then the ladder's bands (:data:`sim.scales.BANDS`, the MID hostility levels) with their rungs."""
    out = [(1, "1 protest", "#999999")]
    for k, (b, colour) in enumerate(zip(LADDER_BANDS, _BAND_COLOURS, strict=True)):
        last = LADDER_BANDS[k + 1].rung - 1 if k + 1 < len(LADDER_BANDS) else max(LADDER)
        out.append((b.rung, f"{b.rung}–{last} {b.name}" if last > b.rung else f"{b.rung} {b.name}", colour))
    return out


#: Rung bands used to colour escalation (first rung, label, colour): 1 protest, 2–3 threat of force,
#: 4 display of force, 5–6 use of force, 7–8 war, 9–10 nuclear use.
BANDS = _colour_bands()
_DOCTRINE_COLOUR = {"realist": "#D55E00", "liberal": "#0072B2", "constructivist": "#009E73"}


def rgba(hex_colour: str, alpha: float) -> str:
    """``#RRGGBB`` as an ``rgba()`` string with transparency ``alpha``."""
    h = hex_colour.lstrip("#")
    r, g, b = (int(h[k:k + 2], 16) for k in (0, 2, 4))
    return f"rgba({r},{g},{b},{alpha})"


def _circle(n: int) -> tuple[np.ndarray, np.ndarray]:
    ang = np.pi / 2 - 2 * np.pi * np.arange(n) / max(n, 1)
    return np.cos(ang), np.sin(ang)


def _edges(x, y, pairs, name, colour, width, dash="solid", hover=None) -> list[go.Scatter]:
    if not pairs:
        return []
    xs, ys = [], []
    for i, j in pairs:
        xs += [x[i], x[j], None]
        ys += [y[i], y[j], None]
    traces = [go.Scatter(x=xs, y=ys, mode="lines", name=name, legendgroup=name,
                         line={"color": colour, "width": width, "dash": dash}, hoverinfo="skip")]
    if hover:
        traces.append(go.Scatter(x=[(x[i] + x[j]) / 2 for i, j in pairs], y=[(y[i] + y[j]) / 2 for i, j in pairs],
                                 mode="markers", marker={"size": 10, "color": colour, "opacity": 0.15},
                                 text=hover, hoverinfo="text", showlegend=False, legendgroup=name))
    return traces


def _nodes(x, y, codes, names, sizes, colours, hover) -> go.Scatter:
    return go.Scatter(x=x, y=y, mode="markers+text", text=codes, textposition="middle center",
                      textfont={"color": "white", "size": 12}, name="states",
                      marker={"size": sizes, "color": colours, "line": {"color": "white", "width": 1}},
                      hovertext=[f"{n} ({c})<br>{h}" for c, n, h in zip(codes, names, hover, strict=True)],
                      hoverinfo="text", showlegend=False)


def _network_layout(fig: go.Figure, title: str, height: int = 480) -> go.Figure:
    fig.update_layout(title=title, height=height, xaxis={"visible": False, "range": [-1.35, 1.35]},
                      yaxis={"visible": False, "range": [-1.25, 1.25], "scaleanchor": "x"},
                      legend={"orientation": "h", "y": -0.05}, margin={"l": 10, "r": 10, "t": 50, "b": 10},
                      plot_bgcolor="white")
    return fig


def alliance_network(world, title: str = "Alliances and rivalries at the start") -> go.Figure:
    """The alliance (blue, width = defence pledge) and rivalry (dashed red) network of a World.

    Node size is capability (CINC); node colour is the doctrine (realist red, liberal blue,
    constructivist green).
    """
    codes, n = world.codes, len(world.codes)
    x, y = _circle(n)
    defence, align, rival = [], [], []
    for i in range(n):
        for j in range(i + 1, n):
            if world.pledge[i, j] > 0:
                defence.append((i, j))
            elif world.align[i, j] > 0:
                align.append((i, j))
            if world.rival[i, j]:
                rival.append((i, j))
    fig = go.Figure()
    for tr in _edges(x, y, defence, "defence pact", PALETTE[0], 4,
                     hover=[f"{codes[i]}–{codes[j]}: defence pledge {world.pledge[i, j]:.2f}" for i, j in defence]):
        fig.add_trace(tr)
    for tr in _edges(x, y, align, "other alignment (consultation, neutrality…)", PALETTE[5], 2,
                     hover=[f"{codes[i]}–{codes[j]}: alignment {world.align[i, j]:.2f}" for i, j in align]):
        fig.add_trace(tr)
    for tr in _edges(x, y, rival, "rivalry", PALETTE[1], 2, dash="dash",
                     hover=[f"{codes[i]}–{codes[j]}: strategic rivalry" for i, j in rival]):
        fig.add_trace(tr)
    cinc = np.array([a.cinc for a in world.actors])
    sizes = 22 + 60 * np.sqrt(cinc / max(cinc.max(), 1e-9))
    colours = [_DOCTRINE_COLOUR.get(a.doctrine, "#555555") for a in world.actors]
    hover = [f"capability (CINC) {a.cinc:.3f}; doctrine {a.doctrine}" for a in world.actors]
    fig.add_trace(_nodes(x, y, codes, [a.name for a in world.actors], sizes, colours, hover))
    return _network_layout(fig, title)


def escalation_network(codes: Sequence[str], names: Sequence[str], level: np.ndarray, title: str) -> go.Figure:
    """Dyads at rung ≥ 1 at one step, coloured by rung band (the Kahn ladder, 0–10)."""
    n = len(codes)
    x, y = _circle(n)
    fig = go.Figure()
    for k, (lo, label, colour) in enumerate(BANDS):
        hi = BANDS[k + 1][0] if k + 1 < len(BANDS) else 11
        pairs = [(i, j) for i in range(n) for j in range(i + 1, n) if lo <= level[i, j] < hi]
        hover = [f"{codes[i]}–{codes[j]}: rung {int(level[i, j])} ({LADDER[int(level[i, j])]})" for i, j in pairs]
        traces = _edges(x, y, pairs, label, colour, 1.5 + lo * 0.6, hover=hover)
        if not traces:  # keep the legend complete so colours keep their meaning between steps
            traces = [go.Scatter(x=[None], y=[None], mode="lines", name=label, line={"color": colour, "width": 2})]
        for tr in traces:
            fig.add_trace(tr)
    peak = [int(max((level[i, j] for j in range(n) if j != i), default=0)) for i in range(n)]
    hover = [f"highest rung with anyone: {p}" for p in peak]
    fig.add_trace(_nodes(x, y, codes, names, [34] * n, ["#444444"] * n, hover))
    return _network_layout(fig, title, height=440)


def actor_map(world, title: str = "The actors (capitals; size: capability)") -> go.Figure:
    """The actors' capitals on a world map, with alliance and rivalry lines (offline topojson)."""
    fig = go.Figure()
    n = len(world.codes)
    lat = [a.lat for a in world.actors]
    lon = [a.lon for a in world.actors]
    for name, colour, dash, test in (("defence pact", PALETTE[0], "solid", lambda i, j: world.pledge[i, j] > 0),
                                     ("rivalry", PALETTE[1], "dash", lambda i, j: bool(world.rival[i, j]))):
        la, lo = [], []
        for i in range(n):
            for j in range(i + 1, n):
                if test(i, j):
                    la += [lat[i], lat[j], None]
                    lo += [lon[i], lon[j], None]
        if la:
            fig.add_trace(go.Scattergeo(lat=la, lon=lo, mode="lines", name=name,
                                        line={"color": colour, "width": 2, "dash": dash}, hoverinfo="skip"))
    cinc = np.array([a.cinc for a in world.actors])
    fig.add_trace(go.Scattergeo(
        lat=lat, lon=lon, mode="markers+text", text=world.codes, textposition="top center", name="capitals",
        marker={"size": 8 + 30 * np.sqrt(cinc / max(cinc.max(), 1e-9)),
                "color": [_DOCTRINE_COLOUR.get(a.doctrine, "#555") for a in world.actors],
                "line": {"color": "white", "width": 1}},
        hovertext=[f"{a.name}: CINC {a.cinc:.3f}, {a.doctrine}" for a in world.actors], hoverinfo="text"))
    fig.update_geos(projection_type="natural earth", showcountries=True, countrycolor="#9e9e9e",
                    showland=True, landcolor="#f0f0f0", showocean=True, oceancolor="#e8f1f8",
                    showcoastlines=True, coastlinecolor="#9e9e9e", resolution=110,
                    lataxis_range=[-58, 85])
    fig.update_layout(title=title, height=460, margin={"l": 0, "r": 0, "t": 50, "b": 0},
                      legend={"orientation": "h", "y": -0.02})
    return fig


def timeline(scenario, title: str = "Scheduled events") -> go.Figure:
    """The scenario's events: date on x, acting state on y, one colour per event type."""
    rows = []
    for k, ev in enumerate(scenario.events):
        step = scenario.event_step(ev)
        others = [*ev.targets_of(), *ev.partners_of(), *ev.near_of(), *getattr(ev, "parties", ())]
        rows.append({"date": scenario.calendar.date_of(step) if ev.date is None else ev.date,
                     "actor": ev.actor, "type": ev.type, "id": scenario.event_id(k),
                     "others": ", ".join(others), "description": ev.description or ""})
    fig = go.Figure()
    if rows:
        df = pd.DataFrame(rows)
        for k, (typ, grp) in enumerate(df.groupby("type", sort=True)):
            fig.add_trace(go.Scatter(
                x=grp["date"], y=grp["actor"], mode="markers", name=typ.replace("_", " "),
                marker={"size": 14, "color": PALETTE[k % len(PALETTE)], "symbol": k % 20,
                        "line": {"color": "white", "width": 1}},
                text=[f"<b>{r.id}</b> ({r.type}) {r.actor} → {r.others}<br>{_wrap(r.description)}" for r in grp.itertuples()],
                hoverinfo="text"))
    cal = scenario.calendar
    last = max([r["date"] for r in rows], default=cal.start)
    span = max((last - cal.start).days, 7)
    hi = min(cal.end, last + dt.timedelta(days=max(7, span // 5)))
    fig.update_layout(title=title, height=360, xaxis_title="date", yaxis_title="acting state",
                      xaxis={"range": [(cal.start - dt.timedelta(days=2)).isoformat(), hi.isoformat()]},
                      yaxis={"categoryorder": "array", "categoryarray": list(reversed(scenario.codes))},
                      legend={"title": "event type"}, margin={"t": 50})
    return fig


def _wrap(text: str, width: int = 70) -> str:
    words, lines, cur = text.split(), [], ""
    for w in words:
        if len(cur) + len(w) + 1 > width:
            lines.append(cur)
            cur = w
        else:
            cur = f"{cur} {w}".strip()
    return "<br>".join([*lines, cur]) if cur else "<br>".join(lines)


def ladder(dates: Sequence[str], level_hist: np.ndarray, codes: Sequence[str], dyads: Sequence[tuple[int, int]],
           step: int | None = None, title: str = "Escalation ladder by dyad") -> go.Figure:
    """Rung (0–10) of each chosen dyad over time, with a marker at ``step``."""
    fig = go.Figure()
    for k, (i, j) in enumerate(dyads):
        fig.add_trace(go.Scatter(x=list(dates), y=level_hist[:, i, j], mode="lines", line_shape="hv",
                                 name=f"{codes[i]}–{codes[j]}", line={"color": PALETTE[k % len(PALETTE)], "width": 2}))
    if step is not None and 0 <= step < len(dates):
        fig.add_vline(x=dates[step], line={"color": "#555", "dash": "dot"})
    fig.update_layout(title=title, height=400, xaxis_title="date", legend={"title": "dyad"}, margin={"t": 50},
                      yaxis={"title": "rung of the escalation ladder", "range": [-0.3, 10.3],
                             "tickvals": list(range(11)), "ticktext": [f"{r} {RUNG_SHORT[r]}" for r in range(11)]})
    return fig


#: Y-axis label of the per-dyad tension fans.
TENSION_AXIS = "tension (highest threat either side perceives, 0–1)"


def fan(fans: Mapping[str, pd.DataFrame], title: str, ytitle: str, yrange: tuple[float, float] | None = None) -> go.Figure:
    """Overlaid fan charts: median line, 25–75 % band and 5–95 % band for each labelled series."""
    fig = go.Figure()
    for k, (label, df) in enumerate(fans.items()):
        c = PALETTE[k % len(PALETTE)]
        x = df["date"] if "date" in df else df["step"]
        for lo, hi, alpha, part in (("q05", "q95", 0.12, "5–95 %"), ("q25", "q75", 0.28, "25–75 %")):
            if lo not in df or hi not in df:
                continue
            fig.add_trace(go.Scatter(x=x, y=df[hi], mode="lines", line={"width": 0}, showlegend=False,
                                     legendgroup=label, hoverinfo="skip"))
            fig.add_trace(go.Scatter(x=x, y=df[lo], mode="lines", line={"width": 0}, fill="tonexty",
                                     fillcolor=rgba(c, alpha), name=f"{label}: {part} of runs", legendgroup=label,
                                     hoverinfo="skip"))
        fig.add_trace(go.Scatter(x=x, y=df["q50"], mode="lines", name=f"{label}: median", legendgroup=label,
                                 line={"color": c, "width": 2.5}))
    fig.update_layout(title=title, height=400, xaxis_title="date", yaxis_title=ytitle, margin={"t": 50},
                      legend={"orientation": "h", "y": -0.2})
    if yrange:
        fig.update_yaxes(range=list(yrange))
    return fig


def heatmap(df: pd.DataFrame, dates: Sequence[str] | None = None,
            title: str = "Mean escalation rung, dyad × time") -> go.Figure:
    """A dyad × step table of mean rung as a heatmap (rows: dyads, highest first)."""
    order = df.max(axis=1).sort_values(ascending=True).index
    d = df.loc[order]
    x = list(dates)[: d.shape[1]] if dates is not None else list(d.columns)
    fig = go.Figure(go.Heatmap(z=d.to_numpy(dtype=float), x=x, y=[str(i) for i in d.index], colorscale="YlOrRd",
                               zmin=0, zmax=max(7.0, float(np.nanmax(d.to_numpy(dtype=float))) if d.size else 7.0),
                               colorbar={"title": "mean rung"},
                               hovertemplate="%{y}<br>%{x}<br>mean rung %{z:.2f}<extra></extra>"))
    fig.update_layout(title=title, height=max(300, 60 + 18 * len(d)), xaxis_title="date",
                      yaxis_title="dyad", margin={"t": 50})
    return fig


def differences(table: pd.DataFrame, title: str = "Variant minus baseline (paired, 95 % interval)",
                xtitle: str = "difference", scale: float = 1.0) -> go.Figure:
    """Dot-and-whisker chart of paired differences from a comparison table (one unit per chart).

    ``xtitle`` names the unit (``percentage points``, ``rungs``); ``scale`` multiplies the values
    (100 turns probabilities into points). Every variant in the table gets its own colour.
    """
    fig = go.Figure()
    if table.empty:
        return fig
    t = table.copy()
    for col in ("diff", "diff_lo", "diff_hi"):
        if col in t:
            t[col] = t[col] * scale
    t["label"] = t["outcome"].astype(str) + (" " + t["dyad"].astype(str)).where(t.get("dyad", "").astype(str) != "", "")
    for k, (variant, grp) in enumerate(t.groupby("variant", sort=False)):
        err_hi = (grp["diff_hi"] - grp["diff"]).clip(lower=0) if "diff_hi" in grp else None
        err_lo = (grp["diff"] - grp["diff_lo"]).clip(lower=0) if "diff_lo" in grp else None
        fig.add_trace(go.Scatter(
            x=grp["diff"], y=grp["label"], mode="markers", name=str(variant),
            marker={"size": 10, "color": PALETTE[k % len(PALETTE)]},
            error_x={"type": "data", "array": err_hi, "arrayminus": err_lo, "visible": err_hi is not None}))
    fig.add_vline(x=0, line={"color": "#555", "dash": "dot"})
    fig.update_layout(title=title, height=max(300, 80 + 26 * t["label"].nunique()), xaxis_title=xtitle,
                      yaxis={"title": "", "autorange": "reversed"}, legend={"title": "variant"}, margin={"t": 50})
    return fig



def outcome_bars(rows: Sequence[Mapping], title: str) -> go.Figure:
    """Horizontal bars of chances with their 95 % intervals (rows: ``label``, ``estimate``, ``lo``, ``hi``, 0–1)."""
    labels = [str(r["label"]) for r in rows]
    est = [100 * float(r["estimate"]) for r in rows]
    fig = go.Figure(go.Bar(x=est, y=labels, orientation="h", marker={"color": PALETTE[0]}, name="chance",
                           text=[f"{e:.0f} %" for e in est], textposition="inside", insidetextanchor="start",
                           textfont={"color": "white"}, cliponaxis=False,
                           error_x={"type": "data", "array": [100 * float(r["hi"]) - e for r, e in zip(rows, est, strict=True)],
                                    "arrayminus": [e - 100 * float(r["lo"]) for r, e in zip(rows, est, strict=True)],
                                    "color": "#333"}))
    fig.update_layout(title=title, xaxis={"title": "chance in % of runs (bar: estimate; whisker: 95 % interval)",
                                          "range": [0, 105]},
                      yaxis={"autorange": "reversed"}, showlegend=False, margin={"t": 60, "l": 10})
    return fig


def for_projector(fig: go.Figure, height: int = 500, legend_items: int = 4) -> go.Figure:
    """``fig`` readable on a 1280×720 projector: large type, at most ``legend_items`` legend entries.

    Interval bands keep their shading but leave the legend (the caption says what they are), so the
    legend names only the lines.
    """
    shown = 0
    for tr in fig.data:
        name = str(getattr(tr, "name", "") or "")
        if "of runs" in name or tr.showlegend is False:
            tr.showlegend = False
            continue
        shown += 1
        tr.showlegend = shown <= legend_items
    fig.update_layout(font={"size": 20}, title_font={"size": 26}, height=height,
                      legend={"orientation": "h", "y": -0.18, "font": {"size": 20}, "title": {"font": {"size": 20}}},
                      margin={"t": 70, "b": 40})
    for tr in fig.data:
        if "textfont" in tr:
            tr.textfont.size = 18
    fig.update_xaxes(title_font={"size": 20}, tickfont={"size": 18})
    fig.update_yaxes(title_font={"size": 20}, tickfont={"size": 18})
    return fig
