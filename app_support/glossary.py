"""The glossary of IR concepts the model uses, and links to it from explanations.

Terms come from ``docs/glossary.md`` when it exists (each ``## Term`` or ``### Term`` heading and
the paragraph under it; a line ``Also: a, b`` under the heading lists other words that link to it);
otherwise from the short built-in list below. No Streamlit here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Term", "load", "slug", "link_terms", "terms_in", "local_links"]

GLOSSARY_MD = Path(__file__).resolve().parents[1] / "docs" / "glossary.md"


@dataclass(frozen=True)
class Term:
    """One glossary entry: its name, the words that link to it, and its definition (Markdown)."""

    name: str
    aliases: tuple[str, ...]
    definition: str

    @property
    def anchor(self) -> str:
        """The HTML anchor of the entry."""
        return slug(self.name)


_BUILTIN: list[tuple[str, tuple[str, ...], str]] = [
    ("Balance of threat", ("threat", "threats"),
     "States balance against threats rather than power alone. Threat combines aggregate power, "
     "geographic proximity, offensive capability and perceived aggressive intentions (Walt 1985, 1987)."),
    ("Balancing", ("balances", "balance against", "balances against"),
     "Answering a threat by arming (internal balancing) or by aligning with others against the "
     "threatening state (external balancing)."),
    ("Bandwagoning", ("bandwagon", "bandwagons"),
     "Aligning with the threatening state instead of against it, usually by weak states with no allies at hand."),
    ("Alliance", ("alliance", "alliances", "defense pact", "defence pact", "pledge", "aligning", "aligns"),
     "A formal promise of military support (defence) or of consultation, neutrality or non-aggression; "
     "coded from ATOP (Leeds et al. 2002)."),
    ("Abandonment and entrapment", ("abandonment", "entrapment"),
     "The alliance security dilemma: a state fears its ally will not help when needed (abandonment) or "
     "will drag it into a war it does not want (entrapment) (Snyder 1984)."),
    ("Security dilemma", ("security dilemma", "spiral"),
     "Measures one state takes for its own security look threatening to others, who answer in kind: "
     "the spiral model (Jervis 1976, 1978)."),
    ("Escalation ladder", ("rung", "rungs", "ladder", "escalation"),
     "An ordered scale of crisis moves from protest to central nuclear war; the model uses eleven "
     "rungs, 0–10, after Kahn (1965)."),
    ("Deterrence", ("deter", "deters", "deterrence"),
     "Preventing an attack by threatening costs that outweigh its gains; credible only if the "
     "threatener has the capability and the resolve."),
    ("Resolve", ("resolve",), "How much a state is willing to risk for the stakes of the crisis, 0–1."),
    ("Realism", ("realist", "realists"),
     "A theory lens: states seek security in an anarchic system and weigh power and threat above all."),
    ("Liberalism", ("liberal", "liberals"),
     "A theory lens: trade, shared institutions and democracy restrain conflict (the liberal peace)."),
    ("Constructivism", ("constructivist", "constructivists"),
     "A theory lens: identities and shared norms shape whom states see as friends or enemies."),
    ("Sanctions", ("sanction", "sanctions"),
     "Economic or diplomatic penalties short of force (rung 3 of the ladder)."),
    ("Capability (CINC)", ("cinc", "capability", "aggregate power"),
     "The Correlates of War Composite Index of National Capability: a state's share of world military, "
     "industrial and demographic resources."),
    ("CAMEO and the Goldstein scale", ("cameo", "goldstein"),
     "CAMEO codes classify events between states; the Goldstein scale scores them from −10 "
     "(most conflictual) to +10 (most cooperative)."),
    ("Bargaining model of war", ("bargaining", "settle", "settlement"),
     "War is costly, so a settlement both sides prefer exists; wars happen through private information, "
     "commitment problems or indivisible stakes (Fearon 1995)."),
    ("Arms race", ("arms race", "arming", "arms"),
     "Each side's military spending answering the other's, modelled with Richardson's equations (1960)."),
]


#: Extra words that link to an entry (by the entry's anchor), whichever glossary is loaded.
ALIASES: dict[str, tuple[str, ...]] = {
    "balance-of-threat": ("threat", "threats"),
    "escalation-ladder": ("rung", "rungs", "ladder"),
    "realism": ("realist", "realists"),
    "liberalism": ("liberal", "liberals"),
    "constructivism": ("constructivist", "constructivists"),
    "balancing": ("balances against", "balance against", "balances"),
    "bandwagoning": ("bandwagons", "bandwagon"),
    "cinc": ("capability",),
    "goldstein-scale": ("goldstein",),
    "richardson-arms-race": ("arms race", "arms races"),
    "alliance-obligation": ("defense pact", "defence pact", "pledge"),
    "spiral-model": ("spiral",),
    "rivalry": ("rival", "rivals", "rivalries"),
    "deterrence": ("deter", "deters", "deterred"),
    "un-ideal-point": ("ideal point", "ideal points"),
    "entrapment": ("entrapped",),
    "abandonment": ("abandoned",),
    "costly-signal": ("signal", "signals"),
}


def local_links(md: str) -> str:
    """Markdown from docs/ made safe to show in the app: links to other doc files keep their text only.

    In-page anchors (``#x``) and web links stay; ``glossary.md#x`` becomes ``#x``.
    """
    md = re.sub(r"\]\(glossary\.md(#[^)]+)\)", r"](\1)", md)
    return re.sub(r"\[([^\]]+)\]\((?!#|https?:|mailto:)[^)]*\)", r"\1", md)


def slug(name: str) -> str:
    """``Balance of threat`` → ``balance-of-threat``."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def _parse(text: str) -> list[Term]:
    terms: list[Term] = []
    name, aliases, body = None, (), []

    def flush() -> None:
        if name:
            terms.append(Term(name, aliases, "\n".join(body).strip()))

    for line in text.splitlines():
        m = re.match(r"^#{2,3}\s+(.+?)\s*#*\s*$", line)
        if m:
            flush()
            name, aliases, body = m.group(1).strip(), (), []
            continue
        if name is None:
            continue
        a = re.match(r"^\s*(?:\*\*|_)?(?:also|aliases|see also)(?:\*\*|_)?\s*:\s*(.+)$", line, re.I)
        if a and not body:
            aliases = tuple(s.strip().strip("*_").lower() for s in a.group(1).split(",") if s.strip())
            continue
        body.append(line)
    flush()
    return [t for t in terms if t.definition]


def load(path: Path | None = None) -> list[Term]:
    """The glossary: from ``docs/glossary.md`` if present and non-empty, else the built-in terms."""
    p = path or GLOSSARY_MD
    try:
        terms = _parse(p.read_text("utf-8"))
    except OSError:
        terms = []
    if not terms:
        terms = [Term(n, a, d) for n, a, d in _BUILTIN]
    return [Term(t.name, tuple(dict.fromkeys([*t.aliases, *ALIASES.get(t.anchor, ())])), local_links(t.definition))
            for t in terms]


def _words(term: Term) -> list[str]:
    base = re.sub(r"\s*\(.*?\)\s*", " ", term.name).strip().lower()
    return sorted({base, *term.aliases}, key=len, reverse=True)


def terms_in(text: str, terms: list[Term]) -> list[Term]:
    """The terms whose name or an alias appears in ``text`` (whole words, any case)."""
    low = text.lower()
    return [t for t in terms if any(re.search(rf"\b{re.escape(w)}\b", low) for w in _words(t))]


def link_terms(text: str, terms: list[Term], base: str = "") -> str:
    """``text`` with the first mention of each term turned into a Markdown link to ``base#anchor``.

    Text inside existing links or code spans is left alone; each term is linked once.
    """
    pattern_parts = []
    lookup: dict[str, Term] = {}
    for t in terms:
        for w in _words(t):
            if w and w not in lookup:
                lookup[w] = t
                pattern_parts.append(re.escape(w))
    if not pattern_parts:
        return text
    pattern_parts.sort(key=len, reverse=True)
    rx = re.compile(r"(\[[^\]]*\]\([^)]*\)|`[^`]*`)|\b(" + "|".join(pattern_parts) + r")\b", re.I)
    done: set[str] = set()

    def sub(m: re.Match) -> str:
        if m.group(1):
            return m.group(1)
        word = m.group(2)
        t = lookup[word.lower()]
        if t.name in done:
            return word
        done.add(t.name)
        return f"[{word}]({base}#{t.anchor})"

    return rx.sub(sub, text)
