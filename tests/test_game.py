"""The classroom game engine without the UI: replay equals the model, access, idempotence, restart."""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest

from sim.game import AccessDenied, GameEngine, GameError, GameStore, InjectError
from sim.model import ACTION_MENU, CrisisModel, Decision, run_scenario


@pytest.fixture
def url(tmp_path):
    return f"sqlite:///{tmp_path / 'game.db'}"


@pytest.fixture
def engine(url):
    return GameEngine(GameStore(url))


def _records(model, upto):
    return [r for r in model.log.records if r["step"] < upto]


def test_model_hook_peek_does_not_change_the_model(founding):
    m = CrisisModel(founding, 5)
    for _ in range(3):
        m.step()
    before = (m.world.level.copy(), m.world.threat.copy(), len(m.log.records), m.steps_done)
    peek = m.peek_decisions()
    assert set(peek) == set(founding.codes)
    menu = {row["action"] for row in ACTION_MENU}
    assert all(isinstance(d, Decision) and d.why and d.action in menu for ds in peek.values() for d in ds)
    assert (m.world.level == before[0]).all() and (m.world.threat == before[1]).all()
    assert len(m.log.records) == before[2] and m.steps_done == before[3]


def test_override_takes_effect(founding):
    m = CrisisModel(founding, 5)
    m.step({"ROK": [Decision("ROK", "threaten", "CUB")]})
    mine = [r for r in m.log.records if r["kind"] == "decision" and r["actor"] == "ROK" and r["step"] == 0]
    assert [(r["type"], r["target"]) for r in mine] == [("threaten", "CUB")]


def test_every_team_playing_the_model_reproduces_the_run(founding, engine):
    seed, turns = 11, 8
    created = engine.create_game(founding, seed=seed, steps_per_turn=1)
    teams = [engine.join(created.code, c, f"team {c}")[0] for c in founding.codes]
    for t in range(turns):
        g = engine.store.game(created.game_id)
        assert g.turn == t
        for team in teams:
            rec = engine.recommend(team)  # all of the model's moves for the state (empty: hold)
            engine.submit(team, rec, "as the model would", turn=t + 1)
    g = engine.store.game(created.game_id)
    assert g.turn == turns and g.step == turns
    ref = run_scenario(founding, seed)
    live = engine._model(g).model
    assert _records(live, turns) == [r for r in ref.records if r["step"] < turns]
    assert (live.level_hist[: turns + 1] == ref.level_hist[: turns + 1]).all()
    # a fresh engine (a restarted server) replays the stored turns to the same world
    again = GameEngine(GameStore(engine.store.url))._model(g).model
    assert again.log.records == live.log.records
    assert (again.world.threat == live.world.threat).all()


