"""Qualifiers: the word before a number that makes it approximate ("over", "bijna") or exact ("only")."""

from __future__ import annotations

import re

from pipeline.extract.tails import EndPattern

QUALIFIERS = (
    ("more than", True), ("over", True), ("nearly", True), ("almost", True), ("about", True), ("around", True),
    ("approximately", True), ("approx.", True), ("roughly", True), ("some", True), ("up to", True),
    ("at least", True), ("close to", True), ("less than", True), ("fewer than", True), ("an estimated", True),
    ("estimated", True), ("ruim", True), ("bijna", True), ("meer dan", True), ("ongeveer", True), ("zo'n", True),
    ("zo’n", True), ("minstens", True), ("circa", True), ("ca.", True), ("rond de", True), ("minder dan", True),
    ("tot", True), ("maximaal", True), ("minimaal", True), ("exactly", False), ("only", False), ("slechts", False),
)
QUALIFIER_BEFORE = EndPattern(
    r"\b(" + "|".join(re.escape(q) for q, _ in sorted(QUALIFIERS, key=lambda x: -len(x[0]))) + r")", re.I
)
APPROX = {q: a for q, a in QUALIFIERS}


def qualifier(text: str, start: int) -> tuple[str | None, bool, int]:
    """(qualifier, approximate, where the qualifier starts) for a number starting at `start`."""
    lo = max(0, start - 20)
    m = QUALIFIER_BEFORE.search(text[lo:start])
    if not m:
        return None, False, start
    q = m.group(1).lower()
    return q, APPROX.get(q, True), lo + m.start(1)
