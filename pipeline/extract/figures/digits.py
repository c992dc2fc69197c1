"""Figures written in digits: the number with its currency sign and magnitude ("€1.5 million", "12k"), the year
test, ranges ("10-15 workers", "between 2 and 3 million"), and the unit and qualifier around it."""

from __future__ import annotations

import re

from pipeline.extract.figures.candidates import Raw, digit_runs
from pipeline.extract.figures.never import (
    AGE_AFTER,
    AGE_BEFORE,
    DECADE_BEFORE,
    RANK_BEFORE,
    REFERENCE_BEFORE,
    YEAR_BEFORE,
    YEAR_SHAPE,
    is_age,
    is_clock,
)
from pipeline.extract.figures.qualifiers import open_end, qualifier
from pipeline.extract.figures.units import (
    CURRENCY,
    CURRENCY_BEFORE,
    CURRENCY_CODES,
    CURRENCY_SIGNS,
    IRREGULAR_PLURALS,
    PERCENT,
    Found,
    is_plural,
    noun_after,
    partitive,
    unit_after,
)
from pipeline.extract.figures.values import (
    DIGITS,
    HALF_AFTER_MAGNITUDE,
    MAGNITUDE_ABBREVIATIONS,
    MAGNITUDE_AFTER_SIGN,
    MAGNITUDE_WORDS,
    MAGNITUDES,
    parse_digits,
)
from pipeline.extract.lexicon import alternation, rows
from pipeline.extract.tails import EndPattern, max_width
from pipeline.vocab import LANGUAGES, words

# A currency code glued after the number ("4.200MMK", "75PHP", "4USD"), upper case as codes are written.
GLUED_CODES = sorted({r["word"] for r in rows("units")
                      if r["kind"] == "currency" and re.fullmatch("[A-Z]{3}", r["word"])})


def _number_pattern(digits: str) -> re.Pattern[str]:
    return re.compile(
        rf"(?<![\w.,/@#])(?<![A-Za-z]-)(?:(?P<cur_pre>{CURRENCY_SIGNS})\s?)?(?P<num>{digits})"
        rf"(?:\s?(?P<mag>{alternation(MAGNITUDE_ABBREVIATIONS)})\b|(?P<magc>{alternation(MAGNITUDE_AFTER_SIGN)})\b"
        rf"(?(cur_pre)|(?=\s+(?:{alternation(IRREGULAR_PLURALS)}|[a-z]+s)\b))|(?P<code>{alternation(GLUED_CODES)})\b"
        rf"|(?![\w]|[.,]\d))"
        rf"(?:\s+(?P<magw>{alternation(MAGNITUDE_WORDS)})\b)?"
    )


NUMBER = _number_pattern(DIGITS)
NUMBER_OF = {lang: NUMBER for lang in LANGUAGES}
# A NUMBER match starts at a run of digits, or at a currency sign at most CURRENCY_REACH characters before one.
CURRENCY_REACH = max_width(rf"(?:{CURRENCY_SIGNS})\s?")
CURRENCY_FIRST = frozenset(sign[0] for sign in CURRENCY_BEFORE)
# Two numbers joined by a dash or a range word are a range ("10-15", "10 to 15"); by an "and" word only after
# a "between" word ("between 2 and 3 million").
RANGE_AND = re.compile(r"\s*(?:" + alternation(words("range_and_words")) + r")\s*$")
RANGE_SEP = re.compile(r"^\s*(?:-|–|—|" + alternation(words("range_words") | words("range_and_words")) + r")\s*$")
BETWEEN_BEFORE = EndPattern(r"\b(?:" + alternation(words("between_words")) + ")", re.I)
# An acronym right before a number makes it an identifier ("COVID 19", "ILO 138") unless it counts something.
ACRONYM_BEFORE = re.compile(r"(?:^|[^\w])[A-Z][A-Z]+[^\S\n]$")
# A capitalised word right before a number with nothing counted after it names the number ("Plot 4", "Gate 2").
NAME_BEFORE = re.compile(r"[^\w\s.:;!?\"“(][^\S\n]+[A-Z][a-z]+[^\S\n]$")
# French magnitudes take "de" before their noun ("9 millions de dollars", "quatre millions d'ouvriers").
DE_AFTER_MAGNITUDE = re.compile(r"\s+(?:de\s+(?=\w)|d['’](?=\w))")
ROUND_YEAR = 50  # "2000 workers" may be a count; "2026 priorities" is a year


def numbers(text: str, runs: list[int] | None = None, lang: str = "en") -> list[re.Match[str]]:
    """The matches of NUMBER_OF[lang].finditer(text), the pattern tried only where a match can start."""
    rx = NUMBER_OF.get(lang, NUMBER)
    if CURRENCY_REACH is None:
        return list(rx.finditer(text))
    # Its look-behinds come first, so the engine would try the whole pattern at every character.
    out = []
    last_end = 0
    for a in digit_runs(text) if runs is None else runs:
        for p in range(max(a - CURRENCY_REACH, last_end), a + 1):
            if (p == a or text[p] in CURRENCY_FIRST) and (m := rx.match(text, p)) is not None:
                out.append(m)
                last_end = m.end()
                break
    return out


def _magnitude(m: re.Match[str]) -> str | None:
    return m.group("mag") or m.group("magc") or m.group("magw")


def _value(m: re.Match[str], lang: str) -> float:
    mag = _magnitude(m)
    value = parse_digits(m.group("num"), lang, magnitude_follows=bool(mag))
    if mag:
        value *= MAGNITUDES[mag.lower()]
    return value


