"""Each scripted event type moves its dyads the way the docs say (docs/scenario-format.md, "What each event does").

For every event type (every kind of ``statement``) a small world of catalog states of 2022 is
stepped with and without the event, on the same seeds. The model's draws are keyed by run,
purpose, step and actor or dyad (common random numbers), so the two arms of a run differ only
by the event's consequences; each check asserts that the paired difference's 99% interval lies on
the documented side of zero, in three seed blocks of ``RUNS`` runs stepped together. Measures are
read where the event acts first — perceived threat, hostility, beliefs about intent, the dyad's
rung — and, where the event reliably moves it, the outcome (use of force, war) over half a year.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pytest

from sim.model import CrisisModel
from sim.scenario.events import EVENT_TYPES, STATEMENT_READINGS
from sim.scenario.schema import Scenario

pytestmark = pytest.mark.slow

RUNS = 300
BLOCKS = (1, 2, 3)  # SeedSequence masters of the three seed blocks
Z99 = 2.576
KOREA = ("PRK", "ROK", "USA", "RUS")
DOCS = Path(__file__).resolve().parents[1] / "docs" / "scenario-format.md"


def seeds(n: int, master: int) -> list[int]:
    return [int(c.generate_state(1)[0]) for c in np.random.SeedSequence(master).spawn(n)]


@dataclass(frozen=True)
class Check:
    """One documented direction: ``measure`` of the dyad (a, b) after ``at`` steps moves by ``sign``.

    Measures: ``threat`` a's perceived threat from b; ``hostility`` b's hostility toward a;
    ``belief`` a's belief that b is greedy; ``rung`` the dyad's rung; ``capability`` a's
    capability (b unused); ``force`` / ``war`` whether the dyad has reached rung 5 / 7 so far.
    With ``floor`` the check is not paired: every run with the event is at least ``floor``
    and some run without it is below (the event is what holds it there).
    """

    measure: str
    a: str
    b: str
    sign: int = 1
    at: int = 3
    floor: float | None = None


@dataclass(frozen=True)
class Case:
    """A world, the event (at step 1) and the checks; ``relations`` are the scenario's own."""

    event: dict
    checks: tuple[Check, ...]
    codes: tuple[str, ...] = KOREA
    relations: dict = field(default_factory=dict)


def measure(m: CrisisModel, c: Check) -> np.ndarray:
    w = m.world
    i, j = m.idx[c.a], m.idx[c.b]
    return {
        "threat": lambda: w.threat[:, i, j],
        "hostility": lambda: w.hostility[:, j, i],
        "belief": lambda: w.belief[:, i, j],
        "rung": lambda: w.level[:, i, j].astype(float),
        "capability": lambda: w.cap[:, i],
        "force": lambda: (m.peak[:, i, j] >= 5).astype(float),
        "war": lambda: (m.peak[:, i, j] >= 7).astype(float),
    }[c.measure]().copy()


def scenario(case: Case, with_event: bool) -> Scenario:
    horizon = max(c.at for c in case.checks)
    return Scenario.model_validate({
        "id": "event-effect", "title": "one event", "briefing": {"summary": "paired test"}, "data_year": 2022,
        "calendar": {"start": "2024-01-01", "step": "week", "horizon": horizon},
        "actors": [{"code": c} for c in case.codes],
        "relations": case.relations,
        "events": [{"step": 1, **case.event}] if with_event else [],
    })


def measured(case: Case, master: int) -> dict[Check, tuple[np.ndarray, np.ndarray]]:
    """Every check's measure with and without the event, per run (same seeds in both arms)."""
    out: dict[Check, list[np.ndarray]] = {c: [] for c in case.checks}
    for with_event in (True, False):
        m = CrisisModel(scenario(case, with_event), seeds=seeds(RUNS, master), record="summary")
        for t in range(1, max(c.at for c in case.checks) + 1):
            m.step()
            for c in case.checks:
                if c.at == t:
                    out[c].append(measure(m, c))
    return {c: (v[0], v[1]) for c, v in out.items()}


def assert_direction(c: Check, with_: np.ndarray, without: np.ndarray, master: int) -> None:
    where = f"{c.measure} {c.a}–{c.b} after {c.at} steps, seed block {master}"
    if c.floor is not None:
        assert with_.min() >= c.floor, f"{where}: a run with the event fell below {c.floor} ({with_.min()})"
        assert without.min() < c.floor, f"{where}: without the event every run is at {c.floor} already"
        return
    d = with_ - without
    mean, half = d.mean(), Z99 * d.std(ddof=1) / np.sqrt(len(d))
    assert c.sign * mean - half > 0, (f"{where}: paired difference {mean:+.4f} ± {half:.4f} (99%) "
                                      f"is not {'above' if c.sign > 0 else 'below'} zero "
                                      f"(with {with_.mean():.3f}, without {without.mean():.3f})")


