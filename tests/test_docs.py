"""The docs stay true to the code.

* The generated sections of docs/ (parameter tables, doctrine scores, schedule, scenario-format
  reference, event coding, example excerpt) are what ``scripts/gen_docs.py`` produces now.
* docs/model.md follows the ODD protocol: its seven elements in order, one §7 heading per process
  of ``CrisisModel.step()`` in the schedule's order, every parameter path, world array and doctrine
  feature named, and element 1 pointing to the measured results in docs/validation.md.
* Relative links between the docs resolve (files that are planned but not yet written are allowed),
  and so do their ``#anchors``.
"""

from __future__ import annotations

import ast
import importlib.util
import inspect
import re
import textwrap
from dataclasses import fields
from pathlib import Path

import pytest

from sim.model.model import CrisisModel
from sim.model.world import World
from sim.scenario.events import EVENT_SPECS
from sim.scenario.parameters import parameter_table

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
MODEL_MD = DOCS / "model.md"

#: Docs other sessions write; links to them may dangle until they land.
PLANNED = {"docs/cli.md", "docs/data.md", "docs/validation.md", "docs/performance.md", "README.md"}

ODD_ELEMENTS = (
    "Purpose and patterns",
    "Entities, state variables and scales",
    "Process overview and scheduling",
    "Design concepts",
    "Initialisation",
    "Input data",
    "Submodels",
)
DESIGN_CONCEPTS = (
    "Basic principles", "Emergence", "Adaptation", "Objectives", "Learning", "Prediction", "Sensing",
    "Interaction", "Stochasticity", "Collectives", "Observation",
)


def _gen():
    spec = importlib.util.spec_from_file_location("gen_docs", ROOT / "scripts" / "gen_docs.py")
    mod = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(mod)
    return mod


def _step_processes() -> list[str]:
    src = textwrap.dedent(inspect.getsource(CrisisModel.step))
    fn = ast.parse(src).body[0]
    out = []
    for node in fn.body:  # type: ignore[attr-defined]
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
            f = node.value.func
            if isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name) and f.value.id == "self":
                out.append(f.attr)
    return out


def _section(text: str, number: int) -> str:
    m = re.search(rf"^## {number} .*?$(.*?)(?=^## |\Z)", text, re.M | re.S)
    assert m, f"docs/model.md has no '## {number} …' section"
    return m.group(1)


def _slug(heading: str) -> str:
    """GitHub's anchor for a heading."""
    s = heading.strip().lower()
    s = re.sub(r"[^\w\- ]", "", s)
    return s.replace(" ", "-")


def _anchors(text: str) -> set[str]:
    out: set[str] = set()
    seen: dict[str, int] = {}
    in_code = False
    for line in text.splitlines():
        if line.startswith("```"):
            in_code = not in_code
            continue
        if in_code:
            continue
        m = re.match(r"^#{1,6} (.+?)\s*#*$", line)
        if m:
            s = _slug(m.group(1))
            n = seen.get(s, 0)
            out.add(s if n == 0 else f"{s}-{n}")
            seen[s] = n + 1
    out |= set(re.findall(r'<a (?:id|name)="([^"]+)"', text))
    return out


# ---------------------------------------------------------------------- generated sections
def test_generated_sections_are_fresh():
    gen = _gen()
    stale = [str(p.relative_to(ROOT)) for p, (cur, new) in gen.generate().items() if cur != new]
    assert not stale, f"stale generated sections in {stale}; run: PYTHONPATH=. python scripts/gen_docs.py"


def test_generator_covers_both_references():
    gen = _gen()
    targets = {p.name for p in gen.targets()}
    assert {"model.md", "scenario-format.md"} <= targets


def test_generator_is_idempotent():
    gen = _gen()
    for p, (_, new) in gen.generate().items():
        assert gen.render(new, str(p)) == new


# ---------------------------------------------------------------------- ODD structure of model.md
def test_odd_elements_in_order():
    text = MODEL_MD.read_text(encoding="utf-8")
    heads = re.findall(r"^## (\d) (.+)$", text, re.M)
    assert [(int(n), t.strip()) for n, t in heads] == list(enumerate(ODD_ELEMENTS, 1))


def test_design_concepts_all_eleven():
    sec = _section(MODEL_MD.read_text(encoding="utf-8"), 4)
    heads = re.findall(r"^### 4\.(\d+) (.+)$", sec, re.M)
    assert [t.strip() for _, t in heads] == list(DESIGN_CONCEPTS)


