"""A variant that removes an actor (issue 13 item 1): what goes with it, what stays, located errors."""

from __future__ import annotations

import pytest

from sim.errors import ScenarioError
from sim.scenario.loader import parse_scenario
from tests.conftest import FOUNDING

BASE = FOUNDING.read_text(encoding="utf-8")


def with_variant(body: str) -> str:
    """The founding scenario with one more variant (``body``: YAML lines under ``- name: what-if``)."""
    lines = "\n".join("    " + line for line in body.strip().splitlines())
    head, mark, tail = BASE.partition("\nvariants:\n")
    assert mark, "the founding scenario has a variants section"
    return head + mark + "  - name: what-if\n" + lines + "\n\n" + tail


def issues_of(text: str) -> list:
    with pytest.raises(ScenarioError) as exc:
        parse_scenario(text, "s.yaml")
    return exc.value.issues


def test_removing_cuba_drops_its_events_and_ties() -> None:
    sc = parse_scenario(with_variant("remove_actors: [CUB]"), "s.yaml")
    base, v = sc, sc.with_variant("what-if")
    assert "CUB" in base.codes and "CUB" not in v.codes
    assert v.codes == [c for c in base.codes if c != "CUB"]       # order of the others kept
    ids = {v.event_id(i) for i in range(len(v.events))}
    # The Havana visit's only host and the Guantánamo deployment's only 'near' were Cuba: both go.
    assert "havana-visit" not in ids and "helena-guantanamo" not in ids
    assert {"pact", "arms-to-russia", "condemn-usa"} <= ids
    for ev in v.events:
        assert "CUB" != ev.actor and "CUB" not in sum((tuple(getattr(ev, f, ())) for f in
                                                       ("targets", "partners", "near", "parties")), ())
    rel = v.relations
    assert all("CUB" not in pair for pair in rel.rivalries)
    assert ("USA", "CUB") in base.relations.rivalries
    assert all(s.by != "CUB" and "CUB" not in s.targets for s in rel.sanctions)
    assert len(rel.sanctions) == len(base.relations.sanctions) - 1


def test_removing_north_korea_trims_multi_target_events() -> None:
    sc = parse_scenario(with_variant("remove_actors: [PRK]"), "s.yaml")
    v = sc.with_variant("what-if")
    ids = {v.event_id(i): ev for i, ev in enumerate(v.events)}
    assert "arms-to-russia" not in ids          # PRK's own event
    assert "pact" not in ids                    # its only party was PRK
    assert "sanctions-review" not in ids        # its only target was PRK
    assert ids["condemn-usa"].targets == ("RUS",)   # [PRK, RUS] loses PRK, keeps RUS
    assert all("PRK" not in t.between for t in v.relations.trade + v.relations.tensions)


def test_removed_actor_with_other_variant_parts() -> None:
    """Alliances and added events of the same variant may not name the removed actor."""
    text = with_variant("remove_actors: [CUB]\nalliances:\n  - {members: [USA, CUB], type: defense}")
    found = issues_of(text)
    assert any("unknown actor CUB" in i.message and i.line > 0 for i in found), found


@pytest.mark.parametrize(("body", "words"), [
    ("remove_actors: [XYZ]", "unknown actor XYZ"),
    ("remove_actors: [CUB, CUB]", "removed twice"),
    ("remove_actors: [CUB]\nadd_actors:\n  - {code: CUB}", "both removed and added"),
    ("remove_actors: [RUS, PRK, USA, ROK, JPN, CHN, UKR]", "a scenario needs at least two"),
    ("remove_actors: [CUB]\nchange_events:\n  - {id: havana-visit, set: {force_size: 2.0}}", "goes with the removed"),
])
def test_bad_removals_are_located_errors(body: str, words: str) -> None:
    found = issues_of(with_variant(body))
    hits = [i for i in found if words in i.message]
    assert hits, [i.message for i in found]
    first = BASE.partition("\nvariants:\n")[0].count("\n") + 2   # the line of "variants:"
    assert all(i.file == "s.yaml" and first < i.line <= first + 1 + len(body.splitlines())
               and i.path.startswith("variants[0]") for i in hits), hits


def test_removing_all_but_two_is_allowed() -> None:
    sc = parse_scenario(with_variant("remove_actors: [RUS, PRK, USA, ROK, JPN, CHN]"), "s.yaml")
    assert sc.with_variant("what-if").codes == ["UKR", "CUB"]


def test_removal_runs_and_is_compared_on_the_same_seeds() -> None:
    """The variant runs; it is compared with the baseline on the same seeds (common random numbers:
    every remaining state and dyad keeps its own counter-based stream), and only dyads of the
    remaining actors are reported."""
    from sim.ensemble.comparison import compare

    sc = parse_scenario(with_variant("remove_actors: [CUB]"), "s.yaml")
    res = compare(sc, ["what-if"], runs=4, seed=3, executor="inprocess", resamples=50)
    base, var = res.baseline, res.variants[0]
    assert list(base.per_run["seed"].unique()) == list(var.per_run["seed"].unique())
    base_dyads, var_dyads = set(base.per_run["dyad"]), set(var.per_run["dyad"])
    assert var_dyads == {d for d in base_dyads if "CUB" not in d}
