"""A deterministic synthetic Blogger blog, so that benchmarks and scale tests need no network.

Posts are built from sentence templates in the blog's genre (English, about one in ten Dutch, some
Dutch posts with an English paragraph) and carry figures (people reached with breakdowns,
percentages, money in several currencies and formats), organisations from the project's knowledge
base and ILO instruments from the shipped table. They are rendered as classic Blogger month-archive
listing pages (several posts per date header, some truncated behind a jump link, with their
permalink pages) plus a home page, and written as a raw store (WARC) with fixed record ids and
dates, so the same seed gives the same bytes.

Every post draws from its own ``random.Random`` seeded by (seed, index): generation streams in
constant memory and post *i* does not depend on how many posts come after it. What the posts name
comes from ``entities``, their sentences from ``templates`` filled by ``writer``, their pages from
``render``.
"""

from __future__ import annotations

import argparse
import io
import logging
import uuid
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from itertools import groupby
from pathlib import Path
from random import Random
from urllib.parse import quote

from pipeline.bench.entities import vocabulary
from pipeline.bench.render import BlogMeta, listing_page, permalink_page, slugify, text_to_html
from pipeline.bench.templates import (
    COUNTRIES,
    EN_BULLET,
    EN_FIGURE,
    EN_INSTRUMENT,
    EN_INTRO,
    EN_TITLE,
    LABELS,
    NL_TITLE,
    POOLS,
)
from pipeline.bench.writer import Writer
from pipeline.errors import InputError
from pipeline.options import positive_int
from pipeline.records import Post

log = logging.getLogger(__name__)

START = date(2008, 1, 7)
SPAN_DAYS = 6200  # posts fall between 2008 and the end of 2024
DAYS_PER_POST = 4
CRAWL_TIME = datetime(2025, 1, 15, 12, 0, 0, tzinfo=UTC)  # fixed WARC dates: byte-identical output
TZ = "+07:00"
DUTCH_EVERY = 10  # exactly one Dutch post in each block of ten
MIXED_SHARE = 0.3  # of Dutch posts, those with an English paragraph
TRUNCATED_SHARE = 0.2
PAGE_SIZE = 10
WORDS_MEAN, WORDS_SD, WORDS_MIN, WORDS_MAX = 240, 45, 140, 400
AUTHORS = ("INSP!R Asia", "INSP!R Asia", "INSP!R Asia", "Asia Steering Committee", "WSM Asia")
CONTENT_TYPE = [("Content-Type", "text/html; charset=UTF-8")]


def _words(text: str) -> int:
    return len(text.split())


def _body(w: Writer, lang: str, mixed: bool, en_writer: Writer | None) -> str:
    intro, figure, instrument, org, filler, closing = POOLS[lang]
    rng = w.rng
    target = max(WORDS_MIN, min(WORDS_MAX, int(rng.gauss(WORDS_MEAN, WORDS_SD))))
    paras = [w.paragraph([intro, filler], rng.randint(2, 3))]
    middles = ([figure, filler], [instrument, org], [figure, org, figure], [filler, instrument, figure])
    bullets_at = rng.randrange(2, 5) if lang == "en" and rng.random() < 0.2 else -1
    while sum(map(_words, paras)) < target - 20:
        if len(paras) == bullets_at:
            items = [w.fill(rng.choice(EN_BULLET)) for _ in range(rng.randint(3, 5))]
            paras.append(w.fill("Results of {year}:") + "\n" + "\n".join(f"  • {it}" for it in items))
            continue
        paras.append(w.paragraph(rng.choice(middles), rng.randint(2, 4)))
    if mixed and en_writer is not None:
        english = en_writer.paragraph([EN_INTRO, EN_FIGURE, EN_INSTRUMENT], rng.randint(2, 3))
        paras.insert(rng.randint(1, len(paras)), english)
    paras.append(w.paragraph([closing], rng.randint(1, 2)))
    return "\n\n".join(paras)


def _with_more(html: str) -> str:
    """Put a jump break after the first paragraph of a body."""
    cut = html.find("</p>")
    return html if cut < 0 else html[: cut + 4] + "\n<!--more-->" + html[cut + 4 :]


@dataclass(frozen=True)
class SynthPost:
    """A synthetic post and how it appears on the listing pages."""

    post: Post
    truncated: bool
    dutch: bool
    mixed: bool


