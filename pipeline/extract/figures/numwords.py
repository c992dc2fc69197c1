"""Numbers written in words, in English, Dutch and French: where they are (our patterns, built per language
from ``number_words.csv``) and what they are worth (text2num for the words, our rules for halves and magnitudes).

The span rules stay ours: a number in words must be made only of the number words of the text's language, so
that "tweedehands" or "acht" in "in acht nemen" are found or refused by rules that say why. Reading the value
of what was found is text2num's job: Dutch compounds ("tweehonderdvijfentwintig", "Tienduizend") and French
ones ("quatre-vingt-trois", "soixante et onze") have grammars of their own that it implements and tests.
"""

from __future__ import annotations

import re

from text_to_num import text2num

from pipeline.extract.figures.values import MAGNITUDES, MAGNITUDES_AFTER_WORDS
from pipeline.extract.lexicon import alternation, rows
from pipeline.vocab import LANGUAGES


def _kind(lang: str, *kinds: str) -> dict[str, float]:
    """The number words of a language of the given kinds, by lower case, with their values (0 when none)."""
    return {r["word"].lower(): float(r["value"] or 0) for r in rows("number_words", lang) if r["kind"] in kinds}


# Words that make a number on their own or in a compound; "one" words only before a multiplier or magnitude.
PARTS = {lang: _kind(lang, "unit", "ten", "multiplier") for lang in LANGUAGES}
STARTS = {lang: _kind(lang, "unit", "ten") for lang in LANGUAGES}
ONES = {lang: _kind(lang, "one") for lang in LANGUAGES}
DOZENS = {lang: _kind(lang, "dozen") for lang in LANGUAGES}
JOINERS = {lang: tuple(_kind(lang, "joiner")) for lang in LANGUAGES}
HALF_BEFORE = {lang: _kind(lang, "half_before") for lang in LANGUAGES}
AND_HALF = {lang: _kind(lang, "and_half") for lang in LANGUAGES}
# Words that are numbers only as parts, never alone as the value (text2num reads them, we keep them):
# a value of our own ("anderhalf" is 1.5), which text2num does not know.
OWN_VALUES = {lang: {w: v for w, v in PARTS[lang].items() if v != int(v)} for lang in LANGUAGES}
MAGNITUDE_WORDS = tuple(w.lower() for w in MAGNITUDES_AFTER_WORDS)


def _pattern(lang: str) -> re.Pattern[str] | None:
    """A number in words of `lang`: parts joined within a word ("vijfentwintig", "forty-one") and across
    spaces ("forty one", "two hundred and fifty"), with a half and a magnitude around them."""
    if not STARTS[lang]:
        return None
    part = alternation(PARTS[lang])
    glue = alternation(j for j in JOINERS[lang] if " " not in j)  # "-", "en", "ën" inside a word
    word_joiners = alternation(j for j in JOINERS[lang] if j.isalpha() and lang != "nl" or lang == "nl" and j == "en")
    token = rf"(?:{part})(?:(?:{glue})?(?:{part}))*"
    ones = alternation(ONES[lang]) if ONES[lang] else None
    mags = alternation(MAGNITUDE_WORDS)
    dozens = alternation(DOZENS[lang]) if DOZENS[lang] else None
    lead = rf"(?:{ones})\s+(?=(?:{alternation(w for w, v in PARTS[lang].items() if v >= 100)}|{mags})\b)" if ones \
        else None
    half_before = alternation(HALF_BEFORE[lang]).replace(r"\ ", r"\s+") if HALF_BEFORE[lang] else None
    and_half = alternation(AND_HALF[lang]).replace(r"\ ", r"\s+") if AND_HALF[lang] else None
    core = rf"(?:{lead})?{token}(?:\s+(?:(?:{word_joiners})\s+)?{token})*" if lead else \
        rf"{token}(?:\s+(?:(?:{word_joiners})\s+)?{token})*"
    if ones:  # "a million", "een miljoen", "un million"
        core = rf"(?:(?:{ones})\s+(?:{mags})|{core})"
    body = rf"(?:(?P<half>{half_before})\s+(?:{mags})|{core})" if half_before else core
    rx = rf"(?<![\w-]){body}(?:\s+(?P<andhalf>{and_half})(?![\w-]))?(?:\s+(?:{mags}))?"
    if and_half:
        rx += rf"(?:\s+(?P<andhalf2>{and_half}))?"
    if dozens:
        rx = rf"(?:{rx}(?:\s+(?:{dozens}))?|(?<![\w-])(?:{ones}\s+)?(?:{dozens}))" if ones else rx
    # A hyphen may follow: "a three-day workshop", "a nine-member board" (the unit rule reads what follows).
    return re.compile(rf"(?:{rx})(?!\w|-\d)", re.I)


