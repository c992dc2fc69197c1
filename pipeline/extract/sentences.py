"""Sentence boundaries that respect abbreviations, and the sentence around any character span."""

from __future__ import annotations

import re
from bisect import bisect_right

import numpy as np
from spacy.attrs import IDX, IS_PUNCT, IS_SPACE, LENGTH, SENT_START
from spacy.language import Language
from spacy.pipeline import Sentencizer
from spacy.tokens import Doc

# A sentencizer splits after any period; after these abbreviations the next token never starts a sentence.
from pipeline.extract.abbreviations import ABBREVIATIONS  # noqa: F401 (tests and callers read it here)
from pipeline.extract.abbreviations import abbreviation_before as _abbreviation_before

SENTENCE_BOUNDS = "pipeline.sentence_bounds"
# Where the extractor leaves the text a doc was made from, so that nothing has to rebuild it from tokens.
DOC_TEXT = "pipeline.text"

# A blank line (white space holding two line breaks) and the white space after it: a paragraph break.
BLANK_LINE = re.compile(r"\n[^\S\n]*\n\s*")
# A period followed by white space: the only places where an abbreviation can end ('No. 189').
PERIOD = re.compile(r"\.(?=\s)")
# The sentencizer's sentence-final characters, to find their (single-character) tokens from the text.
FINAL = re.compile("[" + "".join(re.escape(c) for c in Sentencizer.default_punct_chars) + "]")
FINAL_ASCII = re.compile(r"[.!?]")
# Without the characters beyond U+FFFF the engine can test the class with a table; with them it tries each
# character in turn (ten times slower, and most texts have a curly quote or a dash that sends them here).
FINAL_BMP = re.compile("[" + "".join(re.escape(c) for c in Sentencizer.default_punct_chars if c <= "\uffff") + "]")


def _finals(text: str) -> np.ndarray:
    """Offsets of the sentence-final characters of a text."""
    if text.isascii():  # the same characters for ASCII text, and a class several times faster to scan
        rx = FINAL_ASCII
    elif len(text.encode("utf-16-le")) == 2 * len(text):  # nothing beyond U+FFFF (a surrogate pair each)
        rx = FINAL_BMP
    else:
        rx = FINAL
    return np.array([m.start() for m in rx.finditer(text)], dtype=np.int64)


def _guarded(doc: Doc, text: str) -> list[int]:
    """Token indices after an abbreviation's period, which never start a sentence."""
    out = []
    # Periods are few; checking the word before each is far cheaper than a regex tried at every position.
    for m in PERIOD.finditer(text):
        if _abbreviation_before(text, m.start()):
            span = doc.char_span(m.start(), m.end(), alignment_mode="expand")
            if span is not None and span.end < len(doc):
                out.append(span.end)
    return out


def _paragraph_starts(idx: np.ndarray, text: str) -> list[int]:
    """Token indices of the first tokens after a blank line."""
    out = []
    for m in BLANK_LINE.finditer(text):
        t = int(np.searchsorted(idx, m.end()))
        if t < len(idx) and idx[t] == m.end():
            out.append(t)
    return out


@Language.component("abbreviation_guard")
def abbreviation_guard(doc: Doc) -> Doc:
    """Undo sentence starts that follow an abbreviation ('No. 189', 'p. 47', 'Mrs. Navy')."""
    # Found in the text, not by walking every token: abbreviations are few and tokens are costly to build.
    for i in _guarded(doc, text_of(doc)):
        doc[i].is_sent_start = False
    return doc


class SentencesComponent:
    """spaCy component: the sentencizer's rule plus the abbreviation guard, computed on token arrays.

    The result is the same as ``sentencizer`` followed by ``abbreviation_guard``, without building a
    Python Token object per token, which is where those two spend their time. The sentence
    character bounds are kept in ``doc.user_data`` for ``sentence_of``.
    """

    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        text = text_of(doc)
        n = len(doc)
        if n == 0:
            doc.user_data[SENTENCE_BOUNDS] = (text, [], [])
            return doc
        arr = doc.to_array([IS_PUNCT, IDX, LENGTH])
        idx, length = arr[:, 1].astype(np.int64), arr[:, 2].astype(np.int64)
        in_punct = np.zeros(n, dtype=bool)
        finals = _finals(text)
        if len(finals):
            # A sentence-final character is a token of its own when a token starts there and is one long.
            tok = np.searchsorted(idx, finals, side="right") - 1
            in_punct[tok[(idx[tok] == finals) & (length[tok] == 1)]] = True
        words = np.flatnonzero(~(in_punct | (arr[:, 0] != 0)))
        # The sentencizer starts a sentence at the first word token after sentence-final punctuation.
        after = np.searchsorted(words, np.flatnonzero(in_punct), side="right")
        flags = np.zeros(n, dtype=bool)
        flags[0] = True
        flags[words[after[after < len(words)]]] = True
        flags[_guarded(doc, text)] = False
        # A sentence starts at a word, never at white space: the white space before it ends the sentence before
        # ("It ended.\n\nNext" has no sentence "\n\nNext").
        spaces = doc.to_array([IS_SPACE]).astype(bool).reshape(n)
        for i in np.flatnonzero(flags[1:-1] & spaces[1:-1]) + 1:  # in order, so a start moves past a run of spaces
            if flags[i] and spaces[i]:
                flags[i] = False
                flags[i + 1] = True
        # A paragraph (after a blank line) starts a sentence: a heading without a full stop is no part of the
        # paragraph after it.
        flags[_paragraph_starts(idx, text)] = True
        flags[0] = True
        doc.from_array([SENT_START], np.where(flags, 1, -1).astype(np.uint64).reshape(n, 1))
        starts = np.flatnonzero(flags)
        lasts = np.append(starts[1:], n) - 1
        doc.user_data[SENTENCE_BOUNDS] = (text, idx[starts].tolist(), (idx[lasts] + length[lasts]).tolist())
        return doc


@Language.factory("sentences")
def make_sentences(nlp: Language, name: str) -> SentencesComponent:
    """Factory of the sentences component."""
    return SentencesComponent(nlp, name)


def text_of(doc: Doc) -> str:
    """The text the doc was made from (kept by the extractor), else rebuilt from its tokens."""
    return doc.user_data.get(DOC_TEXT) or doc.text


def _sentence_bounds(doc: Doc) -> tuple[str, list[int], list[int]]:
    # doc.text, has_annotation and Token.sent each walk the whole doc on every call; they are done
    # once per doc instead (extractors run after the sentence components, when nothing changes).
    if SENTENCE_BOUNDS not in doc.user_data:
        sents = list(doc.sents) if doc.has_annotation("SENT_START") else []
        doc.user_data[SENTENCE_BOUNDS] = (text_of(doc), [s.start_char for s in sents], [s.end_char for s in sents])
    return doc.user_data[SENTENCE_BOUNDS]


def doc_text(doc: Doc) -> str:
    """The doc's text, computed once per doc (``Doc.text`` joins every token on each access)."""
    return _sentence_bounds(doc)[0]


def sentence_of(doc: Doc, start: int, end: int) -> str:
    """The text of the sentence(s) covering characters [start, end) of the doc, without white space around it."""
    text, starts, ends = _sentence_bounds(doc)
    if not starts:
        return text.strip()
    # Sentences tile the doc, so character offsets find them directly.
    first = max(0, bisect_right(starts, start) - 1)
    last = max(first, bisect_right(starts, max(start, end - 1)) - 1)
    return text[starts[first]:ends[last]].strip()
