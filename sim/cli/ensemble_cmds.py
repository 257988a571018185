"""The ``ensemble``, ``compare`` and ``sweep`` commands of the ``flashpoint`` CLI.

These are plain Typer command functions; the main application registers them with
:func:`register` (``app.command()(ensemble)`` …). They only parse input, call the public API
(:func:`sim.ensemble.run_ensemble`, :func:`sim.ensemble.compare`, :func:`sim.ensemble.run_sweep`)
and print. Exit status: 0 success; 1 invalid input (a :class:`~sim.errors.FlashpointError`, printed
as one message, never a traceback); 2 usage error (bad or conflicting options, from Typer/Click);
3 incomplete: some runs failed or were not run (reported with their seeds; what finished is
printed and written); 130 interrupted by Ctrl-C (what finished is still printed and written,
marked PARTIAL).
"""

from __future__ import annotations

import json
import math
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer

from sim.cli.text import error_text, plain, safe, text
from sim.scales import BANDS

__all__ = ["ensemble", "compare", "sweep", "register"]

EXIT_OK, EXIT_INPUT, EXIT_USAGE, EXIT_INCOMPLETE, EXIT_INTERRUPTED = 0, 1, 2, 3, 130

FileArg = Annotated[Path, typer.Argument(help="Scenario file (YAML).", show_default=False)]
RunsOpt = Annotated[int, typer.Option("--runs", "-n", min=1, max=1_000_000, help="Replications (per ensemble).")]
SeedOpt = Annotated[int, typer.Option("--seed", "-s", min=0, help="Master seed; replication k uses child seed k.")]
WorkersOpt = Annotated[int | None, typer.Option("--workers", "-w", min=1, help="Worker processes (default: all cores).", show_default=False)]
SchedOpt = Annotated[str | None, typer.Option("--scheduler", help="Dask scheduler address, tcp://HOST:PORT (implies --executor dask).", show_default=False)]
ExecOpt = Annotated[str, typer.Option("--executor", "-e", help="process (local worker processes), inprocess, or dask (a local Dask cluster unless --scheduler).")]
OutOpt = Annotated[Path | None, typer.Option("--out", "-o", help="Write Parquet/CSV tables and manifest.json to this directory.", show_default=False)]
FormatOpt = Annotated[str, typer.Option("--format", help="Table format for --out: parquet or csv.")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print the results as JSON on stdout (schema in docs/cli.md).")]
TopOpt = Annotated[int, typer.Option("--top", min=1, help="Rows shown in the tables.")]
ForceOpt = Annotated[bool, typer.Option("--force", help="Run even when the cost estimate exceeds the limits (memory, CPU hours).")]
PrecOpt = Annotated[float, typer.Option("--precision", min=0.0001, max=0.5, help="Wanted half-width of a probability's 95% interval (for 'runs needed').")]


def _console(stderr: bool = False):
    from rich.console import Console

    con = Console(stderr=stderr, highlight=False, soft_wrap=False)
    if not con.is_terminal and not stderr:  # piped or redirected: wide enough for the tables
        con = Console(stderr=stderr, highlight=False, soft_wrap=False, width=120)
    return con


def _fail(message: str, code: int = EXIT_INPUT) -> None:
    # written as it is: user text may hold brackets (no markup) and located errors stay one line each
    sys.stderr.write(message.rstrip("\n") + "\n")
    raise typer.Exit(code)


@contextmanager
def _guard() -> Iterator[None]:
    """Turn every error into a message and an exit status; never show a traceback."""
    from sim.errors import FlashpointError

    try:
        yield
    except typer.Exit:
        raise
    except FlashpointError as exc:
        _fail(error_text(exc))
    except KeyboardInterrupt:
        _console(stderr=True).print("interrupted.")
        raise typer.Exit(EXIT_INTERRUPTED) from None
    except Exception as exc:  # noqa: BLE001 — an internal error must not show a traceback either
        _fail(f"internal error (please report it): {type(exc).__name__}: {plain(exc)}")


@contextmanager
def _progress(enabled: bool, label: str) -> Iterator[Callable[[int, int], None] | None]:
    """Show a rich progress bar with ETA on stderr, started at the first update (after the workers start)."""
    if not enabled:
        yield None
        return
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TaskProgressColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    state: dict[str, Any] = {}

    def update(done: int, total: int) -> None:
        if "p" not in state:
            p = Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), TaskProgressColumn(),
                         TextColumn("elapsed"), TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(),
                         console=_console(stderr=True), transient=True)
            p.start()
            state["p"], state["t"] = p, p.add_task(safe(label), total=total)
        state["p"].update(state["t"], completed=done, total=total)

    try:
        yield update
    finally:
        if "p" in state:
            state["p"].stop()


