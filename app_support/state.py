"""Per-session state, the shareable URL, cached calls and cancellable progress for the app.

Streamlit code (with :mod:`app_support.views`, the page sections several pages share); the other
modules of ``app_support`` are plain Python.

* **State.** The sidebar (drawn by ``app.py`` on every page) holds the scenario, variant, seed and
  run count; their widget keys are :data:`SCENARIO`, :data:`VARIANT`, :data:`SEED`, :data:`RUNS`.
  Uploaded and edited scenarios and the user's what-ifs live in ``st.session_state`` only, so one
  session never sees another's.
* **URL.** On a session's first run the query parameters ``scenario``, ``variant``, ``seed``,
  ``runs`` (and ``page``) are read into the sidebar; after that the sidebar's values are written
  back on every run, so the address bar always reproduces what is on screen.
* **Caching.** Results are cached under a content hash of the scenario plus variant, seed and runs;
  equal inputs share results across sessions, different ones never do. Single runs, ensembles,
  comparisons and explanations live in two caches bounded by memory, not by count
  (:func:`lru`, :mod:`app_support.memcache`; ``$FLASHPOINT_APP_CACHE_MB``, default 1 GiB): the
  least recently used go first, and a scenario whose one run would not fit is refused up front with
  its cost (:func:`check_run_cost`). Before an ensemble or a comparison runs, its cost (time on the
  pool's workers, memory) is estimated with the CLI's :mod:`sim.ensemble.budget` and shown; beyond
  the budget's limits, or beyond :func:`max_wall_seconds` of waiting, it is refused with the figures
  (:func:`ensemble_cost`). Objects are kept, not copied: the app only reads them (a copy per
  rerun would cost a pickle of about 25 MB, 0.06–0.1 s, for a 200-run ensemble).
* **Progress.** Ensembles run in a worker thread while the script thread draws a progress bar; a
  click on *Cancel*, *Stop* or any other widget interrupts the script, which tells the worker to
  stop at its next progress report. Nothing partial is cached.
"""

from __future__ import annotations

import concurrent.futures as cf
import multiprocessing
import threading
import traceback
from collections.abc import Callable
from typing import Any

import streamlit as st
from streamlit.runtime.scriptrunner import add_script_run_ctx, get_script_run_ctx

from app_support import library, memcache
from app_support.envnum import env_number
from app_support.text import md
from sim.errors import FlashpointError, ScenarioError
from sim.scenario.schema import Scenario, Variant

__all__ = [
    "SCENARIO", "VARIANT", "SEED", "RUNS", "MAX_RUNS", "PAGES",
    "init_session", "sidebar", "write_url", "entries", "current", "current_scenario", "share_query",
    "add_user_scenario", "variant_name", "applied", "whatifs", "save_whatif", "scenario_with_whatifs", "show_error",
    "error_lines", "details", "words", "DETAILS", "lru", "check_run_cost", "ensemble_cost", "max_wall_seconds",
    "world", "single_run", "ensemble", "comparison", "explanations", "ensemble_or_error", "executor", "warm_executor", "Cancelled", "task_runs",
]

SCENARIO, VARIANT, SEED, RUNS = "fp_scenario", "fp_variant", "fp_seed", "fp_runs"
USER = "fp_user_scenarios"
WHATIFS = "fp_whatifs"
#: Prefix of the plain (non-widget) copies of the sidebar's values, which survive page switches.
KEEP = "keep_"
#: Widget key of the sidebar's "details for analysts" toggle (off: plain words and state names).
DETAILS = "fp_details"
#: A variant to select on the next run (set by a page; the sidebar adopts it before drawing its widget).
PENDING_VARIANT = "fp_pending_variant"
MAX_RUNS = 2000
DEFAULT_RUNS = 200
#: The scenario shown first (the founding case), when it is in the library.
DEFAULT_SCENARIO = "korea-russia-2024"
#: url_path of every page (``?page=`` accepts these).
PAGES = ("library", "scenario", "run", "compare", "editor", "classroom", "present", "about")


