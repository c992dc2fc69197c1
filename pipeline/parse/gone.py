"""Which posts' permalinks are gone: the raw store's newest live answer for the permalink is 404 or 410.

The crawler stores a 404/410 answer under the permalink URL it fetched (``rawstore.live_statuses`` gives
the newest live status of every stored URL; a Wayback copy is not a live answer). A post whose permalink
is gone carries the flag ``permalink_gone``: for a summary, the whole post could not be had; for a post
kept whole from another copy (a capture, a full feed), the blog has since removed or hidden it.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path

from pipeline.flags import PERMALINK_GONE
from pipeline.parse.urls import normalise_url
from pipeline.rawstore import live_statuses
from pipeline.records import Post

log = logging.getLogger(__name__)

GONE = frozenset({404, 410})


def gone_permalinks(raw: str | Path) -> dict[str, int]:
    """Normalised permalink -> 404 or 410, for every stored URL whose newest live answer is one of them."""
    return {normalise_url(url): status for url, status in live_statuses(raw).items() if status in GONE}


def flag_gone(post: Post, gone: dict[str, int]) -> Post:
    """The post, flagged ``permalink_gone`` when its permalink is in `gone` (``complete`` is left as it is)."""
    if not post.url or PERMALINK_GONE in post.flags or normalise_url(post.url) not in gone:
        return post
    return replace(post, flags=sorted({*post.flags, PERMALINK_GONE}))
