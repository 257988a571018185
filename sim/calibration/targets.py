"""The calibration's world targets: MID onset rates by dyad type and hostility, and how long wars last.

Two targets besides the ICB violence distribution (:mod:`sim.calibration.moments`), each simulated
once per design point through the public ensemble API (:func:`sim.ensemble.run_many`, any executor,
the ensemble layer's seeds) and compared with a table shipped in ``sim/data`` (built by
``scripts/build_calibration_targets.py``):

* **MID onsets before 1990** (GML MID v2.2.1): per 1,000 dyad-years, by dyad type (contiguous,
  major power, other) and hostility band (at least a threat, a display, a use of force, a war).
  Simulated: small worlds of real states (a seeded sample of years 1816–1989; in each, a few seeded
  anchor states with their land neighbours and the major powers, at most ``states`` of them), run
  for one year with nothing scripted. A simulated dyad-year counts in a band when its highest rung
  of the year reaches the band's rung: threat 2 (a threat), display 4 (a show of force), force 5
  (armed clash), war 7. The moment is log(rate); its sampling variance ≈ 1/onsets (delta method,
  Poisson counts) plus the simulation's own 1/(simulated onsets + ½).
* **War continuation** (COW inter-state wars before 1990): the share of war dyad-years followed by
  another year of the same war. Simulated: a seeded sample of those war dyad-years, each as a
  two-state world of its year starting at war (rung 7), run for 52 weeks; the share of runs still at
  rung ≥ 7. Variance p(1 − p)/n of the observed share, with n the number of *wars* (the dyad-years
  of one war are not independent draws), plus the simulated share's.
* **Dangerous dyads** (Bremer 1992; the contrasts of docs/validation.md §1): the ratio of the
  use-of-force rate inside and outside each of five categories — land contiguity, a major power
  involved, joint democracy, parity and a defence pact (the last three among politically relevant
  dyads) — against the real ratio of the MID uses of force 1946–2010 (``sim/data/base_rates_MID_1946-2010.csv``).
  Simulated: the whole state system of ``dyad_year`` (2010 by default, as in §1) run for one year
  with nothing scripted; a dyad-year counts when its highest rung reaches 5. The moment is the log
  ratio; its variance 1/k_in + 1/k_out (delta method, Poisson counts) of the real counts plus the
  simulated counts' (+ ½ each).
* **Quiet worlds** (the acceptance of issue 10; docs/validation.md "Quiet worlds stay quiet"): each
  bundled scenario with its scheduled events removed, run for one year. Every dyad that starts below
  the use of force is held to the band ×½–×2 around its reference yearly chance of a new use of force
  (:func:`sim.validation.credibility.quiet_references`: the MID rate of its dyad type, rivals'
  rates for rivals, the share of disputes that reach force for a dyad already in one), and a pair
  that starts at peace to at most 2% war in the year — war of the pair itself: a run in which one side
  fights for a partner at war with the other is alliance support (docs/validation.md §6, the honoured
  share of pledges is fitted by ``scripts/fit_entry.py``) and is not counted. A dyad inside its band adds nothing; outside,
  its discrepancy is the squared log distance to the band's edge over the simulated count's
  variance (1/(k + ½)); a peace pair over 2% war adds (p − 0.02)² / (p(1 − p)/n). The target is the
  mean over dyads plus a floor of 0.1 (:data:`QUIET_FLOOR`: the emulator fits its logarithm). It is a constraint, not a score: docs/validation.md measures the same worlds,
  so their check is no longer out of sample (said there).
"""

from __future__ import annotations

import csv
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from sim.calibration.checkpoint import load_checkpoint, prepare_folder, save_checkpoint
from sim.calibration.space import ParameterSpace, key_of, model_fingerprint
from sim.errors import FlashpointError
from sim.scales import MID_RUNGS

__all__ = ["BANDS", "DANGEROUS", "DYAD_TYPES", "QUIET_SCENARIOS", "WorldEvaluator", "WorldTargets", "read_mid_rates",
           "band_counts", "quiet_rows", "read_war_years"]