@contextmanager
def _executor(executor: str, workers: int | None, scheduler: str | None, runs: int) -> Iterator[Any]:
    """The executor for a command; a local process pool is opened first, before the file is read.

    Its workers are forked early and import the model (about a second) while this process reads
    and validates the scenario and imports the statistics, so the costs overlap. Commands therefore
    import :mod:`sim.ensemble`'s heavy parts only inside this context (the pool itself needs only
    :mod:`sim.ensemble.executors`, which imports nothing heavy).
    """
    if executor == "process" and not scheduler:
        # what both sides need is imported once, before the fork: pandas (the statistics here,
        # Mesa's agent sets there) and the scenario schema (the tasks carry a scenario). Measured
        # on 2 cores, 1,000 founding runs: 4.3 s against 4.7 s when the workers imported pandas
        # themselves (median of six runs each).
        import pandas  # noqa: F401

        import sim.scenario.loader  # noqa: F401
        from sim.ensemble.budget import plan_workers
        from sim.ensemble.executors import open_executor

        n, note = plan_workers(workers, runs)
        if note:
            sys.stderr.write(note + "\n")
        handle = open_executor("process", n, preload=False)
        try:
            yield handle
        except BaseException:
            handle.close(cancel=True, kill=True)  # e.g. a bad file: report it without waiting for the workers
            raise
        handle.close()
    else:
        if executor == "dask" and not scheduler and workers is not None:
            from sim.ensemble.budget import plan_workers

            n, note = plan_workers(workers, runs)
            if note:
                sys.stderr.write(note + "\n")
        yield "dask" if scheduler else executor


@contextmanager
def _scenario_and_executor(file: Path, executor: str, workers: int | None, scheduler: str | None,
                           check: Callable[[Any], None], runs: int, out: Path | None) -> Iterator[tuple[Any, Any]]:
    """Check ``--out``, open the executor, then read and check the scenario (see :func:`_executor`)."""
    if out is not None:
        from sim.storage.files import check_destination

        check_destination(out)  # before any work: an unwritable destination is found at once
    with _executor(executor, workers, scheduler, runs) as ex:
        sc = _load(file)
        check(sc)
        yield sc, ex


def _write_and_report(result: Any, out: Path | None, fmt: str, as_json: bool, show: Callable[[list[str]], None],
                      extra: dict | None = None) -> None:
    """Write ``--out`` files, then print the JSON (with the file list and ``extra`` keys) or the readable report."""
    files: list[str] = []
    error = None
    if out:
        from sim.errors import FlashpointError

        try:
            files = result.to_dir(str(out), format=fmt)
        except FlashpointError as exc:  # the results are still shown; nothing half-written is left
            error = exc
    if as_json:
        obj = {**result.to_json(), **(extra or {})}
        if out:
            obj["files"] = files
        _emit_json(obj)
    else:
        show(files)
    if error is not None:
        _fail(f"{error_text(error)} (nothing was written to {plain(out)})")


def _load(file: Path):
    from sim.scenario.loader import load_scenario

    return load_scenario(str(file))


def _check_budget(sc: Any, runs: int, workers: int | None, force: bool, *, keep_runs: bool = False,
                  dyad_levels: bool = True) -> None:
    """Refuse (LimitError, exit 1) or note on stderr what the runs will cost (see sim.ensemble.budget)."""
    from sim.ensemble.budget import check, estimate, plan_workers

    est = estimate(len(sc.actors), sc.calendar.horizon, runs, workers=plan_workers(workers, runs)[0],
                   keep_runs=keep_runs, dyad_levels=dyad_levels)
    note = check(est, force=force)
    if note:
        sys.stderr.write(note + "\n")


def _check_format(fmt: str) -> None:
    if fmt not in ("parquet", "csv"):
        raise typer.BadParameter("choose parquet or csv", param_hint="--format")


def _check_executor(executor: str) -> None:
    if executor not in ("process", "inprocess", "dask"):
        raise typer.BadParameter("choose process, inprocess or dask", param_hint="--executor")


def _check_variant(sc: Any, variant: str | None) -> None:
    """Raise a user error for a variant the scenario does not define."""
    if variant and variant not in ("baseline", *sc.variant_names()):
        from sim.errors import FlashpointError

        raise FlashpointError(f"no variant '{variant}' in scenario '{sc.id}' (known: {', '.join(sc.variant_names()) or 'none'})")


