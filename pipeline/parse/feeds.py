"""Blogger feeds: the entries of a JSON feed page (``alt=json`` or ``alt=json-in-script``), an Atom page
(the default) and an RSS page (``alt=rss``).

An entry with ``content`` is the whole post (``FULL``); one with only ``summary`` (a summary feed, or a blog
whose feed setting is "short") is a summary (``TRUNCATED``), and so is content that ends with a "read more"
link to the post's own permalink (cut out, see ``readmore``). Static pages (``/p/...``, ids ``.page-N``) are
not posts.
"""

from __future__ import annotations

import json
import logging
import re
from datetime import timedelta, timezone
from email.utils import parsedate_to_datetime
from html import escape

import lxml.html
from lxml import etree

from pipeline.parse.candidate import FULL, TRUNCATED, Candidate
from pipeline.parse.dates import normalise_timestamp
from pipeline.parse.readmore import cut_read_more, ends_with_ellipsis
from pipeline.parse.text import body_text
from pipeline.parse.urls import id_from_url, normalise_url
from pipeline.records import Post

log = logging.getLogger(__name__)

CALLBACK = re.compile(r"^[\w.$]+\s*\(", re.S)
OBJECT_START = re.compile(r'\{\s*"')
COMMENT_LINES = re.compile(r"^(?:\s*(?://[^\n]*|/\*.*?\*/))*\s*", re.S)


def feed_json_data(raw: str) -> object:
    """The JSON document of a JSON feed answer: bare, or wrapped in a callback (``alt=json-in-script``), which
    may follow comments (``// API callback``) and white space. Raises ValueError when there is none."""
    text = COMMENT_LINES.sub("", raw.lstrip("\ufeff"), count=1).strip()
    m = CALLBACK.match(text)
    if m:
        text = text[m.end():].rstrip().rstrip(";").rstrip()
        if text.endswith(")"):
            text = text[:-1]
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        # Anything else around the object (try { ... } catch, several statements): the first JSON object.
        m = OBJECT_START.search(text)
        if m is None:
            raise
        return json.JSONDecoder().raw_decode(text, m.start())[0]


def parse_feed_json(url: str, raw: str) -> list[Candidate]:
    """Posts of a Blogger JSON feed page (``alt=json`` or ``alt=json-in-script``)."""
    try:
        data = feed_json_data(raw)
    except (json.JSONDecodeError, ValueError, RecursionError) as exc:
        log.warning("%s: broken JSON feed (%s); skipped", url, exc)
        return []
    feed = data.get("feed", {}) if isinstance(data, dict) else {}
    entries = feed.get("entry", []) if isinstance(feed, dict) else []
    out = []
    for entry in entries if isinstance(entries, list) else []:
        cand = _feed_entry(entry) if isinstance(entry, dict) else None
        if cand is not None:
            out.append(cand)
    return out


def _feed_entry(entry: dict) -> Candidate | None:
    def t(key: str) -> str:
        v = entry.get(key)
        return v.get("$t", "") if isinstance(v, dict) else ""

    links = [lk for lk in entry.get("link", []) or [] if isinstance(lk, dict)]
    link = next((lk.get("href") for lk in links if lk.get("rel") == "alternate"), None) or next(
        (lk.get("href") for lk in links if lk.get("type") == "text/html" and lk.get("rel") != "replies"), None)
    if not link:
        log.warning("feed entry %s has no link to its post; skipped", t("id") or t("title"))
        return None
    if re.search(r"\.page-\d+$", t("id")) or "/p/" in link:
        log.debug("feed entry %s is a static page, not a post; skipped", link)
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
    cut = cut_read_more(body, permalink, link)
    if cut:
        html = "".join([body.text or ""] + [etree.tostring(ch, encoding="unicode", method="html") for ch in body])
    text = body_text(body)
    authors = entry.get("author") or []
    author = authors[0].get("name", {}).get("$t") if authors and isinstance(authors[0], dict) else None
    labels = [c.get("term") for c in entry.get("category", []) or [] if isinstance(c, dict) and c.get("term")]
    post = Post(id=post_id, url=permalink, date=published[:10], published=published, title=t("title").strip(),
                author=author, labels=labels, text=text, html=html.strip(), source=None)
    # A summary feed's text is cut by Blogger, often with an ellipsis; content cut by a "read more" link too.
    return Candidate(post, FULL if full and not cut else TRUNCATED, link)


