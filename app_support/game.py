"""What the game pages share: the engine (one per server and database), access from the URL, widgets.

The pages (``app_pages/game_*.py``) stay thin; the rules live in :mod:`sim.game`. Player text is
always shown as text (``st.text``, ``st.code``, dataframes), never as markdown or HTML.
"""

from __future__ import annotations

import uuid
from typing import Any

import pandas as pd
import streamlit as st

from app_support import library
from app_support.text import md
from sim.game import (
    AccessDenied,
    Clock,
    GameEngine,
    GameError,
    GameStore,
    InjectError,
    database_url,
    form_fields,
)
from sim.game.engine import moves_text
from sim.model import ACTION_MENU, LADDER

__all__ = [
    "ACTION_LABELS",
    "engine",
    "instructor_from_url",
    "team_from_url",
    "code_from_url",
    "link",
    "news_frame",
    "request_id",
    "renew",
    "scenarios",
    "watch",
    "inject_form",
    "decision_widgets",
    "action_text",
    "moves_text",
]

ACTION_LABELS = {str(r["action"]): f"{str(r['action']).replace('_', ' ')} — {r['label']}" for r in ACTION_MENU}
TAKES_TARGET = {str(r["action"]): bool(r["takes_target"]) for r in ACTION_MENU}


@st.cache_resource(show_spinner=False)
def _engine(url: str) -> GameEngine:
    eng = GameEngine(GameStore(url))
    Clock(eng).start()  # timers run out even when nobody is looking
    return eng


def engine() -> GameEngine:
    """The game engine of this server process for the configured database (with its timer clock)."""
    return _engine(database_url())


def scenarios() -> dict[str, Any]:
    """The bundled scenarios that parse, by key."""
    return {e.key: e.scenario for e in library.bundled() if e.scenario is not None}


def _param(name: str, limit: int = 64) -> str:
    v = st.query_params.get(name)
    return str(v)[:limit] if v else ""


def code_from_url() -> str:
    """The ``game`` parameter of the address (a join code), or ''."""
    return _param("game")


def _access(secret: str, check):
    """``check(code, secret)`` for the address's game and secret; None without them; refused: shown, then stop."""
    code, value = code_from_url(), _param(secret)
    if not code or not value:
        return None
    try:
        return check(code, value)
    except AccessDenied as exc:
        st.error(f"Refused: {md(exc)}.")
        st.stop()


def instructor_from_url():
    """The instructor of the game in the address (``game`` and ``key``), or None."""
    return _access("key", engine().instructor)


def team_from_url():
    """The team of the address (``game`` and ``team``), or None."""
    return _access("team", engine().team)


def link(url_path: str, **params: str) -> str:
    """An absolute link to a page of this app with query parameters."""
    base = (st.context.url or "").split("?")[0]
    root = base.rsplit("/", 1)[0] if base.count("/") > 2 else base.rstrip("/")
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return f"{root}/{url_path}" + (f"?{query}" if query else "")


def request_id(key: str) -> str:
    """A request id for the form ``key``: the same until :func:`renew` (a double click changes nothing twice)."""
    ss = st.session_state
    if f"rid_{key}" not in ss:
        ss[f"rid_{key}"] = uuid.uuid4().hex
    return ss[f"rid_{key}"]


def renew(key: str) -> None:
    """A new request id for the form ``key`` (after a request went through)."""
    st.session_state[f"rid_{key}"] = uuid.uuid4().hex


def watch(code: str, every: float = 1.0, show=None, rerun: bool = True) -> None:
    """Show the game's status line, polled every ``every`` s; rerun the page when a turn resolves.

    ``show(public)`` draws more of the game's status inside the same polling fragment. Only a new
    turn (or a paused, resumed or finished game) reruns the whole page, so that another team's
    submission does not disturb a student who is typing.
    """

    @st.fragment(run_every=every)
    def _poll() -> None:
        pub = engine().status(code)
        st.text(status_line(pub))  # first: the new turn shows at once, before the page reruns
        now = (pub["turn"], pub["step"], pub["status"])
        seen = st.session_state.get(f"seen_{code}")
        st.session_state[f"seen_{code}"] = now
        if rerun and seen is not None and seen != now:
            st.rerun()
        if show is not None:
            show(pub)

    _poll()


def news_frame(news: list[dict[str, Any]]) -> pd.DataFrame:
    """The news feed as a table (shown as text)."""
    return pd.DataFrame([{"date": r["date"], "what": r["why"]} for r in news], columns=["date", "what"])


