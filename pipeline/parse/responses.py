"""One stored response to the posts it shows: decode its body, say what kind of page it is, and hand it to
the page or feed parser. A response that cannot hold posts is skipped with a reason (status, robots.txt,
sitemap, comment feed, media type, empty body), so that the end-of-run summary can count it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from pipeline.parse.candidate import Candidate
from pipeline.parse.feeds import parse_feed_atom, parse_feed_json, parse_feed_rss
from pipeline.parse.page import parse_html_page
from pipeline.parse.urls import ITEM_PATH, normalise_url
from pipeline.rawstore import RawResponse

COMMENT_FEED = re.compile(r"/feeds/(?:\d+/comments|comments)/")
XML_ROOT = re.compile(rb"<(?:[\w-]+:)?(feed|rss|urlset|sitemapindex|html)\b", re.I)


@dataclass
class Outcome:
    """What one response gave: its kind (``feed``, ``item page``, ``listing page``, ``static page``) and its
    posts, or the reason it was skipped."""

    kind: str = ""
    candidates: list[Candidate] = field(default_factory=list)
    skipped: str | None = None


def decode_body(resp: RawResponse) -> str:
    """Decode a response: header charset, else <meta charset>, else UTF-8 (with a cp1252 fallback)."""
    body = resp.body
    ctype = resp.header("Content-Type") or ""
    m = re.search(r"charset=([\w.:-]+)", ctype, re.I)
    # UTF-8 validates itself: a body that decodes as UTF-8 is UTF-8 whatever the header claims.
    candidates = ["utf-8"]
    if m:
        candidates.append(m.group(1))
    mm = re.search(rb"<meta[^>]+charset=['\"]?([\w.:-]+)", body[:4096], re.I)
    if mm:
        candidates.append(mm.group(1).decode("ascii", "ignore"))
    candidates.append("cp1252")
    for enc in candidates:
        try:
            return body.decode(enc)
        except (LookupError, UnicodeDecodeError):
            continue
    return body.decode("utf-8", errors="replace")


def read_response(resp: RawResponse) -> Outcome:
    """The kind and posts of one stored response, or why it was skipped."""
    if resp.status != 200:
        return Outcome(skipped=f"status {resp.status}")
    if not resp.body or not resp.body.strip():
        return Outcome(skipped="empty body")
    path = urlsplit(resp.url).path
    ctype = resp.content_type
    if path.endswith("robots.txt"):
        return Outcome(skipped="robots.txt")
    if COMMENT_FEED.search(path):
        return Outcome(skipped="comment feed")
    head = resp.body[:2048].lstrip(b"\xef\xbb\xbf \t\r\n")
    root = XML_ROOT.search(head) if head[:1] == b"<" else None
    kind = root.group(1).lower().decode() if root else ""
    if kind in ("urlset", "sitemapindex"):
        return Outcome(skipped="sitemap")
    if kind == "feed":
        return _done("feed", resp, parse_feed_atom(resp.url, resp.body))
    if kind == "rss":
        return _done("feed", resp, parse_feed_rss(resp.url, resp.body))
    text = decode_body(resp)
    start = text.lstrip("\ufeff \t\r\n")[:1]
    if "/feeds/" in path and start != "<" or "json" in ctype or "javascript" in ctype:
        return _done("feed", resp, parse_feed_json(resp.url, text))
    if "xml" in ctype and kind != "html":
        return Outcome(skipped=f"not a page ({ctype})")
    if "html" in ctype or start == "<":
        page = "item page" if ITEM_PATH.match(path) else "static page" if path.startswith("/p/") else "listing page"
        return _done(page, resp, parse_html_page(resp.url, text))
    return Outcome(skipped=f"not a page ({ctype or 'no media type'})")


def _done(kind: str, resp: RawResponse, cands: list[Candidate]) -> Outcome:
    source = normalise_url(resp.url)
    for c in cands:  # the candidates are this call's own, fresh objects
        c.post.source = source
        c.post.capture = resp.capture or None
        c.fetched = resp.fetched
    return Outcome(kind, cands)


def candidates_of(resp: RawResponse) -> list[Candidate]:
    """The posts of one stored response (none for a response that is not a page or feed)."""
    return read_response(resp).candidates