#: Most runs one pool task carries. The model steps a task's runs together, so a few large tasks
#: beat many small ones: 200 runs of the founding scenario took 0.48 s as one task, 0.68 s as two
#: of 100 and 0.97 s as the library's default four of 50 (2 vCPUs, shared). Larger ensembles are cut
#: into tasks of this size, so that the progress bar moves and Cancel acts within about a second.
TASK_RUNS = 256
#: How often the script thread looks at a running ensemble's progress (seconds).
POLL_SECONDS = 0.03


class Cancelled(Exception):
    """Raised inside a worker when the user cancelled the computation."""


# --------------------------------------------------------------------------------------------- library
@st.cache_data(ttl=60, show_spinner=False)
def _bundled() -> list[library.Entry]:
    return library.bundled()


def entries() -> dict[str, library.Entry]:
    """Every scenario this session can open: the bundled ones, then its own uploads and edits."""
    out = {e.key: e for e in _bundled()}
    out.update(st.session_state.get(USER, {}))
    return out


def add_user_scenario(kind: str, filename: str, text: str, scenario: Scenario) -> str:
    """Keep an uploaded or edited scenario in this session; returns its key (``upload:id``)."""
    key = f"{kind}:{scenario.id}"
    st.session_state.setdefault(USER, {})[key] = library.Entry(key, library.safe_name(filename), text, scenario)
    return key


def select_scenario(key: str, variant: str = "baseline") -> None:
    """Make ``key`` the current scenario (use as a widget callback, before the sidebar is drawn)."""
    st.session_state[SCENARIO] = st.session_state[KEEP + SCENARIO] = key
    st.session_state[VARIANT] = st.session_state[KEEP + VARIANT] = variant


# --------------------------------------------------------------------------------------------- URL
def _int(value: Any, lo: int, hi: int) -> int | None:
    try:
        v = int(str(value))
    except (TypeError, ValueError):
        return None
    return v if lo <= v <= hi else None


def init_session() -> str | None:
    """Set defaults and, on the session's first run, adopt the URL's query parameters.

    Returns:
        The ``page`` the URL asks for (``None`` if none or unknown).
    """
    ss = st.session_state
    if "fp_started" in ss:
        return None
    ss["fp_started"] = True
    warm_executor()
    qp = st.query_params
    ents = entries()
    problems = []
    key = qp.get("scenario")
    if key is not None and key not in ents:
        problems.append(f"the link names the scenario '{key}', which is not in the library "
                        "(uploaded and edited scenarios stay in the browser session that made them)")
        key = None
    ss[SCENARIO] = key or _default(ents)
    variant = qp.get("variant", "baseline")
    sc = ents[ss[SCENARIO]].scenario if ss[SCENARIO] in ents else None
    names = ["baseline", *(sc.variant_names() if sc else [])]
    token = qp.get("whatif")
    if token and sc is not None:
        from app_support import permalink

        try:
            v = permalink.decode(token, sc)
        except FlashpointError as exc:
            problems.append(f"the what-if in the link could not be used: {exc}")
        else:
            save_whatif(sc, v)
            names.append(v.name)
    if variant not in names:
        problems.append(f"the link names the variant '{variant}', which this scenario does not have")
        variant = "baseline"
    ss[VARIANT] = variant
    seed = _int(qp.get("seed", 0), 0, 2**32 - 1)
    runs = _int(qp.get("runs", DEFAULT_RUNS), 1, MAX_RUNS)
    if seed is None:
        problems.append(f"the seed in the link ('{qp.get('seed')}') is not a whole number from 0 to 4294967295")
    if runs is None:
        problems.append(f"the run count in the link ('{qp.get('runs')}') is not a whole number from 1 to {MAX_RUNS}")
    ss[SEED] = seed if seed is not None else 0
    ss[RUNS] = runs if runs is not None else DEFAULT_RUNS
    ss["fp_url_problems"] = problems
    page = qp.get("page")
    return page if page in PAGES else None


def _default(ents: dict[str, library.Entry]) -> str | None:
    return DEFAULT_SCENARIO if DEFAULT_SCENARIO in ents else next(iter(ents), None)


