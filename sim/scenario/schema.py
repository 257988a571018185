"""The scenario language: frozen pydantic models, pure data (no Mesa, no Streamlit).

A :class:`Scenario` is the typed intermediate representation between a YAML file and a running
model. It names a ``data_year`` (actors and pre-existing ties come from the shipped catalog of that
year unless overridden), a calendar, actors, relations, dated events, model parameters and named
what-if :class:`Variant` s. Cross-field rules (unknown actors, events outside the horizon, variants
naming unknown events) are reported by :meth:`Scenario.semantic_issues` so that the loader can place
each one on its line. Applying a variant (:func:`variant_data`, :func:`apply_variant`) lives in
:mod:`sim.scenario.variants` and is re-exported here.
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from sim.scenario.events import ROLE_FIELDS, ActorCode, Event
from sim.scenario.fields import field_bounds
from sim.scenario.parameters import Parameters
from sim.scenario.removal import drops, named
from sim.scenario.types import Bool, Date, Float, Int
from sim.scenario.variants import FIXED_EVENT_FIELDS, AppliedVariant, apply_variant, variant_data

__all__ = [
    "LIMITS",
    "Source",
    "Briefing",
    "Calendar",
    "ActorOverrides",
    "Actor",
    "Alliance",
    "Tie",
    "Relations",
    "SanctionsInForce",
    "EventChange",
    "ActorChange",
    "Variant",
    "Uncertainty",
    "Scenario",
    "DOCTRINES",
    "MODIFIERS",
    "AppliedVariant",
    "variant_data",
    "apply_variant",
    "FIXED_EVENT_FIELDS",
]

#: Hard limits: inputs beyond them are rejected with a clear message instead of a hang.
LIMITS = {"actors": 250, "steps": 2000, "events": 5000, "variants": 50}

#: Doctrine (theory lens) names known to the scenario language; the model's registry implements them.
DOCTRINES = ("realist", "liberal", "constructivist")
#: Modifiers that compose with any doctrine.
MODIFIERS = ("hawkish", "dovish", "risk_acceptant", "risk_averse")

DoctrineName = Literal["realist", "liberal", "constructivist"]
ModifierName = Literal["hawkish", "dovish", "risk_acceptant", "risk_averse"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Source(_Frozen):
    """A source for the briefing."""

    title: str = Field(max_length=500)
    url: str | None = Field(default=None, max_length=1000)
    note: str = Field(default="", max_length=2000)


class Briefing(_Frozen):
    """The situation in prose, with sources and classroom material."""

    summary: str = Field(max_length=20000, description="The situation, as a briefing to hand out.")
    question: str = Field(default="", max_length=500, description="The scenario's question, in one line.")
    period: str = Field(default="", max_length=100, description="When it happens, e.g. 'June 2024'.")
    sources: tuple[Source, ...] = ()
    learning_objectives: tuple[str, ...] = ()
    discussion_questions: tuple[str, ...] = ()


class Calendar(_Frozen):
    """Start date, step length and horizon (number of steps)."""

    start: Date
    step: Literal["day", "week"] = "week"
    horizon: Int = Field(ge=1, le=LIMITS["steps"], description="Number of steps to simulate.")

    @field_validator("horizon")
    @classmethod
    def _representable(cls, horizon: int, info: ValidationInfo) -> int:
        """The whole calendar must fit in the dates Python can hold (year 9999 at most)."""
        start = info.data.get("start")
        days = horizon * (1 if info.data.get("step") == "day" else 7)
        if isinstance(start, dt.date) and start > dt.date.max - dt.timedelta(days=days):
            raise ValueError(f"the calendar would end after {dt.date.max}, the last date it can hold: "
                             f"start {start} + {horizon} steps; use an earlier start")
        return horizon

    @property
    def step_days(self) -> int:
        """Days per step."""
        return 1 if self.step == "day" else 7

    def step_of(self, date: dt.date) -> int:
        """The 0-based step containing ``date`` (may be outside the horizon)."""
        return (date - self.start).days // self.step_days

    def label(self, step: int) -> str:
        """The 0-based ``step`` in the calendar's own unit: ``Day 3`` or ``Week 3``."""
        return f"{self.step.capitalize()} {step + 1}"

    def date_of(self, step: int) -> dt.date:
        """The first date of ``step``."""
        return self.start + dt.timedelta(days=step * self.step_days)

    @property
    def end(self) -> dt.date:
        """The first date after the horizon."""
        return self.date_of(self.horizon)