#: Hostility bands: (MID level name, the model's rung that reaches it; :data:`sim.scales.MID_RUNGS`).
BANDS: tuple[tuple[str, int], ...] = tuple(MID_RUNGS.items())
#: Dyad types, in table order.
DYAD_TYPES: tuple[str, ...] = ("contiguous", "major", "other")
#: The dangerous-dyad contrasts fitted (categories of :data:`sim.validation.dyads.CATEGORIES`).
DANGEROUS: tuple[str, ...] = ("land-contiguous", "involves a major power", "PR: both democracies",
                              "PR: parity (CINC ratio ≤ 3)", "PR: defence pact")
#: The bundled scenarios whose quiet variants are the ``quiet`` target (file stems).
QUIET_SCENARIOS: tuple[str, ...] = ("cuban-missile-crisis-1962", "july-crisis-1914", "korea-russia-2024")
#: Highest share of one-year quiet runs in which a pair that starts at peace may reach war (issue 10).
QUIET_WAR_LIMIT = 0.02
#: Added to the quiet discrepancy so that its logarithm (what the loss emulator fits) stays finite
#: where every dyad is inside its band; a constant, it moves no minimum.
QUIET_FLOOR = 0.1
_MID = "mid_onset_rates_1816-1989.csv"
_WAR = "cow_war_continuation.csv"


def _rows(name: str) -> list[dict[str, str]]:
    path = resources.files("sim") / "data" / name
    try:
        with path.open(encoding="utf-8") as fh:
            return list(csv.DictReader(fh))
    except OSError:
        raise FlashpointError(f"sim/data/{name} is missing: run scripts/build_calibration_targets.py") from None


def read_mid_rates() -> dict[tuple[str, str], tuple[int, int]]:
    """``{(dyad type, band): (dyad-years, onsets)}`` from the shipped table."""
    return {(r["dyad_type"], r["band"]): (int(r["dyad_years"]), int(r["onsets"])) for r in _rows(_MID)}


def read_war_years() -> list[tuple[int, int, int, int, int]]:
    """COW war dyad-years before 1990: ``(warnum, ccode1, ccode2, year, continued)``."""
    return [(int(r["warnum"]), int(r["ccode1"]), int(r["ccode2"]), int(r["year"]), int(r["continued"]))
            for r in _rows(_WAR)]


def band_counts(peak: np.ndarray, types: np.ndarray) -> np.ndarray:
    """Dyad-years and onsets per dyad type from one world's peaks: ``[type, (dyad-years, threat, display, force, war)]``.

    ``peak`` is runs × dyads (each run one year), ``types`` the dyads' index in :data:`DYAD_TYPES`; a
    dyad-year counts in a band when its highest rung of the year reaches the band's rung (:data:`BANDS`).
    """
    out = np.zeros((len(DYAD_TYPES), 1 + len(BANDS)))
    for t in range(len(DYAD_TYPES)):
        cols = peak[:, types == t]
        out[t, 0] = cols.size
        for b, (_, rung) in enumerate(BANDS):
            out[t, 1 + b] = int((cols >= rung).sum())
    return out


def quiet_rows(peak: np.ndarray, support: np.ndarray | None, refs: list[dict[str, Any]], n: int) -> list[list[int]]:
    """The quiet target's counts of one world: ``[runs with a new use of force, runs at war of the pair's own, runs]``.

    One row per dyad that starts below the use of force (``refs``: its reference rows, in dyad order).
    ``peak`` is runs × dyads, ``support`` runs × N × N (the highest support given, row the supporter). A
    run in which one side fought for a partner at war with the other is not the pair's own war
    (:func:`sim.validation.onsets.fought_for_partner`).
    """
    from sim.validation.onsets import fought_for_partner

    force, war = MID_RUNGS["force"], MID_RUNGS["war"]
    own_war = (peak >= war) & ~fought_for_partner(peak, support, war, n)
    return [[int((peak[:, d] >= force).sum()), int(own_war[:, d].sum()), int(peak.shape[0])]
            for d, ref in enumerate(refs) if ref["start"] < force]


