"""Generate the reference sections of Flashpoint's docs from the code.

Run from the repository root::

    PYTHONPATH=. python scripts/gen_docs.py           # rewrite the generated sections in place
    PYTHONPATH=. python scripts/gen_docs.py --check   # exit 1 (and name the files) if any is stale

Every Markdown file under ``docs/`` may hold generated sections between marker comments::

    <!-- BEGIN GENERATED: <block> [argument] -->
    ... (replaced on every run) ...
    <!-- END GENERATED -->

The blocks (see :data:`BLOCKS`) are rendered from the code, never copied by hand:

* ``params <group>``  one parameter group of ``sim.scenario.parameters`` (default, range, meaning, source);
* ``params-all``      every parameter as one table (scenario-format reference);
* ``schedule``        the submodels of ``CrisisModel.step()``, in order, with their docstrings' first lines;
* ``doctrines``       each lens's scoring rule, from its weights table in ``sim/doctrines/lenses.py``
                      (or, for lenses written as code, read from the source);
* ``doctrine-traits`` each lens's traits (``classifier``), summary and references;
* ``modifiers``       the modifiers' score offsets and risk multipliers;
* ``actions``         the action menu with its CAMEO coding and ladder rung;
* ``ladder``          the rungs, their thresholds and which event readings / actions signal each;
* ``schema``          every section and field of the scenario format, from the JSON Schema;
* ``event-fields``    the fields of each event type, from the JSON Schema;
* ``events``          the event types' CAMEO codes, Goldstein weights and ladder rungs per reading;
* ``example``         an excerpt of ``scenarios/korea-russia-2024.yaml``;
* ``limits``          the loader's and the schema's hard limits;
* ``calibration``     which defaults are fitted (with their intervals) and the calibration result
                      (``docs/validation-data/calibration.json``, rendered by ``sim.calibration.report``).

The generator is deterministic: running it twice changes nothing. ``tests/test_docs.py`` fails
when a generated section is stale.
"""

from __future__ import annotations

import argparse
import ast
import inspect
import json
import re
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from sim.doctrines import ACTIONS, HOSTILE, MODIFIERS, REGISTRY  # noqa: E402
from sim.model.model import CrisisModel  # noqa: E402
from sim.model.world import LADDER  # noqa: E402
from sim.scenario import events as _events  # noqa: E402
from sim.scenario.events import ACTION_SPECS, EVENT_SPECS, STATEMENT_READINGS  # noqa: E402
from sim.scenario.parameters import LadderParams, Parameters, parameter_table  # noqa: E402
from sim.scenario.schema import Scenario  # noqa: E402

DOCS = REPO / "docs"
EXAMPLE = REPO / "scenarios" / "korea-russia-2024.yaml"
LENSES_SRC = REPO / "sim" / "doctrines" / "lenses.py"

BEGIN = re.compile(r"<!-- BEGIN GENERATED: (?P<spec>[^>]*?) -->\n(?P<body>.*?)<!-- END GENERATED -->", re.S)

#: The submodel of docs/model.md §7 that documents each parameter group.
GROUP_SUBMODEL = {
    "threat": "perceive_threat",
    "spiral": "update_beliefs",
    "decision": "decide",
    "alignment": "act",
    "alliance_politics": "alliance_politics",
    "bargaining": "bargain",
    "power_transition": "bargain",
    "liberal_peace": "bargain",
    "ladder": "resolve_ladder",
    "arms": "arms_dynamics",
}

