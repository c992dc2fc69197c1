"""Organisation nouns (heads) and the test that a capitalised long form names an organisation."""

from __future__ import annotations

from pipeline.extract.organisations.vocabulary import (
    AND,
    ARTICLES,
    COLLECTIVE,
    COMPOUND_HEAD,
    EVENT_WORDS,
    EXTEND,
    FORMAL_HEADS,
    HEAD_INITIAL,
    HEADS,
    NOT_ORG_PHRASES,
    NOT_ORG_WORDS,
    PEOPLE,
    TOPIC_WORDS,
)
from pipeline.kb import normalise_name

# The longest organisation name, in words, that a rule considers.
MAX_NAME_WORDS = 14


def is_head(word: str) -> bool:
    """An organisation noun: Union, Ministry, Kendra, Vakbond, or a Dutch compound such as Arbeidsraad."""
    return word in HEADS or bool(COMPOUND_HEAD.match(word))


def has_head(words: list[str]) -> bool:
    """Does a capitalised long form contain an organisation noun in a head position?"""
    for i, w in enumerate(words):
        if is_head(w) and (i == len(words) - 1 or words[i + 1] in EXTEND or w in HEAD_INITIAL or i == 0):
            return True
    return False


def looks_like_org_name(long_form: str) -> bool:
    """A long form that names an organisation: capitalised, headed by an organisation noun, not an event or law.

    Movements named after their members count too when a collective word says so: "United Domestic Workers
    of the Philippines", "International Young Christian Workers" (not "Migrant Domestic Workers").
    """
    words = [w.strip(",") for w in long_form.split()]
    if not words or not words[0][:1].isupper():
        return False
    first_head = next((i for i, w in enumerate(words) if is_head(w)), len(words))
    formal = first_head < len(words) and words[first_head] in FORMAL_HEADS
    if (words[-1] in NOT_ORG_WORDS
            or any(w in NOT_ORG_WORDS and not (formal and w in TOPIC_WORDS) for w in words[:first_head])
            or any(w in EVENT_WORDS for w in words) or normalise_name(long_form) in NOT_ORG_PHRASES):
        return False
    if has_head(words):
        return True
    content = [w for w in words if w not in EXTEND and w not in AND and w.casefold() not in ARTICLES]
    return (len(content) >= 3 and any(w in PEOPLE for w in content) and any(w in COLLECTIVE for w in content)
            and all(w[:1].isupper() for w in content))
