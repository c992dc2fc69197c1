"""Sentence boundaries that respect abbreviations, and the sentence around any character span."""

from __future__ import annotations

from bisect import bisect_right

from spacy.language import Language
from spacy.tokens import Doc

# A sentencizer splits after any period; after these the next token never starts a sentence.
ABBREVIATIONS = frozenset(
    "no nos nr p pp mr mrs ms dr prof st art para vs e.g i.e approx ca fig vol ed sr jr co ltd inc "
    "jan feb mar apr jun jul aug sep sept oct nov dec mt rs tk rp mio mld bijv ong dhr mevr zgn".split()
)
SENTENCE_BOUNDS = "pipeline.sentence_bounds"


@Language.component("abbreviation_guard")
def abbreviation_guard(doc: Doc) -> Doc:
    """Undo sentence starts that follow an abbreviation ('No. 189', 'p. 47', 'Mrs. Navy')."""
    for i in range(1, len(doc)):
        prev = doc[i - 1]
        split_dot = prev.text == "." and i >= 2 and not doc[i - 2].whitespace_
        word = doc[i - 2].lower_ if split_dot else prev.lower_[:-1] if prev.text.endswith(".") else ""
        if word in ABBREVIATIONS:
            doc[i].is_sent_start = False
    return doc


def _sentence_bounds(doc: Doc) -> tuple[str, list[int], list[int]]:
    # doc.text, has_annotation and Token.sent each walk the whole doc on every call; they are done
    # once per doc instead (extractors run after the sentence components, when nothing changes).
    if SENTENCE_BOUNDS not in doc.user_data:
        sents = list(doc.sents) if doc.has_annotation("SENT_START") else []
        doc.user_data[SENTENCE_BOUNDS] = (doc.text, [s.start_char for s in sents], [s.end_char for s in sents])
    return doc.user_data[SENTENCE_BOUNDS]


def sentence_of(doc: Doc, start: int, end: int) -> str:
    """The text of the sentence(s) covering characters [start, end) of the doc."""
    text, starts, ends = _sentence_bounds(doc)
    if not starts:
        return text
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return text
    first = bisect_right(starts, span[0].idx) - 1
    last = bisect_right(starts, span[-1].idx) - 1
    return text[starts[first]:ends[last]]
