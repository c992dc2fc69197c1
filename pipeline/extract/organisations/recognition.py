"""Recognition of one doc: the rules in order of trust, each later one looking only at text the earlier ones
left free (the order is explained in the package docstring)."""

from __future__ import annotations

from spacy.tokens import Doc

from pipeline.extract.organisations.actors import find_acronyms
from pipeline.extract.organisations.candidates import Candidate, DocState
from pipeline.extract.organisations.chapters import find_chapters
from pipeline.extract.organisations.classified import find_classified
from pipeline.extract.organisations.companies import find_companies
from pipeline.extract.organisations.definitions import adopt_parenthesised, find_definitions, merge_parenthesised
from pipeline.extract.organisations.described import extend_missions, find_described
from pipeline.extract.organisations.headfirst import find_head_first
from pipeline.extract.organisations.kbmatch import KBMatcher
from pipeline.extract.organisations.lists import find_lists
from pipeline.extract.organisations.phrases import find_phrases, join_known_modifier
from pipeline.extract.organisations.ruletext import rule_text


def recognise(doc: Doc, doc_text: str, matcher: KBMatcher, lang: str) -> list[Candidate]:
    """All organisation mentions of a doc (whose text is `doc_text`), with their entity keys, in text order."""
    text = rule_text(doc_text, lang)
    kb_found, blocked = matcher.find(doc, text, doc_text)
    state = DocState(text, [(c.start, c.end) for c in kb_found] + blocked, {}, set(), list(kb_found))
    find_chapters(state, matcher.kb)
    parens = find_definitions(state)
    find_head_first(state, lang)
    find_phrases(state)
    join_known_modifier(state)
    merge_parenthesised(state, matcher.kb)
    adopt_parenthesised(state, parens)
    find_classified(state, lang, matcher.kb)
    find_companies(state)
    find_lists(state, matcher.kb)
    find_described(state)
    extend_missions(state)
    find_acronyms(state, parens, matcher)
    return sorted(state.found, key=lambda c: (c.start, c.end))
