"""The scenario library: bundled files, safe uploads, a stable key per scenario, YAML export.

No Streamlit here. Uploaded or edited text is only ever parsed (``parse_scenario``), never used as
a path; the name a user gives a file is kept for messages only, after sanitising.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from sim.errors import FlashpointError, LimitError
from sim.scenario.loader import parse_scenario
from sim.scenario.schema import Scenario

__all__ = [
    "MAX_UPLOAD_BYTES",
    "ROOT",
    "SCENARIO_DIR",
    "Entry",
    "bundled",
    "card",
    "parse_upload",
    "parse_text",
    "safe_name",
    "scenario_key",
    "to_yaml",
]

ROOT = Path(__file__).resolve().parents[1]
SCENARIO_DIR = ROOT / "scenarios"
#: Largest scenario file accepted from a user (upload or editor), in bytes.
MAX_UPLOAD_BYTES = 1024 * 1024


@dataclass(frozen=True)
class Entry:
    """One scenario of the library: its key in the app, its file text, and the parsed scenario."""

    key: str
    filename: str
    text: str
    scenario: Scenario | None
    error: str | None = None


def bundled() -> list[Entry]:
    """The scenarios shipped in ``scenarios/`` (a broken file becomes an entry with its error)."""
    out = []
    for path in sorted(SCENARIO_DIR.glob("*.y*ml")):
        rel = f"scenarios/{path.name}"
        try:
            text = path.read_text("utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            out.append(Entry(path.stem, rel, "", None, f"{rel}: cannot read: {exc}"))
            continue
        try:
            sc = parse_scenario(text, rel)
        except FlashpointError as exc:
            out.append(Entry(path.stem, rel, text, None, str(exc)))
            continue
        out.append(Entry(sc.id, rel, text, sc))
    return out


def safe_name(name: str | None) -> str:
    """A display-only file name: the last path part, safe characters only, at most 80 of them."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = re.sub(r"[^A-Za-z0-9._-]", "_", base).strip("._")[:80]
    return base or "upload.yaml"


def parse_text(text: str | bytes, filename: str) -> Scenario:
    """Validate a scenario given as text, with the size limit of uploads.

    Raises:
        LimitError: the text is larger than :data:`MAX_UPLOAD_BYTES`.
        ScenarioError: with every located issue.
    """
    size = len(text.encode("utf-8")) if isinstance(text, str) else len(text)
    if size > MAX_UPLOAD_BYTES:
        raise LimitError(
            f"{safe_name(filename)}: {size:,} bytes is larger than the limit of "
            f"{MAX_UPLOAD_BYTES:,} bytes (1 MiB) for a scenario file"
        )
    return parse_scenario(text, safe_name(filename))


def parse_upload(name: str | None, data: bytes) -> Scenario:
    """Validate an uploaded file's bytes (never written to disk; the name is for messages only)."""
    return parse_text(data, safe_name(name))


def scenario_key(scenario: Scenario) -> str:
    """A short content hash: equal scenarios share cached results, different ones never do."""
    return hashlib.sha256(scenario.model_dump_json().encode("utf-8")).hexdigest()[:16]


def card(scenario: Scenario) -> dict[str, str]:
    """What a library card shows: title, period, actors and the one-line question."""
    b = scenario.briefing
    return {
        "id": scenario.id,
        "title": scenario.title,
        "period": b.period or f"from {scenario.calendar.start.isoformat()}",
        "actors": ", ".join(scenario.codes),
        "question": b.question or b.summary.strip().split("\n")[0][:200],
        "horizon": f"{scenario.calendar.horizon} {scenario.calendar.step}s",
        "variants": ", ".join(scenario.variant_names()) or "none",
    }


class _Dumper(yaml.SafeDumper):
    pass


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def to_yaml(scenario: Scenario, header: str = "") -> str:
    """The scenario as YAML that ``flashpoint`` (``load_scenario``) reads back unchanged."""
    data = scenario.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
    body = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
    lines = "".join(f"# {line}\n" for line in header.splitlines()) if header else ""
    return lines + body
