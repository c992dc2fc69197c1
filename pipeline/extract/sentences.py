"""Sentence boundaries that respect abbreviations, and the sentence around any character span."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

# A sentencizer splits after any period; after these the next token never starts a sentence.
ABBREVIATIONS = frozenset(
    "no nos nr p pp mr mrs ms dr prof st art para vs e.g i.e approx ca fig vol ed sr jr co ltd inc "
    "jan feb mar apr jun jul aug sep sept oct nov dec mt rs tk rp mio mld bijv ong dhr mevr zgn".split()
)


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


def sentence_of(doc: Doc, start: int, end: int) -> str:
    """The text of the sentence(s) covering characters [start, end) of the doc."""
    if not doc.has_annotation("SENT_START"):
        return doc.text
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return doc.text
    first, last = span[0].sent, span[-1].sent
    return doc.text[first.start_char:last.end_char]
