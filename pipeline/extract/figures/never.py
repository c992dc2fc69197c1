"""What is never a figure: URLs, e-mails, hashtags, dates, times, year ranges, phone numbers and identifiers
(spans of the text), and numbers after a reference word ("paragraph 41"), an age word ("under 35") or a year
word ("since 2019")."""

from __future__ import annotations

import re

from pipeline.extract.figures.candidates import digit_runs
from pipeline.extract.tails import EndPattern

MONTHS = (r"(?:January|February|March|April|May|June|July|August|September|October|November|December|"
          r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec|januari|februari|maart|april|mei|juni|juli|augustus|"
          r"september|oktober|november|december)\.?")
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
        r"\b(?:19|20)\d\d\s*(?:[-–—/]|to|tot|and|en)?\s*(?:(?:19|20)\d\d|\d\d)\b(?!\s*%)",  # 2022 - 2024, 2023 24
        r"\b\d{1,2}[:.]\d{2}\s*(?:a\.?m\.?|p\.?m\.?|u\b|uur\b|h\b|hrs\b)|\b\d{1,2}:\d{2}\b|\b\d{1,2}\s*(?:a\.m\.|p\.m\.|am|pm)\b",
        r"\+\d[\d\s()-]{6,}\d|\b\d{2,4}[-\s]\d{3}[-\s]\d{3,4}\b|\b\d{1,4}(?:-\d{2,4}){2,}\b",  # phone numbers
        r"\b\d+/\d+(?:/\d+)?\b",  # 24/7, 12/05/2019
        r"(?m:^)\s*\d{1,2}[.)](?=\s)",  # list numbering
        r"\b(?:[A-Z]+-?\d+[A-Za-z]*|\d+[A-Z]{2,}\w*)\b",  # G20, COVID-19, SP4ALL, 4G; identifiers
    ])
)
REFERENCE_BEFORE = EndPattern(
    r"(?:\b(?:No|Nos|nr|nrs|paragraph|paragraphs|para|p|pp|page|pages|section|sections|article|articles|art|"
    r"chapter|clause|rule|room|box|tel|phone|fax|ext|version|level|grade|step|point|item|goal|target|SDG|"
    r"phase|stage|round|wave|part|volume|vol|annex|appendix|module|pillar|tier|priority|number|fase|bijlage|deel|"
    r"Convention|Conventions|Recommendation|Recommendations|Protocol|verdrag|Verdrag|aanbeveling|Aanbeveling|"
    r"artikel|hoofdstuk|pagina|blz|punt|postcode|Law|Act|Decree|Resolution|Session|session|wet|Wet)\.?|[#№§])",
    re.I,
)
AGE_BEFORE = EndPattern(r"\b(?:under|below|over|above|aged|age|ages|younger than|older than|onder|boven|jonger dan|"
                        r"ouder dan)", re.I)
AGE_AFTER = re.compile(r"^\s*(?:years?\s+old|years?\s+of\s+age|yrs?\b|years?\b|y\b|yo\b|jaar\b|-?plus\b|\+)", re.I)
YEAR_BEFORE = EndPattern(r"\b(?:in|since|by|until|till|from|of|to|during|before|after|year|sinds|vanaf|voor|na|tot|"
                         r"jaar|tegen|early|late|mid|end|begin)", re.I)
YEAR_SHAPE = re.compile(r"(?:1[89]|20)\d\d")

WEB_START = re.compile(r"http|www\.|#")
MONTH_INITIALS = frozenset("JFMASONDjfmasond")
LONGEST_MONTH = len("September.")


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
