"""Figures written in words: shares ("two thirds women"), orders of magnitude ("thousands of workers",
"duizenden mensen", "des milliers de personnes") and numbers in words ("twenty-five members", "vijfentwintig
leden", "Quatre-vingt-trois pour cent", "een half miljoen arbeiders"), each language with its own words."""

from __future__ import annotations

import re
from collections.abc import Iterator

from pipeline.extract.casing import lowered
from pipeline.extract.figures.candidates import Raw, inside
from pipeline.extract.figures.never import AGE_AFTER, AGE_BEFORE, RANK_BEFORE, REFERENCE_BEFORE, is_age, is_clock
from pipeline.extract.figures.numwords import JOINERS, ONES, TOKEN_OF, WORD_NUMBER_OF, word_value
from pipeline.extract.figures.qualifiers import open_end, qualifier
from pipeline.extract.figures.units import PARTITIVE_OF, STOP_AFTER_ANY, SUFFIX_UNITS, Found, partitive, unit_after
from pipeline.extract.figures.values import (
    MAGNITUDES,
    MAGNITUDES_AFTER_WORDS,
    PLURAL_MAGNITUDE_LEADS,
    PLURAL_MAGNITUDE_WORDS,
    SHARE_WORDS,
    plural_magnitudes,
)
from pipeline.extract.lexicon import alternation
from pipeline.vocab import LANGUAGES, words

SHARE = re.compile(rf"(?<![\w-])({alternation(SHARE_WORDS)})(?![\w-])", re.I)
SHARE_GROUP_AFTER = re.compile(r"^\s+(?:of\s+(?:the\s+|them\s+)?|van\s+de\s+|des\s+|de\s+|d['’])?"
                               r"(?P<g>[a-zà-ÿ][\w-]*(?:\s+under\s+\d+"
                               r"(?:\s*years?|y)?)?)", re.I)
SHARE_OF_NUMBER = re.compile(r"\s+(?:of\s+the|of|van\s+de|des|de\s+ces)\s+\d", re.I)
# "hundreds of workers" (English: "of" after the head), "duizenden mensen", "des milliers de personnes".
_OF = {"en": r"\s+of", "fr": r"\s+(?:de|d['’])", "nl": ""}
PLURAL_MAGNITUDE_OF = {
    lang: re.compile(
        rf"(?<![\w-])(?:(?P<lead>{alternation(leads)}){_OF.get(lang, '')}\s+)?(?P<head>{alternation(heads)})"
        rf"(?:{_OF.get(lang, '')})(?![\w-])", re.I)
    for lang in LANGUAGES if (heads := plural_magnitudes(lang, "head")) and (leads := plural_magnitudes(lang, "lead")
                                                                               or ["\x00"])
}
# A number in words glued to a unit ("tweedaagse": two days).
SUFFIXED_OF = {lang: re.compile(rf"(?<![\w-])(?P<n>{TOKEN_OF[lang]})(?P<suffix>{alternation(SUFFIX_UNITS[lang])})"
                                r"(?![\w-])", re.I)
               for lang in LANGUAGES if SUFFIX_UNITS[lang] and TOKEN_OF.get(lang)}
# Words before "one" that make it a pronoun or a determiner, not a count ("no one", "the one").
PRONOUN_BEFORE = re.compile(r"\b(?:" + alternation(words("one_pronoun_before")) + r")\s+$", re.I)
MAGNITUDE_AFTER = re.compile(r"\s+(?:" + alternation(MAGNITUDES_AFTER_WORDS) + r")\b", re.I)
AND_BEFORE = re.compile(r"\b(?:" + alternation(w for lang in LANGUAGES for w in JOINERS[lang] if w.isalpha())
                        + r")\s+$", re.I)
YEAR_OLD_AFTER = re.compile(r"\s*-?(?:year|day|month|week)s?-old\b|\s*(?:jarige?|jaar\s+oud)\b", re.I)


def _needles(phrases: list[str]) -> tuple[str, ...]:
    """Words of which every phrase holds one: the last words of the phrases, less those that hold another."""
    last = {phrase.split()[-1] for phrase in phrases}
    return tuple(sorted(w for w in last if not any(other != w and other in w for other in last)))


PATTERNS = [SHARE, *PLURAL_MAGNITUDE_OF.values(), *(rx for rx in WORD_NUMBER_OF.values() if rx is not None),
            *SUFFIXED_OF.values()]
# Case-sensitive twins of the case-insensitive word patterns, for lower-cased text: scanning with
# IGNORECASE is several times slower.
LOWER_TWINS = {rx: re.compile(rx.pattern) for rx in PATTERNS}
# Every match of these holds one of the words: most texts have none, and `in` settles that cheaply.
NEEDLES = {SHARE: _needles(list(SHARE_WORDS)),
           **{rx: tuple(plural_magnitudes(lang, "head")) for lang, rx in PLURAL_MAGNITUDE_OF.items()}}


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


def _search_ci(rx: re.Pattern[str], text: str, low: str | None, pos: int) -> re.Match[str] | None:
    """rx.search(text, pos) for an IGNORECASE pattern with lower-case literals, scanned on the lowered text."""
    if low is None:
        return rx.search(text, pos)
    twin = LOWER_TWINS[rx]
    while (m := twin.search(low, pos)) is not None:
        found = rx.match(text, m.start())
        if found is not None:
            return found
        pos = m.start() + 1
    return None


