"""The named mechanisms of the model, each of which can be switched off (the ablation hook).

``CrisisModel(..., switched_off=frozenset({"relationship"}))`` runs the model without the named
submodels; so does the environment variable ``FLASHPOINT_SWITCH_OFF=relationship,incidents``,
read when a model is constructed (the two are combined). ``scripts/switch_off.py`` switches each
mechanism off in turn and runs the pattern tests: every mechanism must fail at least one.
"""

from __future__ import annotations

import os

__all__ = ["SUBMODELS", "ENV_VAR", "switched_off"]

#: Each named mechanism and what switching it off does.
SUBMODELS: dict[str, str] = {
    "relationship": "threat ignores rivalry, conflict, partnership and UN-vote identity (capability, distance, posture, intent only)",
    "beliefs": "beliefs about intent stay at their priors (no spiral, no reassurance)",
    "support": "allies never stand by a partner in crisis (no chain-ganging)",
    "support_resolve": "an ally whose pledge is not called on decides afresh at every weekly decision whether to fight in a partner's fight (a weekly lottery) instead of holding one disposition for the fight",
    "commitment": "no preventive-war boost from shifts in the balance of power (commitment problem)",
    "power_transition": "no extra war hazard near parity with the leading state",
    "liberal_peace": "democracy, trade and institutions do not dampen hostile choices or escalation",
    "arms": "military spending and capability do not move (no Richardson dynamics)",
    "incidents": "no incidents where forces meet (unchosen escalation)",
    "opportunity": "distance and borders do not limit conflict: disputes arise between any two states at the same tension, and a chosen move into violence needs no contact between the two sides' forces (distant rivals can open fire)",
    "disputes": "no new issues arise between states (no dispute onsets from tension)",
    "parity": "disputes arise no more often between equals than between a strong and a weak state (no parity factor in the dispute hazard)",
    "dispute_level": "every new dispute opens with threats (rung 2), none at once with a display or a use of force",
    "intensification": "minor clashes (rung 5) never intensify into serious clashes (rung 6) of their own accord: only an incident or a scripted blockade or strike lifts them",
    "serious_clash_war": "serious clashes (rung 6) end in war no more often than minor ones (the war hazard is the same at rungs 5 and 6)",
    "settlement": "settlement offers are never accepted",
    "extended_deterrence": "a nuclear ally's defence pledge does not raise the cost of war for the state that faces it: only a state's own arsenal makes a war a nuclear war",
    "nuclear_risk": "nuclear dyads in a blockade or at war never slip up the ladder by chance (no threat that leaves something to chance)",
}

#: The environment variable read at model construction.
ENV_VAR = "FLASHPOINT_SWITCH_OFF"


def switched_off(given: frozenset[str] | set[str] | None = None) -> frozenset[str]:
    """The mechanisms switched off: ``given`` plus those named in ``FLASHPOINT_SWITCH_OFF``.

    Raises:
        ValueError: a name that is not in :data:`SUBMODELS` (the message lists them).
    """
    names = set(given or ())
    names |= {s.strip() for s in os.environ.get(ENV_VAR, "").split(",") if s.strip()}
    unknown = sorted(names - set(SUBMODELS))
    if unknown:
        raise ValueError(f"unknown mechanism(s) to switch off: {', '.join(unknown)} (known: {', '.join(SUBMODELS)})")
    return frozenset(names)
