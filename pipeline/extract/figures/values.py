"""What a number is worth: digit formats (thousands and decimal marks by shape and language), magnitudes,
number words in English and Dutch, plural magnitudes ("thousands of") and shares ("two thirds")."""

from __future__ import annotations

import re

# Digits with thousands groups ("900.000", "1,100", "2 500 000" is not accepted: spaces are too ambiguous),
# or plain digits with an optional decimal part.
DIGITS = r"\d{1,3}(?:[.,]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?"

MAGNITUDES = {
    "k": 1e3, "thousand": 1e3, "thousands": 1e3, "duizend": 1e3,
    "m": 1e6, "mn": 1e6, "mln": 1e6, "mio": 1e6, "million": 1e6, "millions": 1e6, "miljoen": 1e6,
    "b": 1e9, "bn": 1e9, "billion": 1e9, "billions": 1e9, "miljard": 1e9, "mld": 1e9,
    "lakh": 1e5, "lakhs": 1e5, "lac": 1e5, "lacs": 1e5, "crore": 1e7, "crores": 1e7,
    "trillion": 1e12,
}

UNITS_EN = {
    "zero": 0, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
TENS_EN = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
           "ninety": 90}
UNITS_NL = {
    "twee": 2, "drie": 3, "vier": 4, "vijf": 5, "zes": 6, "zeven": 7, "acht": 8, "negen": 9, "tien": 10,
    "elf": 11, "twaalf": 12, "dertien": 13, "veertien": 14, "vijftien": 15, "zestien": 16, "zeventien": 17,
    "achttien": 18, "negentien": 19, "twintig": 20, "dertig": 30, "veertig": 40, "vijftig": 50, "zestig": 60,
    "zeventig": 70, "tachtig": 80, "negentig": 90, "honderd": 100, "duizend": 1000,
}
# "hundreds of workers", "duizenden mensen": an order of magnitude, approximate.
PLURAL_MAGNITUDE_WORDS = {
    "dozens": 12, "hundreds": 100, "thousands": 1000, "millions": 1e6, "billions": 1e9,
    "tientallen": 10, "honderden": 100, "duizenden": 1000, "miljoenen": 1e6, "miljarden": 1e9,
}
SHARE_WORDS = {
    "half": 50.0, "a half": 50.0, "one half": 50.0, "one third": 100 / 3, "a third": 100 / 3,
    "two thirds": 200 / 3, "two-thirds": 200 / 3, "one-third": 100 / 3, "a quarter": 25.0, "one quarter": 25.0,
    "three quarters": 75.0, "three-quarters": 75.0, "one fifth": 20.0, "a fifth": 20.0,
    "de helft": 50.0, "een derde": 100 / 3, "twee derde": 200 / 3, "een kwart": 25.0, "driekwart": 75.0,
}


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
            if len(words) > 1 and words[1].lower() in ("honderd", "duizend"):
                value *= UNITS_NL[words[1].lower()]
                used = 2
            return value, used
        m = re.fullmatch(r"(een|twee|drie|vier|vijf|zes|zeven|acht|negen)(?:ën|en)(twintig|dertig|veertig|vijftig|"
                         r"zestig|zeventig|tachtig|negentig)", w0)
        if m:
            unit = 1 if m.group(1) == "een" else UNITS_NL[m.group(1)]
            return float(unit + UNITS_NL[m.group(2)]), 1
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
    elif w0 in ("a", "one") and len(words) > 1 and words[1].lower() in ("hundred", "thousand", "dozen"):
        value, used = {"hundred": 100.0, "thousand": 1000.0, "dozen": 12.0}[words[1].lower()], 2
        return value, used
    elif w0 == "dozen":
        return 12.0, 1
    if not used:
        return None
    if used < len(words) and words[used].lower() in ("hundred", "thousand"):
        value *= 100 if words[used].lower() == "hundred" else 1000
        used += 1
    return value, used