def test_every_process_is_a_submodel_heading_in_order():
    procs = _step_processes()
    assert procs, "could not read the schedule from CrisisModel.step()"
    sec = _section(MODEL_MD.read_text(encoding="utf-8"), 7)
    heads = re.findall(r"^### 7\.(\d+) `([a-z_]+)`\s*$", sec, re.M)
    names = [n for _, n in heads]
    missing = [p for p in procs if p not in names]
    assert not missing, f"processes of CrisisModel.step() without a §7 heading in docs/model.md: {missing}"
    assert names == procs, f"§7 headings {names} differ from the schedule {procs}"
    assert [int(k) for k, _ in heads] == list(range(1, len(procs) + 1))


def test_schedule_in_element_3_names_every_process():
    sec = _section(MODEL_MD.read_text(encoding="utf-8"), 3)
    for p in _step_processes():
        assert f"`{p}`" in sec, f"process {p} missing from element 3"


def test_every_parameter_path_is_documented():
    text = MODEL_MD.read_text(encoding="utf-8")
    missing = [r["path"] for r in parameter_table() if r["path"] not in text]
    assert not missing, f"parameters missing from docs/model.md: {missing}"


def test_every_world_array_is_documented():
    sec = _section(MODEL_MD.read_text(encoding="utf-8"), 2)
    missing = [f.name for f in fields(World) if f"`{f.name}`" not in sec]
    assert not missing, f"World fields missing from docs/model.md §2: {missing}"


def test_every_doctrine_feature_is_documented():
    from sim.doctrines import Features

    sec = _section(MODEL_MD.read_text(encoding="utf-8"), 7)
    missing = [f.name for f in fields(Features) if f"`{f.name}`" not in sec]
    assert not missing, f"doctrine features missing from docs/model.md §7: {missing}"


def test_purpose_points_to_the_measured_results():
    sec = _section(MODEL_MD.read_text(encoding="utf-8"), 1)
    assert "(validation.md)" in sec, "docs/model.md §1 should link docs/validation.md for the measured results"


def test_every_event_type_is_documented():
    model = _section(MODEL_MD.read_text(encoding="utf-8"), 7)
    fmt = (DOCS / "scenario-format.md").read_text(encoding="utf-8")
    for t in EVENT_SPECS:
        assert f"`{t}`" in model, f"event type {t} missing from docs/model.md §7.1"
        assert f"#### {t}" in fmt, f"event type {t} missing from docs/scenario-format.md"


# ---------------------------------------------------------------------- links
def _links():
    for md in sorted(DOCS.rglob("*.md")):
        text = md.read_text(encoding="utf-8")
        text = re.sub(r"```.*?```", "", text, flags=re.S)
        text = re.sub(r"`[^`\n]*`", "", text)
        for target in re.findall(r"\]\(([^)\s]+)\)", text):
            if re.match(r"^[a-z]+:", target):
                continue
            yield md, target


@pytest.mark.parametrize("md,target", list(_links()), ids=lambda v: str(v)[-40:] if isinstance(v, Path) else v)
def test_relative_links_resolve(md: Path, target: str):
    path, _, anchor = target.partition("#")
    dest = (md.parent / path).resolve() if path else md
    rel = dest.relative_to(ROOT).as_posix() if dest.is_relative_to(ROOT) else str(dest)
    if not dest.exists():
        assert rel in PLANNED, f"{md.relative_to(ROOT)} links to missing {target}"
        return
    if anchor and dest.is_file() and dest.suffix == ".md":
        assert anchor in _anchors(dest.read_text(encoding="utf-8")), f"{md.relative_to(ROOT)}: no anchor #{anchor} in {rel}"


# ---------------------------------------------------------------------- bibliography
def _cited() -> set[str]:
    from sim.doctrines import REGISTRY

    out: set[str] = set()
    for r in parameter_table():
        out |= {s.strip() for s in r["source"].split(";")}
    for cls in REGISTRY.values():
        out |= set(cls.references)
    return {s for s in out if s and not s.startswith(("proposal", "fitted"))}


@pytest.mark.parametrize("source", sorted(_cited()))
def test_every_cited_source_is_in_the_bibliography(source: str):
    bib = (DOCS / "bibliography.md").read_text(encoding="utf-8")
    entries = [ln for ln in bib.splitlines() if ln.startswith("- <a id=")]
    clean = re.sub(r"\(.*?\)", "", source).strip()
    author = re.split(r"[ ,&]", clean)[0]
    year = re.search(r"\d{4}", clean)
    hits = [e for e in entries if re.sub(r"<a [^>]*></a>", "", e)[2:].startswith(author) and (not year or year.group(0) in e)]
    assert hits, f"'{source}' (cited in the code) has no entry in docs/bibliography.md"