def share_query() -> dict[str, str]:
    """The query parameters that reproduce the current view."""
    ss = st.session_state
    out = {"scenario": str(ss.get(SCENARIO) or ""), "variant": str(ss.get(VARIANT) or "baseline"),
           "seed": str(ss.get(SEED, 0)), "runs": str(ss.get(RUNS, DEFAULT_RUNS))}
    e = entries().get(ss.get(SCENARIO))
    mine = {v.name: v for v in whatifs(e.scenario)} if e is not None and e.scenario is not None else {}
    if out["variant"] in mine:  # the user's own what-if travels in the link
        from app_support import permalink

        out["whatif"] = permalink.encode(mine[out["variant"]])
    return out


def write_url() -> None:
    """Put the current scenario, variant, seed and runs in the address bar (only what changed)."""
    want = share_query()
    if {k: st.query_params.get(k) for k in st.query_params} != want:
        st.query_params.from_dict(want)


def sidebar() -> None:
    """The controls every page shares: scenario, variant, seed, runs; and the link to this view."""
    ss = st.session_state
    for k in (SCENARIO, VARIANT, SEED, RUNS, DETAILS):  # a page switch may drop the widgets' own state: restore it
        if k not in ss and KEEP + k in ss:
            ss[k] = ss[KEEP + k]
    if PENDING_VARIANT in ss:  # a page asked for another variant (e.g. a what-if just saved) before the widget exists
        ss[VARIANT] = ss.pop(PENDING_VARIANT)
    ents = entries()
    if ss.get(SCENARIO) not in ents:
        ss[SCENARIO] = _default(ents)
    with st.sidebar:
        st.selectbox("Scenario", list(ents), key=SCENARIO,
                     format_func=lambda k: _title(ents.get(k)) if k in ents else str(k),
                     help="The scenario every page shows. Upload or edit your own on the Library and Editor pages.")
        sc = ents[ss[SCENARIO]].scenario if ss.get(SCENARIO) in ents else None
        mine = whatifs(sc) if sc else []
        names = ["baseline", *(sc.variant_names() if sc else []), *(v.name for v in mine)]
        if ss.get(VARIANT) not in names:
            ss[VARIANT] = "baseline"
        titles = {v.name: v.title for v in (sc.variants if sc else ())}
        titles.update({v.name: (v.title or "") + " (yours, this session)" for v in mine})
        st.selectbox("Variant", names, key=VARIANT,
                     format_func=lambda n: "baseline (as written)" if n == "baseline" else f"{n} — {titles.get(n, '')}",
                     help="A named what-if of the scenario file.")
        st.number_input("Seed", min_value=0, max_value=2**32 - 1, step=1, key=SEED,
                        help="The same scenario, variant and seed always give the same run.")
        st.number_input("Runs in an ensemble", min_value=1, max_value=MAX_RUNS, step=50, key=RUNS,
                        help=f"Replications for ensembles and comparisons (1–{MAX_RUNS}).")
        st.toggle("Details for analysts", key=DETAILS,
                  help="Show record ids, CAMEO codes and Goldstein weights, pairing statistics and state codes. "
                       "Off: plain words and state names.")
        for p in ss.pop("fp_url_problems", []):
            st.warning(md(p))  # the link's text is data: never Markdown
        st.caption("The address bar holds the page, scenario, variant, seed and runs (and your what-if): copy it "
                   "to share this view.")
    for k in (SCENARIO, VARIANT, SEED, RUNS, DETAILS):
        ss[KEEP + k] = ss.get(k, False)


def details() -> bool:
    """True when the user asked for the analysts' details (record ids, CAMEO codes, state codes)."""
    return bool(st.session_state.get(DETAILS, False))


def words(text: str, scenario: Scenario | None) -> str:
    """``text`` as the user asked: as written with *Details* on, else in plain words with state names."""
    if details() or scenario is None:
        return text
    from app_support.builder import state_names
    from app_support.plainwords import plain

    return plain(text, state_names(scenario))


def _title(e: library.Entry | None) -> str:
    if e is None:
        return "?"
    prefix = {"upload": "⬆ ", "edited": "✎ "}.get(e.key.split(":", 1)[0], "") if ":" in e.key else ""
    return prefix + (e.scenario.title if e.scenario else f"{e.filename} (invalid)")


