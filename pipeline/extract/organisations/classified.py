"""A classifier noun followed by a name, which is then the organisation: "the retailer Joe Fresh",
"Reclamebureau Boondoggle"."""

from __future__ import annotations

from pipeline.extract.organisations.candidates import SENTINEL, Candidate, DocState, masked_text, unknown_key
from pipeline.extract.organisations.vocabulary import (
    CLASSIFIERS,
    CONTINUES_CAPITALISED,
    HEAD_FIRST_ENDINGS,
    HEADS,
    LEAD_TRIM,
    NEVER_DISTINCTIVE,
    NOT_ORG_WORDS,
    ROLE_WORDS,
    SOFT_GENERIC,
)
from pipeline.kb import KnowledgeBase


def find_classified(state: DocState, lang: str, kb: KnowledgeBase) -> None:
    """A classifier noun followed by a name: "Reclamebureau Boondoggle", "the retailer Joe Fresh"."""
    rx = CLASSIFIERS.get(lang)
    if rx is None:
        return
    masked = masked_text(state)
    for m in rx.finditer(masked):
        s, e = m.span("name")
        words = m.group("name").split()
        # Keep the name up to the first word that is not part of it.
        keep = []
        for w in words:
            if w.casefold() in LEAD_TRIM or w in ROLE_WORDS or SENTINEL in w or (not keep and (
                    w in NEVER_DISTINCTIVE or w in SOFT_GENERIC or w in HEADS or w in NOT_ORG_WORDS)):
                break
            keep.append(w)
        if not keep or _all_adjectives(keep, lang):
            continue  # "syndicat Marxiste-Léniniste": a capitalised adjective, not a name
        e = s + len(" ".join(keep))
        name = state.text[s:e]
        if m.start("name") > 0 and _sentence_start(state.text, m.start()) and lang == "en":
            continue
        if state.free(s, e) and not _continues_capitalised(masked, e):
            # A known name the matcher did not see as written ("vakbond C.CAWDU" for CCAWDU).
            known = kb.lookup(name) or kb.lookup(name.replace(".", ""))
            state.add(Candidate(s, e, known[0].id if known else unknown_key(name), False))


def _all_adjectives(words: list[str], lang: str) -> bool:
    endings = HEAD_FIRST_ENDINGS.get(lang)
    return bool(endings) and all(any(part.casefold().endswith(x) for x in endings)
                                 for w in words for part in w.split("-"))


def _sentence_start(text: str, pos: int) -> bool:
    before = text[:pos].rstrip()
    return not before or before[-1] in ".!?:\n"


def _continues_capitalised(masked: str, e: int) -> bool:
    return bool(CONTINUES_CAPITALISED.match(masked[e:e + 12]))
