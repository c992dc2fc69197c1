"""What a number is worth: digit formats (thousands and decimal marks by shape and language), magnitudes,
number words in English and Dutch, plural magnitudes ("thousands of") and shares ("two thirds")."""

from __future__ import annotations

import re

from pipeline.extract.lexicon import alternation, mapping, rows

# Digits with thousands groups ("900.000", "1,100", "2 500 000" is not accepted: spaces are too ambiguous),
# or plain digits with an optional decimal part.
DIGITS = r"\d{1,3}(?:[.,]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?"

# Every magnitude word by its lower case ("M" and "m" alike), with its value.
MAGNITUDES: dict[str, float] = mapping("magnitudes", lambda r: r["word"].lower(), lambda r: float(r["value"]))
# Written right after the digits ("12k", "175M", "3 bn"), and after white space ("2.5 million"), exactly as
# in the table; and after a number in words ("twee miljoen"), in any case.
MAGNITUDE_ABBREVIATIONS = tuple(r["word"] for r in rows("magnitudes") if r["after_digits"] == "abbrev")
MAGNITUDE_WORDS = tuple(r["word"] for r in rows("magnitudes") if r["after_digits"] == "word")
MAGNITUDES_AFTER_WORDS = tuple(r["word"] for r in rows("magnitudes") if r["after_words"] == "yes")


def _number_words(lang: str, *kinds: str) -> dict[str, int]:
    """The number words of a language of the given kinds, by lower case, with their values."""
    return {r["word"].lower(): int(r["value"]) for r in rows("number_words", lang) if r["kind"] in kinds}


UNITS_EN = _number_words("en", "unit")
TENS_EN = _number_words("en", "ten")
MULTIPLIERS_EN = _number_words("en", "multiplier")
ONES_EN = _number_words("en", "one")
DOZENS_EN = _number_words("en", "dozen")
AFTER_ONE_EN = {**MULTIPLIERS_EN, **DOZENS_EN}  # "a hundred", "one dozen"
# In Dutch, "honderd" and "duizend" stand alone too (they are units as well as multipliers).
UNITS_NL = _number_words("nl", "unit", "ten")
TENS_NL = _number_words("nl", "ten")
MULTIPLIERS_NL = _number_words("nl", "multiplier")
# "vijfentwintig", "eenendertig": a unit below ten (or een), "en" ("ën" after an e), a ten.
COMPOUND_UNITS_NL = {**_number_words("nl", "one"), **{w: v for w, v in _number_words("nl", "unit").items() if v < 10}}
COMPOUND_NL_PATTERN = rf"(?:{alternation(COMPOUND_UNITS_NL)})(?:ën|en)(?:{alternation(TENS_NL)})"
COMPOUND_NL = re.compile(rf"({alternation(COMPOUND_UNITS_NL)})(?:ën|en)({alternation(TENS_NL)})")

# "hundreds of workers", "duizenden mensen": an order of magnitude, approximate; "tens of thousands".
PLURAL_MAGNITUDE_WORDS = {r["word"].lower(): float(r["value"])
                          for r in rows("plural_magnitudes") if r["kind"] == "head"}
PLURAL_MAGNITUDE_LEADS = {r["word"].lower(): int(r["value"]) for r in rows("plural_magnitudes") if r["kind"] == "lead"}
PLURAL_MAGNITUDE_WORDS_EN = frozenset(r["word"].lower() for r in rows("plural_magnitudes", "en") if r["kind"] == "head")


def _percent(fraction: str) -> float:
    numerator, denominator = fraction.split("/")
    return 100 * int(numerator) / int(denominator)


SHARE_WORDS = mapping("shares", lambda r: r["word"].lower(), lambda r: _percent(r["fraction"]))


def parse_digits(s: str, lang: str = "en", magnitude_follows: bool = False) -> float:
    """Value of a digit string, deciding '.' and ',' as thousands or decimal marks by shape and language.

    Groups of exactly three digits are thousands ('900.000', '1.263', '1,100'); a single separator followed
    by one, two or four-plus digits is a decimal mark ('2.5', '4,4'). In Dutch a comma before three digits
    is a decimal mark when a magnitude follows ('1,500 miljoen').
    """
    s = s.strip()
    seps = re.findall(r"[.,]", s)
    if not seps:
        return float(s)
    if len(seps) >= 2:
        if len(set(seps)) == 2:  # "1.234,5" or "1,234.5": the last one is the decimal mark
            dec = seps[-1]
            thou = "," if dec == "." else "."
            return float(s.replace(thou, "").replace(dec, "."))
        # "1.234.567": repeated mark is a thousands separator
        return float(s.replace(seps[0], ""))
    sep = seps[0]
    head, tail = s.split(sep)
    if len(tail) == 3 and head != "0":
        if sep == "," and lang == "nl" and magnitude_follows:
            return float(f"{head}.{tail}")
        return float(head + tail)
    return float(f"{head}.{tail}")


def word_number(words: list[str], lang: str) -> tuple[float, int] | None:
    """Value of a number written in words at the start of `words` and how many words it took."""
    if not words:
        return None
    w0 = words[0].lower()
    if lang == "nl":
        if w0 in UNITS_NL:
            value, used = float(UNITS_NL[w0]), 1
            if len(words) > 1 and words[1].lower() in MULTIPLIERS_NL:
                value *= MULTIPLIERS_NL[words[1].lower()]
                used = 2
            return value, used
        m = COMPOUND_NL.fullmatch(w0)
        if m:
            return float(COMPOUND_UNITS_NL[m.group(1)] + TENS_NL[m.group(2)]), 1
        return None
    value = 0.0
    used = 0
    if "-" in w0:
        a, _, b = w0.partition("-")
        if a in TENS_EN and b in UNITS_EN and UNITS_EN[b] < 10:
            value, used = float(TENS_EN[a] + UNITS_EN[b]), 1
    elif w0 in UNITS_EN:
        value, used = float(UNITS_EN[w0]), 1
    elif w0 in TENS_EN:
        value, used = float(TENS_EN[w0]), 1
        if len(words) > 1 and words[1].lower() in UNITS_EN and UNITS_EN[words[1].lower()] < 10:
            value += UNITS_EN[words[1].lower()]
            used = 2
    elif w0 in ONES_EN and len(words) > 1 and words[1].lower() in AFTER_ONE_EN:
        value, used = float(AFTER_ONE_EN[words[1].lower()]), 2
        return value, used
    elif w0 in DOZENS_EN:
        return float(DOZENS_EN[w0]), 1
    if not used:
        return None
    if used < len(words) and words[used].lower() in MULTIPLIERS_EN:
        value *= MULTIPLIERS_EN[words[used].lower()]
        used += 1
    return value, used
