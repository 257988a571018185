"""What a what-if changed: paired comparisons of a baseline ensemble and its variants.

Replication ``k`` of the baseline and of every variant share a seed (common random numbers), so
outcomes are compared **run by run**: the difference in a probability gets Newcombe's interval for
paired proportions, a difference in means a paired bootstrap interval. The table also gives the
interval the same runs would give if they were *not* paired (``unpaired_lo``/``unpaired_hi``), the
correlation the pairing achieved, and the variance reduction it bought
(``(var(X) + var(Y)) / var(Y − X)``). A difference whose paired interval excludes zero and which
is not negligible (:data:`NEGLIGIBLE`) is *changed*, and gets a verdict in words.

Analysis never runs the model: :func:`compare_results` works on finished (or stored and
reloaded) ensembles. Running the baseline and the variants first is the ensemble layer's job
(:func:`sim.ensemble.compare`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from sim.analysis.outcomes import SUPPORT_OUTCOMES, bootstrap_seed, describe, support_pairs
from sim.analysis.stats import (
    BOOTSTRAP,
    bootstrap_diff,
    bootstrap_means,
    newcombe,
    phi,
    runs_needed,
    wilson,
)
from sim.scales import BANDS

__all__ = ["Comparison", "compare_results", "COMPARISON_COLUMNS", "NEGLIGIBLE"]

#: Differences smaller than these are not called changes even when detectable (documented in
#: docs/cli.md): half a percentage point for probabilities, 0.05 rung for mean peaks, 0.1 point of
#: spending change, 0.05 new pledges per run.
NEGLIGIBLE: dict[str, float] = {"probability": 0.005, "peak_level": 0.05, "system_peak_level": 0.05,
                                "milex_change": 0.001, "alliances_formed": 0.05}

COMPARISON_COLUMNS = [
    "variant", "outcome", "kind", "dyad", "actor", "baseline", "baseline_lo", "baseline_hi", "variant_value", "lo", "hi",
    "diff", "diff_lo", "diff_hi", "unpaired_lo", "unpaired_hi", "correlation", "variance_reduction", "se_diff",
    "runs_needed", "n", "changed", "label",
]


def _pct(x: float) -> str:
    v = 100 * x
    if math.isnan(v):
        return "n/a"
    return f"{v:.0f}%" if abs(v) >= 10 or v == 0 or abs(v) < 0.05 else f"{v:.1f}%"


def _pts(x: float) -> str:
    v = 100 * x
    s = f"{v:+.0f}" if abs(v) >= 10 else f"{v:+.1f}"
    return s.replace("-", "−")


def _num(x: float, pct: bool = False) -> str:
    if pct:
        return (f"{100 * x:+.1f}%").replace("-", "−")
    return f"{x:.2f}"


def _signed(x: float, pct: bool = False) -> str:
    s = f"{100 * x:+.1f}" if pct else f"{x:+.2f}"
    return s.replace("-", "−")


@dataclass
class Comparison:
    """The baseline, its variants, the paired comparison table and the verdicts."""

    baseline: Any
    variants: list[Any]
    table: pd.DataFrame
    verdicts: list[str]
    titles: dict[str, str] = field(default_factory=dict)
    precision: float = 0.02

    @property
    def runs(self) -> int:
        """Replications per ensemble."""
        return len(self.baseline.seeds)

    @property
    def partial(self) -> bool:
        """True when any ensemble did not run completely."""
        return bool(self.baseline.partial or any(v.partial for v in self.variants))

    def changed(self, variant: str | None = None, k: int | None = None) -> pd.DataFrame:
        """Rows whose paired interval excludes zero, most changed first."""
        t = self.table[self.table["changed"]]
        if variant is not None:
            t = t[t["variant"] == variant]
        return t.head(k) if k else t

    def correlation_summary(self) -> dict[str, dict[str, float]]:
        """Per variant: median paired correlation and variance reduction over outcomes that vary."""
        out = {}
        for v in self.variants:
            t = self.table[(self.table["variant"] == v.variant) & self.table["correlation"].notna()
                           & self.table["kind"].eq("probability")]
            t = t[t["variance_reduction"].notna()]
            out[v.variant] = {
                "median_correlation": float(t["correlation"].median()) if len(t) else math.nan,
                "median_variance_reduction": float(t["variance_reduction"].median()) if len(t) else math.nan,
                "outcomes": int(len(t)),
            }
        return out

    def summary_text(self, per_variant: int = 8) -> str:
        """Tell the comparison in words: per variant, what changed most, with intervals."""
        b = self.baseline
        lines = [f"{b.scenario.title}: baseline and {len(self.variants)} variant(s), {self.runs} paired runs each "
                 f"(seed {b.seed}; replication k of every ensemble uses the same seed)."]
        fails = {x.variant: len(x.failures) for x in [b, *self.variants] if x.failures}
        if fails:
            lines.append("Failed runs (left out of the pairs): " + ", ".join(f"{k} {v}" for k, v in fails.items()) + ".")
        if self.partial:
            lines.append("PARTIAL: not every run finished; the figures cover the runs that did.")
        corr = self.correlation_summary()
        for v in self.variants:
            name = v.variant
            title = self.titles.get(name, name)
            lines.append("")
            lines.append(f"{title} ({name}):")
            rows = self.changed(name)
            vs = [self._verdict(r) for _, r in rows.head(per_variant).iterrows()]
            if not vs:
                t = self.table[(self.table["variant"] == name) & (self.table["kind"] == "probability")]
                widest = float((t["diff_hi"] - t["diff_lo"]).max() / 2) if len(t) else math.nan
                lines.append(f"  no outcome changed detectably at {self.runs} runs"
                             + (f" (paired intervals up to ±{100 * widest:.1f} points)." if not math.isnan(widest) else "."))
            else:
                lines += [f"  - {s}" for s in vs]
                if len(rows) > per_variant:
                    lines.append(f"  … and {len(rows) - per_variant} more changed outcome(s) (see the table or --json).")
            c = corr.get(name, {})
            if c.get("outcomes"):
                cut = c["median_variance_reduction"]
                lines.append(f"  Pairing: median correlation {c['median_correlation']:.2f} over {c['outcomes']} outcomes; "
                             + (f"common random numbers cut the variance of the differences {cut:.1f}×." if math.isfinite(cut)
                                else "common random numbers pair the runs exactly: in at least half of the outcomes "
                                     "every pair differs by the same amount, so the differences have no variance."))
        t = self.table[self.table["kind"] == "probability"]
        if len(t):
            need = int(t["runs_needed"].max())
            lines.append("")
            lines.append(f"Monte Carlo error: the largest paired standard error is {100 * float(t['se_diff'].max()):.1f} points; "
                         f"a ±{100 * self.precision:.0f}-point interval on every difference needs about {need:,} runs.")
        return "\n".join(lines)

    def _verdict(self, r: pd.Series) -> str:
        return _verdict_text(r, self.titles.get(r["variant"], r["variant"]))


def _verdict_text(r: pd.Series, title: str) -> str:
    up = r["diff"] > 0
    if r["kind"] == "probability":
        what = describe(r["outcome"], r["dyad"], r["actor"])
        return (f"Under “{title}”, the {what} {'rose' if up else 'fell'} from {_pct(r['baseline'])} "
                f"[{_pct(r['baseline_lo'])}–{_pct(r['baseline_hi'])}] to {_pct(r['variant_value'])} "
                f"[{_pct(r['lo'])}–{_pct(r['hi'])}] ({_pts(r['diff'])} points, paired 95% CI {_pts(r['diff_lo'])} to {_pts(r['diff_hi'])}).")
    pct = r["outcome"] == "milex_change"
    what = describe(r["outcome"], r["dyad"], r["actor"])
    what = what if pct else f"the {what}"
    unit = " points" if pct else ""
    return (f"Under “{title}”, {what} {'rose' if up else 'fell'} from {_num(r['baseline'], pct)} "
            f"[{_num(r['baseline_lo'], pct)} to {_num(r['baseline_hi'], pct)}] to {_num(r['variant_value'], pct)} "
            f"[{_num(r['lo'], pct)} to {_num(r['hi'], pct)}] ({_signed(r['diff'], pct)}{unit}, paired 95% CI "
            f"{_signed(r['diff_lo'], pct)} to {_signed(r['diff_hi'], pct)}).")


def _vr(x: np.ndarray, y: np.ndarray) -> float:
    vd = float(np.var(y - x, ddof=1)) if len(x) > 1 else math.nan
    vs = float(np.var(x, ddof=1) + np.var(y, ddof=1)) if len(x) > 1 else math.nan
    if not vd > 0:
        return math.nan if not vs > 0 else math.inf
    return vs / vd


def _pair(base: Any, var: Any) -> tuple[np.ndarray, np.ndarray]:
    bi, vi = base.table["index"], var.table["index"]
    common, pb, pv = np.intersect1d(bi, vi, assume_unique=True, return_indices=True)
    return pb, pv


def _dyad_map(base: Any, var: Any) -> list[tuple[str, int, int]]:
    pos = {name: k for k, name in enumerate(var.layout.dyads)}
    out = []
    for kb, name in enumerate(base.layout.dyads):
        a, b = name.split("–")
        kv = pos.get(name, pos.get(f"{b}–{a}"))
        if kv is not None:
            out.append((name, kb, kv))
    return out


def _support_map(base: Any, var: Any) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Per-run support degrees ``(R, P)`` of both ensembles, for the ordered pairs with support in either.

    Pairs are matched by actor code and named supporter first (``PRK→RUS``).
    """
    bc, vc = list(base.layout.codes), list(var.layout.codes)
    vpos = {c: k for k, c in enumerate(vc)}
    pairs = {(bc[i], bc[k]) for i, k in support_pairs(base.table["support"])}
    pairs |= {(vc[i], vc[k]) for i, k in support_pairs(var.table["support"])}
    bpos = {c: k for k, c in enumerate(bc)}
    pairs = sorted((p for p in pairs if all(c in bpos and c in vpos for c in p)), key=lambda p: (bpos[p[0]], bpos[p[1]]))
    if not pairs:
        return np.zeros((0, 0), np.int8), np.zeros((0, 0), np.int8), []
    bx = base.table["support"][:, [bpos[a] for a, _ in pairs], [bpos[b] for _, b in pairs]]
    vx = var.table["support"][:, [vpos[a] for a, _ in pairs], [vpos[b] for _, b in pairs]]
    return bx, vx, [f"{a}→{b}" for a, b in pairs]


