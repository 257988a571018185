"""Statistics and streaming aggregation on small fixed inputs, checked against hand computation."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from sim.analysis import (
    EnsembleAggregator,
    Layout,
    RunDigest,
    RunTable,
    compare_results,
    outcome_table,
)
from sim.analysis.digest import RunBatch
from sim.analysis.quantiles import CountHistogram, StreamingQuantiles, quantile_from_counts
from sim.analysis.stats import (
    Z95,
    bootstrap_ci,
    bootstrap_diff,
    bootstrap_means,
    bootstrap_median_int,
    newcombe,
    phi,
    runs_needed,
    se_proportion,
    wilson,
)


# ------------------------------------------------------------------ Wilson and Newcombe
def test_wilson_matches_hand_computation_and_published_values():
    p, lo, hi = wilson(3, 10)
    z2 = Z95**2
    centre = (0.3 + z2 / 20) / (1 + z2 / 10)
    half = Z95 / (1 + z2 / 10) * math.sqrt(0.3 * 0.7 / 10 + z2 / 400)
    assert (p, lo, hi) == pytest.approx((0.3, centre - half, centre + half))
    assert (lo, hi) == pytest.approx((0.1078, 0.6032), abs=5e-5)
    # Newcombe (1998a), example 81/263: 0.2553 to 0.3662
    assert wilson(81, 263)[1:] == pytest.approx((0.2553, 0.3662), abs=5e-5)
    assert wilson(0, 10) == pytest.approx((0.0, 0.0, 0.2775), abs=5e-5)
    assert wilson(10, 10) == pytest.approx((1.0, 0.7225, 1.0), abs=5e-5)
    assert all(math.isnan(x) for x in wilson(0, 0))


def test_newcombe_independent_matches_published_example():
    # Newcombe (1998a) method 10: 56/70 − 48/80 = 0.2000, 95% CI 0.0524 to 0.3339
    d, lo, hi = newcombe(56, 70, 48, 80)
    assert d == pytest.approx(0.2)
    assert (lo, hi) == pytest.approx((0.0524, 0.3339), abs=5e-5)


def test_newcombe_paired_is_the_formula_with_phi():
    x = np.array([1] * 12 + [1] * 2 + [0] * 9 + [0] * 1)   # baseline
    y = np.array([1] * 12 + [0] * 2 + [1] * 9 + [0] * 1)   # variant
    r = phi(x, y)
    a, b, c, d = 12, 9, 2, 1                               # both, variant only, baseline only, neither
    assert r == pytest.approx((a * d - b * c) / math.sqrt((a + b) * (c + d) * (a + c) * (b + d)))
    p1, l1, u1 = wilson(21, 24)
    p2, l2, u2 = wilson(14, 24)
    lo = (p1 - p2) - math.sqrt((p1 - l1) ** 2 - 2 * r * (p1 - l1) * (u2 - p2) + (u2 - p2) ** 2)
    hi = (p1 - p2) + math.sqrt((u1 - p1) ** 2 - 2 * r * (u1 - p1) * (p2 - l2) + (p2 - l2) ** 2)
    assert newcombe(21, 24, 14, 24, corr=r) == pytest.approx((p1 - p2, lo, hi))
    # positive correlation narrows the interval
    w0 = np.subtract(*newcombe(21, 24, 14, 24, corr=0.0)[2:0:-1])
    w8 = np.subtract(*newcombe(21, 24, 14, 24, corr=0.8)[2:0:-1])
    assert w8 < w0


def test_monte_carlo_error_and_runs_needed():
    assert se_proportion(30, 100) == pytest.approx(math.sqrt(0.3 * 0.7 / 100))
    assert runs_needed(0.25, 0.01) == math.ceil(Z95**2 * 0.25 / 0.0001)
    assert runs_needed(0.25, 0.0) == 0


# ------------------------------------------------------------------ bootstrap
def test_bootstrap_mean_matches_hand_resampling():
    x = np.array([1.0, 2.0, 4.0, 7.0])
    est, lo, hi = bootstrap_ci(x, seed=42, stat="mean", resamples=500)
    idx = np.random.default_rng(42).integers(0, 4, size=(500, 4))
    means = x[idx].mean(axis=1)
    assert est == pytest.approx(3.5)
    assert (lo, hi) == pytest.approx(tuple(np.quantile(means, [0.025, 0.975])))
    # the vectorised version (weights) gives the same resamples
    m, l2, h2 = bootstrap_means(x[:, None], seed=42, resamples=500)
    assert (l2[0], h2[0]) == pytest.approx((lo, hi))


def test_bootstrap_degenerate_and_paired_difference():
    assert bootstrap_ci([5, 5, 5], seed=0) == (5.0, 5.0, 5.0)
    base = np.array([1.0, 2, 3, 4, 5, 6, 7, 8])
    var = base + 0.5
    d, lo, hi = bootstrap_diff(base, var, seed=1, paired=True, resamples=300)
    assert (d[0], lo[0], hi[0]) == pytest.approx((0.5, 0.5, 0.5))  # every paired difference is 0.5
    d2, lo2, hi2 = bootstrap_diff(base, var, seed=1, paired=False, resamples=300)
    assert lo2[0] < 0.5 < hi2[0] and hi2[0] - lo2[0] > 1.0


def test_bootstrap_median_of_integers():
    x = np.array([3, 3, 4, 4, 4, 9])
    med, lo, hi = bootstrap_median_int(x, seed=0, resamples=400)
    assert med == 4.0 and 3.0 <= lo <= 4.0 <= hi <= 9.0
    assert bootstrap_median_int(np.array([2, 2, 2]), seed=0) == (2.0, 2.0, 2.0)
    # the same distribution of medians as resampling indices, up to Monte Carlo error
    rng = np.random.default_rng(5)
    ref = np.median(x[rng.integers(0, 6, size=(20000, 6))], axis=1)
    draws = np.random.default_rng(6).multinomial(6, np.bincount(x) / 6, size=20000)
    cum = np.cumsum(draws, axis=1)
    ours = ((cum <= 2).sum(axis=1) + (cum <= 3).sum(axis=1)) / 2
    for v in (3.0, 3.5, 4.0):
        assert abs((ref == v).mean() - (ours == v).mean()) < 0.02


# ------------------------------------------------------------------ quantiles
def test_quantile_from_counts_is_inverted_cdf():
    rng = np.random.default_rng(0)
    vals = rng.integers(0, 11, size=37)
    counts = np.bincount(vals, minlength=11)
    for p in (0.05, 0.25, 0.5, 0.75, 0.95):
        assert quantile_from_counts(counts, p) == np.quantile(vals, p, method="inverted_cdf")
    h = CountHistogram((2,))
    h.add(np.array([3, 10]))
    h.add(np.array([5, 10]))
    assert h.mean().tolist() == [4.0, 10.0]
    assert h.share_at_least(5).tolist() == [0.5, 1.0]


def test_streaming_quantiles_exact_then_binned_within_the_stated_bound():
    rng = np.random.default_rng(3)
    data = rng.gamma(2.0, 1.0, size=(400, 6)).astype(np.float32).astype(float)
    sq = StreamingQuantiles((6,), buffer_runs=16, bins=64)
    for r in data[:16]:
        sq.add(r)
    assert sq.exact and (sq.error_bound() == 0).all()
    np.testing.assert_allclose(sq.quantiles(), np.quantile(data[:16], sq.probs, axis=0))
    for r in data[16:]:
        sq.add(r)
    assert not sq.exact
    est, bound = sq.quantiles(), sq.error_bound()
    ref = np.quantile(data, sq.probs, axis=0, method="inverted_cdf")
    assert (np.abs(est - ref) <= bound + 1e-12).all()
    # the bound is half a bin of the buffer's widened range wherever the quantile is inside it
    span = data[:16].max(axis=0) - data[:16].min(axis=0)
    inside = (ref >= data[:16].min(axis=0)) & (ref <= data[:16].max(axis=0))
    assert inside.any()
    width = np.broadcast_to(3.0 * span / 64, bound.shape)  # (1 + 2 · MARGIN) · range / bins
    assert (bound[inside] <= width[inside] * (1 + 1e-9)).all()
    assert (bound[inside] >= width[inside] / 2 * (1 - 1e-9)).mean() > 0.5  # clipped only at the extremes
    np.testing.assert_allclose(sq.mean(), data.mean(axis=0))


def test_binned_tails_are_accurate_where_p2_was_off_by_half():
    """The case that gave P² a 51 % error at the 5 % quantile: gamma(2), 3,000 runs, buffer of 64."""
    rng = np.random.default_rng(1)
    data = rng.gamma(2.0, 1.0, size=(3000, 300))
    sq = StreamingQuantiles((300,), buffer_runs=64, bins=1024)
    sq.add_many(data)
    exact = np.quantile(data, sq.probs, axis=0, method="inverted_cdf")
    rel = np.abs(sq.quantiles() - exact) / exact
    assert rel.max() < 0.05 and np.median(rel) < 0.005  # 5 % … 95 %, every cell (P² was off by up to 51 %)
    assert (np.abs(sq.quantiles() - exact) <= sq.error_bound() + 1e-12).all()
    sq.freeze()
    assert sq.counts is None and sq.quantiles().shape == (5, 300)


# ------------------------------------------------------------------ aggregation
def _layout(n=4, horizon=5) -> Layout:
    return Layout(codes=tuple("ABCDEFGHIJ"[:n]), horizon=horizon, dates=tuple(f"2024-01-{d + 1:02d}" for d in range(horizon + 1)))


def _digest(lay: Layout, rng: np.random.Generator, seed: int = 0) -> RunDigest:
    h1, n, d = lay.horizon + 1, lay.n, lay.d
    levels = rng.integers(0, 11, size=(h1, d)).astype(np.int8)
    first = np.full((3, d), -1, dtype=np.int16)
    for b, rung in enumerate((5, 7, 9)):
        for k in range(d):
            hit = np.flatnonzero(levels[:, k] >= rung)
            if hit.size:
                first[b, k] = hit[0]
    return RunDigest(seed=seed, codes=lay.codes, peak=levels.max(axis=0), final=levels[-1], first=first,
                     alliance_new=rng.random(d) < 0.2, alliance_lost=np.zeros(d, bool),
                     milex_change=rng.normal(size=n).astype(np.float32),
                     series=rng.random((3, h1, n)).astype(np.float32), actor_level=rng.integers(0, 11, (h1, n)).astype(np.int8),
                     system=np.vstack([levels.max(axis=1), rng.random((3, h1))]).astype(np.float32), levels=levels,
                     tension=(levels / 10).astype(np.float32))


def test_aggregator_state_does_not_grow_with_runs():
    lay = _layout()
    rng = np.random.default_rng(0)
    agg = EnsembleAggregator(lay, buffer_runs=16)
    sizes = {}
    for k in range(200):
        agg.add(k, k, _digest(lay, rng, k))
        if k + 1 in (20, 200):
            sizes[k + 1] = agg.state_nbytes
    assert sizes[200] <= sizes[20]
    # the per-run table grows by a fixed, small amount per run
    assert agg.table.bytes_per_run == 6 * 1 + 6 * 1 + 3 * 6 * 2 + 6 + 6 + 4 * 4 + 1 + 16 + 4 * 4  # support: N × N int8
    assert agg.n == 200


def test_fans_are_exact_quantiles_of_the_runs():
    lay = _layout(n=3, horizon=4)
    rng = np.random.default_rng(1)
    agg = EnsembleAggregator(lay)
    digests = [_digest(lay, rng, k) for k in range(30)]
    for k, dg in enumerate(digests):
        agg.add(k, k, dg)
    fan = agg.fan("level", dyad="A–C")
    col = np.stack([dg.levels[:, 1] for dg in digests])
    for name, p in (("q05", 0.05), ("q50", 0.5), ("q95", 0.95)):
        np.testing.assert_array_equal(fan[name].to_numpy(), np.quantile(col, p, axis=0, method="inverted_cdf"))
    np.testing.assert_allclose(fan["mean"], col.mean(axis=0))
    np.testing.assert_allclose(agg.fan("level", dyad="C-A")["mean"], col.mean(axis=0))
    assert list(fan.columns) == ["step", "date", "q05", "q25", "q50", "q75", "q95", "mean", "n"]
    hm = agg.heatmap()
    assert hm.shape == (3, 5) and hm.loc["A–C"].tolist() == pytest.approx(col.mean(axis=0).tolist())
    milex = agg.fan("milex", actor="B")
    np.testing.assert_allclose(milex["q50"], np.quantile(np.stack([dg.series[0, :, 1] for dg in digests]), 0.5, axis=0), rtol=1e-6)
    with pytest.raises(KeyError):
        agg.fan("level", dyad="A–Z")
    with pytest.raises(ValueError):
        agg.fan("level")
    assert set(agg.fan_table()["metric"]) >= {"level", "max_level", "milex", "dyads_war"}


def test_outcome_table_on_a_hand_built_table():
    lay = _layout(n=3, horizon=4)
    t = RunTable(3, 3)
    peaks = [[5, 0, 7], [4, 0, 9], [6, 1, 2], [0, 0, 0]]
    for k, pk in enumerate(peaks):
        first = np.full((3, 3), -1, dtype=np.int16)
        for b, rung in enumerate((5, 7, 9)):
            for j in range(3):
                if pk[j] >= rung:
                    first[b, j] = k + 1
        dg = RunDigest(seed=k, codes=lay.codes, peak=np.array(pk, np.int8), final=np.zeros(3, np.int8), first=first,
                       alliance_new=np.array([k == 0, False, False]), alliance_lost=np.zeros(3, bool),
                       milex_change=np.array([0.1 * k, 0, 0], np.float32), series=np.zeros((3, 5, 3), np.float32),
                       actor_level=np.zeros((5, 3), np.int8), system=np.vstack([np.full(5, max(pk)), np.zeros((3, 5))]).astype(np.float32))
        t.extend([k], RunBatch.stack([dg]))
    o = outcome_table(t, lay, seed=0, resamples=200).set_index(["outcome", "dyad", "actor"])
    row = o.loc[("p_violence", "A–B", "")]
    assert row["estimate"] == 0.5 and (row["lo"], row["hi"]) == pytest.approx(wilson(2, 4)[1:])
    assert o.loc[("p_nuclear", "B–C", ""), "estimate"] == 0.25
    assert o.loc[("p_any_war", "", ""), "estimate"] == 0.5
    assert o.loc[("peak_level", "A–B", ""), "estimate"] == pytest.approx(15 / 4)
    assert o.loc[("milex_change", "", "A"), "estimate"] == pytest.approx(0.15)
    assert o.loc[("first_violence_step", "A–B", ""), "estimate"] == pytest.approx(2.0)  # runs 0 and 2: steps 1, 3
    assert o.loc[("p_alliance_formed", "A–B", ""), "estimate"] == 0.25


class _Ens:
    """A stand-in for a finished ensemble: what compare_results reads."""

    def __init__(self, variant, table, lay, seeds):
        self.variant, self.table, self.layout, self.seeds = variant, table, lay, seeds
        self.seed, self.failures, self.partial = 0, [], False
        self.title = variant

        class S:
            id, title = "t", "Test"

        self.scenario = S()


def test_paired_comparison_beats_unpaired_when_runs_are_correlated():
    lay = _layout(n=2, horizon=2)
    rng = np.random.default_rng(0)
    n = 400
    u = rng.random(n)
    base_peak = np.where(u < 0.30, 6, 3)      # 30 % violence
    var_peak = np.where(u < 0.40, 6, 3)       # 40 %, on the same random numbers
    tables = []
    for pk in (base_peak, var_peak):
        t = RunTable(2, 1)
        for k in range(n):
            dg = RunDigest(seed=k, codes=lay.codes, peak=np.array([pk[k]], np.int8), final=np.zeros(1, np.int8),
                           first=np.full((3, 1), -1, np.int16), alliance_new=np.zeros(1, bool), alliance_lost=np.zeros(1, bool),
                           milex_change=np.array([u[k], 0], np.float32), series=np.zeros((3, 3, 2), np.float32),
                           actor_level=np.zeros((3, 2), np.int8), system=np.vstack([np.full(3, pk[k]), np.zeros((3, 3))]).astype(np.float32))
            t.extend([k], RunBatch.stack([dg]))
        tables.append(t)
    seeds = list(range(n))
    cmp = compare_results(_Ens("baseline", tables[0], lay, seeds), [_Ens("v", tables[1], lay, seeds)], resamples=300)
    row = cmp.table.set_index(["outcome", "dyad"]).loc[("p_violence", "A–B")]
    assert row["diff"] == pytest.approx(0.10, abs=0.03)
    assert row["diff_hi"] - row["diff_lo"] < row["unpaired_hi"] - row["unpaired_lo"]
    assert row["correlation"] > 0.6 and bool(row["changed"])
    assert any(v.startswith("Under “v”, the chance of a A–B use of force (rung ≥5) rose from 26%") for v in cmp.verdicts)
    with pytest.raises(ValueError, match="other seeds"):
        compare_results(_Ens("baseline", tables[0], lay, seeds), [_Ens("v", tables[1], lay, seeds[::-1])])
    assert isinstance(cmp.table, pd.DataFrame)


def _state(agg: EnsembleAggregator) -> dict:
    """Every number an aggregator holds (read before finish, so that nothing is frozen)."""
    out = {f"table.{k}": v.copy() for k, v in agg.table.arrays().items()}
    for name in ("dyad_hist", "actor_hist", "system_hist"):
        out[name] = getattr(agg, name).counts.copy()
    for name in ("series", "system", "dyad_tension"):
        q = getattr(agg, name)
        out[f"{name}.sum"], out[f"{name}.sumsq"] = q.sum.copy(), q.sumsq.copy()
        out[f"{name}.quantiles"] = q.quantiles().copy()
    return out


@pytest.mark.parametrize("cuts", [[40], [7, 9, 1, 23], [16, 1, 1, 22], [3] * 13 + [1]])
def test_add_batch_is_bitwise_the_same_as_adding_runs_one_by_one(cuts):
    """Bulk folding (runs that arrive together from a worker) gives the same bits however the runs
    are cut into batches (one by one included), before and after the quantile buffer is full, and
    the same bits as the estimators' own run-by-run updates."""
    lay = _layout()
    rng = np.random.default_rng(5)
    digests = [_digest(lay, rng, seed=k) for k in range(sum(cuts))]
    one = EnsembleAggregator(lay, buffer_runs=16)
    for k, dg in enumerate(digests):
        one.add(k, dg.seed, dg)
    bulk = EnsembleAggregator(lay, buffer_runs=16)
    a = 0
    for c in cuts:
        bulk.add_batch(list(range(a, a + c)), RunBatch.stack(digests[a:a + c]))
        a += c
    assert one.series.n == bulk.series.n == len(digests)
    s1, s2 = _state(one), _state(bulk)
    assert s1.keys() == s2.keys()
    for k in s1:
        np.testing.assert_array_equal(s1[k], s2[k], err_msg=k)
    # and the estimators' bulk paths against their own one-run-at-a-time ones
    ref_q, ref_h = StreamingQuantiles((lay.horizon + 1, lay.d), buffer_runs=16), CountHistogram((lay.horizon + 1, lay.d))
    for dg in digests:
        ref_q.add(dg.tension)
        ref_h.add(dg.levels)
    np.testing.assert_array_equal(ref_h.counts, s2["dyad_hist"])
    np.testing.assert_array_equal(ref_q.sum, s2["dyad_tension.sum"])
    np.testing.assert_array_equal(ref_q.sumsq, s2["dyad_tension.sumsq"])
    np.testing.assert_array_equal(ref_q.quantiles(), s2["dyad_tension.quantiles"])


