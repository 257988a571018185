"""Page sections that several pages share: the story, the ensemble panel, outcome tables, fans.

Streamlit code (like :mod:`app_support.state`); what it shows comes from ``sim.ensemble`` and
``sim.analysis`` results.
"""

from __future__ import annotations

import io
import time
from collections.abc import Sequence

import pandas as pd
import streamlit as st

from app_support import charts, glossary, library, state
from app_support.text import html as esc
from app_support.text import md
from sim.scales import BANDS
from sim.scenario.schema import Scenario

__all__ = ["story_markdown", "outcome_table", "support_table", "SUPPORT_COLUMNS", "ensemble_section", "show_ensemble", "fan_frames",
           "html_of", "ENSEMBLE_SHOWN", "outcome_row", "level_fan", "comparison_section", "explain_section"]

ENSEMBLE_SHOWN = "fp_ensemble_shown"


def story_markdown(lines: Sequence[str], terms: list[glossary.Term]) -> str:
    """The story as a Markdown list, each glossary term linked once to its entry on the page."""
    if not lines:
        return "_Nobody answered anybody in this run: the events did not move any state past its threshold._"
    text = "\n".join(f"- {md(line)}" for line in lines)
    return glossary.link_terms(text.replace("→", "\u2192"), terms)


def _fmt(kind: str, outcome: str, v: float) -> str:
    if v != v:  # NaN
        return "–"
    if kind == "probability":
        return f"{v:.1%}"
    if outcome == "milex_change":
        return f"{v:+.1%}"
    return f"{v:.2f}"


#: The rung that marks each band outcome (``p_violence`` …; ``p_any_*`` for any pair).
BAND_RUNG = {b.key: b.rung for b in BANDS}


def outcome_table(df: pd.DataFrame, names: dict[str, str] | None = None,
                  start: dict[frozenset[str], int] | None = None) -> pd.DataFrame:
    """The outcomes an ensemble reports, in words, each with its 95 % interval; probabilities first.

    Rows that are certain only because the pair starts at that rung (a war under way: ``start``,
    see :func:`app_support.plainwords.start_rungs`) say so and go to the end of the probabilities, so
    that the table leads with what the run decides. With ``names``, states are shown by name.
    """
    if df is None or df.empty:
        return pd.DataFrame(columns=["outcome", "estimate (95 % interval)", "runs"])
    d = df.copy()
    kind = d["kind"] if "kind" in d else pd.Series("mean", index=d.index)
    label = d["label"] if "label" in d else d["outcome"]
    who = (d.get("dyad", "").astype(str) + d.get("actor", "").astype(str)) if ("dyad" in d or "actor" in d) else ""
    out = pd.DataFrame({
        "outcome": label,
        "dyad / actor": who,
        "estimate (95 % interval)": [f"{_fmt(k, o, e)} ({_fmt(k, o, lo)} – {_fmt(k, o, hi)})"
                                     for k, o, e, lo, hi in zip(kind, d["outcome"], d["estimate"], d["lo"], d["hi"], strict=True)],
        "runs": d["n"] if "n" in d else None,
        "estimate": d["estimate"],
        "code": d["outcome"],
    })
    start = start or {}
    top = max(start.values(), default=0)

    def already(o: str, dyad: str) -> bool:
        for band, rung in BAND_RUNG.items():
            if o == f"p_{band}":
                return start.get(frozenset(str(dyad).split("–")), 0) >= rung
            if o == f"p_any_{band}":
                return top >= rung
        return False

    dy = d["dyad"] if "dyad" in d else pd.Series("", index=d.index)
    at = pd.Series([already(o, x) for o, x in zip(d["outcome"], dy, strict=True)], index=d.index)
    if at.any():
        out.loc[at, "outcome"] = out.loc[at, "outcome"].astype(str) + " — under way at the start"
    if names:
        from app_support.plainwords import plain, plain_dyad

        out["dyad / actor"] = [plain_dyad(x, names) if ("–" in str(x) or "→" in str(x)) else names.get(str(x), x)
                               for x in out["dyad / actor"]]
        out["outcome"] = [plain(x, names) for x in out["outcome"]]
    order = kind.map({"probability": 0, "median": 3}).fillna(2) + at.astype(float).values
    return out.assign(_o=order.values).sort_values(["_o", "estimate"], ascending=[True, False]).drop(columns="_o")


