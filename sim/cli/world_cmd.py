"""The ``world`` command of the ``flashpoint`` CLI: per-dyad predictions for a catalog year.

``flashpoint world --year Y --runs N --out DIR [--format csv|parquet] [--json]`` runs the world of
year ``Y`` (:func:`sim.validation.world.world_predictions`) and writes ``world-Y.csv`` (or
``.parquet``) with every dyad's predicted yearly probability of a new dispute at each MID
hostility level, and ``manifest.json``. A thin front end: it parses the options, calls the public
API and prints.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from sim.cli.ensemble_cmds import (
    ExecOpt,
    JsonOpt,
    SchedOpt,
    SeedOpt,
    WorkersOpt,
    _check_executor,
    _console,
    _emit_json,
    _executor,
    _guard,
    _progress,
)

__all__ = ["world", "register"]


def world(year: Annotated[int, typer.Option("--year", "-y", help="Catalog year (1816–2022).", show_default=False)],
          out: Annotated[Path | None, typer.Option("--out", "-o", help="Directory for world-YEAR.csv/.parquet and manifest.json.",
                                                   show_default=False)] = None,
          runs: Annotated[int, typer.Option("--runs", "-n", min=1, max=100_000, help="Seeded one-year runs.")] = 100,
          seed: SeedOpt = 0,
          fmt: Annotated[str, typer.Option("--format", help="Table format for --out: csv or parquet.")] = "csv",
          as_json: JsonOpt = False,
          executor: ExecOpt = "process",
          workers: WorkersOpt = None,
          scheduler: SchedOpt = None,
          top: Annotated[int, typer.Option("--top", min=1, help="Dyads shown in the table.")] = 15) -> None:
    """Predict every dyad's yearly chance of a new dispute (threat, display, use of force, war) in a year."""
    if fmt not in ("csv", "parquet"):
        raise typer.BadParameter("choose csv or parquet", param_hint="--format")
    _check_executor(executor)
    if out is None and not as_json:
        raise typer.BadParameter("give --out DIR (or --json)", param_hint="--out")
    with _guard():
        from sim.validation.world import check_year, world_predictions

        check_year(year)
        if out is not None and out.exists() and not out.is_dir():
            from sim.errors import FlashpointError

            raise FlashpointError(f"--out {out}: exists and is not a directory")
        with _executor(executor, workers, scheduler, runs) as ex, _progress(not as_json, f"world {year}") as prog:
            pred = world_predictions(year, runs, seed, executor=ex, workers=workers, progress=prog)
        files: list[str] = []
        if out is not None:
            from sim.storage.manifest import environment

            out.mkdir(parents=True, exist_ok=True)
            path = out / f"world-{year}.{fmt}"
            if fmt == "csv":
                pred.table.to_csv(path, index=False)
            else:
                pred.table.to_parquet(path, index=False)
            man = out / "manifest.json"
            meta = {k: v for k, v in pred.to_json().items() if k != "dyads"}
            man.write_text(json.dumps({**meta, "kind": "world", "table": path.name, **environment()}, indent=2,
                                      default=str), encoding="utf-8")
            files = [str(path), str(man)]
        if as_json:
            obj = pred.to_json()
            obj["files"] = files
            _emit_json(obj)
            return
        con = _console()
        con.print(f"The world of {year}: {pred.meta['states']} states, {len(pred.table)} dyads, {pred.runs} one-year runs "
                  f"(seed {seed}, {pred.seconds:.1f} s).", markup=False)
        from rich.table import Table

        t = Table(title=f"Highest yearly chance of a new use of force, {year}")
        for c in ("dyad", "ccode1", "ccode2", "threat", "display", "use of force", "war"):
            t.add_column(c, justify="right" if c != "dyad" else "left")
        for _, r in pred.table.sort_values(["p_force", "p_display"], ascending=False).head(top).iterrows():
            t.add_row(str(r["abb"]), str(r["ccode1"]), str(r["ccode2"]),
                      *(f"{100 * r[f'p_{lv}']:.1f}%" for lv in ("threat", "display", "force", "war")))
        con.print(t)
        for f in files:
            con.print(f"wrote {f}", markup=False)


def register(app: typer.Typer) -> None:
    """Add ``world`` to the ``flashpoint`` application."""
    app.command("world")(world)