def schedule(n: int, seed: int) -> Iterator[datetime]:
    """Publication times, oldest first: bursts of several posts a day spread over the blog's life."""
    rng = Random(f"synth:{seed}:dates")
    # About two posts a week like the real blog, denser when many posts must fit into its lifetime.
    span = min(SPAN_DAYS, n * DAYS_PER_POST)
    per_day = max(1.8, n / (span * 0.9))
    days = max(1, round(n / per_day))
    step = max(1, span // days)
    emitted, k = 0, 0
    while emitted < n:
        day = START + timedelta(days=k * step + rng.randrange(step))
        burst = min(n - emitted, rng.randint(1, max(1, round(2 * per_day - 1))))
        minutes = sorted(rng.sample(range(7 * 60, 23 * 60), burst))
        for m in minutes:
            yield datetime(day.year, day.month, day.day, m // 60, m % 60)
        emitted += burst
        k += 1


def synth_entries(n: int, seed: int = 0, meta: BlogMeta | None = None) -> Iterator[SynthPost]:
    """Yield `n` synthetic posts, oldest first, with their listing attributes; deterministic per seed."""
    if n < 0:
        raise InputError(f"--posts must be 0 or more, not {n}")
    meta = meta or BlogMeta(labels=LABELS)
    vocab = vocabulary()
    slugs: dict[str, int] = {}
    month = ""
    for i, when in enumerate(schedule(n, seed)):
        rng = Random(f"synth:{seed}:post:{i}")
        dutch = Random(f"synth:{seed}:dutch:{i // DUTCH_EVERY}").randrange(DUTCH_EVERY) == i % DUTCH_EVERY
        mixed = dutch and rng.random() < MIXED_SHARE
        lang = "nl" if dutch else "en"
        country = rng.choice(COUNTRIES)
        w = Writer(rng, vocab, country, lang, when.year)
        en_writer = Writer(rng, vocab, country, "en", when.year) if mixed else None
        title = w.fill(rng.choice(NL_TITLE if dutch else EN_TITLE))
        text = _body(w, lang, mixed, en_writer)
        truncated = rng.random() < TRUNCATED_SHARE
        html = text_to_html(text)
        if truncated:
            html = _with_more(html)
        ym = f"{when.year:04d}/{when.month:02d}"
        if ym != month:
            month, slugs = ym, {}
        slug = slugify(title)
        slugs[slug] = slugs.get(slug, 0) + 1
        if slugs[slug] > 1:
            slug = f"{slug}_{slugs[slug]:02d}"
        labels = sorted(rng.sample(LABELS, rng.randint(1, 3)) + (["nederlands"] if dutch else []))
        post = Post(
            id=str(5_000_000_000_000_000_000 + i * 7_919 + rng.randrange(7_919)),
            url=meta.url(f"{ym}/{slug}.html"),
            date=when.strftime("%Y-%m-%d"),
            published=when.strftime("%Y-%m-%dT%H:%M:00") + TZ,
            title=title,
            text=text,
            author=rng.choice(AUTHORS),
            labels=labels,
            html=html,
        )
        yield SynthPost(post, truncated, dutch, mixed)


def synth_posts(n: int, seed: int = 0) -> Iterator[Post]:
    """Yield `n` synthetic posts (oldest first) without writing anything; for benchmarks and tests."""
    for entry in synth_entries(n, seed):
        yield entry.post


# ---------------------------------------------------------------- pages and the raw store


@dataclass(frozen=True)
class Page:
    """One rendered page to store."""

    url: str
    html: str


def synth_pages(entries: Iterable[SynthPost], meta: BlogMeta, page_size: int = PAGE_SIZE) -> Iterator[Page]:
    """Month archive pages (newest first, paginated), permalink pages of truncated posts, then the home page."""
    newest: deque[SynthPost] = deque(maxlen=page_size)
    archive: list[tuple[int, int, int]] = []
    for (year, month), group in groupby(entries, key=lambda e: (int(e.post.date[:4]), int(e.post.date[5:7]))):
        posts = list(group)
        newest.extend(posts)
        archive = [a for a in archive if a[0] == year] + [(year, month, len(posts))]
        ordered = posts[::-1]
        pages = [ordered[k : k + page_size] for k in range(0, len(ordered), page_size)]
        urls = [meta.url(f"{year:04d}/{month:02d}/")] + [
            meta.url(f"search?updated-max={quote(p[-1].post.published or '')}&max-results={page_size}")
            for p in pages[:-1]
        ]
        for k, chunk in enumerate(pages):
            yield Page(urls[k], listing_page(
                meta, [e.post for e in chunk],
                truncate_ids=frozenset(e.post.id for e in chunk if e.truncated),
                older_url=urls[k + 1] if k + 1 < len(urls) else None,
                newer_url=urls[k - 1] if k else None,
                archive=archive,
            ))
        for e in posts:
            if e.truncated:
                yield Page(e.post.url, permalink_page(meta, e.post))
    if newest:
        home = list(newest)[::-1]
        yield Page(meta.base_url, listing_page(
            meta, [e.post for e in home], truncate_ids=frozenset(e.post.id for e in home if e.truncated),
            older_url=meta.url(f"search?updated-max={quote(home[-1].post.published or '')}&max-results={page_size}"),
            archive=archive,
        ))


@dataclass
class SynthSummary:
    """What a synthetic store holds."""

    posts: int = 0
    dutch: int = 0
    mixed: int = 0
    truncated: int = 0
    pages: int = 0
    bytes: int = 0
    path: str = ""
    words: int = 0


def _counting(entries: Iterable[SynthPost], summary: SynthSummary) -> Iterator[SynthPost]:
    for e in entries:
        summary.posts += 1
        summary.dutch += e.dutch
        summary.mixed += e.mixed
        summary.truncated += e.truncated
        summary.words += _words(e.post.text)
        yield e


def write_synth(out: str | Path, n: int, seed: int = 0, page_size: int = PAGE_SIZE) -> SynthSummary:
    """Write a synthetic blog of `n` posts as a raw store in `out` (atomically); same seed, same bytes."""
    if n < 0 or page_size < 1:
        raise InputError(f"--posts must be 0 or more ({n}) and --page-size at least 1 ({page_size})")
    meta = BlogMeta(labels=LABELS)
    summary = write_store(out, synth_entries(n, seed, meta), meta, f"synth/{seed}", page_size)
    log.info("synthetic blog: %d posts (%d Dutch, %d mixed, %d truncated), %d pages, %.1f MB in %s",
             summary.posts, summary.dutch, summary.mixed, summary.truncated, summary.pages, summary.bytes / 1e6,
             summary.path)
    return summary


def write_store(out: str | Path, entries: Iterable[SynthPost], meta: BlogMeta, salt: str,
                page_size: int = PAGE_SIZE) -> SynthSummary:
    """Render posts (oldest first) as a blog's pages and write them as a raw store in `out` (atomically).

    Record ids come from `salt` and the page, dates are fixed: the same posts give the same bytes."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    from pipeline.jsonl import atomic_open
    from pipeline.rawstore import WARC_NAME

    out_dir = Path(out)
    if out_dir.exists() and not out_dir.is_dir():
        raise InputError(f"{out_dir}: the raw store must be a directory")
    others = [p.name for p in out_dir.glob("*.warc*") if p.name != WARC_NAME] if out_dir.is_dir() else []
    if others:
        raise InputError(f"{out_dir}: holds other WARC files ({', '.join(sorted(others))}); use an empty directory")
    summary = SynthSummary(path=str(out_dir / WARC_NAME))
    with atomic_open(out_dir / WARC_NAME, "wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for k, page in enumerate(synth_pages(_counting(entries, summary), meta, page_size)):
            body = page.html.encode("utf-8")
            http = StatusAndHeaders("200 OK", list(CONTENT_TYPE), protocol="HTTP/1.1")
            # Fixed record ids and dates make the store byte-identical for the same posts.
            headers = {
                "WARC-Date": (CRAWL_TIME + timedelta(seconds=k)).strftime("%Y-%m-%dT%H:%M:%SZ"),
                "WARC-Record-ID": f"<urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'{salt}/{k}/{page.url}')}>",
            }
            record = writer.create_warc_record(page.url, "response", payload=io.BytesIO(body), length=len(body),
                                               http_headers=http, warc_headers_dict=headers)
            writer.write_record(record)
            summary.pages += 1
        summary.bytes = fh.tell()
    return summary


def add_cli(sub: argparse._SubParsersAction) -> None:
    """Register ``synth``."""
    p = sub.add_parser("synth", help="write a deterministic synthetic Blogger blog as a raw store",
                       description="Generate N posts in the blog's genre (English, about one in ten Dutch, some "
                       "mixed; figures, organisations, ILO conventions) and store them as Blogger month-archive "
                       "listing pages, permalink pages of truncated posts and a home page, in a WARC raw store. "
                       "The same seed gives byte-identical output.")
    p.add_argument("--posts", type=positive_int, required=True, metavar="N", help="number of posts")
    p.add_argument("--out", required=True, metavar="RAW", help="raw store directory to write")
    p.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    p.add_argument("--page-size", type=positive_int, default=PAGE_SIZE,
                   help=f"posts per listing page (default {PAGE_SIZE})")
    p.set_defaults(func=lambda a: write_synth(a.out, a.posts, a.seed, a.page_size) and 0)