def test_model_played_game_equals_run_scenario_with_any_turn_length(founding, engine):
    created = engine.create_game(founding, seed=3, steps_per_turn=5)
    who = engine.instructor(created.code, created.instructor_key)
    while engine.store.game(created.game_id).status != "finished":
        assert engine.advance(who) == 1
    g = engine.store.game(created.game_id)
    assert g.step == founding.calendar.horizon and g.turn == -(-founding.calendar.horizon // 5)
    ref = run_scenario(founding, 3)
    live = engine._model(g).model
    assert live.log.records == ref.records
    assert (live.level_hist == ref.level_hist).all()


def test_a_team_decision_changes_the_world(founding, engine):
    c = engine.create_game(founding, seed=2)
    prk, _ = engine.join(c.code, "PRK", "Pyongyang")
    m = engine._model(engine.store.game(c.game_id)).model
    assert m.world.level[0, m.idx["PRK"], m.idx["ROK"]] < 4
    with pytest.raises(GameError, match="rung 4"):  # the model's rule, said to the team before the turn resolves
        engine.submit(prk, [("clash", "ROK")], "test them")
    with pytest.raises(GameError, match="at most one of arm, balance, bandwagon"):
        engine.submit(prk, [("arm", None), ("balance", "CHN")])
    with pytest.raises(GameError, match="at most 2"):  # two moves toward other states, besides one policy
        engine.submit(prk, [("threaten", "ROK"), ("protest", "USA"), ("protest", "JPN")])
    engine.check_moves(engine.store.game(c.game_id), "PRK", [("arm", None), ("threaten", "ROK"), ("protest", "USA")])
    assert engine.store.game(c.game_id).turn == 0  # nothing stored, nothing resolved
    engine.submit(prk, [("show_force", "ROK"), ("threaten", "USA")], "two fronts")
    live = engine._model(engine.store.game(c.game_id)).model
    rec = [r for r in live.log.records if r["kind"] == "decision" and r["actor"] == "PRK" and r["step"] == 0]
    assert sorted((r["type"], r["target"]) for r in rec) == [("show_force", "ROK"), ("threaten", "USA")]
    assert engine.store.decisions(c.game_id)[0].moves == [("show_force", "ROK"), ("threaten", "USA")]


def test_a_move_the_model_refuses_at_resolution_falls_back_to_the_model(founding, engine):
    # a move allowed when submitted can stop being allowed within a turn of several steps (the rung
    # fell): stored directly here, as if that had happened, it must not break the turn or the replay
    c = engine.create_game(founding, seed=2)
    who = engine.instructor(c.code, c.instructor_key)
    prk, _ = engine.join(c.code, "PRK", "p")
    usa, _ = engine.join(c.code, "USA", "u")
    g = engine.store.game(c.game_id)
    engine.store.upsert_decision(engine._row(g, prk.team_id, "PRK", [("clash", "ROK")], "", "team"))
    assert engine.advance(who) == 1
    g = engine.store.game(c.game_id)
    live = engine._model(g).model
    assert _records(live, 1) == [r for r in run_scenario(founding, 2).records if r["step"] < 1]  # the model decided
    refused = [r for r in engine.team_view(prk)["news"] if r["kind"] == "refused"]
    assert len(refused) == 1 and "rung 4" in refused[0]["why"]
    assert not [r for r in engine.team_view(usa)["news"] if r["kind"] == "refused"]  # the team's own news only
    assert not [r for r in engine.projector(c.code)["news"] if r["kind"] == "refused"]
    again = GameEngine(GameStore(engine.store.url))._model(g).model
    assert again.log.records == live.log.records


def test_access_is_per_game_and_per_state(founding, engine):
    a = engine.create_game(founding, seed=1)
    b = engine.create_game(founding, seed=2)
    assert a.code != b.code and len(a.code) >= 16
    team_a, token_a = engine.join(a.code, "USA", "Washington")
    with pytest.raises(AccessDenied):
        engine.join(a.code, "USA", "impostors")  # another team's state
    with pytest.raises(AccessDenied):
        engine.team(b.code, token_a)  # a team token of game A does not open game B
    with pytest.raises(AccessDenied):
        engine.instructor(a.code, b.instructor_key)
    with pytest.raises(AccessDenied):
        engine.game("not-a-code")
    assert engine.team(a.code, token_a).state == "USA"
    with pytest.raises(GameError):
        engine.submit(team_a, [("threaten", "USA")])  # not itself
    with pytest.raises(GameError):
        engine.submit(team_a, [("launch_everything", None)])
    # a team sees its own perceptions only
    who = engine.instructor(a.code, a.instructor_key)
    engine.advance(who)
    engine.advance(who)
    view = engine.team_view(team_a)
    assert {r["state"] for r in view["perceptions"]} == set(founding.codes) - {"USA"}
    everyone = engine.reveal_all(who)["news"]
    assert any(r["kind"] == "perception" and r["actor"] != "USA" for r in everyone)
    assert all(r["actor"] == "USA" for r in view["news"] if r["kind"] == "perception")


def test_player_text_is_limited_and_stored_as_text(founding, engine):
    c = engine.create_game(founding)
    team, _ = engine.join(c.code, "ROK", "<b>Seoul</b>\x1b[31m" + "x" * 500)
    assert len(team.name) <= 60 and "\x1b" not in team.name and team.name.startswith("<b>Seoul</b>")
    engine.submit(team, [("protest", "PRK")], "y" * 5000)
    d = engine.store.decisions(c.game_id)[0]
    assert len(d.rationale) == 600


def test_replayed_request_changes_nothing_twice(founding, engine):
    c = engine.create_game(founding)
    usa, _ = engine.join(c.code, "USA", "u")
    engine.join(c.code, "RUS", "r")
    assert engine.submit(usa, [("threaten", "RUS")], "first", request_id="req-1") is True
    assert engine.submit(usa, [("threaten", "RUS")], "first", request_id="req-1") is False
    assert len(engine.store.decisions(c.game_id)) == 1
    assert engine.store.game(c.game_id).turn == 0  # RUS has not submitted
    # a stale turn number (a request from before the turn resolved) is refused
    with pytest.raises(GameError):
        engine.submit(usa, [], turn=2)


def test_concurrent_submissions_resolve_the_turn_once(founding, engine):
    c = engine.create_game(founding, seed=4)
    teams = [engine.join(c.code, s, s)[0] for s in founding.codes]
    barrier = threading.Barrier(len(teams))
    errors = []

    def play(team):
        try:
            barrier.wait()
            engine.submit(team, [("hold", None)], request_id=f"{team.state}-t1")
            engine.submit(team, [("hold", None)], request_id=f"{team.state}-t1")  # a retry
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=play, args=(t,)) for t in teams]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    g = engine.store.game(c.game_id)
    assert g.turn == 1 and g.step == 1
    assert len(engine.store.turns(c.game_id)) == 1
    assert len(engine.store.decisions(c.game_id)) == len(teams)


