"""The `sentences` component gives the same sentences as spaCy's sentencizer followed by a plain abbreviation guard."""

from __future__ import annotations

import random
import re

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc

from pipeline.extract import make_doc
from pipeline.extract.sentences import ABBREVIATIONS, SENTENCE_BOUNDS, sentence_of
from pipeline.nlp import register_factories

REFERENCE_DOT = re.compile(
    r"(?<![\w.])(?:" + "|".join(re.escape(a) for a in sorted(ABBREVIATIONS, key=len, reverse=True)) + r")\.(?=\s)",
    re.IGNORECASE,
)


@Language.component("test_reference_guard")
def reference_guard(doc: Doc) -> Doc:
    """The abbreviation rule written the obvious way: one regex, then the token after the period."""
    for m in REFERENCE_DOT.finditer(doc.text):
        span = doc.char_span(m.start(), m.end(), alignment_mode="expand")
        if span is not None and span.end < len(doc):
            doc[span.end].is_sent_start = False
    return doc


@Language.component("test_paragraph_starts")
def paragraph_starts(doc: Doc) -> Doc:
    """Sentences start at words, not white space, and after every blank line, written the obvious way."""
    for i, token in enumerate(doc[:-1]):
        if i and token.is_space and token.is_sent_start:
            token.is_sent_start = False
            doc[i + 1].is_sent_start = True
    for m in re.finditer(r"\n[^\S\n]*\n\s*", doc.text):
        span = doc.char_span(m.end(), m.end() + 1, alignment_mode="expand")
        if span is not None and span.start_char == m.end():
            doc[span.start].is_sent_start = True
    return doc


def texts() -> list[str]:
    """Hand-written edge cases plus random strings made of sentence-ending and abbreviation pieces."""
    fixed = ["", "a", ".", "Hello. ", "  \n\n", "x.\n\nY", " . ! ?", "Co. Ltd. inc. Approx. 5. E.G. x",
             "Mrs. Meng Navy spoke. No. 189 was ratified; see p. 47! (Yes.) \"Quoted.\" Next one... And more?",
             "Het verdrag nr. 189 is bijv. belangrijk. Dhr. Jansen sprak. Zo is het.",
             "Ratified in 2011.It works. U.S. law. 1.5 million. Done。Next",
             "Heading\n\nBody text. More.\n \n  • item\n", "  \n\nLead. \n\n\nNext"]
    rnd = random.Random(7)
    pieces = [*"ab .!?;,()\"'\n-", "\n\n", "\n \n", "  ", "No.", "no. ", "e.g.", "p.", "Mr.", "1.5", "U.S.", "…", "。",
              " nr. ", "art. ", "’", "\U00011047", "\U0001F600", "！"]
    return fixed + ["".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 30))) for _ in range(1500)]


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_sentences_component_matches_sentencizer_with_guard(lang: str) -> None:
    register_factories()
    reference = spacy.blank(lang)
    reference.add_pipe("sentencizer")
    reference.add_pipe("test_reference_guard")
    reference.add_pipe("test_paragraph_starts")
    ours = spacy.blank(lang)
    ours.add_pipe("sentences")
    for text in texts():
        expected, got = reference(text), ours(make_doc(ours, text))
        want = [(s.start_char, s.end_char) for s in expected.sents] if len(expected) else []
        assert ([(s.start_char, s.end_char) for s in got.sents] if len(got) else []) == want, text
        assert got.user_data[SENTENCE_BOUNDS] == (text, [a for a, _ in want], [b for _, b in want]), text


def test_sentence_of_respects_abbreviations() -> None:
    register_factories()
    nlp = spacy.blank("en")
    nlp.add_pipe("sentences")
    text = "It rained. Mrs. Meng Navy said that Convention No. 189 matters. Then we left."
    doc = nlp(text)
    start = text.index("189")
    assert sentence_of(doc, start, start + 3) == "Mrs. Meng Navy said that Convention No. 189 matters."
    assert sentence_of(doc, 0, 2) == "It rained."


def test_sentences_never_start_with_white_space_nor_run_across_a_paragraph_break() -> None:
    register_factories()
    nlp = spacy.blank("en")
    nlp.add_pipe("sentences")
    text = "The plan ended.\n\n\nWhat we achieved in numbers\n\nOver 300 members joined the union.\n"
    doc = nlp(make_doc(nlp, text))
    start = text.index("300")
    assert sentence_of(doc, start, start + 3) == "Over 300 members joined the union."
    heading = text.index("numbers")
    assert sentence_of(doc, heading, heading + 7) == "What we achieved in numbers"


def test_abbreviation_lookup_agrees_with_trying_every_length() -> None:
    """The abbreviation check looks at one place, where the word before the period starts."""
    from pipeline.extract.sentences import _abbreviation_before

    def every_length(text: str, dot: int) -> bool:
        for n in sorted({len(a) for a in ABBREVIATIONS}, reverse=True):
            start = dot - n
            if start >= 0 and text[start:dot].lower() in ABBREVIATIONS and (
                    start == 0 or not (text[start - 1].isalnum() or text[start - 1] in "._")):
                return True
        return False

    rnd = random.Random(21)
    pieces = ["No", "no", "e.g", "i.e", "approx", "Prof", "p", "pp", "x", "_", ".", " ", "\n", "(", "1", "İ", "ſt",
              "K", "Mrs", "mr", "ltd", "é", "-"]
    for _ in range(20000):
        text = "".join(rnd.choice(pieces) for _ in range(rnd.randint(1, 6))) + ". Next"
        for m in re.finditer(r"\.", text):
            assert _abbreviation_before(text, m.start()) == every_length(text, m.start()), text