def _unit(text: str, m: re.Match[str], lang: str) -> tuple[Found, int, float]:
    """What the number counts, where the value's words end, and what a trailing half adds ("10 millions et demi")."""
    end, extra = m.end(), 0.0
    mag = m.group("magw")
    if mag and (half := HALF_AFTER_MAGNITUDE.get(lang)) and (h := half.match(text, end)):
        end, extra = h.end(), 0.5 * MAGNITUDES[mag.lower()]
    if m.group("code"):
        return Found(CURRENCY[m.group("code").lower()], m.group("code"), None, m.end(), False), end, extra
    pos = end
    if lang == "fr" and _magnitude(m) and (d := DE_AFTER_MAGNITUDE.match(text, end)):
        pos = d.end()
    found = unit_after(text, pos, lang, m.group("cur_pre"))
    if found.elided:  # "30 de ses pays": the noun after a partitive
        found = partitive(text, end, lang) or found._replace(end=end)
    return found, end, extra


def _counts_money(text: str, m: re.Match[str]) -> bool:
    """Is the number a percentage or an amount of money ("over 60% of members", "over $5")?"""
    return bool(m.group("cur_pre") or m.group("code") or PERCENT.match(text, m.end()))


def _is_year(m: re.Match[str], found: Found, before: str, value: float) -> bool:
    if not YEAR_SHAPE.fullmatch(m.group("num")) or m.group("cur_pre") or _magnitude(m):
        return False
    if found.elided or found.unit == "years" or found.text[:1].isupper() or YEAR_BEFORE.search(before):
        return True
    if found.unit == "%" or found.unit in CURRENCY_CODES:
        return False
    return value % ROUND_YEAR != 0 or not is_plural(found.text.split()[-1], "en" if found.text == found.unit else "")


def digit_figures(text: str, lang: str, matches: list[re.Match[str]]) -> list[Raw]:
    """The figures of the NUMBER matches of a text (those outside never-a-figure spans), in order."""
    out: list[Raw] = []
    pending_low: tuple[re.Match[str], float] | None = None
    skip = -1  # the high end of a range that is an age ("aged 5 to 17 years")
    for i, m in enumerate(matches):
        if m.start() == skip:
            continue
        before = text[max(0, m.start() - 30):m.start()]
        if REFERENCE_BEFORE.search(before) or DECADE_BEFORE.search(before) and re.fullmatch(r"\d0", m.group("num")):
            continue
        value = _value(m, lang)
        # Ranges: "10-15 workers", "15 to 20.000 rupees": the low end waits for the high end's unit.
        nxt = matches[i + 1] if i + 1 < len(matches) else None
        in_range = nxt is not None and RANGE_SEP.match(text[m.end():nxt.start()]) and (
            not RANGE_AND.match(text[m.end():nxt.start()]) or BETWEEN_BEFORE.search(before))
        if AGE_BEFORE.search(before) and (AGE_AFTER.match(text[m.end():m.end() + 30])
                                          or not noun_after(text, m.end(), lang)[0]) and not _counts_money(text, m):
            if in_range:  # "aged 12 to 15 years": both ends
                skip = nxt.start()
            continue
        if in_range:
            if is_age(text, m.start(), nxt.end(), lang):
                skip = nxt.start()
            else:
                pending_low = (m, value)
            continue
        found, value_end, extra = _unit(text, m, lang)
        value += extra
        if pending_low is None and _is_year(m, found, before, value):
            continue
        if pending_low is None and (is_clock(text, m.start(), m.end()) or found.elided and RANK_BEFORE.search(before)):
            continue
        if pending_low is None and found.unit not in ("%", *CURRENCY_CODES) and is_age(
                text, m.start(), m.end(), lang, counted=not found.elided):
            continue
        counts = found.unit == "%" or found.unit in CURRENCY_CODES or bool(found.text) and is_plural(
            found.text.split()[-1], lang)
        if not m.group("cur_pre") and (found.elided or not counts) and (
                ACRONYM_BEFORE.search(before) or found.elided and NAME_BEFORE.search(before)):
            continue  # "COVID 19", "(ILO 138)", "Plot 4": a name, not a quantity
        q, approx, qualifier_start = qualifier(text, m.start())
        if q is None and (q := open_end(text, value_end, lang)) is not None:  # "10 or more employees"
            approx, qualifier_start = True, m.start()
        start = m.start()
        if pending_low is not None:
            low_m, low = pending_low
            pending_low = None
            if low_m.end() <= m.start() and RANGE_SEP.match(text[low_m.end():m.start()]):
                if low < value / 100 and value >= 1000 and not _magnitude(low_m):
                    # "15 to 20.000 rupees": the low end shares the high end's thousands.
                    low *= 10 ** (len(str(int(value))) - len(str(int(low))))
                elif _magnitude(m) and not _magnitude(low_m):
                    low *= MAGNITUDES[_magnitude(m).lower()]
                q, approx, _ = qualifier(text, low_m.start())
                out.append(Raw(low_m.start(), max(found.end, value_end), low, found.unit, found.subject, approx, q,
                               low, value, elided=found.elided, unit_text=found.text))
                continue
        if q and start - len(q) - 1 >= 0:
            start = min(start, qualifier_start)
        end = max(found.end, value_end)
        if found.unit == "%":
            end = PERCENT.match(text, value_end).end()
            if found.subject:
                end = text.find(found.subject, end) + len(found.subject)
        elif found.unit == "" or found.subject is None and not found.text:
            end = value_end
        out.append(Raw(start, end, value, found.unit, found.subject, approx, q, elided=found.elided,
                       unit_text=found.text, number_start=m.start()))
    return out
