"""The ``flashpoint`` command line (also ``python -m sim``): a thin front end over the public API.

Commands: ``validate``, ``describe``, ``run``, ``schema``, ``list`` (and ``ensemble``, ``compare``,
``sweep`` from :mod:`sim.cli.ensemble_cmds`). Exit status: 0 success, 1 invalid input, 2 usage
error. No traceback reaches a user: every :class:`~sim.errors.FlashpointError` is printed as its
located message.
"""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from sim.errors import FlashpointError

__all__ = ["app", "main"]

app = typer.Typer(
    name="flashpoint",
    help="Flashpoint: a what-if engine for interstate crises. Scenarios are YAML files; see docs/cli.md.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console(highlight=False, soft_wrap=False)

SCENARIO_DIR = Path(__file__).resolve().parents[2] / "scenarios"


class Format(StrEnum):
    """Table formats for --out."""

    csv = "csv"
    parquet = "parquet"
    json = "json"


def eprint(message: str) -> None:
    """Write ``message`` to stderr as it is: located errors stay one line each (never wrapped)."""
    sys.stderr.write(message.rstrip("\n") + "\n")


def fail(message: str, code: int = 1) -> None:
    """Print ``message`` to stderr and exit with ``code`` (1: invalid input)."""
    eprint(message)
    raise typer.Exit(code)


def load(path: Path):
    """Load and validate a scenario, exiting 1 with located messages when it is invalid."""
    from sim.scenario.loader import load_scenario

    try:
        return load_scenario(path)
    except FlashpointError as exc:
        fail(str(exc))


def apply_variant(scenario, variant: str | None):
    """The scenario with ``variant`` applied; exits 1 for an unknown name."""
    if not variant or variant == "baseline":
        return scenario
    try:
        return scenario.with_variant(variant)
    except KeyError as exc:
        fail(f"error: {exc.args[0]}")
    except FlashpointError as exc:
        fail(str(exc))


@app.command()
def validate(files: Annotated[list[Path], typer.Argument(help="Scenario files to check.")]) -> None:
    """Check scenario files; print every located problem (FILE:LINE:COL: field: what is wrong)."""
    from sim.scenario.loader import load_scenario

    bad = 0
    for f in files:
        try:
            sc = load_scenario(f)
            for v in sc.variant_names():
                sc.with_variant(v)
            sys.stdout.write(f"{f}: ok — {sc.title} ({len(sc.actors)} actors, {len(sc.events)} events, {len(sc.variants)} variants)\n")
        except FlashpointError as exc:
            bad += 1
            eprint(str(exc))
        except KeyError as exc:
            bad += 1
            eprint(f"{f}: {exc.args[0]}")
    if bad:
        raise typer.Exit(1)


@app.command()
def describe(file: Annotated[Path, typer.Argument(help="Scenario file.")],
             variant: Annotated[str | None, typer.Option(help="Describe this variant instead of the baseline.")] = None,
             as_json: Annotated[bool, typer.Option("--json", help="Print the description as JSON on stdout.")] = False) -> None:
    """Show a scenario: actors with their catalog figures, ties (dormant ones marked), timeline, variants."""
    from sim.cli.describe import describe_data, print_describe
    from sim.model.world import build_world

    sc = apply_variant(load(file), variant)
    try:
        w = build_world(sc)
    except FlashpointError as exc:
        fail(str(exc))
    if as_json:
        sys.stdout.write(json.dumps(describe_data(sc, w), indent=2, ensure_ascii=False) + "\n")
        return
    print_describe(out, sc, w)


@app.command()
def run(
    file: Annotated[Path, typer.Argument(help="Scenario file.")],
    variant: Annotated[str | None, typer.Option(help="Name of a what-if variant to apply.")] = None,
    seed: Annotated[int, typer.Option(help="Random seed (same seed, same result).", min=0)] = 0,
    out_dir: Annotated[Path | None, typer.Option("--out", help="Write tidy tables (time series, events) here.")] = None,
    fmt: Annotated[Format, typer.Option("--format", help="Table format for --out.")] = Format.csv,
    as_json: Annotated[bool, typer.Option("--json", help="Print a machine-readable summary on stdout.")] = False,
    explain: Annotated[bool, typer.Option("--explain", help="Tell the whole run step by step with causes.")] = False,
) -> None:
    """Run a scenario once and tell what happened and why."""
    from sim.model import run_scenario

    sc = apply_variant(load(file), variant)
    try:
        res = run_scenario(sc, seed=seed)
    except FlashpointError as exc:
        fail(str(exc))
    if out_dir is not None:
        _write_tables(res, out_dir, fmt)
    if as_json:
        sys.stdout.write(json.dumps(res.summary(), indent=2, default=str) + "\n")
        return
    from sim.cli.report import print_run

    print_run(out, res, explain=explain)
    if out_dir is not None:
        out.print(f"\nTables written to {out_dir}/ (timeseries.{fmt.value}, events.{fmt.value}, summary.json)")


def _write_tables(res, out_dir: Path, fmt: Format) -> None:
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        fail(f"{out_dir}: cannot create the output folder ({exc.strerror})")
    ts, ev = res.timeseries_frame(), res.events_frame()
    for name, df in (("timeseries", ts), ("events", ev)):
        path = out_dir / f"{name}.{fmt.value}"
        if fmt is Format.csv:
            df.to_csv(path, index=False)
        elif fmt is Format.parquet:
            df.astype({c: "string" for c in df.columns if df[c].dtype == object}).to_parquet(path, index=False)
        else:
            df.to_json(path, orient="records", indent=1, force_ascii=False)
    (out_dir / "summary.json").write_text(json.dumps(res.summary(), indent=2, default=str), encoding="utf-8")


@app.command()
def schema() -> None:
    """Print the JSON Schema of the scenario format (for editors that validate while typing)."""
    from sim.scenario.schema import Scenario

    sys.stdout.write(json.dumps(Scenario.model_json_schema(), indent=2) + "\n")


@app.command("list")
def list_scenarios() -> None:
    """List the bundled scenarios."""
    from sim.scenario.loader import load_scenario

    t = Table(title=f"Bundled scenarios ({SCENARIO_DIR})")
    t.add_column("file", no_wrap=True)
    for c in ("title", "period", "actors", "variants"):
        t.add_column(c, overflow="fold")
    for f in sorted(SCENARIO_DIR.glob("*.yaml")):
        try:
            sc = load_scenario(f)
        except FlashpointError:
            t.add_row(f.name, "[red]invalid — run flashpoint validate[/red]", "", "", "")
            continue
        t.add_row(f.name, sc.title, sc.briefing.period, " ".join(sc.codes), " ".join(sc.variant_names()))
    out.print(t)


try:  # ensemble, compare and sweep live in their own module
    from sim.cli.ensemble_cmds import register as _register_ensemble

    _register_ensemble(app)
except ImportError:  # pragma: no cover - during development only
    pass


def main() -> None:
    """Entry point of the ``flashpoint`` command."""
    try:
        app()
    except FlashpointError as exc:  # a last safety net: never a traceback for user errors
        eprint(str(exc))
        sys.exit(1)
    except KeyboardInterrupt:
        eprint("interrupted")
        sys.exit(130)
