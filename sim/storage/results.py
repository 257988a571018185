"""Results on disk: tables as Parquet (or CSV) plus a ``manifest.json``, and reading them back.

An ensemble directory holds:

==========================  ==================================================================
``manifest.json``           scenario hash, variant, seeds, versions, executor, timing, partial
                            flag, failures (see docs/cli.md)
``outcomes.*``              one row per outcome with its interval (:mod:`sim.analysis.outcomes`)
``per_run.*``               one row per run and dyad (peak, final, first step in each band, …)
``per_run_actors.*``        one row per run and actor (military spending change)
``per_run_system.*``        one row per run (system peak, any use of force/war/nuclear use, new
                            pledges)
``per_run_support.*``       one row per run and ordered pair that gave support (supporter,
                            partner, highest degree: 1 statement … 4 joined the fight)
``fans.*``                  per-step quantiles of every metric (fan charts and heat maps)
``failures.*``              failed runs with seed and error (only when some failed)
``runs_levels.*``           with ``keep_runs``: every run's rung and tension per dyad per step
``runs_series.*``           with ``keep_runs``: every run's per-actor series per step
==========================  ==================================================================

A comparison directory holds ``comparison.*``, ``verdicts.txt``, a manifest and one
sub-directory per ensemble (``baseline/``, ``<variant>/``). :func:`load_ensemble` rebuilds an
ensemble's per-run indicators from its directory, so that :func:`sim.analysis.compare_results`
can compare stored results without running the model again.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.analysis.aggregate import RunTable
from sim.analysis.digest import BAND_RUNGS, SERIES, Layout
from sim.analysis.outcomes import outcome_table
from sim.errors import FlashpointError
from sim.storage.files import atomic_dir
from sim.storage.manifest import MANIFEST_SCHEMA, environment, scenario_hash

__all__ = ["write_table", "read_table", "write_ensemble", "write_comparison", "write_sweep", "load_ensemble",
           "StoredEnsemble", "FORMATS"]

FORMATS = ("parquet", "csv")


def json_default(o: Any) -> Any:
    """JSON encoder fallback for numpy scalars and arrays (NaN becomes null)."""
    if isinstance(o, np.integer):
        return int(o)
    if isinstance(o, np.floating):
        return None if math.isnan(float(o)) else float(o)
    if isinstance(o, np.bool_):
        return bool(o)
    if isinstance(o, np.ndarray):
        return o.tolist()
    if isinstance(o, Path):
        return str(o)
    return str(o)


def _check_format(format: str) -> None:  # noqa: A002
    if format not in FORMATS:
        raise FlashpointError(f"unknown format '{format}' (choose {' or '.join(FORMATS)})")


def _atomically(path: str | Path, format: str, write: Any) -> list[str]:  # noqa: A002
    """Run ``write(tmp_dir)`` in a temporary directory that becomes ``path`` only if it succeeds."""
    _check_format(format)
    dest = Path(path)
    with atomic_dir(dest) as tmp:
        files = write(tmp)
    return [str(dest / Path(f).relative_to(tmp)) for f in files]


def write_table(df: pd.DataFrame, path: Path, name: str, format: str = "parquet") -> str:  # noqa: A002
    """Write ``df`` as ``path/name.parquet`` or ``.csv``; returns the file name."""
    f = path / f"{name}.{format}"
    try:
        if format == "parquet":
            df.to_parquet(f, index=False)
        else:
            df.to_csv(f, index=False)
    except OSError as exc:
        raise FlashpointError(f"cannot write {f}: {exc.strerror or exc}") from None
    return str(f)


def read_table(path: str | Path, name: str) -> pd.DataFrame:
    """Read ``name`` from a results directory (Parquet if present, else CSV)."""
    p = Path(path)
    for ext in FORMATS:
        f = p / f"{name}.{ext}"
        if f.exists():
            return pd.read_parquet(f) if ext == "parquet" else pd.read_csv(f, keep_default_na=False, na_values=[""])
    raise FlashpointError(f"no table '{name}' in {p}")


def write_json(obj: Any, f: Path) -> str:
    """Write ``obj`` as indented JSON."""
    try:
        f.write_text(json.dumps(obj, indent=2, ensure_ascii=False, default=json_default) + "\n", encoding="utf-8")
    except OSError as exc:
        raise FlashpointError(f"cannot write {f}: {exc.strerror or exc}") from None
    return str(f)


def write_ensemble(res: Any, path: str | Path, format: str = "parquet") -> list[str]:  # noqa: A002
    """Write an :class:`~sim.ensemble.EnsembleResult` to ``path`` (see the module docstring).

    The files are written to a temporary directory and moved into ``path`` when all were written
    (:func:`~sim.storage.files.atomic_dir`): a failure leaves ``path`` as it was.
    """
    return _atomically(path, format, lambda tmp: _write_ensemble(res, tmp, format))


def _write_ensemble(res: Any, p: Path, format: str) -> list[str]:  # noqa: A002
    p.mkdir(exist_ok=True)
    files = [
        write_table(res.outcomes, p, "outcomes", format),
        write_table(res.per_run, p, "per_run", format),
        write_table(res.per_run_actors, p, "per_run_actors", format),
        write_table(res.per_run_system, p, "per_run_system", format),
        write_table(res.per_run_support, p, "per_run_support", format),
        write_table(res.aggregator.fan_table(), p, "fans", format),
    ]
    if res.failures:
        files.append(write_table(pd.DataFrame(res.failures), p, "failures", format))
    if res.runs_kept:
        files += _write_runs(res, p, format)
    files.append(write_json(res.manifest(), p / "manifest.json"))
    return files


def _write_runs(res: Any, p: Path, format: str) -> list[str]:  # noqa: A002
    lay = res.layout
    steps = np.arange(lay.horizon + 1)
    lv, se = [], []
    for dg in res.runs_kept:
        if dg.levels is not None:
            cols = {"seed": dg.seed, "step": np.repeat(steps, lay.d),
                    "dyad": np.tile(np.asarray(lay.dyads, dtype=object), len(steps)),
                    "level": dg.levels.reshape(-1)}
            if dg.tension is not None:
                cols["tension"] = dg.tension.reshape(-1)
            lv.append(pd.DataFrame(cols))
        cols = {"seed": dg.seed, "step": np.repeat(steps, lay.n),
                "actor": np.tile(np.asarray(lay.codes, dtype=object), len(steps))}
        for m, name in enumerate(SERIES):
            cols[name] = dg.series[m].reshape(-1)
        cols["max_level"] = dg.actor_level.reshape(-1)
        se.append(pd.DataFrame(cols))
    out = []
    if lv:
        out.append(write_table(pd.concat(lv, ignore_index=True), p, "runs_levels", format))
    if se:
        out.append(write_table(pd.concat(se, ignore_index=True), p, "runs_series", format))
    return out


def write_comparison(cmp: Any, path: str | Path, format: str = "parquet") -> list[str]:  # noqa: A002
    """Write a comparison (:class:`~sim.analysis.Comparison` of finished ensembles): its table, verdicts, manifest and every ensemble."""
    return _atomically(path, format, lambda tmp: _write_comparison(cmp, tmp, format))


def _write_comparison(cmp: Any, p: Path, format: str) -> list[str]:  # noqa: A002
    files = [write_table(cmp.table, p, "comparison", format)]
    try:
        (p / "verdicts.txt").write_text(cmp.summary_text() + "\n", encoding="utf-8")
    except OSError as exc:
        raise FlashpointError(f"cannot write {p / 'verdicts.txt'}: {exc.strerror or exc}") from None
    files.append(str(p / "verdicts.txt"))
    for e in [cmp.baseline, *cmp.variants]:
        files += _write_ensemble(e, p / e.variant, format)
    b = cmp.baseline
    manifest = {
        "schema": MANIFEST_SCHEMA, "kind": "comparison", "scenario": b.scenario.id, "title": b.scenario.title,
        "scenario_hash": scenario_hash(b.base_scenario), "seed": b.seed, "runs": cmp.runs, "seeds": list(b.seeds),
        "variants": [v.variant for v in cmp.variants], "partial": cmp.partial,
        "failures": {e.variant: e.failures for e in [b, *cmp.variants] if e.failures},
        "executor": b.report.executor, "workers": b.report.executor.get("workers"),
        "timing": {"wall_seconds": round(b.report.seconds, 4)},
        "pairing": cmp.correlation_summary(), **environment(),
    }
    files.append(write_json(manifest, p / "manifest.json"))
    return files


def write_sweep(sw: Any, path: str | Path, format: str = "parquet") -> list[str]:  # noqa: A002
    """Write a :class:`~sim.ensemble.SweepResult`: points, sensitivity and manifest."""
    def write(p: Path) -> list[str]:
        files = [write_table(sw.points, p, "points", format), write_table(sw.sensitivity, p, "sensitivity", format)]
        return [*files, write_json(sw.manifest(), p / "manifest.json")]

    return _atomically(path, format, write)


@dataclass
class _StoredScenario:
    id: str
    title: str


@dataclass
class StoredEnsemble:
    """An ensemble read back from disk: enough for outcome tables and comparisons."""

    variant: str
    seed: int
    seeds: list[int]
    layout: Layout
    table: RunTable
    failures: list[dict[str, Any]]
    partial: bool
    scenario: _StoredScenario
    manifest: dict[str, Any] = field(default_factory=dict)
    title: str = ""

    @property
    def completed(self) -> int:
        """Runs stored."""
        return self.table.size

    @property
    def outcomes(self) -> pd.DataFrame:
        """Outcome statistics recomputed from the stored per-run indicators."""
        st = self.manifest.get("statistics", {})
        return outcome_table(self.table, self.layout, seed=self.seed, resamples=int(st.get("bootstrap_resamples", 2000)),
                             precision=float(st.get("precision", 0.02)))


def _support_array(p: Path, index: np.ndarray, lay: Layout) -> np.ndarray:
    """Per-run support ``(R, N, N)`` from ``per_run_support`` (results written before it existed: none)."""
    out = np.zeros((len(index), lay.n, lay.n), dtype=np.int8)
    if not any((p / f"per_run_support.{ext}").exists() for ext in FORMATS):
        return out
    t = read_table(p, "per_run_support")
    if len(t):
        row = {int(x): r for r, x in enumerate(index)}
        pos = {c: k for k, c in enumerate(lay.codes)}
        try:
            out[[row[int(x)] for x in t["index"]], [pos[c] for c in t["supporter"]], [pos[c] for c in t["partner"]]] = (
                t["support"].to_numpy().astype(np.int8))
        except KeyError as exc:
            raise FlashpointError(f"{p}: per_run_support names a run or actor the ensemble does not have: {exc}") from None
    return out


def load_ensemble(path: str | Path) -> StoredEnsemble:
    """Read an ensemble directory written by :func:`write_ensemble` (no model is run).

    Raises:
        FlashpointError: missing or unreadable files.
    """
    p = Path(path)
    try:
        m = json.loads((p / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise FlashpointError(f"cannot read {p / 'manifest.json'}: {exc}") from None
    lay = Layout(codes=tuple(m["layout"]["codes"]), horizon=int(m["layout"]["horizon"]), dates=tuple(m["layout"]["dates"]))
    pr = read_table(p, "per_run")
    pa = read_table(p, "per_run_actors")
    ps = read_table(p, "per_run_system")
    r, d, n = len(ps), lay.d, lay.n
    pr = pr.sort_values(["index"], kind="stable")
    pa = pa.sort_values(["index"], kind="stable")
    ps = ps.sort_values(["index"], kind="stable")

    def dy(col: str, dtype: Any) -> np.ndarray:
        return pr[col].to_numpy().astype(dtype).reshape(r, d)

    arrays = {
        "index": ps["index"].to_numpy().astype(np.int64),
        "seed": ps["seed"].to_numpy().astype(np.int64),
        "peak": dy("peak", np.int8),
        "final": dy("final", np.int8),
        "first": np.stack([dy(f"first_{b}", np.int16) for b in BAND_RUNGS], axis=1),
        "alliance_new": dy("alliance_formed", bool),
        "alliance_lost": dy("alliance_lapsed", bool),
        "milex_change": pa["milex_change"].to_numpy().astype(np.float32).reshape(r, n),
        "system_peak": ps["system_peak"].to_numpy().astype(np.int8),
        "support": _support_array(p, ps["index"].to_numpy(), lay),
    }
    return StoredEnsemble(variant=m.get("variant", "baseline"), seed=int(m["seed"]), seeds=list(m["seeds"]), layout=lay,
                          table=RunTable.from_arrays(arrays), failures=list(m.get("failures", [])),
                          partial=bool(m.get("partial")), scenario=_StoredScenario(m["scenario"], m.get("title", "")),
                          manifest=m, title=m.get("variant_title", m.get("variant", "")))
