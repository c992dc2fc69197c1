"""What a number is worth: digit formats (thousands and decimal marks by shape and language), magnitudes,
plural magnitudes ("thousands of") and shares ("two thirds"); numbers in words are ``numwords``'."""

from __future__ import annotations

import re

from pipeline.extract.lexicon import alternation, mapping, rows
from pipeline.vocab import LANGUAGES

# Digits with thousands groups ("900.000", "1,100"; a no-break or thin space groups them in any language:
# "1 500 000"), or plain digits with an optional decimal part.
# A plain space groups them too ("1 138 morts", "14 000 workers"), after a first group of one to three digits
# that does not start with 0 ("in 2019 500 workers" is two numbers, "02 246" a phone number).
DIGITS = (r"\d{1,3}(?:[.,]\d{3})+(?:[.,]\d+)?|[1-9]\d{0,2}(?:[ \u00a0\u202f\u2009]\d{3})+(?:[.,]\d+)?"
          r"|\d+(?:[.,]\d+)?")
SPACES = re.compile(r"[ \u00a0\u202f\u2009]")

# Every magnitude word by its lower case ("M" and "m" alike), with its value.
MAGNITUDES: dict[str, float] = mapping("magnitudes", lambda r: r["word"].lower(), lambda r: float(r["value"]))
# Written right after the digits ("12k", "175M", "3 bn"), and after white space ("2.5 million"), exactly as
# in the table; and after a number in words ("twee miljoen"), in any case.
MAGNITUDE_ABBREVIATIONS = tuple(r["word"] for r in rows("magnitudes") if r["after_digits"] == "abbrev")
# Only right after the digits of an amount with a currency sign ("EUR2.5m", "$3m"; "5m" alone may be metres).
MAGNITUDE_AFTER_SIGN = tuple(r["word"] for r in rows("magnitudes") if r["after_digits"] == "after_sign")
MAGNITUDE_WORDS = tuple(r["word"] for r in rows("magnitudes") if r["after_digits"] == "word")
MAGNITUDES_AFTER_WORDS = tuple(r["word"] for r in rows("magnitudes") if r["after_words"] == "yes")
# A half after a magnitude adds half of it ("10 millions et demi", "2 million and a half"), per language.
HALF_AFTER_MAGNITUDE = {
    lang: re.compile(r"\s+(?:" + alternation(halves, space=r"\s+") + r")(?![\w-])", re.I)
    for lang in LANGUAGES
    if (halves := [r["word"] for r in rows("number_words", lang) if r["kind"] == "and_half"])
}


# "hundreds of workers", "duizenden mensen": an order of magnitude, approximate; "tens of thousands".
PLURAL_MAGNITUDE_WORDS = {r["word"].lower(): float(r["value"])
                          for r in rows("plural_magnitudes") if r["kind"] == "head"}
PLURAL_MAGNITUDE_LEADS = {r["word"].lower(): int(r["value"]) for r in rows("plural_magnitudes") if r["kind"] == "lead"}


def plural_magnitudes(lang: str, kind: str) -> list[str]:
    """The plural magnitudes of a language of a kind ('head' or 'lead'), lower case."""
    return [r["word"].lower() for r in rows("plural_magnitudes", lang) if r["kind"] == kind]


def _percent(fraction: str) -> float:
    numerator, denominator = fraction.split("/")
    return 100 * int(numerator) / int(denominator)


SHARE_WORDS = mapping("shares", lambda r: r["word"].lower(), lambda r: _percent(r["fraction"]))


def parse_digits(s: str, lang: str = "en", magnitude_follows: bool = False) -> float:
    """Value of a digit string, deciding '.' and ',' as thousands or decimal marks by shape and language.

    Groups of exactly three digits are thousands ('900.000', '1.263', '1,100'); a single separator followed
    by one, two or four-plus digits is a decimal mark ('2.5', '4,4'). In Dutch a comma before three digits
    is a decimal mark when a magnitude follows ('1,500 miljoen'); in French a comma is always a decimal mark.
    Spaces group thousands ('1 500 000').
    """
    s = SPACES.sub("", s.strip())
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
        if sep == "," and (lang == "fr" or lang == "nl" and magnitude_follows):
            return float(f"{head}.{tail}")
        return float(head + tail)
    return float(f"{head}.{tail}")
