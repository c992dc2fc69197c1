"""Find the countries a text names: the forms of countries.csv, less those its context makes something else.

The rules, in order (pipeline/data/README.md, "Countries", says the same for the data files):
1. A form counts as a whole word, written as the table writes it (a small initial also capitalised, an untagged
   long form also in capitals); of forms starting at one place the longest wins ("South Korea", "Papua New
   Guinea", "People's Republic of China").
2. Inside a phrase of ``country_not_phrases`` it is no mention ("Indian Ocean", "Latin America", "US$"): the
   phrases are matched with the forms, and where one starts the longest match wins.
3. Inside an organisation's name (the organisations component's spans) it counts, whatever rules 4-6 say:
   "Clean Clothes Campaign Bangladesh" speaks of Bangladesh, once (the mention is marked ``organisation``).
4. An acronym (US, UK, UAE) in a stretch written in capitals is a word ("HELP US NOW").
5. A form tagged `person` (Jordan, Chad, Georgia, Holland) right next to another capitalised word that is no
   country is part of a person's or place's name ("Michael Jordan", "Chad Smith", "Georgia Tech"), unless the
   text around is written in title case.
6. A demonym tagged `language` (English, French, Thai, Khmer, anglais), or a list of forms holding one ("in
   English and Khmer"), is a language, not a country, when a word of ``country_language_after`` follows
   ("English version", "Thai food", "French-speaking") or a French one comes right before it ("la version
   anglaise"), when it stands alone in brackets ("(English)"), or when a
   word of ``country_language_before`` comes right before ("in", "speak", "en", "het") and no word it qualifies
   follows ("in Thai factories" names Thailand, "in Thai." a language).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.extract.countries.forms import Form, Forms, forms, key

WORD = re.compile(r"[^\W\d_]+")
# The word right before a position (an elided article keeps its apostrophe: "l'anglais"), and right after one
# (after an optional hyphen: "English-speaking").
WORD_BEFORE = re.compile(r"([^\W\d_]+['’]?)\s*$")
WORD_AFTER = re.compile(r"\s*-?([^\W\d_]+)")
# A capitalised word directly next to a form, one space between (a title's period allowed before: "Mr. Jordan").
CAPITALISED_BEFORE = re.compile(r"(?<![\w.])([A-Z][^\W\d_]*\.?) $")
CAPITALISED_AFTER = re.compile(r" ([A-Z][^\W\d_]*)")
ADJACENT_BEFORE = re.compile(r"([^\W\d_]+)[ \t]+$")
ADJACENT_AFTER = re.compile(r"[ \t]+([^\W\d_]+)")
# A capitalised word right after another word, inside a sentence.
MID_SENTENCE_CAPITAL = re.compile(r"(?<=[^\W\d_]) ([A-Z][a-z]+)\b")
CONTEXT = 60  # characters either side read by the context rules


@dataclass(frozen=True)
class Found:
    """One mention before provenance is attached: character offsets, the form, inside an organisation's name."""

    start: int
    end: int
    form: Form
    organisation: bool = False


def _line_around(text: str, start: int, end: int) -> tuple[str, str]:
    """The text of the same line within CONTEXT characters before `start` and after `end`."""
    before = text[max(0, start - CONTEXT):start].rsplit("\n", 1)[-1]
    after = text[end:end + CONTEXT].split("\n", 1)[0]
    return before, after


def _shouting(text: str, start: int, end: int, known: Forms) -> bool:
    """Are the words right next to a form (white space between; at least one) written in capitals, and no country
    ("HELP US NOW", "JOIN US:"; "the US and", "US, UK" and "(US)" are not)?"""
    around = []
    if (m := ADJACENT_BEFORE.search(text, max(0, start - 30), start)) is not None:
        around.append(m.group(1))
    if (m := ADJACENT_AFTER.match(text, end)) is not None:
        around.append(m.group(1))
    return bool(around) and all(len(w) >= 2 and w.isupper() and known.lookup(w) is None for w in around)


