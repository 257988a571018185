"""Game — team: join as a state, see what your state knows, decide each turn, ask the model."""

import pandas as pd
import streamlit as st

from app_support import game
from app_support.text import md
from sim.game import MAX_NAME, MAX_RATIONALE, AccessDenied, GameError

eng = game.engine()
code = game.code_from_url()
if not code:
    st.title("Play the crisis: join a game")
    entered = st.text_input("Join code (from your instructor)", max_chars=64, key="join_code")
    if entered:
        st.query_params.from_dict({"game": entered.strip()})
        st.rerun()
    st.stop()
try:
    g = eng.game(code)
except AccessDenied as exc:
    st.error(f"Refused: {md(exc)}.")
    st.stop()

team = game.team_from_url()
if team is None:
    st.title("Join the game")
    st.text(g.title)
    free = set(eng.unclaimed(code))
    states = eng.scenario(g).codes  # all of them: a state taken meanwhile is refused, never swapped for another
    st.write("Choose the state your team will play. Teammates: once one of you has joined, use **that team's "
             "link** (shown after joining) instead of joining again.")
    with st.form("join"):
        state = st.selectbox("State", states, key="j_state", index=next((k for k, c in enumerate(states) if c in free), 0),
                             format_func=lambda c: c if c in free else f"{c} (taken)")
        name = st.text_input("Team name", max_chars=MAX_NAME, key="j_name")
        go = st.form_submit_button("Join", type="primary")
    if go:
        try:
            team, token = eng.join(code, state, name)
        except GameError as exc:
            st.error(f"Refused: {md(exc)}.")
        else:
            st.query_params.from_dict({"game": code, "team": token})
            st.rerun()
    st.stop()

view = eng.team_view(team)
pub = view["game"]
st.title(f"You are {md(team.state)}")
st.text(f"Team: {team.name}")
st.caption("Your teammates join with this page's address (it holds your team's key: keep it in the team).")

game.watch(code)
with st.expander("Briefing", expanded=pub["turn"] == 1):
    if view["question"]:
        st.info(md(view["question"]))
    st.text(view["briefing"])

st.subheader("What your state perceives")
st.caption("Threat (0–1) your state feels from each state, its belief that the state is greedy, the commitments between "
           "you, and the rung of the escalation ladder between you. Other states' perceptions are theirs.")
st.dataframe(pd.DataFrame(view["perceptions"]), hide_index=True, key="perceptions")

st.subheader("News of the last turn")
st.dataframe(game.news_frame(view["news"]), hide_index=True, key="news")

st.subheader(f"Your decision for turn {pub['turn']}")
st.caption(f"Up to {view['max_moves']} moves a turn: up to {view['max_moves'] - 1} toward other states, and at most "
           "one of arm, balance and bandwagon. Choosing only hold holds everywhere.")
if pub["status"] == "finished":
    st.success("The game is over: your instructor will lead the debrief.")
    st.stop()
if view["submitted"]:
    s = view["submitted"]
    st.text(f"Submitted: {game.moves_text(s['moves'])} (you can change it until the turn resolves)")
if st.session_state.get("d_turn") != pub["turn"]:  # a new turn: a fresh rationale
    st.session_state["d_turn"] = pub["turn"]
    st.session_state["d_why"] = ""
codes = [p["state"] for p in view["perceptions"]] + [team.state]
moves = game.decision_widgets("d", sorted(codes), team.state, view["max_moves"])
why = st.text_area("Why? (your rationale, for the debrief)", max_chars=MAX_RATIONALE, key="d_why")
c1, c2 = st.columns(2)
if c1.button("Submit decision", type="primary", key="d_submit"):
    try:
        eng.submit(team, moves, why or "", request_id=game.request_id("decision"), turn=pub["turn"])
    except GameError as exc:
        st.error(md(exc))
    else:
        game.renew("decision")
        st.rerun()
if c2.button("What would the model do here, and why?", key="d_ask"):
    st.session_state["d_rec"] = (pub["turn"], eng.recommend(team))
rec = st.session_state.get("d_rec")
if rec and rec[0] == pub["turn"]:
    st.text(f"The model's {team.state} would: {game.moves_text([(d.action, d.target) for d in rec[1]])}")
    for d in rec[1]:  # every one of its moves, each with its cause chain
        st.code(d.why, language=None, wrap_lines=True)

with st.expander("Predict: how high will this crisis climb?"):
    with st.form("predict"):
        student = st.text_input("Your name", max_chars=MAX_NAME, key="p_name")
        peak = st.select_slider("Highest rung any pair of states will reach", options=list(range(11)), value=5,
                                format_func=game.rung_label, key="p_peak")
        pwhy = st.text_area("Why?", max_chars=MAX_RATIONALE, key="p_why")
        if st.form_submit_button("Lock in my prediction"):
            eng.predict(code, student, int(peak), pwhy, team=team, request_id=game.request_id("predict"))
            game.renew("predict")
            st.success("Prediction recorded.")