class ActorOverrides(_Frozen):
    """Any catalog attribute an actor may override, plus behavioural traits."""

    name: str | None = Field(default=None, max_length=100)
    cinc: Float | None = Field(default=None, ge=0, le=1, description="Capability share (COW CINC).")
    milex: Float | None = Field(default=None, ge=0, description="Military expenditure (COW, thousands of US$; informational — the model's spending is an index, see arms dynamics).")
    polyarchy: Float | None = Field(default=None, ge=0, le=1, description="V-Dem electoral democracy index.")
    ideal_point: Float | None = Field(default=None, ge=-5, le=5, description="UN General Assembly ideal point.")
    major_power: Bool | None = None
    nuclear: Bool | None = None
    lat: Float | None = Field(default=None, ge=-90, le=90, description="Capital latitude.")
    lon: Float | None = Field(default=None, ge=-180, le=180, description="Capital longitude.")
    resolve: Float | None = Field(default=None, ge=0, le=1, description="Stake in the crisis / resolve, 0–1 (default 0.5).")
    arms_reaction: Float | None = Field(default=None, ge=0, le=2, description="Richardson a (yearly).")
    arms_fatigue: Float | None = Field(default=None, ge=0, le=2, description="Richardson m (yearly).")
    grievance: Float | None = Field(default=None, ge=-1, le=2, description="Richardson g (yearly).")
    offense_defense_perception: Float | None = Field(default=None, ge=-1, le=1)


class Actor(_Frozen):
    """A state in the scenario: a catalog code, its doctrine, and overrides."""

    code: ActorCode
    doctrine: DoctrineName = "realist"
    modifiers: tuple[ModifierName, ...] = ()
    catalog: Bool = Field(default=True, description="Fill attributes from the catalog (false: a custom actor; give cinc, lat, lon).")
    overrides: ActorOverrides = ActorOverrides()

    @model_validator(mode="after")
    def _custom_complete(self) -> Actor:
        if not self.catalog:
            missing = [f for f in ("cinc", "lat", "lon") if getattr(self.overrides, f) is None]
            if missing:
                raise ValueError(f"a custom actor (catalog: false) needs overrides {', '.join(missing)}")
        return self


Pair = Annotated[tuple[ActorCode, ActorCode], Field(description="Two actor codes.")]


class Alliance(_Frozen):
    """An alliance tie in force at the start (overrides the catalog's for that pair).

    ``type: none`` ends the pair's catalog tie (no pledge, no alignment); a lower ``strength``
    weakens a defence pledge; declaring a tie the catalog marks dormant makes it count in full.
    """

    members: Pair
    type: Literal["defense", "neutrality", "nonaggression", "consultation", "none"] = "defense"
    strength: Float | None = Field(default=None, ge=0, le=1,
                                   description="Firmness of the defence pledge, 0–1 (type defense; default 0.8).")

    @model_validator(mode="after")
    def _strength_needs_a_tie(self) -> Alliance:
        if self.type == "none" and self.strength is not None:
            raise ValueError("strength has no meaning with type none (the tie is ended); leave it out")
        return self

    @property
    def pledge(self) -> float:
        """The defence pledge this tie carries: ``strength`` (default 0.8) for type defense, else 0."""
        if self.type != "defense":
            return 0.0
        return 0.8 if self.strength is None else self.strength


class Tie(_Frozen):
    """A weighted dyadic tie (trade dependence, shared institutions, initial tension)."""

    between: Pair
    value: Float = Field(ge=0, le=10)


class SanctionsInForce(_Frozen):
    """Sanctions already in force when the run starts (``by`` on each of ``targets``)."""

    by: ActorCode
    targets: tuple[ActorCode, ...] = Field(min_length=1)
    severity: Float = Field(default=0.5, ge=0, le=1, description="Severity, 0–1 (the scale of the `sanctions` event).")


