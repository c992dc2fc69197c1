"""What is never a figure: URLs, e-mails, hashtags, dates, times, year ranges, phone numbers and identifiers
(spans of the text), and numbers after a reference word ("paragraph 41"), an age word ("under 35") or a year
word ("since 2019")."""

from __future__ import annotations

import re

from pipeline.extract.figures.candidates import digit_runs
from pipeline.extract.lexicon import alternation
from pipeline.extract.tails import EndPattern
from pipeline.vocab import words

MONTH_NAMES = words("months")
MONTHS = rf"(?:{alternation(MONTH_NAMES)})\.?"
# After a time in digits ("9.30 am", "10:00 uur") the periods of an entry are optional; after a bare hour
# ("9 am") only the entries with periods count, with and without them.
CLOCK_WORDS = words("clock_words")
AFTER_TIME = "|".join(
    re.escape(w).replace(r"\.", r"\.?") if "." in w else rf"{re.escape(w)}\b"
    for w in sorted(CLOCK_WORDS, key=lambda w: (-len(w), w)))
AFTER_HOUR = alternation([w for w in CLOCK_WORDS if "." in w] + [w.replace(".", "") for w in CLOCK_WORDS if "." in w])
YEAR_RANGE_WORDS = alternation(words("year_range_words"))
NEVER = re.compile(
    "|".join([
        r"https?://\S+|www\.\S+|\S+@\S+\.\w+",  # URLs and e-mails
        r"#\w+",  # hashtags
        # The rest all start at a run of digits, at a '+', a month name or a line start in the white space
        # before one, or at the capitals before one ("G20"): see _starts.
        rf"\b\d{{1,2}}\s*[-–]\s*\d{{1,2}}\s+{MONTHS}(?:,?\s+(?:19|20)\d\d)?",  # 12-14 June
        rf"\b{MONTHS}\s+\d{{1,2}}\s*[-–]\s*\d{{1,2}}\b",  # June 12-14
        rf"\b\d{{1,2}}(?:st|nd|rd|th|de|e)?\s+{MONTHS}(?:,?\s+(?:19|20)\d\d)?",  # 16 June 2011
        rf"\b{MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+(?:19|20)\d\d)?\b",  # June 16, 2011
        rf"\b{MONTHS}\s+(?:19|20)\d\d\b",  # May 2018
        # 2022 - 2024, 2023 24
        rf"\b(?:19|20)\d\d\s*(?:[-–—/]|{YEAR_RANGE_WORDS})?\s*(?:(?:19|20)\d\d|\d\d)\b(?!\s*%)",
        rf"\b\d{{1,2}}[:.]\d{{2}}\s*(?:{AFTER_TIME})|\b\d{{1,2}}:\d{{2}}\b|\b\d{{1,2}}\s*(?:{AFTER_HOUR})\b",  # times
        r"\+\d[\d\s()-]{6,}\d|\b\d{2,4}[-\s]\d{3}[-\s]\d{3,4}\b|\b\d{1,4}(?:-\d{2,4}){2,}\b",  # phone numbers
        r"\b\d+/\d+(?:/\d+)?\b",  # 24/7, 12/05/2019
        r"(?m:^)\s*\d{1,2}[.)](?=\s)",  # list numbering
        r"\b(?:[A-Z]+-?\d+[A-Za-z]*|\d+[A-Z]{2,}\w*)\b",  # G20, COVID-19, SP4ALL, 4G; identifiers
    ])
)
# Words before a number (case-insensitive): a reference ("paragraph 41", "p. 47", "§ 3"), an age ("under 35")
# when an age word follows it ("years old", "+"), and a year ("since 2019").
REFERENCE_BEFORE = EndPattern(r"(?:\b(?:" + alternation(words("reference_before")) + r")\.?|[#№§])", re.I)
AGE_BEFORE = EndPattern(r"\b(?:" + alternation(words("age_before")) + ")", re.I)
AGE_AFTER = re.compile(r"^\s*(?:" + alternation(words("age_after"), space=r"\s+", boundary=True) + r"|\+)", re.I)
YEAR_BEFORE = EndPattern(r"\b(?:" + alternation(words("year_before")) + ")", re.I)
YEAR_SHAPE = re.compile(r"(?:1[89]|20)\d\d")

WEB_START = re.compile(r"http|www\.|#")
MONTH_INITIALS = frozenset(name[0] for name in MONTH_NAMES)
LONGEST_MONTH = max(len(name) for name in MONTH_NAMES) + len(".")


def _starts(text: str, runs: list[int]) -> list[int]:
    """Every position where a NEVER match can start in a text without '@', in order."""
    starts = {m.start() for m in WEB_START.finditer(text)}
    for a in runs:
        starts.add(a)
        if a and text[a - 1] == "+":
            starts.add(a - 1)
        w = a
        while w > 0 and text[w - 1].isspace():
            w -= 1
        if w < a:
            # A month name ends where the white space before the digits begins ("June 16", "Sept. 2011").
            starts.update(c for c in range(max(0, w - LONGEST_MONTH), w - 2) if text[c] in MONTH_INITIALS)
            # List numbering starts at a line start, its white space included.
            starts.update(p for p in range(w, a) if p == 0 or text[p - 1] == "\n")
        b = a - 1 if a and text[a - 1] == "-" else a
        c = b
        while c > 0 and "A" <= text[c - 1] <= "Z":
            c -= 1
        if c < b:  # capitals before the digits: "G20", "COVID-19"
            starts.add(c)
    return sorted(starts)


def never_spans(text: str, runs: list[int] | None = None) -> list[tuple[int, int]]:
    """Spans that are never figures (URLs, e-mails, hashtags, dates, times, phone numbers, identifiers)."""
    if "@" in text:  # an e-mail address can start anywhere before its '@'
        return [m.span() for m in NEVER.finditer(text)]
    # The same matches as NEVER.finditer, trying the pattern only where a match can start rather than at
    # every character, which costs more than all the other figure rules together.
    spans = []
    last_end = 0
    for c in _starts(text, digit_runs(text) if runs is None else runs):
        if c >= last_end and (m := NEVER.match(text, c)) is not None:
            spans.append(m.span())
            last_end = m.end()
    return spans
