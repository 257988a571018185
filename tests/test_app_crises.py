"""The Real crises (ICB) page with AppTest, and its helpers in app_support.crises."""

from __future__ import annotations

import json

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from app_support import crises
from sim.errors import FlashpointError
from tests.conftest import ROOT

APP = str(ROOT / "app.py")


@pytest.fixture(autouse=True)
def _clean_caches():
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()


def page(**query) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    for k, v in query.items():
        at.query_params[k] = str(v)
    at.run()
    return at.switch_page("app_pages/crises.py").run()


def ok(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


def table(at: AppTest):
    return next(d.value for d in at.dataframe if "crisno" in d.value.columns)


def test_the_page_lists_the_collection_and_shows_data_as_plain_text():
    at = page()
    ok(at)
    assert at.title[0].value == "Real crises (ICB)"
    df = crises.load_index()
    assert len(table(at)) == len(df) > 300
    pick = at.selectbox(key="icb_pick").value
    crisis = crises.load(pick, df)
    texts = [t.value for t in at.text]
    assert crisis.scenario.title in texts and crisis.scenario.briefing.summary in texts
    assert not any(crisis.scenario.briefing.summary in m.value for m in at.markdown)  # never rendered as markdown


def test_search_by_name_year_region_and_violence():
    at = page()
    at.text_input(key="icb_text").set_value("berlin").run()
    ok(at)
    got = table(at)
    assert len(got) >= 2 and got["title"].str.contains("Berlin").all()
    at.text_input(key="icb_text").set_value("").run()
    at.multiselect(key="icb_violence").set_value(["full-scale war"]).run()
    at.multiselect(key="icb_regions").set_value(["Europe"]).run()
    at.slider(key="icb_years").set_value((1930, 1945)).run()
    ok(at)
    got = table(at)
    assert len(got) > 0
    assert (got["violence"] == "full-scale war").all() and (got["region"] == "Europe").all()
    assert got["year"].between(1930, 1945).all()


def test_run_it_opens_the_crisis_on_the_run_page():
    at = page(runs=10)
    at.text_input(key="icb_text").set_value("berlin blockade").run()
    pick = at.selectbox(key="icb_pick").value
    at.button(key="icb_run").click().run()
    ok(at)
    assert at.session_state["fp_scenario"] == f"icb:{pick}"
    title = crises.load(pick, crises.load_index()).scenario.title
    from app_support.text import md

    assert at.title[0].value == f"Run: {md(title)}"  # the title is escaped Markdown: shown literally


def test_helpers_search_and_refuse_paths_outside_the_collection(tmp_path):
    df = crises.load_index()
    assert set(crises.search(df, "IND PAK")["actors"].str.cat(sep=" ").split()) >= {"IND", "PAK"}
    n = int(df["crisno"].iloc[10])
    assert n in set(crises.search(df, str(n))["crisno"])
    with pytest.raises(FlashpointError, match="no crisis"):
        crises.load("icb-000-nothing", df)
    rows = [{"crisno": 1, "name": "**BOLD** <b>x</b>", "title": "**Bold** <b>x</b> (1918)", "year": 1918,
             "region": "Europe", "subregion": "Europe", "violence": "no violence", "trigger": "", "actors": "RUS",
             "id": "icb-001-x", "file": "../../etc/passwd"}]
    (tmp_path / "index.json").write_text(json.dumps({"crises": rows}))
    evil = crises.load_index(tmp_path)
    assert list(crises.search(evil, "bold")["title"]) == ["**Bold** <b>x</b> (1918)"]  # names are data
    with pytest.raises(FlashpointError, match="outside the collection"):
        crises.load("icb-001-x", evil, tmp_path)
    assert crises.load_index(tmp_path / "none").empty
