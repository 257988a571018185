"""The game pages without a browser (AppTest): start, join, decide, ask the model, inject, access refused."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from sim.scenario.loader import load_scenario

ROOT = Path(__file__).resolve().parents[1]
PAGES = ROOT / "app_pages"
FOUNDING = load_scenario(ROOT / "scenarios" / "korea-russia-2024.yaml")


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("FLASHPOINT_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("FLASHPOINT_DB_URL", raising=False)
    st.cache_resource.clear()
    yield tmp_path
    st.cache_resource.clear()


def eng():
    from app_support import game

    return game.engine()


def page(name: str, **query) -> AppTest:
    at = AppTest.from_file(str(PAGES / f"{name}.py"), default_timeout=60)
    for k, v in query.items():
        at.query_params[k] = str(v)
    return at.run()


def ok(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


def texts(at: AppTest) -> str:
    return "\n".join(str(t.value) for t in [*at.text, *at.error, *at.title, *at.code, *at.success])


def test_console_starts_a_game():
    at = page("game_console")
    ok(at)
    at.selectbox(key="ng_scenario").set_value("korea-russia-2024")
    at.number_input(key="ng_seed").set_value(7)
    at.button[0].click().run()
    ok(at)
    code, key = at.query_params["game"], at.query_params["key"]
    assert code and key
    who = eng().instructor(code, key)
    g = eng().store.game(who.game_id)
    assert g.seed == 7 and g.status == "running"
    assert "Instructor console" in texts(at)


def test_team_joins_decides_and_asks_the_model():
    c = eng().create_game(FOUNDING, seed=3)
    at = page("game_team", game=c.code)
    ok(at)
    at.selectbox(key="j_state").set_value("ROK")
    at.text_input(key="j_name").set_value("**Seoul** <b>team</b>")
    at.button[0].click().run()
    ok(at)
    assert at.query_params["team"]
    assert "You are ROK" in texts(at)
    assert "Team: **Seoul** <b>team</b>" in [t.value for t in at.text]  # shown as text, not markup
    at.button(key="d_ask").click().run()
    rec = eng().recommend(eng().team(c.code, at.query_params["team"]))
    shown = [c_.value for c_ in at.code]
    assert rec and all(d.why in shown for d in rec)  # every one of the model's moves, with why
    at.selectbox(key="d_action").set_value("threaten").run()
    at.selectbox(key="d_target").set_value("PRK")
    at.text_area(key="d_why").set_value("deter them")
    at.button(key="d_submit").click().run()
    ok(at)
    g = eng().store.game(c.game_id)
    assert g.turn == 1  # the only team submitted: the turn resolved
    d = eng().store.decisions(c.game_id)[0]
    assert (d.state, d.action, d.target, d.rationale) == ("ROK", "threaten", "PRK", "deter them")
    assert any("ROK" in str(v) for v in at.dataframe[1].value["what"])  # the news of the turn


def test_team_link_of_another_game_is_refused():
    a = eng().create_game(FOUNDING)
    b = eng().create_game(FOUNDING)
    _, token = eng().join(a.code, "USA", "u")
    at = page("game_team", game=b.code, team=token)
    assert any("Refused" in e.value for e in at.error)
    assert not at.dataframe  # nothing of either game is shown
    at = page("game_console", game=a.code, key="guessed")
    assert any("Refused" in e.value for e in at.error)
    at = page("game_debrief", game=a.code)
    assert at.error and not at.dataframe


def test_inject_form_shows_errors_on_their_fields():
    c = eng().create_game(FOUNDING)
    at = page("game_console", game=c.code, key=c.instructor_key)
    ok(at)
    at.selectbox(key="inj_type").set_value("statement").run()
    at.selectbox(key="inj_statement_actor").set_value("PRK")
    at.button(key="inj_go").click().run()
    ok(at)
    errs = [e.value for e in at.error]
    assert any(e.startswith("targets:") for e in errs), errs
    assert not eng().store.injects(c.game_id)
    at.multiselect(key="inj_statement_targets").set_value(["ROK"])
    at.button(key="inj_go").click().run()
    ok(at)
    assert len(eng().store.injects(c.game_id)) == 1


def test_console_advances_and_undoes():
    c = eng().create_game(FOUNDING)
    at = page("game_console", game=c.code, key=c.instructor_key)
    at.button(key="advance").click().run()
    ok(at)
    assert eng().store.game(c.game_id).turn == 1
    at.button(key="undo").click().run()
    ok(at)
    assert eng().store.game(c.game_id).turn == 0


def test_projector_shows_the_game():
    c = eng().create_game(FOUNDING)
    at = page("game_projector", game=c.code)
    ok(at)
    assert [m.value for m in at.metric][0] == "1"


def test_the_rationale_starts_empty_each_turn():
    c = eng().create_game(FOUNDING, seed=3)
    team, token = eng().join(c.code, "JPN", "Tokyo")
    eng().join(c.code, "CHN", "Beijing")
    at = page("game_team", game=c.code, team=token)
    at.text_area(key="d_why").set_value("first thoughts")
    at.button(key="d_submit").click().run()
    assert at.text_area(key="d_why").value == "first thoughts"  # kept while the turn is open
    eng().advance(eng().instructor(c.code, c.instructor_key))
    at.run()
    assert at.text_area(key="d_why").value == ""
    assert eng().store.decisions(c.game_id)[0].rationale == "first thoughts"
