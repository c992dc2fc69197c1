"""The countries spaCy component; ``finalize``, which resolves shared forms and groups a post's mentions by
country; and ``link_fields``, which gives each figure and organisation mention the country named in its sentence."""

from __future__ import annotations

from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from pipeline.extract.countries.find import find_countries
from pipeline.extract.countries.forms import forms
from pipeline.extract.sentences import doc_text, sentence_of
from pipeline.records import Country, CountryMention, Post, Span

if not Doc.has_extension("countries"):
    Doc.set_extension("countries", default=None)


class CountriesComponent:
    """spaCy component: sets ``doc._.countries`` to CountryMention items (doc offsets). Placed after the
    organisations component, it reads its spans: a country inside an organisation's name is marked so."""

    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name
        self.forms = forms()

    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        orgs = doc._.organisations if Doc.has_extension("organisations") else None
        spans = [(o.start, o.end) for o in orgs or ()]
        doc._.countries = [
            CountryMention(text=text[f.start:f.end], start=f.start, end=f.end,
                           sentence=sentence_of(doc, f.start, f.end), code=f.form.codes[0], kind=f.form.kind,
                           organisation=f.organisation, ambiguous=len(f.form.codes) > 1)
            for f in find_countries(text, spans, self.forms)
        ]
        return doc


@Language.factory("countries")
def make_countries(nlp: Language, name: str) -> CountriesComponent:
    """Factory of the countries component."""
    return CountriesComponent(nlp, name)


def resolve(mentions: list[CountryMention]) -> list[CountryMention]:
    """A form of several countries ("Congo", "Korea") names the one of them that the post names otherwise, when
    there is exactly one such; else it keeps the usual country and stays `ambiguous` (in place)."""
    named = {m.code for m in mentions if not m.ambiguous}
    known = forms()
    for m in mentions:
        if not m.ambiguous:
            continue
        form = known.lookup(m.text)
        hits = [c for c in form.codes if c in named] if form is not None else []
        if len(hits) == 1:
            m.code, m.ambiguous = hits[0], False
    return mentions


def finalize(post: Post, mentions: list[CountryMention]) -> dict[str, list]:
    """Record field owned by this extractor: the countries of the post, in the order of their first mention."""
    names = forms().names
    by_code: dict[str, Country] = {}
    for m in resolve(mentions):
        by_code.setdefault(m.code, Country(m.code, names.get(m.code, m.code))).mentions.append(m)
    return {"countries": list(by_code.values())}


def _sentence_span(post: Post, item: Span) -> tuple[int, int] | None:
    """Offsets in the post's field of the sentence an item stands in (the occurrence that holds the item)."""
    text = getattr(post, item.field, "")
    at = text.rfind(item.sentence, 0, item.start + len(item.sentence))
    if at < 0 or at + len(item.sentence) < item.end:
        return None
    return at, at + len(item.sentence)


def link_fields(post: Post, fields: dict[str, Any]) -> None:
    """Give each figure and organisation mention (in place) the country named in its sentence, when exactly one
    country is named there; None otherwise. Runs after every extractor's ``finalize``."""
    placed = [(m.field, m.start, m.end, c.code) for c in fields.get("countries", []) for m in c.mentions]
    items: list[Any] = list(fields.get("figures", []))
    items += [m for org in fields.get("organisations", []) for m in org.mentions]
    for item in items:
        span = _sentence_span(post, item) if placed else None
        codes = {code for field, s, e, code in placed if field == item.field and span and span[0] <= s and e <= span[1]}
        item.country = codes.pop() if len(codes) == 1 else None
