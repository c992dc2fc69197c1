"""Units: what a number counts, in English whatever the language of the text, and as the text writes it.

A percent sign or word, a currency (ISO code), a time unit (English plural), or the counted noun phrase after
the number: in English as written ("15 new board members"), in Dutch and French the English of its head noun
from the units table ("21 Cambodjaanse actievoerders" counts activists, "185 Etats membres" member states).
"""

from __future__ import annotations

import re
from typing import NamedTuple

from pipeline.extract.figures.numwords import WORD_NUMBER_OF
from pipeline.extract.lexicon import alternation, mapping, rows
from pipeline.stopwords import spacy_stop_words
from pipeline.vocab import LANGUAGES, entries, words


class Found(NamedTuple):
    """What a number counts: the English unit, the unit as written, the subject, where it ends, whether elided."""

    unit: str
    text: str
    subject: str | None
    end: int
    elided: bool


def _units(kind: str, lang: str | tuple[str, ...] = LANGUAGES) -> dict[str, str]:
    """The unit words of a kind by their lower case, with the unit each gives (see pipeline/data/units.csv)."""
    return mapping("units", lambda r: r["word"].lower(), lambda r: r["unit"], langs=lang,
                   where=lambda r: r["kind"] == kind and r["position"] != "suffix")


# Each language reads its own words and the signs and codes written alike in every language ('*' rows):
# French "an" (a year) must not be a unit of English text.
CURRENCY_OF = {lang: _units("currency", lang) for lang in LANGUAGES}
TIME_OF = {lang: _units("time", lang) for lang in LANGUAGES}
COUNT_OF = {lang: _units("count", lang) for lang in LANGUAGES}
# Every currency and time unit, for the rules that only ask whether a unit is one ("EUR", "weeks").
CURRENCY = {k: v for lang in LANGUAGES for k, v in CURRENCY_OF[lang].items()}
CURRENCY_CODES = frozenset(CURRENCY.values())
TIME_UNITS = {k: v for lang in LANGUAGES for k, v in TIME_OF[lang].items()}
TIME_UNIT_NAMES = frozenset(TIME_UNITS.values())
# Number words glued to a unit ("tweedaagse": two days), by language: the suffix and its unit.
SUFFIX_UNITS = {lang: {r["word"].lower(): r["unit"] for r in rows("units", lang) if r["position"] == "suffix"}
                for lang in LANGUAGES}
# Currencies written before the number, exactly as in the table ("USD 200", "Tk. 8,000", "€1.5 million").
CURRENCY_BEFORE = tuple(r["word"] for r in rows("units") if r["kind"] == "currency" and r["position"] == "either")
CURRENCY_SIGNS = alternation(CURRENCY_BEFORE)
# The characters of currency signs ("€", "$"), which may stand after a number as a word does ("60.000 €").
SIGN_CHARACTERS = "".join(sorted({re.escape(c) for w in CURRENCY for c in w if not c.isalnum() and c != "."}))
PERCENT = re.compile(r"\s*(?:" + alternation(_units("percent"), space=r"\s?", boundary=True) + ")", re.I)
IRREGULAR_PLURALS = frozenset(w.lower() for w in words("plural_nouns"))
# French adjectives that stand between a number and its noun ("trois prochaines années").
ADJECTIVES_BEFORE = {lang: frozenset(w.lower() for w in entries(lang, "adjectives_before_noun")) for lang in LANGUAGES}
# The counted noun phrase ends before these. Dutch and French texts also stop at spaCy's stop words of their
# language (prepositions, pronouns, auxiliaries: "1.700 om die reden", "144.986 volgens"), less the nouns and
# adjectives the tables know ("gens", "autres").
SPACY_STOP_WORDS = {"nl": spacy_stop_words("nl"), "fr": spacy_stop_words("fr")}
STOP_AFTER = {lang: frozenset(w.lower() for w in entries(lang, "stop_after")) | (
    frozenset(SPACY_STOP_WORDS.get(lang, ())) - ADJECTIVES_BEFORE[lang] - {
        r["word"].lower() for r in rows("units", lang)}) for lang in LANGUAGES}
STOP_AFTER_ANY = frozenset(w for lang in LANGUAGES for w in entries(lang, "stop_after"))
COUNT_WORD = re.compile(r"[A-Za-zÀ-ÿ][\w'’-]*")
# Matched at an offset of the text rather than on the rest of it cut off, which copied it for every number.
COORDINATED_AFTER = re.compile(r"\s+(?:" + alternation(words("coordinators")) + r")\s+([a-z][\w-]*s)\b")
GROUP_AFTER_PERCENT = re.compile(r"\s+(?:of\s+(?:the\s+|them\s+|those\s+)?|van\s+de\s+|des\s+|de\s+)?"
                                 r"(?P<g>(?:under|below|over|onder)\s+\d+\s*(?:years?|y|jaar)?"
                                 r"|[a-zA-ZÀ-ÿ][\w-]*(?:\s+[a-z]+s\b)?)")
