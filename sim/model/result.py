"""One run's results: the event log with causes, tidy time series, a summary and a narrative.

:func:`run_scenario` is the public entry point used by the CLI, the app and the ensemble layer.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from sim.model.model import CrisisModel
from sim.model.world import LADDER
from sim.scales import SUPPORT_LEVELS, TIMED_BANDS
from sim.scenario.schema import Scenario

__all__ = ["RunResult", "run_scenario", "BANDS"]

#: Ladder bands whose first step a run records (stored key → first rung; :data:`sim.scales.TIMED_BANDS`).
BANDS = {b.key: b.rung for b in TIMED_BANDS}


@dataclass
class RunResult:
    """Everything one seeded run produced."""

    scenario: Scenario
    seed: int
    codes: list[str]
    names: list[str]
    records: list[dict[str, Any]]
    peak: np.ndarray
    final_level: np.ndarray
    first_cross: dict[int, np.ndarray]
    series: dict[str, np.ndarray]
    system: dict[str, np.ndarray]
    level_hist: np.ndarray | None = None
    threat_hist: np.ndarray | None = None
    initial_threat: np.ndarray | None = None
    final_threat: np.ndarray | None = None
    initial_align: np.ndarray | None = None
    final_align: np.ndarray | None = None
    final_pledge: np.ndarray | None = None
    initial_pledge: np.ndarray | None = None
    #: Highest degree of support state i gave partner k during the run (0 none … 4 joined its fight;
    #: :data:`sim.model.submodels.support.SUPPORT_LEVELS`), int8 ``(N, N)``.
    support_max: np.ndarray | None = None
    meta: dict[str, Any] = field(default_factory=dict)

    # ------------------------------------------------------------------ basics
    @property
    def variant(self) -> str:
        """The variant's name, or ``baseline``."""
        return self.scenario.variant or "baseline"

    @property
    def steps(self) -> int:
        """Number of steps simulated."""
        return self.scenario.calendar.horizon

    def dyads(self) -> list[tuple[int, int]]:
        """Unordered dyads (i < j) in scenario order."""
        n = len(self.codes)
        return [(i, j) for i in range(n) for j in range(i + 1, n)]

    def dyad_name(self, i: int, j: int) -> str:
        """``USA–RUS``."""
        return f"{self.codes[i]}–{self.codes[j]}"

    # ------------------------------------------------------------------ tables
    def events_frame(self):
        """The event log as a pandas DataFrame (one row per record; see docs/cli.md)."""
        import pandas as pd

        cols = ["id", "step", "date", "kind", "mechanism", "type", "actor", "target", "cameo", "goldstein", "level", "cause", "why"]
        df = pd.DataFrame.from_records(self.records)
        for c in cols:
            if c not in df.columns:
                df[c] = None
        extra = [c for c in df.columns if c not in cols]
        return df[cols + extra]

    def timeseries_frame(self):
        """Tidy time series: step, date, actor, dyad, metric, value."""
        import pandas as pd

        cal = self.scenario.calendar
        H = self.steps
        dates = [cal.date_of(t).isoformat() for t in range(H + 1)]
        parts = []
        n = len(self.codes)
        for metric, arr in self.series.items():
            steps = np.repeat(np.arange(H + 1), n)
            parts.append(pd.DataFrame({"step": steps, "date": np.array(dates)[steps], "actor": np.tile(self.codes, H + 1),
                                       "dyad": "", "metric": metric, "value": arr.reshape(-1)}))
        for metric, arr in self.system.items():
            parts.append(pd.DataFrame({"step": np.arange(H + 1), "date": dates, "actor": "", "dyad": "",
                                       "metric": f"system_{metric}", "value": arr}))
        if self.level_hist is not None:
            iu = np.triu_indices(n, 1)
            names = [self.dyad_name(i, j) for i, j in zip(*iu, strict=True)]
            m = len(names)
            steps = np.repeat(np.arange(H + 1), m)
            parts.append(pd.DataFrame({"step": steps, "date": np.array(dates)[steps], "actor": "", "dyad": np.tile(names, H + 1),
                                       "metric": "level", "value": self.level_hist[:, iu[0], iu[1]].reshape(-1).astype(float)}))
            off = ~np.eye(n, dtype=bool)
            ii, jj = np.nonzero(off)
            dnames = [f"{self.codes[i]}→{self.codes[j]}" for i, j in zip(ii, jj, strict=True)]
            steps = np.repeat(np.arange(H + 1), len(dnames))
            parts.append(pd.DataFrame({"step": steps, "date": np.array(dates)[steps], "actor": np.tile([self.codes[i] for i in ii], H + 1),
                                       "dyad": np.tile(dnames, H + 1), "metric": "threat",
                                       "value": self.threat_hist[:, ii, jj].reshape(-1).astype(float)}))
        return pd.concat(parts, ignore_index=True)

    # ------------------------------------------------------------------ summary
    def peak_table(self, top: int | None = None) -> list[dict[str, Any]]:
        """Dyads by peak rung (highest first), with their start and final rungs."""
        rows = []
        start = self.level_hist[0] if self.level_hist is not None else None
        for i, j in self.dyads():
            pk = int(self.peak[i, j])
            if pk == 0:
                continue
            row = {"dyad": self.dyad_name(i, j), "a": self.codes[i], "b": self.codes[j], "peak": pk,
                   "peak_label": LADDER[pk], "final": int(self.final_level[i, j])}
            if start is not None:
                row["start"] = int(start[i, j])
            for band, rung in BANDS.items():
                fc = int(self.first_cross[rung][i, j])
                row[f"first_{band}_step"] = fc if fc >= 0 else None
            rows.append(row)
        rows.sort(key=lambda r: (-r["peak"], r["dyad"]))
        return rows[:top] if top else rows

    def support_given(self) -> list[dict[str, Any]]:
        """The highest degree of support each state gave each partner in this run, most first (none: left out)."""
        if self.support_max is None:
            return []
        i, k = np.nonzero(self.support_max)
        rows = [{"supporter": self.codes[a], "partner": self.codes[b], "degree": int(self.support_max[a, b]),
                 "support": SUPPORT_LEVELS[int(self.support_max[a, b])]} for a, b in zip(i.tolist(), k.tolist(), strict=True)]
        return sorted(rows, key=lambda r: (-r["degree"], r["supporter"], r["partner"]))

    def threat_changes(self, top: int = 10) -> list[dict[str, Any]]:
        """Directed threats that changed most between the start and the end of the run."""
        if self.initial_threat is None:
            return []
        d = self.final_threat - self.initial_threat
        n = len(self.codes)
        rows = [{"perceiver": self.codes[i], "source": self.codes[j], "start": float(self.initial_threat[i, j]),
                 "end": float(self.final_threat[i, j]), "change": float(d[i, j])}
                for i in range(n) for j in range(n) if i != j]
        rows.sort(key=lambda r: -abs(r["change"]))
        return rows[:top]

    def responses(self) -> list[dict[str, Any]]:
        """Decisions made in answer to a scenario event, with the event and the perception between."""
        by_id = {r["id"]: r for r in self.records}
        out = []
        for r in self.records:
            if r["kind"] != "decision" or not r.get("cause"):
                continue
            chain = []
            cur = by_id.get(r["cause"])
            while cur is not None and len(chain) < 6:
                chain.append(cur)
                cur = by_id.get(cur.get("cause", ""))
            root = chain[-1] if chain else None
            if root is not None and root["mechanism"] == "scenario":
                out.append({"decision": r, "chain": list(reversed(chain))})
        return out

    def event_effects(self) -> list[dict[str, Any]]:
        """For each scheduled scenario event: its readings, the perceptions it moved, the answers it drew.

        Every record is traced back through its cause chain to the scheduled event at its root.
        """
        by_id = {r["id"]: r for r in self.records}
        root: dict[str, str] = {}

        def root_of(rid: str) -> str:
            path = []
            cur = by_id.get(rid)
            while cur is not None and cur["id"] not in root and cur.get("cause"):
                path.append(cur["id"])
                cur = by_id.get(cur["cause"])
            if cur is None:
                res = ""
            elif cur["id"] in root:
                res = root[cur["id"]]
            else:
                res = cur["id"] if cur["mechanism"] == "scenario" else ""
                root[cur["id"]] = res
            for p in path:
                root[p] = res
            return res

        groups: dict[str, dict[str, Any]] = {}
        order: list[str] = []
        for r in self.records:
            if r["mechanism"] == "scenario":
                eid = r.get("event_id", r["id"])
                if eid not in groups:
                    groups[eid] = {"event_id": eid, "step": r["step"], "date": r.get("event_date", r["date"]), "type": r["type"],
                                   "readings": [], "perceptions": [], "responses": [], "outcomes": []}
                    order.append(eid)
                groups[eid]["readings"].append(r)
                root[r["id"]] = r["id"]
        ev_of = {r["id"]: r.get("event_id", r["id"]) for r in self.records if r["mechanism"] == "scenario"}
        for r in self.records:
            if r["mechanism"] == "scenario" or not r.get("cause"):
                continue
            rt = root_of(r["id"])
            if not rt:
                continue
            g = groups[ev_of[rt]]
            depth = 0
            cur = r
            while cur is not None and cur["mechanism"] != "scenario" and depth < 50:
                depth += 1
                cur = by_id.get(cur.get("cause", ""))
            if depth > 2:  # event → perception → answer are first-order; the rest are knock-on effects
                g["knock_on"] = g.get("knock_on", 0) + 1
                continue
            key = {"perception": "perceptions", "decision": "responses"}.get(r["kind"], "outcomes")
            g[key].append(r)
        return [groups[e] for e in order]

    def summary(self) -> dict[str, Any]:
        """A machine-readable summary (the ``--json`` output of ``flashpoint run``)."""
        sc = self.scenario
        counts: dict[str, int] = {}
        for r in self.records:
            if r["kind"] == "decision":
                counts[r["type"]] = counts.get(r["type"], 0) + 1
        return {
            "scenario": sc.id,
            "title": sc.title,
            "variant": self.variant,
            "seed": self.seed,
            "steps": self.steps,
            "step_unit": sc.calendar.step,
            "start": sc.calendar.start.isoformat(),
            "end": sc.calendar.date_of(self.steps).isoformat(),
            "actors": self.codes,
            "max_level": int(self.system["max_level"].max()),
            "peak_levels": self.peak_table(),
            "threat_changes": self.threat_changes(),
            "support_given": self.support_given(),
            "decisions_by_type": counts,
            "n_records": len(self.records),
            "event_effects": [
                {"event": g["event_id"], "date": g["date"], "type": g["type"],
                 "readings": [r["why"] for r in g["readings"]],
                 "perceptions": [r["why"] for r in g["perceptions"]],
                 "responses": [r["why"] for r in g["responses"]]}
                for g in self.event_effects()
            ],
            "responses": [
                {"actor": x["decision"]["actor"], "action": x["decision"]["type"], "target": x["decision"]["target"],
                 "step": x["decision"]["step"], "when": sc.calendar.label(x["decision"]["step"]), "because": [c["why"] for c in x["chain"]]}
                for x in self.responses()[:40]
            ],
            "military_spending_change": {c: float(self.series["milex"][-1][k] - 1.0) for k, c in enumerate(self.codes)},
            "meta": self.meta,
        }

    # ------------------------------------------------------------------ narrative
    def narrative(self, explain: bool = False, steps: tuple[int, int] | None = None, limit: int | None = None) -> list[str]:
        """The run told step by step, one line per record (explain: perceptions and causes too)."""
        cal = self.scenario.calendar
        lines: list[str] = []
        cur = None
        for r in self.records:
            if steps is not None and not steps[0] <= r["step"] <= steps[1]:
                continue
            if not explain and r["kind"] == "perception":
                continue
            if not explain and r["kind"] == "decision" and r["type"] in ("protest", "arm") and not r.get("cause"):
                continue
            if r["step"] != cur:
                cur = r["step"]
                lines.append(f"{cal.label(cur)} ({cal.date_of(cur).isoformat()})")
            text = r["why"]
            if explain and r.get("cause"):
                text += f"  [{r['id']} ← {r['cause']}]"
            elif explain:
                text += f"  [{r['id']}]"
            lines.append("  - " + text)
            if limit and len(lines) >= limit:
                break
        return lines

    def starting_point(self) -> list[str]:
        """What the run starts from, in words: the wars under way and the sanctions in force."""
        rel = self.scenario.relations
        out = []
        if rel.wars:
            out.append("at war: " + ", ".join(f"{a}–{b}" for a, b in rel.wars) + " (rung 7)")
        if rel.sanctions:
            by: dict[str, list[str]] = {}
            for sn in rel.sanctions:
                by.setdefault(sn.by, []).extend(sn.targets)
            out.append("sanctions in force: " + "; ".join(f"{k} on {', '.join(v)}" for k, v in by.items())
                       + " (each such pair starts at rung 3 and stays there or above while they last)")
        return out

    def story(self, max_lines: int = 30) -> list[str]:
        """A short account for students: how the threat moved, who answered what, how far it climbed."""
        out = []
        cal = self.scenario.calendar
        told: set[str] = set()
        for x in self.responses():
            d = x["decision"]
            chain = x["chain"]
            ev = chain[0]
            # the proximate perception (the chain runs from the root event to the decision)
            per = next((c for c in reversed(chain) if c["kind"] == "perception"), None)
            cause = per or ev
            if cause["id"] in told:  # the perception was told already: say only the new answer
                s = f"{cal.label(d['step'])}: still answering that ({cause['id']}) → {d['why']}"
            else:
                s = f"{cal.label(d['step'])}: " + cause["why"] + f" → {d['why']}"
                told.add(cause["id"])
            out.append(s)
            if len(out) >= max_lines:
                break
        return out


