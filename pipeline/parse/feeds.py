"""Blogger feeds: the entries of a JSON feed page (``alt=json`` or ``alt=json-in-script``) and of an Atom page."""

from __future__ import annotations

import json
import logging
import re

import lxml.html
from lxml import etree

from pipeline.parse.candidate import FULL, TRUNCATED, Candidate
from pipeline.parse.dates import normalise_timestamp
from pipeline.parse.text import body_text
from pipeline.parse.urls import id_from_url, normalise_url
from pipeline.records import Post

log = logging.getLogger(__name__)


def parse_feed_json(url: str, raw: str) -> list[Candidate]:
    """Posts of a Blogger JSON feed page (``alt=json`` or ``alt=json-in-script``)."""
    text = raw.strip()
    m = re.match(r"^[\w.$]+\((.*)\);?\s*$", text, re.S)
    if m:
        text = m.group(1)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        log.warning("%s: broken JSON feed (%s); skipped", url, exc)
        return []
    feed = data.get("feed", {}) if isinstance(data, dict) else {}
    out = []
    for entry in feed.get("entry", []) or []:
        cand = _feed_entry(entry)
        if cand is not None:
            out.append(cand)
    return out


def _feed_entry(entry: dict) -> Candidate | None:
    def t(key: str) -> str:
        v = entry.get(key)
        return v.get("$t", "") if isinstance(v, dict) else ""

    links = entry.get("link", []) or []
    link = next((lk.get("href") for lk in links if lk.get("rel") == "alternate"), None) or next(
        (lk.get("href") for lk in links if lk.get("type") == "text/html" and lk.get("rel") != "replies"), None)
    if not link:
        return None
    m = re.search(r"post-(\d+)$", t("id"))
    permalink = normalise_url(link)
    post_id = m.group(1) if m else id_from_url(permalink)
    published = normalise_timestamp(t("published")) or normalise_timestamp(t("updated"))
    if not published:
        log.warning("feed entry %s has no timestamp; skipped", link)
        return None
    content = entry.get("content") or entry.get("summary") or {}
    html = content.get("$t", "") if isinstance(content, dict) else ""
    full = "content" in entry
    body = lxml.html.fragment_fromstring(html or "<div></div>", create_parent="div")
    authors = entry.get("author") or []
    author = authors[0].get("name", {}).get("$t") if authors else None
    labels = [c.get("term") for c in entry.get("category", []) if c.get("term")]
    post = Post(id=post_id, url=permalink, date=published[:10], published=published, title=t("title").strip(),
                author=author, labels=labels, text=body_text(body), html=html, source=None)
    return Candidate(post, FULL if full else TRUNCATED, link)


ATOM = "{http://www.w3.org/2005/Atom}"


def parse_feed_atom(url: str, raw: bytes) -> list[Candidate]:
    """Posts of a Blogger Atom feed page (the default when ``alt`` is not given)."""
    try:
        root = etree.fromstring(raw, parser=etree.XMLParser(recover=True, resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError as exc:
        log.warning("%s: broken Atom feed (%s); skipped", url, exc)
        return []
    if root is None:
        return []
    out = []
    for entry in root.iter(f"{ATOM}entry"):
        def text_of(tag: str, e: etree._Element = entry) -> str:
            el = e.find(f"{ATOM}{tag}")
            return (el.text or "") if el is not None else ""

        link = next((lk.get("href") for lk in entry.findall(f"{ATOM}link") if lk.get("rel") == "alternate"), None)
        body = entry.find(f"{ATOM}content")
        full = body is not None
        if body is None:
            body = entry.find(f"{ATOM}summary")
        author = entry.find(f"{ATOM}author/{ATOM}name")
        js = {
            "id": {"$t": text_of("id")}, "published": {"$t": text_of("published")},
            "title": {"$t": text_of("title")},
            "content" if full else "summary": {"$t": (body.text or "") if body is not None else ""},
            "link": [{"rel": "alternate", "href": link}] if link else [],
            "category": [{"term": c.get("term")} for c in entry.findall(f"{ATOM}category")],
            "author": [{"name": {"$t": author.text or ""}}] if author is not None else [],
        }
        cand = _feed_entry(js)
        if cand is not None:
            out.append(cand)
    return out