def support_table(df: pd.DataFrame, names: dict[str, str] | None = None) -> pd.DataFrame:
    """Support to partners in words: per supporter → partner, the chance of each degree (or more) with its 95 % interval."""
    from sim.analysis.outcomes import support_frame

    sf = support_frame(df) if df is not None and not df.empty else pd.DataFrame()
    if sf.empty:
        return pd.DataFrame(columns=["supporter → partner", *SUPPORT_COLUMNS.values()])
    from app_support.plainwords import plain_dyad

    out = pd.DataFrame({"supporter → partner": [plain_dyad(p, names) if names else p.replace("→", " → ") for p in sf["pair"]]})
    for degree, title in SUPPORT_COLUMNS.items():
        out[title] = [f"{_fmt('probability', '', e)} ({_fmt('probability', '', lo)} – {_fmt('probability', '', hi)})"
                      for e, lo, hi in zip(sf[degree], sf[f"{degree}_lo"], sf[f"{degree}_hi"], strict=True)]
    return out


#: Columns of :func:`support_table`: each degree of support, "or more".
SUPPORT_COLUMNS = {"statement": "backs it (statement or more)", "arms": "sends arms (or more)",
                   "troops": "sends troops (or joins)", "join": "joins the fight"}


def outcome_row(res, band: str, dyad: str) -> tuple[float, float, float] | None:
    """(estimate, lo, hi) of the chance that ``dyad`` reaches ``band`` (a key of :data:`sim.scales.BANDS`)."""
    df = res.outcomes
    rows = df[(df["outcome"] == f"p_{band}") & (df["dyad"] == dyad)]
    if rows.empty:
        return None
    r = rows.iloc[0]
    return float(r["estimate"]), float(r["lo"]), float(r["hi"])


def level_fan(res, dyad: str, key: str = "fan_one") -> None:
    """One dyad's escalation fan."""
    frames = fan_frames(res, [dyad], "level")
    if frames:
        st.plotly_chart(charts.fan(frames, f"Escalation of {dyad} across runs", "rung (0–10, Kahn ladder)", (0, 10)),
                        key=key)


