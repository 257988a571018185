"""Real crises: browse the ICB collection (search by name, year, region, violence) and run any crisis."""

import streamlit as st

from app_support import crises, state
from sim.errors import FlashpointError


@st.cache_data(ttl=300, show_spinner=False)
def _index():
    return crises.load_index()


def _open(scenario_id: str, page: str) -> None:
    try:
        c = crises.load(scenario_id, _index())
    except FlashpointError as exc:
        st.session_state["fp_crisis_error"] = str(exc)
        return
    key = state.add_user_scenario("icb", c.filename, c.text, c.scenario)
    state.select_scenario(key)
    st.session_state["fp_crisis_goto"] = page


st.title("Real crises (ICB)")
st.write("Hundreds of international crises from 1918 to 1999, from the International Crisis Behavior data "
         "(Brecher, Wilkenfeld et al., version 14), each written as a scenario: the states in the crisis, the act "
         "that triggered it, and the year's capabilities and alliances. Find one, read its briefing, and run it.")
goto = st.session_state.pop("fp_crisis_goto", None)
if goto:
    st.switch_page(goto)
if err := st.session_state.pop("fp_crisis_error", None):
    st.error("This crisis could not be opened:")
    st.text(err)

try:
    df = _index()
except FlashpointError as exc:
    st.error("The collection's index cannot be read:")
    st.text(str(exc))
    st.stop()
if df.empty:
    st.info("The collection is empty: build it with `flashpoint icb build` into scenarios/icb/.")
    st.stop()

lo, hi = int(df["year"].min()), int(df["year"].max())
c1, c2 = st.columns([2, 3])
text = c1.text_input("Search names and actors", key="icb_text", placeholder="e.g. Berlin, Suez, IND PAK")
years = c2.slider("Trigger year", lo, hi, (lo, hi), key="icb_years")
c3, c4 = st.columns(2)
regions = c3.multiselect("Region", sorted(df["region"].dropna().unique()), key="icb_regions")
levels = [v for v in crises.VIOLENCE_ORDER if v in set(df["violence"])]
violence = c4.multiselect("Violence in history (ICB)", levels, key="icb_violence")
hits = crises.search(df, text, years, regions, violence)
st.caption(f"{len(hits)} of {len(df)} crises match.")
st.dataframe(hits[crises.COLUMNS], hide_index=True, key="icb_table",
             column_config={"crisno": "ICB no.", "year": st.column_config.NumberColumn("year", format="%d")})

if not hits.empty:
    ids = list(hits["id"])
    titles = dict(zip(hits["id"], hits["title"].astype(str) + " — ICB " + hits["crisno"].astype(str), strict=True))
    pick = st.selectbox("Crisis", ids, format_func=lambda i: titles.get(i, i), key="icb_pick")
    try:
        crisis = crises.load(pick, df)
    except FlashpointError as exc:
        st.error("This crisis could not be read:")
        st.text(str(exc))
    else:
        sc = crisis.scenario
        with st.container(border=True):
            st.text(sc.title)
            st.text(f"{sc.briefing.period} · {sc.calendar.horizon} {sc.calendar.step}s · actors: {', '.join(sc.codes)}")
            st.text(sc.briefing.summary)
            st.caption("Generated from the ICB codes; the mapping rules are in docs/history.md.")
        b1, b2 = st.columns(2)
        b1.button("Run it", key="icb_run", type="primary", on_click=_open, args=(pick, "app_pages/run.py"),
                  help="One run told as a story, then an ensemble (seed and runs in the sidebar).")
        b2.button("Open the scenario page", key="icb_scenario", on_click=_open, args=(pick, "app_pages/scenario.py"),
                  help="Briefing, actors and timeline; what-ifs from there.")
