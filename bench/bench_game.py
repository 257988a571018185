"""Classroom game load: 30 simulated students in 8 teams on one server, through the engine and store.

Each student is a thread that polls the game like the team page does (``engine.status`` every
second) and, when a new turn appears, loads its team's view (``engine.team_view``), as the page's
rerun does. Each turn the 8 teams submit at random moments within two seconds; the last submission
resolves the turn. Measured: the time from the start of the last submission to the turn being
resolved and stored, and the time from resolution until each of the 30 students has the new turn's
view. Writes bench/results/game.json and prints a summary.

    .venv/bin/python bench/bench_game.py [--turns 10] [--students 30] [--poll 1.0]
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
import threading
import time
from pathlib import Path

import numpy as np

from sim.game import GameEngine, GameStore
from sim.scenario.loader import load_scenario

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--turns", type=int, default=10)
    ap.add_argument("--students", type=int, default=30)
    ap.add_argument("--poll", type=float, default=1.0)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    sc = load_scenario(ROOT / "scenarios" / "korea-russia-2024.yaml")
    tmp = tempfile.mkdtemp(prefix="fp-game-bench-")
    eng = GameEngine(GameStore(f"sqlite:///{tmp}/game.db"))
    c = eng.create_game(sc, seed=args.seed)
    teams = [eng.join(c.code, s, f"team {s}")[0] for s in sc.codes]  # 8 states, 8 teams
    resolved_at: dict[int, float] = {}  # turn number (1-based, the new turn) -> perf_counter when stored
    seen: dict[int, list[float]] = {}
    lock = threading.Lock()
    stop = threading.Event()

    def student(k: int) -> None:
        team = teams[k % len(teams)]
        last = None
        while not stop.is_set():
            pub = eng.status(c.code)
            if pub["turn"] != last:
                eng.team_view(team)  # what the page's rerun loads
                now = time.perf_counter()
                if last is not None:
                    with lock:
                        seen.setdefault(pub["turn"], []).append(now)
                last = pub["turn"]
            stop.wait(args.poll * (0.5 + rng.random()) if last is None else args.poll)

    students = [threading.Thread(target=student, args=(k,), daemon=True) for k in range(args.students)]
    for s in students:
        s.start()
    time.sleep(2 * args.poll)
    resolution = []
    for turn in range(1, args.turns + 1):
        delays = sorted(rng.uniform(0, 2.0) for _ in teams)
        order = teams[:]
        rng.shuffle(order)
        t_start = time.perf_counter()
        for team, d in zip(order, delays, strict=True):
            time.sleep(max(0.0, t_start + d - time.perf_counter()))
            rec = eng.recommend(team)
            t0 = time.perf_counter()
            eng.submit(team, rec.action, rec.target, "bench", request_id=f"{team.state}-{turn}")
            t1 = time.perf_counter()
        resolution.append(t1 - t0)  # the last submission: store it, resolve the turn, store that
        resolved_at[turn + 1] = t1
        deadline = time.time() + 10
        while len(seen.get(turn + 1, [])) < args.students and time.time() < deadline:
            time.sleep(0.05)
    stop.set()
    for s in students:
        s.join(timeout=5)
    lat = np.array([t - resolved_at[turn] for turn, ts in seen.items() if turn in resolved_at for t in ts])
    missing = sum(args.students - len(seen.get(t, [])) for t in resolved_at)
    stored = [t.seconds for t in eng.store.turns(c.game_id)]
    out = {
        "students": args.students, "teams": len(teams), "turns": args.turns, "poll_seconds": args.poll,
        "resolution_after_last_submission_s": {"median": float(np.median(resolution)), "max": float(np.max(resolution))},
        "resolve_inside_engine_s": {"median": float(np.median(stored)), "max": float(np.max(stored))},
        "students_see_new_turn_s": {"median": float(np.median(lat)), "p95": float(np.percentile(lat, 95)),
                                    "max": float(lat.max()), "n": int(lat.size), "missed": int(missing)},
        "machine_load_1min": float(open("/proc/loadavg").read().split()[0]) if Path("/proc/loadavg").exists() else None,
    }
    (ROOT / "bench" / "results").mkdir(exist_ok=True)
    (ROOT / "bench" / "results" / "game.json").write_text(json.dumps(out, indent=2))
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