def _rows_for(base: Any, var: Any, seed: int, resamples: int, precision: float) -> list[dict]:
    pb, pv = _pair(base, var)
    n = len(pb)
    name = var.variant
    rows: list[dict] = []
    if n == 0:
        return rows
    bt, vt = base.table, var.table
    dm = _dyad_map(base, var)
    kb = np.array([x[1] for x in dm], dtype=int)
    kv = np.array([x[2] for x in dm], dtype=int)
    dnames = [x[0] for x in dm]

    def prop(outcome: str, base_x: np.ndarray, var_y: np.ndarray, names: list[str], who: str) -> None:
        for c, nm in enumerate(names):
            x, y = base_x[:, c], var_y[:, c]
            sx, sy = int(x.sum()), int(y.sum())
            if sx == 0 and sy == 0:
                continue
            r = phi(x, y)
            p2, l2, u2 = wilson(sx, n)
            p1, l1, u1 = wilson(sy, n)
            d, dlo, dhi = newcombe(sy, n, sx, n, corr=r)
            _, ulo, uhi = newcombe(sy, n, sx, n, corr=0.0)
            dd = y.astype(float) - x.astype(float)
            var_d = float(np.var(dd, ddof=1)) if n > 1 else math.nan
            rows.append({"variant": name, "outcome": outcome, "kind": "probability",
                         "dyad": nm if who == "dyad" else "", "actor": nm if who == "actor" else "",
                         "baseline": p2, "baseline_lo": l2, "baseline_hi": u2, "variant_value": p1, "lo": l1, "hi": u1,
                         "diff": d, "diff_lo": dlo, "diff_hi": dhi, "unpaired_lo": ulo, "unpaired_hi": uhi,
                         "correlation": r if (x.std() > 0 and y.std() > 0) else math.nan,
                         "variance_reduction": _vr(x.astype(float), y.astype(float)),
                         "se_diff": math.sqrt(var_d / n) if n > 1 else math.nan,
                         "runs_needed": runs_needed(var_d, precision) if n > 1 else 0, "n": n})

    def means(outcome: str, base_x: np.ndarray, var_y: np.ndarray, names: list[str], who: str, purpose: int) -> None:
        if base_x.shape[1] == 0:
            return
        base_x = base_x.astype(float)
        var_y = var_y.astype(float)
        keep = ~((base_x == base_x[:1]).all(axis=0) & (var_y == base_x[:1]).all(axis=0))  # identical constants: nothing to say
        if not keep.any():
            return
        base_x, var_y = base_x[:, keep], var_y[:, keep]
        names = [nm for nm, k in zip(names, keep, strict=True) if k]
        s = bootstrap_seed(seed, purpose)
        sb, sv, sp, su = s.spawn(4)
        b_est, b_lo, b_hi = bootstrap_means(base_x, sb, resamples)
        v_est, v_lo, v_hi = bootstrap_means(var_y, sv, resamples)
        d, dlo, dhi = bootstrap_diff(base_x, var_y, sp, paired=True, resamples=resamples)
        _, ulo, uhi = bootstrap_diff(base_x, var_y, su, paired=False, resamples=resamples)
        diffs = var_y - base_x
        for c, nm in enumerate(names):
            x, y = base_x[:, c], var_y[:, c]
            corr = float(np.corrcoef(x, y)[0, 1]) if (x.std() > 0 and y.std() > 0) else math.nan
            var_d = float(np.var(diffs[:, c], ddof=1)) if n > 1 else math.nan
            rows.append({"variant": name, "outcome": outcome, "kind": "mean",
                         "dyad": nm if who == "dyad" else "", "actor": nm if who == "actor" else "",
                         "baseline": float(b_est[c]), "baseline_lo": float(b_lo[c]), "baseline_hi": float(b_hi[c]),
                         "variant_value": float(v_est[c]), "lo": float(v_lo[c]), "hi": float(v_hi[c]),
                         "diff": float(d[c]), "diff_lo": float(dlo[c]), "diff_hi": float(dhi[c]),
                         "unpaired_lo": float(ulo[c]), "unpaired_hi": float(uhi[c]), "correlation": corr,
                         "variance_reduction": _vr(x, y), "se_diff": math.sqrt(var_d / n) if n > 1 else math.nan,
                         "runs_needed": 0, "n": n})

    bpeak, vpeak = bt["peak"][pb][:, kb], vt["peak"][pv][:, kv]
    for band in BANDS:
        prop(f"p_{band.key}", bpeak >= band.rung, vpeak >= band.rung, dnames, "dyad")
    bsup, vsup, snames = _support_map(base, var)
    if snames:
        bsup, vsup = bsup[pb], vsup[pv]
        for outcome, level in SUPPORT_OUTCOMES.items():
            prop(outcome, bsup >= level, vsup >= level, snames, "dyad")
    bs, vs = bt["system_peak"][pb], vt["system_peak"][pv]
    for band in BANDS:
        prop(f"p_any_{band.key}", (bs >= band.rung)[:, None], (vs >= band.rung)[:, None], [""], "system")
    prop("p_alliance_formed", bt["alliance_new"][pb][:, kb], vt["alliance_new"][pv][:, kv], dnames, "dyad")
    prop("p_alliance_lapsed", bt["alliance_lost"][pb][:, kb], vt["alliance_lost"][pv][:, kv], dnames, "dyad")
    means("peak_level", bpeak, vpeak, dnames, "dyad", 11)
    apos = {c: k for k, c in enumerate(var.layout.codes)}
    acts = [(c, k, apos[c]) for k, c in enumerate(base.layout.codes) if c in apos]
    means("milex_change", bt["milex_change"][pb][:, [a[1] for a in acts]], vt["milex_change"][pv][:, [a[2] for a in acts]],
          [a[0] for a in acts], "actor", 12)
    sysx = np.stack([bs.astype(float), bt["alliance_new"][pb].sum(axis=1)], axis=1)
    sysy = np.stack([vs.astype(float), vt["alliance_new"][pv].sum(axis=1)], axis=1)
    means("system_peak_level", sysx[:, [0]], sysy[:, [0]], [""], "system", 13)
    means("alliances_formed", sysx[:, [1]], sysy[:, [1]], [""], "system", 14)
    return rows


