"""The function-word vote: settles clear English, Dutch and French paragraphs before any statistical model.

Each language's frequent function words are data (``pipeline/data/<lang>/function_words.txt`` for en, nl, fr;
``other_function_words.csv`` for the other languages the detectors answer). A word listed for two or more
languages counts for none of them: French is full of "de", "en" and "la", which are Dutch or Spanish words
too, so they are evidence of nothing. The vote answers only when one of en, nl, fr has at least ``MIN_HITS``
exclusive words and ``RATIO`` times as many as the runner-up; anything less clear, and every paragraph whose
best language is another one, goes to the detector. An entry ending in an apostrophe is an elided prefix
(French d', qu', n' ...). Pure functions; the lists are read on first use, so that a broken list is the error of
the command that needs it.
"""

from __future__ import annotations

from collections import Counter
from functools import cache

from pipeline.vocab import LANGUAGES, table, words

MIN_HITS = 3
RATIO = 3.0
APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'"})


@cache
def vote_tables() -> tuple[dict[str, str], tuple[tuple[str, str], ...]]:
    """(exclusive word -> its language, (elided prefix, language) pairs) over every language's list."""
    listed: dict[str, set[str]] = {}
    for lang in LANGUAGES:
        for w in words("function_words", lang):
            listed.setdefault(w.lower().translate(APOSTROPHES), set()).add(lang)
    for row in table("other_function_words"):
        listed.setdefault(row["word"].lower().translate(APOSTROPHES), set()).add(row["lang"])
    exclusive = {w: next(iter(langs)) for w, langs in listed.items() if len(langs) == 1}
    prefixes = tuple(sorted((w, lang) for w, lang in exclusive.items() if w.endswith("'")))
    return {w: lang for w, lang in exclusive.items() if not w.endswith("'")}, prefixes


def hits(tokens: list[str]) -> Counter[str]:
    """Exclusive function words per language among lower-cased word tokens."""
    exclusive, prefixes = vote_tables()
    counts: Counter[str] = Counter()
    for token in tokens:
        lang = exclusive.get(token)
        if lang is None and ("'" in token or "’" in token):
            token = token.translate(APOSTROPHES)
            lang = exclusive.get(token) or next((lg for p, lg in prefixes if token.startswith(p)), None)
        if lang is not None:
            counts[lang] += 1
    return counts


def vote(tokens: list[str]) -> str | None:
    """'en', 'nl' or 'fr' when the function words leave no doubt, else None (the detector decides)."""
    counts = hits(tokens)
    if not counts:
        return None
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    top, n1 = ranked[0]
    n2 = ranked[1][1] if len(ranked) > 1 else 0
    if top in LANGUAGES and n1 >= MIN_HITS and n1 >= RATIO * n2:
        return top
    return None