def current() -> library.Entry | None:
    """The current library entry (its scenario may be ``None`` if the file is broken)."""
    return entries().get(st.session_state.get(SCENARIO))


def current_scenario(show: bool = True, with_whatifs: bool = True) -> Scenario | None:
    """The current scenario; when it is broken, show its located errors (``show``) and return None.

    With ``with_whatifs`` this session's what-ifs of the scenario are appended as variants, so that
    they can be chosen in the sidebar and run like the file's own.
    """
    e = current()
    if e is None:
        if show:
            st.info("No scenario is selected: open one from the Library page.")
        return None
    if e.scenario is None:
        if show:
            error_lines("This scenario file has problems", str(e.error).splitlines())
        return None
    if with_whatifs and whatifs(e.scenario):
        try:
            return scenario_with_whatifs(e.scenario)
        except FlashpointError as exc:
            if show:
                show_error(exc, "Your what-ifs of this scenario no longer apply")
    return e.scenario


def variant_name() -> str:
    """The current variant's name (``baseline`` for none)."""
    return st.session_state.get(VARIANT) or "baseline"


def applied(scenario: Scenario) -> Scenario | None:
    """``scenario`` with the current variant applied; shows the problem and returns None if it fails."""
    try:
        return scenario.with_variant(variant_name())
    except (KeyError, ValueError) as exc:
        st.error(md(f"The variant '{variant_name()}' cannot be applied: {exc}"))
        return None


# --------------------------------------------------------------------------------------------- what-ifs
def whatifs(scenario: Scenario) -> list[Variant]:
    """The user's saved what-ifs for ``scenario`` (this session only)."""
    return list(st.session_state.get(WHATIFS, {}).get(library.scenario_key(scenario), {}).values())


def save_whatif(scenario: Scenario, variant: Variant) -> None:
    """Keep ``variant`` as one of this session's what-ifs of ``scenario`` (same name: replaced)."""
    st.session_state.setdefault(WHATIFS, {}).setdefault(library.scenario_key(scenario), {})[variant.name] = variant


def delete_whatif(scenario: Scenario, name: str) -> None:
    """Forget one of this session's what-ifs."""
    st.session_state.get(WHATIFS, {}).get(library.scenario_key(scenario), {}).pop(name, None)


def scenario_with_whatifs(scenario: Scenario) -> Scenario:
    """``scenario`` with this session's what-ifs appended as variants (validated)."""
    from app_support.whatif import add_variants

    mine = whatifs(scenario)
    return add_variants(scenario, mine) if mine else scenario


# --------------------------------------------------------------------------------------------- errors
def show_error(exc: BaseException, what: str = "") -> None:
    """Show a user's error as located lines; anything else as a short message (never a traceback)."""
    if isinstance(exc, ScenarioError):
        error_lines(f"{what or 'The scenario has problems'} ({len(exc.issues)})", [str(i) for i in exc.issues])
    elif isinstance(exc, FlashpointError):
        error_lines(what, str(exc).splitlines())
    else:
        where = traceback.extract_tb(exc.__traceback__)[-1:] if exc.__traceback__ else []
        loc = f" (at {where[0].filename.rsplit('/', 1)[-1]}:{where[0].lineno})" if where else ""
        st.error(md(f"{what + ': ' if what else ''}an internal error stopped this: {type(exc).__name__}: {exc}{loc}. "
                    "Please report it with the scenario and seed."))


def error_lines(title: str, lines: list[str]) -> None:
    """One error box: a title, then every line in full (wrapped, never cut), each shown literally.

    Messages quote the user's own text (keys, names, values): each line is escaped (:func:`md`), so a
    code fence, a link or an image in them shows as the characters it is.
    """
    body = [md(x) for x in lines if x.strip()]
    head = [md(title) + (":" if body else "")] if title else []
    st.error("  \n".join(head + body))


# --------------------------------------------------------------------------------------------- cached calls
@st.cache_data(max_entries=64, show_spinner=False)
def _world(key: str, _scenario: Scenario):
    from sim.model import build_world

    return build_world(_scenario)


