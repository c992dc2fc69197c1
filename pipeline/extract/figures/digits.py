"""Figures written in digits: the number with its currency sign and magnitude ("€1.5 million", "12k"), the year
test, ranges ("10-15 workers", "between 2 and 3 million"), and the unit and qualifier around it."""

from __future__ import annotations

import re

from pipeline.extract.figures.candidates import Raw, digit_runs
from pipeline.extract.figures.never import AGE_AFTER, AGE_BEFORE, REFERENCE_BEFORE, YEAR_BEFORE, YEAR_SHAPE
from pipeline.extract.figures.qualifiers import qualifier
from pipeline.extract.figures.units import (
    CURRENCY,
    CURRENCY_BEFORE,
    CURRENCY_SIGNS,
    PERCENT,
    is_plural,
    noun_after,
    unit_after,
)
from pipeline.extract.figures.values import DIGITS, MAGNITUDE_ABBREVIATIONS, MAGNITUDE_WORDS, MAGNITUDES, parse_digits
from pipeline.extract.lexicon import alternation
from pipeline.extract.tails import EndPattern, max_width
from pipeline.vocab import words

NUMBER = re.compile(
    rf"(?<![\w.,/@#])(?<![A-Za-z]-)(?:(?P<cur_pre>{CURRENCY_SIGNS})\s?)?(?P<num>{DIGITS})"
    rf"(?:\s?(?P<mag>{alternation(MAGNITUDE_ABBREVIATIONS)})\b|(?![\w]|[.,]\d))"
    rf"(?:\s+(?P<magw>{alternation(MAGNITUDE_WORDS)})\b)?"
)
# A NUMBER match starts at a run of digits, or at a currency sign at most CURRENCY_REACH characters before one.
CURRENCY_REACH = max_width(rf"(?:{CURRENCY_SIGNS})\s?")
CURRENCY_FIRST = frozenset(sign[0] for sign in CURRENCY_BEFORE)
# Two numbers joined by a dash or a range word are a range ("10-15", "10 to 15"); by an "and" word only after
# a "between" word ("between 2 and 3 million").
RANGE_AND = re.compile(r"\s*(?:" + alternation(words("range_and_words")) + r")\s*$")
RANGE_SEP = re.compile(r"^\s*(?:-|–|—|" + alternation(words("range_words") | words("range_and_words")) + r")\s*$")
BETWEEN_BEFORE = EndPattern(r"\b(?:" + alternation(words("between_words")) + ")", re.I)


def numbers(text: str, runs: list[int] | None = None) -> list[re.Match[str]]:
    """The matches of NUMBER.finditer(text), the pattern tried only where a match can start."""
    if CURRENCY_REACH is None:
        return list(NUMBER.finditer(text))
    # Its look-behinds come first, so the engine would try the whole pattern at every character.
    out = []
    last_end = 0
    for a in digit_runs(text) if runs is None else runs:
        for p in range(max(a - CURRENCY_REACH, last_end), a + 1):
            if (p == a or text[p] in CURRENCY_FIRST) and (m := NUMBER.match(text, p)) is not None:
                out.append(m)
                last_end = m.end()
                break
    return out


def _value(m: re.Match[str], lang: str) -> float:
    mag = m.group("mag") or m.group("magw")
    value = parse_digits(m.group("num"), lang, magnitude_follows=bool(mag))
    if mag:
        value *= MAGNITUDES[mag.lower()]
    return value


def digit_figures(text: str, lang: str, matches: list[re.Match[str]]) -> list[Raw]:
    """The figures of the NUMBER matches of a text (those outside never-a-figure spans), in order."""
    out: list[Raw] = []
    pending_low: tuple[re.Match[str], float] | None = None
    for i, m in enumerate(matches):
        before = text[max(0, m.start() - 30):m.start()]
        if REFERENCE_BEFORE.search(before):
            continue
        value = _value(m, lang)
        if AGE_BEFORE.search(before) and (AGE_AFTER.match(text[m.end():]) or not noun_after(text, m.end(), lang)[0]):
            continue
        if YEAR_SHAPE.fullmatch(m.group("num")) and not m.group("cur_pre"):
            unit, _, _, elided = unit_after(text, m.end(), lang, None)
            if elided or unit in ("years",) or unit[:1].isupper() or YEAR_BEFORE.search(before) or not (
                unit == "%" or unit in CURRENCY.values() or is_plural(unit.split()[-1], lang)
            ):
                continue  # a year
        # Ranges: "10-15 workers", "15 to 20.000 rupees": the low end waits for the high end's unit.
        nxt = matches[i + 1] if i + 1 < len(matches) else None
        if nxt is not None and RANGE_SEP.match(text[m.end():nxt.start()]) and (
            not RANGE_AND.match(text[m.end():nxt.start()]) or BETWEEN_BEFORE.search(before)
        ):
            pending_low = (m, value)
            continue
        unit, subject, end, elided = unit_after(text, m.end(), lang, m.group("cur_pre"))
        q, approx, qualifier_start = qualifier(text, m.start())
        start = m.start()
        if pending_low is not None:
            low_m, low = pending_low
            pending_low = None
            if low_m.end() <= m.start() and RANGE_SEP.match(text[low_m.end():m.start()]):
                if low < value / 100 and value >= 1000 and not (low_m.group("mag") or low_m.group("magw")):
                    # "15 to 20.000 rupees": the low end shares the high end's thousands.
                    low *= 10 ** (len(str(int(value))) - len(str(int(low))))
                elif (m.group("mag") or m.group("magw")) and not (low_m.group("mag") or low_m.group("magw")):
                    low *= MAGNITUDES[(m.group("mag") or m.group("magw")).lower()]
                q, approx, _ = qualifier(text, low_m.start())
                out.append(Raw(low_m.start(), max(end, m.end()), low, unit, subject, approx, q, low, value,
                               elided=elided))
                continue
        if q and start - len(q) - 1 >= 0:
            start = qualifier_start
        cur_end = m.end() if unit == "" or unit == "%" and subject is None else end
        if unit == "%":
            cur_end = PERCENT.match(text, m.end()).end()
            if subject:
                cur_end = text.find(subject, cur_end) + len(subject)
        out.append(Raw(start, max(cur_end, m.end()), value, unit, subject, approx, q, elided=elided))
    return out