@dataclass
class WorldTargets:
    """The world scenarios of the MID and war targets, their observed moments and variances.

    Build with :meth:`build`; :meth:`simulate` runs a parameter vector; :meth:`discrepancies` turns
    simulated moments into standardised discrepancies.
    """

    mid_worlds: list[Any]
    mid_types: list[np.ndarray]
    war_worlds: list[Any]
    names: list[str]
    observed: np.ndarray
    observed_var: np.ndarray
    target_of: list[str]
    dyad_world: Any | None = None
    dyad_masks: list[tuple[np.ndarray, np.ndarray]] = field(default_factory=list)
    quiet_worlds: list[Any] = field(default_factory=list)
    quiet_refs: list[list[dict[str, Any]]] = field(default_factory=list)

    @classmethod
    def build(cls, years: int = 3, states: int = 24, wars: int = 6, seed: int = 0, dyad_year: int = 0,
              quiet: bool = False) -> WorldTargets:
        """Sample the worlds (seeded). ``years``/``wars``/``dyad_year`` = 0 leaves that target out; ``quiet`` adds the quiet worlds."""
        from sim.catalog import load_catalog
        from sim.scenario.generate import world_scenario

        cat = load_catalog()
        rng = np.random.default_rng(np.random.SeedSequence([seed, 0x3D1]))
        names, obs, var, target_of = [], [], [], []
        mid_worlds, mid_types = [], []
        if years > 0:
            real = read_mid_rates()
            for y in sorted(int(v) for v in rng.choice(np.arange(1816, 1990), size=years, replace=False)):
                codes = cat.codes(y)
                contig = np.asarray(cat.contiguity(codes, y)) == 1
                major = np.array([r.major_power for r in cat.states(codes, y)])
                keep = set(np.flatnonzero(major).tolist())
                for a in rng.permutation(len(codes)):
                    if len(keep) >= states:
                        break
                    group = {int(a), *np.flatnonzero(contig[a]).tolist()}
                    keep |= set(sorted(group)[: max(0, states - len(keep))]) if len(keep | group) > states else group
                idx = sorted(keep)[:states]
                sub = [codes[i] for i in idx]
                iu = np.triu_indices(len(sub), 1)
                c, m = contig[np.ix_(idx, idx)][iu], (major[idx][:, None] | major[idx][None, :])[iu]
                mid_types.append(np.where(c, 0, np.where(m, 1, 2)))
                mid_worlds.append(world_scenario(y, codes=sub))
            for t in DYAD_TYPES:
                for band, _ in BANDS:
                    n, k = real[(t, band)]
                    names.append(f"mid[{t},{band}]")
                    obs.append(math.log(1000.0 * max(k, 0.5) / n))
                    var.append(1.0 / max(k, 0.5))
                    target_of.append("mid")
        war_worlds = []
        if wars > 0:
            rows = read_war_years()
            by_ccode = {cat.resolve(c): c for c in cat.known_codes()}
            usable = [r for r in rows if r[1] in by_ccode and r[2] in by_ccode
                      and cat.has_state(by_ccode[r[1]], r[3]) and cat.has_state(by_ccode[r[2]], r[3])]
            if not usable:
                raise FlashpointError("no COW war dyad-year is in the catalog")
            p = float(np.mean([r[4] for r in rows]))
            n_wars = len({r[0] for r in rows})  # dyad-years of one war are not independent: count wars
            for i in sorted(rng.choice(len(usable), size=min(wars, len(usable)), replace=False).tolist()):
                _, a, b, y, _ = usable[i]
                sc = world_scenario(y, codes=[by_ccode[a], by_ccode[b]])
                data = sc.model_dump(mode="python")
                data["relations"]["wars"] = [[by_ccode[a], by_ccode[b]]]
                data["id"] = f"war-{by_ccode[a]}-{by_ccode[b]}-{y}".lower()
                war_worlds.append(type(sc).model_validate(data))
            names.append("war_continuation")
            obs.append(p)
            var.append(p * (1 - p) / n_wars)
            target_of.append("war")
        dyad_world, masks = None, []
        if dyad_year:
            from sim.validation.dyads import CATEGORIES, REAL_RATES, dyad_categories

            dyad_world = world_scenario(dyad_year)
            cats = dyad_categories(dyad_world.codes, dyad_year)
            rows = {label: (r_in, r_out) for label, r_in, r_out in CATEGORIES}
            for label in DANGEROUS:
                masks.append(cats[label])
                r_in, r_out = (REAL_RATES[r] for r in rows[label])
                k_in, k_out = (r["force_per_1000"] * r["dyad_years"] / 1000.0 for r in (r_in, r_out))
                names.append(f"dyads[{label}]")
                obs.append(math.log(r_in["force_per_1000"] / r_out["force_per_1000"]))
                var.append(1.0 / max(k_in, 0.5) + 1.0 / max(k_out, 0.5))
                target_of.append("dyads")
        quiet_worlds, quiet_refs = (_quiet_worlds() if quiet else ([], []))
        return cls(mid_worlds, mid_types, war_worlds, names, np.array(obs), np.array(var), target_of, dyad_world, masks,
                   quiet_worlds, quiet_refs)

    @property
    def scenarios(self) -> list[Any]:
        """Every world scenario: MID worlds, war worlds, then the dangerous-dyad world (if any)."""
        return [*self.mid_worlds, *self.war_worlds, *([self.dyad_world] if self.dyad_world is not None else []),
                *self.quiet_worlds]

    @property
    def kinds(self) -> set[str]:
        """The raw-count kinds :meth:`simulate` returns for these targets."""
        return ({"mid", "war"} | ({"dyads"} if self.dyad_world is not None else set())
                | ({"quiet"} if self.quiet_worlds else set()))

    @property
    def targets(self) -> list[str]:
        """The world targets in this set, in loss order (``mid``, ``war``, ``dyads``, ``quiet``)."""
        return [*dict.fromkeys(self.target_of), *(["quiet"] if self.quiet_worlds else [])]

    def simulate(self, scenarios: list[Any], runs: int, seed: int, *, executor: Any, progress: Callable[[int, int], None] | None = None,
                 dyad_runs: int | None = None, quiet_runs: int | None = None) -> dict[str, Any]:
        """Run ``scenarios`` (:attr:`scenarios` with a parameter vector applied) and read the raw counts.

        Args:
            scenarios: :attr:`scenarios`, in that order, with the parameter values applied.
            runs: Replications of each MID and war world.
            seed: Master seed (the ensemble layer's child seeds).
            executor: An ensemble executor name or open handle.
            progress: ``progress(done, total)`` over the runs.
            dyad_runs: Replications of the dangerous-dyad world (default ``runs``; it is the costly one).
            quiet_runs: Replications of each quiet world (default ``runs``; rare wars need many).

        Returns:
            ``{"mid": [[dyad-years, onsets per band] per type], "war": [runs still at war, runs]}``, and
            ``"dyads": [[force in, dyad-years in, force out, dyad-years out] per category]`` with that target, and
            ``"quiet": [[runs with a new use of force, runs at war not by fighting for a partner, runs] per dyad below
            force at the start]`` with that one.
        """
        from sim.ensemble import run_many

        out: dict[str, Any] = {"mid": [], "war": []}
        if self.quiet_worlds:
            quiet = scenarios[len(scenarios) - len(self.quiet_worlds):]
            scenarios = scenarios[: len(scenarios) - len(self.quiet_worlds)]
            res = run_many(quiet[0], [], quiet_runs or runs, seed, executor=executor, progress=progress, dyad_levels=False,
                           scenarios=quiet, labels=[s.id for s in quiet])
            out["quiet"] = [row for r, q, refs in zip(res, quiet, self.quiet_refs, strict=True)
                            for row in quiet_rows(np.asarray(r.table["peak"]), np.asarray(r.table["support"]), refs,
                                                  len(q.codes))]
        if self.dyad_world is not None:
            *scenarios, world = scenarios
            res = run_many(world, [], dyad_runs or runs, seed, executor=executor, progress=progress, dyad_levels=False,
                           scenarios=[world], labels=[world.id])
            force = (np.asarray(res[0].table["peak"]) >= 5)  # runs × dyads
            n = force.shape[0]
            out["dyads"] = [[int(force[:, m_in].sum()), int(m_in.sum()) * n, int(force[:, m_out].sum()), int(m_out.sum()) * n]
                            for m_in, m_out in self.dyad_masks]
        if not scenarios:
            return out
        res = run_many(scenarios[0], [], runs, seed, executor=executor, progress=progress, dyad_levels=False,
                       scenarios=scenarios, labels=[s.id for s in scenarios])
        mid = sum((band_counts(np.asarray(r.table["peak"]), types)
                   for r, types in zip(res[: len(self.mid_worlds)], self.mid_types, strict=True)),
                  np.zeros((len(DYAD_TYPES), 1 + len(BANDS))))
        war = [0, 0]
        for r in res[len(self.mid_worlds):]:
            final = np.asarray(r.table["final"])[:, 0]
            war[0] += int((final >= 7).sum())
            war[1] += int(final.size)
        return {**out, "mid": mid.tolist(), "war": war}

    def moments(self, counts: dict[str, Any]) -> tuple[np.ndarray, np.ndarray]:
        """Simulated moments (in the order of ``names``) and their simulation variances."""
        sim, var = [], []
        if self.mid_worlds:
            mid = np.asarray(counts["mid"], dtype=float)
            for t in range(len(DYAD_TYPES)):
                for b in range(len(BANDS)):
                    k, n = mid[t, 1 + b], max(mid[t, 0], 1.0)
                    sim.append(math.log(1000.0 * (k + 0.5) / n))
                    var.append(1.0 / (k + 0.5))
        if self.war_worlds:
            k, n = counts["war"]
            p = (k + 0.5) / (n + 1.0)
            sim.append(k / max(n, 1))
            var.append(p * (1 - p) / max(n, 1))
        if self.dyad_world is not None:
            for k_in, n_in, k_out, n_out in counts["dyads"]:
                sim.append(math.log((k_in + 0.5) / max(n_in, 1)) - math.log((k_out + 0.5) / max(n_out, 1)))
                var.append(1.0 / (k_in + 0.5) + 1.0 / (k_out + 0.5))
        return np.array(sim), np.array(var)

    def dyad_ratios(self, counts: dict[str, Any]) -> dict[str, dict[str, float]]:
        """Per dangerous-dyad category: the simulated and the real use-of-force rate ratio (in / out)."""
        if self.dyad_world is None:
            return {}
        sim, _ = self.moments(counts)
        return {name[len("dyads["):-1]: {"model": float(math.exp(s)), "real": float(math.exp(o))}
                for name, s, o, t in zip(self.names, sim, self.observed, self.target_of, strict=True) if t == "dyads"}

    def discrepancies(self, counts: dict[str, Any]) -> dict[str, float]:
        """Per target (``mid``, ``war``), the mean of (simulated − observed)² / (observed + simulated variance)."""
        sim, svar = self.moments(counts)
        z = (sim - self.observed) ** 2 / (self.observed_var + svar)
        out: dict[str, float] = {}
        for t in dict.fromkeys(self.target_of):
            mask = np.array([x == t for x in self.target_of])
            out[t] = float(z[mask].mean())
        if self.quiet_worlds:
            out["quiet"] = self.quiet_discrepancy(counts["quiet"])
        return out

    def quiet_references(self) -> list[dict[str, Any]]:
        """The reference of every quiet dyad that starts below the use of force, in the order of the counts."""
        return [ref for refs in self.quiet_refs for ref in refs if ref["start"] < MID_RUNGS["force"]]

    def quiet_discrepancy(self, rows: list[list[int]]) -> float:
        """The ``quiet`` target's discrepancy from ``[force runs, war runs, runs]`` per dyad (see the module docstring)."""
        refs = self.quiet_references()
        if len(rows) != len(refs):
            raise FlashpointError(f"quiet counts for {len(rows)} dyads, {len(refs)} expected")
        z = []
        for (kf, kw, n), ref in zip(rows, refs, strict=True):
            p = (kf + 0.5) / (n + 1.0)
            gap = max(0.0, abs(math.log(p) - math.log(ref["p_ref"])) - math.log(2.0))
            zz = gap * gap * (kf + 0.5)
            if ref["peace_start"]:
                pw = (kw + 0.5) / (n + 1.0)
                over = max(0.0, kw / max(n, 1) - QUIET_WAR_LIMIT)
                zz += over * over / (pw * (1 - pw) / max(n, 1))
            z.append(zz)
        return float(np.mean(z)) + QUIET_FLOOR if z else QUIET_FLOOR


