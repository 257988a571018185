"""The world's state: per-actor vectors and dyadic matrices held in numpy arrays.

:func:`build_world` resolves a :class:`~sim.scenario.schema.Scenario` against the shipped catalog
(its ``data_year``): capabilities, capitals, democracy, UN ideal points, major-power and nuclear
status, ATOP alliances, contiguity, distances and rivalries, then the scenario's own relations and
per-actor overrides on top. Every dyadic quantity is an ``N × N`` array indexed in scenario order;
row ``i`` is the perceiving / acting state.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from sim.catalog.currency import DORMANT_BELOW
from sim.errors import CatalogError
from sim.scales import LADDER
from sim.scenario.schema import Scenario

__all__ = ["ActorInfo", "DYNAMIC", "NEUTRAL_AFFINITY", "RIVALRY_BITS", "TieInfo", "World", "affinity_matrix",
           "build_world", "LADDER"]


OBLIGATION_STRENGTH = {"defense": 0.8, "consultation": 0.0, "neutrality": 0.0, "nonaggression": 0.0}
ALIGNMENT_OF = {"defense": 0.8, "consultation": 0.45, "neutrality": 0.3, "nonaggression": 0.25, "none": 0.0}


#: UN-voting affinity of a pair in which a state has no ideal point (no votes: before 1946, or never a
#: member). 0.5 is "no evidence either way": the prior belief ``prior_greedy·(1.5 − aff)`` is then
#: the general prior itself, and the identity term of threat sits in the middle of its range.
NEUTRAL_AFFINITY = 0.5

#: How the model treats a missing ideal point (provenance of the value; docs/data.md "Missing values").
IDEAL_MISSING = ("missing: no UN votes (before 1946, or never a member); the model gives it a neutral UN affinity "
                 f"of {NEUTRAL_AFFINITY} with every state and no power-transition dissatisfaction")


def affinity_matrix(ideal: np.ndarray, scale: float) -> np.ndarray:
    """UN-voting affinity ``clip(1 − |x_i − x_j| / scale, 0, 1)``; :data:`NEUTRAL_AFFINITY` where an ideal point is missing.

    ``ideal`` holds NaN for a state without an ideal point (:data:`IDEAL_MISSING`); the diagonal is 1.
    """
    x = np.asarray(ideal, dtype=np.float64)
    gap = np.abs(x[..., :, None] - x[..., None, :])
    aff = np.where(np.isnan(gap), NEUTRAL_AFFINITY, np.clip(1.0 - gap / scale, 0.0, 1.0))
    n = x.shape[-1]
    aff[..., np.arange(n), np.arange(n)] = 1.0
    return aff


#: Bits of ``World.rival_type`` (Thompson & Dreyer 2011 rivalry types; TSS flags as well).
RIVALRY_BITS: dict[str, int] = {"spatial": 1, "positional": 2, "ideological": 4, "interventionary": 8}


@dataclass(frozen=True)
class TieInfo:
    """One alliance tie at the start, where it came from and how current it is (for describe/app).

    Attributes:
        a, b: The two actor codes.
        source: ``"ATOP <year>"`` (catalog) or ``"scenario"`` (``relations.alliances``).
        kind: The strongest obligation: defense, consultation, neutrality, nonaggression, none.
        obligations: All ATOP obligations of the pair (catalog ties).
        since: First year of the unbroken ATOP tie (0 for scenario ties).
        weight: Currency weight 0–1 applied to the pledge and alignment (scenario ties: 1).
        dormant: The tie counts for little: dormant (weight < 0.5, in the catalog or under the
            scenario's sanctions), ended, or void.
        note: Why (the catalog's currency note, or what the scenario did).
        status: ``in force``, ``dormant``, ``dormant (sanctions)`` (a live catalog tie that the
            scenario's sanctions between the pair bring below 0.5), ``ended <year>`` (catalog),
            ``ended by the scenario`` or ``void (at war)``.
    """

    a: str
    b: str
    source: str
    kind: str
    obligations: tuple[str, ...] = ()
    since: int = 0
    weight: float = 1.0
    dormant: bool = False
    note: str = ""
    status: str = "in force"


@dataclass(frozen=True)
class ActorInfo:
    """What the model knows about one actor, and where each figure came from."""

    code: str
    name: str
    cinc: float
    milex: float
    polyarchy: float
    ideal_point: float
    major_power: bool
    nuclear: bool
    lat: float
    lon: float
    resolve: float
    doctrine: str
    modifiers: tuple[str, ...]
    provenance: dict[str, str] = field(default_factory=dict)

    def missing(self, name: str) -> str:
        """How a value missing in the catalog was filled ("imputed: …", "default …") or treated ("missing: …"), or ""."""
        how = self.provenance.get(name, "")
        return how if how.startswith(("imputed", "default", "missing")) else ""

    def display(self, name: str, fmt: str = "{:.2f}", scale: float = 1.0, short: bool = False) -> str:
        """The value (times ``scale``) as text; a value the catalog lacks shows as ``n/a (imputed: … → value)``.

        ``short`` gives ``n/a (imputed: value)`` / ``n/a (default: value)`` for narrow tables; a value
        the model holds as missing (NaN: an ideal point without UN votes) shows as ``n/a`` /
        ``n/a (no data; …)``.
        """
        v = getattr(self, name) * scale
        how = self.missing(name)
        if not how:
            return fmt.format(v)
        if how.startswith("missing") or (isinstance(v, float) and np.isnan(v)):
            return "n/a" if short else f"n/a (no data; {how.partition('; ')[2] or 'no value'})"
        if how.startswith("imputed"):
            return f"n/a (imputed: {fmt.format(v)})" if short else f"n/a ({how} → {fmt.format(v)})"
        return f"n/a (default: {fmt.format(v)})" if short else f"n/a (no data; the model uses {fmt.format(v)})"


#: World fields that change during a run (one copy per replication when runs are batched).
DYNAMIC: tuple[str, ...] = ("cap0", "cap", "spending", "pledge", "align", "reliab", "hostility", "posture", "belief",
                            "threat", "level", "sanctions", "sigma", "pwin_year", "offer")


@dataclass
class World:
    """Dyadic and per-actor state of a running crisis (all arrays in scenario order)."""

    codes: list[str]
    actors: list[ActorInfo]
    # per actor
    cap0: np.ndarray
    cap: np.ndarray
    dem: np.ndarray
    ideal: np.ndarray  # UN ideal point; NaN where the state has none (neutral affinity, see affinity_matrix)
    major: np.ndarray
    nuclear: np.ndarray
    resolve: np.ndarray
    arms_a: np.ndarray
    arms_m: np.ndarray
    arms_g: np.ndarray
    offense_defense: np.ndarray  # perceived offence (+1) or defence (−1) dominance
    spending: np.ndarray  # Richardson: extra military spending as a share of the base
    # dyadic
    dist: np.ndarray
    contig: np.ndarray
    pledge: np.ndarray  # pledge[i, j]: strength with which i would defend j (in force)
    align: np.ndarray
    reliab: np.ndarray  # reliab[i, j]: i's belief that j would honour its pledge
    rival: np.ndarray
    trade: np.ndarray
    inst: np.ndarray
    hostility: np.ndarray  # hostility[i, j]: decayed hostile acts of i toward j
    posture: np.ndarray  # posture[j, i]: offensive posture of j near i
    belief: np.ndarray  # belief[i, j]: i's belief that j is greedy
    threat: np.ndarray  # threat[i, j]: normalised threat i perceives from j, 0–1
    level: np.ndarray  # escalation rung of the dyad, symmetric, int
    sanctions: np.ndarray  # sanctions[i, j]: severity of i's sanctions on j
    sigma: np.ndarray  # private-information spread per dyad (bargaining)
    pwin_year: np.ndarray  # smoothed win probability a year ago (commitment problem)
    offer: np.ndarray  # offer[i, j]: generosity of an open settlement offer from i to j
    rival_type: np.ndarray | None = None  # rival_type[i, j]: RIVALRY_BITS mask (0: untyped/none), int8
    ties: tuple[TieInfo, ...] = ()  # the alliance ties at the start, with currency (display only)

    @property
    def n(self) -> int:
        """Number of actors."""
        return len(self.codes)

    def index(self, code: str) -> int:
        """Row index of ``code``."""
        return self.codes.index(code)

    def batched(self, runs: int) -> World:
        """A copy whose changing arrays carry a leading axis of ``runs`` replications.

        The fields in :data:`DYNAMIC` change during a run and become ``[runs, N]`` or
        ``[runs, N, N]``; the others (geography, regime, trade, doctrine inputs) stay shared.
        """
        kw = {f: getattr(self, f) for f in self.__dataclass_fields__}
        for f in DYNAMIC:
            a = np.asarray(kw[f])
            kw[f] = np.repeat(a[None], runs, axis=0)
        return World(**kw)

    def lane(self, r: int) -> World:
        """Replication ``r`` of a batched world, as copies with the usual ``[N]`` / ``[N, N]`` shapes."""
        kw = {f: getattr(self, f) for f in self.__dataclass_fields__}
        for f in DYNAMIC:
            kw[f] = np.array(kw[f][r])
        return World(**kw)


def _haversine(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    la, lo = np.radians(lat), np.radians(lon)
    dlat = la[:, None] - la[None, :]
    dlon = lo[:, None] - lo[None, :]
    a = np.sin(dlat / 2) ** 2 + np.cos(la[:, None]) * np.cos(la[None, :]) * np.sin(dlon / 2) ** 2
    return 2 * 6371.0 * np.arcsin(np.sqrt(np.clip(a, 0, 1)))


def _tie_currency(al, severity: float) -> tuple[float, str, str]:
    """``(weight, note, status)`` of a catalog tie at the start, given the sanctions between the pair.

    The catalog's currency weight (:mod:`sim.catalog.currency`) times ``1 − severity`` of the
    strongest sanctions either partner has in force on the other (docs/data.md).
    """
    if al.ended:
        return al.weight, al.note, f"ended {al.ended}"
    if severity <= 0:
        return al.weight, al.note, "dormant" if al.dormant else "in force"
    weight = round(al.weight * (1.0 - severity), 4)
    if weight < DORMANT_BELOW:
        status = "dormant" if al.dormant else "dormant (sanctions)"
    else:
        status = "in force"
    note = (f"under sanctions of severity {severity:.2f}: weight {al.weight:.2f} × (1 − {severity:.2f}) = "
            f"{weight:.2f}; catalog: {al.note}")
    return weight, note, status


def build_world(scenario: Scenario, catalog=None) -> World:
    """Resolve ``scenario`` against the catalog of its ``data_year`` into a :class:`World`.

    Raises:
        CatalogError: an actor code that the catalog does not know for that year.
    """
    if catalog is None:
        from sim.catalog import load_catalog

        catalog = load_catalog()
    year = scenario.data_year
    codes = scenario.codes
    n = len(codes)
    lens = scenario.lens
    infos: list[ActorInfo] = []
    problems = []
    for a in scenario.actors:
        rec = None
        if a.catalog:
            try:
                rec = catalog.state(a.code, year)
            except CatalogError as exc:
                problems.append(str(exc))
                continue
        ov = a.overrides
        prov: dict[str, str] = {}

        def pick(name, rec_value, default, _ov=ov, _prov=prov, _rec=rec):
            v = getattr(_ov, name, None)
            if v is not None:
                _prov[name] = "scenario override"
                return v
            if rec_value is not None and not (isinstance(rec_value, float) and np.isnan(rec_value)):
                _prov[name] = f"catalog {year}"
                return rec_value
            imp = _rec.imputed_value(name) if _rec is not None else None
            if imp is not None:  # missing in the catalog, imputed by its documented rule (docs/data.md)
                _prov[name] = f"imputed: {imp[1]}"
                return imp[0]
            if name == "ideal_point" and _rec is not None:  # no UN votes: kept missing (NaN), neutral affinity
                _prov[name] = IDEAL_MISSING
                return float("nan")
            _prov[name] = f"default {default} (missing in catalog)" if _rec is not None else f"default {default}"
            return default

        infos.append(
            ActorInfo(
                code=a.code,
                name=pick("name", rec.name if rec else None, a.code),
                cinc=float(pick("cinc", rec.cinc if rec else None, 0.001)),
                milex=float(pick("milex", rec.milex if rec else None, 0.0)),
                polyarchy=float(pick("polyarchy", rec.polyarchy if rec else None, 0.3)),
                ideal_point=float(pick("ideal_point", rec.ideal_point if rec else None, 0.0)),
                major_power=bool(pick("major_power", rec.major_power if rec else None, False)),
                nuclear=bool(pick("nuclear", rec.nuclear if rec else None, False)),
                lat=float(pick("lat", rec.lat if rec else None, 0.0)),
                lon=float(pick("lon", rec.lon if rec else None, 0.0)),
                resolve=float(ov.resolve if ov.resolve is not None else 0.5),
                doctrine=lens or a.doctrine,
                modifiers=tuple(a.modifiers),
                provenance=prov,
            )
        )
    if problems:
        raise CatalogError("\n".join(problems))

    p = scenario.parameters
    f = np.float64
    cap0 = np.array([max(i.cinc, 1e-6) for i in infos], dtype=f)
    lat = np.array([i.lat for i in infos], dtype=f)
    lon = np.array([i.lon for i in infos], dtype=f)
    capdist = _haversine(lat, lon)
    dist = capdist.copy()
    contig = np.zeros((n, n), dtype=bool)
    cat_codes = [a.code for a in scenario.actors if a.catalog]
    if cat_codes:
        idx = [codes.index(c) for c in cat_codes]
        md = np.asarray(catalog.min_distance(cat_codes), dtype=f)
        ct = np.asarray(catalog.contiguity(cat_codes, year))
        sub = np.ix_(idx, idx)
        # The nearer of capital distance and minimum border distance (a state's power reaches
        # out from its territory, not only its capital). The minimum distances describe the 2019
        # borders, so they are used only for data years since 1991; earlier years use capitals.
        # Land neighbours of the data year are at distance 0.
        if year >= 1991:
            dist[sub] = np.where(np.isnan(md), capdist[sub], np.minimum(capdist[sub], md))
        contig[sub] = ct == 1
        dist[contig] = 0.0
    np.fill_diagonal(dist, 0.0)

    pledge = np.zeros((n, n), dtype=f)
    align = np.zeros((n, n), dtype=f)
    reliab = np.full((n, n), 0.5, dtype=f)
    rival = np.zeros((n, n), dtype=bool)
    rival_type = np.zeros((n, n), dtype=np.int8)
    ties: dict[frozenset, TieInfo] = {}
    rel = scenario.relations
    # Sanctions in force between two states weaken their catalog tie: it keeps (1 − severity) of its
    # currency weight (an embargo on a treaty partner is evidence that the pledge is not kept up;
    # docs/data.md "Alliance currency")
    sanctioned: dict[frozenset, float] = {}
    for sn in rel.sanctions:
        for target in sn.targets:
            k = frozenset((sn.by, target))
            sanctioned[k] = max(sanctioned.get(k, 0.0), float(sn.severity))
    if rel.from_catalog and len(cat_codes) > 1:
        # ATOP ties weighted by their currency in the data year (dormant and ended ties count for
        # little or nothing; rule in sim.catalog.currency, docs/data.md)
        for al in catalog.alliances(cat_codes, year):
            i, j = codes.index(al.a), codes.index(al.b)
            if al.defense:
                kind = "defense"
            elif al.consul:
                kind = "consultation"
            elif al.neutral:
                kind = "neutrality"
            elif al.nonagg:
                kind = "nonaggression"
            else:
                continue
            weight, note, status = _tie_currency(al, sanctioned.get(frozenset((al.a, al.b)), 0.0))
            dormant = weight < DORMANT_BELOW
            # a dormant or ended tie carries no defence pledge at all (only what alignment is left)
            pledge[i, j] = pledge[j, i] = 0.0 if dormant else OBLIGATION_STRENGTH[kind] * weight
            align[i, j] = align[j, i] = ALIGNMENT_OF[kind] * weight
            if pledge[i, j] > 0:
                reliab[i, j] = reliab[j, i] = 0.5 + 0.2 * weight
            ties[frozenset((al.a, al.b))] = TieInfo(al.a, al.b, f"ATOP {al.source_year}", kind, al.obligations,
                                                    al.since, weight, dormant, note, status)
        for r in catalog.rivalry_records(cat_codes, year):
            i, j = codes.index(r.a), codes.index(r.b)
            rival[i, j] = rival[j, i] = True
            bits = sum(RIVALRY_BITS[t] for t in r.types if t in RIVALRY_BITS)
            rival_type[i, j] = rival_type[j, i] = rival_type[i, j] | bits
    for a_, b_ in rel.rivalries:
        i, j = codes.index(a_), codes.index(b_)
        rival[i, j] = rival[j, i] = True
    # Rivals are not aligned by a catalog tie (a scenario's own alliance between them still counts).
    align[rival] = 0.0
    for al in rel.alliances:
        i, j = codes.index(al.members[0]), codes.index(al.members[1])
        s = al.pledge
        pledge[i, j] = pledge[j, i] = s
        align[i, j] = align[j, i] = max(ALIGNMENT_OF[al.type], s) if al.type != "none" else 0.0
        reliab[i, j] = reliab[j, i] = 0.7 if s > 0 else 0.5
        old = ties.get(frozenset(al.members))
        what = (f"ended by the scenario (was {old.kind}, {old.source})" if al.type == "none" and old
                else "no tie (set by the scenario)" if al.type == "none"
                else f"set by the scenario (pledge {s:.2f})" + (f"; replaces {old.source} {old.kind}" if old else ""))
        none = al.type == "none"
        ties[frozenset(al.members)] = TieInfo(al.members[0], al.members[1], "scenario", al.type, (), 0,
                                              0.0 if none else 1.0, none, what,
                                              "ended by the scenario" if none else "in force")
    # States at war start with no pledge to each other and no alignment.
    at_war = np.zeros((n, n), dtype=bool)
    for a_, b_ in rel.wars:
        i, j = codes.index(a_), codes.index(b_)
        at_war[i, j] = at_war[j, i] = True
    pledge[at_war] = 0.0
    reliab[at_war] = 0.5
    align[at_war] = 0.0
    for k, t in list(ties.items()):
        i, j = codes.index(t.a), codes.index(t.b)
        if at_war[i, j] and t.kind != "none":
            ties[k] = TieInfo(t.a, t.b, t.source, t.kind, t.obligations, t.since, 0.0, True,
                              "void: the two are at war at the start; " + t.note, "void (at war)")

    def tie(items) -> np.ndarray:
        m = np.zeros((n, n), dtype=f)
        for t in items:
            i, j = codes.index(t.between[0]), codes.index(t.between[1])
            m[i, j] = m[j, i] = t.value
        return m

    trade = np.clip(tie(rel.trade), 0, 1)
    inst = np.clip(tie(rel.institutions), 0, 1)
    level = np.rint(np.clip(tie(rel.tensions), 0, 10)).astype(np.int16)
    for a_, b_ in rel.wars:
        i, j = codes.index(a_), codes.index(b_)
        level[i, j] = level[j, i] = 7
    sanctions = np.zeros((n, n), dtype=f)
    for sn in rel.sanctions:  # sanctions in force: their severity, and the dyad at rung 3 at least
        i = codes.index(sn.by)
        for target in sn.targets:
            j = codes.index(target)
            sanctions[i, j] = max(sanctions[i, j], sn.severity)
            level[i, j] = level[j, i] = max(level[i, j], 3)
    hostility = level / 6.0 + 0.25 * rival
    np.fill_diagonal(hostility, 0.0)
    sp = p.spiral
    # prior belief that another state is greedy: the rival prior for strategic rivals; otherwise the
    # general prior scaled by how far apart the two vote at the UN (0.5× for identical ideal
    # points, 1.5× for opposite ones) — shared positions read as benign intent (Kydd 2005)
    ideal = np.array([i.ideal_point for i in infos], dtype=f)
    affinity = affinity_matrix(ideal, p.power_transition.dissatisfaction_scale)
    belief = np.where(rival, sp.rival_prior, sp.prior_greedy * (1.5 - affinity)).astype(f)
    np.fill_diagonal(belief, 0.0)
    ar = p.arms

    def per_actor(name, default):
        return np.array(
            [getattr(a.overrides, name) if getattr(a.overrides, name) is not None else default for a in scenario.actors],
            dtype=f,
        )

    return World(
        codes=codes,
        actors=infos,
        cap0=cap0,
        cap=cap0.copy(),
        dem=np.array([i.polyarchy for i in infos], dtype=f),
        ideal=np.array([i.ideal_point for i in infos], dtype=f),
        major=np.array([i.major_power for i in infos], dtype=bool),
        nuclear=np.array([i.nuclear for i in infos], dtype=bool),
        resolve=np.array([i.resolve for i in infos], dtype=f),
        arms_a=per_actor("arms_reaction", ar.reaction),
        arms_m=per_actor("arms_fatigue", ar.fatigue),
        arms_g=per_actor("grievance", ar.grievance),
        offense_defense=per_actor("offense_defense_perception", p.alliance_politics.offense_defense_perception),
        spending=np.zeros(n, dtype=f),
        dist=dist,
        contig=contig,
        pledge=pledge,
        align=align,
        reliab=reliab,
        rival=rival,
        trade=trade,
        inst=inst,
        hostility=hostility,
        posture=np.zeros((n, n), dtype=f),
        belief=belief,
        threat=np.zeros((n, n), dtype=f),
        level=level,
        sanctions=sanctions,
        sigma=np.full((n, n), p.bargaining.uncertainty, dtype=f),
        pwin_year=np.full((n, n), np.nan, dtype=f),
        offer=np.zeros((n, n), dtype=f),
        rival_type=rival_type,
        ties=tuple(ties.values()),
    )
