"""A figure candidate before linking, and the span helpers every figure rule shares."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass
class Raw:
    """A figure candidate in doc coordinates before linking."""

    start: int
    end: int
    value: float
    unit: str
    subject: str | None
    approx: bool = False
    qualifier: str | None = None
    low: float | None = None
    high: float | None = None
    group: str | None = None
    elided: bool = False
    is_share: bool = False
    share: float | None = None
    unit_text: str = ""
    in_words: bool = False
    number_start: int | None = None  # where the number starts when a qualifier starts the span ("zo'n 5000")

    @property
    def first(self) -> int:
        """Where the number itself starts."""
        return self.start if self.number_start is None else self.number_start


DIGIT_RUN = re.compile(r"\d+")


def digit_runs(text: str) -> list[int]:
    """Where the runs of digits of a text start."""
    return [d.start() for d in DIGIT_RUN.finditer(text)]


def inside(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """Does [start, end) overlap one of the spans?"""
    return any(s <= start and end <= e or s < end <= e or s <= start < e for s, e in spans)
