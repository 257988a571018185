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

__all__ = ["icb", "register", "build"]

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


def register(app: typer.Typer) -> None:
    """Add the ``icb`` command group to the main Typer application."""
    app.add_typer(icb, name="icb")
