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
    COMPANY_FORMS_AFTER,
    DICTIONARY_WORDS,
    EVENT_NOUNS,
    LEAD_TRIM,
    NOT_ACRONYMS,
    PLACES,
    ROLE_WORDS,
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
        if "-" in tok and _split_pair(state, matcher, tok, s):
            continue  # "AAA-BBB" naming two organisations
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
    _odd_acronyms(state, matcher)


def _split_pair(state: DocState, matcher: KBMatcher, tok: str, s: int) -> bool:
    """Add each part of "AAA-BBB" when every part is a known or defined organisation; False when one is not."""
    parts = tok.split("-")
    keys = []
    for part in parts:
        key = state.acronyms.get(part)
        if key is None:
            ids = tuple(entry.id for entry in matcher.kb.lookup(part))
            key = matcher.resolve(ids, part, state.text, s, s + len(tok)) if ids else None
        if key is None:
            return False
        keys.append(key)
    if len(set(keys)) < 2:
        return False  # "ACV-CSC": two names of one organisation, the knowledge base's business
    pos = s
    for part, key in zip(parts, keys, strict=True):
        state.add(Candidate(pos, pos + len(part), key, True))
        pos += len(part) + 1
    return True


# Dotted acronyms ("S.W.U.", "C.CAWDU"), not a person's initials before a name ("J.R. Smith").
DOTTED = re.compile(r"(?<![\w.])((?:[A-Z]\.)+[A-Z]{1,8}(?:\.(?![A-Za-z]))?)(?![\w-])(?![ \t]+[A-Z][a-z])")
# Acronyms in small letters after the first, without a vowel ("Fnvx", "Knsb"; "Ink", "Opt" are words).
NO_VOWEL = re.compile(r"(?<![\w&@#/.’'!-])([B-DF-HJ-NP-TV-Z][b-df-hj-np-tv-xz]{2,5})(?![\w@&’'!-])")


def _odd_acronyms(state: DocState, matcher: KBMatcher) -> None:
    """Dotted acronyms (known without their dots, or unknown ones of three letters or more) and unknown
    mixed-case acronyms without a vowel."""
    text = state.text
    for m in DOTTED.finditer(text):
        tok, (s, e) = m.group(1), m.span(1)
        plain = tok.replace(".", "")
        if not state.free(s, e) or len(plain) < 2:
            continue
        ids = tuple(entry.id for entry in matcher.kb.lookup(plain))
        if ids:
            key = matcher.resolve(ids, plain, text, s, e)
            if key is not None:
                state.add(Candidate(s, e, key, True))
            continue
        if state.acronyms.get(plain):
            state.add(Candidate(s, e, state.acronyms[plain], True))
        elif len(plain) >= 3 and _unknown_ok(state, plain):
            state.add(Candidate(s, e, unknown_key(plain), True))
    for m in NO_VOWEL.finditer(text):
        tok, (s, e) = m.group(1), m.span(1)
        if state.free(s, e) and _unknown_ok(state, tok) and tok.upper() not in NOT_ACRONYMS:
            key = state.acronyms.get(tok) or unknown_key(tok)
            state.add(Candidate(s, e, key, True))


def _unknown_ok(state: DocState, tok: str) -> bool:
    return not (tok in state.not_org or tok.upper() in NOT_ACRONYMS or tok.casefold() in STOP_WORDS
                or tok.casefold() in LEAD_TRIM or tok in ROLE_WORDS or tok in COMPANY_FORMS_AFTER
                or common_word(tok.upper()))


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