#: Descriptions for schema fields that carry none in the code (documentation only; better moved
#: into ``Field(description=...)`` in sim/scenario/schema.py and events.py).
FIELD_NOTES: dict[str, str] = {
    "Scenario.id": "Identifier of the scenario (lower case, digits, '-' and '_'); used in output paths.",
    "Scenario.title": "One-line title.",
    "Scenario.briefing": "The situation in prose, with sources and classroom material.",
    "Scenario.calendar": "Start date, step length and horizon.",
    "Scenario.actors": "The states (at least two), in the order used by every output table.",
    "Scenario.relations": "Ties in force at the start (on top of the catalog's, if `from_catalog`).",
    "Scenario.events": "Scheduled events (a list of event objects; see [Events](#events)).",
    "Scenario.parameters": "Model parameters by submodel; omitted ones keep their defaults (see [Parameters](#parameters)).",
    "Scenario.variants": "Named what-ifs (see [Variants](#variants)).",
    "Scenario.uncertainties": "Parameters to sample over a range in sweeps.",
    "Source.title": "Title of the source.",
    "Source.url": "Link to the source.",
    "Source.note": "A note on what the source supports.",
    "Briefing.sources": "Sources of the briefing.",
    "Briefing.learning_objectives": "What students should be able to do after the exercise.",
    "Briefing.discussion_questions": "Questions for the debrief.",
    "Calendar.start": "Date of the first step (ISO `YYYY-MM-DD`).",
    "Calendar.step": "Length of a step. Rates are stated per week and converted to the step length.",
    "Actor.code": "COW state abbreviation (or a custom code with `catalog: false`).",
    "Actor.doctrine": "Theory lens the actor decides by (see docs/model.md §7.4).",
    "Actor.modifiers": "Traits that compose with the doctrine (see docs/model.md §7.4).",
    "Actor.overrides": "Per-actor overrides of catalog attributes and behavioural traits.",
    "ActorOverrides.name": "Display name.",
    "ActorOverrides.major_power": "Major-power status (lengthens the actor's reach, see `threat.projection_reach`).",
    "ActorOverrides.nuclear": "Nuclear-weapon status.",
    "ActorOverrides.offense_defense_perception": "Per-actor override of `alliance_politics.offense_defense_perception`, −1…1.",
    "Alliance.members": "The two allies.",
    "Alliance.type": "ATOP obligation type; `none` removes a catalog tie.",
    "Tie.between": "The two states.",
    "Tie.value": "Weight of the tie: 0–1 for trade and institutions, a rung 0–10 for tensions.",
    "Relations.alliances": "Alliances in force at the start (override the catalog's for that pair).",
    "Relations.rivalries": "Strategic rivalries (pairs) in addition to the catalog's.",
    "SanctionsInForce.by": "The sanctioning state.",
    "SanctionsInForce.targets": "The sanctioned states.",
    "EventChange.id": "Id of the event to change.",
    "EventChange.date": "New date (replaces `step`).",
    "EventChange.step": "New step (replaces `date`).",
    "ActorChange.doctrine": "New doctrine.",
    "ActorChange.modifiers": "New modifiers (replace the old list).",
    "ActorChange.overrides": "Overrides merged into the actor's own.",
    "Variant.name": "Name used on the command line (`--variant NAME`).",
    "Variant.title": "Human title.",
    "Variant.description": "What the variant changes and why, in prose.",
    "Variant.add_events": "Events added (full event objects).",
    "Variant.remove_events": "Ids of events removed.",
    "Variant.change_events": "Changes to events, by id.",
    "Variant.add_actors": "Actors added.",
    "Variant.actors": "Changes to existing actors, by code.",
    "Variant.alliances": "Alliances that replace those of the same pair.",
    "Variant.lens": "Apply one lens to every actor.",
    "Uncertainty.low": "Lower end of the range.",
    "Uncertainty.high": "Upper end of the range (must exceed `low`).",
    "DefensePact.type": "`defense_pact`",
    "DefensePact.obligation": "ATOP obligation type; only `defense` creates a pledge of assistance.",
    "ArmsTransfer.type": "`arms_transfer`",
    "Sanctions.targets": "Sanctioned states.",
    "SanctionsRelief.targets": "States whose sanctions are eased.",
    "TroopDeployment.partners": "Host states.",
    "TroopDeployment.near": "States the force sits near.",
    "TroopDeployment.force_size": "Size on a 0–10 scale.",
    "TroopDeployment.duration_weeks": "How long the force stays.",
    "MilitaryExercise.partners": "States exercising with the actor.",
    "MilitaryExercise.near": "States the exercise signals to.",
    "MilitaryExercise.force_size": "Size on a 0–10 scale.",
    "MissileTest.near": "States the test signals to.",
    "Statement.targets": "States addressed.",
    "Statement.kind": "What the statement does; sets its CAMEO reading (see the table below).",
    "Summit.partners": "States met.",
    "Mobilization.near": "States the mobilisation is aimed at.",
    "Mobilization.partial": "Partial mobilisation (counts for half of a general one).",
    "Alert.near": "States the alert is aimed at.",
    "Ultimatum.targets": "States the ultimatum is addressed to.",
    "Ultimatum.deadline_days": "Deadline (recorded; not used by the model yet).",
    "Blockade.targets": "Blockaded states.",
    "ArmedClash.targets": "States attacked.",
    "ArmedClash.intensity": "Intensity 0–1; from 0.7 (air strikes, shelling) the clash reads as a limited strike (see the event table).",
    "WarDeclaration.targets": "States war is declared on.",
    "Incident.targets": "States hit.",
    "Incident.severity": "Severity 0–1 (scales the hostility the incident creates).",
    "SettlementOffer.targets": "States the offer is made to.",
}

#: Order of the object sections in docs/scenario-format.md.
SCHEMA_SECTIONS = (
    "Scenario", "Briefing", "Source", "Calendar", "Actor", "ActorOverrides", "Relations", "Alliance",
    "Tie", "SanctionsInForce", "Variant", "EventChange", "ActorChange", "Uncertainty",
)
EVENT_COMMON = ("id", "date", "step", "actor", "description", "source", "type")


