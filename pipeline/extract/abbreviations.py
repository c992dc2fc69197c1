"""Abbreviations after which a period does not end a sentence ('No. 189', 'p. 47', 'Mrs. Navy').

Apart from the sentence component so that code that only cuts text (long posts in chunks) can ask without
importing spaCy: an ``export`` or ``parse`` process never needs it, and importing it costs about 2 s.
"""

from __future__ import annotations

from pipeline.vocab import words

# pipeline/data/<lang>/abbreviations.txt; every language's list applies to every text.
ABBREVIATIONS = frozenset(a.lower() for a in words("abbreviations"))
LONGEST_ABBREVIATION = max(len(a) for a in ABBREVIATIONS)


def abbreviation_before(text: str, dot: int) -> bool:
    """Is the word ending at this period one of the abbreviations (preceded by neither a word character nor '.')?"""
    # The abbreviation must be the whole run of word characters and periods before the dot, so there is one
    # place to look: where that run starts, if it is short enough.
    start = dot
    while start > 0 and dot - start <= LONGEST_ABBREVIATION and (text[start - 1].isalnum() or text[start - 1] in "._"):
        start -= 1
    return dot - start <= LONGEST_ABBREVIATION and text[start:dot].lower() in ABBREVIATIONS