def _emit_json(obj: Any) -> None:
    from sim.storage.results import json_default

    sys.stdout.write(json.dumps(obj, ensure_ascii=False, indent=2, default=json_default) + "\n")


def _pct(x: float) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    v = 100 * x
    return f"{v:.0f}%" if abs(v) >= 10 or v == 0 else f"{v:.1f}%"


def _fmt(kind: str, outcome: str, x: float) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    if kind == "probability":
        return _pct(x)
    if outcome == "milex_change":
        return f"{100 * x:+.1f}%"
    return f"{x:.2f}" if kind == "mean" else f"{x:.0f}"


def _exit_status(results: list[Any]) -> None:
    """Exit 130 after Ctrl-C, 3 (with a line on stderr) when runs failed or were not run."""
    _exit_for(any(r.report.interrupted for r in results), [f for r in results for f in r.failures],
              sum(r.runs - r.completed - len(r.failures) for r in results), results[0].report.executor.get("error"))


def _exit_for(interrupted: bool, failures: list[dict[str, Any]], missing: int, problem: str | None) -> None:
    if interrupted:
        raise typer.Exit(EXIT_INTERRUPTED)
    if failures or missing:
        seeds = sorted({int(f["seed"]) for f in failures})
        shown = ", ".join(str(x) for x in seeds[:10]) + (" …" if len(seeds) > 10 else "")
        sys.stderr.write(f"incomplete: {len(failures):,} run(s) failed" + (f" (seeds {shown})" if seeds else "")
                         + f", {missing:,} not run" + (f" — {plain(problem)}" if problem else "") + "\n")
        raise typer.Exit(EXIT_INCOMPLETE)


def _status_lines(res: Any) -> list[str]:
    out = []
    if res.failures:
        seeds = ", ".join(str(f["seed"]) for f in res.failures[:10])
        more = f" … ({len(res.failures)} in all)" if len(res.failures) > 10 else ""
        out.append(f"[yellow]{len(res.failures)} run(s) failed[/] — replay with `flashpoint run FILE --seed SEED`: {seeds}{more}")
        out.append(f"  first error: {safe(res.failures[0]['error'])}")
    if res.partial:
        out.append(f"[bold yellow]PARTIAL[/]: {res.completed} of {res.runs} runs finished; the figures cover those.")
    return out


# ====================================================================== ensemble
def ensemble(
    file: FileArg,
    runs: RunsOpt = 200,
    variant: Annotated[str | None, typer.Option("--variant", "-v", help="Run this variant instead of the baseline.", show_default=False)] = None,
    seed: SeedOpt = 0,
    workers: WorkersOpt = None,
    scheduler: SchedOpt = None,
    executor: ExecOpt = "process",
    out: OutOpt = None,
    fmt: FormatOpt = "parquet",
    keep_runs: Annotated[bool, typer.Option("--keep-runs", help="Also keep (and write) every run's trajectories.")] = False,
    as_json: JsonOpt = False,
    top: TopOpt = 12,
    precision: PrecOpt = 0.02,
    force: ForceOpt = False,
) -> None:
    """Run seeded replications of a scenario and report outcome probabilities with intervals."""
    _check_format(fmt)
    _check_executor(executor)
    with _guard():
        def checks(sc: Any) -> None:
            _check_variant(sc, variant)
            _check_budget(sc, runs, workers, force, keep_runs=keep_runs)

        with _scenario_and_executor(file, executor, workers, scheduler, checks, runs, out) as (sc, ex):
            from sim.ensemble import run_ensemble  # after the pool is open (see _executor)

            with _progress(not as_json or sys.stderr.isatty(), f"{sc.id} {variant or 'baseline'}") as prog:
                res = run_ensemble(sc, runs=runs, seed=seed, variant=variant, executor=ex, workers=workers,
                                   keep_runs=keep_runs, progress=prog, scheduler=scheduler, precision=precision)
        _write_and_report(res, out, fmt, as_json, lambda files: _print_ensemble(res, top, files))
        _exit_status([res])