# ====================================================================== small helpers
def _fmt_num(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return f"{v:g}"
    return str(v)


def _cell(s: str) -> str:
    """Make text safe inside a Markdown table cell."""
    return str(s).replace("|", "\\|").replace("\n", " ").strip()


def _table(header: list[str], rows: list[list[str]]) -> str:
    out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    out += ["| " + " | ".join(_cell(c) for c in r) + " |" for r in rows]
    return "\n".join(out)


def _src(source: str) -> str:
    """Sources with engineering proposals and calibrated values marked."""
    return source.replace("proposal", "**proposal**").replace("fitted (", "**fitted** (") if source else ""


def _fitted(row: dict) -> str:
    """A calibrated default's interval (the range of its k-fold fits), else a dash."""
    f = row.get("fitted")
    return f"{_fmt_num(f[0])} – {_fmt_num(f[1])}" if f else "–"


#: Readings that depend on an event's fields (type, condition, reading), where the code defines them.
def readings_extra() -> list[tuple[str, str, object]]:
    """Conditional readings outside ``EVENT_SPECS`` (e.g. an intense armed clash)."""
    out = []
    intense = getattr(_events, "INTENSE_CLASH", None)
    if intense is not None:
        out.append(("armed_clash", "target, if `intensity` ≥ 0.7", intense))
    return out


# ====================================================================== parameters
def block_params(group: str) -> str:
    """One parameter group as a table."""
    rows = [r for r in parameter_table() if r["group"] == group]
    if not rows:
        raise ValueError(f"no parameter group '{group}' (known: {', '.join(Parameters.model_fields)})")
    doc = (Parameters.model_fields[group].annotation.__doc__ or "").strip().splitlines()[0]
    body = [[f"`{r['path']}`", f"{_fmt_num(r['default'])}", f"{_fmt_num(r['min'])} – {_fmt_num(r['max'])}",
             _fitted(r), r["description"], _src(r["source"])] for r in rows]
    return (f"Parameter group `{group}` — {doc}\n\n"
            + _table(["parameter", "default", "range", "fitted interval", "meaning", "source"], body))


def block_params_all(_: str = "") -> str:
    """Every parameter, one table, linking to its submodel in docs/model.md."""
    body = []
    for r in parameter_table():
        sub = GROUP_SUBMODEL.get(r["group"], "")
        body.append([f"`{r['path']}`", _fmt_num(r["default"]), f"{_fmt_num(r['min'])} – {_fmt_num(r['max'])}",
                     r["description"], f"[`{sub}`](model.md#{_slug_for_submodel(sub)})" if sub else ""])
    return _table(["parameter", "default", "range", "meaning", "documented in"], body)


def submodel_names() -> list[str]:
    """The process names called by ``CrisisModel.step()``, in order (read from its source)."""
    src = textwrap.dedent(inspect.getsource(CrisisModel.step))
    fn = ast.parse(src).body[0]
    names = []
    for node in fn.body:  # type: ignore[attr-defined]
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
            f = node.value.func
            if isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name) and f.value.id == "self":
                names.append(f.attr)
    return names


def _slug_for_submodel(name: str) -> str:
    k = submodel_names().index(name) + 1
    return f"7{k}-{name}"


def block_schedule(_: str = "") -> str:
    """The schedule of ``step()`` as a numbered list."""
    out = []
    for k, name in enumerate(submodel_names(), 1):
        doc = (getattr(CrisisModel, name).__doc__ or "").strip().splitlines()[0]
        out.append(f"{k}. [`{name}`](#{_slug_for_submodel(name)}) — {doc}")
    return "\n".join(out)


# ====================================================================== doctrines
class _Strip(ast.NodeTransformer):
    """``f.threat`` → ``threat``, ``np.clip`` → ``clip``."""

    def visit_Attribute(self, node: ast.Attribute):  # noqa: N802
        self.generic_visit(node)
        if isinstance(node.value, ast.Name) and node.value.id in ("f", "np"):
            return ast.copy_location(ast.Name(id=node.attr, ctx=ast.Load()), node)
        return node


def _expr(node: ast.AST) -> str:
    s = ast.unparse(_Strip().visit(node))
    return s.replace(" * ", "·")


def _column(target: ast.AST) -> str | None:
    """The action name of an assignment target ``u[:, k]`` or ``u[:, A["name"]]``."""
    if not (isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name) and target.value.id == "u"):
        return None
    sl = target.slice
    if isinstance(sl, ast.Tuple) and len(sl.elts) == 2:
        idx = sl.elts[1]
        if isinstance(idx, ast.Constant) and isinstance(idx.value, int):
            return ACTIONS[idx.value]
        if isinstance(idx, ast.Subscript) and isinstance(idx.slice, ast.Constant):
            return str(idx.slice.value)
    raise ValueError(f"cannot read the action column of {ast.unparse(target)}")


