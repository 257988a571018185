"""Library: the bundled scenarios as cards, and uploading your own scenario file."""

import streamlit as st

from app_support import library, state
from app_support.text import md
from sim.errors import FlashpointError

st.title("Scenario library")
st.write("Each scenario is a real crisis written as a YAML file: who the states are, what happened and when, "
         "and named what-ifs. Open one to read its briefing, run it, or change it.")

ents = state.entries()
cols = st.columns(2)
for k, (key, entry) in enumerate(ents.items()):
    with cols[k % 2].container(border=True):
        if entry.scenario is None:
            st.subheader(md(entry.filename))
            state.error_lines("This file has problems", str(entry.error).splitlines())
            continue
        c = library.card(entry.scenario)
        st.subheader(md(c["title"]))
        st.markdown(f"**{md(c['period'])}** · {md(c['horizon'])} · actors: {md(c['actors'])}")
        st.markdown(f"*{md(c['question'])}*")
        st.caption(md(f"Variants: {c['variants']} · file: {entry.filename}"))
        if st.button("Open", key=f"open_{key}", on_click=state.select_scenario, args=(key,), type="primary"):
            st.switch_page("app_pages/scenario.py")

st.header("Upload your own scenario")
st.write(f"A scenario file in the Flashpoint format (YAML, at most {library.MAX_UPLOAD_BYTES // 1024} KiB). "
         "It is checked at once and problems are shown with their line numbers; it stays in this browser "
         "session only. The Editor page starts from any scenario if you would rather write one here.")
up = st.file_uploader("Scenario file", type=["yaml", "yml"], key="upload", max_upload_size=1)
if up is not None:
    data = up.getvalue()
    try:
        sc = library.parse_upload(up.name, data)
    except FlashpointError as exc:
        state.show_error(exc, f"{library.safe_name(up.name)} was not loaded")
    else:
        key = state.add_user_scenario("upload", up.name, data.decode("utf-8"), sc)
        st.success(md(f"Loaded “{sc.title}” ({len(sc.actors)} actors, {len(sc.events)} events)."))
        if st.button("Open it", on_click=state.select_scenario, args=(key,), type="primary"):
            st.switch_page("app_pages/scenario.py")
