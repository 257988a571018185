"""Event types of the scenario language (pure data: no Mesa, no Streamlit).

Every event is a frozen pydantic model with a literal ``type`` tag; :data:`Event` is their
discriminated union. Each type maps to a CAMEO event code and its Goldstein (1992) weight, as
published in the GDELT lookup tables (see docs/data.md), and to a rung of the escalation ladder.
Where one real action reads differently per dyad the :class:`Reading` table says so: the 2024
Havana port visit is a visit (CAMEO 042, +1.9) between Russia and Cuba and a show of force
(CAMEO 150, -7.2) toward the United States.
"""

from __future__ import annotations

import typing
from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from sim.scenario.types import Bool, Date, Float, Int

__all__ = [
    "ROLE_FIELDS",
    "event_classes",
    "ActorCode",
    "Reading",
    "EventSpec",
    "EVENT_SPECS",
    "ACTION_SPECS",
    "EventBase",
    "DefensePact",
    "AllianceEnd",
    "NavalDeployment",
    "Sanctions",
    "SanctionsRelief",
    "ArmsTransfer",
    "TroopDeployment",
    "MilitaryExercise",
    "MissileTest",
    "Statement",
    "Summit",
    "Mobilization",
    "Alert",
    "Ultimatum",
    "Blockade",
    "ArmedClash",
    "WarDeclaration",
    "Incident",
    "SettlementOffer",
    "Event",
    "EVENT_TYPES",
]

ActorCode = Annotated[
    str,
    Field(
        pattern=r"^[A-Z][A-Z0-9]{1,5}$",
        description="Actor code: the COW state abbreviation (USA, RUS, PRK, ROK …) or a custom actor's code.",
    ),
]


@dataclass(frozen=True)
class Reading:
    """How an event reads toward one group of the dyads it touches.

    Attributes:
        role: Which dyads: ``target`` (actor → each target), ``partner`` (actor ↔ each partner or
            host), ``near`` (actor → each state the force sits near), ``parties`` (among the parties).
        cameo: CAMEO event code.
        goldstein: Goldstein (1992) conflict–cooperation weight, −10 … +10.
        label: CAMEO label.
        ladder: Escalation-ladder rung this reading signals (0 for cooperative readings).
    """

    role: str
    cameo: str
    goldstein: float
    label: str
    ladder: int


@dataclass(frozen=True)
class EventSpec:
    """The standard coding of an event type: its readings per dyad and its offensive character.

    ``offensive`` marks actions that a security-seeking state would not need to take (Jervis 1978):
    they move beliefs about intent even when offence and defence are distinguishable.
    """

    type: str
    title: str
    readings: tuple[Reading, ...]
    offensive: bool

    @property
    def primary(self) -> Reading:
        """The first (headline) reading."""
        return self.readings[0]


def _r(role: str, cameo: str, goldstein: float, label: str, ladder: int) -> Reading:
    return Reading(role, cameo, goldstein, label, ladder)


#: Standard coding of every event type (CAMEO code, Goldstein weight, ladder rung per dyad role).
EVENT_SPECS: dict[str, EventSpec] = {
    s.type: s
    for s in (
        EventSpec("defense_pact", "Defence pact / alliance treaty",
                  (_r("parties", "057", 8.0, "Sign formal agreement", 0),), False),
        EventSpec("alliance_end", "Alliance ended or weakened",
                  (_r("parties", "160", -4.0, "Reduce relations, not specified below", 0),), False),
        EventSpec("naval_deployment", "Naval deployment or port visit",
                  (_r("near", "150", -7.2, "Demonstrate military power", 4),
                   _r("partner", "042", 1.9, "Make a visit", 0)), False),
        EventSpec("sanctions", "Sanctions",
                  (_r("target", "163", -8.0, "Impose embargo, boycott, or sanctions", 3),), False),
        EventSpec("sanctions_relief", "Sanctions relief",
                  (_r("target", "085", 7.0, "Ease economic sanctions, boycott, embargo", 0),), False),
        EventSpec("arms_transfer", "Arms transfer",
                  (_r("partner", "072", 8.3, "Provide military aid", 0),
                   _r("near", "150", -7.2, "Demonstrate military power", 2)), False),
        EventSpec("troop_deployment", "Troop deployment",
                  (_r("near", "150", -7.2, "Demonstrate military power", 4),
                   _r("partner", "074", 8.5, "Provide military protection or peacekeeping", 0)), True),
        EventSpec("military_exercise", "Military exercise",
                  (_r("near", "150", -7.2, "Demonstrate military power", 4),
                   _r("partner", "062", 7.4, "Cooperate militarily", 0)), False),
        EventSpec("missile_test", "Missile test",
                  (_r("near", "150", -7.2, "Demonstrate military power", 4),), True),
        EventSpec("statement", "Statement",
                  (_r("target", "111", -2.0, "Criticize or denounce", 1),), False),
        EventSpec("summit", "Summit",
                  (_r("partner", "046", 7.0, "Engage in negotiation", 0),), False),
        EventSpec("mobilization", "Mobilisation",
                  (_r("near", "154", -7.2, "Mobilize or increase armed forces", 4),), True),
        EventSpec("alert", "Raised military alert",
                  (_r("near", "152", -7.2, "Increase military alert status", 4),), False),
        EventSpec("ultimatum", "Ultimatum",
                  (_r("target", "139", -7.0, "Give ultimatum", 2),), True),
        EventSpec("blockade", "Blockade or quarantine",
                  (_r("target", "191", -9.5, "Impose blockade, restrict movement", 6),), True),
        EventSpec("armed_clash", "Armed clash",
                  (_r("target", "190", -10.0, "Use conventional military force", 5),), True),
        EventSpec("war_declaration", "Declaration of war / major attack",
                  (_r("target", "190", -10.0, "Use conventional military force", 7),), True),
        EventSpec("incident", "Incident (assassination, shoot-down, accident)",
                  (_r("target", "180", -9.0, "Use unconventional violence", 2),), False),
        EventSpec("settlement_offer", "Settlement offer / face-saving deal",
                  (_r("target", "037", 5.0, "Express intent to settle dispute", 0),), False),
    )
}