def _term(name: str) -> str:
    """A weights-table term as it reads in a formula: ``weak_alone*threat`` → ``weak_alone·threat``."""
    s = name.replace("*", "·")
    return f"({s})" if "-" in s else s


def _weights_rules() -> dict[str, dict] | None:
    """Per lens, from its weights table (``TableDoctrine.weights``): terms used and score formulas.

    ``None`` when a lens has no weights table (then the scores are read from the source).
    """
    if not all(getattr(cls, "weights", None) for cls in REGISTRY.values()):
        return None
    from sim.doctrines import lenses

    meaning: dict[str, str] = dict(getattr(lenses, "TERMS", {}))
    out: dict[str, dict] = {}
    for name, cls in REGISTRY.items():
        scores: dict[str, str] = {}
        used: list[str] = []
        for a in ACTIONS:
            row = cls.weights.get(a, {})
            items = [("const", row["const"])] if "const" in row else []
            items += [(t, v) for t, v in row.items() if t != "const" and v != 0]
            text = ""
            for term, v in items:
                if term != "const" and term not in used:
                    used.append(term)
                mag = f"{abs(v):.1f}" if term == "const" else f"{abs(v):.1f}·{_term(term)}"
                text += (("-" if v < 0 else "") + mag) if not text else ((" - " if v < 0 else " + ") + mag)
            scores[a] = text or "0"
        order = list(meaning)
        used.sort(key=lambda t: order.index(t) if t in order else len(order))
        out[name] = {"terms": [(t, meaning.get(t, "")) for t in used], "scores": scores}
    return out


def doctrine_rules() -> dict[str, dict]:
    """Per lens: terms and the score expression of every action (from the weights tables, else the source)."""
    table = _weights_rules()
    if table is not None:
        return table
    return _source_rules()


def _source_rules() -> dict[str, dict]:
    """Per lens: derived terms and the score expression of every action, read from the source."""
    tree = ast.parse(LENSES_SRC.read_text(encoding="utf-8"))
    out: dict[str, dict] = {}
    for cls in tree.body:
        if not isinstance(cls, ast.ClassDef):
            continue
        name = None
        for st in cls.body:
            if isinstance(st, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "name" for t in st.targets):
                name = ast.literal_eval(st.value)
        fn = next((s for s in cls.body if isinstance(s, ast.FunctionDef) and s.name == "utilities"), None)
        if name is None or fn is None:
            continue
        terms: list[tuple[str, str]] = []
        scores: dict[str, str] = {}
        for st in fn.body:
            if not isinstance(st, ast.Assign):
                continue
            tgt = st.targets[0]
            col = _column(tgt)
            if col is not None:
                scores[col] = _expr(st.value)
            elif isinstance(tgt, ast.Tuple):
                for t, v in zip(tgt.elts, st.value.elts, strict=True):  # type: ignore[attr-defined]
                    terms.append((ast.unparse(t), _expr(v)))
            elif isinstance(tgt, ast.Name) and tgt.id != "u":
                terms.append((tgt.id, _expr(st.value)))
        missing = [a for a in ACTIONS if a not in scores]
        if missing:
            raise ValueError(f"lens {name}: no score for {', '.join(missing)}")
        out[name] = {"terms": terms, "scores": scores}
    if set(out) != set(REGISTRY):
        raise ValueError(f"lenses in the source {sorted(out)} differ from the registry {sorted(REGISTRY)}")
    return out


def block_doctrines(_: str = "") -> str:
    """The scoring rule of every lens, action by action."""
    names = list(REGISTRY)
    table = _weights_rules()
    if table is not None:
        rules = table
        parts = ["Scores `U_a` of each action `a` (before the modifiers' offsets, the liberal-peace term and "
                 "the validity mask): each lens's weights table in `sim/doctrines/lenses.py`, a weighted sum of "
                 "named terms computed from the state's focal dyad (`TERMS` and `design()` in "
                 "`sim/doctrines/lenses.py`, from `Features` in `sim/doctrines/base.py`); `·` is a product.\n"]
        from sim.doctrines import lenses

        order = list(getattr(lenses, "TERMS", {}))
        used: dict[str, str] = {}
        for n in names:
            for t, m in rules[n]["terms"]:
                used.setdefault(t, m)
        used = dict(sorted(used.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else len(order)))
        parts.append(_table(["term", "meaning", "used by"],
                            [[f"`{_term(t)}`", m, ", ".join(n for n in names if any(t == u for u, _ in rules[n]["terms"]))]
                             for t, m in used.items()]) + "\n")
    else:
        rules = _source_rules()
        parts = ["Scores `U_a` of each action `a` (before the modifiers' offsets and the validity mask), "
                 "as written in `sim/doctrines/lenses.py`. Features are those of the state's focal dyad "
                 "(`Features` in `sim/doctrines/base.py`); `·` is a product.\n"]
        for n in names:
            terms = rules[n]["terms"]
            if terms:
                parts.append(f"Derived terms of the **{n}** lens: " + "; ".join(f"`{a} = {b}`" for a, b in terms) + ".\n")
    rows = [[f"`{a}`"] + [f"`{rules[n]['scores'][a]}`" for n in names] for a in ACTIONS]
    parts.append(_table(["action"] + names, rows))
    return "\n".join(parts)