def test_timer_defaults_to_the_model_choice(founding, engine):
    c = engine.create_game(founding, seed=6, timer_seconds=1)
    rok, _ = engine.join(c.code, "ROK", "Seoul")
    jpn, _ = engine.join(c.code, "JPN", "Tokyo")
    engine.submit(rok, [("reassure", "PRK")], "calm down")
    rec = engine.recommend(jpn)
    assert engine.tick(c.code) == 0  # not yet
    time.sleep(1.05)
    assert engine.tick() == 1  # what the clock thread calls: every game whose timer ran out
    t = engine.store.turns(c.game_id)[0]
    assert t.how == "timer"
    by_state = {d.state: d for d in engine.store.decisions(c.game_id)}
    model_moves = [(d.action, d.target) for d in rec if d.action != "hold"]
    assert rec and all(d.why for d in rec)  # a hold too says why
    assert by_state["JPN"].source == "model" and by_state["JPN"].moves == model_moves
    assert [(a, t) for a, t, _ in by_state["JPN"].rec_moves] == model_moves
    assert by_state["ROK"].source == "team" and by_state["ROK"].rec_action is not None


def test_pause_holds_resolution_until_resume(founding, engine):
    c = engine.create_game(founding)
    who = engine.instructor(c.code, c.instructor_key)
    usa, _ = engine.join(c.code, "USA", "u")
    engine.pause(who)
    engine.submit(usa, [])
    assert engine.store.game(c.game_id).turn == 0
    engine.resume(who)
    assert engine.store.game(c.game_id).turn == 1


def test_inject_is_validated_on_its_fields_and_replayed(founding, engine):
    c = engine.create_game(founding, seed=8)
    who = engine.instructor(c.code, c.instructor_key)
    engine.advance(who)
    with pytest.raises(InjectError) as err:
        engine.inject(who, "missile_test", {"actor": "PRK", "near": ["FRA"]})
    assert "near" in err.value.errors and "FRA" in err.value.errors["near"]
    with pytest.raises(InjectError) as err:
        engine.inject(who, "naval_deployment", {"actor": "RUS", "near": ["USA"], "force_size": 99})
    assert "force_size" in err.value.errors
    ev = engine.inject(who, "missile_test", {"actor": "PRK", "near": ["ROK", "JPN"], "nuclear": True}, request_id="inj-1")
    assert ev["step"] == 1
    assert engine.inject(who, "missile_test", {"actor": "PRK", "near": ["ROK"]}, request_id="inj-1") == {}
    engine.advance(who)
    g = engine.store.game(c.game_id)
    live = engine._model(g).model
    hits = [r for r in live.log.records if r.get("event_id") == "inject-1" or r["id"] == "inject-1"]
    assert hits and all(r["step"] == 1 for r in hits)
    assert GameEngine(GameStore(engine.store.url))._model(g).model.log.records == live.log.records
    # the first step is the same as without the inject (common random numbers)
    ref = run_scenario(founding, 8)
    assert _records(live, 1) == [r for r in ref.records if r["step"] < 1]


def test_undo_goes_back_and_keeps_history(founding, engine):
    c = engine.create_game(founding, seed=9)
    who = engine.instructor(c.code, c.instructor_key)
    usa, _ = engine.join(c.code, "USA", "u")
    engine.submit(usa, [])
    engine.submit(usa, [("show_force", "CHN")], "signal")
    g = engine.store.game(c.game_id)
    assert g.turn == 2
    assert engine.undo(who)
    g = engine.store.game(c.game_id)
    assert (g.turn, g.step) == (1, 1)
    live = engine._model(g).model
    ref = CrisisModel(founding, 9)
    ref.step({"USA": []})
    assert live.log.records == ref.log.records
    assert (live.world.level == ref.world.level).all()
    assert len(engine.store.turns(c.game_id, active=False)) == 2  # the undone turn is kept
    engine.submit(usa, [("protest", "CHN")], "second thoughts")
    assert engine.store.game(c.game_id).turn == 2
    assert [d.action for d in engine.store.decisions(c.game_id)] == ["hold", "show_force", "protest"]


def test_predictions_are_stored_once(founding, engine):
    c = engine.create_game(founding)
    assert engine.predict(c.code, "Ana", 6, "spiral", request_id="p1")
    assert not engine.predict(c.code, "Ana", 6, "spiral", request_id="p1")
    with pytest.raises(GameError):
        engine.predict(c.code, "Ana", 11)
    assert [p.peak for p in engine.store.predictions(c.game_id)] == [6]