def run_scenario(scenario: Scenario, seed: int = 0, *, variant: str | None = None, record: str = "full",
                 catalog=None) -> RunResult:
    """Run ``scenario`` (optionally a named ``variant``) once with ``seed``.

    Args:
        scenario: A validated scenario.
        seed: The master seed; the same scenario, variant and seed give identical results.
        variant: Name of a variant to apply first (``None`` or ``"baseline"``: none).
        record: ``"full"`` (histories for narratives and charts) or ``"summary"`` (ensembles).
        catalog: The actor catalog (default: the shipped one).
    """
    sc = scenario.with_variant(variant) if variant else scenario
    model = CrisisModel(sc, seed, record=record, catalog=catalog)
    init_threat = model.world.threat[0].copy()
    init_align = model.world.align[0].copy()
    init_pledge = model.world.pledge[0].copy()
    t0 = dt.datetime.now()
    model.run()
    w = model.world
    return RunResult(
        scenario=sc,
        seed=int(seed),
        codes=list(w.codes),
        names=[a.name for a in w.actors],
        records=model.log.records,
        peak=model.peak[0].copy(),
        final_level=w.level[0].copy(),
        first_cross={b: fc[0] for b, fc in model.first_cross.items()},
        series={k: v[:, 0] for k, v in model.series.items()},
        system={k: v[:, 0] for k, v in model.system.items()},
        level_hist=model.level_hist,
        threat_hist=model.threat_hist,
        initial_threat=init_threat,
        final_threat=w.threat[0].copy(),
        initial_align=init_align,
        final_align=w.align[0].copy(),
        initial_pledge=init_pledge,
        final_pledge=w.pledge[0].copy(),
        support_max=model.support_max[0].copy(),
        meta={"seconds": (dt.datetime.now() - t0).total_seconds()},
    )
