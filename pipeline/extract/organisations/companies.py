"""Companies outside the knowledge base, found by what the text says of them: a legal form ("Lumo Apparel Ltd",
"PT Sinar Maju Garment"), or a cue phrase before a name or a list of names ("brands such as Nordlys and Quenta",
"owned by Harrowgate Holdings", "filiale d'Inditex"). Lists with known organisations in them: ``lists``."""

from __future__ import annotations

import re

from pipeline.extract.organisations.candidates import SENTINEL, Candidate, DocState, masked_text, unknown_key
from pipeline.extract.organisations.vocabulary import (
    COMPANY_CUES,
    COMPANY_FORMS_AFTER,
    COMPANY_FORMS_BEFORE,
    DICTIONARY_WORDS,
    LEAD_TRIM,
    LIST_JOINERS,
    NEVER_DISTINCTIVE,
    NOT_ORG_WORDS,
    PLACES,
    ROLE_WORDS,
    SOFT_GENERIC,
    TITLE_BEFORE,
    alternation,
)

# A word of a company's name: capitalised, or a digit-led or "&" word inside it ("Sinar 88", "Smith & Sons").
NAME_WORD = r"(?:[A-ZÀ-ÖØ-Þ][\w'’&.-]*[\w&]|[A-ZÀ-ÖØ-Þ]|&|\d[\w-]*)"
FORM_AFTER = re.compile(rf"(?<![\w&'’.-])((?:{NAME_WORD}[ \t]+){{1,5}}?)(?:,[ \t]*)?"
                        rf"{alternation(COMPANY_FORMS_AFTER)}(?![\w&])")
FORM_BEFORE = re.compile(rf"(?<![\w&-]){alternation(COMPANY_FORMS_BEFORE)}[ \t]+"
                         rf"((?:{NAME_WORD})(?:[ \t]+{NAME_WORD}){{0,5}})")
# The legal forms' first words: a text without one has no form (a quick test before the slower patterns).
FORM_HINT = re.compile(r"(?<![\w&'’.-])" + alternation(
    f.split()[0].rstrip(".,") for f in COMPANY_FORMS_AFTER | COMPANY_FORMS_BEFORE) + r"(?![\w&])")
# One item of a list: a run of recognised text, or up to three capitalised words.
ITEM = rf"(?:{SENTINEL}+|[A-ZÀ-ÖØ-Þ][\w'’&-]*(?:[ \t]+[A-ZÀ-ÖØ-Þ][\w'’&-]*){{0,2}})"
JOIN = rf"(?:[ \t]*,[ \t]*(?:{alternation(LIST_JOINERS)}[ \t]+)?|[ \t]+{alternation(LIST_JOINERS)}[ \t]+)"
# The first word of every cue ("brands" of "brands such as"): a text without one has no cue.
CUE_WORDS = frozenset(c.split()[0].casefold() for c in COMPANY_CUES)
CUE = re.compile(rf"(?<![\w-]){alternation(COMPANY_CUES)}[ \t]+(?:the[ \t]+)?(?={ITEM})", re.IGNORECASE)
CUED_LIST = re.compile(rf"{ITEM}(?:{JOIN}{ITEM})*")
ITEM_RX = re.compile(ITEM)


def find_companies(state: DocState) -> None:
    """Companies by legal form and by cue phrase."""
    _by_form(state)
    masked = masked_text(state)
    folded = masked.casefold()
    if any(w in folded for w in CUE_WORDS):  # the cue pattern is long: try it only where a cue may be
        for m in CUE.finditer(masked):
            items = CUED_LIST.match(masked, m.end())
            if items is not None:
                add_items(state, masked, items.start(), items.end())
        masked = masked_text(state)


def _by_form(state: DocState) -> None:
    text = state.text
    if FORM_HINT.search(text) is None:
        return
    for m in FORM_AFTER.finditer(text):
        words = m.group(1).split()
        while words and (words[0].casefold() in LEAD_TRIM or words[0] in ROLE_WORDS):
            words.pop(0)
        if not words or not words[0][:1].isupper():
            continue
        s = m.start(1) + m.group(1).index(words[0])
        _add(state, s, m.end())
    for m in FORM_BEFORE.finditer(text):
        _add(state, m.start(), m.end())


def add_items(state: DocState, masked: str, start: int, end: int) -> None:
    """Add the capitalised items of a list (between start and end of the masked text) that may be names."""
    for item in ITEM_RX.finditer(masked, start, end):
        s, e = item.span()
        if SENTINEL in item.group():
            continue
        if name_like(state.text, s, e):
            _add(state, s, e)


def name_like(text: str, s: int, e: int) -> bool:
    """Could the capitalised words at [s, e) be a company's name (not a place, a word, a person's title)?"""
    words = text[s:e].split()
    name = " ".join(words)
    if name.casefold() in PLACES or TITLE_BEFORE.search(text[max(0, s - 12):s]):
        return False
    if any(w.casefold() in LEAD_TRIM or w in ROLE_WORDS or w in NOT_ORG_WORDS for w in words):
        return False
    if all(w in SOFT_GENERIC or w in NEVER_DISTINCTIVE for w in words):
        return False
    return not (len(words) == 1 and words[0].casefold() in DICTIONARY_WORDS)


def _add(state: DocState, s: int, e: int) -> None:
    if state.free(s, e):
        state.add(Candidate(s, e, unknown_key(state.text[s:e]), False))
