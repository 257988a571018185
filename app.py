"""Flashpoint in the browser: `make app` (or `streamlit run app.py`).

This file only routes: page settings, the navigation, the sidebar every page shares, and the
address bar that reproduces the view. The pages are in app_pages/; what they compute comes from the
same public `sim` API as the `flashpoint` command.
"""

from importlib.machinery import ModuleSpec

# Streamlit runs this file as a stand-in `__main__` module. Naming its spec `__main__` tells
# multiprocessing that ensemble worker processes must not re-run this script when they start.
__spec__ = ModuleSpec("__main__", None)

import streamlit as st  # noqa: E402

from app_support import state  # noqa: E402

st.set_page_config(page_title="Flashpoint — what-ifs of interstate crises", layout="wide")

PAGES = {
    "library": st.Page("app_pages/library.py", title="Library", url_path="library", default=True),
    "crises": st.Page("app_pages/crises.py", title="Real crises (ICB)", url_path="crises"),
    "scenario": st.Page("app_pages/scenario.py", title="Scenario", url_path="scenario"),
    "run": st.Page("app_pages/run.py", title="Run", url_path="run"),
    "compare": st.Page("app_pages/compare.py", title="What-if & Compare", url_path="compare"),
    "editor": st.Page("app_pages/editor.py", title="Editor", url_path="editor"),
    "classroom": st.Page("app_pages/classroom.py", title="Classroom", url_path="classroom"),
    "present": st.Page("app_pages/present.py", title="Presentation", url_path="present"),
    "about": st.Page("app_pages/about.py", title="About", url_path="about"),
    # the classroom game (issue 12): its pages keep their own address (game code, team or key)
    "game-console": st.Page("app_pages/game_console.py", title="Game: instructor", url_path="game-console"),
    "game-team": st.Page("app_pages/game_team.py", title="Game: team", url_path="game-team"),
    "game-projector": st.Page("app_pages/game_projector.py", title="Game: projector", url_path="game-projector"),
    "game-debrief": st.Page("app_pages/game_debrief.py", title="Game: debrief", url_path="game-debrief"),
}
GAME_PAGES = {"game-console", "game-team", "game-projector", "game-debrief"}

asked = state.init_session()
page = st.navigation(list(PAGES.values()))
if asked and PAGES[asked].url_path != page.url_path:
    st.switch_page(PAGES[asked], query_params=state.share_query())
if page.url_path not in GAME_PAGES:
    state.sidebar()
    state.write_url()
page.run()
