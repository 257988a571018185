"""Editor: write or change a scenario's YAML with validation as you go, then run it."""

import datetime as dt
import re

import streamlit as st

from app_support import authoring, eventform, library, state
from app_support.text import md
from sim.errors import FlashpointError, ScenarioError
from sim.scenario.events import EVENT_TYPES

EDIT, TEXT, FROM = "fp_editor", "fp_editor_text", "fp_editor_from"  # widget key, kept copy, source


def load_current() -> None:
    e = state.current()
    st.session_state[EDIT] = st.session_state[TEXT] = e.text if e is not None else ""
    st.session_state[FROM] = e.key if e is not None else None


def use(then_run: bool) -> None:
    text = st.session_state.get(EDIT, "")
    try:
        sc = library.parse_text(text, "editor.yaml")
    except FlashpointError:
        return  # the page shows the errors
    state.select_scenario(state.add_user_scenario("edited", "editor.yaml", text, sc))
    st.session_state["fp_editor_go"] = "run" if then_run else "scenario"


def _catalog_names(year: int) -> dict[str, str]:
    from app_support.builder import _catalog_names as names

    return names(int(year))


def _year_of(text: str) -> int:
    m = re.search(r"^data_year:\s*(\d{4})\s*$", text or "", re.M)
    return min(max(int(m.group(1)), 1816), 2022) if m else 2022


def wizard() -> None:
    """Title, year, start, horizon, states by name, first events → YAML the loader accepts, into the editor."""
    c1, c2, c3, c4 = st.columns([3, 1, 1, 1])
    title = c1.text_input("Title", key="wz_title", max_chars=200, placeholder="e.g. Arms for Kyiv (2024)")
    year = int(c2.number_input("Data year", 1816, 2022, 2022, key="wz_year", help="The catalog year of the states' data."))
    start = c3.date_input("Starts", value=dt.date(2024, 1, 1), key="wz_start")
    weeks = int(c4.number_input("Weeks", 1, 520, 26, key="wz_weeks"))
    names = _catalog_names(year)
    label = lambda c: f"{names.get(c, c)} ({c})"  # noqa: E731
    actors = st.multiselect("States (type a name)", sorted(names, key=names.get), format_func=label, key="wz_actors")
    question = st.text_input("The question, in one line (optional)", key="wz_question", max_chars=500)
    st.markdown("**First events** (optional; more can be added in the YAML or the what-if builder)")
    events = []
    for i in range(2):
        c1, c2, c3, c4 = st.columns([2, 2, 2, 2])
        tp = c1.selectbox(f"Event {i + 1}", ["(none)", *EVENT_TYPES], key=f"wz_ev_type_{i}",
                          format_func=lambda t: t if t == "(none)" else eventform.type_title(t))
        who = c2.selectbox("who acts", actors or ["—"], format_func=label, key=f"wz_ev_actor_{i}")
        on = c3.multiselect("on / with", actors, format_func=label, key=f"wz_ev_on_{i}")
        when = c4.date_input("date", value=start, key=f"wz_ev_date_{i}")
        if tp != "(none)":
            role = next((f.name for f in eventform.fields_of(tp) if f.kind == "states"), None)
            events.append(eventform.event_data(tp, who, when, {role: on} if role else {}))
    if st.button("Write the scenario into the editor", key="wz_go", type="primary", disabled=len(actors) < 2):
        try:
            text = authoring.new_scenario_yaml(title, year, start, weeks, actors, events, question)
        except FlashpointError as exc:
            state.show_error(exc, "The wizard's scenario is not valid yet")
        else:
            st.session_state["fp_editor_pending"] = text
            st.rerun()
    if len(actors) < 2:
        st.caption("Choose at least two states.")


