"""A post as one page shows it (a Candidate), and the merge of the copies of a post into one Post.

The merge rule, for the copies of one post (same id) from every stored page, live or archived:

1. The most complete copy wins: a whole body (a feed's content, the permalink page: ``FULL``) over a listing
   that shows the whole body (``LISTING``) over a summary (``TRUNCATED``: snippet, jump link, summary feed).
2. Among copies equally complete, the newest wins: the time of a copy is its Wayback capture timestamp, or,
   for a live copy, when it was fetched; at the same time a live copy beats a capture. Length never decides
   except between copies of the same completeness and time.
3. A whole body from an older copy beats a summary from a newer one, since the summary is a cut of the post.
   If the text of a copy a day or more newer is not in the kept body (the post was edited after the kept
   copy was made), the post is flagged ``newer_copy_differs``. If the kept copy is a summary, ``complete``
   is false and the post is flagged ``summary`` (unless the kept copy is flagged as cut short for another
   reason: ``payload_truncated``, ``nesting_cut``).
4. Labels, author, title, timestamp and date that the kept copy lacks are filled in from the other copies,
   best ranked first. A post that no copy dates is dropped and reported (its listing copies had no date).
   The kept copy's page URL is ``source``; its capture timestamp (null when live) ``capture``.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

from pipeline.flags import NESTING_CUT, NEWER_COPY_DIFFERS, PAYLOAD_TRUNCATED, SUMMARY
from pipeline.records import Post

log = logging.getLogger(__name__)

# Completeness of a body, so that the fullest copy of a post wins when pages overlap.
FULL, LISTING, TRUNCATED = 3, 2, 1
NON_WORD = re.compile(r"[\W_]+")
NON_DIGIT = re.compile(r"\D+")
CUT_SHORT = frozenset({PAYLOAD_TRUNCATED, NESTING_CUT})
ELLIPSIS_TAIL = re.compile(r"(?:\.\.\.|…|\[\s*(?:\.\.\.|…)\s*\])[\W]*$")


@dataclass
class Candidate:
    """A post as seen on one page, with how complete its body is and when the page was seen."""

    post: Post
    completeness: int
    link: str = ""  # the permalink as the page gives it (for fetching), before normalisation
    fetched: str = ""  # when a live page was fetched (WARC-Date); a capture's time is post.capture

    @property
    def when(self) -> str:
        """The time of this copy as 14 digits (yyyyMMddhhmmss), '' when unknown."""
        stamp = self.post.capture or self.fetched
        # A capture is 14 digits already; a WARC-Date ('2025-01-15T10:00:00Z') loses its separators.
        return stamp[:14] if stamp.isdigit() else NON_DIGIT.sub("", stamp)[:14]

    def rank(self) -> tuple[int, str, bool, int, str]:
        """Greater is better: completeness, then time, then live over archived, then length, then source."""
        return (self.completeness, self.when, self.post.capture is None, len(self.post.text), self.post.source or "")


def _compact(text: str) -> str:
    return NON_WORD.sub("", text).casefold()


def _agrees(newer: Candidate, kept: str) -> bool:
    """Is a newer copy's text part of the kept body (a summary: its words up to the cut)?"""
    text = newer.post.text
    if newer.completeness == TRUNCATED:
        text = ELLIPSIS_TAIL.sub("", text.rstrip())
        words = text.split()
        text = " ".join(words[:-1])  # the last word may be cut in the middle
    piece = _compact(text)
    return not piece or piece in kept


def merge(cands: Iterable[Candidate]) -> list[Post]:
    """One post per id, by the rule of the module docstring."""
    cands = list(cands)
    # A copy known only by a permalink-derived id ('u...') joins the copies of that permalink with a Blogger id.
    blogger_ids = {c.post.url: c.post.id for c in reversed(cands) if not c.post.id.startswith("u")}
    groups: dict[str, list[Candidate]] = {}
    for c in cands:
        pid = blogger_ids.get(c.post.url, c.post.id) if c.post.id.startswith("u") else c.post.id
        if pid != c.post.id:
            c = replace(c, post=replace(c.post, id=pid))
        groups.setdefault(pid, []).append(c)
    posts = [merge_copies(copies) for copies in groups.values()]
    undated = [p.url for p in posts if not p.date]
    if undated:
        log.warning("%d posts dropped: no copy gives their date: %s", len(undated), ", ".join(undated[:5]))
    return sort_posts(p for p in posts if p.date)


def merge_copies(copies: list[Candidate]) -> Post:
    """The one Post made of the copies of a post (all with the same id)."""
    ranked = sorted(copies, key=Candidate.rank, reverse=True)
    best = ranked[0]
    p = best.post
    flags = set(p.flags)
    if best.completeness == TRUNCATED:  # no copy holds the whole body: say so in the record
        p = replace(p, complete=False)
        if not flags & CUT_SHORT:  # a page cut short or nested too deep says so itself; it is no summary
            flags.add(SUMMARY)
    # Newer by a day at least: copies fetched in one crawl seconds apart are one look at the blog.
    newer = [c for c in ranked[1:] if c.when[:8] > best.when[:8]]
    if newer:
        kept = _compact(p.text)
        if not all(_agrees(c, kept) for c in newer):
            flags.add(NEWER_COPY_DIFFERS)
    for other in (c.post for c in ranked[1:]):
        if not p.labels and other.labels:
            p = replace(p, labels=list(other.labels))
        if not p.author and other.author:
            p = replace(p, author=other.author)
        if not p.title and other.title:
            p = replace(p, title=other.title)
        if not p.published and other.published:
            p = replace(p, published=other.published, date=other.published[:10])
        if not p.date and other.date:
            p = replace(p, date=other.date)
    if flags != set(p.flags):
        p = replace(p, flags=sorted(flags))
    return p


def sort_posts(posts: Iterable[Post]) -> list[Post]:
    """Newest first: by date, then published timestamp, then id (deterministic)."""
    return sorted(posts, key=lambda p: (p.date, p.published or "", p.id), reverse=True)
