"""A benchmark corpus of real text: the bundled snapshot's posts and the project's real sample texts, replicated.

The synthetic blog's small template vocabulary makes spaCy's tokenizer cache (and so the tokenizer floor)
several times faster than on real posts. This corpus is made of real posts instead:
- the posts of the bundled snapshot (``corpus/raw``, parsed);
- the real sample texts in ``../shared/eval`` (Dutch and French dev posts, the seed posts) when that folder
  is there; without it the corpus is the snapshot's posts alone, and the report says so (``sources``).

Replicated to the size asked for, each copy with its own id, permalink and date, and rendered as the same
kind of Blogger pages as the synthetic blog, so that parse, language, extraction, split and exports all run
on it. Replication repeats the same words, which keeps spaCy's tokenizer cache warm; the benchmark also
reports a first pass over the unique posts (``unique_posts``).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from random import Random

from pipeline.bench.render import BlogMeta, slugify, text_to_html
from pipeline.bench.synth import PAGE_SIZE, TRUNCATED_SHARE, TZ, SynthPost, SynthSummary, schedule, write_store
from pipeline.config import HOME_DIR, SNAPSHOT_RAW
from pipeline.errors import InputError
from pipeline.records import Post

log = logging.getLogger(__name__)

SHARED_EVAL = HOME_DIR.resolve().parent / "shared" / "eval"
SAMPLE_FILES = ("dev_nl_posts.jsonl", "dev_fr_posts.jsonl", "seed_posts.jsonl")


def unique_posts(snapshot: Path = SNAPSHOT_RAW, shared: Path = SHARED_EVAL) -> tuple[list[Post], dict[str, int]]:
    """The real posts the corpus is made of (distinct texts, in a fixed order) and how many came from where."""
    from pipeline.parse import parse_store

    posts: list[Post] = []
    sources: dict[str, int] = {}
    if snapshot.exists():
        snap = parse_store(snapshot)
        posts += snap
        name = snapshot.relative_to(HOME_DIR) if snapshot.is_relative_to(HOME_DIR) else snapshot
        sources[str(name)] = len(snap)
    for name in SAMPLE_FILES:
        path = shared / name
        if not path.is_file():
            log.warning("%s not found: the real-text benchmark corpus goes without it", path)
            continue
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        posts += [Post(id=str(r["id"]), url="", date=str(r.get("date") or ""), title=str(r.get("title") or ""),
                       text=str(r["text"]), html=text_to_html(str(r["text"]))) for r in rows]
        sources[f"../shared/eval/{name}"] = len(rows)
    distinct = list({p.text: p for p in reversed(posts) if p.text.strip()}.values())[::-1]  # the first of each text
    if not distinct:
        raise InputError(f"no real posts for the benchmark: {snapshot} and {shared} hold none")
    return distinct, sources


def real_entries(n: int, base: list[Post], seed: int = 0, meta: BlogMeta | None = None) -> Iterator[SynthPost]:
    """`n` posts, oldest first: copies of the real posts in turn, each with its own id, permalink and date."""
    meta = meta or BlogMeta()
    for i, when in enumerate(schedule(n, seed)):
        src = base[i % len(base)]
        rng = Random(f"real:{seed}:{i}")
        ym = f"{when.year:04d}/{when.month:02d}"
        html = src.html or text_to_html(src.text)
        truncated = rng.random() < TRUNCATED_SHARE and "</p>" in html
        if truncated:
            cut = html.find("</p>")
            html = html[: cut + 4] + "\n<!--more-->" + html[cut + 4 :]
        post = replace(src, id=str(6_000_000_000_000_000_000 + i),
                       url=meta.url(f"{ym}/{slugify(src.title or 'post')}-{i}.html"),
                       date=when.strftime("%Y-%m-%d"), published=when.strftime("%Y-%m-%dT%H:%M:00") + TZ, html=html,
                       language=None, paragraphs=[], flags=[], complete=True, source=None, capture=None)
        yield SynthPost(post, truncated, dutch=False, mixed=False)


def write_real(out: str | Path, n: int, seed: int = 0, page_size: int = PAGE_SIZE) -> tuple[SynthSummary, dict]:
    """Write the real-text corpus of `n` posts as a raw store in `out`; the summary and the corpus's sources."""
    base, sources = unique_posts()
    meta = BlogMeta()
    summary = write_store(out, real_entries(n, base, seed, meta), meta, f"real/{seed}", page_size)
    log.info("real-text blog: %d posts (copies of %d distinct real posts), %d pages, %.1f MB in %s", summary.posts,
             len(base), summary.pages, summary.bytes / 1e6, summary.path)
    return summary, {"unique_posts": len(base), "sources": sources}