def test_run_batch_round_trip_and_checks():
    lay = _layout()
    rng = np.random.default_rng(1)
    digests = [_digest(lay, rng, seed=10 + k) for k in range(5)]
    b = RunBatch.stack(digests)
    assert len(b) == 5 and b.levels.shape == (5, lay.horizon + 1, lay.d)
    for r, dg in enumerate(digests):
        back = b.digest(r)
        assert back.seed == dg.seed
        np.testing.assert_array_equal(back.series, dg.series)
        np.testing.assert_array_equal(back.first, dg.first)
    part = b.rows(1, 3)
    assert part.seeds.tolist() == [11, 12]
    np.testing.assert_array_equal(part.tension, b.tension[1:3])
    agg = EnsembleAggregator(lay)
    with pytest.raises(ValueError, match="indices"):
        agg.add_batch([0, 1], b)
    other = _layout(n=3)
    with pytest.raises(ValueError, match="actors"):
        EnsembleAggregator(other).add_batch(list(range(5)), b)


def test_resampling_counts_are_reused_with_identical_intervals_and_bounded_memory(monkeypatch):
    import sim.analysis.stats as S

    rng = np.random.default_rng(3)
    v = rng.normal(size=(120, 4))
    seed = np.random.SeedSequence([5, 11])
    S._COUNTS.clear()
    first = bootstrap_means(v, seed, resamples=500)
    assert len(S._COUNTS) == 1
    again = bootstrap_means(v, np.random.SeedSequence([5, 11]), resamples=500)  # an equal seed: a hit
    assert len(S._COUNTS) == 1
    for a, b in zip(first, again, strict=True):
        np.testing.assert_array_equal(a, b)
    # the counts are those of bootstrap_indices: each resample draws n runs
    w = S.resample_counts(seed, 120, 500)
    assert w.shape == (500, 120) and (w.sum(axis=1) == 120).all() and not w.flags.writeable
    idx = next(S.bootstrap_indices(np.random.default_rng(np.random.SeedSequence([5, 11])), 120, 500))
    np.testing.assert_array_equal(w[7], np.bincount(idx[7], minlength=120))
    monkeypatch.setattr(S, "COUNTS_CACHE_BYTES", 3 * w.nbytes)
    for k in range(10):
        S.resample_counts(k, 120, 500)
    assert sum(a.nbytes for a in S._COUNTS.values()) <= 3 * w.nbytes
    S._COUNTS.clear()


