"""Reference models for the ICB outcomes: the base-rate null and an ordered logit on crisis features.

Both are fitted on training crises and predict others (never the rows they were fitted on):

* :class:`BaseRate` forecasts every case with the training frequencies of the classes.
* :class:`OrderedLogit` is statsmodels' ``OrderedModel`` (logit link) on the features below,
  imputed with the training medians and standardised with the training moments; a feature constant
  in the training rows is dropped. If the fit fails it falls back to the base rate and says so.

Crisis features (:func:`crisis_features`, for the violence level), all known at the onset:
``trigger_violent`` (ICB trigger type 9), ``trigger_indirect`` (8), ``trigger_military`` (7),
``gravity`` (``gravcr`` 0–6; 7 "other" is missing), ``great_power_actor`` (a COW major power is a
crisis actor), ``great_power_military`` (a great power involved covertly, semi-militarily or
directly: ICB2 activity 6–8), ``contiguous`` (two crisis actors share a land border or ≤ 12 miles of
water, COW contiguity), ``nuclear`` (a crisis actor has nuclear weapons: ICB2 ``nuclear`` ≥ 3),
``power_discrepancy`` (log(1 + ``powdissy``)), ``intra_war`` (``iwcmb`` ≠ 1).
Actor features (:func:`actor_features`, for the major response) are the same read for one crisis
actor: its own trigger type and gravity, whether it is a major power, great-power military
involvement toward it, its nuclear capability, its power discrepancy (signed log) and the crisis's
intra-war flag.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from sim.catalog import Catalog
from sim.history.icb import IcbActor, IcbCrisis
from sim.history.mapping import GREAT_POWERS, MILITARY_ACTIVITY, cow_code

__all__ = ["ACTOR_FEATURES", "CRISIS_FEATURES", "BaseRate", "OrderedLogit", "actor_features", "crisis_features"]

CRISIS_FEATURES: tuple[str, ...] = ("trigger_violent", "trigger_indirect", "trigger_military", "gravity",
                                    "great_power_actor", "great_power_military", "contiguous", "nuclear",
                                    "power_discrepancy", "intra_war")
ACTOR_FEATURES: tuple[str, ...] = ("trigger_violent", "trigger_indirect", "trigger_military", "gravity", "major_power",
                                   "great_power_military", "nuclear", "power_discrepancy", "intra_war")
_NAN = float("nan")


def _year(crisis: IcbCrisis, catalog: Catalog) -> int:
    y = crisis.trigger_year if crisis.trigger_year is not None else catalog.last_year
    return min(max(y, catalog.first_year), catalog.last_year)


def _major(code: str | None, ccode: int | None, year: int, catalog: Catalog) -> bool:
    if code is not None and catalog.has_state(code, year):
        return bool(catalog.state(code, year).major_power)
    return ccode in GREAT_POWERS.values()


def _trigger(t: int | None) -> dict[str, float]:
    if t is None:
        return {"trigger_violent": _NAN, "trigger_indirect": _NAN, "trigger_military": _NAN}
    return {"trigger_violent": float(t == 9), "trigger_indirect": float(t == 8), "trigger_military": float(t == 7)}


def _gravity(g: int | None) -> float:
    return float(g) if g is not None and 0 <= g <= 6 else _NAN


def crisis_features(crisis: IcbCrisis, actors: Sequence[IcbActor], catalog: Catalog,
                    by_ccode: Mapping[int, str]) -> dict[str, float]:
    """The onset features of one crisis (NaN where ICB leaves them blank)."""
    year = _year(crisis, catalog)
    codes = [cow_code(a.ccode, year, catalog, by_ccode) for a in actors]
    present = [c for c in codes if c is not None and catalog.has_state(c, year)]
    contiguous = _NAN
    if len(present) > 1:
        cont = catalog.contiguity(present, year)
        contiguous = float(((cont > 0) & (cont <= 2)).any())
    nukes = [a.nuclear for a in actors if a.nuclear is not None]
    pd_ = crisis.power_discrepancy
    return {
        **_trigger(crisis.trigger_type),
        "gravity": _gravity(crisis.gravity),
        "great_power_actor": float(any(_major(c, a.ccode, year, catalog) for c, a in zip(codes, actors, strict=True))),
        "great_power_military": float(any((v or 0) in MILITARY_ACTIVITY for a in actors for v in a.activity.values())),
        "contiguous": contiguous,
        "nuclear": float(any(n >= 3 for n in nukes)) if nukes else _NAN,
        "power_discrepancy": math.log1p(max(pd_, 0.0)) if pd_ is not None else _NAN,
        "intra_war": float(crisis.intra_war not in (None, 1)) if crisis.intra_war is not None else _NAN,
    }


def actor_features(crisis: IcbCrisis, actor: IcbActor, catalog: Catalog, by_ccode: Mapping[int, str]) -> dict[str, float]:
    """The onset features of one crisis actor (NaN where ICB leaves them blank)."""
    year = _year(crisis, catalog)
    code = cow_code(actor.ccode, year, catalog, by_ccode)
    pd_ = actor.power_discrepancy
    return {
        **_trigger(actor.trigger_type),
        "gravity": _gravity(actor.gravity),
        "major_power": float(_major(code, actor.ccode, year, catalog)),
        "great_power_military": float(any((v or 0) in MILITARY_ACTIVITY for v in actor.activity.values())),
        "nuclear": float(actor.nuclear >= 3) if actor.nuclear is not None else _NAN,
        "power_discrepancy": math.copysign(math.log1p(abs(pd_)), pd_) if pd_ is not None else _NAN,
        "intra_war": float(crisis.intra_war not in (None, 1)) if crisis.intra_war is not None else _NAN,
    }


class BaseRate:
    """The null model: the training frequency of each class, for every case."""

    name = "base_rate"

    def __init__(self, k: int):
        """A base rate over ``k`` classes."""
        self.k = k
        self.p = np.full(k, 1.0 / k)

    def fit(self, x: pd.DataFrame, y: np.ndarray) -> BaseRate:
        """Count the classes of ``y`` (``x`` is ignored)."""
        y = np.asarray(y, dtype=int)
        if y.size:
            self.p = np.bincount(y, minlength=self.k)[: self.k] / y.size
        return self

    def predict(self, x: pd.DataFrame) -> np.ndarray:
        """The same forecast for each row of ``x``."""
        return np.tile(self.p, (len(x), 1))


class OrderedLogit:
    """An ordered logit (statsmodels ``OrderedModel``) on standardised, median-imputed features."""

    name = "ordered_logit"

    def __init__(self, k: int):
        """An ordered logit over ``k`` ordered classes."""
        self.k = k
        self.fallback: str | None = None
        self.columns: list[str] = []
        self._base = BaseRate(k)

    def fit(self, x: pd.DataFrame, y: np.ndarray) -> OrderedLogit:
        """Fit on training rows ``x`` (features) and classes ``y`` (0 … k−1)."""
        from statsmodels.miscmodels.ordinal_model import OrderedModel

        y = np.asarray(y, dtype=int)
        self._base.fit(x, y)
        self.median = x.median(numeric_only=True).fillna(0.0)
        xi = x.fillna(self.median)
        sd = xi.std(ddof=0)
        self.columns = [c for c in x.columns if sd[c] > 1e-9]
        self.mean, self.sd = xi[self.columns].mean(), sd[self.columns]
        self.classes = np.unique(y)
        self.result = None
        if len(self.classes) < 2 or not self.columns:
            self.fallback = "fewer than two classes or no varying feature in the training rows"
            return self
        z = (xi[self.columns] - self.mean) / self.sd
        codes = np.searchsorted(self.classes, y)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                res = OrderedModel(codes, z.to_numpy(), distr="logit").fit(method="bfgs", disp=False, maxiter=1000)
        except Exception as exc:  # noqa: BLE001 — a numerical failure is reported, not raised
            self.fallback = f"the fit failed ({type(exc).__name__}: {exc})"
            return self
        if not np.all(np.isfinite(res.params)):
            self.fallback = "the fit gave non-finite parameters"
            return self
        self.result = res
        self.converged = bool(res.mle_retvals.get("converged", True))
        return self

    def predict(self, x: pd.DataFrame) -> np.ndarray:
        """Class probabilities for each row of ``x`` (the base rate if the fit fell back)."""
        if self.result is None:
            return self._base.predict(x)
        z = ((x.fillna(self.median)[self.columns] - self.mean) / self.sd).to_numpy()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            probs = np.asarray(self.result.model.predict(self.result.params, exog=z))
        out = np.zeros((len(x), self.k))
        out[:, self.classes] = probs
        return out