def html_of(figs: Sequence, title: str) -> str:
    """Several plotly figures in one self-contained HTML page (plotly.js embedded: opens offline)."""
    parts = [f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{esc(title)}</title></head><body><h1>{esc(title)}</h1>"]
    for k, f in enumerate(figs):
        parts.append(f.to_html(full_html=False, include_plotlyjs=(k == 0)))
    parts.append("</body></html>")
    return "\n".join(parts)


def fan_frames(res, names: Sequence[str], metric: str = "level") -> dict[str, pd.DataFrame]:
    """Fan-chart frames of ``metric`` for each dyad (``level``, ``tension``) or actor (other metrics); missing ones skipped."""
    out = {}
    for name in names:
        try:
            out[name] = (res.fan(metric=metric, dyad=name) if metric in ("level", "tension")
                         else res.fan(metric=metric, actor=name))
        except (KeyError, ValueError):
            continue
    return out


def _parquet(df: pd.DataFrame) -> bytes:
    buf = io.BytesIO()
    df.to_parquet(buf, index=False)
    return buf.getvalue()


def ensemble_section(base: Scenario, variant: str, seed: int, runs: int, top_dyads: Sequence[str] = ()) -> object | None:
    """The Run page's ensemble: a button, a cancellable progress bar, then the results (kept on reruns)."""
    key = (library.scenario_key(base), variant, seed, runs)
    shown = st.session_state.get(ENSEMBLE_SHOWN) == key
    if st.button(f"Run {runs} replications", type="primary", key="run_ensemble",
                 help="Same scenario and variant, seeds derived from the sidebar's seed; results are cached."):
        st.session_state[ENSEMBLE_SHOWN] = key
        shown = True
    if not shown:
        st.caption("Each replication runs the same scenario with a different seed: the spread shows how much "
                   "the outcome depends on chance and on the states' noisy choices.")
        return None
    cancel = st.empty()
    cancel.button("Cancel", key="cancel_ensemble", on_click=lambda: st.session_state.pop(ENSEMBLE_SHOWN, None))
    t0 = time.perf_counter()
    try:
        res = state.ensemble(base, variant, seed, runs)
    except Exception as exc:  # a user's error or a bug: shown, never a crash
        cancel.empty()
        state.show_error(exc, "The ensemble could not run")
        return None
    cancel.empty()
    st.session_state["fp_last_ensemble_seconds"] = time.perf_counter() - t0
    show_ensemble(res, base, variant, seed, runs, top_dyads)
    return res


#: An ensemble's identity in the caches below: (scenario key, variant, seed, runs).
EnsembleKey = tuple[str, str, int, int]


@st.cache_resource(max_entries=64, show_spinner=False)
def _summary(key: EnsembleKey, details: bool, _res) -> tuple[pd.DataFrame, list[str], list[str] | None, bool]:
    """The outcome table in words, the dyads, the dates and whether per-dyad rungs exist (per ensemble).

    Kept as objects (``cache_resource``: nothing is copied): a rerun of the page, a change of the fan
    charts' dyads or a second session with the same ensemble reuses them instead of recomputing.
    """
    from app_support.plainwords import start_rungs

    sc = getattr(_res, "scenario", None)
    names = None if details else _names(_res)
    start = start_rungs(sc) if sc is not None else {}
    return outcome_table(_res.outcomes, names, start), _dyads_of(_res), _dates(_res), _has_levels(_res)


@st.cache_resource(max_entries=64, show_spinner=False)
def _ensemble_figures(key: EnsembleKey, chosen: tuple[str, ...], dates: tuple[str, ...] | None, has_levels: bool,
                      _res) -> dict[str, object]:
    """The fan charts of the ``chosen`` dyads and the heat map of one ensemble (cached per ensemble and dyads)."""
    figs: dict[str, object] = {}
    if chosen:
        figs["fan_level"] = charts.fan(fan_frames(_res, chosen, "level"),
                                       "Escalation: rung of each dyad over time, across runs",
                                       "rung (0–10, Kahn ladder)", (0, 10))
        ten = fan_frames(_res, chosen, "tension")
        if ten:
            figs["fan_tension"] = charts.fan(ten, "Tension of each dyad over time: the higher of the threats its two "
                                             "states perceive from each other, across runs", charts.TENSION_AXIS, (0, 1))
        else:  # stored or older results without per-dyad tension: each state's highest perceived threat
            actors = list(dict.fromkeys(code for d in chosen for code in d.split("–")))
            ten = fan_frames(_res, actors, "max_threat")
            if ten:
                figs["fan_tension"] = charts.fan(ten, "Tension: the highest threat each state of these dyads perceives, "
                                                 "across runs", "perceived threat (0–1)", (0, 1))
    if has_levels:
        figs["heatmap"] = charts.heatmap(_res.heatmap(), dates=list(dates) if dates is not None else None,
                                         title="Mean escalation rung, dyad × time (across runs)")
    return figs


def show_ensemble(res, base: Scenario, variant: str, seed: int, runs: int, top_dyads: Sequence[str] = ()) -> None:
    """Outcome table, fan charts, heatmap and downloads of an ensemble result.

    The table in words and the figures are cached per ensemble (and chosen dyads), so that only the
    first display of an ensemble builds them.
    """
    key: EnsembleKey = (library.scenario_key(base), variant, int(seed), int(runs))
    secs = st.session_state.get("fp_last_ensemble_seconds")
    st.caption(f"{runs} replications (master seed {seed})" + (f" · shown in {secs:.1f} s" if secs is not None else ""))
    st.subheader("How likely is each outcome?")
    table, dyads, dates, has_levels = _summary(key, state.details(), res)
    st.dataframe(table.drop(columns=["estimate", "code"]), hide_index=True, key="outcomes", height=320)
    support = support_table(res.outcomes, None if state.details() else _names(res))
    if len(support):
        st.subheader("Will partners help?")
        st.caption("Chance that a state gives a partner in a crisis at least this much support at some point, "
                   "by its own choice each week (95 % intervals). Troops and joining need a defence pledge and a "
                   "partner in a fight (a use of force or war).")
        st.dataframe(support, hide_index=True, key="support_outcomes")
    default = [d for d in top_dyads if d in dyads][:3] or dyads[:3]
    chosen = st.multiselect("Dyads for the fan charts", dyads, default=default, key="fan_dyads", max_selections=6)
    made = _ensemble_figures(key, tuple(chosen), tuple(dates) if dates is not None else None, has_levels, res)
    for name in ("fan_level", "fan_tension", "heatmap"):
        if name in made:
            st.plotly_chart(made[name], key=name)
    if not has_levels:
        st.info("This scenario has too many pairs of states for per-pair trajectories: the outcome table above "
                "still covers every pair.")
    figs = list(made.values())
    stem = f"{base.id}-{variant}-seed{seed}-runs{runs}"
    c1, c2, c3, c4 = st.columns(4)
    c1.download_button("Outcomes (CSV)", data=lambda: res.outcomes.to_csv(index=False), file_name=f"{stem}-outcomes.csv",
                       mime="text/csv", key="dl_outcomes")
    per_run = getattr(res, "per_run", None)
    if isinstance(per_run, pd.DataFrame):
        c2.download_button("Per-run results (Parquet)", data=lambda: _parquet(per_run), file_name=f"{stem}-runs.parquet",
                           mime="application/octet-stream", key="dl_parquet")
        c3.download_button("Per-run results (CSV)", data=lambda: per_run.to_csv(index=False), file_name=f"{stem}-runs.csv",
                           mime="text/csv", key="dl_runs_csv")
    c4.download_button("Charts (HTML)", data=lambda: html_of(figs, f"{base.title} — {variant}"), file_name=f"{stem}-charts.html",
                       mime="text/html", key="dl_html")


def _names(res) -> dict[str, str] | None:
    from app_support.builder import state_names

    sc = getattr(res, "scenario", None)
    return state_names(sc) if sc is not None else None


def _dates(res) -> list[str] | None:
    try:
        return list(res.fan(metric="max_level")["date"])
    except Exception:  # noqa: BLE001 — step numbers instead
        return None


def _dyads_of(res) -> list[str]:
    try:
        return list(res.heatmap().index)
    except Exception:  # noqa: BLE001 — fall back on the outcome table
        col = "dyad" if "dyad" in res.outcomes else None
        return sorted({str(d) for d in res.outcomes[col] if d and "–" in str(d)}) if col else []


def _interval(kind: str, outcome: str, v: float, lo: float, hi: float, signed: bool = False) -> str:
    if signed and (kind == "probability" or outcome == "milex_change"):
        f = lambda x: "–" if x != x else f"{100 * x:+.1f} pts"  # noqa: E731
    elif signed:
        f = lambda x: "–" if x != x else f"{x:+.2f}"  # noqa: E731
    else:
        f = lambda x: _fmt(kind, outcome, x)  # noqa: E731
    return f"{f(v)} ({f(lo)} … {f(hi)})"


def comparison_table(table: pd.DataFrame) -> pd.DataFrame:
    """A comparison table in words: baseline, variant and paired difference, each with its 95 % interval."""
    if table is None or table.empty:
        return pd.DataFrame()
    rows = []
    for r in table.itertuples(index=False):
        rows.append({
            "variant": r.variant,
            "outcome": getattr(r, "label", "") or r.outcome,
            "baseline (95 %)": _interval(r.kind, r.outcome, r.baseline, r.baseline_lo, r.baseline_hi),
            "variant (95 %)": _interval(r.kind, r.outcome, r.variant_value, r.lo, r.hi),
            "difference, paired (95 %)": _interval(r.kind, r.outcome, r.diff, r.diff_lo, r.diff_hi, signed=True),
            "changed": bool(r.changed),
        })
    return pd.DataFrame(rows)


def comparison_section(scenario: Scenario, variants: Sequence[str], seed: int, runs: int) -> object | None:
    """Run (or fetch) a comparison with a cancellable progress bar and show verdicts, table, charts."""
    cancel = st.empty()
    cancel.button("Cancel", key="cancel_compare", on_click=lambda: st.session_state.pop("fp_cmp_shown", None))
    t0 = time.perf_counter()
    try:
        cmp = state.comparison(scenario, list(variants), seed, runs)
    except Exception as exc:  # a user's error or a bug: shown, never a crash
        cancel.empty()
        state.show_error(exc, "The comparison could not run")
        return None
    cancel.empty()
    st.caption(f"Baseline and {len(variants)} variant(s), {runs} paired runs each (master seed {seed}) · "
               f"shown in {time.perf_counter() - t0:.1f} s")
    st.subheader("What changed, in words")
    t = cmp.table
    for v in cmp.variants:  # every variant gets its verdicts, even the one that changed least
        title = cmp.titles.get(v.variant, v.variant)
        rows = cmp.changed(v.variant)
        if len(rows):
            st.markdown("\n".join(f"- {md(state.words(cmp._verdict(r), scenario))}" for _, r in rows.head(PER_VARIANT).iterrows()))
            if len(rows) > PER_VARIANT:
                st.caption(md(f"… and {len(rows) - PER_VARIANT} more changed outcomes of {title} in the table below."))
        else:
            st.info(md(f"Under “{title}”, no outcome changed detectably at {runs} runs: the differences' 95 % intervals "
                       "all include zero. More runs narrow them."))
    with st.expander("The full summary"):
        st.text(state.words(cmp.summary_text(), scenario))
    show = _chart_rows(t)
    for key, unit, scale, title, rows in (
        ("cmp_diff", "percentage points", 100.0, "Chances: variant minus baseline, in percentage points (paired, 95 % interval)",
         show[show["kind"] == "probability"]),
        ("cmp_diff_rung", "rungs of the escalation ladder", 1.0, "Highest rung: variant minus baseline (paired, 95 % interval)",
         show[show["outcome"].isin(["peak_level", "system_peak_level"])]),
        ("cmp_diff_other", "difference (spending: share of its start; pledges: count)", 1.0,
         "Other measures: variant minus baseline (paired, 95 % interval)",
         show[(show["kind"] != "probability") & ~show["outcome"].isin(["peak_level", "system_peak_level"])]),
    ):
        if len(rows):
            labels = [state.words(str(x), scenario) for x in rows.get("label", rows["outcome"])]
            st.plotly_chart(charts.differences(rows.assign(outcome=labels, dyad=""), title=title, xtitle=unit, scale=scale),
                            key=key)
    st.dataframe(comparison_table(t), hide_index=True, key="cmp_table", height=320)
    dyads = list(cmp.baseline.heatmap().index) if _has_levels(cmp.baseline) else []
    if dyads:
        first = next((d for d in show.get("dyad", []) if d in dyads), dyads[0])
        dyad = st.selectbox("Dyad for the overlaid fan chart", dyads, index=dyads.index(first), key="cmp_fan_dyad")
        frames = {"baseline": cmp.baseline.fan(metric="level", dyad=dyad)}
        frames.update({v.variant: v.fan(metric="level", dyad=dyad) for v in cmp.variants})
        fig = charts.fan(frames, f"Escalation of {dyad}: baseline and variants (median, 25–75 % and 5–95 % of runs)",
                         "rung (0–10, Kahn ladder)", (0, 10))
        st.plotly_chart(fig, key="cmp_fan")
        tens = fan_frames(cmp.baseline, [dyad], "tension")
        if tens:
            frames = {"baseline": tens[dyad]}
            frames.update({v.variant: f[dyad] for v in cmp.variants if (f := fan_frames(v, [dyad], "tension"))})
            st.plotly_chart(charts.fan(frames, f"Tension of {dyad}: baseline and variants (median, 25–75 % and "
                                       "5–95 % of runs)", charts.TENSION_AXIS, (0, 1)), key="cmp_fan_tension")
    explain_section(scenario, variants, seed, runs, cmp)
    c1, c2 = st.columns(2)
    c1.download_button("Comparison table (CSV)", data=lambda: t.to_csv(index=False), file_name="comparison.csv",
                       mime="text/csv", key="dl_cmp_csv")
    c2.download_button("Summary (text)", data=lambda: cmp.summary_text(), file_name="comparison.txt",
                       mime="text/plain", key="dl_cmp_txt")
    return cmp


#: Verdicts shown per variant, and rows per variant in each difference chart.
PER_VARIANT = 6


def _chart_rows(t: pd.DataFrame) -> pd.DataFrame:
    """The rows the difference charts show: per variant its largest changes (all variants appear)."""
    parts = []
    for _, g in t.groupby("variant", sort=False):
        g = g[g["changed"]] if g["changed"].any() else g[g["kind"] == "probability"]
        parts.append(g.reindex(g["diff"].abs().sort_values(ascending=False).index).head(PER_VARIANT))
    return pd.concat(parts) if parts else t.head(0)


def explain_section(scenario: Scenario, variants: Sequence[str], seed: int, runs: int, cmp) -> None:
    """Why did it change: the cause chains behind the largest differences, on demand (replays a sample of seeds)."""
    st.subheader("Why did it change?")
    st.caption("For the largest differences, the same seeds are replayed with their explanation records, and each run "
               "where the outcome happens is traced back along its causes (event → perception → decision → outcome). "
               "The chains that became more or less frequent say why.")
    c1, c2 = st.columns([3, 1])
    sample = c1.slider("Paired seeds to replay", 10, min(200, max(10, runs)), min(30, max(10, runs)), step=10,
                       key="cmp_explain_n", help="More seeds: firmer counts, longer wait (about 0.1 s per run and variant).")
    ekey = ("explain", library.scenario_key(scenario), tuple(variants), seed, runs, sample)
    if c2.button("Explain", key="cmp_explain", type="primary"):
        st.session_state["fp_explain_shown"] = ekey
    if st.session_state.get("fp_explain_shown") != ekey:
        return
    try:
        exps = state.explanations(scenario, list(variants), seed, runs, cmp, sample)
    except Exception as exc:  # a user's error or a bug: shown, never a crash
        state.show_error(exc, "The explanation could not run")
        return
    if not exps:
        st.info("No pair of states' chance of a use of force, a war or nuclear use differs: nothing to explain.")
    for k, e in enumerate(exps):
        with st.container(border=True, key=f"explain_{k}"):
            lines = e.sentences()
            st.markdown(f"**{md(lines[0])}**")
            for line in lines[1:]:
                st.markdown(md(line))


def _has_levels(res) -> bool:
    try:
        res.heatmap()
    except ValueError:
        return False
    return True