# ------------------------------------------------------------------ bands (the MID hostility levels)
def test_bands_are_the_mid_hostility_levels_named_in_one_place():
    """Threat 2, display 4, use of force 5 (a blockade, rung 6, is a use of force, not war), war 7, nuclear 9."""
    from pathlib import Path

    from sim.analysis.outcomes import describe
    from sim.calibration.targets import BANDS as CALIBRATION_BANDS
    from sim.cli.ensemble_cmds import _SHORT
    from sim.ensemble.explain import OUTCOME_WORDS
    from sim.scales import BAND_BY_KEY, BANDS, LADDER
    from sim.validation.onsets import DEFAULT_RUNGS

    assert [(b.key, b.rung, b.mid_level) for b in BANDS] == [("threat", 2, 2), ("display", 4, 3), ("violence", 5, 4),
                                                             ("war", 7, 5), ("nuclear", 9, None)]
    force, war = BAND_BY_KEY["violence"], BAND_BY_KEY["war"]
    assert "blockade" in LADDER[6] and force.rung <= 6 < war.rung
    assert "threat" in LADDER[BAND_BY_KEY["threat"].rung] and "show of force" in LADDER[BAND_BY_KEY["display"].rung]
    # every report reads the same words from the one source
    assert force.words == "use of force (rung ≥5)" and describe("p_violence", "A–B") == "chance of a A–B use of force (rung ≥5)"
    assert _SHORT["p_violence"] == OUTCOME_WORDS["p_violence"] == "use of force"
    assert dict(CALIBRATION_BANDS) == DEFAULT_RUNGS == {"threat": 2, "display": 4, "force": 5, "war": 7}
    model_md = (Path(__file__).resolve().parents[1] / "docs" / "model.md").read_text(encoding="utf-8")
    assert all(f"| {b.name} (`{b.key}`) | {b.rung} |" in model_md for b in BANDS)
    assert "Fatalities are not\nmodelled" in model_md
    from app_support.charts import BANDS as COLOURS

    # the app's escalation network colours the same bands
    assert [(lo, label) for lo, label, _ in COLOURS][3] == (5, "5–6 use of force") and [c[0] for c in COLOURS] == [1, 2, 4, 5, 7, 9]