#: Statement kinds and their CAMEO coding (a statement reads by its kind). A scheduled nuclear
#: threat outside war is a signal at rung 4 (an alert); rung 8 (nuclear threats within a war) is
#: reached only by states already at war (the ``nuclear_signal`` action).
STATEMENT_READINGS: dict[str, Reading] = {
    "condemn": _r("target", "111", -2.0, "Criticize or denounce", 1),
    "threaten": _r("target", "138", -7.0, "Threaten to use military force", 2),
    "nuclear_threat": _r("target", "1385", -7.0, "Threaten attack with WMD", 4),
    "support": _r("target", "051", 3.4, "Praise or endorse", 0),
    "reassure": _r("target", "0356", 7.0, "Express intent to de-escalate military engagement", 0),
}

#: An armed clash of intensity ≥ 0.7 (air strikes, shelling) reads as a limited strike, rung 6.
INTENSE_CLASH = _r("target", "195", -10.0, "Employ aerial weapons", 6)

#: Codings of the actions agents choose (model-generated events reuse the CAMEO vocabulary).
ACTION_SPECS: dict[str, Reading] = {
    "protest": STATEMENT_READINGS["condemn"],
    "threaten": STATEMENT_READINGS["threaten"],
    "sanction": _r("target", "163", -8.0, "Impose embargo, boycott, or sanctions", 3),
    "show_force": _r("target", "150", -7.2, "Demonstrate military power", 4),
    "arm": _r("target", "154", -7.2, "Mobilize or increase armed forces", 0),
    "balance": _r("partner", "0312", 5.2, "Express intent to cooperate militarily", 0),
    "bandwagon": _r("target", "080", 5.0, "Yield", 0),
    "reassure": STATEMENT_READINGS["reassure"],
    "clash": _r("target", "190", -10.0, "Use conventional military force", 5),
    "support_ally": _r("partner", "0334", 6.0, "Express intent to provide military protection", 0),
    "join_war": _r("target", "190", -10.0, "Use conventional military force", 7),
    "war": _r("target", "190", -10.0, "Use conventional military force", 7),
    "nuclear_signal": _r("target", "1385", -7.0, "Threaten attack with WMD", 8),
    "nuclear_use": _r("target", "2042", -10.0, "Detonate nuclear weapons", 9),
    "ceasefire": _r("target", "0871", 9.0, "Declare truce, ceasefire", 0),
    "settle": _r("target", "037", 5.0, "Express intent to settle dispute", 0),
}


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class EventBase(_Frozen):
    """Fields common to every event.

    Exactly one of ``date`` (a calendar date inside the scenario's horizon) or ``step`` (0-based
    step index) places the event in time.
    """

    id: str | None = Field(
        default=None,
        pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$",
        description="Stable identifier, used by variants to remove or change the event. "
        "Defaults to e1, e2 … by position.",
    )
    date: Date | None = Field(default=None, description="Calendar date of the event.")
    step: Int | None = Field(default=None, ge=0, description="Step index (0 = first step).")
    actor: ActorCode = Field(description="The state that acts.")
    description: str = Field(default="", max_length=2000, description="What happened, in prose.")
    source: str | None = Field(default=None, max_length=500, description="Where this is reported (URL or citation).")

    @model_validator(mode="after")
    def _one_time(self) -> EventBase:
        if (self.date is None) == (self.step is None):
            raise ValueError("give exactly one of 'date' or 'step'")
        return self

    # --- role accessors used by validation and the model -------------------------------------
    def targets_of(self) -> tuple[str, ...]:
        """States the event is aimed at (hostile or addressed readings)."""
        return tuple(getattr(self, "targets", ()) or ())

    def partners_of(self) -> tuple[str, ...]:
        """States the event cooperates with (host, partners, recipient)."""
        return tuple(getattr(self, "partners", ()) or ())

    def near_of(self) -> tuple[str, ...]:
        """States whose vicinity a force is sent to."""
        return tuple(getattr(self, "near", ()) or ())

    def actors_referenced(self) -> list[tuple[str, str]]:
        """Every (field name, actor code) the event refers to, for validation."""
        out = [("actor", self.actor)]
        for name in ("targets", "partners", "near", "parties"):
            for code in getattr(self, name, ()) or ():
                out.append((name, code))
        return out


