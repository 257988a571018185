"""Acceptance measurements of a credible model (issue "A credible model", docs/validation.md).

Each function measures one acceptance criterion through the public API (scenarios, runs,
ensembles) and returns plain rows; ``scripts/validate_credibility.py`` renders them.

- :func:`quiet_world` — a scenario's quiet variant (:func:`~sim.scenario.quiet.quiet_scenario`)
  run for one year: every dyad's yearly chance of a new use of force next to the MID rate for its
  dyad type (:func:`reference_force_rate`), and each peace-start pair's chance of war — all of it,
  and the part not reached by one side fighting for a partner at war with the other (a state
  joining a partner's war is alliance support, held to the honoured share of pledges that
  ``scripts/fit_entry.py`` fits, not a new war of a pair at peace).
- :func:`events_matter` — the scenario against its quiet variant on the dyads its events name,
  paired over common seeds (Newcombe intervals for paired proportions, paired bootstrap for means):
  new disputes, the highest rung, and time-averaged measures (the mean rung over the horizon, the
  shares of it at display and at the use of force) that see events in a dyad already at a high rung.
- :func:`event_contributions` — leave one out: each scheduled event's effect on the focal dyads'
  time-averaged rung, given the scenario's other events.
- :func:`top_threats` — each state's top threat at the start, and whether it is a formal ally, a
  rival in the data, an adversary in the scenario or in a recent militarized dispute (MID data).
- :func:`own_record` — each dyad's own record of new uses of force in the MID data before the data
  year (the yardstick for a dyad whose type's reference does not describe it).
- :func:`great_power_world` — a small quiet world of two rival great powers and their partners.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from sim.validation.dyads import REAL_RATES
from sim.validation.onsets import Onsets, hostility_rungs, measure_onsets

__all__ = [
    "DOUBLING",
    "MID_YEARS",
    "WAR_THRESHOLD",
    "recent_disputes",
    "own_record",
    "dyad_types",
    "reference_force_rate",
    "dispute_escalation",
    "classify",
    "quiet_world",
    "quiet_references",
    "events_matter",
    "event_contributions",
    "focal_dyads",
    "threat_matrix",
    "top_threats",
    "great_power_world",
]

#: A model rate counts as matching the data when it is within this factor of it.
DOUBLING = 2.0
#: Largest acceptable share of one-year quiet runs in which a pair at peace reaches war.
WAR_THRESHOLD = 0.02
#: A pair is an adversary in the data when a militarized dispute (GML MID) began between them in the
#: this many years before the data year (not the data year itself: its month is not shipped, and a
#: dispute of that year may come after the scenario's start — 1914's war is no evidence on 28 June).
MID_YEARS = 5

Progress = Callable[[int, int], None]

#: Reference rows of the shipped MID base rates (uses of force per 1,000 dyad-years, 1946–2010).
_REF_ROWS = {
    "contiguous": "land-contiguous=1",
    "major power": "involves major power=1",
    "other": "politically relevant (contig or major)=0",
}


def _pairs(codes: list[str]) -> tuple[np.ndarray, np.ndarray]:
    return np.triu_indices(len(codes), 1)


def dyad_types(scenario: Any) -> list[dict[str, Any]]:
    """Contiguity, major-power involvement, rivalry and formal alliance of every dyad at the start.

    Rivalry: a strategic rivalry of the data year in the catalog (Thompson et al.) or one the
    scenario names. Alliance: a defence pledge *in force* at the start, the same notion the model
    uses (:func:`sim.model.build_world`): an ATOP defence tie of the data year that is not dormant,
    ended, void (at war) or brought below currency 0.5 by the scenario's sanctions, or a defence
    alliance the scenario declares with a positive strength; a tie the scenario ends is none.
    """
    from sim.catalog import load_catalog
    from sim.model import build_world

    cat = load_catalog()
    codes, year = list(scenario.codes), scenario.data_year
    n = len(codes)
    in_cat = [a.catalog and cat.has_state(a.code, year) for a in scenario.actors]
    known = [c for c, ok in zip(codes, in_cat, strict=True) if ok]
    contig = np.zeros((n, n), dtype=bool)
    if len(known) >= 2:
        sub = np.asarray(cat.contiguity(known, year)) == 1
        idx = [codes.index(c) for c in known]
        contig[np.ix_(idx, idx)] = sub
    major = []
    for a, ok in zip(scenario.actors, in_cat, strict=True):
        m = a.overrides.major_power
        if m is None:
            m = cat.state(a.code, year).major_power if ok else False
        major.append(bool(m))
    rival: set[frozenset] = {frozenset(p) for p in scenario.relations.rivalries}
    if len(known) >= 2:
        rival |= {frozenset((a, b)) for a, b, *_ in cat.rivalries(known, year)}
    pledge = build_world(scenario, cat).pledge
    ally = {frozenset((codes[i], codes[j])) for i, j in zip(*np.nonzero(pledge > 0), strict=True)}
    rows = []
    for i, j in zip(*_pairs(codes), strict=True):
        pair = frozenset((codes[i], codes[j]))
        rows.append({"dyad": f"{codes[i]}–{codes[j]}", "contiguous": bool(contig[i, j]),
                     "major": major[i] or major[j], "rival": pair in rival, "ally": pair in ally})
    return rows


def reference_force_rate(kind: dict[str, Any], rivalry_rates: dict[str, float] | None = None) -> tuple[str, float]:
    """The MID rate of new uses of force (per 1,000 dyad-years) for a dyad's type.

    Rivals get the rivalry rate when one is given (``rivalry_rates``: ``{"contiguous": …,
    "other": …}`` per 1,000 rival dyad-years); otherwise land-contiguous dyads get the contiguous
    rate, other dyads with a major power the major-power rate and the rest the rate of dyads that
    are not politically relevant (shipped file ``base_rates_MID_1946-2010.csv``).
    """
    if kind["rival"] and rivalry_rates:
        key = "contiguous" if kind["contiguous"] else "other"
        return f"rivals, {'contiguous' if kind['contiguous'] else 'not contiguous'}", float(rivalry_rates[key])
    if kind["contiguous"]:
        return "contiguous", REAL_RATES[_REF_ROWS["contiguous"]]["force_per_1000"]
    if kind["major"]:
        return "major power", REAL_RATES[_REF_ROWS["major power"]]["force_per_1000"]
    return "other", REAL_RATES[_REF_ROWS["other"]]["force_per_1000"]


def classify(p: float, lo: float, hi: float, band: tuple[float, float]) -> str:
    """Where a model rate ``p`` (Wilson interval ``lo``–``hi``) falls against a reference ``band``.

    ``within`` the band; ``compatible`` when ``p`` is outside it but the interval overlaps it (the
    runs cannot tell the rate from one inside the band); ``above`` or ``below`` when the whole
    interval is outside.
    """
    if band[0] <= p <= band[1]:
        return "within"
    if hi >= band[0] and lo <= band[1]:
        return "compatible"
    return "above" if p > band[1] else "below"


def dispute_escalation() -> dict[str, float]:
    """How far new disputes go: of the dyad-years with a new MID (GML v2.2.1, 1816–1989), the share that reached a use of force and war.

    The reference for a dyad that starts a quiet run already in an open dispute (MID threat level or
    above): most disputes that are recorded at all reach a use of force (Gibler, Miller & Little
    2016; the shipped ``sim/data/mid_onsets_1816-1989.csv``).
    """
    from sim.validation.history import observed_onsets

    o = observed_onsets()
    return {"force": float(o.onset_force.mean()), "war": float(o.onset_war.mean()), "dyad_years": int(len(o))}


def _wilson(k: int, n: int) -> tuple[float, float, float]:
    from sim.analysis.stats import wilson

    return wilson(int(k), int(n))


def quiet_references(q: Any, starts: Sequence[int], rivalry_rates: dict[str, float] | None = None, *,
                     rungs: dict[str, int] | None = None) -> list[dict[str, Any]]:
    """What each dyad of a quiet one-year scenario ``q`` is held to (the reference of :func:`quiet_world`).

    ``starts`` gives each dyad's rung at the start (scenario order of the pairs ``i < j``). Per dyad:
    its type (:func:`dyad_types`), ``start``, ``in_dispute`` (the scenario's tension at the MID threat
    level or above, below the use of force: sanctions alone hold a dyad at rung 3 but are not a
    militarized dispute), ``peace_start`` (neither in a dispute nor at force), the ``reference`` name,
    ``ref_per_1000`` and ``p_ref``, the yearly chance of a new use of force it is compared with (for
    a dyad in a dispute: the share of new MIDs that reach force, :func:`dispute_escalation`) and
    ``p_war_ref``. A rival pair in a dispute also gets ``p_war_rival``, the yearly chance of a new war
    among Thompson–Dreyer rivals of its contiguity (:func:`~sim.validation.history.rivalry_war_rates`):
    a scripted tension between rivals stands for a rivalry's hostile phase, and a rivalry's year ends
    in war far less often than a dispute recorded as begun (``None`` for other dyads). The
    calibration's ``quiet`` target (:mod:`sim.calibration.targets`) uses the same force references
    as docs/validation.md (not ``p_war_rival``, a check only).
    """
    from sim.validation.history import rivalry_war_rates

    rungs = rungs or hostility_rungs()
    kinds = dyad_types(q)
    disputed = dispute_escalation()
    rival_war = rivalry_war_rates()
    disputes = {f"{a}–{b}" for t in q.relations.tensions if t.value >= rungs["threat"]
                for a, b in (tuple(t.between), tuple(reversed(t.between)))}
    out = []
    for kind, start in zip(kinds, starts, strict=True):
        start = int(start)
        in_dispute = kind["dyad"] in disputes and start < rungs["force"]
        if in_dispute:
            ref_name, ref, p_ref = "in a dispute at the start", float("nan"), disputed["force"]
        else:
            ref_name, ref = reference_force_rate(kind, rivalry_rates)
            p_ref = 1.0 - math.exp(-ref / 1000.0)
        key = "contiguous" if kind["contiguous"] else "other"
        p_rival = (1.0 - math.exp(-rival_war[key] / 1000.0)
                   if in_dispute and kind["rival"] and key in rival_war else None)
        out.append({**kind, "start": start, "reference": ref_name, "ref_per_1000": ref, "p_ref": p_ref,
                    "peace_start": not in_dispute and start < rungs["force"], "in_dispute": in_dispute,
                    "p_war_ref": disputed["war"] if in_dispute else None, "p_war_rival": p_rival})
    return out


def quiet_world(scenario: Any, runs: int, seed: int = 0, *, executor: Any = "process", workers: int | None = None,
                progress: Progress | None = None, rivalry_rates: dict[str, float] | None = None,
                onsets: Onsets | None = None) -> dict[str, Any]:
    """Measure a scenario's quiet variant over one-year runs (see the module docstring).

    Returns ``{"scenario", "runs", "years", "rungs", "dyads": [...], "peace_pairs", "war_max"}``:
    one row per dyad with its type, start rung, the reference rate and band, the model's yearly
    probability of a new use of force with its Wilson interval, where it falls (``within``,
    ``compatible`` — outside the band, but its Wilson interval overlaps it —, ``above``, ``below``;
    ``ongoing`` when the dyad starts at or above the use of force) and, for
    pairs that start with no open militarized dispute, the share of runs reaching war (``p_war``) and
    the share reaching it other than by one side fighting for a partner at war with the other
    (``p_war_direct``, with ``war_joined_runs`` the runs left out of it; ``war_over`` and
    ``war_max`` use it); a rival pair that starts in a dispute has ``war_over_rival`` when its share
    of its own wars is above ×2 the rivals' yearly war rate (``p_war_rival``). A dyad that
    starts in an open dispute (the scenario's tension at the MID threat level or above, below the
    use of force; sanctions alone are not a militarized dispute) is set against
    the share of new MIDs that reach a use of force (:func:`dispute_escalation`), not the yearly
    rate of its type: it is already in the dispute that yearly rate counts.
    """
    from sim.scenario.quiet import one_year, quiet_scenario

    q = one_year(quiet_scenario(scenario))
    o = onsets or measure_onsets([q], runs, seed, labels=["quiet"], executor=executor, workers=workers,
                                 progress=progress)[0]
    starts = o.start if o.start is not None else np.zeros(len(q.codes) * (len(q.codes) - 1) // 2, dtype=int)
    rows = []
    for k, ref_row in enumerate(quiet_references(q, starts, rivalry_rates, rungs=o.rungs)):
        start, in_dispute, p_ref = ref_row["start"], ref_row["in_dispute"], ref_row["p_ref"]
        c = int(o.count["force"][k])
        p, lo, hi = _wilson(c, o.runs)
        p_year = o.yearly("force")[k]
        band = (p_ref / DOUBLING, min(1.0, p_ref * DOUBLING))
        where = "ongoing" if start >= o.rungs["force"] else classify(float(p_year), lo, hi, band)
        wc = int(o.count["war"][k])
        wj = int(o.joined[k]) if o.joined is not None else 0
        w, wlo, whi = _wilson(wc, o.runs)
        wd, wdlo, wdhi = _wilson(wc - wj, o.runs)
        rows.append({**ref_row, "band": band, "p_force": float(p_year),
                     "force_lo": lo, "force_hi": hi, "where": where,
                     "p_war": w, "war_lo": wlo, "war_hi": whi,
                     "p_war_direct": wd, "war_direct_lo": wdlo, "war_direct_hi": wdhi,
                     "war_over": not in_dispute and start < o.rungs["force"] and wd > WAR_THRESHOLD,
                     "war_over_rival": ref_row["p_war_rival"] is not None and wd > DOUBLING * ref_row["p_war_rival"],
                     "force_runs": c, "war_runs": wc, "war_joined_runs": wj})
    peace = [r for r in rows if r["peace_start"]]
    return {"scenario": scenario.id, "title": scenario.title, "runs": o.runs, "years": o.years, "rungs": o.rungs,
            "horizon": q.calendar.horizon, "step": q.calendar.step, "dyads": rows, "peace_pairs": len(peace),
            "war_max": max(peace, key=lambda r: r["p_war_direct"]) if peace else None}


def focal_dyads(scenario: Any) -> dict[str, str]:
    """The dyads a scenario's scheduled events name, each with its role.

    ``{"A–B": "hostile" | "cooperative"}``: *hostile* when some event reads as conflict toward that
    dyad (Goldstein < 0 in its reading for the dyad's role, :func:`~sim.scenario.events.reading_for`:
    a statement reads by its kind, so a reassurance is cooperative), else *cooperative* (a partner,
    host or party). Dyads are named in scenario order.
    """
    out: dict[str, str] = {}
    codes = scenario.codes
    for ev in scenario.events:
        for f, c in ev.actors_referenced():
            if f == "actor" or c == ev.actor or c not in codes or ev.actor not in codes:
                continue
            a, b = sorted((ev.actor, c), key=codes.index)
            role = "hostile" if _hostile(ev, f) else "cooperative"
            if out.get(f"{a}–{b}") != "hostile":
                out[f"{a}–{b}"] = role
    return out


def _hostile(event: Any, field_name: str) -> bool:
    """Whether ``event`` reads as conflict (Goldstein < 0) toward the states in its ``field_name``."""
    from sim.scenario.events import reading_for

    role = _ROLES.get(field_name)
    reading = reading_for(event, role) if role else None
    return reading is not None and reading.goldstein < 0


#: Event fields naming states, and the reading role of each (:class:`~sim.scenario.events.Reading`).
_ROLES = {"targets": "target", "near": "near", "partners": "partner", "parties": "parties"}


def events_matter(scenario: Any, runs: int, seed: int = 0, *, executor: Any = "process", workers: int | None = None,
                  progress: Progress | None = None, level: str = "force") -> dict[str, Any]:
    """The scenario as written against its quiet variant, on the dyads its events name, paired by seed.

    For each focal dyad (:func:`focal_dyads`, with its role), baseline against quiet variant over
    the scenario's own horizon on common seeds:

    - ``display``, ``level``: the share of runs with a new dispute at that MID level (the rung newly
      reached from below), the paired difference with Newcombe's interval (the correlation of the
      paired indicators taken into account);
    - ``peak``: the mean highest rung;
    - ``mean``: the **time-averaged rung** — the dyad's rung averaged over the steps of a run
      (steps 1…H), then over runs;
    - ``time_display``, ``time_<level>``: the share of the horizon's steps the dyad spends at
      display or above / at ``level`` or above, averaged over runs.

    The last four carry a paired bootstrap interval of the mean difference (one set of resamples
    for all four). A new dispute or a higher peak cannot be seen in a dyad that already sits at or
    above the level in the quiet world; the time-averaged measures can (an event that keeps a dyad
    longer at a high rung, or brings it down sooner). ``changed`` is true when any interval excludes
    zero, and ``changed_on`` names the measures that did, in table order.
    """
    from sim.analysis.stats import bootstrap_diff, newcombe, phi
    from sim.scenario.quiet import quiet_scenario

    focal = focal_dyads(scenario)
    q = quiet_scenario(scenario)
    base, quiet = measure_onsets([scenario, q], runs, seed, labels=["baseline", "quiet"], keep=list(focal),
                                 executor=executor, workers=workers, progress=progress)
    time_level = f"time_{level}"
    measures = ("peak", "mean", "time_display", time_level)

    def per_run(o: Onsets, d: str) -> np.ndarray:
        return np.column_stack([o.peaks(d).astype(float), o.mean_rung(d), o.share("display", d), o.share(level, d)])

    rows = []
    for d in focal:
        row: dict[str, Any] = {"dyad": d, "role": focal[d]}
        for lv in ("display", level):
            x, y = quiet.per_run(lv, d), base.per_run(lv, d)
            n = len(x)
            diff, lo, hi = newcombe(int(y.sum()), n, int(x.sum()), n, corr=phi(x, y))
            row[lv] = {"baseline": float(y.mean()), "quiet": float(x.mean()), "diff": diff, "lo": lo, "hi": hi,
                       "excludes_zero": bool(lo > 0 or hi < 0)}
        px, py = per_run(quiet, d), per_run(base, d)
        est, blo, bhi = (np.ravel(a) for a in bootstrap_diff(px, py, seed, paired=True))
        for m, name in enumerate(measures):
            row[name] = {"baseline": float(py[:, m].mean()), "quiet": float(px[:, m].mean()), "diff": float(est[m]),
                         "lo": float(blo[m]), "hi": float(bhi[m]), "excludes_zero": bool(blo[m] > 0 or bhi[m] < 0)}
        row["changed_on"] = [k for k in ("display", level, *measures) if row[k]["excludes_zero"]]
        row["changed"] = bool(row["changed_on"])
        rows.append(row)
    return {"scenario": scenario.id, "title": scenario.title, "runs": base.runs, "level": level,
            "measures": ("display", level, *measures), "horizon": scenario.calendar.horizon,
            "step": scenario.calendar.step, "dyads": rows}


def event_contributions(scenario: Any, runs: int, seed: int = 0, *, dyads: list[str] | None = None,
                        executor: Any = "process", workers: int | None = None,
                        progress: Progress | None = None) -> dict[str, Any]:
    """Leave one out: what each scheduled event does to the focal dyads, given the scenario's other events.

    The scenario as written against the scenario without event ``e`` (variants dropped), one per
    event, all on the same seeds: the paired difference (with − without) of each dyad's
    time-averaged rung (steps 1…H, :meth:`~sim.validation.onsets.Onsets.mean_rung`) with a paired
    bootstrap interval. It tells which events move a dyad whose net change against the quiet
    variant is nil or unexpected (events may pull it opposite ways).

    Returns ``{"scenario", "runs", "events": [{"id", "type", "names": [dyads it names]}],
    "effects": {dyad: [{"event", "diff", "lo", "hi", "excludes_zero"}, ...]}}``, events in
    scenario order; ``dyads`` defaults to every focal dyad.
    """
    from sim.analysis.stats import bootstrap_diff
    from sim.scenario.schema import Scenario

    focal = list(dyads) if dyads is not None else list(focal_dyads(scenario))
    data = scenario.model_dump(mode="python", exclude_none=False)
    codes = scenario.codes
    events, variants = [], []
    for k, ev in enumerate(scenario.events):
        name = ev.id or f"e{k + 1}"
        named = sorted({"–".join(sorted((ev.actor, c), key=codes.index)) for f, c in ev.actors_referenced()
                        if f != "actor" and c != ev.actor and c in codes and ev.actor in codes})
        events.append({"id": name, "type": ev.type, "names": named})
        without = dict(data, events=[e for i, e in enumerate(data["events"]) if i != k], variants=())
        variants.append(Scenario.model_validate(without))
    outs = measure_onsets([scenario, *variants], runs, seed, labels=["baseline", *(e["id"] for e in events)],
                          keep=focal, executor=executor, workers=workers, progress=progress)
    base = outs[0]
    effects: dict[str, list[dict[str, Any]]] = {}
    for d in focal:
        y = base.mean_rung(d)
        x = np.column_stack([o.mean_rung(d) for o in outs[1:]]) if len(outs) > 1 else np.zeros((len(y), 0))
        est, lo, hi = (np.ravel(a) for a in bootstrap_diff(x, np.repeat(y[:, None], x.shape[1], axis=1), seed,
                                                           paired=True))
        effects[d] = [{"event": e["id"], "diff": float(est[m]), "lo": float(lo[m]), "hi": float(hi[m]),
                       "excludes_zero": bool(lo[m] > 0 or hi[m] < 0)} for m, e in enumerate(events)]
    return {"scenario": scenario.id, "runs": base.runs, "events": events, "effects": effects}


def threat_matrix(scenario: Any, seed: int = 0) -> np.ndarray:
    """Threat each state perceives from each other at the start (row: perceiver), from the model.

    Uses the ``initial_threat`` of a run's public result; a model that does not publish it is
    read directly (``CrisisModel(scenario, seed).world.threat``, first replication).
    """
    from sim import run_scenario

    res = run_scenario(scenario, seed=seed, record="summary") if _has_initial_threat() else None
    if res is not None and getattr(res, "initial_threat", None) is not None:
        return np.asarray(res.initial_threat, dtype=float)
    from sim.model import CrisisModel

    t = np.asarray(CrisisModel(scenario, seed).world.threat, dtype=float)
    return t[0] if t.ndim == 3 else t


def _has_initial_threat() -> bool:
    from sim.model import RunResult

    fields = getattr(RunResult, "__dataclass_fields__", {})
    return "initial_threat" in fields


def recent_disputes(scenario: Any, years: int = MID_YEARS) -> dict[frozenset, list[int]]:
    """Pairs of the scenario's catalog states with a MID onset in the ``years`` before its data year.

    ``{frozenset((a, b)): [years of onset]}`` from the shipped GML MID onsets (1816–1989, any
    hostility level from a threat up); empty for data years the MID file does not reach.
    """
    from sim.catalog import load_catalog
    from sim.validation.history import observed_onsets

    cat, year = load_catalog(), scenario.data_year
    cc = {a.code: cat.resolve(a.code) for a in scenario.actors if a.catalog and cat.has_state(a.code, year)}
    by_cc = {v: k for k, v in cc.items()}
    mids = observed_onsets()
    window = mids[(mids["year"] >= year - years) & (mids["year"] < year)
                  & mids["ccode1"].isin(by_cc) & mids["ccode2"].isin(by_cc)]
    out: dict[frozenset, list[int]] = {}
    for a, b, y in zip(window["ccode1"], window["ccode2"], window["year"], strict=True):
        out.setdefault(frozenset((by_cc[int(a)], by_cc[int(b)])), []).append(int(y))
    return out


def own_record(scenario: Any, dyads: list[str] | None = None) -> dict[str, dict[str, Any]]:
    """Each dyad's own record: the years both were states and those with a new use of force (GML MID).

    The window is the 50 years before the data year, within the shipped MID onsets (1816–1989),
    and no earlier than 1946 for a post-war data year (the era of the base rates). Returns
    ``{"A–B": {"first", "last", "years", "force", "p", "lo", "hi"}}`` (a Wilson interval on the
    yearly share) for the dyads of catalog states named in ``dyads`` (default: every dyad); a dyad
    with no year in the window is left out.
    """
    from sim.catalog import load_catalog
    from sim.validation.history import observed_onsets

    cat, year = load_catalog(), scenario.data_year
    last = min(year, 1990) - 1
    first = max(1816, last - 49, 1946 if year > 1946 else 1816)
    codes = [a.code for a in scenario.actors if a.catalog and cat.has_state(a.code, min(year, 2016))]
    mids = observed_onsets()
    mids = mids[(mids["year"] >= first) & (mids["year"] <= last) & (mids["onset_force"] == 1)]
    force = {(int(a), int(b), int(y)) for a, b, y in zip(mids["ccode1"], mids["ccode2"], mids["year"], strict=True)}
    order = list(scenario.codes)
    out: dict[str, dict[str, Any]] = {}
    for i, a in enumerate(codes):
        for b in codes[i + 1:]:
            x, y = sorted((a, b), key=order.index)
            name = f"{x}–{y}"
            if dyads is not None and name not in dyads:
                continue
            ca, cb = sorted((cat.resolve(a), cat.resolve(b)))
            years = [t for t in range(first, last + 1) if cat.has_state(a, t) and cat.has_state(b, t)]
            if not years:
                continue
            k = sum((ca, cb, t) in force for t in years)
            p, lo, hi = _wilson(k, len(years))
            out[name] = {"first": years[0], "last": years[-1], "years": len(years), "force": k, "p": p, "lo": lo, "hi": hi}
    return out


def top_threats(scenario: Any, seed: int = 0) -> list[dict[str, Any]]:
    """Each state's top threat at the start and what the data and the scenario say about the pair.

    ``verdict`` is ``rival`` (a rivalry in the data or the scenario), ``adversary`` (at war,
    sanctioned, under scripted tension or targeted by a hostile scheduled event in the scenario, or
    in a militarized dispute begun in the :data:`MID_YEARS` years before the data year —
    :func:`recent_disputes`; ``mid`` lists those years), ``ALLY`` (a defence pledge in force — the
    failure the acceptance criterion rules out) or ``neither``.
    """
    codes = list(scenario.codes)
    t = threat_matrix(scenario, seed)
    kinds = {frozenset(r["dyad"].split("–")): r for r in dyad_types(scenario)}
    rel = scenario.relations
    disputes = recent_disputes(scenario)
    adversary: set[frozenset] = {frozenset(p) for p in rel.wars} | set(disputes)
    adversary |= {frozenset((s.by, x)) for s in rel.sanctions for x in s.targets}
    adversary |= {frozenset(tn.between) for tn in rel.tensions if tn.value >= 2}
    for ev in scenario.events:
        for f, c in ev.actors_referenced():
            if f != "actor" and c != ev.actor and _hostile(ev, f):
                adversary.add(frozenset((ev.actor, c)))
    rows = []
    for i, c in enumerate(codes):
        row = np.where(np.arange(len(codes)) == i, -np.inf, t[i])
        j = int(np.argmax(row))
        pair = frozenset((c, codes[j]))
        k = kinds[pair]
        verdict = "ALLY" if k["ally"] else "rival" if k["rival"] else "adversary" if pair in adversary else "neither"
        rows.append({"state": c, "top": codes[j], "threat": float(t[i, j]), "ally": k["ally"], "rival": k["rival"],
                     "adversary": pair in adversary, "mid": disputes.get(pair, []), "verdict": verdict})
    return rows


def great_power_world(year: int = 2022, horizon: int = 52) -> Any:
    """A quiet world of two rival great powers and their partners, weekly for one year.

    The United States and Russia with two US allies (the United Kingdom, Germany) and two Russian
    partners (Belarus, Kazakhstan), alliances and rivalries from the catalog of ``year``, no
    scheduled events (the first finding of the issue "A credible model").
    """
    from sim.scenario.generate import world_scenario

    sc = world_scenario(year, horizon=horizon, codes=["USA", "RUS", "UKG", "GMY", "BLR", "KZK"])
    data = sc.model_dump(mode="python")
    data["id"] = f"great-power-world-{year}"
    data["title"] = "Two rival great powers and their partners, nothing scheduled"
    from sim.scenario.schema import Scenario

    return Scenario.model_validate(data)