def test_threat_and_display_bands_are_reported_from_the_peaks():
    from sim.analysis.aggregate import RunTable
    from sim.analysis.outcomes import outcome_table

    r, n, d = 8, 3, 3
    peak = np.zeros((r, d), np.int8)
    peak[:, 0] = [0, 1, 2, 3, 4, 5, 6, 7]
    t = RunTable.from_arrays({"index": np.arange(r), "seed": np.arange(r), "peak": peak, "final": peak,
                              "first": np.full((r, 3, d), -1, np.int16), "alliance_new": np.zeros((r, d), bool),
                              "alliance_lost": np.zeros((r, d), bool), "milex_change": np.zeros((r, n), np.float32),
                              "system_peak": peak.max(axis=1)})
    o = outcome_table(t, _layout(n=3, horizon=2), resamples=20).set_index(["outcome", "dyad"])
    assert o.loc[("p_threat", "A–B"), "estimate"] == 6 / 8 and o.loc[("p_display", "A–B"), "estimate"] == 4 / 8
    assert o.loc[("p_violence", "A–B"), "estimate"] == 3 / 8 and o.loc[("p_war", "A–B"), "estimate"] == 1 / 8
    assert o.loc[("p_display", "A–B"), "label"] == "chance of a A–B display of force (rung ≥4)"
    assert o.loc[("p_any_threat", ""), "estimate"] == 6 / 8
