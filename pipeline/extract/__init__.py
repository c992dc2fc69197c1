"""Extraction: run each post's language segments through that language's spaCy pipeline.

Every extractor module (conventions, organisations, figures) provides
- a spaCy factory of the same name whose component sets ``doc._.<name>`` to a list of
  ``records.Span`` items with offsets relative to the doc, and
- ``finalize(post, items) -> dict`` that turns the post's items (offsets already shifted into the
  post text) into the Record fields it owns (e.g. ``{"conventions": ..., "instruments": ...}``), and
- optionally ``link_fields(post, fields)``, run once every extractor has finalized, that completes in place fields
  other extractors own (countries: the country of each figure's and organisation mention's sentence).

This module holds the Extractor (one post batch in, one Record per post out); ``batch`` runs it over
files and streams of posts, in this process or through ``pipeline.runner``, and registers ``extract``.
"""

from __future__ import annotations

import gc
import importlib
import logging
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from itertools import islice
from typing import Any

from pipeline.config import DEFAULT_LANGUAGE_BACKEND, MAX_DOC_CHARS
from pipeline.extract.chunks import chunk_spans
from pipeline.flags import CHUNKED
from pipeline.records import Paragraph, Post, Record, Span

log = logging.getLogger(__name__)

EXTRACTORS = ("conventions", "organisations", "figures", "countries")
PIPELINE_LANGUAGES = ("en", "nl", "fr")


@dataclass(frozen=True)
class Segment:
    """A run of consecutive paragraphs in one language, as a slice of the post's text (or its title)."""

    start: int
    end: int
    language: str
    field: str = "text"


def pipeline_language(lang: str | None, fallback: str = "en") -> str:
    """Map a detected language to one of the pipelines (other languages use the fallback)."""
    if lang in PIPELINE_LANGUAGES:
        return lang  # type: ignore[return-value]
    return fallback if fallback in PIPELINE_LANGUAGES else "en"


def segments(post: Post, limit: int | None = None) -> list[Segment]:
    """The title, then the post's paragraphs grouped into runs of one pipeline language.

    With a `limit`, a run longer than that is cut into chunks no longer than it (``chunks.chunk_spans``: at
    paragraph breaks, else sentence ends, else white space), each its own segment.
    """
    base = pipeline_language(post.language)
    paras: list[Paragraph] = post.paragraphs or [Paragraph(0, len(post.text), base)]
    out: list[Segment] = [Segment(0, len(post.title), base, "title")] if post.title.strip() else []
    first_body = len(out)
    for p in paras:
        lang = pipeline_language(p.language, base)
        if len(out) > first_body and out[-1].language == lang:
            out[-1] = Segment(out[-1].start, p.end, lang)
        else:
            out.append(Segment(p.start, p.end, lang))
    kept = [s for s in out if s.end > s.start]
    if limit is None or all(s.end - s.start <= limit for s in kept):
        return kept
    return [Segment(a, b, s.language, s.field) if s.end - s.start > limit else s
            for s in kept for a, b in (chunk_spans(getattr(post, s.field), s.start, s.end, limit)
                                       if s.end - s.start > limit else [(s.start, s.end)])]


def chunked(post: Post, limit: int) -> bool:
    """Whether the post's title or one of its runs of one language is longer than `limit` (extracted in chunks)."""
    return (len(post.text) > limit or len(post.title) > limit) and any(s.end - s.start > limit for s in segments(post))


def shift(item: Span, offset: int, field: str = "text") -> Span:
    """Move an item's offsets from doc coordinates into the coordinates of the post's `field` (in place)."""
    # In place: the items are new from the doc's components and nothing else holds them, and
    # dataclasses.replace would rebuild every one of them.
    item.start += offset
    item.end += offset
    item.field = field
    return item


def make_doc(nlp: Any, text: str) -> Any:
    """Tokenise `text` into a Doc that keeps the text itself, for the components to read without rebuilding it."""
    from pipeline.extract.sentences import DOC_TEXT

    doc = nlp.make_doc(text)
    doc.user_data[DOC_TEXT] = text
    return doc


def memory_zone(nlp: Any) -> AbstractContextManager[Any]:
    """spaCy's memory zone (3.8+) around a batch, or nothing on older spaCy."""
    zone = getattr(nlp, "memory_zone", None)
    return zone() if zone is not None else nullcontext()