Codes = tuple[ActorCode, ...]


class DefensePact(EventBase):
    """A treaty among ``parties`` (``actor`` is the host/initiator and is a party too).

    ``obligation`` follows ATOP's types. ``strength`` is the probability-like firmness of the
    pledge (1 = unconditional, automatic assistance). ``in_force`` delays the obligation (a treaty
    signed now, ratified later): the signing is a signal at once, the obligation binds from then.
    """

    type: Literal["defense_pact"]
    parties: Codes = Field(min_length=1, description="The other parties (besides actor).")
    obligation: Literal["defense", "neutrality", "nonaggression", "consultation"] = "defense"
    strength: Float = Field(default=0.8, ge=0.0, le=1.0, description="Firmness of the pledge, 0–1.")
    in_force: Date | None = Field(default=None, description="Date the obligation binds (default: at signing).")


class AllianceEnd(EventBase):
    """``actor`` ends (``strength: 0``) or weakens its alliance ties with each of ``parties``.

    The pledges both ways fall to at most ``strength`` and the alignment with them; their
    reliability in each other's eyes falls with them. Use it for a treaty terminated or disowned
    during the crisis; to start without a tie, use ``relations.alliances`` with ``type: none``.
    """

    type: Literal["alliance_end"]
    parties: Codes = Field(min_length=1, description="The partners whose ties with actor end or weaken.")
    strength: Float = Field(default=0.0, ge=0.0, le=1.0, description="Pledge left after the event (0 = ended).")


class NavalDeployment(EventBase):
    """Warships sent abroad: a port visit to ``partners`` (hosts), a show of force to ``near``."""

    type: Literal["naval_deployment"]
    partners: Codes = Field(default=(), description="Host states of the visit.")
    near: Codes = Field(default=(), description="States the force sits near.")
    force_size: Float = Field(default=1.0, gt=0, le=10, description="Size on a 0–10 scale (1 ≈ a small detachment).")
    nuclear_capable: Bool = Field(default=False, description="Nuclear-capable or nuclear-powered ships aboard.")
    duration_weeks: Float = Field(default=1.0, gt=0, le=520, description="How long the force stays.")


class Sanctions(EventBase):
    """Economic or administrative sanctions by ``actor`` on ``targets``."""

    type: Literal["sanctions"]
    targets: Codes = Field(min_length=1)
    severity: Float = Field(default=0.5, ge=0, le=1, description="Severity, 0–1.")


class SanctionsRelief(EventBase):
    """Sanctions eased or lifted (or a call to review them)."""

    type: Literal["sanctions_relief"]
    targets: Codes = Field(min_length=1)
    severity: Float = Field(default=0.5, ge=0, le=1, description="How much is eased, 0–1.")


class ArmsTransfer(EventBase):
    """Arms supplied by ``actor`` to ``partners`` (recipients); optionally aimed at ``near``."""

    type: Literal["arms_transfer"]
    partners: Codes = Field(min_length=1, description="Recipients.")
    near: Codes = Field(default=(), description="States the arms are used against or near.")
    amount: Float = Field(default=0.1, gt=0, le=1, description="Share of the recipient's capability added, 0–1.")


class TroopDeployment(EventBase):
    """Ground forces stationed in ``partners`` (hosts) near ``near``."""

    type: Literal["troop_deployment"]
    partners: Codes = Field(default=())
    near: Codes = Field(default=())
    force_size: Float = Field(default=1.0, gt=0, le=10)
    duration_weeks: Float = Field(default=12.0, gt=0, le=520)