WORD_AFTER = re.compile(rf"\s*([A-Za-zÀ-ÿ{SIGN_CHARACTERS}][\w'’]*|[{SIGN_CHARACTERS}])")
# Words of several words in the table (time, currency and count), tried before single words, per language.
PHRASES = {lang: re.compile(r"\s+(" + alternation(
    [w for w in (*CURRENCY_OF[lang], *TIME_OF[lang], *COUNT_OF[lang]) if " " in w], space=r"\s+", boundary=True)
    + r")", re.I) for lang in LANGUAGES}
# The gap between a number and its noun: white space with at most one line break, unless the next line is a
# list item ("  • 277\n  partners" is one figure; a value split over a line break is still one figure).
GAP = re.compile(r"[^\S\n]*(?:\n[^\S\n]*(?![•\-*–·]))?")
# Dutch words that look plural but are a participle after a separable particle or a past form ("vrijgelaten").
# (A bare ge- word may be a noun: "gebreken", "gebieden"; those ending in -d or -t are no plural anyway.)
PARTICIPLE_NL = re.compile(r"^(?:aan|af|bij|binnen|door|in|mee|na|om|onder|op|over|terug|toe|uit|vast|vrij|weg)"
                           r"ge\w{3,}(?:en|d|t)$")
# "six of the eleven unions": the number before the partitive counts the noun after it (and the number there).
PARTITIVE_OF = {lang: re.compile(r"\s+(?:" + alternation(entries(lang, "partitive_links"), space=r"\s+") +
                                 r")\s+(?=\w)", re.I) for lang in LANGUAGES if entries(lang, "partitive_links")}
DIGITS_AHEAD = re.compile(r"\d[\d.,]*\s+")
ENGLISH_PLURALS = frozenset(COUNT_OF["en"].values())
# Endings of adjectives and participles, which never head a counted noun phrase (French "restants", "concernés").
NOT_NOUN_ENDING = {lang: re.compile("(?:" + alternation(entries(lang, "not_noun_endings")) + ")$")
                   if entries(lang, "not_noun_endings") else None for lang in LANGUAGES}
# "10 or more employees", "50 of meer werknemers": an open end between the number and its noun.
OPEN_ENDED = {lang: re.compile(r"\s+(?:" + alternation(entries(lang, "open_ended_after"), space=r"\s+") + r")(?=\s)",
                              re.I) for lang in LANGUAGES if entries(lang, "open_ended_after")}
MIN_COMPOUND_PREFIX = 3  # "ontwikkelings|organisaties"; "ei|landen" (islands) is no compound of "landen"


def english_count(phrase: str, lang: str) -> str | None:
    """The English unit of a counted noun phrase of a Dutch or French text, from its head noun; None if unknown."""
    table = {**CURRENCY_OF.get(lang, {}), **TIME_OF.get(lang, {}), **COUNT_OF.get(lang, {})}
    low = phrase.lower()
    if low in table:
        return table[low]
    parts = low.split()
    if lang == "fr":
        parts = [p for p in parts if p not in ADJECTIVES_BEFORE["fr"]]
        if len(parts) >= 2 and f"{parts[0]} {parts[1]}" in table:
            return table[f"{parts[0]} {parts[1]}"]
        return table.get(parts[0]) if parts else None
    head = parts[-1] if parts else ""
    if head in table:
        return table[head]
    if lang == "nl":  # a compound takes the unit of its longest known ending ("werkdagen" counts days)
        endings = {**TIME_OF["nl"], **COUNT_OF["nl"]}  # not a currency: "inspect|eur"
        for i in range(MIN_COMPOUND_PREFIX, len(head) - MIN_COMPOUND_PREFIX + 1):
            if head[i:] in endings:
                return endings[head[i:]]
    return None


def counted_noun(word: str, lang: str) -> str | None:
    """The English unit of one word when it is a plural counted noun the table knows ("the union" counts nothing)."""
    low = word.lower()
    if lang == "en":
        return low if low in ENGLISH_PLURALS else None
    unit = english_count(low, lang) if is_plural(low, lang) else None
    return None if unit in TIME_UNIT_NAMES or unit in CURRENCY_CODES else unit


def _gap_end(text: str, pos: int) -> int:
    return GAP.match(text, pos).end()


