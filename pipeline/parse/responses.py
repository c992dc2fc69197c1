"""One stored response to the posts it shows: decode its body and hand it to the page or feed parser."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from pipeline.parse.candidate import Candidate
from pipeline.parse.feeds import parse_feed_atom, parse_feed_json
from pipeline.parse.page import parse_html_page
from pipeline.parse.urls import normalise_url
from pipeline.rawstore import RawResponse


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


def candidates_of(resp: RawResponse) -> list[Candidate]:
    """Dispatch one stored response to the right parser; non-posts give nothing."""
    if resp.status != 200 or not resp.body:
        return []
    path = urlsplit(resp.url).path
    ctype = resp.content_type
    if path.endswith(("robots.txt", ".xml")) or "xml" in ctype and "feeds/" not in path:
        return []
    text = decode_body(resp)
    head = text.lstrip()[:200]
    if "/feeds/" in path and head.startswith("<") and "<feed" in head or "<feed" in head[:100]:
        cands = parse_feed_atom(resp.url, resp.body)
    elif "/feeds/" in path and ("json" in ctype or "javascript" in ctype or text.lstrip()[:1] in "{g"):
        cands = parse_feed_json(resp.url, text)
    elif "html" in ctype or text.lstrip()[:1] == "<":
        cands = parse_html_page(resp.url, text)
    else:
        return []
    source = normalise_url(resp.url)
    for c in cands:
        c.post.source = source  # the candidates are this call's own, fresh objects
    return cands