class MilitaryExercise(EventBase):
    """A (joint) exercise with ``partners`` signalling to ``near``."""

    type: Literal["military_exercise"]
    partners: Codes = Field(default=())
    near: Codes = Field(default=())
    force_size: Float = Field(default=1.0, gt=0, le=10)


class MissileTest(EventBase):
    """A missile (or nuclear) test signalling to ``near``."""

    type: Literal["missile_test"]
    near: Codes = Field(default=())
    nuclear: Bool = Field(default=False, description="A nuclear test or a nuclear-capable missile.")


class Statement(EventBase):
    """A public statement addressed to ``targets``; reads by its ``kind``."""

    type: Literal["statement"]
    targets: Codes = Field(min_length=1)
    kind: Literal["condemn", "threaten", "nuclear_threat", "support", "reassure"]


class Summit(EventBase):
    """A summit or state visit with ``partners``."""

    type: Literal["summit"]
    partners: Codes = Field(min_length=1)


class Mobilization(EventBase):
    """Mobilisation of forces, aimed at ``near``; ``partial`` mobilisation counts for less."""

    type: Literal["mobilization"]
    near: Codes = Field(default=())
    partial: Bool = False


class Alert(EventBase):
    """Raised military alert status (e.g. DEFCON) aimed at ``near``."""

    type: Literal["alert"]
    near: Codes = Field(default=())
    level: Int = Field(default=3, ge=1, le=5, description="DEFCON-like level (1 = highest readiness).")


class Ultimatum(EventBase):
    """An ultimatum to ``targets``."""

    type: Literal["ultimatum"]
    targets: Codes = Field(min_length=1)
    deadline_days: Float = Field(default=2.0, gt=0, le=365, description="Deadline (informational: shown in timelines, not used by the model).")


class Blockade(EventBase):
    """A blockade or quarantine of ``targets``."""

    type: Literal["blockade"]
    targets: Codes = Field(min_length=1)


class ArmedClash(EventBase):
    """Limited use of force against ``targets`` (rung 5)."""

    type: Literal["armed_clash"]
    targets: Codes = Field(min_length=1)
    intensity: Float = Field(default=0.5, ge=0, le=1)


class WarDeclaration(EventBase):
    """War declared on, or a major attack against, ``targets`` (rung 7)."""

    type: Literal["war_declaration"]
    targets: Codes = Field(min_length=1)


class Incident(EventBase):
    """A shock attributed to ``actor``'s side (assassination, shoot-down, accident) hitting ``targets``."""

    type: Literal["incident"]
    targets: Codes = Field(min_length=1)
    severity: Float = Field(default=0.5, ge=0, le=1)


class SettlementOffer(EventBase):
    """A negotiated, face-saving offer to ``targets`` that opens a way down the ladder."""

    type: Literal["settlement_offer"]
    targets: Codes = Field(min_length=1)
    generosity: Float = Field(default=0.5, ge=0, le=1, description="How much it concedes, 0–1.")


Event = Annotated[
    DefensePact
    | AllianceEnd
    | NavalDeployment
    | Sanctions
    | SanctionsRelief
    | ArmsTransfer
    | TroopDeployment
    | MilitaryExercise
    | MissileTest
    | Statement
    | Summit
    | Mobilization
    | Alert
    | Ultimatum
    | Blockade
    | ArmedClash
    | WarDeclaration
    | Incident
    | SettlementOffer,
    Field(discriminator="type"),
]

#: The event type names, in documentation order.
EVENT_TYPES: tuple[str, ...] = tuple(EVENT_SPECS)

#: Fields of an event that name other actors (an event type has those of them it needs).
ROLE_FIELDS = ("targets", "partners", "near", "parties")


def event_classes() -> dict[str, type[EventBase]]:
    """Event type name → its pydantic class, read from the :data:`Event` union, in :data:`EVENT_TYPES` order."""
    out = {}
    for cls in typing.get_args(typing.get_args(Event)[0]):
        out[typing.get_args(cls.model_fields["type"].annotation)[0]] = cls
    return {t: out[t] for t in EVENT_TYPES if t in out}


def reading_for(event: EventBase, role: str) -> Reading | None:
    """The reading of ``event`` toward dyads of ``role``, or ``None`` if it has none."""
    if isinstance(event, Statement):
        return STATEMENT_READINGS[event.kind] if role == "target" else None
    if isinstance(event, ArmedClash) and event.intensity >= 0.7 and role == "target":
        return INTENSE_CLASH
    spec = EVENT_SPECS[event.type]  # type: ignore[attr-defined]
    for r in spec.readings:
        if r.role == role:
            return r
    return None
