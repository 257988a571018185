"""Model parameters: every mechanism's knobs, with defaults, valid ranges and sources.

The parameter block of a scenario is grouped by mechanism; docs/model.md §7 documents each
group under the submodel that uses it (``threat`` under perceive_threat, ``ladder`` under
resolve_ladder, and so on). Rates are stated **per week** and converted to the scenario's step
length by the model (a per-week retention ``r`` becomes ``r**(days/7)`` per step).
Each field's JSON Schema carries ``source`` (the reference it stands on); docs/model.md lists them.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from sim.scenario.fields import field_bounds
from sim.scenario.types import StrictModel

__all__ = [
    "P",
    "ThreatParams",
    "AlignmentParams",
    "AlliancePoliticsParams",
    "ArmsParams",
    "SpiralParams",
    "BargainingParams",
    "PowerTransitionParams",
    "LiberalPeaceParams",
    "LadderParams",
    "DecisionParams",
    "Parameters",
    "parameter_table",
]


def P(default: float, lo: float, hi: float, description: str, source: str,  # noqa: N802
      fitted: tuple[float, float] | None = None) -> Any:
    """A documented parameter field: default, closed range [lo, hi], meaning and source.

    ``fitted`` is the interval of a calibrated default (the range of its k-fold fits, written by
    ``scripts/apply_calibration.py`` from ``docs/validation-data/calibration.json``).
    """
    extra: dict[str, Any] = {"source": source}
    if fitted is not None:
        extra["fitted"] = [float(fitted[0]), float(fitted[1])]
    return Field(
        default=default,
        ge=lo,
        le=hi,
        description=description,
        json_schema_extra=extra,
    )


class _Group(StrictModel):
    """A parameter group: frozen, closed, every value strictly a number (see sim.scenario.types)."""


class ThreatParams(_Group):
    """Threat perception — balance of threat (Walt 1985, 1987)."""

    power_exponent: float = P(1.0, 0.0, 3.0, "α: weight of the aggregate-power ratio C_j^agg / C_i^agg.", "Walt 1987")
    distance_scale_km: float = P(1500.0, 100.0, 20000.0, "λ: distance at which a state's threat falls to 1/e (loss-of-strength gradient).", "Boulding 1962; Walt 1987")
    projection_reach: float = P(3.0, 0.0, 20.0, "ψ: a major or nuclear power's distance scale is λ·(1 + ψ) (power projection).", "Boulding 1962; Walt 1987")
    offense_weight: float = P(0.6, 0.0, 5.0, "κ: weight of offensive posture (forces deployed nearby, mobilisation, tests).", "Walt 1987")
    hostility_weight: float = P(1.0, 0.0, 5.0, "ρ: weight of recent hostile acts by j toward i.", "Walt 1987")
    intent_weight: float = P(1.0, 0.0, 5.0, "Weight of the belief that j is greedy (see spiral).", "Walt 1987; Jervis 1976")
    hostility_retention: float = P(0.85, 0.0, 1.0, "Share of the hostility memory kept after one week.", "proposal (event-data decay)")
    alignment_discount: float = P(0.9, 0.0, 1.0, "δ: how far friendship (a defence pledge in force, alignment) discounts the threat from a partner's power, unless its acts make it an adversary.", "Walt 1987")
    neutral_share: float = P(0.35, 0.0, 1.0, "q₀: share of a rival's threat weight that a state with no rivalry, conflict or partnership with the perceiver carries.", "proposal (Thompson 2001; Colaresi, Rasler & Thompson 2007)")
    identity_weight: float = P(0.4, 0.0, 2.0, "w_id: extra threat weight per unit of UN-voting distance (1 − affinity).", "proposal (Bailey, Strezhnev & Voeten 2017)")
    adversary_hostility: float = P(1.5, 0.1, 10.0, "Recent hostility of j toward i (decayed Goldstein units/10) at which j counts as a full adversary, ally or not.", "proposal")
    own_alliance_weight: float = P(0.5, 0.0, 1.0, "How far a state counts its own allies' power when sizing a threat.", "Walt 1987")


class AlignmentParams(_Group):
    """Alignment — balancing versus bandwagoning (Walt 1987)."""

    weak_ratio: float = P(0.3, 0.0, 1.0, "θ_weak: below this ratio of its own (allied) power, with its balancing partner's, to its main threat's aggregate power, a state without a credible ally is weak and alone: the only states that may bandwagon.", "Walt 1987")
    credible_ally: float = P(0.3, 0.0, 1.0, "Defence-pledge strength × reliability at or above which an ally counts as credible (no bandwagoning then).", "Walt 1987; Snyder 1984")
    alignment_step: float = P(0.08, 0.0, 1.0, "How much one balancing act raises alignment with a partner.", "proposal")
    pact_threshold: float = P(0.75, 0.0, 1.0, "Alignment at which a balancing partnership may firm into a defence pledge of 0.6 (an alliance event is emitted), at the yearly rate pact_rate.", "proposal")
    pact_rate: float = P(0.014, 0.0, 1.0, "Yearly hazard that a balancing partnership aligned at or above pact_threshold is signed into a defence pledge: ATOP v5.1, 1946–2018, the share of dyad-years with a consultation, neutrality or non-aggression pledge but no defence pledge that have a defence pledge the next year (883 of 63,531: 1.4%; scripts/atop_pact_rate.py).", "Leeds et al. 2002 (ATOP v5.1)")
    affinity_weight: float = P(0.5, 0.0, 2.0, "Weight of UN-voting affinity in choosing partners.", "Bailey, Strezhnev & Voeten 2017")


class AlliancePoliticsParams(_Group):
    """Alliance politics — abandonment vs entrapment; chain-ganging vs buck-passing."""

    offense_defense_perception: float = P(0.0, -1.0, 1.0, "Perceived offence (+1) or defence (−1) dominance; + gives chain-ganging, − buck-passing.", "Christensen & Snyder 1990")
    abandonment_weight: float = P(1.0, 0.0, 5.0, "D: weight of the fear of being abandoned (dependence on the ally).", "Snyder 1984")
    entrapment_weight: float = P(1.0, 0.0, 5.0, "E: weight of the fear of entrapment (cost of the ally's war).", "Snyder 1984")
    crisis_level: float = P(5.0, 1.0, 9.0, "Rung at which an ally's dyad counts as in crisis and support is decided (5 = violence).", "Snyder 1984")
    reliability_learning: float = P(0.3, 0.0, 1.0, "How far one week of support (or of its absence) moves the partner's belief in a pledged ally's reliability.", "Snyder 1997; Crescenzi et al. 2012")
    side_payment: float = P(1.0, 0.0, 5.0, "Weight of a patron's side payments (technology, money) for a client's arms or troops; it grows with the patron's capability over the client's.", "proposal (Morrow 1991)")
    unconditional: float = P(0.8, 0.0, 1.0, "Pledge strength above which a defence pledge also covers a partner that started the fight (1 = an unconditional promise such as the 1914 blank cheque); below it a pledge binds only when the partner is attacked.", "proposal (Leeds, Long & Mitchell 2000; Leeds 2003)")
    reputation_weight: float = P(5.0, 0.0, 10.0, "Reputation for resolve a great power stakes on a pledged partner that is attacked (× pledge strength): it favours arms, troops and joining.", "proposal (Snyder & Diesing 1977; Snyder 1984)")
    inertia: float = P(1.0, 0.0, 5.0, "Bonus to the degree of support chosen last step (support is a policy, re-chosen each step but not redrawn from scratch).", "proposal")
    entry_short_of_war: float = P(-2.05, -20.0, 5.0, "Log-odds offset of sending troops or joining when the partner's fight is a use of force short of war (rungs 5–6): a defence pledge promises help against an armed attack, and allies rarely fight in a partner's clashes.", "fitted (scripts/fit_entry.py) to GML MID v2.2.1 × ATOP v5.1: a defence ally uses force on its partner's side in 0.27% [0.20, 0.36] of the partner's uses of force short of war", fitted=(-2.22, -1.93))
    entry_at_war: float = P(-0.42, -20.0, 5.0, "Log-odds offset of sending troops or joining when the partner is at war (rung ≥ 7).", "fitted (scripts/fit_entry.py) to Leeds, Long & Mitchell 2000: 74.5% of alliance commitments are honoured when their conditions arise (here: the pledged partner attacked and at war)")
    arms_share: float = P(0.05, 0.0, 1.0, "Share of the supplier's capability a year that arms transfers add to the partner's.", "proposal")
    troop_share: float = P(0.15, 0.0, 1.0, "Share of the sender's capability a year that troops (or joining the war) add to the partner's.", "proposal")


class ArmsParams(_Group):
    """Arms dynamics — Richardson (1960), generalised to many states with economic fatigue."""

    reaction: float = P(0.10, 0.0, 2.0, "a: yearly reaction to threat-weighted rival spending (per-actor override: arms_reaction).", "Richardson 1960")
    fatigue: float = P(0.20, 0.0, 2.0, "m: yearly economic fatigue (per-actor override: arms_fatigue).", "Richardson 1960")
    grievance: float = P(0.03, -1.0, 2.0, "g: yearly grievance term, applied to states in a rivalry or a crisis at rung ≥ 3 (per-actor override: grievance).", "Richardson 1960")
    arm_boost: float = P(0.01, 0.0, 1.0, "Spending added (share of the base) by one 'arm' decision.", "proposal")
    capability_share: float = P(0.3, 0.0, 1.0, "Share of capability that moves with military spending.", "Singer et al. 1972 (CINC components)")


class SpiralParams(_Group):
    """Spiral and deterrence — the security dilemma (Jervis 1976, 1978; Glaser 1997; Kydd 2005)."""

    prior_greedy: float = P(0.3, 0.01, 0.99, "π₀: prior belief that another state is greedy (raised for rivals).", "Kydd 2005")
    rival_prior: float = P(0.6, 0.01, 0.99, "π₀ for strategic rivals.", "Thompson 2001; Kydd 2005")
    distinguishability: float = P(0.5, 0.0, 1.0, "Offence–defence distinguishability: at 1 defensive moves reveal nothing; at 0 they read like offensive ones.", "Jervis 1978")
    hostile_likelihood: float = P(1.6, 1.0, 10.0, "Likelihood ratio of an offensive act (greedy vs security seeker).", "Kydd 2005")
    reassurance_likelihood: float = P(0.7, 0.05, 1.0, "Likelihood ratio of a costly reassuring act.", "Kydd 2005; Glaser 1997")
    ambiguous_rate: float = P(0.0962, 0.0, 0.5, "q: weekly probability that a security seeker makes an ambiguous move (arming, a protest, a sanction, a balancing act) toward a state that fears it; a week without any hostile or ambiguous move is then evidence of a security seeker with likelihood ratio (1 − q·L)/(1 − q), L = L_h^(1−δ), so a state that arms no more than a security seeker would is not read as ever greedier.", "fitted (calibration, k-fold, 2026-12-07); Kydd 2005, ch. 2", fitted=(0.0962, 0.0962))


class BargainingParams(_Group):
    """Bargaining and war (Fearon 1995; Powell 2006; Slantchev 2003)."""

    war_cost: float = P(0.15, 0.0, 1.0, "c: each side's cost of war as a share of the stake (widens the bargaining range).", "Fearon 1995")
    uncertainty: float = P(0.12, 0.0, 1.0, "σ: spread of private information about the win probability at parity; it scales with 4·p·(1−p), so it is largest when the sides are even.", "Fearon 1995; Reed 2003")
    breakdown_rate: float = P(0.03, 0.0, 1.0, "Weekly hazard scale of war when the range is hidden by uncertainty (dyads at rung ≥ 5).", "fitted (calibration, k-fold, 2026-12-07); Fearon 1995", fitted=(0.0111, 0.0988))
    commitment_weight: float = P(3.0, 0.0, 20.0, "Extra hazard per unit of yearly shift in win probability (preventive motive).", "Fearon 1995; Powell 2006")
    learning_in_war: float = P(0.843, 0.0, 1.0, "Share of σ left after each week of fighting (fighting reveals information).", "fitted (calibration, k-fold, 2026-12-07); Slantchev 2003; Reiter 2003", fitted=(0.81, 0.993))
    settlement_rate: float = P(0.000568, 0.0, 1.0, "Weekly hazard scale of a negotiated end of a war once the range reopens.", "fitted (calibration, k-fold, 2026-12-07); Fearon 1995; Slantchev 2003", fitted=(0.000568, 0.00381))
    serious_clash_factor: float = P(4.0, 1.0, 50.0, "Multiplier of the weekly war hazard in a dyad at rung 6 (serious clashes, blockade, limited strikes) relative to rung 5 (minor clashes): sustained fighting reveals less than it costs and hardens positions, so serious clashes end in war more often than minor ones.", "fitted (calibration, k-fold, 2026-12-07); Brecher & Wilkenfeld 2000 on violence in crises", fitted=(1.16, 29.7))


class PowerTransitionParams(_Group):
    """Power transition (Organski 1958; Organski & Kugler 1980)."""

    parity_low: float = P(0.8, 0.0, 1.0, "Lower edge of the parity window (challenger/leader capability).", "Organski & Kugler 1980")
    parity_high: float = P(1.2, 1.0, 3.0, "Upper edge of the parity window.", "Organski & Kugler 1980")
    weight: float = P(1.0, 0.0, 10.0, "Hazard multiplier added at parity for a fully dissatisfied challenger.", "Organski & Kugler 1980; Lemke 2002")
    dissatisfaction_scale: float = P(2.0, 0.1, 10.0, "UN ideal-point distance at which a challenger counts as fully dissatisfied.", "Bailey, Strezhnev & Voeten 2017")


class LiberalPeaceParams(_Group):
    """Liberal peace — democracy, interdependence, institutions (Russett & Oneal 2001)."""

    democracy_weight: float = P(1.22, 0.0, 5.0, "β_dem: dampening of escalation hazards by the weaker link's democracy (V-Dem polyarchy).", "fitted (calibration, k-fold, 2026-12-07); Maoz & Russett 1993; Dixon 1994", fitted=(1.08, 2.17))
    dispute_democracy_weight: float = P(4.12, 0.0, 10.0, "β_dem,onset: dampening of the dispute hazard by the weaker link's democracy (the dyadic democratic peace in the onset of militarized disputes; β_dem acts on escalation).", "fitted (calibration, k-fold, 2026-12-07); Maoz & Russett 1993; Russett & Oneal 2001", fitted=(3.0, 5.17))
    trade_weight: float = P(1.5, 0.0, 10.0, "β_trade: dampening by trade dependence (scenario trade ties).", "Oneal & Russett 1999")
    institutions_weight: float = P(0.5, 0.0, 5.0, "β_io: dampening by shared institutions (scenario ties).", "Russett & Oneal 2001")


class LadderParams(_Group):
    """The escalation ladder (Kahn 1965), ten rungs with three thresholds."""

    violence_resistance: float = P(0.25, 0.0, 1.0, "Chance that a move across rung 5 (violence) goes through.", "fitted (calibration, k-fold, 2026-12-07); Kahn 1965", fitted=(0.111, 0.791))
    nuclear_resistance: float = P(0.02, 0.0, 1.0, "Chance that a move across rung 9 (nuclear use) goes through.", "Kahn 1965; Schelling 1966")
    deescalation_rate: float = P(0.287, 0.0, 1.0, "Weekly chance that a dyad under no new pressure steps one rung down.", "fitted (calibration, k-fold, 2026-12-07)", fitted=(0.0775, 0.287))
    settlement_drop: int = Field(default=3, ge=0, le=10, description="Rungs a dyad drops when a settlement offer is accepted.", json_schema_extra={"source": "Kahn 1965; George & Smoke 1974"})
    incident_rate: float = P(0.015, 0.0, 1.0, "Weekly chance of an incident nobody chose (one rung up, at most to 6) per unit of crisis contact between the dyad's forces (deployments, exercises and shows of force near each other; 1 while force is being used).", "fitted (calibration, k-fold, 2026-12-07); Posen 1991; Sagan 1993", fitted=(0.013, 0.0787))
    border_incident_rate: float = P(0.00756, 0.0, 1.0, "Weekly chance of an incident nobody chose along a shared land border where both sides' forces are on alert (rung 4), times the liberal-peace dampening: peacetime contact, apart from the crisis contact of deployments and ongoing force.", "fitted (calibration, k-fold, 2026-12-07); Posen 1991; Vasquez 1993 on contiguity", fitted=(0.000961, 0.00982))
    nuclear_slip: float = P(0.03, 0.0, 1.0, "Weekly chance that two nuclear powers at war (rung 7) slip one rung up, beyond either's choice: the threat that leaves something to chance. From a blockade (rung 6) into war the chance is divided by the nuclear war-cost factor 4 (their care at the brink); from rung 8 up it is multiplied by nuclear_resistance.", "proposal (Schelling 1960, 1966; Posen 1991; Powell 2015)")
    intensification: float = P(0.1, 0.0, 1.0, "Weekly chance that fighting in a dyad at rung 5 (minor clashes) intensifies to rung 6 (serious clashes), times the reciprocity: the less hostile side's recent hostility toward the other over ``provocation`` (at most 1) — force answered with force escalates, force met with restraint much less.", "fitted (calibration, k-fold, 2026-12-07); Richardson 1960; Leng 1993", fitted=(0.046, 0.393))
    provocation: float = P(0.5, 0.05, 10.0, "Recent hostility of the target toward the mover (decayed Goldstein units/10) at which a chosen move into violence is fully 'caused'; below it the chance of going through falls in proportion.", "proposal")


class DecisionParams(_Group):
    """How states choose among actions (shared by every doctrine)."""

    temperature: float = P(0.6, 0.01, 10.0, "Softmax temperature of the choice among actions (higher = noisier).", "McFadden 1974 (logit choice)")
    attention: float = P(0.15, 0.0, 1.0, "Normalised threat below which a state mostly holds.", "proposal")
    max_dyads: int = Field(default=2, ge=1, le=10, description="How many dyads a state may act toward in one step (its most pressing ones): deter one, coerce another, reassure a third.", json_schema_extra={"source": "proposal (Schelling 1966)"})
    max_hostile: int = Field(default=2, ge=0, le=10, description="At most this many hostile acts by one state in one step.", json_schema_extra={"source": "proposal"})
    dispute_rate: float = P(0.0268, 0.0, 5.0, "ν: yearly hazard of a new dispute in a dyad at rung 0 per unit of tension (the higher directed threat), times the liberal-peace dampening, the opportunity Ω (1 for land neighbours) and the parity factor 1 + ψ·q.", "fitted (calibration, k-fold, 2026-12-07); Bremer 1992", fitted=(0.0268, 0.113))
    opportunity_major: float = P(0.321, 0.0, 1.0, "Ω for a dyad without a land border in which either side is a major power: its dispute hazard relative to land neighbours' at the same tension (opportunity: a major power's reach).", "fitted (calibration, k-fold, 2026-12-07); Most & Starr 1989; Bremer 1992; Lemke & Reed 2001", fitted=(0.3, 0.76))
    dispute_parity: float = P(2.7, 0.0, 20.0, "ψ: how much more often a dispute arises between equals: the hazard is multiplied by 1 + ψ·q_ij, q_ij the weaker side's capability over the stronger's (1 at parity, near 0 under preponderance).", "fitted (calibration, k-fold, 2026-12-07); Bremer 1992; Organski & Kugler 1980; Blainey 1973", fitted=(2.7, 14.4))
    opportunity_other: float = P(0.0168, 0.0, 1.0, "Ω for a dyad with neither a land border nor a major power: its dispute hazard relative to land neighbours' at the same tension.", "fitted (calibration, k-fold, 2026-12-07); Most & Starr 1989; Bremer 1992; Lemke & Reed 2001", fitted=(0.0168, 0.0612))
    cause_hostility: float = P(0.3, 0.0, 5.0, "Recent hostility of the focal state toward a state (decayed Goldstein units/10) from which the state may answer with a hostile move; without it, an open dispute (the dyad above rung 0) or a rise in threat, hostile moves are not open (escalation needs a cause).", "proposal")
    cause_rise: float = P(0.191, 0.0, 1.0, "Relative rise of the focal state's threat over its remembered level (``rise_memory``) that counts as a cause for a hostile answer.", "fitted (calibration, k-fold, 2026-12-07)", fitted=(0.191, 0.191))
    rise_memory: float = P(17.7, 0.0, 104.0, "Half-life in weeks of the remembered threat a rise is measured against (at most one step: the last step's threat), so a sustained climb counts and week-to-week noise does not.", "fitted (calibration, k-fold, 2026-12-07); Jervis 1976, ch. 3", fitted=(17.7, 17.7))
    response_lag_weeks: float = P(1.0, 0.0, 52.0, "Mean delay before a state answers a new threat (weeks); 0 = same step.", "proposal")


class Parameters(_Group):
    """All model parameters, grouped by submodel (see docs/model.md §7)."""

    threat: ThreatParams = ThreatParams()
    alignment: AlignmentParams = AlignmentParams()
    alliance_politics: AlliancePoliticsParams = AlliancePoliticsParams()
    arms: ArmsParams = ArmsParams()
    spiral: SpiralParams = SpiralParams()
    bargaining: BargainingParams = BargainingParams()
    power_transition: PowerTransitionParams = PowerTransitionParams()
    liberal_peace: LiberalPeaceParams = LiberalPeaceParams()
    ladder: LadderParams = LadderParams()
    decision: DecisionParams = DecisionParams()


def parameter_table() -> list[dict[str, Any]]:
    """Every parameter as a row: group, name, default, min, max, description, source, fitted.

    ``fitted`` is ``[low, high]``, the interval of a default set by the calibration, else ``None``.
    """
    rows: list[dict[str, Any]] = []
    for gname, gfield in Parameters.model_fields.items():
        gcls = gfield.annotation
        for name, f in gcls.model_fields.items():  # type: ignore[union-attr]
            b = field_bounds(f)
            lo, hi = b.low, b.high
            extra = f.json_schema_extra if isinstance(f.json_schema_extra, dict) else {}
            rows.append(
                {
                    "group": gname,
                    "name": name,
                    "path": f"{gname}.{name}",
                    "default": f.default,
                    "min": lo,
                    "max": hi,
                    "description": f.description or "",
                    "source": extra.get("source", ""),
                    "fitted": extra.get("fitted"),
                }
            )
    return rows