def _print_ensemble(res: Any, top: int, files: list[str]) -> None:
    from rich.table import Table

    con = _console()
    rep = res.report
    rate = res.completed / rep.seconds if rep.seconds else float("nan")
    con.print(f"[bold]{safe(res.scenario.title)}[/] — {safe(res.variant)}")
    con.print(f"{res.completed:,} of {res.runs:,} runs in {rep.seconds:.1f} s ({rate:,.0f} runs/s, "
              f"{rep.executor.get('executor')} × {rep.executor.get('workers')}), seed {res.seed}")
    for line in _status_lines(res):
        con.print(line)
    o = res.outcomes
    t = Table(title="Chance of reaching each band by the horizon (Wilson 95% intervals)", title_justify="left")
    for c in ("Outcome", "Estimate", "95% CI", "± MC error", f"runs for ±{100 * res.precision:.0f} pts"):
        t.add_column(c, justify="left" if c == "Outcome" else "right")
    for _, r in res.top_outcomes(top).iterrows():
        t.add_row(text(r["label"]), _pct(r["estimate"]), f"{_pct(r['lo'])}–{_pct(r['hi'])}", _pct(r["se"]), f"{int(r['runs_needed']):,}")
    con.print(t)
    _print_support(con, o, top)
    m = o[o["outcome"].isin(["peak_level", "milex_change", "system_peak_level", "alliances_formed"])]
    m = m.assign(_a=m["estimate"].abs()).sort_values("_a", ascending=False).head(top)
    if len(m):
        t2 = Table(title="Means (percentile bootstrap 95% intervals)", title_justify="left")
        for c in ("Outcome", "Mean", "95% CI"):
            t2.add_column(c, justify="left" if c == "Outcome" else "right")
        for _, r in m.iterrows():
            t2.add_row(text(r["label"]), _fmt("mean", r["outcome"], r["estimate"]),
                       f"{_fmt('mean', r['outcome'], r['lo'])} to {_fmt('mean', r['outcome'], r['hi'])}")
        con.print(t2)
    if files:
        con.print(f"Wrote {len(files)} files to {safe(Path(files[0]).parent)}")


def _print_support(con: Any, outcomes: Any, top: int) -> None:
    """The support table: per supporter → partner, the chance of each degree of support (or more)."""
    from rich.table import Table

    from sim.analysis.outcomes import support_frame

    sf = support_frame(outcomes)
    if not len(sf):
        return
    t = Table(title="Support to a partner in a crisis by the horizon: chance of at least each degree (Wilson 95% intervals)",
              title_justify="left")
    for c in ("Supporter → partner", "statement", "arms", "troops (or joins)", "joins the fight"):
        t.add_column(c, justify="left" if c.startswith("Supporter") else "right")
    for _, r in sf.head(top).iterrows():
        t.add_row(text(f"{r['supporter']} → {r['partner']}"),
                  *(f"{_pct(r[d])} [{_pct(r[d + '_lo'])}–{_pct(r[d + '_hi'])}]" for d in ("statement", "arms", "troops", "join")))
    con.print(t)


# ====================================================================== compare
def compare(
    file: FileArg,
    variant: Annotated[list[str] | None, typer.Option("--variant", "-v", help="A variant to compare with the baseline (repeatable).", show_default=False)] = None,
    all_variants: Annotated[bool, typer.Option("--all-variants", help="Compare every variant of the scenario.")] = False,
    runs: RunsOpt = 200,
    seed: SeedOpt = 0,
    workers: WorkersOpt = None,
    scheduler: SchedOpt = None,
    executor: ExecOpt = "process",
    out: OutOpt = None,
    fmt: FormatOpt = "parquet",
    as_json: JsonOpt = False,
    top: TopOpt = 8,
    precision: PrecOpt = 0.02,
    force: ForceOpt = False,
    explain: Annotated[bool, typer.Option("--explain", help="Say why the largest differences happened: which cause chains (event → perception → decision → outcome) became more or less frequent on a sample of the same seeds.")] = False,
    explain_runs: Annotated[int, typer.Option("--explain-runs", min=1, max=1000, help="Paired seeds that --explain replays with explanation records.")] = 40,
) -> None:
    """Compare the baseline with variants on the same seeds and say, with intervals, what changed (and why, with --explain)."""
    _check_format(fmt)
    _check_executor(executor)
    if variant and all_variants:
        raise typer.BadParameter("give --variant or --all-variants, not both", param_hint="--all-variants")
    with _guard():
        names = list(variant or [])

        def has_variants(sc: Any) -> None:
            if not names and not all_variants and not sc.variant_names():
                from sim.errors import FlashpointError

                raise FlashpointError(f"scenario '{sc.id}' has no variants to compare")
            _check_budget(sc, runs * (1 + (len(names) or len(sc.variant_names()))), workers, force)

        with _scenario_and_executor(file, executor, workers, scheduler, has_variants, runs * 2, out) as (sc, ex):
            # after the pool is open (see _executor)
            from sim.ensemble import compare as run_compare

            with _progress(not as_json or sys.stderr.isatty(), f"{sc.id} baseline + {len(names) or len(sc.variant_names())} variant(s)") as prog:
                cmp = run_compare(sc, names or None, runs=runs, seed=seed, executor=ex, workers=workers, progress=prog,
                                  scheduler=scheduler, precision=precision)
            exps = None
            if explain:
                from sim.ensemble.explain import explain_comparison

                with _progress(not as_json or sys.stderr.isatty(), "explaining the largest differences") as prog:
                    exps = explain_comparison(cmp, sample=explain_runs, progress=prog,
                                              executor=ex if executor == "process" else None)
        _write_and_report(cmp, out, fmt, as_json, lambda files: _print_comparison(cmp, top, files, exps),
                          extra=None if exps is None else {"explanations": [e.to_json() for e in exps]})
        _exit_status([cmp.baseline, *cmp.variants])


