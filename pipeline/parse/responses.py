"""One stored response to the posts it shows: decode its body, say what kind of page it is, and hand it to
the page or feed parser. A response that cannot hold posts is skipped with a reason (status, robots.txt,
sitemap, comment feed, media type, empty body, a payload that could not be decoded, a page no parser could
read), so that the end-of-run summary can count it; one that holds posts but is damaged (a payload cut short,
bytes not valid in its charset) gives its posts flagged.

No stored response may stop a parse: whatever a hostile or broken server sent was stored, and every later run
reads it again. A parser that fails on a response fails for that response only, named in a warning.
"""

from __future__ import annotations

import codecs
import logging
import re
from dataclasses import dataclass, field
from typing import NamedTuple
from urllib.parse import urlsplit

from lxml import etree

from pipeline.flags import CHARSET_REPLACED, PAYLOAD_TRUNCATED
from pipeline.parse.candidate import TRUNCATED, Candidate
from pipeline.parse.feeds import parse_feed_atom, parse_feed_json, parse_feed_rss
from pipeline.parse.page import parse_html_page
from pipeline.parse.urls import ITEM_PATH, normalise_url
from pipeline.payload import UNDECODED
from pipeline.rawstore import RawResponse

log = logging.getLogger(__name__)

COMMENT_FEED = re.compile(r"/feeds/(?:\d+/comments|comments)/")
XML_ROOT = re.compile(rb"<(?:[\w-]+:)?(feed|rss|urlset|sitemapindex|html)\b", re.I)
HEADER_CHARSET = re.compile(r"charset=[\"']?([\w.:-]+)", re.I)
META_CHARSET = re.compile(rb"<meta[^>]+charset=['\"]?([\w.:-]+)", re.I)
NON_ASCII = re.compile(r"[^\x00-\x7f]")
XML_ENCODING = re.compile(rb"^\s*<\?xml[^>]+encoding=['\"]([\w.:-]+)", re.I)
# What a parser may raise on input it was not written for. Caught per response: the response is skipped and named.
PARSE_ERRORS = (ValueError, TypeError, KeyError, AttributeError, IndexError, LookupError, RecursionError,
                OverflowError, UnicodeError, etree.LxmlError)


@dataclass
class Outcome:
    """What one response gave: its kind (``feed``, ``item page``, ``listing page``, ``static page``) and its
    posts, or the reason it was skipped; `problems` names what was wrong with it (a flag each)."""

    kind: str = ""
    candidates: list[Candidate] = field(default_factory=list)
    skipped: str | None = None
    problems: list[str] = field(default_factory=list)


class Decoded(NamedTuple):
    """A body as text, and what decoding it took when its charset failed (None when it did not)."""

    text: str
    note: str | None = None
    replaced: bool = False  # bytes were replaced by U+FFFD (else, with a note, the page was read as cp1252)


def _codec(name: str) -> str | None:
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _declared(resp: RawResponse) -> list[str]:
    """The charsets the response declares: its Content-Type header, an XML declaration, a <meta charset>."""
    names = []
    if m := HEADER_CHARSET.search(resp.header("Content-Type") or ""):
        names.append(m.group(1))
    for rx in (XML_ENCODING, META_CHARSET):
        if m := rx.search(resp.body[:4096]):
            names.append(m.group(1).decode("ascii", "ignore"))
    return list(dict.fromkeys(c for c in map(_codec, names) if c))


