"""Figures written in words: shares ("two thirds women"), orders of magnitude ("thousands of workers",
"duizenden mensen") and number words ("twenty-five members", "vijfentwintig leden")."""

from __future__ import annotations

import re
from collections.abc import Iterator

from pipeline.extract.casing import lowered
from pipeline.extract.figures.candidates import Raw, inside
from pipeline.extract.figures.never import AGE_AFTER, AGE_BEFORE, REFERENCE_BEFORE
from pipeline.extract.figures.qualifiers import qualifier
from pipeline.extract.figures.units import PERCENT, STOP_AFTER, noun_after, unit_after
from pipeline.extract.figures.values import (
    AFTER_ONE_EN,
    COMPOUND_NL_PATTERN,
    DOZENS_EN,
    MAGNITUDES,
    MAGNITUDES_AFTER_WORDS,
    MULTIPLIERS_EN,
    ONES_EN,
    PLURAL_MAGNITUDE_LEADS,
    PLURAL_MAGNITUDE_WORDS,
    PLURAL_MAGNITUDE_WORDS_EN,
    SHARE_WORDS,
    TENS_EN,
    UNITS_EN,
    UNITS_NL,
    word_number,
)
from pipeline.extract.lexicon import alternation

# The literals of these case-insensitive patterns are all lower case (see LOWER_TWINS).
WORD_NUMBER = re.compile(
    rf"(?<![\w-])(?:(?:{alternation([*UNITS_EN, *TENS_EN])})"
    rf"(?:-(?:{alternation(w for w, v in UNITS_EN.items() if v < 10)}))?(?:\s+(?:{alternation(MULTIPLIERS_EN)}))?|"
    rf"(?:{alternation(ONES_EN)})\s+(?:{alternation(AFTER_ONE_EN)})|{alternation(DOZENS_EN)}|"
    rf"{alternation(UNITS_NL)}|{COMPOUND_NL_PATTERN})(?![\w-])",
    re.I,
)
PLURAL_MAGNITUDE = re.compile(
    rf"(?<![\w-])(?:(?P<lead>{alternation(PLURAL_MAGNITUDE_LEADS)})\s+of\s+)?"
    rf"(?P<head>{alternation(PLURAL_MAGNITUDE_WORDS)})(?:\s+of)?(?![\w-])", re.I
)
SHARE = re.compile(rf"(?<![\w-])({alternation(SHARE_WORDS)})(?![\w-])", re.I)
SHARE_GROUP_AFTER = re.compile(r"^\s+(?:of\s+(?:the\s+|them\s+)?|van\s+de\s+)?(?P<g>[a-z][\w-]*(?:\s+under\s+\d+"
                               r"(?:\s*years?|y)?)?)", re.I)
WORD_MAGNITUDE = re.compile(rf"\s+({alternation(MAGNITUDES_AFTER_WORDS)})\b", re.I)


def _needles(phrases: list[str]) -> tuple[str, ...]:
    """Words of which every phrase holds one: the last words of the phrases, less those that hold another."""
    last = {phrase.split()[-1] for phrase in phrases}
    return tuple(sorted(w for w in last if not any(other != w and other in w for other in last)))


# Case-sensitive twins of the case-insensitive word patterns, for lower-cased text: scanning with
# IGNORECASE is several times slower.
LOWER_TWINS = {rx: re.compile(rx.pattern) for rx in (SHARE, PLURAL_MAGNITUDE, WORD_NUMBER)}
# Every match of these holds one of the words: most texts have none, and `in` settles that cheaply.
NEEDLES = {SHARE: _needles(list(SHARE_WORDS)), PLURAL_MAGNITUDE: tuple(PLURAL_MAGNITUDE_WORDS)}


def _finditer_ci(rx: re.Pattern[str], text: str, low: str | None) -> Iterator[re.Match[str]]:
    """rx.finditer(text) for an IGNORECASE pattern with lower-case literals, scanned on the lowered text."""
    if low is None:
        yield from rx.finditer(text)
        return
    if rx in NEEDLES and not any(word in low for word in NEEDLES[rx]):
        return
    for m in LOWER_TWINS[rx].finditer(low):
        found = rx.match(text, m.start())
        if found is not None:
            yield found


def word_figures(text: str, lang: str, blocked: list[tuple[int, int]], digits: list[Raw]) -> list[Raw]:
    """The figures in words of a text, outside the blocked spans and the figures in digits already found."""
    taken = [(r.start, r.end) for r in digits]
    out: list[Raw] = []
    lowered_text = lowered(text)
    for m in _finditer_ci(SHARE, text, lowered_text):
        if inside(blocked + taken, m.start(), m.end()):
            continue
        g = SHARE_GROUP_AFTER.match(text[m.end():])
        group = g.group("g") if g else None
        if not group or group.lower() in STOP_AFTER:
            continue
        end = m.end() + g.end()
        out.append(Raw(m.start(), end, round(SHARE_WORDS[m.group(1).lower()], 1), "%", group, is_share=True))
        taken.append((m.start(), end))
    for m in _finditer_ci(PLURAL_MAGNITUDE, text, lowered_text):
        if inside(blocked + taken, m.start(), m.end()):
            continue
        word = m.group("head").lower()
        if lang == "en" and word not in PLURAL_MAGNITUDE_WORDS_EN:
            continue
        if not m.group(0).lower().rstrip().endswith(" of") and lang == "en":
            continue
        unit, subject, end = noun_after(text, m.end(), lang)
        if unit is None:
            continue
        lead = m.group("lead")
        value = PLURAL_MAGNITUDE_WORDS[word] * (PLURAL_MAGNITUDE_LEADS[lead.lower()] if lead else 1)
        out.append(Raw(m.start(), end, value, unit, subject, True, m.group(0).split()[0].lower()))
        taken.append((m.start(), end))
    for m in _finditer_ci(WORD_NUMBER, text, lowered_text):
        if inside(blocked + taken, m.start(), m.end()):
            continue
        words = m.group(0).split()
        parsed = word_number(words, lang)
        if parsed is None:
            continue
        if lang == "en" and words[0].lower() in UNITS_NL and words[0].lower() not in UNITS_EN:
            continue
        if lang == "nl" and words[0].lower() in (*UNITS_EN, *TENS_EN) and words[0].lower() not in UNITS_NL:
            continue
        value = parsed[0]
        end_words = m.end()
        mag = WORD_MAGNITUDE.match(text, end_words)
        if mag:
            value *= MAGNITUDES[mag.group(1).lower()]
            end_words = mag.end()
        after = text[end_words:]
        if re.match(r"\s*(?:of\s+(?:the|them|us|our|their|these|those)\b|-?(?:year|day|month|week)-old\b)", after):
            continue  # "two of them" is still a count, but "four of the" usually starts a phrase about others
        before = text[max(0, m.start() - 30):m.start()]
        if REFERENCE_BEFORE.search(before) or AGE_BEFORE.search(before) and AGE_AFTER.match(after):
            continue
        unit, subject, end, elided = unit_after(text, end_words, lang, None)
        if unit == "%" or PERCENT.match(after):
            continue
        if re.match(r"\s*[-–]\s*\w", after) and not unit:
            continue
        q, approx, _ = qualifier(text, m.start())
        out.append(Raw(m.start(), max(end, end_words), value, unit, subject, approx, q, elided=elided))
        taken.append((m.start(), end))
    return out
