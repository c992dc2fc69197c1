"""Organisations named by a description with a lower-case head that something proper makes specific: a
country's diplomatic missions ("the Thai embassies", "de Cambodjaanse ambassade", "l'ambassade du Cambodge"),
the writer's own organisation ("our regional staff union"); and the city that stays in a mission's name
("Embassy of Japan in Osaka")."""

from __future__ import annotations

import re
from dataclasses import replace

from pipeline.extract.organisations.candidates import Candidate, DocState, masked_text, unknown_key
from pipeline.extract.organisations.vocabulary import (
    ARTICLES,
    COUNTRY_NAMES,
    MISSION_HEADS,
    NEVER_DISTINCTIVE,
    PLACES,
    POSSESSIVE_HEADS,
    POSSESSIVES,
    STOP_WORDS,
    alternation,
)

COUNTRY = alternation(n for names in COUNTRY_NAMES.values() for n in names if len(n) > 2)
MISSION = alternation(MISSION_HEADS)
OF = r"(?:of|van|de|du|des|d)"
ARTICLE = r"(?:(?:the|het|de|la|le|les|l)[ \t]+)?"
# "Thai embassies", "Cambodjaanse ambassade"; "embassy of Thailand", "ambassade van Cambodja", "ambassade du Cambodge".
MISSION_BEFORE = re.compile(rf"(?<![\w-]){COUNTRY}[ \t]+{MISSION}(?![\w-])")
MISSION_AFTER = re.compile(rf"(?<![\w-]){MISSION}[ \t]+{OF}[ \t]+{ARTICLE}{COUNTRY}(?![\w-])")
POSSESSED = re.compile(rf"(?<![\w-]){alternation(POSSESSIVES)}[ \t]+((?:[a-zà-ÿ][\w-]*[ \t]+){{1,3}}?"
                       rf"{alternation(POSSESSIVE_HEADS)})(?![\w-])", re.IGNORECASE)
FOLDED_POSSESSIVES = frozenset(p.casefold() for p in POSSESSIVES)
# A city after a mission's name: "... in Osaka", "... te Brussel", "... à Genève".
IN_CITY = re.compile(r"[ \t]+(?:in|te|à)[ \t]+([A-ZÀ-Þ][\w'’-]*(?:[ \t]+[A-ZÀ-Þ][\w'’-]*){0,2})")


def find_described(state: DocState) -> None:
    """Diplomatic missions named by a country, and the writer's own organisation."""
    folded = state.text.casefold()
    masked = masked_text(state)
    if any(h in folded for h in MISSION_HEADS):  # most texts name no mission: skip the long patterns
        for rx in (MISSION_BEFORE, MISSION_AFTER):
            for m in rx.finditer(masked):
                _add(state, m.start(), m.end())
    if not any(p in folded for p in FOLDED_POSSESSIVES):
        return
    for m in POSSESSED.finditer(masked):
        words = m.group(1).split()
        if words[0] == words[0].lower() and any(w.casefold() not in STOP_WORDS and w.capitalize() not in
                                                NEVER_DISTINCTIVE and w.casefold() not in ARTICLES
                                                for w in words[:-1]):
            _add(state, m.start(1), m.end(1))


def extend_missions(state: DocState) -> None:
    """A mission's name keeps the city after it: "Embassy of Japan in Osaka" (not "Embassy of Japan")."""
    for c in list(state.found):
        name = state.text[c.start:c.end].casefold()
        if c.acronym or not any(re.search(rf"(?<!\w){re.escape(h)}(?!\w)", name) for h in MISSION_HEADS):
            continue
        m = IN_CITY.match(state.text, c.end)
        if m is None or m.group(1).casefold() not in PLACES:
            continue
        if not state.free(c.end, m.end()):
            continue
        key = unknown_key(state.text[c.start:m.end()]) if c.key.startswith("x-") else c.key
        state.taken[state.taken.index((c.start, c.end))] = (c.start, m.end())
        # Every mention of the entity takes the longer name's key (the post names one mission).
        state.found = [replace(x, end=m.end(), key=key) if x is c else replace(x, key=key) if x.key == c.key
                       else x for x in state.found]
        state.acronyms = {a: key if k == c.key else k for a, k in state.acronyms.items()}


def _add(state: DocState, s: int, e: int) -> None:
    if state.free(s, e):
        state.add(Candidate(s, e, unknown_key(state.text[s:e]), False))
