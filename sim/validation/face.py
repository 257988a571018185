"""Face validity: the findings of the issue "A credible model", re-measured on the current model.

Each finding is a :class:`Finding` — what was reported before the rework, how it is measured
now, the measured figure and the number of runs behind it. :func:`face_validity` measures them
all through the public API (``run_scenario`` records, ``run_many`` ensembles, the quiet-world
measurements of :mod:`sim.validation.credibility`). Where a finding is about a decision type the
model no longer produces, the figure says so instead of reporting 0 %.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from sim.validation.credibility import great_power_world, quiet_world, threat_matrix
from sim.validation.onsets import hostility_rungs

__all__ = ["Finding", "face_validity", "records_share", "missing_as_zero", "step_unit_mislabels"]

Progress = Callable[[int, int], None]


@dataclass
class Finding:
    """One face-validity finding: the earlier figure and today's measurement."""

    finding: str
    before: str
    measure: str
    now: str
    runs: int | str


def _pct(k: float, n: int) -> str:
    from sim.analysis.stats import wilson

    p, lo, hi = wilson(int(k), int(n))
    return f"{100 * p:.1f}% [{100 * lo:.1f}–{100 * hi:.1f}]"


def records_share(results: list[Any], kind: str, types: tuple[str, ...], actor: str, target: str) -> tuple[int, bool]:
    """Runs with at least one record of ``kind`` and a type in ``types`` from ``actor`` to ``target``.

    Returns ``(runs with such a record, whether any run produced that record type at all)``.
    """
    hits, seen = 0, False
    for r in results:
        found = False
        for x in r.records:
            if x.get("kind") == kind and x.get("type") in types:
                seen = True
                if x.get("actor") == actor and x.get("target") == target:
                    found = True
        hits += found
    return hits, seen


def step_unit_mislabels(scenario: Any, seed: int = 0) -> tuple[int, int]:
    """Lines of a run's narrative and story that name a step in another unit than the scenario's.

    Returns ``(mislabelled lines, lines)``: for a daily scenario, lines saying "Week N"; for a
    weekly one, lines saying "Day N".
    """
    from sim import run_scenario

    r = run_scenario(scenario, seed=seed)
    lines = list(r.narrative(explain=True)) + list(r.story())
    wrong = r"\bWeek \d+" if scenario.calendar.step == "day" else r"\bDay \d+"
    return sum(bool(re.search(wrong, ln)) for ln in lines), len(lines)


def missing_as_zero(scenarios: list[Any]) -> tuple[int, int, list[str]]:
    """Catalog values missing for an actor that the model's world holds as the number 0.

    Returns ``(missing values held as 0, missing values, examples)`` over the fields
    ``milex``, ``polyarchy`` and ``ideal_point`` of every actor of ``scenarios``.
    """
    from sim.catalog import load_catalog
    from sim.model import build_world

    cat = load_catalog()
    zero = missing = 0
    examples: list[str] = []
    for sc in scenarios:
        w = build_world(sc)
        for a, spec in zip(w.actors, sc.actors, strict=True):
            if not spec.catalog or not cat.has_state(spec.code, sc.data_year):
                continue
            rec = cat.state(spec.code, sc.data_year)
            for f in ("milex", "polyarchy", "ideal_point"):
                if getattr(rec, f, 0) is None and getattr(spec.overrides, f, None) is None:
                    missing += 1
                    v = getattr(a, f, None)
                    if v is not None and float(v) == 0.0:
                        zero += 1
                        examples.append(f"{spec.code} {f} ({sc.data_year})")
    return zero, missing, examples


def _runs(scenario: Any, runs: int, seed: int) -> list[Any]:
    from sim import run_scenario
    from sim.ensemble import child_seeds

    return [run_scenario(scenario, seed=s) for s in child_seeds(seed, runs)]


def face_validity(root: Path, runs: int = 500, record_runs: int = 200, seed: int = 0, *, executor: Any = "process",
                  workers: int | None = None, events: dict[str, Any] | None = None,
                  progress: Progress | None = None) -> list[Finding]:
    """Re-measure every finding of the issue "A credible model" (see the module docstring).

    Args:
        root: The repository (its ``scenarios/`` folder holds the bundled scenarios).
        runs: Runs of each ensemble measurement.
        record_runs: Runs whose full records are read (decisions toward a given state).
        seed: Master seed.
        executor: Executor of the ensembles.
        workers: Worker processes.
        events: The :func:`~sim.validation.credibility.events_matter` result of the founding
            scenario, if already measured (its RUS–USA line is reused).
        progress: Progress callback of the ensemble measurements.
    """
    rungs = hostility_rungs()
    out: list[Finding] = []
    groups = [_quiet_gp, _threats, _records, _ensembles, _labels]
    ctx = {"root": root, "runs": runs, "record_runs": record_runs, "seed": seed, "executor": executor,
           "workers": workers, "events": events, "progress": progress, "rungs": rungs}
    for g in groups:
        try:
            out += g(**ctx)
        except Exception as exc:  # noqa: BLE001 — a finding the model cannot answer is reported, not fatal
            out.append(Finding(g.__doc__ or g.__name__, "—", "—", f"not measured: {type(exc).__name__}: {exc}", 0))
    return out