_SHORT = {**{f"p_{b.key}": b.name for b in BANDS}, **{f"p_any_{b.key}": f"any {b.name}" for b in BANDS},
          "p_support_statement": "backs (statement+)", "p_support_arms": "sends arms (or more)",
          "p_support_troops": "sends troops or joins", "p_support_join": "joins the fight",
          "p_alliance_formed": "pledge forms",
          "p_alliance_lapsed": "pledge lapses", "peak_level": "mean peak rung", "milex_change": "military spending",
          "system_peak_level": "mean peak rung, anywhere", "alliances_formed": "new pledges per run"}


def _short(r: Any) -> str:
    who = r["dyad"] or r["actor"]
    if "→" in who:  # support: supporter first
        a, b = who.split("→", 1)
        return f"{a} {_SHORT.get(r['outcome'], r['outcome'])} → {b}"
    return f"{_SHORT.get(r['outcome'], r['outcome'])} {who}".strip()


def _val(r: Any, key: str) -> str:
    k, o = r["kind"], r["outcome"]
    x = r[key]
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    if k == "probability":
        v = 100 * x
        return f"{v:.0f}" if abs(v) >= 10 or v == 0 else f"{v:.1f}"
    if o == "milex_change":
        return f"{100 * x:+.1f}".replace("-", "−")
    return f"{x:.2f}"


def _with_ci(r: Any, est: str, lo: str, hi: str) -> str:
    unit = "%" if r["kind"] == "probability" or r["outcome"] == "milex_change" else ""
    return f"{_val(r, est)}{unit} [{_val(r, lo)}–{_val(r, hi)}]"


def _delta(r: Any, key: str) -> str:
    x = r[key]
    if r["kind"] == "probability" or r["outcome"] == "milex_change":
        return f"{100 * x:+.1f}".replace("-", "−")
    return f"{x:+.2f}".replace("-", "−")


def _print_comparison(cmp: Any, top: int, files: list[str], explanations: list | None = None) -> None:
    from rich.table import Table

    con = _console()
    b = cmp.baseline
    rep = b.report
    total = sum(e.completed for e in [b, *cmp.variants])
    con.print(f"[bold]{safe(b.scenario.title)}[/]")
    con.print(f"baseline + {len(cmp.variants)} variant(s) × {cmp.runs:,} paired runs: {total:,} runs in {rep.seconds:.1f} s "
              f"({rep.executor.get('executor')} × {rep.executor.get('workers')}), seed {b.seed}")
    con.print("Probabilities in %, changes in percentage points (spending: points of % change); "
              "[a–b] is a 95% interval; r is the paired correlation.", markup=False)
    for e in [b, *cmp.variants]:
        for line in _status_lines(e):
            con.print(f"{safe(e.variant)}: {line}")
    corr = cmp.correlation_summary()
    for v in cmp.variants:
        rows = cmp.changed(v.variant, top)
        title = cmp.titles.get(v.variant, v.variant)
        c = corr.get(v.variant, {})
        if not len(rows):
            con.print(f"[bold]{safe(title)} ({safe(v.variant)})[/]: no outcome changed detectably at {cmp.runs:,} runs.")
        else:
            t = Table(title=text(f"{title} ({v.variant}): what changed most"), title_justify="left")
            for col in ("Outcome", "Baseline", "Variant", "Change", "paired CI", "unpaired CI", "r"):
                t.add_column(col, justify="left" if col == "Outcome" else "right")
            for _, r in rows.iterrows():
                t.add_row(text(_short(r)), _with_ci(r, "baseline", "baseline_lo", "baseline_hi"),
                          _with_ci(r, "variant_value", "lo", "hi"), _delta(r, "diff"),
                          f"{_delta(r, 'diff_lo')}…{_delta(r, 'diff_hi')}", f"{_delta(r, 'unpaired_lo')}…{_delta(r, 'unpaired_hi')}",
                          "–" if math.isnan(r["correlation"]) else f"{r['correlation']:.2f}")
            con.print(t)
        if c.get("outcomes"):
            con.print(f"  pairing: median r {c['median_correlation']:.2f}; common random numbers cut the "
                      f"variance of differences {c['median_variance_reduction']:.1f}×")
    con.print()
    for line in cmp.summary_text(per_variant=top).split("\n"):
        con.print(plain(line), markup=False)
    if explanations is not None:
        con.print()
        con.print("Why did it change? (cause chains on a sample of the same seeds)", markup=False)
        for e in explanations:
            con.print()
            for line in e.sentences():
                con.print("  " + plain(line), markup=False, highlight=False)
        if not explanations:
            con.print("  No dyad's chance of a use of force, war or nuclear use differs: nothing to explain.", markup=False)
    if files:
        con.print(f"Wrote {len(files)} files to {safe(Path(files[0]).parent)}")