WORD_NUMBER_OF = {lang: _pattern(lang) for lang in LANGUAGES}


def _token(lang: str) -> str | None:
    """One word made of number parts ("vijfentwintig", "forty-one"), as a regex, or None for no words."""
    if not PARTS[lang]:
        return None
    part = alternation(PARTS[lang])
    glue = alternation(j for j in JOINERS[lang] if " " not in j)
    return rf"(?:{part})(?:(?:{glue})?(?:{part}))*"


TOKEN_OF = {lang: _token(lang) for lang in LANGUAGES}


def _core(words: list[str], lang: str) -> float | None:
    """text2num's value of number words (our own values first: "anderhalf")."""
    if not words:
        return None
    if len(words) == 1 and words[0] in OWN_VALUES[lang]:
        return OWN_VALUES[lang][words[0]]
    if words[0] in ONES[lang] and len(words) > 1:
        words = ["one" if lang == "en" else words[0], *words[1:]]
    try:
        return float(text2num(" ".join(words), lang))
    except ValueError:
        return None


def _plain(words: list[str], lang: str) -> float | None:
    """A number in words without a half: parts, then a dozen or a magnitude ("two dozen", "quatre millions")."""
    if words and words[-1] in DOZENS[lang]:
        rest = words[:-1]
        core = 1.0 if not rest or rest == [w for w in rest if w in ONES[lang]] else _core(rest, lang)
        return None if core is None else core * DOZENS[lang][words[-1]]
    if len(words) > 1 and words[-1] in MAGNITUDES:
        core = 1.0 if len(words) == 2 and words[0] in ONES[lang] else _core(words[:-1], lang)
        return None if core is None else core * MAGNITUDES[words[-1]]
    if len(words) == 1 and words[0] in ONES[lang]:
        return None  # "a", "een", "un": an article
    return _core(words, lang)


def _with_half(words: list[str], lang: str) -> float | None:
    """A number in words with a half in it: "three and a half", "one and a half million", "dix millions et demi"."""
    for h in AND_HALF[lang]:
        hw = h.split()
        for i in range(1, len(words) - len(hw) + 1):
            if words[i:i + len(hw)] != hw:
                continue
            pre, post = words[:i], words[i + len(hw):]
            if post and post[-1] in MAGNITUDES:
                core = _core(pre, lang)
                return None if core is None else (core + 0.5) * MAGNITUDES[post[-1]]
            if len(pre) > 1 and pre[-1] in MAGNITUDES:
                core = _core(pre[:-1], lang)
                return None if core is None else (core + 0.5) * MAGNITUDES[pre[-1]]
            core = _core(pre, lang)
            return None if core is None else core + 0.5
    return None


def word_value(phrase: str, lang: str) -> tuple[float, int] | None:
    """The value of a number in words found by ``WORD_NUMBER_OF[lang]`` and how many characters of it make
    the number (a tail that is no number is given back: "two and" -> "two"); None when it is no number."""
    tokens = [(m.group(0), m.end()) for m in re.finditer(r"\S+", phrase.lower())]
    words = [t for t, _ in tokens]
    if any(re.fullmatch(re.escape(h).replace(r"\ ", r"\s+") + r"\s+\S+", phrase.lower())
           for h in HALF_BEFORE[lang]):  # "half a million", "een half miljoen"
        return (0.5 * MAGNITUDES[words[-1]], len(phrase)) if words[-1] in MAGNITUDES else None
    value = _with_half(words, lang) if any(h.split()[-1] in words for h in AND_HALF[lang]) else None
    if value is not None:
        return value, len(phrase)
    # Shorten from the right until the words read as a number ("two and" -> "two").
    for n in range(len(words), 0, -1):
        if words[n - 1] in JOINERS[lang]:
            continue
        value = _plain(words[:n], lang)
        if value is not None:
            return value, tokens[n - 1][1]
    return None