def _quiet_gp(root: Path, runs: int, record_runs: int, seed: int, executor: Any, workers: int | None,
               events: dict[str, Any] | None, progress: Progress | None, rungs: dict[str, int]) -> list[Finding]:
    """Quiet great-power world."""
    from sim.validation.onsets import measure_onsets

    out: list[Finding] = []
    gp = great_power_world()
    o = measure_onsets([gp], runs, seed, executor=executor, workers=workers, progress=progress)[0]
    q = quiet_world(gp, runs, seed, onsets=o)
    row = next(r for r in q["dyads"] if r["dyad"] == "USA–RUS")
    k = o.dyad_index("USA–RUS")
    out.append(Finding("Quiet great-power world: use of force between the great powers", "~20% of one-year runs",
                       f"{', '.join(gp.codes)}, no events, 52 weeks: USA–RUS newly reaches use of force (rung ≥ {rungs['force']})",
                       _pct(row["force_runs"], q["runs"]), q["runs"]))
    out.append(Finding("… and shows of force between them", "every run, ~11 a year",
                       f"USA–RUS newly reaches display (rung ≥ {rungs['display']}): share of runs; mean number per year",
                       f"{_pct(o.count['display'][k], o.runs)}; {o.crossings['display'][k] / o.runs / o.years:.1f} a year",
                       o.runs))
    if events is not None:
        ev = next((r for r in events["dyads"] if r["dyad"] in ("RUS–USA", "USA–RUS")), None)
        if ev is not None:
            f = ev["force"]
            out.append(Finding("Events change the great-power outcome", "by about 1 point",
                               "founding scenario vs its quiet variant, RUS–USA new use of force, paired difference",
                               f"{100 * f['diff']:+.1f} points [{100 * f['lo']:+.1f}, {100 * f['hi']:+.1f}]",
                               events["runs"]))
    return out


def _threats(root: Path, runs: int, record_runs: int, seed: int, executor: Any, workers: int | None,
               events: dict[str, Any] | None, progress: Progress | None, rungs: dict[str, int]) -> list[Finding]:
    """Top threats at the start."""
    from sim import load_scenario

    out: list[Finding] = []
    kr = load_scenario(root / "scenarios" / "korea-russia-2024.yaml")
    codes = kr.codes
    i = codes.index

    t = threat_matrix(kr, seed)
    i = codes.index
    ukr = np.where(np.arange(len(codes)) == i("UKR"), -np.inf, t[i("UKR")])
    out.append(Finding("Ukraine's top threat", "China (0.94)", "threat matrix at the start, row UKR",
                       f"{codes[int(np.argmax(ukr))]} ({ukr.max():.2f})", 1))
    out.append(Finding("Threat South Korea perceives from its ally the US", "0.41", "threat[ROK, USA] at the start",
                       f"{t[i('ROK'), i('USA')]:.2f}", 1))
    out.append(Finding("Threat Cuba perceives from Japan", "0.93", "threat[CUB, JPN] at the start",
                       f"{t[i('CUB'), i('JPN')]:.2f}", 1))
    return out


