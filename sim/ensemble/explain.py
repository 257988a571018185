"""Why did it change? The cause chains behind a comparison's largest differences.

A comparison (:func:`sim.analysis.compare`) says *what* changed between the baseline and a variant on
common seeds. This module says *why*: for each headline change (a dyad's chance of a use of force,
a war or nuclear use), it replays a bounded sample of the same paired seeds with full explanation
records (:func:`sim.model.run_scenario`, ``record="full"``) and, in every run where the outcome
happens, follows the record that first put the dyad at that rung back along its causes to the root
(event → perception → decision → outcome). Chains are named by their root (a scheduled event, or a
state's own move), the perception just before the decision, and the decision; :class:`Explanation`
counts how many runs each chain appears in under the baseline and under the variant and tells the
largest shifts in a few sentences with the numbers.

Replication ``k`` of an ensemble runs with ``child_seeds(seed, runs)[k]``, and a single run with that
seed gives the same result (:mod:`sim.ensemble.seeds`), so the sample explains the very runs the
comparison counted. This is orchestration (it runs the model), hence it lives in ``sim.ensemble``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from sim.scales import TIMED_BANDS

__all__ = ["BAND_RUNGS", "OUTCOME_WORDS", "ChainCount", "Explanation", "headline_changes", "outcome_chain",
           "explain_comparison"]

#: The dyad outcomes explained — use of force, war, nuclear use — and the rung that marks each
#: (the bands of :data:`sim.scales.TIMED_BANDS`).
BAND_RUNGS = {f"p_{b.key}": b.rung for b in TIMED_BANDS}
#: The outcomes in words (``peak_level``: a dyad's highest rung in a run, explained by what put it there).
OUTCOME_WORDS = {**{f"p_{b.key}": b.name for b in TIMED_BANDS}, "peak_level": "highest rung"}

_ACTIONS = {"show_force": "show of force", "clash": "armed clash", "join_war": "joins the war", "war": "war",
            "nuclear_signal": "nuclear threat", "nuclear_use": "nuclear use", "sanction": "sanctions",
            "threaten": "threat", "protest": "protest", "arm": "arming", "balance": "balancing",
            "support_ally": "support for an ally", "support_statement": "statement for an ally",
            "support_arms": "arms for an ally", "support_troops": "troops for an ally", "support_join": "entry into an ally's fight"}


@dataclass(frozen=True)
class ChainCount:
    """One cause chain and the number of sampled runs it appears in, baseline and variant."""

    chain: str
    baseline: int
    variant: int

    @property
    def change(self) -> int:
        """Variant runs minus baseline runs."""
        return self.variant - self.baseline


@dataclass
class Explanation:
    """Why one headline outcome changed between the baseline and one variant.

    Attributes:
        variant: The variant's name.
        outcome: ``p_violence``, ``p_war`` or ``p_nuclear``.
        dyad: The dyad (``RUS–ROK``, the comparison's own name).
        label: The outcome in words, with state names (``Russia–South Korea use of force``).
        baseline_p, variant_p: The comparison's estimates over all its runs.
        runs: Paired runs of the comparison.
        sample: Paired seeds replayed with explanation records.
        baseline_runs, variant_runs: Sampled runs in which the outcome happened.
        gained, lost: Sampled seeds where it happened only under the variant / only under the baseline.
        chains: Every chain seen, the largest shift first.
        at_start: True when the dyad is at that rung already when the run starts (a war under way).
    """

    variant: str
    outcome: str
    dyad: str
    label: str
    baseline_p: float
    variant_p: float
    runs: int
    sample: int
    baseline_runs: int = 0
    variant_runs: int = 0
    gained: int = 0
    lost: int = 0
    chains: list[ChainCount] = field(default_factory=list)
    at_start: bool = False
    title: str = ""

    def more(self, k: int = 3) -> list[ChainCount]:
        """The chains that became more frequent, largest increase first."""
        return [c for c in self.chains if c.change > 0][:k]

    def fewer(self, k: int = 3) -> list[ChainCount]:
        """The chains that became less frequent, largest decrease first."""
        return sorted((c for c in self.chains if c.change < 0), key=lambda c: c.change)[:k]

    def sentences(self, k: int = 3) -> list[str]:
        """The explanation in a few sentences, with the numbers."""
        if self.outcome == "peak_level":
            head = (f"Under “{self.title or self.variant}”, {self.label}: {self.baseline_p:.2f} → {self.variant_p:.2f} "
                    f"({self.variant_p - self.baseline_p:+.2f} rungs over {self.runs} paired runs).")
        else:
            head = (f"Under “{self.title or self.variant}”, {self.label}: {self.baseline_p:.0%} → {self.variant_p:.0%} "
                    f"({100 * (self.variant_p - self.baseline_p):+.1f} points over {self.runs} paired runs).")
        what = "it climbed above rung 0 (each run's peak traced to what put it there)" \
            if self.outcome == "peak_level" else "it happened"
        if self.at_start:
            return [head, "The pair is at this rung already when the run starts (a war under way), so no chain "
                          "leads to it: the change is in how long it lasts, not whether it happens."]
        out = [head, f"Replaying the first {self.sample} seeds with their explanation records, {what} in "
                     f"{self.baseline_runs} baseline runs and {self.variant_runs} variant runs "
                     f"(on the same seeds: {self.gained} gained, {self.lost} lost)."]
        more, fewer = self.more(k), self.fewer(k)
        if more:
            out.append("More frequent: " + "; ".join(f"“{c.chain}” ({c.baseline} → {c.variant} runs)" for c in more) + ".")
        if fewer:
            out.append("Less frequent: " + "; ".join(f"“{c.chain}” ({c.baseline} → {c.variant} runs)" for c in fewer) + ".")
        if not more and not fewer:
            same = sorted(self.chains, key=lambda c: (-c.variant, c.chain))[:k]
            out.append("The same chains lead to it as often in both"
                       + (": " + "; ".join(f"“{c.chain}” ({c.baseline} → {c.variant} runs)" for c in same) if same else "")
                       + ". The sample is too small to show why, or the difference lies in runs beyond it.")
        return out

    def to_json(self) -> dict[str, Any]:
        """The explanation as plain data (``flashpoint compare --explain --json``)."""
        return {"variant": self.variant, "outcome": self.outcome, "dyad": self.dyad, "label": self.label,
                "baseline": self.baseline_p, "variant_value": self.variant_p, "runs": self.runs, "sample": self.sample,
                "baseline_runs": self.baseline_runs, "variant_runs": self.variant_runs, "gained": self.gained,
                "lost": self.lost, "at_start": self.at_start, "sentences": self.sentences(),
                "chains": [{"chain": c.chain, "baseline": c.baseline, "variant": c.variant} for c in self.chains]}

    def text(self, k: int = 3) -> str:
        """:meth:`sentences` as one paragraph."""
        return " ".join(self.sentences(k))


def headline_changes(table: pd.DataFrame, top: int = 3) -> pd.DataFrame:
    """The dyad outcomes to explain: the largest paired differences, detectable ones first.

    A dyad's chance of a use of force, war or nuclear use (``p_*``) and its mean highest rung
    (``peak_level``) qualify; they are ranked by the difference over the half-width of its paired
    interval, so that rungs and probabilities compare.

    At most ``top`` rows, and at least the largest of each variant (so a weak variant is not dropped).
    """
    t = table[table["outcome"].isin(list(OUTCOME_WORDS)) & (table["dyad"] != "")]
    if t.empty:
        return t
    half = ((t["diff_hi"] - t["diff_lo"]) / 2).where(lambda x: x > 0) if "diff_hi" in t else None
    size = (t["diff"].abs() / half).fillna(t["diff"].abs() * 1e6) if half is not None else t["diff"].abs()
    # ranked by the difference in units of its own interval's half-width: rungs and probabilities compare
    t = t.assign(_abs=size.where(t["diff"].abs() > 0, 0.0), _ch=t["changed"].astype(bool))
    t = t[t["_abs"] > 0].sort_values(["_ch", "_abs"], ascending=[False, False])
    best = t.groupby("variant", sort=False).head(1)
    rest = t.drop(best.index).head(max(top - len(best), 0))
    return pd.concat([best, rest]).sort_values(["_ch", "_abs"], ascending=[False, False]).drop(columns=["_abs", "_ch"])


def _name(names: dict[str, str], code: str) -> str:
    return names.get(code, code)


def outcome_chain(records: Sequence[dict[str, Any]], dyad: str, rung: int, names: dict[str, str] | None = None,
                  added: frozenset[str] = frozenset()) -> str | None:
    """The cause chain of the record that first put ``dyad`` at ``rung`` or above, in words; None if none did.

    Args:
        records: One run's explanation records (``RunResult.records``).
        dyad: ``A–B`` (either order).
        rung: The band's first rung.
        names: Code → state name, for the words.
        added: Ids of events the what-if added (marked as such).
    """
    names = names or {}
    pair = set(dyad.split("–"))
    by_id = {r["id"]: r for r in records}
    hit = next((r for r in records if r["kind"] in ("decision", "outcome", "event") and (r.get("level") or 0) >= rung
                and {r.get("actor"), r.get("target")} == pair), None)
    if hit is None:
        return None
    chain = [hit]
    seen = {hit["id"]}
    cur = by_id.get(hit.get("cause", ""))
    while cur is not None and cur["id"] not in seen and len(chain) < 200:
        chain.append(cur)
        seen.add(cur["id"])
        cur = by_id.get(cur.get("cause", ""))
    chain.reverse()
    root = chain[0]
    if root["mechanism"] == "scenario":
        eid = root.get("event_id") or ""
        start = (f"{root['type'].replace('_', ' ')} by {_name(names, root['actor'])}"
                 + (" (added by the what-if)" if eid in added else f" ({eid})" if eid else ""))
    elif root is hit:
        start = f"{_name(names, root['actor'])}'s own move"
    else:
        start = f"{_name(names, root['actor'])}'s {_ACTIONS.get(root['type'], root['type'].replace('_', ' '))} " \
                "(no scheduled event behind it)"
    parts = [start]
    per = next((c for c in reversed(chain[:-1]) if c["kind"] == "perception"), None)
    if per is not None:
        parts.append(f"{_name(names, per['actor'])} feels more threatened by {_name(names, per['target'])}")
    act = _ACTIONS.get(hit["type"], hit["type"].replace("_", " "))
    parts.append(f"{_name(names, hit['actor'])}: {act} against {_name(names, hit['target'])}")
    return " → ".join(parts)


def _replay(scenario: Any, who: str | None, seed: int, wanted: list[tuple[str, str]],
            added: frozenset[str]) -> tuple[dict[str, str], dict[tuple[str, str], str | None]] | None:
    """One seed replayed with full records, reduced to the chain of each wanted outcome (a pool task)."""
    from sim.model import run_scenario

    try:
        r = run_scenario(scenario, seed, variant=who, record="full")
    except Exception:  # noqa: BLE001 — a failing run is left out of the pairs, as in the comparison
        return None
    names = dict(zip(r.codes, r.names, strict=True))
    out: dict[tuple[str, str], str | None] = {}
    for outcome, dyad in wanted:
        a, b = dyad.split("–")
        if a not in r.codes or b not in r.codes:
            out[(outcome, dyad)] = None
            continue
        i, j = r.codes.index(a), r.codes.index(b)
        rung = BAND_RUNGS.get(outcome) or max(int(r.peak[i, j]), int(r.peak[j, i]))  # peak_level: this run's peak
        if rung <= 0:
            out[(outcome, dyad)] = None
            continue
        if r.level_hist is not None and max(r.level_hist[0][i, j], r.level_hist[0][j, i]) >= rung:
            out[(outcome, dyad)] = "start"
        elif max(r.peak[i, j], r.peak[j, i]) >= rung:
            out[(outcome, dyad)] = (outcome_chain(r.records, dyad, rung, names, added)
                                    or "reached by a mechanism without a recorded cause")
        else:
            out[(outcome, dyad)] = None
    return names, out


def explain_comparison(cmp: Any, *, sample: int = 30, top: int = 3,
                       progress: Callable[[int, int], None] | None = None, executor: Any = None) -> list[Explanation]:
    """Explain the headline changes of a comparison by the cause chains of a bounded sample of paired seeds.

    Args:
        cmp: A :class:`sim.analysis.compare.Comparison`.
        sample: How many of the comparison's paired seeds to replay (the first ones), 1 … runs.
        top: How many headline changes (at least one per variant that has any).
        progress: Called with (runs done, runs to do).
        executor: A ``concurrent.futures`` executor to replay the seeds on (default: in this process).

    Returns:
        One :class:`Explanation` per headline change, in the order of :func:`headline_changes`.
    """
    heads = headline_changes(cmp.table, top)
    if heads.empty:
        return []
    base = cmp.baseline
    scenario = base.base_scenario
    seeds = [int(s) for s in list(base.seeds)[: max(1, min(int(sample), len(base.seeds)))]]
    wanted = sorted({(r.outcome, r.dyad) for r in heads.itertuples()})
    variants = list(dict.fromkeys(heads["variant"]))
    added = {v.name: frozenset(e.id for e in v.add_events if e.id) for v in scenario.variants}
    jobs = [(who, s) for who in [None, *variants] for s in seeds]
    # per (variant or None, seed): {(outcome, dyad): chain, "start" (at the rung from the start) or None}
    seen: dict[tuple[str | None, int], dict[tuple[str, str], str | None]] = {}
    names: dict[str, str] = {}
    pool = getattr(executor, "executor", executor)  # an ExecutorHandle or a concurrent.futures executor
    if pool is not None and hasattr(pool, "submit"):
        futures = [pool.submit(_replay, scenario, who, s, wanted, added.get(who or "", frozenset())) for who, s in jobs]
        answers = []
        for k, f in enumerate(futures):
            answers.append(f.result())
            if progress is not None:
                progress(k + 1, len(jobs))
    else:
        answers = []
        for k, (who, s) in enumerate(jobs):
            answers.append(_replay(scenario, who, s, wanted, added.get(who or "", frozenset())))
            if progress is not None:
                progress(k + 1, len(jobs))
    for (who, s), ans in zip(jobs, answers, strict=True):
        if ans is not None:
            names.update(ans[0])
            seen[(who, s)] = ans[1]
    result = []
    for row in heads.itertuples():
        key = (row.outcome, row.dyad)
        a, b = row.dyad.split("–")
        label = f"{_name(names, a)}–{_name(names, b)} {OUTCOME_WORDS[row.outcome]}"
        if row.outcome == "peak_level":
            label = f"the mean highest rung of {_name(names, a)}–{_name(names, b)}"
        ex = Explanation(variant=row.variant, outcome=row.outcome, dyad=row.dyad, label=label,
                         baseline_p=float(row.baseline), variant_p=float(row.variant_value), runs=int(cmp.runs),
                         sample=0, title=str(getattr(cmp, "titles", {}).get(row.variant) or row.variant))
        cb: Counter[str] = Counter()
        cv: Counter[str] = Counter()
        starts = 0
        for s in seeds:
            xb, xv = seen.get((None, s)), seen.get((row.variant, s))
            if xb is None or xv is None:
                continue
            ex.sample += 1
            hb, hv = xb.get(key), xv.get(key)
            starts += (hb == "start") + (hv == "start")
            if hb and hb != "start":
                cb[hb] += 1
            if hv and hv != "start":
                cv[hv] += 1
            ex.baseline_runs += bool(hb)
            ex.variant_runs += bool(hv)
            ex.gained += bool(hv) and not hb
            ex.lost += bool(hb) and not hv
        ex.at_start = ex.sample > 0 and starts == 2 * ex.sample
        chains = [ChainCount(c, cb[c], cv[c]) for c in set(cb) | set(cv)]
        ex.chains = sorted(chains, key=lambda c: (-c.change, -c.variant, c.chain))
        result.append(ex)
    return result
