"""Knowledge-base matching: PhraseMatchers over every form of every organisation of
pipeline/data/organisations.toml, with ambiguous forms resolved by context and known organisations that
only modify an instrument or event ("ILO Convention") set aside."""

from __future__ import annotations

import re

import spacy
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc

from pipeline.extract.organisations.acronyms import in_caps_line
from pipeline.extract.organisations.candidates import Candidate
from pipeline.extract.organisations.ruletext import ELIDING_LANGUAGES, open_elisions, squeeze
from pipeline.extract.organisations.vocabulary import (
    EVENT_LINKS,
    HEADS,
    NAME_ARTICLES,
    SUPPRESS_AFTER_KB,
    sorted_by_length,
)
from pipeline.kb import KBEntry, KnowledgeBase, is_acronym


class KBMatcher:
    """PhraseMatchers over the knowledge base, built once per pipeline (vocabulary) and reused for every doc."""

    def __init__(self, nlp: Language, kb: KnowledgeBase) -> None:
        self.kb = kb
        # Dutch spaCy keeps "WSM-partners" and "WSM's" as one token; matching runs on English tokens
        # (which split hyphens and clitics) so every language sees the same forms.
        self.same_tokens = nlp.lang == "en"
        if self.same_tokens:
            self.tokenizer = nlp.tokenizer
            make = nlp.make_doc
        else:
            en = spacy.blank("en").tokenizer
            self.tokenizer = Tokenizer(nlp.vocab, rules=en.rules, prefix_search=en.prefix_search,
                                       suffix_search=en.suffix_search, infix_finditer=en.infix_finditer,
                                       token_match=en.token_match, url_match=en.url_match)
            make = self.tokenizer
        self.exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.labels: dict[int, tuple[str, ...]] = {}
        exact: dict[str, list[Doc]] = {}
        lower: dict[str, list[Doc]] = {}
        # The rules read French text with its elisions opened ("l OIT"): so are the forms it is matched against.
        opened = nlp.lang in ELIDING_LANGUAGES
        for form, ids in self._forms():
            label = "kb:" + "|".join(ids)
            pattern = make(open_elisions(form) if opened else form)
            words = [t.text for t in pattern if not t.is_punct]
            (exact if is_acronym(form) or not self._any_case(words) else lower).setdefault(label, []).append(pattern)
            if not is_acronym(form) and len(words) == 1 and len(form) >= 5 and form != form.upper():
                exact.setdefault(label, []).append(make(form.upper()))
        for table, matcher in ((exact, self.exact), (lower, self.lower)):
            for label, docs in table.items():
                matcher.add(label, docs)
                self.labels[nlp.vocab.strings[label]] = tuple(label[3:].split("|"))
        self.context = {e.id: self._context_patterns(e) for e in kb if e.ambiguous or e.shared}
        # Per entry with ambiguous forms: those matched as written, and the case-folded ones matched in any case.
        self.ambiguous = {e.id: (e.ambiguous, frozenset(a.casefold() for a in e.ambiguous if not is_acronym(a)))
                          for e in kb if e.ambiguous}

    def _forms(self) -> list[tuple[str, tuple[str, ...]]]:
        owners: dict[str, list[str]] = {}
        for e in self.kb:
            for form in e.surfaces():
                variants = [form]
                for article in sorted(NAME_ARTICLES):
                    if form.startswith(article + " "):
                        variants.append(article.lower() + form[len(article):])
                for v in variants:
                    ids = owners.setdefault(v, [])
                    if e.id not in ids:
                        ids.append(e.id)
        return [(form, tuple(ids)) for form, ids in owners.items()]

    @staticmethod
    def _any_case(words: list[str]) -> bool:
        # Lower-cased, short names are ordinary phrases ("social protection for all"); only names of three
        # words or more with an organisation noun are matched in any case.
        return (len(words) >= 3 and any(w in HEADS for w in words)) or len(words) >= 6

    @staticmethod
    def _context_patterns(entry: KBEntry) -> tuple[re.Pattern[str] | None, re.Pattern[str] | None]:
        terms = entry.context_terms()
        exact = [t for t in terms if is_acronym(t)]
        loose = [t for t in terms if not is_acronym(t)]
        exact_rx = re.compile("|".join(rf"(?<![\w-]){re.escape(t)}(?![\w])" for t in sorted_by_length(exact))) \
            if exact else None
        loose_rx = re.compile("|".join(rf"(?<!\w){re.escape(t)}" for t in sorted_by_length(loose)), re.IGNORECASE) \
            if loose else None
        return exact_rx, loose_rx

    def context_hits(self, entry_id: str, text: str, start: int, end: int, limit: int = 1000) -> int:
        """How many context terms of the entry occur in the text outside [start, end), counting up to `limit`."""
        hits = 0
        for rx in self.context.get(entry_id, (None, None)):
            if rx is None:
                continue
            for m in rx.finditer(text):
                if m.end() <= start or m.start() >= end:
                    hits += 1
                    if hits >= limit:
                        return hits
        return hits

    def resolve(self, ids: tuple[str, ...], form: str, text: str, start: int, end: int) -> str | None:
        """The entry a matched form names here, or None when an ambiguous form lacks context."""
        best, best_hits = None, -1
        for entry_id in ids:
            forms = self.ambiguous.get(entry_id)
            ambiguous = forms is not None and (form in forms[0] or form.casefold() in forms[1])
            if ambiguous and in_caps_line(text, start):
                continue
            hits = (self.context_hits(entry_id, text, start, end, limit=1 if len(ids) == 1 else 1000)
                    if ambiguous or len(ids) > 1 else 0)
            if ambiguous and hits == 0:
                continue
            if hits > best_hits:
                best, best_hits = entry_id, hits
        return best

    def find(self, doc: Doc, text: str, doc_text: str) -> tuple[list[Candidate], list[tuple[int, int]]]:
        """Knowledge-base mentions (longest first where they overlap) and the spans of suppressed ones.

        `text` is the doc's text (`doc_text`) as the rules read it, of the same length. Matching runs on it with
        white space inside a paragraph squeezed, so that a name broken by a line or written with two spaces
        still matches; the spans are mapped back.
        """
        squeezed = squeeze(text)
        back: list[int] | None = None
        if squeezed is not None:
            text, back = squeezed
        mdoc = doc if self.same_tokens and text == doc_text else self.tokenizer(text)
        raw = []
        for matcher in (self.exact, self.lower):
            for match_id, s, e in matcher(mdoc):
                raw.append((mdoc[s].idx, mdoc[e - 1].idx + len(mdoc[e - 1]), match_id, e))
        raw.sort(key=lambda x: (x[0], -(x[1] - x[0])))
        out: list[Candidate] = []
        blocked: list[tuple[int, int]] = []
        last_end = -1
        for s, e, match_id, tok_end in raw:
            if s < last_end:
                continue
            form = text[s:e]
            entry_id = self.resolve(self.labels[match_id], form, text, s, e)
            if entry_id is None:
                continue
            acronym = is_acronym(form)
            if acronym and self._inside_compound(text, s, e):
                continue
            last_end = e
            if self._modifies_event(mdoc, tok_end):
                blocked.append((s, e))
                continue
            out.append(Candidate(s, e, entry_id, acronym))
        if back is not None:
            out = [Candidate(back[c.start], back[c.end - 1] + 1, c.key, c.acronym) for c in out]
            blocked = [(back[s], back[e - 1] + 1) for s, e in blocked]
        return out, blocked

    def _inside_compound(self, text: str, s: int, e: int) -> bool:
        """Is the acronym one part of a hyphenated acronym whose other part is unknown ("PAMANTIK-KMU")?"""
        if text[e:e + 1] != "-" and text[s - 1:s] != "-" and text[s - 2:s] != "-\n":
            return False  # no hyphen for either pattern to start from ('$' also matches before a final newline)
        before = re.search(r"([A-Z][A-Z0-9&]+)-$", text[max(0, s - 16):s])
        after = re.match(r"-([A-Z][A-Z0-9&]+)(?![\w-])", text[e:e + 16])
        return any(m is not None and not self.kb.lookup(m.group(1)) for m in (before, after))

    @staticmethod
    def _modifies_event(mdoc: Doc, i: int) -> bool:
        """Is the match at token i the modifier of an instrument or event ("ILO Convention", "IAO-verdrag")?"""
        if i < len(mdoc) and mdoc[i].text == "-" and i + 1 < len(mdoc):
            return mdoc[i + 1].lower_ in SUPPRESS_AFTER_KB
        for j in range(i, min(i + 6, len(mdoc))):  # indexing, as a slice builds a Span first
            tok = mdoc[j]
            if tok.lower_ in SUPPRESS_AFTER_KB and tok.text[:1].isupper():
                return True
            if not (tok.text[:1].isupper() or tok.lower_ in EVENT_LINKS):
                return False
        return False
