"""National and regional chapters of international networks: "NETWORK Vietnam", "NETWORK VIETNAM",
"HomeNet Thailand" name one organisation, the chapter, whose parent is the network; not the network itself,
and not a network plus a country."""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.extract.organisations.candidates import Candidate, DocState, unknown_key
from pipeline.extract.organisations.vocabulary import CHAPTER_SUFFIXES, COUNTRY_NAMES, REGIONS, alternation
from pipeline.kb import KnowledgeBase

# Types of international organisations that have national or regional chapters.
CHAPTER_TYPES = frozenset({"network", "ngo", "union_federation"})


# Built once per knowledge base (by identity: hashing a whole knowledge base per doc would cost more).
_BUILT: dict[int, tuple[KnowledgeBase, Chapters | None]] = {}


@dataclass(frozen=True)
class Chapters:
    """What the rule needs of a knowledge base: the pattern of a network's form followed by a country or region,
    the parent id of each form (case-folded), and the stems that are no form of the knowledge base ("HomeNet"):
    the pattern is tried where a known network was found or such a stem is written."""

    pattern: re.Pattern[str]
    parents: dict[str, str]
    stems: tuple[str, ...]


def _patterns(kb: KnowledgeBase) -> Chapters | None:
    built = _BUILT.get(id(kb))
    if built is None or built[0] is not kb:
        built = _BUILT[id(kb)] = (kb, _build(kb))
    return built[1]


def _build(kb: KnowledgeBase) -> Chapters | None:
    forms: dict[str, str] = {}
    stems: dict[str, str] = {}
    for entry in kb:
        if entry.country != "international" or entry.type not in CHAPTER_TYPES:
            continue
        for form in entry.surfaces():
            forms.setdefault(form.casefold(), entry.id)
            stem = _stem(form)
            if stem and len(stem) >= 3:
                stems.setdefault(stem.casefold(), entry.id)
    parents = {**stems, **forms}
    if not parents:
        return None
    places = [n for names in COUNTRY_NAMES.values() for n in names if len(n) > 3] + list(REGIONS)
    rx = re.compile(rf"(?P<stem>{alternation(parents)})[ \t]+(?P<place>{alternation(places)})(?![\w-])",
                    re.IGNORECASE)
    return Chapters(rx, parents, tuple(sorted(set(stems) - set(forms))))


def _stem(form: str) -> str | None:
    """"HomeNet International" -> "HomeNet", "INSP!R network" -> "INSP!R"."""
    words = form.split()
    if len(words) > 1 and words[-1].casefold() in CHAPTER_SUFFIXES:
        return " ".join(words[:-1])
    return None


def find_chapters(state: DocState, kb: KnowledgeBase) -> None:
    """A network's form followed by a country or region, unless the knowledge base knows the whole name."""
    chapters = _patterns(kb)
    if chapters is None:
        return
    text = state.text
    starts = {c.start for c in state.found if (e := kb.get(c.key)) is not None and e.country == "international"
              and e.type in CHAPTER_TYPES}
    folded = text.casefold()
    for stem in chapters.stems:
        i = folded.find(stem)
        while i >= 0:
            starts.add(i)
            i = folded.find(stem, i + 1)
    for start in sorted(starts):
        if start > 0 and (text[start - 1].isalnum() or text[start - 1] in "!&-"):
            continue
        m = chapters.pattern.match(text, start)
        if m is None:
            continue
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
    m = pats.pattern.fullmatch(" ".join(name.split()))
    return None if m is None else pats.parents.get(m.group("stem").casefold())
