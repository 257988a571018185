"""What-ifs in the address bar: a compact, versioned encoding of a variant, checked like an upload.

No Streamlit here. :func:`encode` writes a variant as ``1.`` + base64url(zlib(JSON)) — the JSON is
the variant in the scenario language with defaults left out, so the link carries exactly what the
YAML would say. :func:`decode` reverses it with limits on every stage (link length, decompressed
size) and validates the variant exactly as an uploaded file's variant would be: pydantic, then the
scenario with the variant added is written as YAML and read back by the loader, and the variant is
applied and checked (:func:`app_support.whatif.add_variants`). Every failure is a located
``ScenarioError`` or ``LimitError``, never a traceback.
"""

from __future__ import annotations

import base64
import binascii
import json
import zlib

from pydantic import ValidationError

from sim.errors import Issue, LimitError, ScenarioError
from sim.scenario.schema import Scenario, Variant

__all__ = ["VERSION", "MAX_LINK_CHARS", "MAX_JSON_BYTES", "encode", "decode"]

#: The encoding's version (the prefix before the dot); a future change of format gets a new one.
VERSION = "1"
#: Longest encoded what-if accepted from a link (characters).
MAX_LINK_CHARS = 8000
#: Largest decompressed what-if accepted (bytes): a zip bomb stops here.
MAX_JSON_BYTES = 64 * 1024


def encode(variant: Variant) -> str:
    """``variant`` as a short URL-safe token (``1.<base64url>``)."""
    data = variant.model_dump(mode="json", exclude_defaults=True)
    raw = json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    packed = zlib.compress(raw, 9)
    return f"{VERSION}." + base64.urlsafe_b64encode(packed).decode("ascii").rstrip("=")


def _bad(message: str) -> ScenarioError:
    return ScenarioError([Issue("link", 0, 0, "whatif", message)])


def decode(token: str, scenario: Scenario) -> Variant:
    """The variant a link's ``whatif`` parameter carries, validated against ``scenario``.

    Raises:
        LimitError: the token or its decompressed content is larger than the limits.
        ScenarioError: a malformed token, or a variant the scenario language rejects (every issue located).
    """
    token = str(token).strip()
    if len(token) > MAX_LINK_CHARS:
        raise LimitError(f"link: the what-if in the link is {len(token):,} characters, more than the limit of "
                         f"{MAX_LINK_CHARS:,}")
    version, dot, body = token.partition(".")
    if not dot or version != VERSION:
        raise _bad(f"unknown what-if encoding (version '{version[:10]}'; this app reads version {VERSION})")
    try:
        packed = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    except (binascii.Error, ValueError):
        raise _bad("the what-if in the link is damaged (not base64url): copy the whole link again") from None
    d = zlib.decompressobj()
    try:
        raw = d.decompress(packed, MAX_JSON_BYTES + 1)
    except zlib.error:
        raise _bad("the what-if in the link is damaged (cannot be decompressed): copy the whole link again") from None
    if len(raw) > MAX_JSON_BYTES or d.unconsumed_tail:
        raise LimitError(f"link: the what-if in the link unpacks to more than {MAX_JSON_BYTES // 1024} KiB")
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise _bad(f"the what-if in the link is not valid JSON: {exc}") from None
    if not isinstance(data, dict):
        raise _bad("the what-if in the link is not a variant (expected a mapping)")
    try:
        variant = Variant.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError([Issue("link", 0, 0, "whatif." + ".".join(str(p) for p in e.get("loc", ())),
                                   e.get("msg", "invalid")) for e in exc.errors()]) from None
    if variant.name in scenario.variant_names():
        raise _bad(f"the link's what-if is named '{variant.name}', like one of the scenario's own variants")
    from app_support.whatif import add_variants  # the loader's own validation of the variant

    add_variants(scenario, [variant])
    return variant