# ====================================================================== sweep
def sweep(
    file: FileArg,
    samples: Annotated[int, typer.Option("--samples", min=3, max=100_000, help="Latin-hypercube points.")] = 50,
    runs: Annotated[int, typer.Option("--runs", "-n", min=1, max=1_000_000, help="Replications per point.")] = 20,
    seed: SeedOpt = 0,
    variant: Annotated[str | None, typer.Option("--variant", "-v", help="Sweep this variant instead of the baseline.", show_default=False)] = None,
    param: Annotated[list[str] | None, typer.Option("--param", "-p", help="Only this uncertainty (repeatable).", show_default=False)] = None,
    workers: WorkersOpt = None,
    scheduler: SchedOpt = None,
    executor: ExecOpt = "process",
    out: OutOpt = None,
    fmt: FormatOpt = "parquet",
    as_json: JsonOpt = False,
    top: TopOpt = 12,
    force: ForceOpt = False,
) -> None:
    """Sample the scenario's uncertain parameters (Latin hypercube) and rank which ones move the outcomes."""
    _check_format(fmt)
    _check_executor(executor)
    with _guard():
        def checks(sc: Any) -> None:
            _check_variant(sc, variant)
            _check_budget(sc, samples * runs, workers, force, dyad_levels=False)

        with _scenario_and_executor(file, executor, workers, scheduler, checks, samples * runs, out) as (sc, ex):
            from sim.ensemble import run_sweep  # after the pool is open (see _executor)

            with _progress(not as_json or sys.stderr.isatty(), f"{sc.id} sweep") as prog:
                sw = run_sweep(sc, samples=samples, runs=runs, seed=seed, variant=variant, executor=ex, workers=workers,
                               progress=prog, scheduler=scheduler, parameters=param or None)
        _write_and_report(sw, out, fmt, as_json, lambda files: _print_sweep(sw, top, files))
        _exit_for(sw.interrupted, sw.failures, sw.not_run, sw.executor.get("error"))


def _print_sweep(sw: Any, top: int, files: list[str]) -> None:
    from rich.table import Table

    con = _console()
    for line in sw.summary_text().split("\n"):
        con.print(plain(line), markup=False)
    t = Table(title="Strongest parameter–outcome links (rank measures)", title_justify="left")
    for c in ("Outcome", "Parameter", "Spearman ρ", "SRRC", "R² (ranks)", ""):
        t.add_column(c, justify="left" if c in ("Outcome", "Parameter", "") else "right")
    for _, r in sw.top(top).iterrows():
        t.add_row(text(r["outcome"]), text(r["parameter"]), f"{r['spearman']:+.2f}", f"{r['srrc']:+.2f}", f"{r['r2']:.2f}",
                  "weak" if r["weak"] else "")
    con.print(t)
    if files:
        con.print(f"Wrote {len(files)} files to {safe(Path(files[0]).parent)}")


def register(app: typer.Typer) -> None:
    """Add ``ensemble``, ``compare`` and ``sweep`` to the main Typer application."""
    app.command("ensemble")(ensemble)
    app.command("compare")(compare)
    app.command("sweep")(sweep)
