"""What the calibration and sensitivity scripts share: their common options and an evaluation session.

An evaluation session opens one ensemble executor for the whole job (local processes or Dask), draws
a rich progress bar on stderr (the job's evaluations, and the runs of the current one) and yields a
checkpointed :class:`~sim.calibration.moments.Evaluator`.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sim.calibration.moments import CrisisSet, Evaluator
from sim.calibration.space import ParameterSpace

__all__ = ["add_common_arguments", "evaluation_session"]


def add_common_arguments(ap: argparse.ArgumentParser, *, runs: int, checkpoints: Path) -> None:
    """Add ``--param --runs --crises --executor --workers --scheduler --checkpoints --seed`` to ``ap``."""
    ap.add_argument("--param", action="append", help="a parameter path (repeatable; default: every proposal)")
    ap.add_argument("--runs", type=int, default=runs, help="replications per crisis and evaluation")
    ap.add_argument("--crises", type=int, default=None, help="a seeded sample of this many crises")
    ap.add_argument("--executor", default="process", choices=["process", "inprocess", "dask"])
    ap.add_argument("--workers", type=int, default=None, help="worker processes (default: every core)")
    ap.add_argument("--scheduler", default=None, help="Dask scheduler address tcp://HOST:PORT (implies --executor dask)")
    ap.add_argument("--checkpoints", type=Path, default=checkpoints, help="one JSON per evaluation (resumable)")
    ap.add_argument("--seed", type=int, default=0)


@contextmanager
def evaluation_session(crises: CrisisSet, space: ParameterSpace, args: argparse.Namespace, label: str,
                       total: int) -> Iterator[tuple[Evaluator, Callable[..., None]]]:
    """Open the executor and the progress bar; yield the evaluator and ``advance(done, description=None)``.

    Raises:
        FlashpointError: the executor cannot be opened, or the checkpoint folder created.
    """
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from sim.ensemble.executors import open_executor

    handle = open_executor(args.executor, args.workers, args.scheduler)
    try:
        with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                      console=Console(stderr=True, highlight=False)) as bar:
            evals = bar.add_task(label, total=total)
            runs = bar.add_task("runs of this evaluation", total=1)
            ev = Evaluator(crises, space, runs=args.runs, seed=args.seed, executor=handle, checkpoints=args.checkpoints,
                           progress=lambda d, t: bar.update(runs, completed=d, total=t))

            def advance(done: int, description: str | None = None) -> None:
                bar.update(evals, completed=done, **({"description": description} if description else {}))

            yield ev, advance
    finally:
        handle.close()