class Extractor:
    """Holds one loaded pipeline per language and turns posts into records."""

    def __init__(self, batch_size: int = 64, language_backend: str = DEFAULT_LANGUAGE_BACKEND,
                 learn_posts: int = 256) -> None:
        from pipeline.language import LanguageDetector

        self.batch_size = batch_size
        # The first `learn_posts` posts run outside memory zones, so their words stay in the vocab and the
        # tokenizer's cache for good: the corpus's common words are then never rebuilt, which otherwise
        # costs more than all the extractors together, while memory stays bounded (see _extract_batch).
        self.learn_posts = learn_posts
        self.seen = dict.fromkeys(PIPELINE_LANGUAGES, 0)  # posts each pipeline has seen (for the learning above)
        self.detector = LanguageDetector(backend=language_backend)
        # Pipelines are loaded when a post first needs them (``pipeline``): a corpus without French never loads
        # spaCy's French language, whose tokenizer exceptions alone take seconds to compile.
        self.nlps: dict[str, Any] = {}
        # Set by long-lived workers: what a load builds lives as long as the process, and is moved out of the
        # cyclic collector's reach (gc.freeze) so full collections do not traverse it again and again.
        self.freeze_loaded = False
        # The longest text one doc may hold: the pipeline's own limit (far under spaCy's max_length, which
        # ``pipeline`` checks on each load).
        self.max_chars = MAX_DOC_CHARS
        self.chunked: list[str] = []  # ids of the posts extracted in chunks, for the end-of-run summary
        modules = [importlib.import_module(f"pipeline.extract.{name}") for name in EXTRACTORS]
        self.finalizers = {name: module.finalize for name, module in zip(EXTRACTORS, modules, strict=True)}
        # Steps that read the fields of several extractors (the country of a figure's sentence), after them all.
        self.linkers = [module.link_fields for module in modules if hasattr(module, "link_fields")]

    def pipeline(self, lang: str) -> Any:
        """The spaCy pipeline of `lang`, loaded on first use (``load_all`` loads every one now)."""
        nlp = self.nlps.get(lang)
        if nlp is None:
            from pipeline.nlp import load_pipeline

            nlp = self.nlps[lang] = load_pipeline(lang)
            self.max_chars = min(self.max_chars, nlp.max_length)
            if self.freeze_loaded:
                gc.freeze()
        return nlp

    def load_all(self) -> None:
        """Load every language's pipeline now (a long-lived worker may prefer paying once up front)."""
        for lang in PIPELINE_LANGUAGES:
            self.pipeline(lang)

    def annotate(self, post: Post) -> Post:
        """Add language fields when the post does not carry them yet."""
        if post.language and post.paragraphs:
            return post
        return self.detector.annotate(post)

    def extract(self, posts: Iterable[Post]) -> Iterator[Record]:
        """Yield one Record per post, in input order, processing in batches."""
        it = iter(posts)
        while batch := list(islice(it, self.batch_size)):
            yield from self._extract_batch([self.annotate(p) for p in batch])

    def process(self, posts: Sequence[Post]) -> list[tuple[Post, Record]]:
        """Annotate and extract, batch by batch as ``extract`` does: (annotated post, record) pairs in order."""
        out: list[tuple[Post, Record]] = []
        for k in range(0, len(posts), self.batch_size):
            annotated = [self.annotate(p) for p in posts[k : k + self.batch_size]]
            out.extend(zip(annotated, self._extract_batch(annotated), strict=True))
        return out

    def _extract_batch(self, posts: list[Post]) -> list[Record]:
        items: list[dict[str, list[Span]]] = [{name: [] for name in EXTRACTORS} for _ in posts]
        for lang in PIPELINE_LANGUAGES:
            jobs = [(i, seg) for i, post in enumerate(posts) for seg in segments(post, self.max_chars)
                    if seg.language == lang]
            if not jobs:
                continue
            nlp = self.pipeline(lang)
            docs = (make_doc(nlp, getattr(posts[i], seg.field)[seg.start : seg.end]) for i, seg in jobs)
            # The zone frees the strings and lexemes a batch adds to the vocab (every new number and name),
            # so that memory does not grow with the corpus; items are plain dataclasses, safe to keep.
            with memory_zone(nlp) if self.seen[lang] >= self.learn_posts else nullcontext():
                for (i, seg), doc in zip(jobs, nlp.pipe(docs, batch_size=self.batch_size), strict=True):
                    for name in EXTRACTORS:
                        found = getattr(doc._, name) or []
                        items[i][name].extend(shift(item, seg.start, seg.field) for item in found)
            self.seen[lang] += len({i for i, _ in jobs})
        return [self._record(post, found) for post, found in zip(posts, items, strict=True)]

    def _record(self, post: Post, found: dict[str, list[Span]]) -> Record:
        fields: dict[str, Any] = {}
        for name in EXTRACTORS:
            ordered = sorted(found[name], key=lambda s: (s.field != "title", s.start, s.end))
            fields.update(self.finalizers[name](post, ordered))
        for link_fields in self.linkers:
            link_fields(post, fields)
        flags = list(post.flags)
        if chunked(post, self.max_chars) and CHUNKED not in flags:
            flags.append(CHUNKED)
            self.chunked.append(post.id)
            log.warning("post %s: %d characters, more than one doc holds (%d): extracted in chunks, flagged %s",
                        post.id, len(post.text), self.max_chars, CHUNKED)
        return Record(
            id=post.id,
            url=post.url,
            date=post.date,
            title=post.title,
            language=post.language or "en",
            complete=post.complete,
            flags=flags,
            mixed=post.mixed,
            paragraphs=list(post.paragraphs),
            **fields,
        )
