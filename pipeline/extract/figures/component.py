"""The figures spaCy component, and ``finalize``, which gives a post's figures their post-wide ids."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from pipeline.extract.conventions import extract_mentions
from pipeline.extract.figures.breakdowns import link
from pipeline.extract.figures.find import find_figures
from pipeline.extract.sentences import doc_text, sentence_of
from pipeline.instruments import load_table
from pipeline.records import Figure, Post, evolve

if not Doc.has_extension("figures"):
    Doc.set_extension("figures", default=None)


class FiguresComponent:
    """spaCy component: sets ``doc._.figures`` to Figure items (doc offsets, doc-local ids and parents)."""

    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name
        self.lang = nlp.lang if nlp.lang in ("en", "nl", "fr") else "en"
        self._conventions = extract_mentions
        self._table = load_table()

    def __call__(self, doc: Doc) -> Doc:
        done = doc._.conventions if Doc.has_extension("conventions") else None
        if done is not None:  # the conventions component ran first: reuse its spans
            doc._.figures = figures_of(doc, self.lang, blocked=[(c.start, c.end) for c in done])
        else:
            doc._.figures = figures_of(doc, self.lang, self._conventions, self._table)
        return doc


def figures_of(doc: Doc, lang: str, conventions=None, table=None,  # noqa: ANN001
               blocked: list[tuple[int, int]] | None = None) -> list[Figure]:
    """The figures of a doc, with doc-local ids 'f1', 'f2', ... and parents pointing at them."""
    text = doc_text(doc)
    blocked = list(blocked or [])
    if conventions is not None:
        blocked += [(c[0], c[1]) for c in conventions(text, table)]
    raws, parents = link(find_figures(text, lang, blocked), text, lang)
    figures = []
    for i, r in enumerate(raws):
        figures.append(Figure(
            text=text[r.start:r.end], start=r.start, end=r.end, sentence=sentence_of(doc, r.start, r.end),
            id=f"f{i + 1}", value=float(r.value), unit=r.unit, unit_text=r.unit_text, subject=r.subject,
            approx=r.approx, qualifier=r.qualifier, low=r.low, high=r.high,
            parent=f"f{parents[i] + 1}" if i in parents else None, group=r.group, share=r.share, language=lang,
        ))
    return figures


@Language.factory("figures")
def make_figures(nlp: Language, name: str) -> FiguresComponent:
    """Factory of the figures component."""
    return FiguresComponent(nlp, name)


def finalize(post: Post, figures: list[Figure]) -> dict[str, list]:
    """Post-wide ids '<post id>:f<n>' in text order, with parents remapped (doc-local ids may repeat)."""
    new_ids: dict[tuple[int, str], str] = {}
    out = []
    # Doc-local ids are unique within a language segment; the parent is always in the same segment and
    # earlier in the text, so the latest figure with that local id before the part is its parent.
    for n, f in enumerate(figures, 1):
        new_ids[(n, f.id)] = f"{post.id}:f{n}"
    for n, f in enumerate(figures, 1):
        parent = None
        if f.parent:
            for k in range(n - 1, 0, -1):
                if figures[k - 1].id == f.parent:
                    parent = new_ids[(k, f.parent)]
                    break
        out.append(evolve(f, id=new_ids[(n, f.id)], parent=parent))
    return {"figures": out}