def helper() -> None:
    """A state picked by name, an event type picked by name: their YAML to copy under actors: or events:."""
    text = st.session_state.get(TEXT, "")
    year = _year_of(text)
    names = _catalog_names(year)
    c1, c2 = st.columns(2)
    code = c1.selectbox(f"A state of the catalog ({year})", sorted(names, key=names.get), key="ed_pick_actor",
                        format_func=lambda c: f"{names.get(c, c)} ({c})", index=None, placeholder="type a name…")
    if code:
        c1.code(authoring.actor_snippet(code, names.get(code, "")), language="yaml")
    tp = c2.selectbox("An event type", EVENT_TYPES, key="ed_pick_event", format_func=eventform.type_title, index=None,
                      placeholder="choose…")
    if tp:
        codes = re.findall(r"^\s*-\s*code:\s*([A-Z][A-Z0-9]{1,5})", text, re.M) or ["USA", "RUS"]
        c2.code(authoring.event_snippet(tp, codes[0], dt.date(2024, 1, 1), codes[1:2]), language="yaml")
        c2.caption("Paste it under `events:`; change the date, the states and the values (the comments give the ranges).")


if "fp_editor_pending" in st.session_state:  # the wizard's text, set before the text area exists
    st.session_state[EDIT] = st.session_state[TEXT] = st.session_state.pop("fp_editor_pending")
    st.session_state[FROM] = None
if TEXT not in st.session_state:
    load_current()
elif EDIT not in st.session_state:  # the widget's own state is dropped when the page is left
    st.session_state[EDIT] = st.session_state[TEXT]
st.title("Scenario editor")
st.write("Edit the YAML below; it is checked every time you click outside the box (or press Ctrl+Enter). "
         "Problems are shown with their line and column. The format is described in docs/scenario-format.md.")
cur = state.current()
if cur is not None and st.session_state.get(FROM) != cur.key:
    st.button(md(f"Load “{cur.scenario.title if cur.scenario else cur.filename}” into the editor (replaces the text)"),
              on_click=load_current, key="editor_load")
with st.expander("New scenario: a wizard (title, year, states, first events) that writes valid YAML"):
    wizard()
with st.expander("Help while writing: pick a state by name or an event type, copy its YAML"):
    helper()
text = st.text_area("Scenario YAML", key=EDIT, height=560, max_chars=library.MAX_UPLOAD_BYTES)
st.session_state[TEXT] = text
try:
    sc = library.parse_text(text, "editor.yaml")
except ScenarioError as exc:
    sc = None
    state.show_error(exc, "Not valid yet")
    if not any("unknown actor" in i.message or "outside the horizon" in i.message for i in exc.issues):
        st.caption("Checks across fields (unknown actors, dates outside the horizon, duplicate ids) run once these "
                   "problems are fixed: more may follow.")
    lines = text.splitlines()
    shown = sorted({i.line for i in exc.issues if 0 < i.line <= len(lines)})[:50]
    if shown:
        st.markdown("**The lines with problems**")
        st.code("\n".join(f"{n:>4} | {lines[n - 1]}" for n in shown), language=None, wrap_lines=True)
    with st.expander("The whole text with line numbers"):
        st.code(text, language="yaml", line_numbers=True, wrap_lines=True)
except FlashpointError as exc:
    sc = None
    state.show_error(exc, "Not valid yet")
else:
    st.success(md(f"Valid: “{sc.title}” — {len(sc.actors)} actors, {len(sc.events)} events, "
                  f"{len(sc.variants)} variants, {sc.calendar.horizon} {sc.calendar.step}s."))
c1, c2, c3 = st.columns(3)
c1.button("Use this scenario", on_click=use, args=(False,), disabled=sc is None, key="editor_use")
c2.button("Run it", on_click=use, args=(True,), disabled=sc is None, type="primary", key="editor_run")
c3.download_button("Download (YAML)", data=text or "", file_name=f"{sc.id if sc else 'scenario'}.yaml",
                   mime="application/x-yaml", key="editor_download")
go = st.session_state.pop("fp_editor_go", None)
if go == "run":
    st.switch_page("app_pages/run.py")
elif go == "scenario":
    st.switch_page("app_pages/scenario.py")