def _title_case(text: str, start: int, end: int, known: Forms) -> bool:
    """Is the line around a form written in title case: a function word capitalised inside a sentence
    ("Migrant Workers In Jordan Face Abuse"), or no lower-case word of four letters or more among several
    capitalised ones ("Migrant Workers in Jordan Face New Rules")?"""
    before, after = _line_around(text, start, end)
    for stretch in (before, after):
        if any(w.lower() in known.function_words for w in MID_SENTENCE_CAPITAL.findall(stretch)):
            return True
    long_words = [w for w in WORD.findall(before) + WORD.findall(after) if len(w) >= 4]
    return len(long_words) >= 3 and all(w[0].isupper() for w in long_words)


def _names_someone(text: str, start: int, end: int, known: Forms) -> bool:
    """Is a form right next to a capitalised word that is neither a function word nor a country?"""
    neighbours = []
    if (m := CAPITALISED_BEFORE.search(text, max(0, start - 30), start)) is not None:
        neighbours.append(m.group(1).rstrip("."))
    if (m := CAPITALISED_AFTER.match(text, end)) is not None:
        neighbours.append(m.group(1))
    for word in neighbours:
        if word.lower() not in known.function_words and known.lookup(word) is None:
            return not _title_case(text, start, end, known)
    return False


def _joined(gap: str, known: Forms) -> bool:
    """Does the text between two forms join them into one list (", ", " and ", ", or ", " / ")?"""
    g = gap.strip()
    if g in (",", "/"):
        return True
    if g.startswith(","):
        g = g[1:].strip()
    return g.lower() in known.connectors


def _is_language(text: str, start: int, end: int, known: Forms) -> bool:
    """Does the context make the list of forms at [start, end) the name of a language?"""
    after = WORD_AFTER.match(text, end)
    next_word = after.group(1).lower() if after is not None else None
    before = WORD_BEFORE.search(text, max(0, start - 30), start)
    previous = before.group(1).lower().replace("’", "'") if before is not None else None
    # "English version", and in French order "version anglaise", "langue française".
    if next_word in known.language_after or previous in known.language_nouns_before:
        return True
    lead = text[max(0, start - 2):start].rstrip()
    if lead.endswith(("(", "[")) and text[end:end + 2].lstrip()[:1] in (")", "]"):
        return True
    if previous not in known.language_before:
        return False
    # "in English, by", "in Thai." are languages; "in Thai factories" names the country.
    return next_word is None or next_word in known.function_words or next_word in known.followers


def _drop_languages(found: list[Found], text: str, known: Forms) -> list[Found]:
    """Rule 6 over lists of forms: the language-tagged forms of a list that names a language are dropped."""
    groups: list[list[Found]] = []
    for f in found:
        if (groups and not f.organisation and not groups[-1][-1].organisation
                and _joined(text[groups[-1][-1].end:f.start], known)):
            groups[-1].append(f)
        else:
            groups.append([f])
    out = []
    for group in groups:
        tagged = [f for f in group if "language" in f.form.tags and not f.organisation]
        if tagged and _is_language(text, group[0].start, group[-1].end, known):
            out.extend(f for f in group if f not in tagged)
        else:
            out.extend(group)
    return out


def find_countries(text: str, organisations: Sequence[tuple[int, int]] = (), known: Forms | None = None) -> list[Found]:
    """The mentions of countries in a text, in text order; `organisations` are the (start, end) spans of the
    organisations named in it."""
    known = known or forms()
    found = []
    for m in known.pattern.finditer(text):
        start, end = m.span()
        form = known.by_variant.get(key(m.group()))
        if form is None:  # a phrase of country_not_phrases
            continue
        if any(s <= start and end <= e for s, e in organisations):
            found.append(Found(start, end, form, organisation=True))
            continue
        if form.acronym and _shouting(text, start, end, known):
            continue
        if "person" in form.tags and _names_someone(text, start, end, known):
            continue
        found.append(Found(start, end, form))
    return _drop_languages(found, text, known)