def block_doctrine_traits(_: str = "") -> str:
    """Each lens's summary, traits and references."""
    rows = []
    for name, cls in REGISTRY.items():
        traits = ", ".join(f"{k}={'yes' if v else 'no'}" if isinstance(v, bool) else f"{k}={v}" for k, v in cls.classifier.items())
        rows.append([f"`{name}`", cls.summary, traits, "; ".join(cls.references)])
    return _table(["lens", "summary", "traits (contract-tested)", "references"], rows)


def block_modifiers(_: str = "") -> str:
    """The modifiers: score offsets and risk multipliers."""
    rows = []
    for name, m in MODIFIERS.items():
        offs = ", ".join(f"{k} {v:+g}" for k, v in m.offsets.items())
        rows.append([f"`{name}`", m.summary, offs, _fmt_num(m.risk)])
    return _table(["modifier", "summary", "score offsets", "risk multiplier ϕ"], rows)


def block_actions(_: str = "") -> str:
    """The action menu with its coding."""
    rows = []
    for a in ACTIONS:
        rd = ACTION_SPECS.get(a)
        if rd is None:
            rows.append([f"`{a}`", "—", "—", "—", "0", "no"])
            continue
        rows.append([f"`{a}`", rd.cameo, rd.label, f"{rd.goldstein:+.1f}", str(rd.ladder), "yes" if a in HOSTILE else "no"])
    extra = [k for k in ACTION_SPECS if k not in ACTIONS]
    out = _table(["action", "CAMEO", "label", "Goldstein", "rung", "hostile"], rows)
    if extra:
        rows2 = [[f"`{k}`", ACTION_SPECS[k].cameo, ACTION_SPECS[k].label, f"{ACTION_SPECS[k].goldstein:+.1f}",
                  str(ACTION_SPECS[k].ladder)] for k in extra]
        out += ("\n\nCodings of the records other submodels emit (same vocabulary):\n\n"
                + _table(["record type", "CAMEO", "label", "Goldstein", "rung"], rows2))
    return out


def block_ladder(_: str = "") -> str:
    """The rungs, thresholds and what signals each rung."""
    by_rung: dict[int, list[str]] = {r: [] for r in LADDER}
    for t, spec in EVENT_SPECS.items():
        for rd in spec.readings:
            if t == "statement":
                continue
            by_rung[rd.ladder].append(f"`{t}` ({rd.role})")
    for kind, rd in STATEMENT_READINGS.items():
        by_rung[rd.ladder].append(f"`statement` {kind}")
    for t, cond, rd in readings_extra():
        by_rung[rd.ladder].append(f"`{t}` ({cond.split(',')[1].strip()})")
    acts: dict[int, list[str]] = {r: [] for r in LADDER}
    for a in ACTIONS:
        if a in ACTION_SPECS:
            acts[ACTION_SPECS[a].ladder].append(f"`{a}`")
    thresholds = {}
    for name, f in LadderParams.model_fields.items():
        if name.endswith("_resistance"):
            thresholds[name] = f.default
    thr_at = {5: "violence_resistance", 7: "war_resistance", 9: "nuclear_resistance"}
    rows = []
    for r, label in LADDER.items():
        thr = ""
        if r in thr_at and thr_at[r] in thresholds:
            thr = f"threshold: `ladder.{thr_at[r]}` = {_fmt_num(thresholds[thr_at[r]])}"
        rows.append([str(r), label, thr, ", ".join(by_rung[r]) or "—", ", ".join(acts[r]) or "—"])
    return _table(["rung", "meaning", "threshold", "scheduled event readings at this rung", "chosen actions signalling this rung"], rows)


# ====================================================================== scenario format
def _schema() -> dict:
    return Scenario.model_json_schema()


def _ref_name(ref: str) -> str:
    return ref.rsplit("/", 1)[-1]


