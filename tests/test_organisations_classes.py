"""Organisations in English: the error classes of issue 19, each with invented sentences (none is taken from a
post of the blog or of the evaluation sets)."""

from __future__ import annotations

import pytest
import spacy

from pipeline.extract import organisations, sentences  # noqa: F401  (register the factories)
from pipeline.extract.organisations import finalize
from pipeline.records import Organisation, Post


@pytest.fixture(scope="module")
def nlps() -> dict[str, spacy.language.Language]:
    out = {}
    for lang in ("en", "nl", "fr"):
        nlp = spacy.blank(lang)
        nlp.add_pipe("sentencizer")
        nlp.add_pipe("organisations")
        out[lang] = nlp
    return out


def entities(nlps, text: str, lang: str = "en") -> list[Organisation]:
    doc = nlps[lang](text)
    post = Post(id="p", url="", date="", title="", text=text, language=lang)
    orgs = finalize(post, doc._.organisations)["organisations"]
    for o in orgs:
        for m in o.mentions:
            assert text[m.start:m.end] == m.text
    return orgs


def names(nlps, text: str, lang: str = "en") -> list[str]:
    return [o.name for o in entities(nlps, text, lang)]


# ---------------------------------------------------------------- 3. capitals that are not names

def test_words_in_capitals_are_emphasis_or_labels(nlps) -> None:
    assert names(nlps, "Volunteers handed out TWO THOUSAND STICKERS at the factory gate.") == []
    assert names(nlps, "DEADLINE: send the signed forms to the office by Friday.") == []
    assert names(nlps, "Organisers said the strike was OVER and thanked everyone.") == []


def test_an_unknown_acronym_that_is_no_word_is_still_an_actor(nlps) -> None:
    assert names(nlps, "Last week KWTU held a meeting with the factory owners.") == ["KWTU"]


def test_places_in_capitals_are_not_organisations(nlps) -> None:
    assert names(nlps, "Delegates from POKHARA and SIEM REAP travelled to the capital.") == []
    assert names(nlps, "GENT (belga) - De vakbond kondigde een staking aan.", "nl") == []
