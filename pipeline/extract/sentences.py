"""Sentence boundaries that respect abbreviations, and the sentence around any character span."""

from __future__ import annotations

import re
from bisect import bisect_right

from spacy.language import Language
from spacy.tokens import Doc

# A sentencizer splits after any period; after these the next token never starts a sentence.
ABBREVIATIONS = frozenset(
    "no nos nr p pp mr mrs ms dr prof st art para vs e.g i.e approx ca fig vol ed sr jr co ltd inc "
    "jan feb mar apr jun jul aug sep sept oct nov dec mt rs tk rp mio mld bijv ong dhr mevr zgn".split()
)
SENTENCE_BOUNDS = "pipeline.sentence_bounds"


ABBREVIATION_DOT = re.compile(
    r"(?<![\w.])(?:" + "|".join(re.escape(a) for a in sorted(ABBREVIATIONS, key=len, reverse=True)) + r")\.(?=\s)",
    re.IGNORECASE,
)


@Language.component("abbreviation_guard")
def abbreviation_guard(doc: Doc) -> Doc:
    """Undo sentence starts that follow an abbreviation ('No. 189', 'p. 47', 'Mrs. Navy')."""
    # Found in the text, not by walking every token: abbreviations are few and tokens are costly to build.
    for m in ABBREVIATION_DOT.finditer(doc.text):
        span = doc.char_span(m.start(), m.end(), alignment_mode="expand")
        if span is not None and span.end < len(doc):
            doc[span.end].is_sent_start = False
    return doc


def _sentence_bounds(doc: Doc) -> tuple[str, list[int], list[int]]:
    # doc.text, has_annotation and Token.sent each walk the whole doc on every call; they are done
    # once per doc instead (extractors run after the sentence components, when nothing changes).
    if SENTENCE_BOUNDS not in doc.user_data:
        sents = list(doc.sents) if doc.has_annotation("SENT_START") else []
        doc.user_data[SENTENCE_BOUNDS] = (doc.text, [s.start_char for s in sents], [s.end_char for s in sents])
    return doc.user_data[SENTENCE_BOUNDS]


def doc_text(doc: Doc) -> str:
    """The doc's text, computed once per doc (``Doc.text`` joins every token on each access)."""
    return _sentence_bounds(doc)[0]


def sentence_of(doc: Doc, start: int, end: int) -> str:
    """The text of the sentence(s) covering characters [start, end) of the doc."""
    text, starts, ends = _sentence_bounds(doc)
    if not starts:
        return text
    # Sentences tile the doc, so character offsets find them directly.
    first = max(0, bisect_right(starts, start) - 1)
    last = max(first, bisect_right(starts, max(start, end - 1)) - 1)
    return text[starts[first]:ends[last]]
