"""Upper-case acronyms used as actors ("GEFONT held ...", "(FEI)"): defined acronyms wherever they recur,
known ones the phrase matcher missed, and unknown ones that are not common words, units, currencies,
country codes, the field's jargon or the name of a thing ("the ASEM summit")."""

from __future__ import annotations

import re

from pipeline.extract.organisations.acronyms import in_caps_line
from pipeline.extract.organisations.candidates import Candidate, DocState, unknown_key
from pipeline.extract.organisations.kbmatch import KBMatcher
from pipeline.extract.organisations.vocabulary import (
    ACRONYM_EVENT_LINKS,
    DICTIONARY_WORDS,
    EVENT_NOUNS,
    NOT_ACRONYMS,
    PLACES,
    STOP_WORDS,
    alternation,
)

ACRONYM_TOKEN = re.compile(r"(?<![\w&@#/.’'!-])([A-Z][A-Z&]*(?:-[A-Z&]+)*[A-Z])(?![\w@&’'!]|-\w|\.\w)")
# Up to three small or capitalised words, then the lower-case word that may say what the acronym names.
WORD_AFTER = re.compile(r"(?:[ \t]+(?:" + alternation(ACRONYM_EVENT_LINKS) + r"|[A-Z][\w-]*)){0,3}[ \t]+([a-z]+)")


def find_acronyms(state: DocState, parens: list[tuple[int, int, str]], matcher: KBMatcher) -> None:
    """Defined acronyms anywhere in the doc, and unknown upper-case acronyms used as actors."""
    text = state.text
    paren_starts = {s for s, _, _ in parens}
    for m in ACRONYM_TOKEN.finditer(text):
        tok, (s, e) = m.group(1), m.span(1)
        if not state.free(s, e):
            continue
        if tok in state.acronyms:
            state.add(Candidate(s, e, state.acronyms[tok], True))
            continue
        ids = tuple(entry.id for entry in matcher.kb.lookup(tok))
        if ids:
            # A known acronym the phrase matcher missed because of tokenization ("WSM-", "ILO/UN").
            key = matcher.resolve(ids, tok, text, s, e)
            if key is not None:
                state.add(Candidate(s, e, key, True))
            continue
        letters = sum(c.isalpha() for c in tok)
        if tok in state.not_org or tok in NOT_ACRONYMS or tok.casefold() in STOP_WORDS:
            continue
        if letters < (2 if s in paren_starts else 3) or re.fullmatch(r"[IVXLCDM]+", tok):
            continue
        if in_caps_line(text, s) or re.match(r"\s?\d", text[e:e + 2]) or _shouting(text, s, e):
            continue
        if common_word(tok) or place_at(text, s, e):
            continue  # "CONTACT:", "LEAFLETS", "BRUSSEL (tijd) -", "KAMPONG CHAM": a word or a place in capitals
        after = WORD_AFTER.match(text[e:e + 40])
        if after and after.group(1) in EVENT_NOUNS:
            continue  # "the ASEM summit", "the TRIANGLE in ASEAN programme": an event or programme
        state.acronyms[tok] = unknown_key(tok)
        state.add(Candidate(s, e, state.acronyms[tok], True))


def common_word(token: str) -> bool:
    """An upper-case token that is a common word of English, Dutch or French (four letters or more)."""
    return len(token) >= 4 and token.casefold() in DICTIONARY_WORDS


# Up to two upper-case words on either side of a token, for places of several words ("KAMPONG CHAM").
CAPS_BEFORE = re.compile(r"(?:[A-Z][A-Z-]+[ \t]+){1,2}$")
CAPS_AFTER = re.compile(r"(?:[ \t]+[A-Z][A-Z-]+(?![\w-])){1,2}")


def place_at(text: str, s: int, e: int) -> bool:
    """Is the upper-case token at [s, e) a place, alone or with the upper-case words around it?"""
    before = CAPS_BEFORE.search(text[max(0, s - 40):s])
    after = CAPS_AFTER.match(text, e)
    left = before.group().split() if before else []
    right = after.group().split() if after else []
    words = [*left, text[s:e], *right]
    i = len(left)
    return any(" ".join(words[a:b]).casefold() in PLACES
               for a in range(i + 1) for b in range(i + 1, len(words) + 1))


def _shouting(text: str, s: int, e: int) -> bool:
    """Part of a run of capitalised words ("WE DEMAND DECENT WORK"), not an acronym used as a name."""
    before = re.search(r"([A-Z]{2,})[ \t]+$", text[max(0, s - 20):s])
    after = re.match(r"[ \t]+([A-Z]{2,})\b", text[e:e + 20])
    return any(m is not None and (m.group(1) in NOT_ACRONYMS or common_word(m.group(1))) for m in (before, after))
