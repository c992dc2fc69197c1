"""Names written head first with small letters, as French writes them: a capitalised head, then adjectives and
complements opened by "de", "du", "des", "pour" ("Confédération syndicale internationale", "Mouvement ouvrier
chrétien", "Conseil international de l'action sociale", "Fédération des travailleurs du textile de Dhaka").
Run for the languages that list connectors for it (``org_head_first_connectors``)."""

from __future__ import annotations

import re

from pipeline.extract.organisations.candidates import SENTINEL, Candidate, DocState, masked_text, unknown_key
from pipeline.extract.organisations.vocabulary import (
    AND,
    ARTICLES,
    COMPLEMENT_ENDINGS,
    EVENT_CUE_AFTER,
    EVENT_CUE_BEFORE,
    EVENT_HEADS,
    EVENT_WORDS,
    HEAD_FIRST,
    HEAD_FIRST_ADJECTIVES,
    HEAD_FIRST_CONNECTORS,
    HEAD_FIRST_ENDINGS,
    HEAD_FIRST_LOWER,
    LEAD_TRIM,
    NOT_ORG_PHRASES,
    NOT_ORG_WORDS,
    TITLE_BEFORE,
)
from pipeline.kb import normalise_name

WORD = re.compile(r"[^\W\d_][\w'’-]*|\S")
# Complements a name may have, and words it may hold: beyond them a phrase is a sentence, not a name.
MAX_COMPLEMENTS = 3
MAX_WORDS = 12


def find_head_first(state: DocState, lang: str) -> None:
    """Head-first names of a language that writes them, outside the spans already recognised."""
    heads, lower_heads = HEAD_FIRST.get(lang, frozenset()), HEAD_FIRST_LOWER.get(lang, frozenset())
    if not (heads or lower_heads) or not HEAD_FIRST_CONNECTORS[lang]:
        return
    masked = masked_text(state)
    connectors, endings, adjectives = HEAD_FIRST_CONNECTORS[lang], HEAD_FIRST_ENDINGS[lang], HEAD_FIRST_ADJECTIVES[lang]
    tokens = [(m.group(), m.start(), m.end()) for m in WORD.finditer(masked)]
    for i, (tok, s, _) in enumerate(tokens):
        if (tok not in heads and tok not in lower_heads) or SENTINEL in tok:
            continue
        end, modifiers, capital = _extent(tokens, i, connectors, endings, adjectives, lang)
        if end is None or (tok in lower_heads and not capital):
            continue  # "le ministère du Travail" is a name, "le ministère concerné" is not
        e = tokens[end][2]
        sentence_start = _sentence_start(masked, s)
        if not (capital or modifiers >= 2 or (modifiers >= 1 and not sentence_start)):
            continue  # "Syndicat et patronat ...", "Fédération syndicale" opening a sentence: no name
        name = state.text[s:e]
        words = name.split()
        if any(w in NOT_ORG_WORDS or w in EVENT_WORDS for w in words) or normalise_name(name) in NOT_ORG_PHRASES:
            continue
        if TITLE_BEFORE.search(state.text[max(0, s - 12):s]):
            continue
        if tok in EVENT_HEADS and (EVENT_CUE_BEFORE.search(state.text[max(0, s - 24):s])
                                   or EVENT_CUE_AFTER.match(state.text, e)):
            continue  # "le Forum social mondial s'est tenu à ...": an event
        if state.free(s, e):
            state.add(Candidate(s, e, unknown_key(name), False))


def _is_adjective(word: str, endings: frozenset[str], adjectives: frozenset[str]) -> bool:
    # Capitalised too: "Confédération Européenne des Syndicats", "Fédération Générale du Travail".
    w = word.casefold()
    return word[:1].isalpha() and len(w) > 3 and (w in adjectives or any(w.endswith(x) for x in endings))


def _extent(tokens: list[tuple[str, int, int]], i: int, connectors: frozenset[str], endings: frozenset[str],
            adjectives: frozenset[str], lang: str) -> tuple[int | None, int, bool]:
    """The last token of the name whose head is token i, how many modifiers it has, and whether a complement
    holds a capitalised word ("de Belgique", "du Travail")."""
    last, modifiers, capital, complements = None, 0, False, 0
    j = i + 1
    while j < len(tokens) and j - i <= MAX_WORDS:
        tok = tokens[j][0]
        if SENTINEL in tok:
            break
        if _is_adjective(tok, endings, adjectives) and (complements == 0 or last == j - 1):
            last, modifiers, j = j, modifiers + 1, j + 1
            continue
        if tok in connectors and complements < MAX_COMPLEMENTS:
            k = j + 1
            while k < len(tokens) and tokens[k][0].casefold() in ARTICLES:
                k += 1
            if k >= len(tokens) or SENTINEL in tokens[k][0] or not tokens[k][0][:1].isalpha():
                break
            noun = tokens[k][0]
            if noun[:1].islower() and (noun.casefold() in LEAD_TRIM or len(noun) < 3):
                break  # "de ce", "du fait": not a complement
            capital = capital or noun[:1].isupper()
            last, modifiers, complements, j = k, modifiers + 1, complements + 1, k + 1
            while noun[:1].isupper() and j < len(tokens) and tokens[j][0][:1].isupper() and SENTINEL not in \
                    tokens[j][0] and tokens[j][0].casefold() not in LEAD_TRIM:
                last, j = j, j + 1  # "du Sri Lanka", "de Hong Kong"
            after_noun = endings | COMPLEMENT_ENDINGS.get(lang, frozenset())
            while j < len(tokens) and _is_adjective(tokens[j][0], after_noun, adjectives):
                last, j = j, j + 1
            if _coordinated(tokens, j, connectors):
                last, j = j + 1, j + 2  # "des fabricants et exportateurs de vêtements"
            continue
        break
    return last, modifiers, capital


def _coordinated(tokens: list[tuple[str, int, int]], j: int, connectors: frozenset[str]) -> bool:
    """Does "et" + a noun + a connector continue a complement at token j ("fabricants et exportateurs de")?"""
    if j + 2 >= len(tokens) or tokens[j][0] not in AND:
        return False
    noun = tokens[j + 1][0]
    return (noun[:1].islower() and len(noun) > 2 and noun.casefold() not in LEAD_TRIM
            and noun.casefold() not in ARTICLES and tokens[j + 2][0] in connectors)


def _sentence_start(masked: str, s: int) -> bool:
    before = masked[:s].rstrip(" \t")
    before = re.sub(r"(?:\b[lLdD]|\b(?:la|le|les|La|Le|Les))\s*$", "", before).rstrip()
    return not before or before[-1] in ".!?:\n"
