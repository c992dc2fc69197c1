"""A post as one page shows it (a Candidate), and the merge of the copies of a post into one Post."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from pipeline.flags import SUMMARY
from pipeline.records import Post

# Completeness of a body, so that the fullest copy of a post wins when pages overlap.
FULL, LISTING, TRUNCATED = 3, 2, 1


@dataclass
class Candidate:
    """A post as seen on one page, with how complete its body is."""

    post: Post
    completeness: int
    link: str = ""  # the permalink as the page gives it (for fetching), before normalisation


def merge(cands: Iterable[Candidate]) -> list[Post]:
    """One post per id: the fullest body wins; labels, author, title and timestamp fill in from any copy."""
    best: dict[str, Candidate] = {}
    extra: dict[str, list[Post]] = {}
    for c in cands:
        pid = c.post.id
        extra.setdefault(pid, []).append(c.post)
        cur = best.get(pid)
        if cur is None or (c.completeness, len(c.post.text)) > (cur.completeness, len(cur.post.text)):
            best[pid] = c
    posts = []
    for pid, c in best.items():
        p = c.post
        if c.completeness == TRUNCATED:  # no copy holds the whole body: say so in the record
            p = replace(p, complete=False, flags=sorted({*p.flags, SUMMARY}))
        for other in extra[pid]:
            if not p.labels and other.labels:
                p = replace(p, labels=list(other.labels))
            if not p.author and other.author:
                p = replace(p, author=other.author)
            if not p.title and other.title:
                p = replace(p, title=other.title)
            if not p.published and other.published:
                p = replace(p, published=other.published, date=other.published[:10])
        posts.append(p)
    return sort_posts(posts)


def sort_posts(posts: Iterable[Post]) -> list[Post]:
    """Newest first: by date, then published timestamp, then id (deterministic)."""
    return sorted(posts, key=lambda p: (p.date, p.published or "", p.id), reverse=True)
