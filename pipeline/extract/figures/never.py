"""What is never a figure: URLs, e-mails, hashtags, dates, times, year ranges, phone numbers and identifiers
(spans of the text), and numbers after a reference word ("paragraph 41"), an age word ("under 35") or a year
word ("since 2019")."""

from __future__ import annotations

import re

from pipeline.extract.figures.candidates import digit_runs
from pipeline.extract.lexicon import alternation
from pipeline.extract.tails import EndPattern
from pipeline.vocab import table, words

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
# Words between two days of a month ("8 until 10 June"): the year range words, which also join days.
DAY_RANGE_WORDS = alternation(words("year_range_words") | words("range_words"))
# Currency codes (three capitals) that may be glued to an amount: "4.200MMK", "EUR2.5m".
CODES = alternation({r["word"] for r in table("units")
                     if r["kind"] == "currency" and re.fullmatch("[A-Z]{3}", r["word"])})
NEVER = re.compile(
    "|".join([
        r"https?://\S+|www\.\S+|\S+@\S+\.\w+",  # URLs and e-mails
        r"#\w+",  # hashtags
        # The rest all start at a run of digits, at a '+', a month name or a line start in the white space
        # before one, or at the capitals before one ("G20"): see _starts.
        # 12-14 June, "from 8 until 10th of June", "du 3 au 5 mars"
        rf"\b\d{{1,2}}(?:st|nd|rd|th|de|e|er)?\s*(?:[-–]|(?:{DAY_RANGE_WORDS})\s)\s*\d{{1,2}}(?:st|nd|rd|th|de|e|er)?"
        rf"\s+(?:of\s+)?{MONTHS}(?:,?\s+(?:19|20)\d\d)?",
        rf"\b{MONTHS}\s+\d{{1,2}}\s*[-–]\s*\d{{1,2}}\b",  # June 12-14
        rf"\b\d{{1,2}}(?:st|nd|rd|th|de|e|er)?\s+(?:of\s+)?{MONTHS}(?:,?\s+(?:19|20)\d\d)?",  # 16 June 2011, 1er mai
        rf"\b{MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+(?:19|20)\d\d)?\b",  # June 16, 2011
        rf"\b{MONTHS}\s+(?:19|20)\d\d\b",  # May 2018
        # 2022 - 2024, 2023 24
        rf"\b(?:19|20)\d\d\s*(?:[-–—/]|{YEAR_RANGE_WORDS})?\s*(?:(?:19|20)\d\d|\d\d)\b(?!\s*%)",
        rf"\b\d{{1,2}}[:.]\d{{2}}\s*(?:{AFTER_TIME})|\b\d{{1,2}}:\d{{2}}\b|\b\d{{1,2}}\s*(?:{AFTER_HOUR})\b",  # times
        r"\+\d[\d\s()-]{6,}\d|\b\d{2,4}[-\s]\d{3}[-\s]\d{3,4}\b|\b\d{1,4}(?:-\d{2,4}){2,}\b",  # phone numbers
        r"\b0\d{1,3}(?:[\s/.-]\d{2,4}){2,}\b",  # phone numbers with a trunk zero: "02 246 31 11", "0470/12.34.56"
        r"\b\d+/\d+(?:/\d+)?\b",  # 24/7, 12/05/2019
        r"(?m:^)\s*\d{1,2}[.)](?=\s)",  # list numbering
        r"(?<=\[)\d{1,3}\]",  # footnote markers: "[1]"
        r"(?<=['’])\d\d\b",  # a decade or year cut short: "jaren ’80", "class of '98"
        r"\b\d+\.(?=[^\W\d])",  # digits glued to a word by a period, in a name: "11.groepen"
        r"\b\d{1,4}\s(?:er|re|ère|ème|eme|e)\b(?=\s+\w)",  # French ordinals spaced as a PDF gives them: 101 e
        r"\b\d{4}(?:\s\d{4}){2,}\b",  # account numbers in groups of four (an IBAN's country and check digits
        # are an identifier: see the last pattern)
        # G20, COVID-19, SP4ALL, 4G; identifiers, but not an amount with its currency code glued ("EUR2.5m", "75PHP")
        rf"\b(?:(?!(?:{CODES})\d)[A-Z]+-?\d+[A-Za-z]*|\d+(?!(?:{CODES})\b)[A-Z]{{2,}}\w*)\b",
    ])
)
# Words before a number (case-insensitive): a reference ("paragraph 41", "p. 47", "§ 3"), an age ("under 35")
# when an age word follows it ("years old", "+"), and a year ("since 2019").
REFERENCE_BEFORE = EndPattern(r"(?:\b(?:" + alternation(words("reference_before")) + r")\.?|[#№§])", re.I)
AGE_BEFORE = EndPattern(r"\b(?:" + alternation(words("age_before")) + ")", re.I)
AGE_AFTER = re.compile(r"^\s*(?:" + alternation(words("age_after"), space=r"\s+", boundary=True) + r"|\+)", re.I)
YEAR_BEFORE = EndPattern(r"\b(?:" + alternation(words("year_before")) + ")", re.I)
YEAR_SHAPE = re.compile(r"(?:1[89]|20)\d\d")
# "jaren 80 en 90", "les années 90": decades (two digits ending in 0 after a decade word and the list it opens).
DECADE_BEFORE = EndPattern(r"\b(?:" + alternation(words("decade_before")) + r")(?:\s+['’]?\d0\s*(?:,|-|–|"
                           + alternation(words("range_and_words") | words("range_words")) + r"))*\s+['’]?", re.I)
