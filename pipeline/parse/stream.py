"""A raw store's posts: streamed in bounded memory (``iter_posts``), as a list (``parse_store``), as a file.

``iter_posts`` yields every post of a raw store deduplicated (the fullest copy of each post wins, see
``candidate.merge``), newest first, while holding only a few fields per post in memory: page results
are spilled to a temporary file and read back by offset. ``run`` streams it into the later stages;
``parse_store`` is its list, and the ``parse`` command writes that list as posts.jsonl.
"""

from __future__ import annotations

import argparse
import logging
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pipeline.errors import InputError
from pipeline.jsonl import dumps, row_at, write_jsonl
from pipeline.parse.candidate import Candidate, merge
from pipeline.parse.responses import candidates_of
from pipeline.progress import progress
from pipeline.rawstore import iter_raw
from pipeline.records import Post

log = logging.getLogger(__name__)


def _line(obj: Any) -> bytes:
    return (dumps(obj) + "\n").encode("utf-8")


def iter_posts(raw: str | Path, tmp_dir: str | Path | None = None) -> Iterator[Post]:
    """The posts of a raw store, deduplicated and newest first, holding a few fields per post in memory."""
    path = Path(raw)
    if not path.exists():  # at the call, not at the first post: nothing is opened for a store that is not there
        raise InputError(f"{path}: raw store not found")
    return _stream(path, tmp_dir)


def _stream(path: Path, tmp_dir: str | Path | None) -> Iterator[Post]:
    empty: list[str] = []
    summaries = 0
    with tempfile.TemporaryDirectory(prefix="pipeline-parse-", dir=tmp_dir) as tmp:
        copies: dict[str, list[int]] = {}
        with open(Path(tmp) / "candidates.jsonl", "w+b") as spill, open(Path(tmp) / "posts.jsonl", "w+b") as merged:
            for resp in progress(iter_raw(path), "parse", every=500):
                for cand in candidates_of(resp):
                    copies.setdefault(cand.post.id, []).append(spill.tell())
                    spill.write(_line([cand.completeness, cand.post.to_dict()]))
            # One post per id, merged by candidate.merge itself so that the rules stay in one place.
            keys: list[tuple[str, str, str, int]] = []
            for offsets in copies.values():
                cands = [Candidate(Post.from_dict(d), c) for c, d in (row_at(spill, o) for o in offsets)]
                post = merge(cands)[0]
                merged.seek(0, 2)
                keys.append((post.date, post.published or "", post.id, merged.tell()))
                merged.write(_line(post.to_dict()))
            copies.clear()
            keys.sort(reverse=True)  # candidate.sort_posts: newest first by date, timestamp, id
            for *_, offset in keys:
                post = Post.from_dict(row_at(merged, offset))
                if not post.text.strip():
                    empty.append(post.id)
                summaries += not post.complete
                yield post
    if empty:
        log.warning("%d posts have an empty body: %s", len(empty), ", ".join(empty[:10]))
    if summaries:
        log.warning("%d posts are summaries only (complete: false): no stored copy holds the whole body", summaries)


def parse_store(raw: str | Path) -> list[Post]:
    """Parse every response of a raw store into deduplicated posts, newest first."""
    return list(iter_posts(raw))


def parse_file(raw: str | Path, out: str | Path) -> int:
    """Parse a raw store and write posts.jsonl atomically; return the number of posts."""
    # Streamed straight into the file: memory does not grow with the store.
    n = write_jsonl(out, (p.to_dict() for p in iter_posts(raw)))
    log.info("wrote %d posts to %s", n, out)
    return n


def add_cli(sub: argparse._SubParsersAction) -> None:
    """Register ``parse``."""
    p = sub.add_parser("parse", help="parse a raw store (WARC) into posts.jsonl",
                       description="Turn stored listing pages, feeds and permalink pages into one record per "
                       "post (deduplicated, the fullest body wins), newest first.")
    p.add_argument("raw", help="raw store directory or .warc.gz file")
    p.add_argument("-o", "--out", required=True, help="posts.jsonl to write")
    p.set_defaults(func=lambda a: parse_file(a.raw, a.out) and 0)