def _anchor(name: str) -> str:
    return name.lower()


def _type(p: dict) -> str:
    if "$ref" in p:
        n = _ref_name(p["$ref"])
        if n == "Parameters":
            return "[parameters](#parameters)"
        return f"[{n}](#{_anchor(n)})"
    if "anyOf" in p:
        alts = [a for a in p["anyOf"] if a.get("type") != "null"]
        s = " or ".join(_type(a) for a in alts)
        return s + (" or null" if len(alts) < len(p["anyOf"]) else "")
    if "oneOf" in p and "discriminator" in p:
        return "event"
    if "const" in p:
        return f'"{p["const"]}"'
    if "enum" in p:
        return " | ".join(f'"{v}"' for v in p["enum"])
    t = p.get("type")
    if t == "array":
        if "prefixItems" in p:
            return "[" + ", ".join(_type(x) for x in p["prefixItems"]) + "]"
        items = p.get("items", {})
        if "discriminator" in items:
            return "list of [events](#events)"
        return f"list of {_type(items)}"
    if t == "object":
        ap = p.get("additionalProperties")
        if isinstance(ap, dict) and ap:
            return f"map of {_type(ap)}"
        return "map"
    if t == "string" and p.get("format") == "date":
        return "date"
    if t == "string" and p.get("pattern") == r"^[A-Z][A-Z0-9]{1,5}$":
        return "actor code"
    if t == "number":
        return "number"
    return t or "any"


def _constraints(p: dict) -> str:
    if "anyOf" in p:
        p = next((a for a in p["anyOf"] if a.get("type") != "null"), {})
    c = []
    lo, hi = p.get("minimum"), p.get("maximum")
    xlo = p.get("exclusiveMinimum")
    if xlo is not None and hi is not None:
        c.append(f"{_fmt_num(xlo)} < x ≤ {_fmt_num(hi)}")
    elif lo is not None and hi is not None:
        c.append(f"{_fmt_num(lo)} ≤ x ≤ {_fmt_num(hi)}")
    elif lo is not None:
        c.append(f"≥ {_fmt_num(lo)}")
    elif xlo is not None:
        c.append(f"> {_fmt_num(xlo)}")
    elif hi is not None:
        c.append(f"≤ {_fmt_num(hi)}")
    if "maxLength" in p:
        c.append(f"≤ {p['maxLength']} characters")
    if p.get("type") == "array" and "prefixItems" not in p:
        mn, mx = p.get("minItems"), p.get("maxItems")
        if mn is not None and mx is not None:
            c.append(f"{mn}–{mx} items")
        elif mn is not None:
            c.append(f"at least {mn}")
        elif mx is not None:
            c.append(f"at most {mx}")
    pat = p.get("pattern")
    if pat and pat != r"^[A-Z][A-Z0-9]{1,5}$":
        c.append(f"pattern `{pat}`")
    return "; ".join(c)


def _default(name: str, p: dict, required: set[str]) -> str:
    if name in required:
        return "**required**"
    if "default" not in p:
        return "`{}`" if p.get("type") == "object" else ""
    d = p["default"]
    if isinstance(d, dict):
        return "(defaults)" if d else "`{}`"
    return f"`{json.dumps(d, ensure_ascii=False)}`"


def _fields_table(model: str, schema: dict, skip: tuple[str, ...] = ()) -> str:
    d = schema if model == "Scenario" else schema["$defs"][model]
    required = set(d.get("required", ()))
    rows = []
    for name, p in d["properties"].items():
        if name in skip:
            continue
        desc = p.get("description") or FIELD_NOTES.get(f"{model}.{name}", "")
        typ = _type(p)
        if name == "type" and "const" in p and skip:
            typ, desc = "string", "The event type (one of the types below); it selects the other fields."
        rows.append([f"`{name}`", typ, _default(name, p, required), _constraints(p), desc])
    return _table(["field", "type", "default", "constraints", "description"], rows)


def _doc_first(d: dict) -> str:
    return " ".join((d.get("description") or "").replace("``", "`").split())


def block_schema(_: str = "") -> str:
    """Every object section of the format."""
    s = _schema()
    parts = []
    for model in SCHEMA_SECTIONS:
        d = s if model == "Scenario" else s["$defs"][model]
        parts.append(f"### {model}\n\n{_doc_first(d)}\n\n{_fields_table(model, s)}\n")
    return "\n".join(parts).rstrip()