def action_text(action: str | None, target: str | None) -> str:
    """``threaten → CHN``."""
    if not action:
        return ""
    return action.replace("_", " ") + (f" → {target}" if target else "")


def status_line(game: dict[str, Any]) -> str:
    """Turn, step, status and time left, in one line of plain text."""
    left = game["seconds_left"]
    timer = f" · {left:.0f} s left" if left is not None else ""
    return (f"Turn {game['turn']} · step {game['step']} of {game['horizon']} · {game['status']}{timer}")


def decision_widgets(key: str, codes: list[str], own: str | None, max_moves: int = 1) -> list[tuple[str, str | None]]:
    """Move selectors: a main action and target, then up to ``max_moves - 1`` optional further moves.

    The action menu is the model's agents'; a further move is usually toward another state (the
    model allows at most one of arm, balance and bandwagon, and caps hostile moves, a step).
    """
    others = [c for c in codes if c != own]
    moves: list[tuple[str, str | None]] = []
    for n in range(1, max(1, int(max_moves)) + 1):
        suffix = "" if n == 1 else str(n)
        if n == 1:
            action = st.selectbox("Action", list(ACTION_LABELS), format_func=ACTION_LABELS.get, key=f"{key}_action")
        else:
            options = [""] + [a for a in ACTION_LABELS if a != "hold"]
            action = st.selectbox(f"Move {n} (optional)", options, key=f"{key}_action{suffix}",
                                  format_func=lambda a: ACTION_LABELS.get(a, "(none)"),
                                  help="A further move this turn, usually toward another state.")
            if not action:
                continue
        takes = TAKES_TARGET[action]
        target = st.selectbox("Toward" if n == 1 else f"Toward (move {n})", others, key=f"{key}_target{suffix}",
                              disabled=not takes,
                              help="The state the action is aimed at (for balancing: the partner to align with).")
        moves.append((action, target if takes else None))
    return moves


def inject_form(who, codes: list[str]) -> None:
    """The inject form: one widget per field of the chosen event type; problems shown on their fields."""
    from sim.scenario.events import EVENT_SPECS

    eng = engine()
    etype = st.selectbox("Event type", list(EVENT_SPECS), format_func=lambda t: EVENT_SPECS[t].title, key="inj_type")
    errors: dict[str, str] = st.session_state.get("inj_errors", {}) if st.session_state.get("inj_errors_for") == etype else {}
    values: dict[str, Any] = {}
    for f in form_fields(etype):
        k = f"inj_{etype}_{f.name}"
        if f.kind == "actor":
            values[f.name] = st.selectbox(f.label, codes, key=k)
        elif f.kind == "actors":
            values[f.name] = st.multiselect(f.label, codes, key=k)
        elif f.kind in ("number", "integer"):
            is_int = f.kind == "integer"
            cast = int if is_int else float
            values[f.name] = st.number_input(f.label, value=cast(f.default if f.default is not None else (f.low or 0)),
                                             min_value=None if f.low is None else cast(f.low),
                                             max_value=None if f.high is None else cast(f.high),
                                             step=1 if is_int else 0.1, key=k)
        elif f.kind == "flag":
            values[f.name] = st.checkbox(f.label, value=bool(f.default), key=k)
        elif f.kind == "choice":
            choices = list(f.choices)
            values[f.name] = st.selectbox(f.label, choices, key=k,
                                          index=choices.index(f.default) if f.default in choices else 0)
        else:
            values[f.name] = st.text_input(f.label, value=f.default or "", max_chars=300, key=k)
        if f.name in errors:
            st.error(f"{f.name}: {md(errors[f.name])}", icon="⚠️")
    if "" in errors:
        st.error(md(errors[""]), icon="⚠️")
    if st.button("Inject at the next step", key="inj_go"):
        try:
            ev = eng.inject(who, etype, values, request_id=request_id("inject"))
        except InjectError as exc:
            st.session_state["inj_errors"], st.session_state["inj_errors_for"] = exc.errors, etype
            st.rerun()
        except GameError as exc:
            st.error(md(exc))
        else:
            renew("inject")
            st.session_state.pop("inj_errors", None)
            st.session_state["inj_done"] = f"Injected: {EVENT_SPECS[etype].title} by {ev.get('actor', '')} at step {ev.get('step', '')}."
            st.rerun()
    if st.session_state.get("inj_done"):
        st.success(st.session_state["inj_done"])


def rung_label(k: int) -> str:
    """``6 — limited strike``."""
    return f"{k} — {LADDER[k]}"
