"""National and regional chapters of international networks: "NETWORK Vietnam", "NETWORK VIETNAM",
"HomeNet Thailand" name one organisation, the chapter, whose parent is the network; not the network itself,
and not a network plus a country."""

from __future__ import annotations

import re

from pipeline.extract.organisations.candidates import Candidate, DocState, unknown_key
from pipeline.extract.organisations.vocabulary import CHAPTER_SUFFIXES, COUNTRY_NAMES, REGIONS, alternation
from pipeline.kb import KnowledgeBase, normalise_name

# Types of international organisations that have national or regional chapters.
CHAPTER_TYPES = frozenset({"network", "ngo", "union_federation"})


# Built once per knowledge base (by identity: hashing a whole knowledge base per doc would cost more).
_BUILT: dict[int, tuple[KnowledgeBase, tuple[re.Pattern[str], dict[str, str]] | None]] = {}


def _patterns(kb: KnowledgeBase) -> tuple[re.Pattern[str], dict[str, str]] | None:
    built = _BUILT.get(id(kb))
    if built is None or built[0] is not kb:
        built = _BUILT[id(kb)] = (kb, _build(kb))
    return built[1]


def _build(kb: KnowledgeBase) -> tuple[re.Pattern[str], dict[str, str]] | None:
    """The pattern of a network's form followed by a country or region, and the parent id of each form."""
    stems: dict[str, str] = {}
    for entry in kb:
        if entry.country != "international" or entry.type not in CHAPTER_TYPES:
            continue
        for form in entry.surfaces():
            for variant in (form, _stem(form)):
                if variant and len(variant) >= 3:
                    stems.setdefault(variant.casefold(), entry.id)
    if not stems:
        return None
    places = [n for names in COUNTRY_NAMES.values() for n in names if len(n) > 3] + list(REGIONS)
    rx = re.compile(rf"(?<![\w!&-])(?P<stem>{alternation(stems)})[ \t]+(?P<place>{alternation(places)})(?![\w-])",
                    re.IGNORECASE)
    return rx, stems


def _stem(form: str) -> str | None:
    """"HomeNet International" -> "HomeNet", "INSP!R network" -> "INSP!R"."""
    words = form.split()
    if len(words) > 1 and words[-1].casefold() in CHAPTER_SUFFIXES:
        return " ".join(words[:-1])
    return None


def find_chapters(state: DocState, kb: KnowledgeBase) -> None:
    """A network's form followed by a country or region, unless the knowledge base knows the whole name."""
    pats = _patterns(kb)
    if pats is None:
        return
    rx, _ = pats
    text = state.text
    for m in rx.finditer(text):
        s, e = m.span()
        if any(c.start <= s and e <= c.end for c in state.found):
            continue  # "INSP!R Asia": a chapter of the knowledge base, already found
        overlapping = [c for c in state.found if c.start < e and s < c.end]
        if any(c.start < s or c.end > e for c in overlapping):
            continue
        for c in overlapping:  # the network's own mention is the chapter's first word
            state.found.remove(c)
            state.taken.remove((c.start, c.end))
        state.add(Candidate(s, e, unknown_key(text[s:e]), False))


def chapter_parent(name: str, kb: KnowledgeBase) -> str | None:
    """The network a chapter's name names before its country ("NETWORK Vietnam" -> the network's id)."""
    pats = _patterns(kb)
    if pats is None:
        return None
    rx, stems = pats
    m = rx.fullmatch(" ".join(name.split()))
    if m is None:
        return None
    return stems.get(m.group("stem").casefold()) or next(
        (i for k, i in stems.items() if normalise_name(k) == normalise_name(m.group("stem"))), None)