def block_event_fields(_: str = "") -> str:
    """Fields of each event type (beyond the common ones)."""
    s = _schema()
    mapping = s["properties"]["events"]["items"]["discriminator"]["mapping"]
    first = _ref_name(mapping[next(iter(EVENT_SPECS))])
    parts = ["#### Fields common to every event\n",
             _fields_table(first, s, skip=tuple(k for k in s["$defs"][first]["properties"] if k not in EVENT_COMMON)),
             ""]
    for t in EVENT_SPECS:
        model = _ref_name(mapping[t])
        d = s["$defs"][model]
        own = [k for k in d["properties"] if k not in EVENT_COMMON]
        parts.append(f"#### {t}\n\n{_doc_first(d)}\n")
        if own:
            parts.append(_fields_table(model, s, skip=EVENT_COMMON))
        else:
            parts.append("No fields beyond the common ones.")
        parts.append("")
    return "\n".join(parts).rstrip()


def block_events(_: str = "") -> str:
    """Event types, CAMEO codes, Goldstein weights and ladder rungs per reading."""
    rows = []
    for t, spec in EVENT_SPECS.items():
        if t == "statement":
            for kind, rd in STATEMENT_READINGS.items():
                rows.append([f"`{t}`", f"kind `{kind}` → target", rd.cameo, rd.label, f"{rd.goldstein:+.1f}", str(rd.ladder),
                             "yes" if spec.offensive else "no"])
            continue
        for rd in spec.readings:
            rows.append([f"`{t}`", rd.role, rd.cameo, rd.label, f"{rd.goldstein:+.1f}", str(rd.ladder), "yes" if spec.offensive else "no"])
        for t2, cond, rd in readings_extra():
            if t2 == t:
                rows.append([f"`{t}`", cond, rd.cameo, rd.label, f"{rd.goldstein:+.1f}", str(rd.ladder), "yes" if spec.offensive else "no"])
    return _table(["type", "reading (toward)", "CAMEO", "label", "Goldstein", "rung", "offensive"], rows)


# ---------------------------------------------------------------------- the example excerpt
def _top_blocks(lines: list[str]) -> dict[str, list[str]]:
    blocks: dict[str, list[str]] = {}
    key = None
    for ln in lines:
        m = re.match(r"^([a-z_]+):", ln)
        if m:
            key = m.group(1)
            blocks[key] = [ln]
        elif key is not None:
            blocks[key].append(ln)
    for k, v in blocks.items():
        while v and (not v[-1].strip() or v[-1].lstrip().startswith("#")):
            v.pop()
        blocks[k] = v
    return blocks


def _items(block: list[str]) -> tuple[list[str], list[list[str]]]:
    head, items = [block[0]], []
    for ln in block[1:]:
        if ln.startswith("  - "):
            items.append([ln])
        elif items:
            items[-1].append(ln)
        else:
            head.append(ln)
    for it in items:
        while it and not it[-1].strip():
            it.pop()
    return head, items


def _pick(block: list[str], keys: list[str], field: str) -> list[str]:
    head, items = _items(block)
    out = list(head)
    for k in keys:
        hit = [it for it in items if any(re.match(rf"^\s+(- )?{field}: {re.escape(k)}\s*$", ln) for ln in it)]
        if not hit:
            raise ValueError(f"{EXAMPLE.name}: no item with {field}: {k}")
        out += hit[0]
    if len(items) > len(keys):
        out.append("  # … (more in the file)")
    return out


def block_example(_: str = "") -> str:
    """An excerpt of the founding scenario."""
    lines = EXAMPLE.read_text(encoding="utf-8").splitlines()
    b = _top_blocks(lines)
    br = b["briefing"]
    k = next(i for i, ln in enumerate(br) if ln.startswith("  summary:"))
    briefing = [ln for ln in br[:k] if ln.strip()] + br[k:k + 2] + ["    …", "  # … sources, learning_objectives, discussion_questions"]
    head, actors = _items(b["actors"])
    rel_cut = b["relations"]
    out = (b["id"] + b["title"] + b["data_year"] + [""] + briefing + [""] + b["calendar"] + [""]
           + head + [ln for it in actors[:3] for ln in it] + ["  # … (more in the file)", ""]
           + rel_cut + [""]
           + _pick(b["events"], ["havana-visit", "pact"], "id") + [""]
           + _pick(b["variants"], ["forceful-us", "liberal-lens"], "name") + [""]
           + b["uncertainties"])
    return "```yaml\n# excerpt of scenarios/korea-russia-2024.yaml (generated; see the file for the rest)\n" + "\n".join(out) + "\n```"


def block_limits(_: str = "") -> str:
    """The loader's and the schema's hard limits."""
    from sim.scenario import yaml_source
    from sim.scenario.schema import LIMITS

    rows = [
        ["file size", f"{yaml_source.MAX_BYTES:,} bytes", "refused before parsing"],
        ["nesting depth", str(yaml_source.MAX_DEPTH), "mappings and lists inside each other"],
        ["YAML nodes", f"{yaml_source.MAX_NODES:,}", "counting every node an alias expands to"],
        ["YAML aliases", str(yaml_source.MAX_ALIASES), "`*name` references"],
    ]
    rows += [[k, f"{v:,}", "per scenario"] for k, v in LIMITS.items()]
    return _table(["limit", "value", "note"], rows)