def _records(root: Path, runs: int, record_runs: int, seed: int, executor: Any, workers: int | None,
               events: dict[str, Any] | None, progress: Progress | None, rungs: dict[str, int]) -> list[Finding]:
    """Decisions read from run records."""
    from sim import load_scenario

    out: list[Finding] = []
    kr = load_scenario(root / "scenarios" / "korea-russia-2024.yaml")
    codes = kr.codes
    i = codes.index

    res = _runs(kr, record_runs, seed)
    n = len(res)
    hits, seen = records_share(res, "decision", ("bandwagon", "yield", "concede", "back_down"), "RUS", "USA")
    out.append(Finding("Russia yields to the US", "60% of runs", "runs with a decision 'bandwagon'/'yield' by RUS toward USA",
                       _pct(hits, n) if seen else "no such decision type in the model", n))
    hits, seen = records_share(res, "decision", ("show_force", "display"), "USA", "CUB")
    shown = sum(any(x.get("actor") == "USA" and x.get("target") == "CUB" and (x.get("level") or 0) >= rungs["display"]
                    for x in r.records) for r in res)
    out.append(Finding("US show of force toward Cuba", "98% of runs",
                       "runs with a show of force by USA toward CUB: chosen by the model; any (the scheduled "
                       "Guantánamo deployment included)",
                       (_pct(hits, n) if seen else "no such decision type in the model") + f"; {_pct(shown, n)}", n))
    iu = np.triu_indices(len(codes), 1)
    if getattr(res[0], "final_pledge", None) is not None and getattr(res[0], "initial_pledge", None) is not None:
        a, b = i("ROK"), i("JPN")
        new = sum(bool(max(r.final_pledge[a, b], r.final_pledge[b, a]) >= 0.5 > max(r.initial_pledge[a, b], r.initial_pledge[b, a]))
                  for r in res)
        out.append(Finding("South Korea and Japan form a defence pledge", "73% of runs",
                           "runs in which a ROK–JPN pledge of at least 0.5 forms", _pct(new, n), n))
    al = [float(r.initial_align[i("RUS"), i("UKR")]) for r in res[:1] if getattr(r, "initial_align", None) is not None]
    if al:
        war_end = [float(r.final_align[i("RUS"), i("UKR")]) for r in res
                   if r.final_level[i("RUS"), i("UKR")] >= rungs["war"] and getattr(r, "final_align", None) is not None]
        out.append(Finding("Russia–Ukraine alignment while at war", "0.45",
                           "align[RUS, UKR] at the start (at war); mean at the end of runs still at war",
                           f"{al[0]:.2f}; {np.mean(war_end):.2f}" if war_end else f"{al[0]:.2f}; no run ends at war", n))
    del iu
    return out


def _ensembles(root: Path, runs: int, record_runs: int, seed: int, executor: Any, workers: int | None,
               events: dict[str, Any] | None, progress: Progress | None, rungs: dict[str, int]) -> list[Finding]:
    """Wars drawn in, nuclear rungs."""
    from sim import load_scenario
    from sim.ensemble import run_many

    out: list[Finding] = []
    kr = load_scenario(root / "scenarios" / "korea-russia-2024.yaml")

    base, nopact = run_many(kr, [None, "no-pact"], runs, seed, executor=executor, workers=workers)

    def reach(res_: Any, dyad: str, rung: int) -> int:
        kk = res_.layout.dyad_index(dyad)
        return int((res_.table["peak"][:, kk] >= rung).sum())

    out.append(Finding("North Korea joins Russia's war (PRK–UKR at war)", "2.9%, the same with or without the pact",
                       f"PRK–UKR reaches rung ≥ {rungs['war']}: baseline; no-pact variant (same seeds)",
                       f"{_pct(reach(base, 'PRK–UKR', rungs['war']), base.completed)}; "
                       f"{_pct(reach(nopact, 'PRK–UKR', rungs['war']), nopact.completed)}", base.completed))
    out.append(Finding("Japan–Cuba war", "1.5–2% of runs", f"JPN–CUB reaches rung ≥ {rungs['war']}",
                       _pct(reach(base, "JPN–CUB", rungs["war"]), base.completed), base.completed))
    parts = []
    total = 0
    for path in sorted((root / "scenarios").glob("*.yaml")):
        sc = load_scenario(path)
        r0 = run_many(sc, [None], runs, seed, executor=executor, workers=workers)[0]
        hit = int((r0.table["peak"].max(axis=1) >= 8).sum())
        parts.append(f"{sc.id} {_pct(hit, r0.completed)}")
        total += r0.completed
    out.append(Finding("Nuclear rungs 8–10 reachable", "practically unreachable",
                       "runs in which any dyad reaches rung ≥ 8, per bundled scenario", "; ".join(parts), total))
    return out


def _labels(root: Path, runs: int, record_runs: int, seed: int, executor: Any, workers: int | None,
               events: dict[str, Any] | None, progress: Progress | None, rungs: dict[str, int]) -> list[Finding]:
    """Labels and missing data."""
    from sim import load_scenario

    out: list[Finding] = []
    load_scenario(root / "scenarios" / "korea-russia-2024.yaml")

    cmc = load_scenario(root / "scenarios" / "cuban-missile-crisis-1962.yaml")
    bad, lines = step_unit_mislabels(cmc, seed)
    out.append(Finding("60-day scenarios told in 'Week 27'", "yes", "lines of a daily scenario's narrative and story naming a 'Week N'",
                       f"{bad} of {lines} lines", 1))
    scs = [load_scenario(p) for p in sorted((root / "scenarios").glob("*.yaml"))]
    zero, missing, ex = missing_as_zero(scs)
    out.append(Finding("Missing data shown as 0", "North Korea's military spending; states without UN votes at +0.00",
                       "catalog values missing for a bundled scenario's actor that the model's world holds as 0",
                       f"{zero} of {missing}" + (f" (e.g. {', '.join(ex[:3])})" if ex else ""), "—"))
    return out
