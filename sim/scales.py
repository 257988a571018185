"""The ordinal scales every layer shares: the escalation ladder, its bands and the degrees of support.

One source of truth for the words and thresholds that the model, the analysis, the command line
and the app all print:

* :data:`LADDER` — the ten rungs of the escalation ladder (Kahn 1965, compacted; a scenario's
  ``tensions`` and every event's reading are rungs of it; docs/model.md).
* :data:`BANDS` — the ladder's bands reported as outcomes, aligned with the hostility levels of
  the Militarized Interstate Dispute data (Jones, Bremer & Singer 1996: 2 threat to use force,
  3 display of force, 4 use of force — which includes blockades, clashes and raids —, 5 war;
  fatalities are coded there separately, and this model does not simulate them). Each band has a
  stored key (``p_<key>`` in outcome tables, kept stable so that saved results and links keep
  working), its first rung, and its words.
* :data:`SUPPORT_LEVELS` — the degrees of support a state can give a partner in a crisis
  (docs/model.md §7.6), in order.

This module imports nothing (it sits below every layer, like :mod:`sim.errors`): the scenario
language, the model, the analysis and the front ends read it alike, and importing it costs nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["LADDER", "Band", "BANDS", "BAND_BY_KEY", "TIMED_BANDS", "MID_RUNGS", "band_words", "SUPPORT_LEVELS", "SUPPORT_WORDS"]

#: The escalation ladder (Kahn 1965, compacted to ten rungs; see docs/model.md).
LADDER: dict[int, str] = {
    0: "status quo / cooperation",
    1: "verbal protest, demands",
    2: "formal threats, ultimatums",
    3: "sanctions, reduced relations",
    4: "show of force, alert, mobilisation",
    5: "harassment, limited violence",
    6: "blockade, limited strikes",
    7: "major conventional war",
    8: "nuclear threats within a war",
    9: "limited nuclear use",
    10: "central nuclear war",
}


@dataclass(frozen=True)
class Band:
    """A band of the ladder reported as an outcome: the rungs from ``rung`` up.

    Attributes:
        key: Stored key (outcome ``p_<key>``, ``p_any_<key>``, ``first_<key>_step``).
        rung: First rung of the band.
        name: The band in words (``use of force``).
        mid_level: The MID hostility level it corresponds to (``None``: beyond the MID scale).
        timed: Whether runs record the first step in the band (``first_<key>_step``).
    """

    key: str
    rung: int
    name: str
    mid_level: int | None
    timed: bool

    @property
    def words(self) -> str:
        """``use of force (rung ≥5)``: how the band reads in a sentence or a table."""
        return f"{self.name} (rung ≥{self.rung})"


#: The bands, lowest first. ``violence`` is the stored key of the use-of-force band (rung ≥5: a
#: clash, a blockade or limited strikes — MID level 4), kept for saved results and links.
BANDS: tuple[Band, ...] = (
    Band("threat", 2, "threat of force", 2, False),
    Band("display", 4, "display of force", 3, False),
    Band("violence", 5, "use of force", 4, True),
    Band("war", 7, "war", 5, True),
    Band("nuclear", 9, "nuclear use", None, True),
)
#: Bands by stored key.
BAND_BY_KEY: dict[str, Band] = {b.key: b for b in BANDS}
#: The bands whose first step every run records, in the order of the digests' ``first`` axis.
TIMED_BANDS: tuple[Band, ...] = tuple(b for b in BANDS if b.timed)


#: First rung of each MID hostility level on the ladder, by the level's short name (threat 2, display
#: 3, force 4, war 5 in the MID codes): what model rates are measured against MID rates with.
MID_RUNGS: dict[str, int] = {name: b.rung for name, b in zip(("threat", "display", "force", "war"),
                                                              sorted((b for b in BANDS if b.mid_level), key=lambda b: b.mid_level),
                                                              strict=True)}


def band_words(key: str) -> str:
    """The words of the band with stored key ``key`` (``violence`` → ``use of force (rung ≥5)``)."""
    return BAND_BY_KEY[key].words


#: The degrees of support, in order (the values of the model's ``support_now``/``support_max``).
SUPPORT_LEVELS: tuple[str, ...] = ("none", "statement", "arms", "troops", "join")
#: What each degree (from ``statement`` up) means as an outcome, "or more": ``{0}`` the supporter, ``{1}`` the partner.
SUPPORT_WORDS: dict[str, str] = {
    "statement": "{0} backs {1} (a statement of support or more)",
    "arms": "{0} sends {1} arms (or more)",
    "troops": "{0} sends troops to {1}'s fight (or joins it)",
    "join": "{0} joins {1}'s fight as a belligerent",
}
