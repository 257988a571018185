"""Layers import one way: front ends → ensemble → storage → analysis → model → scenario.

Every ``import`` in ``sim/`` — at module level or inside a function, which is how a reverse
dependency used to hide — is parsed with :mod:`ast` and checked against the order below.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

SIM = Path(__file__).resolve().parent.parent / "sim"

#: Higher may import lower (and its own layer); never the other way round.
RANK = {
    "cli": 9, "__main__": 9, "api": 8, "validation": 7, "calibration": 7, "history": 7, "game": 7, "ensemble": 6, "storage": 5, "analysis": 4,
    "model": 3, "doctrines": 3, "scenario": 2, "catalog": 1, "errors": 0, "resources": 0, "scales": 0, "_lazy": 0, "__init__": 0, "data": 0,
}
#: Analysis and storage read results: they never import the model (STYLE: run → store → analyse).
NEVER = {("analysis", "model"), ("analysis", "doctrines"), ("storage", "model"), ("storage", "doctrines")}


def _layer(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def imports() -> list[tuple[str, str, int]]:
    out = []
    for f in sorted(SIM.rglob("*.py")):
        rel = f.relative_to(SIM.parent).with_suffix("")
        mod = ".".join(rel.parts)
        for node in ast.walk(ast.parse(f.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            out += [(mod, n, node.lineno) for n in names if n == "sim" or n.startswith("sim.")]
    return out


def test_every_import_in_sim_goes_down_the_layers():
    found = imports()
    assert len(found) > 50  # the parse saw the package
    bad = []
    for mod, target, line in found:
        a, b = _layer(mod), _layer(target)
        if a == b or b in ("errors", "_lazy", "__init__"):
            continue
        assert a in RANK and b in RANK, f"unknown layer {a} or {b}: add it to RANK"
        if RANK[b] > RANK[a] or (a, b) in NEVER:
            bad.append(f"{mod}:{line} imports {target} ({a} → {b})")
    assert bad == []


def test_the_check_catches_a_function_level_reverse_import(tmp_path, monkeypatch):
    fake = tmp_path / "sim" / "analysis"
    fake.mkdir(parents=True)
    (fake / "x.py").write_text("def f():\n    from sim.ensemble.ensemble import run_many\n    return run_many\n")
    monkeypatch.setattr(sys.modules[__name__], "SIM", tmp_path / "sim")
    found = imports()
    assert found == [("sim.analysis.x", "sim.ensemble.ensemble", 2)]
    assert RANK[_layer(found[0][1])] > RANK[_layer(found[0][0])]
