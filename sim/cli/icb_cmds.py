"""The ``flashpoint icb`` commands: real crises (ICB layout) as scenarios, and scored predictions.

``flashpoint icb build SYSTEM_CSV ACTORS_CSV --out DIR`` writes one scenario per crisis with a
manifest; ``flashpoint icb score SYSTEM_CSV ACTORS_CSV --runs N`` runs them and scores the
predictions against what happened, beside two reference models. Thin: they parse input and call
:mod:`sim.history`. Exit status: 0 success, 1 invalid input (located messages, never a traceback),
2 usage error, 130 interrupted.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from sim.cli.ensemble_cmds import _console, _emit_json, _guard, _progress

__all__ = ["icb", "register", "build", "score"]

icb = typer.Typer(name="icb", no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False,
                  help="Real international crises (ICB v14 layout) as scenarios, and predictions scored out of sample.")

SystemArg = Annotated[Path, typer.Argument(help="System-level file of the ICB layout (ICB1: one row per crisis).", show_default=False)]
ActorsArg = Annotated[Path, typer.Argument(help="Actor-level file of the ICB layout (ICB2: one row per crisis actor).", show_default=False)]


@icb.command()
def build(
    system_csv: SystemArg,
    actors_csv: ActorsArg,
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for the scenarios, index.csv, index.json and unmapped.csv.")],
    horizon: Annotated[str, typer.Option(help="type: the typical duration of crises with the same trigger type "
                                               "(the default: nothing about how the crisis ended); dates: the crisis's own "
                                               "trigger-to-termination span.")] = "type",
    clean: Annotated[bool, typer.Option("--clean", help="Delete icb-*.yaml files in --out that this build did not write.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the build report as JSON.")] = False,
) -> None:
    """Turn every crisis of the ICB files into a scenario; list those that cannot be, with the reason."""
    if horizon not in ("type", "dates"):
        raise typer.BadParameter("choose type or dates", param_hint="--horizon")
    with _guard():
        from sim.history.build import build_collection

        with _progress(not as_json or sys.stderr.isatty(), "mapping crises") as prog:
            rep = build_collection(system_csv, actors_csv, out, horizon=horizon, clean=clean, progress=prog)
        if as_json:
            _emit_json(rep.to_json())
            return
        con = _console()
        con.print(rep.summary_text(), markup=False, highlight=False)
        con.print(f"Wrote {len(rep.mapped)} scenarios and index.csv, index.json, unmapped.csv to {out}", markup=False)


@icb.command()
def score(
    system_csv: SystemArg,
    actors_csv: ActorsArg,
    runs: Annotated[int, typer.Option("--runs", "-n", min=1, max=100_000, help="Replications per crisis.")] = 100,
    seed: Annotated[int, typer.Option("--seed", "-s", min=0, help="Master seed (ensembles, folds, bootstrap).")] = 0,
    folds: Annotated[int | None, typer.Option("--folds", "-k", min=0, help="K ≥ 2: k-fold by crisis within the file; "
                                              "0: reference models fitted on the shipped training crises. Default: 5 folds "
                                              "when the file shares crises with the shipped ones, else 0.", show_default=False)] = None,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Write scores.json, predictions.csv, responses.csv, "
                                             "calibration.csv here.", show_default=False)] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object (flashpoint.icb-score/1) on stdout.")] = False,
    executor: Annotated[str, typer.Option("--executor", "-e", help="process, inprocess or dask.")] = "process",
    workers: Annotated[int | None, typer.Option("--workers", "-w", min=1, help="Worker processes (default: all cores).", show_default=False)] = None,
    scheduler: Annotated[str | None, typer.Option("--scheduler", help="Dask scheduler address, tcp://HOST:PORT.", show_default=False)] = None,
) -> None:
    """Run every crisis and score the forecasts (violence level, major responses) against ICB, beside two reference models."""
    if executor not in ("process", "inprocess", "dask"):
        raise typer.BadParameter("choose process, inprocess or dask", param_hint="--executor")
    if folds == 1:
        raise typer.BadParameter("use 0 (the shipped training crises) or at least 2 folds", param_hint="--folds")
    with _guard():
        from sim.history.evaluate import evaluate

        with _progress(not as_json or sys.stderr.isatty(), "crisis runs") as prog:
            ev = evaluate(system_csv, actors_csv, runs=runs, seed=seed, folds=folds, executor=executor,
                          workers=workers, scheduler=scheduler, progress=prog)
        files = ev.to_dir(out) if out else []
        if as_json:
            obj = ev.to_json()
            if files:
                obj["files"] = files
            _emit_json(obj)
            return
        con = _console()
        con.print(ev.summary_text(), markup=False, highlight=False)
        if files:
            con.print(f"Wrote {len(files)} files to {out}", markup=False)


def register(app: typer.Typer) -> None:
    """Add the ``icb`` command group to the main Typer application."""
    app.add_typer(icb, name="icb")