@dataclass
class WorldEvaluator:
    """Runs a parameter vector on the world targets' scenarios (once: checkpointed) and returns raw counts.

    The checkpoint key covers the parameter values, every world scenario's content, runs, seed and
    the model's source fingerprint (as :class:`sim.calibration.moments.Evaluator`).
    """

    targets: WorldTargets
    space: ParameterSpace
    runs: int = 10
    dyad_runs: int = 4
    quiet_runs: int = 100
    seed: int = 0
    executor: Any = "process"
    checkpoints: Path | None = None
    progress: Callable[[int, int], None] | None = None
    evaluations: int = 0
    reused: int = 0
    _memory: dict[str, dict[str, Any]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.fingerprint = model_fingerprint()
        self.checkpoints = prepare_folder(self.checkpoints)
        self._worlds = key_of([s.model_dump(mode="json") for s in self.targets.scenarios])

    def key(self, x: Any) -> str:
        """The checkpoint key of natural values ``x``."""
        extra = {"dyad_runs": self.dyad_runs} if self.targets.dyad_world is not None else {}
        if self.targets.quiet_worlds:
            # "own war": since 7 December 2026 the quiet counts leave out war by fighting for a partner
            extra |= {"quiet_runs": self.quiet_runs, "quiet_war": "own war"}
        return key_of({"parameters": self.space.assign(x), "worlds": self._worlds, "runs": self.runs, "seed": self.seed,
                       "model": self.fingerprint, "kind": "world", **extra})

    def counts(self, x: Any) -> dict[str, Any]:
        """The world targets' raw counts under parameter values ``x`` (see :meth:`WorldTargets.simulate`)."""
        k = self.key(x)
        if k in self._memory:
            self.reused += 1
            return self._memory[k]
        doc = load_checkpoint(self.checkpoints, k)
        if doc is not None and isinstance(doc.get("counts"), dict) and self.targets.kinds <= set(doc["counts"]):
            self.reused += 1
            self._memory[k] = doc["counts"]
            return doc["counts"]
        scs = [self.space.apply(s, x) for s in self.targets.scenarios]
        got = self.targets.simulate(scs, self.runs, self.seed, executor=self.executor, progress=self.progress,
                                    dyad_runs=self.dyad_runs, quiet_runs=self.quiet_runs)
        self.evaluations += 1
        self._memory[k] = got
        save_checkpoint(self.checkpoints, k, {"parameters": self.space.assign(x), "runs": self.runs, "seed": self.seed,
                                              "model": self.fingerprint, "counts": got})
        return got


def _quiet_worlds() -> tuple[list[Any], list[list[dict[str, Any]]]]:
    """The bundled scenarios' one-year quiet variants and each dyad's reference (:data:`QUIET_SCENARIOS`)."""
    from sim.model import build_world
    from sim.resources import scenarios_dir
    from sim.scenario.loader import load_scenario
    from sim.scenario.quiet import one_year, quiet_scenario
    from sim.validation.credibility import quiet_references
    from sim.validation.history import rivalry_rates

    worlds, refs = [], []
    rates = rivalry_rates()
    for stem in QUIET_SCENARIOS:
        q = one_year(quiet_scenario(load_scenario(scenarios_dir() / f"{stem}.yaml")))
        iu, ju = np.triu_indices(len(q.codes), 1)
        starts = build_world(q).level[iu, ju].tolist()  # the rungs every run starts from
        worlds.append(q)
        refs.append(quiet_references(q, starts, rates))
    return worlds, refs