class Relations(_Frozen):
    """Initial relations: alliances, rivalries, trade, institutions, wars, tensions and sanctions."""

    from_catalog: Bool = Field(default=True, description="Take alliances (ATOP) and rivalries (TSS) of the data year.")
    alliances: tuple[Alliance, ...] = ()
    rivalries: tuple[Pair, ...] = ()
    trade: tuple[Tie, ...] = Field(default=(), description="Trade dependence, 0–1 (share of the weaker side's GDP-weighted trade).")
    institutions: tuple[Tie, ...] = Field(default=(), description="Shared institutions, 0–1.")
    wars: tuple[Pair, ...] = Field(default=(), description="Wars ongoing at the start (rung 7).")
    tensions: tuple[Tie, ...] = Field(default=(), description="Initial escalation rung of a dyad, 0–10.")
    sanctions: tuple[SanctionsInForce, ...] = Field(
        default=(), description="Sanctions in force at the start: the dyad starts at rung 3 (sanctions) or above and does "
                                "not de-escalate below it while they last (a `sanctions_relief` event lifts them).")


class EventChange(_Frozen):
    """A variant's change to one event: new date or step, or any field set anew."""

    id: str
    date: Date | None = None
    step: Int | None = Field(default=None, ge=0)
    set: dict[str, Any] = Field(default_factory=dict, description="Fields to replace.")


class ActorChange(_Frozen):
    """A variant's change to one actor."""

    doctrine: DoctrineName | None = None
    modifiers: tuple[ModifierName, ...] | None = None
    overrides: ActorOverrides = ActorOverrides()


class Variant(_Frozen):
    """A named what-if: events added, removed or changed; actors, parameters or the lens changed."""

    name: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,63}$")
    title: str = Field(default="", max_length=200)
    description: str = Field(default="", max_length=5000)
    add_events: tuple[Event, ...] = ()
    remove_events: tuple[str, ...] = ()
    change_events: tuple[EventChange, ...] = ()
    add_actors: tuple[Actor, ...] = ()
    remove_actors: tuple[ActorCode, ...] = Field(
        default=(), description="Actors removed, with their events and every relation naming them (see Variants).")
    actors: dict[ActorCode, ActorChange] = Field(default_factory=dict)
    alliances: tuple[Alliance, ...] = ()
    parameters: dict[str, dict[str, Any]] = Field(default_factory=dict, description="Partial parameter groups to replace.")
    lens: DoctrineName | None = None


class Uncertainty(_Frozen):
    """A parameter whose value is uncertain: sampled over [low, high] by `flashpoint sweep`."""

    parameter: str = Field(pattern=r"^[a-z_]+\.[a-z_]+$", description="group.name, e.g. threat.power_exponent")
    low: Float
    high: Float

    @model_validator(mode="after")
    def _ordered(self) -> Uncertainty:
        if not self.low < self.high:
            raise ValueError("low must be below high")
        return self