def test_migrations_create_the_schema(url):
    from sqlalchemy import inspect

    store = GameStore(url)
    names = set(inspect(store.engine).get_table_names())
    assert {"games", "teams", "turns", "decisions", "injects", "predictions", "alembic_version"} <= names
    GameStore(url)  # upgrading an up-to-date database changes nothing


def test_several_games_run_at_once(founding, engine):
    a = engine.create_game(founding, seed=1)
    b = engine.create_game(founding, seed=1)
    ta, _ = engine.join(a.code, "USA", "a")
    tb, _ = engine.join(b.code, "USA", "b")
    engine.submit(ta, [("threaten", "CHN")])
    engine.submit(tb, [("protest", "CHN")])
    la = engine._model(engine.store.game(a.game_id)).model
    lb = engine._model(engine.store.game(b.game_id)).model
    assert not np.array_equal(la.world.hostility, lb.world.hostility)


def test_debrief_reports_the_class_against_the_ensemble(founding, engine):
    from sim.game.debrief import build_debrief, to_csv, to_html

    c = engine.create_game(founding, seed=5)
    who = engine.instructor(c.code, c.instructor_key)
    usa, _ = engine.join(c.code, "USA", "<script>alert(1)</script>")
    engine.predict(c.code, "=cmd()", 6, "<img src=x onerror=alert(1)>")
    engine.submit(usa, [("show_force", "CHN")], "=HYPERLINK(\"http://x\")<b>bold</b>")
    engine.submit(usa, [("threaten", "CHN"), ("arm", None)], "more")
    d = build_debrief(engine, who, runs=20, dyad="USA–CHN")
    assert d.runs == 20 and len(d.class_levels) == 3 and d.class_peak == max(d.class_levels)
    assert 0 <= d.share_reaching <= 1 and d.peak_shares[0] == 1.0
    assert [r["moves"] for r in d.decisions] == ["show force → CHN", "threaten → CHN; arm"]
    assert all(r["model_moves"] for r in d.decisions)
    page = to_html(d)
    assert "<script>" not in page and "<img" not in page and "&lt;script&gt;" in page
    assert "<b>bold</b>" not in page
    text = to_csv(d)
    assert "'=HYPERLINK" in text and "\n=" not in text
    assert f"rung {d.class_peak}" in d.headline


def test_reading_while_turns_resolve_sees_a_consistent_world(founding, engine):
    c = engine.create_game(founding, seed=12)
    who = engine.instructor(c.code, c.instructor_key)
    usa, _ = engine.join(c.code, "USA", "u")
    stop = threading.Event()
    errors = []

    def read():
        while not stop.is_set():
            try:
                engine.projector(c.code)
                engine.team_view(usa)
            except Exception as exc:  # noqa: BLE001
                errors.append(exc)

    readers = [threading.Thread(target=read) for _ in range(3)]
    for t in readers:
        t.start()
    for _ in range(6):
        engine.submit(usa, [])
        engine.advance(who) if engine.store.game(c.game_id).turn % 2 else None
    stop.set()
    for t in readers:
        t.join()
    assert not errors, errors[:1]
    assert engine.store.game(c.game_id).step >= 6


def test_a_timer_that_fires_after_a_pause_does_not_resolve(founding, engine):
    c = engine.create_game(founding, timer_seconds=1)
    who = engine.instructor(c.code, c.instructor_key)
    g = engine.store.game(c.game_id)
    time.sleep(1.05)
    engine.pause(who)  # the clock read the game before the pause and resolves after it
    assert engine._resolve(c.game_id, "timer", expect=(g.turn, g.attempt)) == 0
    g = engine.store.game(c.game_id)
    assert (g.status, g.turn) == ("paused", 0)


def test_the_clock_resolves_timed_out_turns(founding, engine):
    from sim.game import Clock

    c = engine.create_game(founding, timer_seconds=1)
    clock = Clock(engine, interval=0.1).start()
    try:
        deadline = time.time() + 10
        while engine.store.game(c.game_id).turn == 0 and time.time() < deadline:
            time.sleep(0.1)
    finally:
        clock.stop()
    assert engine.store.turns(c.game_id)[0].how == "timer"


def test_moves_that_are_not_pairs_are_refused_with_a_reason(founding, engine):
    c = engine.create_game(founding, seed=2)
    prk, _ = engine.join(c.code, "PRK", "Pyongyang")
    with pytest.raises(GameError, match="list of"):
        engine.submit(prk, "hold")
    with pytest.raises(GameError, match="pair"):
        engine.submit(prk, [("threaten", "ROK", "now")])
