"""What the calibration and sensitivity scripts share: their common options and an evaluation session.

An evaluation session opens one ensemble executor for the whole job (``local`` = in this process,
local worker processes, or Dask), draws a rich progress bar on stderr (the job's stages, and the
runs of the current simulation) and yields the checkpointed evaluators of the crises and of the
world targets.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from sim.calibration.moments import CrisisSet, Evaluator
from sim.calibration.space import ParameterSpace, parameter_space
from sim.calibration.targets import WorldEvaluator, WorldTargets

__all__ = ["add_common_arguments", "evaluation_session", "executor_name", "parse_bounds", "parse_settings", "parse_weights"]


def add_common_arguments(ap: argparse.ArgumentParser, *, runs: int, checkpoints: Path) -> None:
    """The options both scripts share (parameters, runs, crises, world targets, executor, checkpoints, seed)."""
    ap.add_argument("--param", action="append", help="a parameter path (repeatable)")
    ap.add_argument("--runs", type=int, default=runs, help="replications per crisis and design point")
    ap.add_argument("--crises", type=int, default=None, help="a seeded sample of this many crises (default: all)")
    ap.add_argument("--world-years", type=int, default=3, help="sampled years of the MID target (0: leave it out)")
    ap.add_argument("--world-states", type=int, default=24, help="states in each MID world")
    ap.add_argument("--wars", type=int, default=6, help="sampled COW war dyad-years of the war target (0: leave it out)")
    ap.add_argument("--world-runs", type=int, default=None, help="replications of each world scenario (default: --runs)")
    ap.add_argument("--dyad-year", type=int, default=2010,
                    help="year of the whole state system whose dangerous-dyad contrasts are a target (0: leave it out)")
    ap.add_argument("--dyad-runs", type=int, default=4, help="replications of that (costly) world")
    ap.add_argument("--quiet-runs", type=int, default=0,
                    help="replications of each bundled scenario's quiet one-year world, the quiet target (0: leave it out)")
    ap.add_argument("--executor", default="process", choices=["local", "inprocess", "process", "dask"],
                    help="local (= inprocess): this process; process: worker processes; dask: a Dask cluster")
    ap.add_argument("--workers", type=int, default=None, help="worker processes (default: every core)")
    ap.add_argument("--scheduler", default=None, help="Dask scheduler address tcp://HOST:PORT (implies --executor dask)")
    ap.add_argument("--checkpoints", type=Path, default=checkpoints, help="one JSON per simulation (resumable)")
    ap.add_argument("--weight", action="append", default=[], metavar="TARGET=W",
                    help="weight of a target's discrepancy in the loss (icb, mid, war, dyads, quiet; default 1 each)")
    ap.add_argument("--bound", action="append", default=[], metavar="PATH=LO:HI",
                    help="a narrower range for one parameter, inside its registered one (repeatable)")
    ap.add_argument("--seed", type=int, default=0)


def parse_weights(items: list[str]) -> dict[str, float]:
    """``["mid=0.5", …]`` as ``{"mid": 0.5}``.

    Raises:
        FlashpointError: an unknown target or a weight that is not a non-negative number.
    """
    from sim.calibration.fit import DEFAULT_WEIGHTS
    from sim.errors import FlashpointError

    out = {}
    for item in items:
        name, _, value = item.partition("=")
        try:
            w = float(value)
        except ValueError:
            w = -1.0
        if name not in DEFAULT_WEIGHTS or not w >= 0:
            raise FlashpointError(f"--weight {item!r}: expected TARGET=W with TARGET one of "
                                  f"{', '.join(DEFAULT_WEIGHTS)} and W a number ≥ 0")
        out[name] = w
    return out


def parse_bounds(items: list[str]) -> dict[str, tuple[float, float]]:
    """``["decision.dispute_rate=0:0.5", …]`` as ``{"decision.dispute_rate": (0.0, 0.5)}``.

    Raises:
        FlashpointError: an item that is not PATH=LO:HI with two numbers (the range itself is checked
            against the registry by :func:`sim.calibration.space.parameter_space`).
    """
    from sim.errors import FlashpointError

    out = {}
    for item in items:
        path, _, rng = item.partition("=")
        lo, _, hi = rng.partition(":")
        try:
            out[path] = (float(lo), float(hi))
        except ValueError:
            raise FlashpointError(f"--bound {item!r}: expected PATH=LO:HI with two numbers") from None
    return out


def parse_settings(items: Sequence[str], option: str = "--set") -> dict[str, float]:
    """``["ladder.violence_resistance=0.2", …]`` (a script's repeated ``--set``) as ``{path: value}``.

    Each path must be a registered parameter (unknown ones are refused with the known ones named, by
    :func:`sim.calibration.space.parameter_space`) and each value a number inside its registered range; anything else is a
    :class:`~sim.errors.FlashpointError` naming the offending item. A later item for the same path wins.
    """
    from sim.errors import FlashpointError

    out: dict[str, float] = {}
    for item in items:
        path, eq, value = item.partition("=")
        try:
            v = float(value)
        except ValueError:
            v = float("nan")
        if not eq or v != v:
            raise FlashpointError(f"{option} {item!r}: expected PATH=VALUE with VALUE a number")
        out[path] = v
    if out:
        space = parameter_space(list(out))
        for p, (lo, hi) in zip(space.paths, space.bounds, strict=True):
            if not lo <= out[p] <= hi:
                raise FlashpointError(f"{option} {p}={out[p]:g}: outside its range {lo:g}–{hi:g}")
    return out


def executor_name(name: str) -> str:
    """The ensemble layer's name of an executor option (``local`` is ``inprocess``)."""
    return "inprocess" if name == "local" else name


@contextmanager
def evaluation_session(crises: CrisisSet, space: ParameterSpace, args: argparse.Namespace, label: str,
                       total: int) -> Iterator[tuple[Evaluator, WorldEvaluator | None, Callable[..., None]]]:
    """Open the executor and the progress bar; yield the evaluators and ``advance(done, total=None, description=None)``.

    Raises:
        FlashpointError: the executor cannot be opened, or the checkpoint folder created.
    """
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from sim.ensemble.executors import open_executor

    targets = None
    if args.world_years > 0 or args.wars > 0 or args.dyad_year or args.quiet_runs > 0:
        targets = WorldTargets.build(years=args.world_years, states=args.world_states, wars=args.wars, seed=args.seed,
                                     dyad_year=args.dyad_year, quiet=args.quiet_runs > 0)
    handle = open_executor(executor_name(args.executor), args.workers, args.scheduler)
    try:
        with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                      console=Console(stderr=True, highlight=False)) as bar:
            stage = bar.add_task(label, total=total)
            runs = bar.add_task("runs of this simulation", total=1)

            def on_runs(d: int, t: int) -> None:
                bar.update(runs, completed=d, total=t)

            ev = Evaluator(crises, space, runs=args.runs, seed=args.seed, executor=handle, checkpoints=args.checkpoints,
                           progress=on_runs)
            world = None if targets is None else WorldEvaluator(
                targets, space, runs=args.world_runs or args.runs, dyad_runs=args.dyad_runs, quiet_runs=args.quiet_runs,
                seed=args.seed, executor=handle, checkpoints=args.checkpoints, progress=on_runs)

            def advance(done: int, total: int | None = None, description: str | None = None) -> None:
                bar.update(stage, completed=done, **({"total": total} if total else {}),
                           **({"description": description} if description else {}))

            yield ev, world, advance
    finally:
        handle.close()