class Scenario(_Frozen):
    """A crisis scenario (see docs/scenario-format.md)."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,63}$")
    title: str = Field(max_length=200)
    briefing: Briefing
    data_year: Int = Field(ge=1816, le=2022, description="Catalog year for actors and pre-existing ties.")
    calendar: Calendar
    lens: DoctrineName | None = Field(default=None, description="Apply one theory lens to every actor.")
    actors: tuple[Actor, ...] = Field(min_length=2, max_length=LIMITS["actors"])
    relations: Relations = Relations()
    events: tuple[Event, ...] = Field(default=(), max_length=LIMITS["events"])
    parameters: Parameters = Parameters()
    variants: tuple[Variant, ...] = Field(default=(), max_length=LIMITS["variants"])
    uncertainties: tuple[Uncertainty, ...] = ()
    variant: str | None = Field(default=None, description="Set by the engine when a variant is applied; leave empty.")

    # ------------------------------------------------------------------ helpers
    @property
    def codes(self) -> list[str]:
        """Actor codes in scenario order."""
        return [a.code for a in self.actors]

    def event_id(self, index: int) -> str:
        """The id of the event at ``index`` (its own, or ``e<index+1>``)."""
        return self.events[index].id or f"e{index + 1}"

    def event_step(self, event: Any) -> int:
        """The step at which ``event`` happens."""
        return event.step if event.step is not None else self.calendar.step_of(event.date)

    def variant_names(self) -> list[str]:
        """Names of the scenario's variants."""
        return [v.name for v in self.variants]

    # ------------------------------------------------------------------ semantic checks
    def semantic_issues(self) -> list[tuple[tuple, str]]:
        """Cross-field problems as (location path, message); empty when the scenario is coherent."""
        out: list[tuple[tuple, str]] = []
        codes = self.codes
        seen: dict[str, int] = {}
        for i, a in enumerate(self.actors):
            if a.code in seen:
                out.append((("actors", i, "code"), f"actor {a.code} is listed twice (first at actors[{seen[a.code]}])"))
            seen.setdefault(a.code, i)
        known = set(codes)
        out += self._check_catalog()
        out += self._check_events(self.events, ("events",), known)
        ids = [self.event_id(i) for i in range(len(self.events))]
        dup: dict[str, int] = {}
        for i, eid in enumerate(ids):
            if eid in dup:
                out.append((("events", i, "id"), f"event id '{eid}' is used twice (first at events[{dup[eid]}])"))
            dup.setdefault(eid, i)
        rel = self.relations
        for field in ("alliances", "trade", "institutions", "tensions"):
            for i, item in enumerate(getattr(rel, field)):
                pair = item.members if field == "alliances" else item.between
                out += self._check_pair(pair, ("relations", field, i), known)
        for field in ("rivalries", "wars"):
            for i, pair in enumerate(getattr(rel, field)):
                out += self._check_pair(pair, ("relations", field, i), known)
        for i, sn in enumerate(rel.sanctions):
            loc = ("relations", "sanctions", i)
            if sn.by not in known:
                out.append(((*loc, "by"), f"unknown actor {sn.by} (the scenario's actors: {', '.join(sorted(known))})"))
            for k, target in enumerate(sn.targets):
                if target not in known:
                    out.append(((*loc, "targets", k), f"unknown actor {target} (the scenario's actors: {', '.join(sorted(known))})"))
                elif target == sn.by:
                    out.append(((*loc, "targets", k), f"{sn.by} cannot sanction itself"))
        for i, t in enumerate(rel.tensions):
            if t.value > 10:
                out.append((("relations", "tensions", i, "value"), "a rung is 0–10"))
        for field in ("trade", "institutions"):
            for i, t in enumerate(getattr(rel, field)):
                if t.value > 1:
                    out.append((("relations", field, i, "value"),
                                f"{field} is a share, 0–1 (got {t.value:g})"))
        vnames: dict[str, int] = {}
        for vi, v in enumerate(self.variants):
            loc = ("variants", vi)
            if v.name in vnames:
                out.append(((*loc, "name"), f"variant '{v.name}' is defined twice"))
            if v.name == "baseline":
                out.append(((*loc, "name"), "'baseline' names the scenario as written; give the variant another name"))
            vnames.setdefault(v.name, vi)
            kept = [eid for eid in ids if eid not in v.remove_events]
            for k, ev in enumerate(v.add_events):
                if ev.id is not None and ev.id in kept:
                    out.append(((*loc, "add_events", k, "id"), f"event id '{ev.id}' is already used by an event of the "
                                "scenario (remove that event first, or choose another id)"))
                elif ev.id is not None and ev.id in [e.id for e in v.add_events[:k]]:
                    out.append(((*loc, "add_events", k, "id"), f"event id '{ev.id}' is added twice"))
            changed: dict[str, int] = {}
            for k, ch in enumerate(v.change_events):
                if ch.id in v.remove_events:
                    out.append(((*loc, "change_events", k, "id"), f"event '{ch.id}' is also in remove_events"))
                elif ch.id in changed:
                    out.append(((*loc, "change_events", k, "id"), f"event '{ch.id}' is changed twice "
                                f"(first at change_events[{changed[ch.id]}]); merge the two changes"))
                changed.setdefault(ch.id, k)
                for f in ch.set:
                    if f in FIXED_EVENT_FIELDS:
                        out.append(((*loc, "change_events", k, "set", f), FIXED_EVENT_FIELDS[f]))
                if ch.date is not None and ch.step is not None:
                    out.append(((*loc, "change_events", k), "give at most one of 'date' or 'step'"))
            gone = set(v.remove_actors)
            vknown = (known - gone) | {a.code for a in v.add_actors}
            for ai, a in enumerate(v.add_actors):
                if a.code in known:
                    out.append(((*loc, "add_actors", ai, "code"), f"actor {a.code} is already in the scenario"))
            out += self._check_removed_actors(v, loc, known, ids)
            for k, eid in enumerate(v.remove_events):
                if eid not in ids:
                    out.append(((*loc, "remove_events", k), f"no event with id '{eid}' (known: {', '.join(ids) or 'none'})"))
            for k, ch in enumerate(v.change_events):
                if ch.id not in ids:
                    out.append(((*loc, "change_events", k, "id"), f"no event with id '{ch.id}'"))
            for code in v.actors:
                if code not in vknown:
                    out.append(((*loc, "actors", code), f"unknown actor {code}"))
            for k, al in enumerate(v.alliances):
                out += self._check_pair(al.members, (*loc, "alliances", k), vknown)
            for g, vals in v.parameters.items():
                if g not in Parameters.model_fields:
                    out.append(((*loc, "parameters", g), f"unknown parameter group '{g}' (known: {', '.join(Parameters.model_fields)})"))
                    continue
                gcls = Parameters.model_fields[g].annotation
                for name in vals:
                    if name not in gcls.model_fields:  # type: ignore[union-attr]
                        out.append(((*loc, "parameters", g, name), f"unknown parameter '{g}.{name}'"))
            out += self._check_events(v.add_events, (*loc, "add_events"), vknown)
        for i, u in enumerate(self.uncertainties):
            g, _, name = u.parameter.partition(".")
            gf = Parameters.model_fields.get(g)
            if gf is None or name not in gf.annotation.model_fields:  # type: ignore[union-attr]
                out.append((("uncertainties", i, "parameter"), f"unknown parameter '{u.parameter}'"))
                continue
            pf = gf.annotation.model_fields[name]  # type: ignore[union-attr]
            if pf.annotation is int:
                out.append((("uncertainties", i, "parameter"), f"{u.parameter} is a whole number; a sweep "
                            "samples real values, so it can vary only real-valued parameters"))
                continue
            b = field_bounds(pf)
            lo, hi = b.low, b.high
            for end, value in (("low", u.low), ("high", u.high)):
                if (lo is not None and value < lo) or (hi is not None and value > hi):
                    out.append((("uncertainties", i, end), f"{end} {value:g} is outside the valid range of "
                                f"{u.parameter} ({_fmt(lo)} … {_fmt(hi)})"))
        return out

    def _check_removed_actors(self, v: Variant, loc: tuple, known: set[str], ids: list[str]) -> list[tuple[tuple, str]]:
        """A variant's ``remove_actors``: known codes, once each, not also added, two actors left."""
        out: list[tuple[tuple, str]] = []
        added = {a.code for a in v.add_actors}
        for k, code in enumerate(v.remove_actors):
            kloc = (*loc, "remove_actors", k)
            if code not in known:
                out.append((kloc, f"unknown actor {code} (the scenario's actors: {', '.join(sorted(known))})"))
            elif code in v.remove_actors[:k]:
                out.append((kloc, f"actor {code} is removed twice"))
            elif code in added:
                out.append((kloc, f"actor {code} is both removed and added; do one or the other"))
        left = len(known - set(v.remove_actors)) + len(added - known)
        if v.remove_actors and left < 2:
            out.append(((*loc, "remove_actors"), f"removing {', '.join(v.remove_actors)} leaves {left} actor(s); "
                        "a scenario needs at least two"))
        gone = set(v.remove_actors) & known
        by_id = {self.event_id(i): ev for i, ev in enumerate(self.events)}
        for k, ch in enumerate(v.change_events):
            ev = by_id.get(ch.id)
            if ev is not None and drops(ev, gone):
                out.append(((*loc, "change_events", k, "id"), f"event '{ch.id}' goes with the removed actor(s) "
                            f"{', '.join(sorted(gone & named(ev)))}; do not change it"))
        return out

    def _check_catalog(self) -> list[tuple[tuple, str]]:
        """Actors taken from the catalog must exist in it for the data year."""
        from sim.catalog import load_catalog  # the shipped reference data (pure data, no model)
        from sim.errors import CatalogError

        cat = load_catalog()
        out = []
        for i, a in enumerate(self.actors):
            if a.catalog and not cat.has_state(a.code, self.data_year):
                try:
                    cat.state(a.code, self.data_year)
                    msg = f"{a.code} is not in the catalog for {self.data_year}"
                except CatalogError as exc:
                    msg = str(exc)
                out.append((("actors", i, "code"), msg + " (or set catalog: false and give cinc, lat, lon)"))
        for vi, v in enumerate(self.variants):
            for ai, a in enumerate(v.add_actors):
                if a.catalog and not cat.has_state(a.code, self.data_year):
                    out.append((("variants", vi, "add_actors", ai, "code"), f"{a.code} is not in the catalog for {self.data_year}"))
        return out

    def _check_pair(self, pair: tuple[str, str], loc: tuple, known: set[str]) -> list[tuple[tuple, str]]:
        out = []
        for k, code in enumerate(pair):
            if code not in known:
                out.append(((*loc, k), f"unknown actor {code} (the scenario's actors: {', '.join(sorted(known))})"))
        if pair[0] == pair[1]:
            out.append((loc, f"a pair needs two different actors, got {pair[0]} twice"))
        return out

    def _check_events(self, events: tuple, loc: tuple, known: set[str]) -> list[tuple[tuple, str]]:
        out: list[tuple[tuple, str]] = []
        cal = self.calendar
        for i, ev in enumerate(events):
            eloc = (*loc, i)
            if ev.actor not in known:
                out.append(((*eloc, "actor"), f"unknown actor {ev.actor} (the scenario's actors: {', '.join(sorted(known))})"))
            others = []
            for field in _role_fields(type(ev)):
                for k, code in enumerate(getattr(ev, field)):
                    others.append(code)
                    if code not in known:
                        out.append(((*eloc, field, k), f"unknown actor {code} (the scenario's actors: {', '.join(sorted(known))})"))
            if ev.actor in others:
                out.append(((*eloc, "actor"), f"{ev.actor} cannot act on itself"))
            if ev.date is not None:
                if not cal.start <= ev.date < cal.end:
                    out.append(((*eloc, "date"), f"{ev.date} is outside the horizon {cal.start} … {cal.end - dt.timedelta(days=1)}"))
            elif ev.step is not None and ev.step >= cal.horizon:
                out.append(((*eloc, "step"), f"step {ev.step} is outside the horizon (0 … {cal.horizon - 1})"))
            if ev.type == "naval_deployment" and not (ev.partners or ev.near):
                out.append((eloc, "a naval deployment needs 'partners' (hosts) or 'near'"))
            if ev.type == "defense_pact" and ev.in_force is not None and ev.date is not None and ev.in_force < ev.date:
                out.append(((*eloc, "in_force"), "the pact cannot enter into force before it is signed"))
        return out

    # ------------------------------------------------------------------ variants
    def applied_variants(self) -> list[AppliedVariant]:
        """Every variant applied to this scenario, as data to validate (see :func:`variant_data`)."""
        return [variant_data(self, v, ("variants", i)) for i, v in enumerate(self.variants)]

    def with_variant(self, name: str | None) -> Scenario:
        """The scenario with variant ``name`` applied (``None`` or ``"baseline"``: unchanged).

        Raises:
            KeyError: if there is no such variant (the message lists the known ones).
            ScenarioError: if the variant does not produce a valid scenario (a file read by the
                loader has had every variant checked already).
        """
        if name in (None, "", "baseline"):
            return self
        byname = {v.name: v for v in self.variants}
        if name not in byname:
            known = ", ".join(byname) or "none"
            raise KeyError(f"no variant '{name}' in scenario '{self.id}' (known: {known})")
        return apply_variant(self, byname[name])


@functools.cache
def _role_fields(event_type: type) -> tuple[str, ...]:
    """The fields of an event type that name other actors (targets, partners, near, parties)."""
    return tuple(f for f in ROLE_FIELDS if f in event_type.model_fields)


def _fmt(bound: float | None) -> str:
    return "no limit" if bound is None else f"{bound:g}"