ATOM = "{http://www.w3.org/2005/Atom}"
XML_PARSER = etree.XMLParser(recover=True, resolve_entities=False, no_network=True, huge_tree=True)


def _xml_root(url: str, raw: bytes) -> etree._Element | None:
    try:
        return etree.fromstring(raw, parser=XML_PARSER)
    except etree.XMLSyntaxError as exc:
        log.warning("%s: broken feed (%s); skipped", url, exc)
        return None


def parse_feed_atom(url: str, raw: bytes) -> list[Candidate]:
    """Posts of a Blogger Atom feed page (the default when ``alt`` is not given)."""
    root = _xml_root(url, raw)
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
            "updated": {"$t": text_of("updated")}, "title": {"$t": text_of("title")},
            "content" if full else "summary": {"$t": _atom_html(body)},
            "link": [{"rel": "alternate", "href": link}] if link else [],
            "category": [{"term": c.get("term")} for c in entry.findall(f"{ATOM}category")],
            "author": [{"name": {"$t": author.text or ""}}] if author is not None else [],
        }
        cand = _feed_entry(js)
        if cand is not None:
            out.append(cand)
    return out


def _atom_html(el: etree._Element | None) -> str:
    """The HTML of an Atom text construct: escaped HTML (``type='html'``), XHTML (a div) or plain text."""
    if el is None:
        return ""
    if el.get("type") == "xhtml" and len(el):
        div = el[0]
        return (div.text or "") + "".join(etree.tostring(ch, encoding="unicode", method="html") for ch in div)
    text = el.text or ""
    return text if el.get("type") in ("html", None) else escape(text)


ATOM_UPDATED = "{http://www.w3.org/2005/Atom}updated"


def parse_feed_rss(url: str, raw: bytes) -> list[Candidate]:
    """Posts of a Blogger RSS page (``alt=rss``). RSS has no separate summary element: a description of plain
    text that ends with an ellipsis, or one ending with a "read more" link, is a summary; any other the whole
    post."""
    root = _xml_root(url, raw)
    if root is None:
        return []
    out = []
    for item in root.iter("item"):
        link = (item.findtext("link") or "").strip()
        published = _rss_time(item.findtext("pubDate"), item.findtext(ATOM_UPDATED))
        js = {
            "id": {"$t": (item.findtext("guid") or "").strip()}, "published": {"$t": published or ""},
            "title": {"$t": item.findtext("title") or ""},
            "content": {"$t": item.findtext("description") or ""},
            "link": [{"rel": "alternate", "href": link}] if link else [],
            "category": [{"term": (c.text or "").strip()} for c in item.findall("category")],
        }
        author = (item.findtext("author") or "").strip()
        if m := re.match(r"^\S+@\S+\s+\((.+)\)$", author):
            js["author"] = [{"name": {"$t": m.group(1)}}]
        cand = _feed_entry(js)
        if cand is not None:
            # Blogger's summaries are plain text cut with an ellipsis; a post written in HTML may end with '...'.
            if ends_with_ellipsis(cand.post.text) and "<" not in cand.post.html:
                cand.completeness = TRUNCATED
            out.append(cand)
    return out


def _rss_time(pub_date: str | None, updated: str | None) -> str | None:
    """RSS pubDate (RFC 822, in GMT on Blogger) in the blog's own zone, which ``atom:updated`` gives."""
    if not pub_date:
        return normalise_timestamp(updated)
    try:
        when = parsedate_to_datetime(pub_date.strip())
    except (TypeError, ValueError):
        return normalise_timestamp(updated)
    zone = re.search(r"([+-]\d{2}):?(\d{2})$", (updated or "").strip())
    if when.tzinfo is not None and zone:
        sign = -1 if zone.group(1).startswith("-") else 1
        offset = timedelta(hours=int(zone.group(1)[1:]), minutes=int(zone.group(2))) * sign
        when = when.astimezone(timezone(offset))
    return normalise_timestamp(when.isoformat())