def decode_text(resp: RawResponse) -> Decoded:
    """Decode a response body, never into a page of mojibake for a few bad bytes.

    UTF-8 validates itself: a body that decodes as UTF-8 is UTF-8 whatever the headers claim, and so is one
    with more valid multi-byte characters than invalid bytes (those replaced by U+FFFD). Else a declared
    charset that decodes it; else the declared charset with the bytes it cannot read replaced by U+FFFD. A page
    that declares nothing is Windows-1252, HTML's own default."""
    body = resp.body
    try:
        return Decoded(body.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    declared = _declared(resp)
    said = "/".join(declared) or "none declared"
    as_utf8 = body.decode("utf-8", errors="replace")
    bad = as_utf8.count("\ufffd") - body.decode("utf-8", errors="ignore").count("\ufffd")
    multi = len(NON_ASCII.findall(as_utf8)) - as_utf8.count("\ufffd")  # valid multi-byte characters
    if multi and multi >= bad:
        return Decoded(as_utf8, f"{bad} bytes not valid UTF-8 (charset: {said}) replaced by U+FFFD", True)
    for enc in declared:
        if enc != "utf-8":
            try:
                return Decoded(body.decode(enc))
            except UnicodeDecodeError:
                continue
    enc = declared[0] if declared else "cp1252"
    if not declared:
        try:
            return Decoded(body.decode(enc))
        except UnicodeDecodeError:
            pass
    text = body.decode(enc, errors="replace")
    lost = text.count("\ufffd") - body.decode(enc, errors="ignore").count("\ufffd")
    return Decoded(text, f"{lost} bytes not valid in {enc} (charset: {said}) replaced by U+FFFD", True)


def decode_body(resp: RawResponse) -> str:
    """The body as text (see ``decode_text``)."""
    return decode_text(resp).text


def read_response(resp: RawResponse) -> Outcome:
    """The kind and posts of one stored response, or why it was skipped."""
    if resp.status != 200:
        return Outcome(skipped=f"status {resp.status}")
    if resp.problem and resp.problem.startswith(UNDECODED):
        log.warning("%s: stored payload not readable (%s); skipped", resp.url, resp.problem)
        return Outcome(skipped="payload not decoded")
    if not resp.body or not resp.body.strip():
        if resp.problem:
            log.warning("%s: stored payload damaged (%s) and nothing of it readable; skipped", resp.url, resp.problem)
            return Outcome(skipped="damaged payload, nothing readable")
        return Outcome(skipped="empty body")
    try:
        outcome = _read(resp)
    except PARSE_ERRORS as exc:
        log.warning("%s: unreadable response (%s: %s); skipped", resp.url, type(exc).__name__, str(exc)[:200])
        return Outcome(skipped=f"unreadable ({type(exc).__name__})")
    if resp.problem and not outcome.skipped:
        log.warning("%s: stored payload damaged (%s): read as far as it goes, %d posts flagged %s", resp.url,
                    resp.problem, len(outcome.candidates), PAYLOAD_TRUNCATED)
        outcome.problems.append(PAYLOAD_TRUNCATED)
        for c in outcome.candidates:
            c.completeness = TRUNCATED
            c.post.flags = sorted({*c.post.flags, PAYLOAD_TRUNCATED})
    return outcome


def _read(resp: RawResponse) -> Outcome:
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
    decoded = decode_text(resp)
    if kind in ("feed", "rss"):
        parse = parse_feed_atom if kind == "feed" else parse_feed_rss
        if decoded.note:  # what lxml would do with the bad bytes is its own affair: give it the decoded text
            return _done("feed", resp, parse(resp.url, decoded.text.encode("utf-8"), "utf-8"), decoded)
        return _done("feed", resp, parse(resp.url, resp.body), decoded)
    text = decoded.text
    start = text.lstrip("\ufeff \t\r\n")[:1]
    if "/feeds/" in path and start != "<" or "json" in ctype or "javascript" in ctype:
        return _done("feed", resp, parse_feed_json(resp.url, text), decoded)
    if "xml" in ctype and kind != "html":
        return Outcome(skipped=f"not a page ({ctype})")
    if "html" in ctype or start == "<":
        page = "item page" if ITEM_PATH.match(path) else "static page" if path.startswith("/p/") else "listing page"
        return _done(page, resp, parse_html_page(resp.url, text), decoded)
    return Outcome(skipped=f"not a page ({ctype or 'no media type'})")


def _done(kind: str, resp: RawResponse, cands: list[Candidate], decoded: Decoded) -> Outcome:
    source = normalise_url(resp.url)
    for c in cands:  # the candidates are this call's own, fresh objects
        c.post.source = source
        c.post.capture = resp.capture or None
        c.fetched = resp.fetched
    out = Outcome(kind, cands)
    if decoded.note:
        # Replaced bytes touch the posts that hold a U+FFFD; a page read in a charset it did not declare, all.
        hit = [c for c in cands if not decoded.replaced
               or any("\ufffd" in s for s in (c.post.text, c.post.title, c.post.html))]
        for c in hit:
            c.post.flags = sorted({*c.post.flags, CHARSET_REPLACED})
        log.warning("%s: %s; %d of its %d posts flagged %s", resp.url, decoded.note, len(hit), len(cands),
                    CHARSET_REPLACED)
        out.problems.append(CHARSET_REPLACED)
    return out


def candidates_of(resp: RawResponse) -> list[Candidate]:
    """The posts of one stored response (none for a response that is not a page or feed)."""
    return read_response(resp).candidates
