"""Qualifiers: the word before a number that makes it approximate ("over", "bijna") or exact ("only")."""

from __future__ import annotations

import re

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