def noun_after(text: str, pos: int, lang: str, most: int = 3) -> tuple[str | None, str | None, int]:
    """(noun phrase as written, subject, end) of the counted noun phrase after position `pos`, of at most
    `most` words."""
    found = []
    cur = pos
    stop = STOP_AFTER.get(lang, STOP_AFTER_ANY)
    for m in COUNT_WORD.finditer(text, pos):
        if _gap_end(text, cur) != m.start() or (found and "\n" in text[cur:m.start()]):
            break
        w = m.group(0)
        lw = w.lower()
        if lang == "fr" and lw[:2] in ("d'", "d’") and not found:
            lw, w = lw[2:], w[2:]
        if lw in stop and not found:
            return None, None, pos
        if lang == "nl" and not found and lw not in COUNT_OF["nl"] and PARTICIPLE_NL.match(lw):
            return None, None, pos  # "alle 21 vrijgelaten": no noun
        adjective = NOT_NOUN_ENDING[lang]
        if not found and lw not in COUNT_OF.get(lang, {}) and adjective is not None and adjective.search(lw):
            return None, None, pos  # "les 4 millions restants": an adjective, the noun was said before
        if lw in stop or (w[0].isupper() and not w.isupper() and not w.endswith("s") and found):
            break
        found.append((w, m.end()))
        cur = m.end()
        if lang == "fr":
            if lw in ADJECTIVES_BEFORE["fr"]:
                continue
            break  # the French head noun comes first; a two-word unit is found by PHRASES
        if is_plural(lw, lang) or len(found) == most or (lang == "nl" and lw in COUNT_OF[lang]):
            break
    if not found:
        return None, None, pos
    if lang in ("nl", "fr") and not (is_plural(found[-1][0], lang) or english_count(
            " ".join(w for w, _ in found), lang)):
        return None, None, pos  # "73 miljoen gevaarlijk werk": no plural noun, so the number names none
    end = found[-1][1]
    unit = " ".join(w for w, _ in found)
    subject = unit
    # "13 brands and retailers": the subject takes a coordinated plural noun.
    m = COORDINATED_AFTER.match(text, end)
    if m and len(found) == 1:
        subject = f"{unit}{m.group(0)}"
    return unit, subject, end


def is_plural(word: str, lang: str) -> bool:
    """Does the word end a counted noun phrase as a plural?"""
    w = word.lower()
    return (w in IRREGULAR_PLURALS or (w.endswith("s") and len(w) > 2)
            or (lang == "nl" and w.endswith(("en", "ers"))) or (lang == "fr" and w.endswith("x")))


def _percent(text: str, pos: int) -> Found | None:
    pm = PERCENT.match(text, pos)
    if not pm:
        return None
    gm = GROUP_AFTER_PERCENT.match(text, pm.end())
    subject = gm.group("g").strip() if gm and gm.group("g").lower() not in STOP_AFTER_ANY else None
    return Found("%", text[pm.start():pm.end()].strip(), subject, pm.end(), False)


def unit_after(text: str, pos: int, lang: str, cur_pre: str | None, most: int = 3) -> Found:
    """What the number ending at `pos` counts (`cur_pre`: the currency sign written before it, if any; `most`:
    the most words a counted noun phrase takes, one after "one": "one nurse stayed")."""
    found = _percent(text, pos)
    if found:
        return found
    if cur_pre:
        return Found(CURRENCY[cur_pre.lower().rstrip()], cur_pre.strip(), None, pos, False)
    currency, times = CURRENCY_OF.get(lang, CURRENCY), TIME_OF.get(lang, TIME_UNITS)
    pm = PHRASES[lang].match(text, pos) if lang in PHRASES else None
    if pm:
        low = re.sub(r"\s+", " ", pm.group(1).lower())
        for table, subject in ((currency, False), (times, True), (COUNT_OF[lang], True)):
            if low in table:
                return Found(table[low], pm.group(1), pm.group(1) if subject else None, pm.end(1), False)
    m = WORD_AFTER.match(text, pos)
    if m:
        tok = m.group(1).lower()
        if tok in currency or tok.rstrip(".") in currency:
            return Found(currency.get(tok, currency.get(tok.rstrip("."))), m.group(1), None, m.end(), False)
        word = tok.rstrip(".")
        if word in times:
            return Found(times[word], m.group(1).rstrip("."), times[word], m.end(1), False)
    hy = re.match(r"[-‑]([A-Za-z]+)\b", text[pos:pos + 16])
    if hy:  # "a 3-day workshop", "10-hour shifts", "a 9-member board"
        word = hy.group(1).lower()
        unit = times.get(word) or (COUNT_OF[lang].get(word) if lang in COUNT_OF else None)
        if unit:
            return Found(unit, hy.group(1), unit, pos + hy.end(), False)
    open_ended = OPEN_ENDED.get(lang) and OPEN_ENDED[lang].match(text, pos)
    if open_ended:  # "10 or more employees": the noun after the open end
        found = unit_after(text, open_ended.end(), lang, None, most)
        return found if not found.elided else Found("", "", None, pos, True)
    phrase, subject, end = noun_after(text, pos, lang, most)
    if phrase is None:
        return Found("", "", None, pos, True)
    if lang in ("nl", "fr"):
        english = english_count(phrase, lang)
        if english:
            return Found(english, phrase, subject, end, False)
    return Found(phrase, phrase, subject, end, False)


def partitive(text: str, end: int, lang: str) -> Found | None:
    """The noun of "six of the eleven unions" (skipping the second number), or None when no partitive follows."""
    rx = PARTITIVE_OF.get(lang)
    m = rx.match(text, end) if rx is not None else None
    if m is None:
        return None
    pos = m.end()
    words_rx = WORD_NUMBER_OF.get(lang)
    inner = DIGITS_AHEAD.match(text, pos) or (words_rx.match(text, pos) if words_rx is not None else None)
    if inner is not None:  # "of the eleven unions": the noun is after the second number
        pos = inner.end()
    found = unit_after(text, pos, lang, None)
    if found.elided or found.unit == "%":
        return None
    return found._replace(end=end)