def world(scenario: Scenario):
    """The scenario resolved against the catalog (cached per scenario)."""
    return _world(library.scenario_key(scenario), scenario)


@st.cache_resource(show_spinner=False)
def lru(name: str) -> memcache.MemoryLRU:
    """One of the server's result caches, bounded by memory (``$FLASHPOINT_APP_CACHE_MB``, default 1 GiB).

    ``runs`` (single runs with full histories) gets a quarter, ``results`` (ensembles, comparisons,
    explanations) the rest. The least recently used results go first.
    """
    total = memcache.budget_bytes()
    return memcache.MemoryLRU(total // 4 if name == "runs" else total - total // 4)


def check_run_cost(scenario: Scenario) -> None:
    """Refuse, with the figures, a scenario whose single run would not fit the app's memory for runs.

    Raises:
        LimitError: the estimate (states, steps, bytes) and the limit, with what to do instead.
    """
    from sim.errors import LimitError

    n, steps = len(scenario.actors), scenario.calendar.horizon
    need = memcache.run_bytes(n, steps, len(scenario.events))
    limit = lru("runs").budget // 2
    if need > limit:
        raise LimitError(f"this scenario has {n} states and {steps} steps: one run with its full histories needs about "
                         f"{memcache.human(need)}, more than this app allows ({memcache.human(limit)}). Run it with "
                         "`flashpoint run` or `flashpoint ensemble` on your own machine, or shorten the horizon or "
                         "the list of states.")


#: Longest wait an ensemble or comparison may cost on the app's pool, in minutes, unless
#: ``$FLASHPOINT_APP_MAX_MINUTES`` says otherwise: a classroom server is shared.
APP_MAX_MINUTES = 15.0


def max_wall_seconds() -> float:
    """The longest estimated wait the app accepts for one ensemble or comparison (seconds).

    ``$FLASHPOINT_APP_MAX_MINUTES`` minutes, at least 0, read by :func:`app_support.envnum.env_number`
    (a value that is not a number: a warning and the default).
    """
    return env_number("FLASHPOINT_APP_MAX_MINUTES", APP_MAX_MINUTES, minimum=0.0) * 60


def ensemble_cost(scenario: Scenario, runs: int, variants: list[str] | tuple[str, ...] = ()):
    """Estimate and judge ``runs`` replications of the baseline or of each of ``variants`` (a comparison).

    The same estimate as ``flashpoint ensemble`` and ``compare`` (:func:`sim.ensemble.budget.estimate`
    on the pool's workers, the largest variant's states); :func:`sim.ensemble.budget.check` judges it,
    without the CLI's ``--force``, and the app adds its own limit on the wait (:func:`max_wall_seconds`).

    Returns:
        ``(estimate, note)``: the :class:`~sim.ensemble.budget.Estimate` and a warning to show, or ``None``.

    Raises:
        LimitError: the work is beyond the limits, with the estimate and what to do instead.
    """
    from sim.ensemble.budget import MAX_CPU_HOURS, MEMORY_SHARE, available_memory, check, estimate
    from sim.ensemble.executors import default_workers
    from sim.errors import LimitError

    byname = {v.name: v for v in scenario.variants}
    added = max([len(byname[v].add_actors) - len(byname[v].remove_actors) for v in variants if v in byname] + [0])
    total = int(runs) * (1 + len(variants)) if variants else int(runs)
    est = estimate(len(scenario.actors) + added, scenario.calendar.horizon, total, workers=default_workers())
    what = "comparison" if variants else "ensemble"
    advice = (" Ask for fewer runs in the sidebar, shorten the scenario's horizon or its list of states, or run it "
              "on your own machine with `flashpoint " + ("compare" if variants else "ensemble") + "`.")
    try:
        note = check(est)
    except LimitError:
        avail = available_memory()
        why = (f"more than {MEMORY_SHARE:.0%} of the {memcache.human(avail)} of memory available"
               if est.memory_bytes > MEMORY_SHARE * avail else f"more than the {MAX_CPU_HOURS:g} CPU hours allowed")
        raise LimitError(f"This {what} is refused — {est.text()}: {why}." + advice) from None
    if est.wall_seconds > max_wall_seconds():
        raise LimitError(f"This {what} is refused — {est.text()}: more than the {max_wall_seconds() / 60:g} minutes "
                         "this app allows for one request." + advice) from None
    return est, note


def _show_cost(scenario: Scenario, runs: int, variants: tuple[str, ...] = ()) -> None:
    """Show the estimate (and any warning) before the work starts, as plain text; refuse beyond the limits."""
    est, note = ensemble_cost(scenario, runs, variants)
    st.caption(md(f"Estimated cost — {est.text()} (rough: within about a factor of two)."))
    if note:
        text = note.removeprefix("note: ")
        st.warning(md(text[:1].upper() + text[1:]))


def single_run(scenario: Scenario, variant: str, seed: int):
    """One seeded run with full histories (cached per scenario, variant and seed, within the memory budget).

    Raises:
        LimitError: the run would need more memory than the app allows (see :func:`check_run_cost`).
    """
    from sim.model import run_scenario

    check_run_cost(scenario)
    key = ("run", library.scenario_key(scenario), variant, int(seed))
    hit = lru("runs").get(key)
    if hit is not None:
        return hit
    with st.spinner("Running the scenario once…"):
        res = run_scenario(scenario, int(seed), variant=None if variant == "baseline" else variant, record="full")
    lru("runs").put(key, res)
    return res


def _cached(key: tuple, label: str, fn: Callable[..., Any], *args: Any) -> Any:
    """``fn(*args, progress)`` with a progress bar, kept in the ``results`` cache under ``key``."""
    hit = lru("results").get(key)
    if hit is not None:
        return hit
    value = run_with_progress(label, fn, *args)
    lru("results").put(key, value)
    return value


_POOL: cf.ProcessPoolExecutor | None = None
_POOL_LOCK = threading.Lock()


def executor() -> cf.Executor:
    """A process pool kept for the server's lifetime and shared by every session.

    Workers are forked from a fork server that has imported the model, and each reads the catalog
    and runs one replication as the pool starts (:mod:`app_support.workers`), so no ensemble, not
    even the first, pays a start-up cost; sharing one pool keeps a classroom server from
    oversubscribing its cores. A pool broken by a dead worker is replaced.
    """
    global _POOL
    with _POOL_LOCK:
        from sim.ensemble.executors import default_workers, new_process_pool, pool_is_broken

        if _POOL is None or pool_is_broken(_POOL):
            n = default_workers()
            _POOL = new_process_pool(n)  # forkserver with the model preloaded, else spawn
            from app_support.workers import warm

            list(_POOL.map(warm, range(n)))  # start and warm the workers now, not on the first click
        return _POOL


def warm_executor() -> None:
    """Start the process pool in the background (the first session's first page does this)."""
    if _POOL is None and multiprocessing.parent_process() is None:  # never from a worker process
        threading.Thread(target=executor, name="flashpoint-pool", daemon=True).start()


class _Progress:
    def __init__(self) -> None:
        self.done, self.total, self.cancelled = 0, 0, False

    def __call__(self, done: int, total: int) -> None:
        self.done, self.total = int(done), int(total)
        if self.cancelled:
            raise Cancelled("cancelled by the user")


def run_with_progress(label: str, fn: Callable[..., Any], *args: Any) -> Any:
    """Call ``fn(*args, progress)`` in a worker thread, drawing a progress bar here.

    If the script is interrupted (the user pressed Cancel or Stop, or changed a widget), the worker
    is told to stop at its next report and the interruption propagates.
    """
    prog = _Progress()
    out: dict[str, Any] = {}

    def work() -> None:
        try:
            out["value"] = fn(*args, prog)
        except BaseException as exc:  # noqa: BLE001 — handed to the script thread
            out["error"] = exc

    thread = threading.Thread(target=work, name="flashpoint-ensemble", daemon=True)
    add_script_run_ctx(thread, get_script_run_ctx())
    thread.start()
    thread.join(0.05)
    if thread.is_alive():  # a cache hit returns at once and draws no bar
        bar = st.progress(0.0, text=f"{label}: starting…")
        shown = (0, 0)
        try:
            while thread.is_alive():
                thread.join(POLL_SECONDS)
                if prog.total and (prog.done, prog.total) != shown:  # redraw only what changed
                    shown = (prog.done, prog.total)
                    bar.progress(min(prog.done / prog.total, 1.0), text=f"{label}: {prog.done} of {prog.total} runs")
        except BaseException:
            prog.cancelled = True
            raise
        bar.empty()
    if "error" in out:
        raise out["error"]
    return out["value"]


def task_runs(scenario: Scenario, runs: int) -> int:
    """Runs per pool task: up to :data:`TASK_RUNS`, and no more than one model may step together."""
    from sim.ensemble.worker import lanes_for

    return max(1, min(int(runs), TASK_RUNS, lanes_for(len(scenario.actors))))


def _ensemble(key: str, variant: str, seed: int, runs: int, _scenario: Scenario, _progress: Callable):
    from sim.ensemble import run_ensemble

    res = run_ensemble(_scenario, runs=runs, seed=seed, variant=None if variant == "baseline" else variant,
                       executor=executor(), progress=_progress, batch_size=task_runs(_scenario, runs))
    res.outcomes  # noqa: B018 — the bootstrap intervals, computed once and cached with the result
    return res


def ensemble_or_error(scenario: Scenario, variant: str, seed: int, runs: int):
    """:func:`ensemble`, or ``None`` after showing what stopped it (never a crash)."""
    try:
        return ensemble(scenario, variant, seed, runs)
    except Exception as exc:  # a user's error or a bug: shown, never a crash
        show_error(exc, "The ensemble could not run")
        return None


def ensemble(scenario: Scenario, variant: str, seed: int, runs: int):
    """An ensemble with a progress bar (cached per scenario, variant, seed and runs).

    Raises:
        LimitError: its estimated cost is beyond the app's limits (:func:`ensemble_cost`).
    """
    skey = library.scenario_key(scenario)
    if lru("results").get(("ensemble", skey, variant, int(seed), int(runs))) is None:
        _show_cost(scenario, int(runs))
    return _cached(("ensemble", skey, variant, int(seed), int(runs)), f"Ensemble of {runs} runs", _ensemble, skey,
                   variant, int(seed), int(runs), scenario)


def _comparison(key: str, variants: tuple[str, ...], seed: int, runs: int, _scenario: Scenario, _progress: Callable):
    from sim.ensemble import compare

    return compare(_scenario, variants=list(variants), runs=runs, seed=seed, executor=executor(), progress=_progress,
                   batch_size=task_runs(_scenario, runs))


def comparison(scenario: Scenario, variants: list[str], seed: int, runs: int):
    """Baseline against ``variants`` on common seeds, with a progress bar (cached).

    Raises:
        LimitError: its estimated cost is beyond the app's limits (:func:`ensemble_cost`).
    """
    skey = library.scenario_key(scenario)
    if lru("results").get(("comparison", skey, tuple(variants), int(seed), int(runs))) is None:
        _show_cost(scenario, int(runs), tuple(variants))
    return _cached(("comparison", skey, tuple(variants), int(seed), int(runs)),
                   f"Comparing baseline and {len(variants)} variant(s), {runs} runs each", _comparison, skey,
                   tuple(variants), int(seed), int(runs), scenario)


def _explanations(key: str, variants: tuple[str, ...], seed: int, runs: int, sample: int, _cmp, _progress: Callable):
    from sim.ensemble.explain import explain_comparison

    return explain_comparison(_cmp, sample=sample, top=3, progress=_progress, executor=executor())


def explanations(scenario: Scenario, variants: list[str], seed: int, runs: int, cmp, sample: int):
    """Why a comparison's largest differences happened: cause chains on ``sample`` paired seeds (cached)."""
    skey = library.scenario_key(scenario)
    return _cached(("explain", skey, tuple(variants), int(seed), int(runs), int(sample)),
                   f"Replaying {sample} paired seeds with their explanation records", _explanations, skey,
                   tuple(variants), int(seed), int(runs), int(sample), cmp)
