"""Game — debrief: the class's crisis over the model's ensemble, decisions beside the model's, predictions."""

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from app_support import game, state
from app_support.text import md
from sim.game.debrief import build_debrief, default_dyad, to_csv, to_html

eng = game.engine()
who = game.instructor_from_url()
if who is None:
    st.error("The debrief shows every team's rationale: it needs the instructor's link (game and key).")
    st.stop()
g = eng.store.game(who.game_id)
model = eng.model_of(who)
codes = list(model.world.codes)
st.title("Debrief")
st.text(g.title)
pairs = [f"{a}–{b}" for i, a in enumerate(codes) for b in codes[i + 1:]]
first = default_dyad(codes, model.level_hist, g.step, eng.scenario(g).relations.rivalries)
c1, c2 = st.columns(2)
dyad = c1.selectbox("Pair of states to follow", pairs, index=pairs.index(first), key="db_dyad")
runs = c2.number_input("Model runs from the same start", min_value=20, max_value=5000, value=1000, step=100, key="db_runs")
if st.button("Build the debrief", type="primary", key="db_go") or st.session_state.get("db_key") == (who.code, g.version, dyad, runs):
    key = (who.code, g.version, dyad, runs)
    if st.session_state.get("db_key") != key:
        st.session_state["db"] = state.run_with_progress(
            f"Ensemble of {runs} runs", lambda progress: build_debrief(eng, who, runs=int(runs), dyad=dyad,
                                                                       executor=state.executor(), progress=progress))
        st.session_state["db_key"] = key
    d = st.session_state["db"]
    st.subheader(md(d.headline))
    fan = pd.DataFrame(d.fan)
    fig = go.Figure([
        go.Scatter(x=fan["step"], y=fan["q95"], line={"width": 0}, showlegend=False, hoverinfo="skip"),
        go.Scatter(x=fan["step"], y=fan["q05"], fill="tonexty", line={"width": 0}, name="model: 5–95 %"),
        go.Scatter(x=fan["step"], y=fan["q75"], line={"width": 0}, showlegend=False, hoverinfo="skip"),
        go.Scatter(x=fan["step"], y=fan["q25"], fill="tonexty", line={"width": 0}, name="model: 25–75 %"),
        go.Scatter(x=fan["step"], y=fan["q50"], line={"dash": "dash"}, name="model: median"),
        go.Scatter(x=list(range(len(d.class_levels))), y=d.class_levels, line={"width": 4, "color": "#d62728"}, name="your class"),
    ])
    fig.update_layout(yaxis={"range": [0, 10], "title": "rung"}, xaxis={"title": "step"}, height=380)
    st.plotly_chart(fig, key="db_chart")
    same = sum(r["same_as_model"] for r in d.decisions)
    st.subheader("Each team's decisions beside the model's")
    st.caption(f"{same} of {len(d.decisions)} team decisions were the model's own choice.")
    st.dataframe(pd.DataFrame(d.decisions), hide_index=True, key="db_decisions")
    st.subheader("The class's predictions")
    st.dataframe(pd.DataFrame(d.predictions), hide_index=True, key="db_predictions")
    c1, c2 = st.columns(2)
    c1.download_button("Download the report (HTML)", to_html(d), file_name=f"debrief-{g.id}.html", mime="text/html", key="db_html")
    c2.download_button("Download every decision (CSV)", to_csv(d), file_name=f"decisions-{g.id}.csv", mime="text/csv", key="db_csv")
