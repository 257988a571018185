"""The game engine: sessions, teams, turns, the model's recommendations, the instructor's controls.

A game is a scenario (and variant) played from one seed; teams play states, the model plays the
rest. Play is stored, never held only in memory: the world after any number of turns is rebuilt by
replaying the stored turns from the seed (the model is deterministic), so a restarted server
resumes every game where it was. A live model per game is kept as a cache of that replay.

Access: a game's join code (``secrets.token_urlsafe``) admits students; claiming a state gives a
team token (shared by the team's students); the instructor key guards the console. Tokens and keys
are stored hashed. Every call that acts names the game and presents its secret, and the team's
token must belong to that game.

The model is used through exactly these calls: ``CrisisModel(scenario, seed)``,
``CrisisModel.step(overrides)`` (a state's list of :class:`~sim.model.Decision`, empty to hold),
``CrisisModel.peek_decisions()`` (every state's list of decisions with why), and public reads of
its world, log and ``params.decision`` (``max_dyads``, how many moves a state makes a step). A
team's moves are checked by the model itself, on a copy of the live world, when they are
submitted; a move the model refuses later in a turn of several steps leaves that state to the
model for that step (the refusal is in the team's news), deterministically, so replay repeats it.

The parts: :mod:`sim.game.access` (errors, proofs of access, hashed secrets), :mod:`sim.game.moves`
(the action menu, moves in words), :mod:`sim.game.live` (the replayed model), :mod:`sim.game.clock`
(the turn timer's thread); their public names are re-exported here.
"""

from __future__ import annotations

import copy
import json
import secrets
import threading
import time
from collections.abc import Sequence
from typing import Any

from sim.game.access import (
    MAX_NAME,
    MAX_RATIONALE,
    AccessDenied,
    Created,
    GameError,
    Instructor,
    Team,
    clean_text,
    hash_secret,
)
from sim.game.clock import Clock
from sim.game.injects import build_inject, with_events
from sim.game.live import Live, step_live
from sim.game.moves import ACTIONS, Move, as_decisions, moves_text, rec_columns
from sim.game.store import (
    Conflict,
    DecisionRow,
    GameRow,
    GameStore,
    InjectRow,
    PredictionRow,
    TeamRow,
    TurnRow,
)
from sim.model import LADDER, CrisisModel, Decision
from sim.scenario.schema import Scenario

__all__ = [
    "AccessDenied",
    "GameEngine",
    "GameError",
    "Instructor",
    "Team",
    "Created",
    "MAX_RATIONALE",
    "MAX_NAME",
    "Clock",
    "Move",
    "moves_text",
]



