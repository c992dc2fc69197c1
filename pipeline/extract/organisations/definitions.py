"""Acronym definitions, both ways: "Cambodian Labour Confederation (CLC)" and "CLC (Cambodian Labour
Confederation)". A defined acronym is then recognised in the rest of the doc; one defined as something else
("Least Developed Country (LDC)") is never taken for an organisation. Also the parentheses that join two
recognised names of one organisation."""

from __future__ import annotations

import re
from dataclasses import replace

from pipeline.extract.organisations.acronyms import (
    abbreviates,
    acronym_letters,
    acronym_shaped,
    initials_in,
    is_plural_acronym,
    mixed_case_acronym,
)
from pipeline.extract.organisations.candidates import Candidate, DocState, unknown_key
from pipeline.extract.organisations.classify import guess_type
from pipeline.extract.organisations.heads import MAX_NAME_WORDS, is_head, looks_like_org_name
from pipeline.extract.organisations.vocabulary import (
    AND,
    ARTICLES,
    CONCEPT_WORDS,
    EVENT_WORDS,
    EXTEND,
    LEAD_TRIM,
    LONG_FORM_SKIP,
    NOT_ACRONYMS,
    NOT_ORG_WORDS,
    PEOPLE,
    ROLE_WORDS,
    STOP_WORDS,
)
from pipeline.kb import KnowledgeBase, is_acronym

# Types of organisations that others belong to: "Garment Workers Union (CLC)" names the union and its federation.
PARENT_TYPES = frozenset({"union_federation", "network"})

PAREN_ACRONYM = re.compile(r"\(\s*([A-Z][A-Za-z0-9&!./-]*[A-Za-z0-9!])\s*\)")
ACRONYM_THEN_PAREN = re.compile(r"(?<![\w-])([A-Z][A-Za-z0-9&!/-]*[A-Z0-9!])\s*\(\s*([A-Z][^()\n]{2,160}?)\s*\)")
WORD_BEFORE = re.compile(r"[\w&'’!.-]+")


def long_form_before(text: str, paren: int, acronym: str) -> tuple[int, int] | None:
    """The shortest run of words ending before the parenthesis that the acronym abbreviates."""
    window_start = max(0, paren - 240)
    window = text[window_start:paren]
    cut = max(window.rfind(ch) for ch in ".;:!?()\n\"“”")
    words = list(WORD_BEFORE.finditer(window, cut + 1))
    letters = acronym_letters(acronym)
    if len(letters) < 2:
        return None  # nothing abbreviates a single letter
    for k in range(1, min(len(words), MAX_NAME_WORDS, len(letters) + 6) + 1):
        first = words[-k]
        if first.group().casefold() in LONG_FORM_SKIP:
            continue
        if first.group()[:1].casefold()[:1] != letters[0]:
            continue  # the long form starts with the acronym's first letter (abbreviates' own first test)
        s, e = window_start + first.start(), window_start + words[-1].end()
        if abbreviates(acronym, text[s:e]):
            return s, e
    return None


def find_definitions(state: DocState) -> list[tuple[int, int, str]]:
    """Acronym definitions both ways; returns unexplained '(ACR)' parentheses for the later rules."""
    text = state.text
    leftovers: list[tuple[int, int, str]] = []
    for m in PAREN_ACRONYM.finditer(text):
        acr, (a_s, a_e) = m.group(1), m.span(1)
        mixed = not acronym_shaped(acr)
        if mixed and not mixed_case_acronym(acr):
            continue
        span = long_form_before(text, m.start(), acr)
        if mixed:
            # "Women and Youth Empowerment (Woye)": a word in parentheses is an acronym only when the words
            # before it are capitalised and give it their initials.
            if span is not None and _capitalised_initials(acr, text[span[0]:span[1]]):
                _define(state, acr, a_s, a_e, *span)
            continue
        if span is None:
            if _glosses_a_thing(text, m.start()) and state.kb_at(a_s, a_e) is None:
                state.not_org.add(acr)  # "the district budget (DAK)": the acronym of a thing
            else:
                leftovers.append((a_s, a_e, acr))
            continue
        _define(state, acr, a_s, a_e, *span)
    for m in ACRONYM_THEN_PAREN.finditer(text):
        acr, (a_s, a_e) = m.group(1), m.span(1)
        inner = m.group(2).rstrip(" ,;")
        if not acronym_shaped(acr) or "(" in inner:
            continue
        l_s = m.start(2)
        l_e = l_s + len(inner)
        first = inner.split()[0]
        if first in ROLE_WORDS or first.casefold() in LEAD_TRIM:
            continue  # "KSBSI (President of ...)", "ILO (the ...)": not a definition
        if abbreviates(acr, inner) or looks_like_org_name(inner):
            _define(state, acr, a_s, a_e, l_s, l_e)
    return leftovers