def _shares(text: str, low: str | None, blocked: list[tuple[int, int]], taken: list[tuple[int, int]]) -> list[Raw]:
    out = []
    for m in _finditer_ci(SHARE, text, low):
        if (inside(blocked + taken, m.start(), m.end()) or AND_BEFORE.search(text, max(0, m.start() - 6), m.start())
                or MAGNITUDE_AFTER.match(text, m.end())):
            continue  # "three and a half weeks", "een half miljoen" are numbers
        g = SHARE_GROUP_AFTER.match(text[m.end():])
        group = g.group("g") if g else None
        if (not group or group.lower() in STOP_AFTER_ANY) and SHARE_OF_NUMBER.match(text, m.end()):
            group, end = None, m.end()  # "two thirds of the 3.5 million workers": a share of the count after it
        elif not group or group.lower() in STOP_AFTER_ANY:
            continue
        else:
            end = m.end() + g.end()
        out.append(Raw(m.start(), end, round(SHARE_WORDS[m.group(1).lower()], 1), "%", group, is_share=True,
                       unit_text=m.group(1)))
        taken.append((m.start(), end))
    return out


def _plural_magnitudes(text: str, lang: str, low: str | None, blocked: list[tuple[int, int]],
                       taken: list[tuple[int, int]]) -> list[Raw]:
    out = []
    rx = PLURAL_MAGNITUDE_OF.get(lang)
    for m in _finditer_ci(rx, text, low) if rx is not None else ():
        if inside(blocked + taken, m.start(), m.end()):
            continue
        found = unit_after(text, m.end(), lang, None)
        if found.elided or found.unit == "%":
            continue
        lead = m.group("lead")
        value = PLURAL_MAGNITUDE_WORDS[m.group("head").lower()] * (PLURAL_MAGNITUDE_LEADS[lead.lower()] if lead else 1)
        out.append(Raw(m.start(), found.end, value, found.unit, found.subject, True, m.group(0).split()[0].lower(),
                       unit_text=found.text))
        taken.append((m.start(), found.end))
    return out


def _unit(text: str, start: int, end: int, phrase: str, lang: str) -> Found:
    found = partitive(text, end, lang)
    if found is not None:
        return found
    pos = end
    if lang == "fr" and phrase.split()[-1].lower() in MAGNITUDES and (d := re.match(r"\s+(?:de\s+|d['’])", text[end:])):
        pos = end + d.end()  # "quatre millions d'ouvriers"
    single = len(phrase.split()) == 1 and "-" not in phrase
    found = unit_after(text, pos, lang, None, most=1 if single and phrase.lower() in ("one", "één") else 3)
    return found._replace(end=end) if found.elided else found


def _is_counted(text: str, start: int, end: int, phrase: str, found: Found, lang: str) -> bool:
    """Is this number in words a quantity here (not "one of", "no one", an age, a time, a reference)?"""
    first = phrase.split()[0].lower()
    single = len(phrase.split()) == 1 and "-" not in phrase
    if single and first in ONES.get(lang, {}):
        return False  # "een", "un", "a": an article
    value_one = single and first in ("one", "één")
    if value_one and PRONOUN_BEFORE.search(text[max(0, start - 12):start]):
        return False
    if value_one and (found.elided or PARTITIVE_OF.get(lang) and PARTITIVE_OF[lang].match(text, end)):
        return False  # "one of the ...", "één van": not a count
    after = text[end:]
    if YEAR_OLD_AFTER.match(after):
        return False
    before = text[max(0, start - 30):start]
    if REFERENCE_BEFORE.search(before) or AGE_BEFORE.search(before) and AGE_AFTER.match(after):
        return False
    if is_age(text, start, end, lang, counted=not found.elided) or is_clock(text, start, end):
        return False
    if found.elided and RANK_BEFORE.search(before):
        return False  # "placed in five": a rank
    return not (re.match(r"\s*[-–]\s*\w", after) and not found.unit)


def word_figures(text: str, lang: str, blocked: list[tuple[int, int]], digits: list[Raw]) -> list[Raw]:
    """The figures in words of a text, outside the blocked spans and the figures in digits already found."""
    taken = [(r.start, r.end) for r in digits]
    low = lowered(text)
    out = _shares(text, low, blocked, taken) + _plural_magnitudes(text, lang, low, blocked, taken)
    rx = SUFFIXED_OF.get(lang)
    for m in _finditer_ci(rx, text, low) if rx is not None else ():
        if inside(blocked + taken, m.start(), m.end()) or (parsed := word_value(m.group("n"), lang)) is None:
            continue
        unit = SUFFIX_UNITS[lang][m.group("suffix").lower()]
        out.append(Raw(m.start(), m.end(), parsed[0], unit, unit, unit_text=m.group("suffix"), in_words=True))
        taken.append((m.start(), m.end()))
    rx = WORD_NUMBER_OF.get(lang)
    pos = 0
    while rx is not None and (m := _search_ci(rx, text, low, pos)) is not None:
        parsed = word_value(m.group(0), lang)
        # What the words after a number give back ("two and three": "two", then "three") is scanned again.
        pos = m.start() + parsed[1] if parsed is not None and parsed[1] < len(m.group(0)) else m.end()
        if parsed is None or inside(blocked + taken, m.start(), m.start() + parsed[1]):
            continue
        value, length = parsed
        end = m.start() + length
        phrase = text[m.start():end]
        found = _unit(text, m.start(), end, phrase, lang)
        if not _is_counted(text, m.start(), end, phrase, found, lang):
            continue
        q, approx, q_start = qualifier(text, m.start())
        if q is None and (q := open_end(text, end, lang)) is not None:  # "ten or more employees"
            approx, q_start = True, m.start()
        start = q_start if q else m.start()
        out.append(Raw(start, max(found.end, end), value, found.unit, found.subject, approx, q, elided=found.elided,
                       unit_text=found.text, in_words=True, number_start=m.start()))
        taken.append((m.start(), max(found.end, end)))
    return out