class GameEngine:
    """Games over a :class:`GameStore` (thread-safe; one engine per server process).

    Args:
        store: The repository (default: a store at :func:`~sim.game.store.database_url`).
    """

    def __init__(self, store: GameStore | None = None) -> None:
        self.store = store or GameStore()
        self._live: dict[int, Live] = {}
        self._locks: dict[int, threading.RLock] = {}
        self._guard = threading.Lock()

    def _lock(self, game_id: int) -> threading.RLock:
        with self._guard:
            return self._locks.setdefault(game_id, threading.RLock())

    # ================================================================== sessions and access
    def create_game(self, scenario: Scenario, *, variant: str | None = None, seed: int = 0, steps_per_turn: int = 1,
                    timer_seconds: int = 0, title: str | None = None) -> Created:
        """Start a game from ``scenario`` (a variant applied by name); returns its code and instructor key."""
        sc = scenario.with_variant(variant) if variant else scenario
        if not 1 <= int(steps_per_turn) <= sc.calendar.horizon:
            raise GameError(f"a turn covers 1 to {sc.calendar.horizon} steps, not {steps_per_turn}")
        if not 0 <= int(timer_seconds) <= 3600:
            raise GameError("the timer is 0 (none) to 3600 seconds")
        if not 0 <= int(seed) < 2**31:
            raise GameError(f"the seed is a whole number from 0 to {2**31 - 1}")
        code, key = secrets.token_urlsafe(12), secrets.token_urlsafe(18)
        now = time.time()
        row = GameRow(code=code, key_hash=hash_secret(key), title=clean_text(title, 200) or sc.title,
                      scenario_json=scenario.model_dump_json(), variant=variant if variant not in (None, "", "baseline") else None,
                      seed=int(seed), steps_per_turn=int(steps_per_turn), timer_seconds=int(timer_seconds),
                      status="running", turn=0, attempt=0, step=0, horizon=sc.calendar.horizon,
                      deadline=now + timer_seconds if timer_seconds else None, paused_remaining=None,
                      reveal=False, version=0, created_at=now)
        self.store.add(row)
        return Created(row.id, code, key)

    def game(self, code: str) -> GameRow:
        """The game of a join code (what the projector and the join page show).

        Raises:
            AccessDenied: no game has this code.
        """
        g = self.store.game_by_code(str(code or "")[:64])
        if g is None:
            raise AccessDenied("no game has this code: check the link the instructor gave")
        return g

    def instructor(self, code: str, key: str) -> Instructor:
        """Check an instructor key.

        Raises:
            AccessDenied: a wrong code or key.
        """
        g = self.game(code)
        if not secrets.compare_digest(g.key_hash, hash_secret(str(key or ""))):
            raise AccessDenied("this instructor key does not open this game")
        return Instructor(g.id, g.code)

    def team(self, code: str, token: str) -> Team:
        """Check a team token against this game.

        Raises:
            AccessDenied: the token is not a team of this game.
        """
        g = self.game(code)
        t = self.store.team_by_token(g.id, hash_secret(str(token or "")))
        if t is None:
            raise AccessDenied("this team link does not belong to this game")
        return Team(g.id, g.code, t.id, t.state, t.name)

    def join(self, code: str, state: str, team_name: str) -> tuple[Team, str]:
        """Claim ``state`` for a new team; returns the team and its token (the team's link to share).

        Raises:
            AccessDenied: the state is another team's (its students share that team's link).
            GameError: unknown state or bad name.
        """
        g = self.game(code)
        sc = self.scenario(g)
        if state not in sc.codes:
            raise GameError(f"{state!r} is not a state of this game (states: {', '.join(sc.codes)})")
        name = clean_text(team_name, MAX_NAME) or state
        token = secrets.token_urlsafe(18)
        row = TeamRow(game_id=g.id, state=state, name=name, token_hash=hash_secret(token), created_at=time.time())
        try:
            self.store.add(row)
        except Conflict:
            raise AccessDenied(f"{state} is played by another team: ask that team for its link") from None
        self.store.update_game(g.id)
        return Team(g.id, g.code, row.id, state, name), token

    def unclaimed(self, code: str) -> list[str]:
        """States of a game no team has claimed (the model plays them)."""
        g = self.game(code)
        taken = {t.state for t in self.store.teams(g.id)}
        return [c for c in self.scenario(g).codes if c not in taken]

    # ================================================================== the world (replayed)
    def scenario(self, g: GameRow, *, injects: bool = False) -> Scenario:
        """The game's scenario (variant applied; with the injected events when asked)."""
        sc = Scenario.model_validate_json(g.scenario_json)
        sc = sc.with_variant(g.variant) if g.variant else sc
        if injects:
            sc = with_events(sc, [json.loads(i.event_json) for i in self.store.injects(g.id)])
        return sc

    def _version(self, g: GameRow) -> tuple:
        return (g.turn, g.attempt, g.step, len(self.store.injects(g.id)))

    def _model(self, g: GameRow) -> Live:
        """The live model of a game at its stored state: cached, or rebuilt by replaying the stored turns.

        The caller holds the game's lock and has read ``g`` under it (turns resolve under that lock).
        """
        v = self._version(g)
        live = self._live.get(g.id)
        if live is not None and live.version == v:
            return live
        model = CrisisModel(self.scenario(g, injects=True), g.seed)
        decisions = self.store.decisions(g.id)
        live = Live(v, model)
        for t in self.store.turns(g.id):
            chosen = {d.state: as_decisions(d.state, d.moves) for d in decisions
                      if d.turn == t.number and d.attempt == t.attempt and d.source in ("team", "instructor")}
            for _ in range(t.steps):
                step_live(live, chosen)
            live.turn_steps.append((t.start_step, t.steps))
        if live.model.steps_done != g.step:
            raise GameError(f"the stored turns replay to step {live.model.steps_done}, the game says {g.step}")
        self._live[g.id] = live
        return live

    def recommendations(self, g: GameRow) -> dict[str, list[Decision]]:
        """What the model would choose for every state at the next step, each move with why.

        A state that would hold has a single ``hold`` decision (its why says why) or an empty list.
        """
        with self._lock(g.id):
            g = self.store.game(g.id)  # as it is now (another thread may have resolved a turn)
            live = self._model(g)
            if live.peek is None:
                live.peek = live.model.peek_decisions() if g.step < g.horizon else {}
            return {c: list(ds) for c, ds in live.peek.items()}

    # ================================================================== what a team sees
    def team_view(self, team: Team) -> dict[str, Any]:
        """What a team's state knows: the briefing, its perceptions, the public rungs, the last turn's news.

        Other states' perceptions and the other teams' pending decisions are not in it.
        """
        g = self.store.game(team.game_id)
        with self._lock(g.id):
            g = self.store.game(g.id)  # as it is now (another thread may have resolved a turn)
            live = self._model(g)
            m = live.model
            w = m.world
            i = m.idx[team.state]
            rows = []
            for j, c in enumerate(w.codes):
                if j == i:
                    continue
                rows.append({"state": c, "threat": round(float(w.threat[0, i, j]), 2),
                             "belief_greedy": round(float(w.belief[0, i, j]), 2),
                             "our_pledge": round(float(w.pledge[0, i, j]), 2),
                             "their_pledge": round(float(w.pledge[0, j, i]), 2),
                             "rung": int(w.level[0, i, j]), "rung_label": LADDER[int(w.level[0, i, j])]})
            news = self._news(g, live, viewer=team.state)
        mine = [d for d in self.store.decisions(g.id, g.turn, g.attempt) if d.state == team.state]
        sc = self.scenario(g)
        return {"game": self._public(g), "state": team.state, "team": team.name,
                "briefing": sc.briefing.summary, "question": sc.briefing.question or "",
                "perceptions": rows, "news": news,
                "max_moves": live.model.params.decision.max_dyads + 1,  # toward other states, and one policy
                "submitted": ({"moves": mine[0].moves, "rationale": mine[0].rationale,
                               "source": mine[0].source} if mine else None)}

    def _news(self, g: GameRow, live: Live, viewer: str | None) -> list[dict[str, Any]]:
        """The records of the last resolved turn; a viewer sees public acts and only its own perceptions."""
        if not live.turn_steps:
            return []
        start, steps = live.turn_steps[-1]
        out = [{"step": r["step"], "date": "", "kind": "refused", "actor": r["actor"], "target": None, "type": "",
                "why": f"the model refused this move and decided for {r['actor']}: {r['why']}"}
               for r in live.refused if start <= r["step"] < start + steps and viewer in (None, r["actor"])]
        for r in live.model.log.records:
            if not start <= r["step"] < start + steps:
                continue
            if r["kind"] == "perception" and viewer is not None and r["actor"] != viewer:
                continue
            out.append({"step": r["step"], "date": r["date"], "kind": r["kind"], "actor": r["actor"],
                        "target": r["target"], "type": r["type"], "why": r["why"]})
        return out

    def _public(self, g: GameRow) -> dict[str, Any]:
        teams = self.store.teams(g.id)
        done = {d.state for d in self.store.decisions(g.id, g.turn, g.attempt)}
        left = None
        if g.status == "running" and g.deadline is not None:
            left = max(0.0, g.deadline - time.time())
        elif g.status == "paused":
            left = g.paused_remaining
        return {"code": g.code, "title": g.title, "status": g.status, "turn": g.turn + 1, "step": g.step,
                "horizon": g.horizon, "steps_per_turn": g.steps_per_turn, "timer_seconds": g.timer_seconds,
                "seconds_left": left, "version": g.version, "reveal": g.reveal,
                "teams": [{"state": t.state, "name": t.name, "submitted": t.state in done} for t in teams]}

    def projector(self, code: str) -> dict[str, Any]:
        """The room's view: the game's status, the rungs between states, the last turn's public news.

        After the instructor's reveal-all, every state's perceptions of the last turn too.
        """
        g = self.game(code)
        with self._lock(g.id):
            g = self.store.game(g.id)  # as it is now (another thread may have resolved a turn)
            live = self._model(g)
            w = live.model.world
            n = len(w.codes)
            rungs = [{"dyad": f"{w.codes[i]}–{w.codes[j]}", "rung": int(w.level[0, i, j]), "label": LADDER[int(w.level[0, i, j])]}
                     for i in range(n) for j in range(i + 1, n) if w.level[0, i, j] > 0]
            rungs.sort(key=lambda r: -r["rung"])
            news = self._news(g, live, viewer=None if g.reveal else "")
            peak = int(live.model.system["max_level"][: g.step + 1, 0].max())
        return {"game": self._public(g), "rungs": rungs, "news": news, "peak": peak}

    def status(self, code: str) -> dict[str, Any]:
        """The game's public status: turn, step, timer, teams and who has submitted (no world needed)."""
        return self._public(self.game(code))

    def poll(self, code: str) -> tuple[int, str, float | None]:
        """(version, status, deadline) of a game: cheap, for clients that refresh when it changes."""
        return self.store.version(self.game(code).id)

    # ================================================================== decisions
    def check_moves(self, g: GameRow, state: str, moves: Sequence[Move | Decision]) -> list[Move]:
        """Moves the menu and the model allow for ``state`` at the next step (an empty list: hold).

        Each move is a known action with a target when it takes one (never the state itself); the
        model then checks the rest on a copy of the live world: at most ``decision.max_dyads``
        moves toward other states, besides at most one of arm, balance and bandwagon, at most ``decision.max_hostile`` hostile
        ones, and what the situation allows (a clash needs a dyad at rung 4, ...).

        Raises:
            GameError: the reason, for the player.
        """
        out: list[Move] = []
        codes = self.scenario(g).codes
        if isinstance(moves, str):
            raise GameError("moves are a list of (action, target) pairs, e.g. [('threaten', 'ROK')]")
        for mv in moves:
            if not isinstance(mv, Decision) and (isinstance(mv, str) or len(mv) != 2):
                raise GameError(f"a move is an (action, target) pair, not {mv!r}")
            action, target = (mv.action, mv.target) if isinstance(mv, Decision) else (mv[0], mv[1])
            if action not in ACTIONS:
                raise GameError(f"unknown action {action!r} (the menu: {', '.join(ACTIONS)})")
            if action == "hold":
                continue
            if not ACTIONS[action][1]:
                out.append((action, None))
                continue
            if target not in codes:
                raise GameError(f"{ACTIONS[action][0]} needs a target state (one of {', '.join(c for c in codes if c != state)})")
            if target == state:
                raise GameError(f"{state} cannot {action.replace('_', ' ')} itself")
            out.append((action, target))
        if len(set(out)) != len(out):
            raise GameError("the same move twice")
        if out:
            with self._lock(g.id):
                live = self._model(self.store.game(g.id))
                if live.model.steps_done < g.horizon:
                    try:
                        copy.deepcopy(live.model).step({state: as_decisions(state, out)})
                    except ValueError as exc:
                        raise GameError(str(exc)) from None
        return out

    def submit(self, team: Team, moves: Sequence[Move | Decision], rationale: str = "", *,
               request_id: str | None = None, turn: int | None = None) -> bool:
        """Submit (or change) the team's moves for the open turn; resolves the turn when it was the last.

        Args:
            team: The team (from :meth:`team`): it acts only for its own state.
            moves: ``(action, target)`` pairs (or :class:`~sim.model.Decision`) of
                :data:`~sim.model.ACTION_MENU`: at most the model's ``decision.max_dyads`` moves
                toward other states (two by default) and one policy (arm, balance or bandwagon); empty or ``[("hold", None)]``: hold.
            rationale: Why (at most :data:`MAX_RATIONALE` characters; kept as plain text).
            request_id: A client-made id: the same request sent twice changes nothing twice.
            turn: The turn (1-based) the team saw; a decision for a turn already resolved is refused.

        Returns:
            False for a replayed request (already stored), True otherwise.
        """
        g = self.store.game(team.game_id)
        if g.status == "finished":
            raise GameError("the game is over")
        if self.store.request_seen(DecisionRow, request_id):
            return False
        if turn is not None and int(turn) != g.turn + 1:
            raise GameError(f"turn {turn} is closed; this is turn {g.turn + 1}: look at the news and decide again")
        row = self._row(g, team.team_id, team.state, self.check_moves(g, team.state, moves), rationale, "team")
        row.request_id = (request_id or None) and str(request_id)[:64]
        try:
            fresh = self.store.upsert_decision(row)
        except Conflict:
            return False  # the same request id raced in twice
        if fresh:
            self._resolve_if_ready(g.id)
        return fresh

    @staticmethod
    def _row(g: GameRow, team_id: int | None, state: str, moves: list[Move], rationale: str, source: str) -> DecisionRow:
        moves = [mv for mv in moves if mv[0] != "hold"]
        first = moves[0] if moves else ("hold", None)
        return DecisionRow(game_id=g.id, team_id=team_id, state=state, turn=g.turn, attempt=g.attempt,
                           action=first[0], target=first[1], more_json=json.dumps([list(m) for m in moves[1:]]),
                           rationale=clean_text(rationale, MAX_RATIONALE), source=source, request_id=None,
                           updated_at=time.time())

    def recommend(self, team: Team) -> list[Decision]:
        """What the model would do for the team's state at the next step, each move with why (see :meth:`recommendations`)."""
        g = self.store.game(team.game_id)
        return self.recommendations(g).get(team.state, [])

    def predict(self, code: str, student: str, peak: int, why: str = "", *, team: Team | None = None,
                request_id: str | None = None) -> bool:
        """Record a student's prediction of the highest rung the crisis will reach (0–10)."""
        g = self.game(code)
        if team is not None and team.game_id != g.id:
            raise AccessDenied("this team is not in this game")
        if not 0 <= int(peak) <= 10:
            raise GameError("a rung is 0 to 10")
        row = PredictionRow(game_id=g.id, team_id=team.team_id if team else None, student=clean_text(student, MAX_NAME) or "anonymous",
                            peak=int(peak), why=clean_text(why, MAX_RATIONALE), request_id=(request_id or None) and str(request_id)[:64],
                            created_at=time.time())
        try:
            return self.store.add_prediction(row)
        except Conflict:
            return False

    # ================================================================== resolution
    def _resolve_if_ready(self, game_id: int) -> None:
        g = self.store.game(game_id)
        if g.status != "running":
            return
        teams = {t.state for t in self.store.teams(g.id)}
        done = {d.state for d in self.store.decisions(g.id, g.turn, g.attempt)}
        if teams and teams <= done:
            self._resolve(g.id, "all_submitted", expect=(g.turn, g.attempt))

    def tick(self, code: str | None = None) -> int:
        """Resolve every running turn whose timer ran out (all games, or one); returns how many."""
        now = time.time()
        games = [self.game(code)] if code else self.store.due(now)
        n = 0
        for g in games:
            if g.status == "running" and g.deadline is not None and now >= g.deadline:
                n += self._resolve(g.id, "timer", expect=(g.turn, g.attempt))
        return n

    def _resolve(self, game_id: int, how: str, expect: tuple[int, int] | None = None) -> int:
        """Resolve the open turn: the teams' decisions, the model's for the rest; returns 1 if it did."""
        t0 = time.perf_counter()
        with self._lock(game_id):
            g = self.store.game(game_id)
            if g.status != "running" or (expect is not None and (g.turn, g.attempt) != expect):
                return 0  # paused or finished meanwhile, or the turn was resolved or undone meanwhile
            live = self._model(g)
            recs = self.recommendations(g)
            stored = {d.state: d for d in self.store.decisions(g.id, g.turn, g.attempt)}
            chosen = {s: as_decisions(s, d.moves) for s, d in stored.items() if d.source in ("team", "instructor")}
            now = time.time()
            defaults = [self._row(g, t.id, t.state, [(d.action, d.target) for d in recs[t.state]], "", "model")
                        for t in self.store.teams(g.id) if t.state not in stored and t.state in recs]
            steps = min(g.steps_per_turn, g.horizon - g.step)
            try:
                for _ in range(steps):
                    step_live(live, chosen)
                new_step = g.step + steps
                values = {"turn": g.turn + 1, "step": new_step, "status": "finished" if new_step >= g.horizon else "running",
                          "deadline": now + g.timer_seconds if g.timer_seconds and new_step < g.horizon else None}
                turn = TurnRow(game_id=g.id, number=g.turn, attempt=g.attempt, start_step=g.step, steps=steps, how=how,
                               undone=False, resolved_at=now, seconds=time.perf_counter() - t0)
                self.store.resolve_turn(turn, defaults, {s: rec_columns(ds) for s, ds in recs.items()}, values)
            except Conflict:
                self._live.pop(g.id, None)
                return 0
            except BaseException:
                self._live.pop(g.id, None)
                raise
            live.version = (values["turn"], g.attempt, new_step, live.version[3])
            live.peek = None
            live.turn_steps.append((g.step, steps))
            return 1

    # ================================================================== the instructor's console
    def advance(self, who: Instructor) -> int:
        """Resolve the open turn now (the model decides for teams that have not submitted)."""
        g = self.store.game(who.game_id)
        if g.status == "paused":
            raise GameError("the game is paused: resume it first")
        return self._resolve(who.game_id, "instructor", expect=(g.turn, g.attempt))

    def pause(self, who: Instructor) -> None:
        """Pause: the timer stops; no turn resolves until the game resumes."""
        g = self.store.game(who.game_id)
        if g.status != "running":
            return
        left = None if g.deadline is None else max(0.0, g.deadline - time.time())
        self.store.update_game(g.id, status="paused", paused_remaining=left, deadline=None)

    def resume(self, who: Instructor) -> None:
        """Resume a paused game (the timer goes on from where it stopped)."""
        g = self.store.game(who.game_id)
        if g.status != "paused":
            return
        left = g.paused_remaining
        self.store.update_game(g.id, status="running", paused_remaining=None,
                               deadline=None if left is None else time.time() + left)
        self._resolve_if_ready(g.id)

    def set_timing(self, who: Instructor, steps_per_turn: int, timer_seconds: int) -> None:
        """Set the turn length (steps) and the timer (seconds, 0 = none); the open turn's timer restarts."""
        g = self.store.game(who.game_id)
        if not 1 <= int(steps_per_turn) <= g.horizon:
            raise GameError(f"a turn covers 1 to {g.horizon} steps")
        if not 0 <= int(timer_seconds) <= 3600:
            raise GameError("the timer is 0 (none) to 3600 seconds")
        deadline = time.time() + timer_seconds if timer_seconds and g.status == "running" else None
        paused = float(timer_seconds) if timer_seconds and g.status == "paused" else None
        self.store.update_game(g.id, steps_per_turn=int(steps_per_turn), timer_seconds=int(timer_seconds),
                               deadline=deadline, paused_remaining=paused)

    def set_reveal(self, who: Instructor, reveal: bool) -> None:
        """Reveal-all on the projector (every state's perceptions), or hide again."""
        self.store.update_game(who.game_id, reveal=bool(reveal))

    def override(self, who: Instructor, state: str, moves: Sequence[Move | Decision], rationale: str = "") -> None:
        """Set a state's moves for the open turn (a team's or a model-played state's; empty: hold)."""
        g = self.store.game(who.game_id)
        if g.status == "finished":
            raise GameError("the game is over")
        if state not in self.scenario(g).codes:
            raise GameError(f"{state!r} is not a state of this game")
        checked = self.check_moves(g, state, moves)
        team = next((t for t in self.store.teams(g.id) if t.state == state), None)
        self.store.upsert_decision(self._row(g, team.id if team else None, state, checked, rationale, "instructor"))

    def undo(self, who: Instructor) -> bool:
        """Undo the last resolved turn: the world goes back to its start; teams decide it again (history is kept)."""
        with self._lock(who.game_id):
            g = self.store.game(who.game_id)
            turns = self.store.turns(g.id)
            if not turns:
                return False
            last = turns[-1]
            now = time.time()
            self.store.undo_turn(last.id, {"turn": last.number, "attempt": g.attempt + 1, "step": last.start_step,
                                           "status": "running" if g.status == "finished" else g.status,
                                           "deadline": now + g.timer_seconds if g.timer_seconds and g.status != "paused" else None})
            self._live.pop(g.id, None)
            return True

    def inject(self, who: Instructor, event_type: str, values: dict[str, Any], *, request_id: str | None = None) -> dict[str, Any]:
        """Inject an event of the scenario language at the next step to run.

        Raises:
            InjectError: the values break the scenario language (errors located on the fields).
        """
        with self._lock(who.game_id):
            g = self.store.game(who.game_id)
            if g.status == "finished":
                raise GameError("the game is over")
            if self.store.request_seen(InjectRow, request_id):
                return {}
            sc = self.scenario(g, injects=True)
            ev = build_inject(sc, event_type, values, g.step, f"inject-{len(self.store.injects(g.id)) + 1}")
            try:
                self.store.add_inject(InjectRow(game_id=g.id, step=g.step, event_json=json.dumps(ev),
                                                request_id=(request_id or None) and str(request_id)[:64], created_at=time.time()))
            except Conflict:
                return {}
            self._live.pop(g.id, None)
            return ev

    def reveal_all(self, who: Instructor) -> dict[str, Any]:
        """Everything: every state's perceptions, this turn's decisions so far, the model's recommendations."""
        g = self.store.game(who.game_id)
        with self._lock(g.id):
            g = self.store.game(g.id)  # as it is now (another thread may have resolved a turn)
            live = self._model(g)
            w = live.model.world
            n = len(w.codes)
            perceptions = [{"perceiver": w.codes[i], "source": w.codes[j], "threat": round(float(w.threat[0, i, j]), 2),
                            "belief_greedy": round(float(w.belief[0, i, j]), 2), "pledge": round(float(w.pledge[0, i, j]), 2)}
                           for i in range(n) for j in range(n) if i != j]
            news = self._news(g, live, viewer=None)
        recs = self.recommendations(g)
        pending = [{"state": d.state, "moves": moves_text(d.moves), "rationale": d.rationale, "source": d.source}
                   for d in self.store.decisions(g.id, g.turn, g.attempt)]
        return {"game": self._public(g), "perceptions": perceptions, "news": news, "pending": pending,
                "recommendations": [{"state": c, "action": d.action, "target": d.target, "why": d.why}
                                    for c, ds in recs.items() for d in (ds or [Decision(c, "hold")])],
                "injects": [json.loads(i.event_json) for i in self.store.injects(g.id)]}

    def model_of(self, who: Instructor) -> CrisisModel:
        """The game's model at its current state (for the debrief; do not step it)."""
        with self._lock(who.game_id):
            return self._model(self.store.game(who.game_id)).model