# A rank: "ranked ninth", "placed in five", "op plaats 3", "classé au rang 12" (when the number counts nothing).
RANK_BEFORE = EndPattern(r"\b(?:" + alternation(words("rank_before")) + ")", re.I)
# A clock time: "om 8 uur", "à 8 heures", "à 8h30" (the word before, the hour word after).
CLOCK_BEFORE = EndPattern(r"(?:^|(?<=\s))(?:" + alternation(words("clock_before")) + ")", re.I)
HOUR_AFTER = re.compile(r"(?:[:.h]\d\d)?\s*(?:" + alternation(words("clock_words"), boundary=True) + ")", re.I)
# An age: a number of years after a person noun and the words that link them ("kinderen tussen tien en veertien
# jaar", "enfants de moins de 15 ans", "children aged 5 to 14 years"), or shortly after an age word ("minimum
# leeftijd werk 15 jaar").
AGE_NOUN_BEFORE = re.compile(r"\b(?:" + alternation(words("age_nouns")) + r")\s+(?:(?:" + alternation(
    words("age_links"), space=r"\s+") + r")\s+){0,4}$", re.I)
AGE_WORD_BEFORE = re.compile(r"\b(?:" + alternation(words("age_words")) + r")\b[^.;:!?\n()\d]{0,25}$", re.I)
AGE_REACH = 80
HOURS_IN_A_DAY = 24
# "45 years old", "a 45-year-old worker", "45 jaar oud": an age whatever comes before.
AGE_ALWAYS_AFTER = re.compile(r"\s*-?(?:" + alternation(words("age_always_after"), space=r"[\s-]+", boundary=True)
                              + ")", re.I)


def is_age(text: str, start: int, end: int, lang: str, counted: bool = True) -> bool:
    """Is the number (or range) at [start, end) an age: years after a person noun or an age word, or a number
    that counts nothing after an age word ("under the age of 30")?"""
    if AGE_ALWAYS_AFTER.match(text, end):
        return True
    years = bool(AGE_AFTER.match(text[end:end + 30]))
    if not years and counted:
        return False
    before = text[max(0, start - AGE_REACH):start]
    return bool(AGE_WORD_BEFORE.search(before) or years and AGE_NOUN_BEFORE.search(before))


def is_clock(text: str, start: int, end: int) -> bool:
    """Is the number at [start, end) an hour of the day ("om 8 uur", "à 8 heures"; not "jusqu'à 60 heures")?"""
    number = re.match(r"\d+", text[start:end])
    return bool((number is None or int(number.group(0)) <= HOURS_IN_A_DAY)
                and CLOCK_BEFORE.search(text[max(0, start - 12):start]) and HOUR_AFTER.match(text, end))


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