def _order(df: pd.DataFrame) -> pd.DataFrame:
    """Sort most changed first.

    Changed before unchanged; probabilities by |difference|, then means by |difference| relative
    to the baseline's size and spread (``|diff| / (|baseline| + sd)``).
    """
    if df.empty:
        return df
    score = df["diff"].abs().where(df["kind"] == "probability",
                                   df["diff"].abs() / (df["baseline"].abs() + df["se_diff"] * np.sqrt(df["n"]) + 1e-12) * 0.1)
    df = df.assign(_c=df["changed"].astype(int), _p=(df["kind"] == "probability").astype(int), _s=score)
    df = df.sort_values(["_c", "_p", "_s", "variant", "outcome", "dyad", "actor"], ascending=[False, False, False, True, True, True, True])
    return df.drop(columns=["_c", "_p", "_s"]).reset_index(drop=True)


def compare_results(baseline: Any, variants: Sequence[Any], *, titles: dict[str, str] | None = None,
                    resamples: int = BOOTSTRAP, precision: float = 0.02) -> Comparison:
    """Compare finished ensembles (the baseline's and each variant's, run with the same seeds).

    Each ensemble needs ``variant``, ``seed``, ``seeds``, ``layout``, ``table`` (a
    :class:`~sim.analysis.aggregate.RunTable`), ``failures``, ``partial``, ``scenario``: an
    :class:`~sim.ensemble.EnsembleResult` or one reloaded with :func:`sim.storage.load_ensemble`.

    Raises:
        ValueError: if the ensembles were not run with the same seeds.
    """
    rows: list[dict] = []
    for v in variants:
        if list(v.seeds) != list(baseline.seeds):
            raise ValueError(f"variant '{v.variant}' was run with other seeds than the baseline: the comparison would not be paired")
        rows += _rows_for(baseline, v, baseline.seed, resamples, precision)
    df = pd.DataFrame(rows, columns=[c for c in COMPARISON_COLUMNS if c not in ("changed", "label")])
    if len(df):
        floor = [NEGLIGIBLE.get(k if k == "probability" else o, 0.0) for k, o in zip(df["kind"], df["outcome"], strict=True)]
        df["changed"] = ((df["diff_lo"] > 0) | (df["diff_hi"] < 0)) & (df["diff"].abs() >= np.asarray(floor))
        df["label"] = [describe(o, d, a) for o, d, a in zip(df["outcome"], df["dyad"], df["actor"], strict=True)]
    else:
        df["changed"] = pd.Series(dtype=bool)
        df["label"] = pd.Series(dtype=str)
    df = _order(df)[COMPARISON_COLUMNS]
    titles = dict(titles or {})
    for v in variants:
        titles.setdefault(v.variant, getattr(v, "title", "") or v.variant)
    verdicts = [_verdict_text(r, titles.get(r["variant"], r["variant"])) for _, r in df[df["changed"]].iterrows()]
    return Comparison(baseline=baseline, variants=list(variants), table=df, verdicts=verdicts, titles=titles,
                      precision=precision)