T = {"tensions": [{"between": ["PRK", "ROK"], "value": 4}]}  # a running crisis to come down from
UP, DOWN = 1, -1


def force_event(kind: str, **extra) -> Case:
    """A force sent near a state (PRK near ROK, or the USA near PRK with ROK as host)."""
    return Case({"type": kind, "actor": "PRK", "near": ["ROK"], **extra},
                (Check("rung", "ROK", "PRK", UP), Check("threat", "ROK", "PRK", UP), Check("belief", "ROK", "PRK", UP)))


CASES: dict[str, Case] = {
    # ---------------------------------------------------------------- alliances
    "defense_pact": Case(
        {"type": "defense_pact", "actor": "RUS", "parties": ["PRK"], "strength": 1.0},
        (Check("threat", "ROK", "PRK", UP), Check("threat", "USA", "RUS", UP),  # the rivals' threat from the pair
         Check("threat", "PRK", "ROK", DOWN))),  # the member's threat from its rival (its ally counts for it)
    "defense_pact-deters": Case(  # the pledge makes the target's side clearly stronger: its rival backs off
        {"type": "defense_pact", "actor": "USA", "parties": ["ROK"], "strength": 1.0},
        (Check("rung", "PRK", "ROK", DOWN, at=4), Check("force", "PRK", "ROK", DOWN, at=26)),
        codes=("PRK", "ROK", "USA"),
        relations={"from_catalog": False, "rivalries": [["PRK", "ROK"]], **T}),
    "defense_pact-rival": Case(  # a great power's rival next door takes a pact with another great power
        {"type": "defense_pact", "actor": "USA", "parties": ["GRG"], "strength": 1.0},
        (Check("threat", "RUS", "GRG", UP), Check("belief", "RUS", "GRG", UP)),
        codes=("RUS", "GRG", "USA"),
        relations={"from_catalog": False, "rivalries": [["RUS", "GRG"]],
                   "tensions": [{"between": ["RUS", "GRG"], "value": 4}]}),
    "alliance_end": Case(
        {"type": "alliance_end", "actor": "USA", "parties": ["ROK"]},
        (Check("threat", "ROK", "PRK", UP), Check("threat", "PRK", "ROK", DOWN), Check("threat", "ROK", "USA", UP),
         Check("force", "ROK", "PRK", UP, at=26)),
        relations=T),
    # ---------------------------------------------------------------- forces and signals
    "naval_deployment": Case(
        {"type": "naval_deployment", "actor": "USA", "partners": ["ROK"], "near": ["PRK"], "force_size": 3.0},
        (Check("rung", "PRK", "USA", UP), Check("threat", "PRK", "USA", UP), Check("belief", "PRK", "USA", UP),
         Check("threat", "ROK", "USA", DOWN))),  # the host: a visit
    "troop_deployment": Case(
        {"type": "troop_deployment", "actor": "USA", "partners": ["ROK"], "near": ["PRK"], "force_size": 3.0},
        (Check("rung", "PRK", "USA", UP), Check("threat", "PRK", "USA", UP), Check("belief", "PRK", "USA", UP),
         Check("threat", "ROK", "USA", DOWN))),
    "military_exercise": Case(
        {"type": "military_exercise", "actor": "USA", "partners": ["ROK"], "near": ["PRK"], "force_size": 3.0},
        (Check("rung", "PRK", "USA", UP), Check("threat", "PRK", "USA", UP), Check("belief", "PRK", "USA", UP),
         Check("threat", "ROK", "USA", DOWN))),
    "missile_test": force_event("missile_test"),
    "mobilization": force_event("mobilization"),
    "alert": Case({"type": "alert", "actor": "USA", "near": ["RUS"]},
                  (Check("rung", "RUS", "USA", UP), Check("threat", "RUS", "USA", UP), Check("belief", "RUS", "USA", UP))),
    # ---------------------------------------------------------------- economic measures
    "sanctions": Case(
        {"type": "sanctions", "actor": "USA", "targets": ["PRK"]},
        (Check("rung", "PRK", "USA", floor=3, at=2), Check("rung", "PRK", "USA", floor=3, at=8),
         Check("hostility", "PRK", "USA", UP, at=8), Check("threat", "PRK", "USA", UP))),
    "sanctions_relief": Case(
        {"type": "sanctions_relief", "actor": "USA", "targets": ["PRK"], "severity": 1.0},
        (Check("rung", "PRK", "USA", DOWN), Check("hostility", "PRK", "USA", DOWN), Check("threat", "PRK", "USA", DOWN)),
        relations={"sanctions": [{"by": "USA", "targets": ["PRK"]}]}),
    "arms_transfer": Case(
        {"type": "arms_transfer", "actor": "RUS", "partners": ["PRK"], "near": ["ROK"], "amount": 0.3},
        (Check("capability", "PRK", "PRK", UP), Check("threat", "ROK", "PRK", UP),  # the recipient, as its rival sees it
         Check("threat", "ROK", "RUS", UP), Check("rung", "ROK", "RUS", UP))),  # the supplier, as the state it is near sees it
    # ---------------------------------------------------------------- words
    **{f"statement-{kind}": Case(
        {"type": "statement", "actor": "PRK", "targets": ["ROK"], "kind": kind},
        (Check("hostility", "ROK", "PRK", UP), Check("threat", "ROK", "PRK", UP), Check("rung", "ROK", "PRK", UP)))
       for kind in ("condemn", "threaten", "nuclear_threat")},
    "statement-support": Case(
        {"type": "statement", "actor": "PRK", "targets": ["ROK"], "kind": "support"},
        (Check("hostility", "ROK", "PRK", DOWN), Check("threat", "ROK", "PRK", DOWN)), relations=T),
    "statement-reassure": Case(
        {"type": "statement", "actor": "PRK", "targets": ["ROK"], "kind": "reassure"},
        (Check("hostility", "ROK", "PRK", DOWN), Check("belief", "ROK", "PRK", DOWN), Check("rung", "ROK", "PRK", DOWN)),
        relations=T),
    "summit": Case(
        {"type": "summit", "actor": "PRK", "partners": ["ROK"]},
        (Check("hostility", "ROK", "PRK", DOWN), Check("hostility", "PRK", "ROK", DOWN), Check("threat", "ROK", "PRK", DOWN),
         Check("rung", "ROK", "PRK", DOWN)),
        relations=T),
    "ultimatum": Case(
        {"type": "ultimatum", "actor": "PRK", "targets": ["ROK"]},
        (Check("rung", "ROK", "PRK", UP), Check("threat", "ROK", "PRK", UP), Check("belief", "ROK", "PRK", UP))),
    "incident": Case(
        {"type": "incident", "actor": "PRK", "targets": ["ROK"]},
        (Check("rung", "ROK", "PRK", UP), Check("hostility", "ROK", "PRK", UP), Check("threat", "ROK", "PRK", UP))),
    "settlement_offer": Case(
        {"type": "settlement_offer", "actor": "PRK", "targets": ["ROK"]},
        (Check("rung", "ROK", "PRK", DOWN), Check("hostility", "ROK", "PRK", DOWN)),
        relations=T),
    # ---------------------------------------------------------------- force used
    "blockade": Case(  # the target answers, and the crisis outlasts half a year
        {"type": "blockade", "actor": "PRK", "targets": ["ROK"]},
        (Check("force", "ROK", "PRK", floor=1, at=2), Check("threat", "ROK", "PRK", UP),
         Check("hostility", "PRK", "ROK", UP, at=8), Check("rung", "ROK", "PRK", UP, at=26))),
    "armed_clash": Case(  # the target answers, and the crisis outlasts half a year
        {"type": "armed_clash", "actor": "PRK", "targets": ["ROK"]},
        (Check("force", "ROK", "PRK", floor=1, at=2), Check("threat", "ROK", "PRK", UP),
         Check("hostility", "PRK", "ROK", UP, at=8), Check("rung", "ROK", "PRK", UP, at=26))),
    "war_declaration": Case(
        {"type": "war_declaration", "actor": "PRK", "targets": ["ROK"]},
        (Check("war", "ROK", "PRK", floor=1, at=2), Check("threat", "ROK", "PRK", UP))),
}


@pytest.mark.parametrize("name", list(CASES))
def test_event_moves_its_dyads_as_documented(name):
    case = CASES[name]
    for master in BLOCKS:
        for c, (with_, without) in measured(case, master).items():
            assert_direction(c, with_, without, master)


def test_every_event_type_and_statement_kind_has_a_case():
    kinds = {n.split("-", 1)[0] for n in CASES}
    assert kinds == set(EVENT_TYPES), set(EVENT_TYPES) ^ kinds
    assert {n.split("-", 1)[1] for n in CASES if n.startswith("statement-")} == set(STATEMENT_READINGS)


def test_docs_state_the_tested_direction_of_every_event_type():
    """docs/scenario-format.md has a row per event type (and statement kind) naming the test case."""
    text = DOCS.read_text(encoding="utf-8")
    m = re.search(r"<!-- event-effects -->\n(.*?)<!-- /event-effects -->", text, re.S)
    assert m, "docs/scenario-format.md lacks the 'What each event does' table"
    cases = set(re.findall(r"`([a-z_]+(?:-[a-z_]+)?)`\s*\|", m.group(1)))
    assert set(CASES) <= cases, set(CASES) - cases
