"""Game — instructor console: start a game, share the join link, run the turns, inject, undo, reveal."""

import pandas as pd
import streamlit as st

from app_support import game
from app_support.text import md
from sim.game import GameError

eng = game.engine()
who = game.instructor_from_url()

if who is None:
    st.title("Play the crisis: instructor console")
    st.write("Start a game from a scenario: students join as states with the join link; the model plays every "
             "state nobody claims. Keep the console link: its key is the only way back to this console.")
    scs = game.scenarios()
    with st.form("new_game"):
        key = st.selectbox("Scenario", list(scs), format_func=lambda k: scs[k].title, key="ng_scenario")
        variants = ["baseline", *scs[key].variant_names()] if key else ["baseline"]
        variant = st.selectbox("Variant", variants, key="ng_variant")
        c1, c2, c3 = st.columns(3)
        seed = c1.number_input("Seed", min_value=0, max_value=2**31 - 1, value=0, step=1, key="ng_seed")
        steps = c2.number_input("Steps per turn", min_value=1, max_value=52, value=1, step=1, key="ng_steps")
        timer = c3.number_input("Timer per turn (seconds, 0 = none)", min_value=0, max_value=3600, value=0, step=30, key="ng_timer")
        go = st.form_submit_button("Start the game", type="primary")
    if go:
        try:
            created = eng.create_game(scs[key], variant=None if variant == "baseline" else variant, seed=int(seed),
                                      steps_per_turn=int(steps), timer_seconds=int(timer))
        except (GameError, KeyError) as exc:
            st.error(md(exc))
        else:
            st.query_params.from_dict({"game": created.code, "key": created.instructor_key})
            st.rerun()
    st.stop()

g = eng.store.game(who.game_id)
pub = eng.status(who.code)
st.title("Instructor console")
st.text(g.title)
st.subheader("Links")
st.caption("Students: the join link. The room: the projector. Keep this page's address: it holds the instructor key.")
st.code(game.link("game-team", game=who.code), language=None)
st.code(game.link("game-projector", game=who.code), language=None)
st.code(game.link("game-debrief", game=who.code, key=game._param("key")), language=None)



def teams(p) -> None:
    rows = [{"state": t["state"], "team": t["name"], "submitted this turn": t["submitted"]} for t in p["teams"]]
    st.dataframe(pd.DataFrame(rows, columns=["state", "team", "submitted this turn"]), hide_index=True, key="teams_table")
    st.subheader("Last turn's news")
    st.dataframe(game.news_frame(eng.projector(who.code)["news"] if not p["reveal"] else eng.reveal_all(who)["news"]),
                 hide_index=True, key="news")


game.watch(who.code, show=teams, rerun=False)  # the controls below keep what the instructor is typing

c1, c2, c3, c4 = st.columns(4)
if pub["status"] == "paused":
    if c1.button("Resume", key="resume"):
        eng.resume(who)
        st.rerun()
elif c1.button("Pause", key="pause", disabled=pub["status"] != "running"):
    eng.pause(who)
    st.rerun()
if c2.button("Resolve the turn now", key="advance", type="primary", disabled=pub["status"] != "running",
             help="Teams that have not submitted get the model's choice."):
    eng.advance(who)
    st.rerun()
if c3.button("Undo the last turn", key="undo", disabled=pub["turn"] <= 1):
    eng.undo(who)
    st.rerun()
reveal = c4.toggle("Reveal all on the projector", value=bool(pub["reveal"]), key="reveal")
if reveal != bool(pub["reveal"]):
    eng.set_reveal(who, reveal)
    st.rerun()

with st.expander("Turn length and timer"):
    with st.form("timing"):
        steps = st.number_input("Steps per turn", min_value=1, max_value=g.horizon, value=g.steps_per_turn, step=1, key="t_steps")
        timer = st.number_input("Timer (seconds, 0 = none)", min_value=0, max_value=3600, value=g.timer_seconds, step=5, key="t_timer")
        if st.form_submit_button("Set"):
            eng.set_timing(who, int(steps), int(timer))
            st.rerun()

codes = eng.scenario(g).codes
with st.expander("Inject an event"):
    game.inject_form(who, codes)

with st.expander("Override a state's decision for this turn"):
    state = st.selectbox("State", codes, key="ov_state")
    moves = game.decision_widgets("ov", codes, state, eng.model_of(who).params.decision.max_dyads)
    why = st.text_area("Note", max_chars=600, key="ov_note")
    if st.button("Override", key="ov_go"):
        try:
            eng.override(who, state, moves, why)
        except GameError as exc:
            st.error(md(exc))
        else:
            st.rerun()

everything = eng.reveal_all(who)
with st.expander("Reveal all: every state's perceptions, this turn's decisions, the model's recommendations"):
    st.dataframe(pd.DataFrame(everything["pending"]), hide_index=True, key="rv_pending")
    st.dataframe(pd.DataFrame(everything["recommendations"]), hide_index=True, key="rv_recs")
    st.dataframe(pd.DataFrame(everything["perceptions"]), hide_index=True, key="rv_perc")
    st.dataframe(game.news_frame(everything["news"]), hide_index=True, key="rv_news")
