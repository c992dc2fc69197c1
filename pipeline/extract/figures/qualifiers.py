"""Qualifiers: the word before a number that makes it approximate ("over", "bijna") or exact ("only")."""

from __future__ import annotations

import re

from pipeline.extract.figures.units import OPEN_ENDED
from pipeline.extract.lexicon import alternation, mapping
from pipeline.extract.tails import EndPattern

# Each qualifier by its lower case, and whether it makes the number approximate.
APPROX = mapping("qualifiers", lambda r: r["word"].lower(), lambda r: r["approx"] == "yes")
QUALIFIER_BEFORE = EndPattern(r"\b(" + alternation(APPROX) + ")", re.I)


def qualifier(text: str, start: int) -> tuple[str | None, bool, int]:
    """(qualifier, approximate, where the qualifier starts) for a number starting at `start`."""
    lo = max(0, start - 20)
    m = QUALIFIER_BEFORE.search(text[lo:start])
    if not m:
        return None, False, start
    q = m.group(1).lower()
    return q, APPROX.get(q, True), lo + m.start(1)


def open_end(text: str, end: int, lang: str) -> str | None:
    """The open end right after a number ("or more", "of meer", "et plus"), which makes it approximate."""
    rx = OPEN_ENDED.get(lang)
    m = rx.match(text, end) if rx is not None else None
    return m.group(0).strip().lower() if m else None
