"""Game — projector: the room's view in large type (public acts only, until the instructor reveals all)."""

import streamlit as st

from app_support import game
from app_support.text import md
from sim.game import AccessDenied

eng = game.engine()
code = game.code_from_url()
if not code:
    st.error("This page needs a game link (…/game-projector?game=CODE).")
    st.stop()
try:
    eng.game(code)
except AccessDenied as exc:
    st.error(f"Refused: {md(exc)}.")
    st.stop()

st.html("<style>[data-testid='stMetricValue']{font-size:4rem}[data-testid='stText']{font-size:1.6rem}"
        ".stDataFrame{font-size:1.4rem}</style>")


@st.fragment(run_every=1.0)
def room() -> None:
    view = eng.projector(code)
    pub = view["game"]
    st.text(pub["title"])
    c1, c2, c3, c4 = st.columns(4)
    c1.metric("Turn", pub["turn"])
    c2.metric("Week", f"{pub['step']} / {pub['horizon']}")
    c3.metric("Highest rung", view["peak"])
    c4.metric("Time left", "—" if pub["seconds_left"] is None else f"{pub['seconds_left']:.0f} s")
    st.text(f"{pub['status']} · submitted: {sum(t['submitted'] for t in pub['teams'])} of {len(pub['teams'])} teams")
    st.dataframe([{"pair": r["dyad"], "rung": r["rung"], "": r["label"]} for r in view["rungs"]], hide_index=True)
    st.subheader("News" + (" (all revealed)" if pub["reveal"] else ""))
    for r in view["news"][-12:]:
        st.text(f"{r['date']}  {r['why']}")


room()
