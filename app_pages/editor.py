"""Editor: write or change a scenario's YAML with validation as you go, then run it."""

import streamlit as st

from app_support import library, state
from app_support.text import md
from sim.errors import FlashpointError, ScenarioError

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
