"""Extraction: run each post's language segments through that language's spaCy pipeline.

Every extractor module (conventions, organisations, figures) provides
- a spaCy factory of the same name whose component sets ``doc._.<name>`` to a list of
  ``records.Span`` items with offsets relative to the doc, and
- ``finalize(post, items) -> dict`` that turns the post's items (offsets already shifted into the
  post text) into the Record fields it owns (e.g. ``{"conventions": ..., "instruments": ...}``).
"""

from __future__ import annotations

import argparse
import importlib
import logging
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from itertools import islice
from typing import Any

from pipeline.records import Paragraph, Post, Record, Span

log = logging.getLogger(__name__)

EXTRACTORS = ("conventions", "organisations", "figures")
PIPELINE_LANGUAGES = ("en", "nl")


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


def segments(post: Post) -> list[Segment]:
    """The title, then the post's paragraphs grouped into runs of one pipeline language."""
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
    return [s for s in out if s.end > s.start]


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

    def __init__(self, batch_size: int = 64, language_backend: str = "langdetect", learn_posts: int = 256) -> None:
        from pipeline.language import LanguageDetector
        from pipeline.nlp import load_pipeline

        self.batch_size = batch_size
        # The first `learn_posts` posts run outside memory zones, so their words stay in the vocab and the
        # tokenizer's cache for good: the corpus's common words are then never rebuilt, which otherwise
        # costs more than all the extractors together, while memory stays bounded (see _extract_batch).
        self.learn_posts = learn_posts
        self.seen = 0
        self.detector = LanguageDetector(backend=language_backend)
        self.nlps = {lang: load_pipeline(lang) for lang in PIPELINE_LANGUAGES}
        self.finalizers = {
            name: importlib.import_module(f"pipeline.extract.{name}").finalize for name in EXTRACTORS
        }

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
        for lang, nlp in self.nlps.items():
            jobs = [(i, seg) for i, post in enumerate(posts) for seg in segments(post) if seg.language == lang]
            docs = (make_doc(nlp, getattr(posts[i], seg.field)[seg.start : seg.end]) for i, seg in jobs)
            # The zone frees the strings and lexemes a batch adds to the vocab (every new number and name),
            # so that memory does not grow with the corpus; items are plain dataclasses, safe to keep.
            with memory_zone(nlp) if self.seen >= self.learn_posts else nullcontext():
                for (i, seg), doc in zip(jobs, nlp.pipe(docs, batch_size=self.batch_size), strict=True):
                    for name in EXTRACTORS:
                        found = getattr(doc._, name) or []
                        items[i][name].extend(shift(item, seg.start, seg.field) for item in found)
        self.seen += len(posts)
        return [self._record(post, found) for post, found in zip(posts, items, strict=True)]

    def _record(self, post: Post, found: dict[str, list[Span]]) -> Record:
        fields: dict[str, Any] = {}
        for name in EXTRACTORS:
            ordered = sorted(found[name], key=lambda s: (s.field != "title", s.start, s.end))
            fields.update(self.finalizers[name](post, ordered))
        return Record(
            id=post.id,
            url=post.url,
            date=post.date,
            title=post.title,
            language=post.language or "en",
            mixed=post.mixed,
            paragraphs=list(post.paragraphs),
            **fields,
        )


def extract_file(posts_path: str, out_path: str, batch_size: int = 64, *, workers: int = 1,
                 executor: str = "local", scheduler: str | None = None, chunk_size: int = 256) -> int:
    """Read posts.jsonl, write records.jsonl (atomically, in input order); return the count.

    With ``workers > 1`` or ``executor="dask"`` the posts are processed by pipeline.parallel on a
    process pool or a Dask cluster; the output is the same, byte for byte.
    """
    from pipeline.jsonl import read_jsonl, write_jsonl
    from pipeline.progress import progress

    if workers > 1 or executor != "local":
        from pipeline.parallel import ExecOptions, extract_file_parallel

        options = ExecOptions(workers=workers, executor=executor, scheduler=scheduler, batch_size=batch_size,
                              chunk_size=chunk_size)
        return extract_file_parallel(posts_path, out_path, options)

    posts = (post_from_row(row, posts_path, n) for n, row in enumerate(read_jsonl(posts_path), 1))
    extractor = Extractor(batch_size=batch_size)
    records = (r.to_dict() for r in extractor.extract(progress(posts, "extract")))
    n = write_jsonl(out_path, records)
    log.info("extracted %d records to %s", n, out_path)
    return n


def post_from_row(row: dict[str, Any], source: str = "<input>", lineno: int = 0) -> Post:
    """Accept a full Post dict or a minimal one (``id``, ``text``, optional ``title``, ``date``, ``url``)."""
    from pipeline.errors import InputError

    if "id" not in row or not isinstance(row.get("text"), str):
        raise InputError(f"{source}: post {lineno} lacks an 'id' or a 'text' string")
    data = {"url": "", "date": "", "title": "", **row}
    data["id"] = str(data["id"])
    return Post.from_dict(data)


def add_cli(sub: argparse._SubParsersAction) -> None:
    """Register ``extract``."""
    p = sub.add_parser("extract", help="extract figures, organisations and ILO conventions from posts.jsonl",
                       description="Read posts (JSON Lines: id, title, text, optional date, url, language) "
                       "and write one record a line, in input order.")
    p.add_argument("posts", help="posts.jsonl")
    p.add_argument("-o", "--out", required=True, help="records.jsonl to write")
    p.add_argument("--batch-size", type=int, default=64)
    from pipeline.parallel import add_executor_arguments

    add_executor_arguments(p)
    p.set_defaults(func=lambda a: extract_file(a.posts, a.out, a.batch_size, workers=a.workers, executor=a.executor,
                                               scheduler=a.scheduler, chunk_size=a.chunk_size) and 0)
