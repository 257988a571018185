"""Presentation: the current scenario for a projector — large type, one chart at a time, few legend entries.

Made for a 1280×720 projector: the sidebar is hidden, text is set large, and each slide holds one
thing — the question, the chances with their intervals, the escalation of the two pairs that climb
highest, and (for a variant) what changed from the baseline. The slides use the sidebar's scenario,
variant, seed and runs (set them before presenting; the address bar keeps them).
"""

import streamlit as st

from app_support import builder, charts, state, views
from app_support.plainwords import plain_dyad, start_rungs
from app_support.text import md
from sim.scales import BAND_BY_KEY

#: The bands the "How likely?" slide shows: use of force and war (:data:`sim.scales.BANDS`).
SHOWN = {"p_violence": BAND_BY_KEY["violence"], "p_war": BAND_BY_KEY["war"]}

#: Our own style for this page (no user text in it): large type, no sidebar, a narrow top margin.
STYLE = """<style>
section[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], header[data-testid="stHeader"] { display: none !important; }
.block-container { padding-top: 1.2rem !important; max-width: 1240px !important; }
[data-testid="stMarkdownContainer"] p, [data-testid="stMarkdownContainer"] li { font-size: 1.7rem !important; line-height: 1.35; }
h1 { font-size: 2.6rem !important; } h2 { font-size: 2.1rem !important; }
[data-testid="stCaptionContainer"] p { font-size: 1.25rem !important; }
</style>"""

SLIDES = ["The question", "How likely?", "Over time", "Compared with the baseline"]

base = state.current_scenario()
if base is not None:
    st.html(STYLE)
    variant, seed, runs = state.variant_name(), int(st.session_state[state.SEED]), int(st.session_state[state.RUNS])
    sc = base.with_variant(variant)
    names = builder.state_names(base)
    slides = SLIDES if variant != "baseline" else SLIDES[:3]
    slide = st.radio("Slide", slides, horizontal=True, key="present_slide", label_visibility="collapsed")
    if slide == "The question":
        st.title(md(sc.title))
        if sc.briefing.question:
            st.markdown(f"**{md(sc.briefing.question)}**")
        st.markdown(md(f"{sc.briefing.period or ''} · {sc.calendar.horizon} {sc.calendar.step}s from {sc.calendar.start}"
                       + ("" if variant == "baseline" else f" · what-if: {variant}")))
        start = [f"{plain_dyad('–'.join(sorted(p)), names)} at rung {r}" for p, r in start_rungs(sc).items()]
        if start:
            st.markdown(md("Where it starts: " + "; ".join(start) + "."))
    else:
        res = state.ensemble_or_error(base, variant, seed, runs)
        if res is not None:
            out = res.outcomes
            start = start_rungs(sc)
            band = out[out["outcome"].isin(list(SHOWN)) & (out["dyad"] != "")]
            band = band[[start.get(frozenset(str(d).split("–")), 0) < SHOWN[o].rung
                         for o, d in zip(band["outcome"], band["dyad"], strict=True)]]
            top = band.sort_values("estimate", ascending=False).head(5)
            if slide == "How likely?":
                rows = [{"label": f"{plain_dyad(r.dyad, names)}: {SHOWN[r.outcome].name}",
                         "estimate": r.estimate, "lo": r.lo, "hi": r.hi} for r in top.itertuples()]
                fig = charts.outcome_bars(rows, f"Chance of a use of force or war, {runs} runs")
                st.plotly_chart(charts.for_projector(fig, height=540), key="present_bars")
                st.caption("Pairs already at war when the run starts are left out: they are there from the first week.")
            elif slide == "Over time":
                dyads = list(dict.fromkeys(top["dyad"]))[:2]
                frames = {plain_dyad(d, names): f for d, f in views.fan_frames(res, dyads, "level").items()}
                if frames:
                    fig = charts.fan(frames, "Escalation of the pairs most likely to use force", "rung (0–10)", (0, 10))
                    st.plotly_chart(charts.for_projector(fig, height=540, legend_items=2), key="present_fan")
                    st.caption("Line: the median run, week by week. Shading: the middle 50 % and 90 % of runs.")
                else:
                    st.info("No pair climbs in these runs.")
            else:
                try:
                    cmp = state.comparison(base, [variant], seed, runs)
                except Exception as exc:  # refused by its cost, or a user's error: shown, never a crash
                    state.show_error(exc, "The comparison could not run")
                    st.stop()
                t = cmp.table
                t = t[(t["kind"] == "probability") & (t["dyad"] != "")]
                t = t.reindex(t["diff"].abs().sort_values(ascending=False).index).head(5)
                labels = [f"{plain_dyad(d, names)}: {o.removeprefix('p_').replace('_', ' ')}"
                          for d, o in zip(t["dyad"], t["outcome"], strict=True)]
                fig = charts.differences(t.assign(outcome=labels, dyad=""), title=f"What “{variant}” changes",
                                         xtitle="percentage points (95 % interval)", scale=100.0)
                st.plotly_chart(charts.for_projector(fig, height=540), key="present_diff")