# ====================================================================== calibration
CALIBRATION_JSON = DOCS / "validation-data" / "calibration.json"


def block_calibration(_: str = "") -> str:
    """The calibration's result (docs/validation-data/calibration.json) and which defaults are fitted."""
    from sim.calibration.report import calibration_markdown

    rows = parameter_table()
    fitted = [r for r in rows if r.get("fitted") or str(r["source"]).lower().startswith("fitted")]
    proposals = [r for r in rows if "proposal" in str(r["source"]).lower()]
    out = [f"Of the {len(rows)} parameters, **{len(fitted)} defaults are fitted** to data (source \"fitted\": by the "
           "calibration, with the range of their k-fold fits as the interval — with history matching the range of the "
           "plausible design points, the values the dangerous-dyad band does not rule out — or by the fitting script their source "
           "names, with the interval it reports — none where the target has no published interval), "
           f"**{len(proposals)} are still proposals** (not fitted: see below) and the rest stand on their cited sources.", ""]
    if fitted:
        out += [_table(["parameter", "default (fitted)", "fitted interval", "range", "fitted to"],
                       [[f"`{r['path']}`", _fmt_num(r["default"]), _fitted(r) if r.get("fitted") else "–",
                         f"{_fmt_num(r['min'])} – {_fmt_num(r['max'])}", _cell(str(r["source"]))]
                        for r in fitted]), ""]
    if proposals:
        out += ["Still proposals: " + ", ".join(f"`{r['path']}`" for r in proposals) + ".", ""]
    if CALIBRATION_JSON.exists():
        cal = json.loads(CALIBRATION_JSON.read_text(encoding="utf-8"))
        out += ["The latest calibration result (`docs/validation-data/calibration.json`; a parameter's default is its fit "
                "only where its source above says \"fitted\"):", "", calibration_markdown(cal)]
    else:
        out += ["(`docs/validation-data/calibration.json` is not present: no calibration result.)"]
    return "\n".join(out)


# ====================================================================== driver
BLOCKS: dict[str, Callable[[str], str]] = {
    "params": block_params,
    "params-all": block_params_all,
    "schedule": block_schedule,
    "doctrines": block_doctrines,
    "doctrine-traits": block_doctrine_traits,
    "modifiers": block_modifiers,
    "actions": block_actions,
    "ladder": block_ladder,
    "schema": block_schema,
    "event-fields": block_event_fields,
    "events": block_events,
    "example": block_example,
    "limits": block_limits,
    "calibration": block_calibration,
}


def render(text: str, where: str = "") -> str:
    """``text`` with every generated section re-rendered."""

    def sub(m: re.Match) -> str:
        spec = m.group("spec").strip()
        name, _, arg = spec.partition(" ")
        if name not in BLOCKS:
            raise ValueError(f"{where}: unknown generated block '{name}' (known: {', '.join(BLOCKS)})")
        body = BLOCKS[name](arg.strip()).rstrip("\n")
        return f"<!-- BEGIN GENERATED: {spec} -->\n{body}\n<!-- END GENERATED -->"

    return BEGIN.sub(sub, text)


def targets() -> list[Path]:
    """Every Markdown file under docs/ that holds a generated section."""
    return sorted(p for p in DOCS.rglob("*.md") if "<!-- BEGIN GENERATED:" in p.read_text(encoding="utf-8"))


def generate() -> dict[Path, tuple[str, str]]:
    """For every target: (current text, regenerated text)."""
    out = {}
    for p in targets():
        cur = p.read_text(encoding="utf-8")
        out[p] = (cur, render(cur, str(p.relative_to(REPO))))
    return out


def main(argv: list[str] | None = None) -> int:
    """Regenerate (or with ``--check`` verify) the generated sections of docs/."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="do not write; exit 1 if a generated section is stale")
    args = ap.parse_args(argv)
    stale = []
    for p, (cur, new) in generate().items():
        if cur != new:
            stale.append(p)
            if not args.check:
                p.write_text(new, encoding="utf-8")
    rel = [str(p.relative_to(REPO)) for p in stale]
    if args.check:
        if stale:
            print("stale generated sections in: " + ", ".join(rel) + " (run: PYTHONPATH=. python scripts/gen_docs.py)")
            return 1
        print("generated sections are up to date")
        return 0
    print("updated: " + ", ".join(rel) if rel else "nothing to update")
    return 0


if __name__ == "__main__":
    sys.exit(main())