def _define(state: DocState, acr: str, a_s: int, a_e: int, l_s: int, l_e: int) -> None:
    text = state.text
    long_form = text[l_s:l_e]
    kb_long = state.kb_at(l_s, l_e) or next(
        (c for c in state.found if l_s <= c.start and c.end == l_e and not c.key.startswith("x-")
         and not c.acronym), None)
    kb_acr = state.kb_at(a_s, a_e)
    if is_plural_acronym(acr) and kb_acr is None:
        state.not_org.add(acr)
        return
    if kb_acr is not None and kb_long is None and not looks_like_org_name(long_form):
        return  # "Rosa Cruz (RC)": the known acronym stands alone, the words before it are not its name
    if kb_long is not None or kb_acr is not None:
        key = (kb_acr or kb_long).key  # type: ignore[union-attr]
    elif looks_like_org_name(long_form) or _headless_name(acr, long_form):
        key = unknown_key(long_form)
    else:
        if kb_acr is None:
            state.not_org.add(acr)  # "Least Developed Country (LDC)": defined, but not an organisation
        return
    state.acronyms.setdefault(acr, key)
    if kb_long is None and state.free(l_s, l_e):
        state.add(Candidate(l_s, l_e, key, False))
    if kb_acr is None and state.free(a_s, a_e):
        state.add(Candidate(a_s, a_e, key, True))


def _content_words(long_form: str) -> list[str]:
    return [w for w in long_form.split() if w not in EXTEND and w not in AND and w.casefold() not in ARTICLES]


def _capitalised_initials(acronym: str, long_form: str) -> bool:
    words = _content_words(long_form)
    return len(words) >= 2 and all(w[:1].isupper() for w in words) and initials_in(acronym, words)


def _headless_name(acronym: str, long_form: str) -> bool:
    """A name without a head noun that defines an acronym of its initials and names people doing something:
    "Youth Against Forced Overtime (YAFO)", "Women and Youth Empowerment (Woye)"; not a category of people
    ("Migrant Domestic Workers"), the field's jargon (OSH, GBV) or a thing ("... Programme")."""
    words = _content_words(long_form)
    if acronym in NOT_ACRONYMS or not _capitalised_initials(acronym, long_form):
        return False
    if any(w in NOT_ORG_WORDS or w in EVENT_WORDS for w in words):
        return False
    return any(w in PEOPLE for w in words[:-1]) and words[-1] not in PEOPLE and words[-1] not in CONCEPT_WORDS


def _glosses_a_thing(text: str, paren: int) -> bool:
    """Is "(ACR)" right after a lower-case noun that it stands for ("the district budget (DAK)")? Not after
    the lower-case head of an organisation ("the federation (FKUI)")."""
    before = re.search(r"([^\W\d_][\w-]*)\s*$", text[max(0, paren - 40):paren])
    if before is None:
        return False
    word = before.group(1)
    return (word.islower() and word not in STOP_WORDS and len(word) > 2
            and not is_head(word.capitalize()) and not is_head(word.capitalize().rstrip("s")))


def adopt_parenthesised(state: DocState, parens: list[tuple[int, int, str]]) -> None:
    """An unexplained "(ACR)" right after an organisation phrase is that organisation's acronym."""
    for s, e, acr in parens:
        prev = next((c for c in state.found if not c.acronym and 0 <= s - c.end <= 3
                     and state.text[c.end:s].strip() == "("), None)
        if prev is not None and state.free(s, e) and acr not in state.not_org:
            state.acronyms.setdefault(acr, prev.key)
            state.add(Candidate(s, e, prev.key, True))


def _parent_in_parentheses(state: DocState, kb: KnowledgeBase, x: Candidate, y: Candidate) -> bool:
    """Is the known acronym in "X (Y)" a federation or network that X belongs to, not X's acronym? Not when the
    acronym abbreviates X or X is a name of the same type (a translation: "Association des fabricants ... du
    Bangladesh (BGMEA)")."""
    y_text, x_text = state.text[y.start:y.end], state.text[x.start:x.end]
    entry = kb.get(y.key)
    if not (y.acronym and is_acronym(y_text) and entry is not None and x.key.startswith("x-")):
        return False
    if abbreviates(y_text, x_text):
        return False
    return entry.type in PARENT_TYPES and guess_type(x_text) != entry.type


def merge_parenthesised(state: DocState, kb: KnowledgeBase) -> None:
    """'X (Y)' where both are recognised names one organisation: "National Commission on Human Rights (Komnas HAM)"."""
    found = sorted(state.found, key=lambda c: (c.start, c.end))
    rekey: dict[str, str] = {}
    for x, y in zip(found, found[1:], strict=False):
        if not (re.fullmatch(r"\s*\(\s*", state.text[x.end:y.start]) and re.match(r"\s*\)", state.text[y.end:])):
            continue
        if x.key == y.key:
            continue
        if _parent_in_parentheses(state, kb, x, y):
            continue  # "Garment Workers Union (CLC)": another organisation's acronym, its parent
        if x.key.startswith("x-"):
            rekey[x.key] = y.key
        elif y.key.startswith("x-"):
            rekey[y.key] = x.key
    if rekey:
        state.found = [replace(c, key=rekey.get(c.key, c.key)) for c in state.found]
        state.acronyms = {a: rekey.get(k, k) for a, k in state.acronyms.items()}
