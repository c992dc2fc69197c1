"""The spaCy component and its factory "organisations": sets ``doc._.organisations`` to the doc's
OrganisationMention items (offsets relative to the doc)."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from pipeline.extract.organisations.kbmatch import KBMatcher
from pipeline.extract.organisations.recognition import recognise
from pipeline.extract.sentences import _sentence_bounds, sentence_of
from pipeline.kb import load_kb
from pipeline.records import OrganisationMention

# The languages with rules of their own; any other pipeline runs the English ones.
RULE_LANGUAGES = ("en", "nl", "fr")

if not Doc.has_extension("organisations"):
    Doc.set_extension("organisations", default=None)


class OrganisationsComponent:
    """spaCy component: sets ``doc._.organisations`` to OrganisationMention items (doc offsets)."""

    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name
        self.lang = nlp.lang if nlp.lang in RULE_LANGUAGES else "en"
        self.matcher = KBMatcher(nlp, load_kb())

    def __call__(self, doc: Doc) -> Doc:
        # Doc.text joins the tokens on every access; the sentence helper caches it per doc for all extractors.
        text = _sentence_bounds(doc)[0]
        found = recognise(doc, text, self.matcher, self.lang)
        doc._.organisations = [
            OrganisationMention(text=text[c.start:c.end], start=c.start, end=c.end,
                                sentence=sentence_of(doc, c.start, c.end), language=self.lang, entity=c.key,
                                acronym=c.acronym)
            for c in found
        ]
        return doc


@Language.factory("organisations")
def make_organisations(nlp: Language, name: str) -> OrganisationsComponent:
    """Factory of the organisations component (reads nlp.lang; builds its matchers once)."""
    return OrganisationsComponent(nlp, name)
