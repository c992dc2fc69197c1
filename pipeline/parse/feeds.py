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

from lxml import etree

from pipeline.flags import CHARSET_REPLACED, NESTING_CUT
from pipeline.parse.candidate import FULL, TRUNCATED, Candidate
from pipeline.parse.dates import normalise_timestamp
from pipeline.parse.htmltree import parse_fragment
from pipeline.parse.readmore import cut_read_more, ends_with_ellipsis
from pipeline.parse.text import body_text, without_surrogates
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
    """Posts of a Blogger JSON feed page (``alt=json`` or ``alt=json-in-script``).

    Entries are read field by field with their types checked: an entry that is no object, or a field of another
    type than Blogger gives (a string for a list, a number for a string), is skipped or left empty, never a crash.
    """
    try:
        data = feed_json_data(raw)
    except (json.JSONDecodeError, ValueError, RecursionError) as exc:
        log.warning("%s: broken JSON feed (%s); skipped", url, exc)
        return []
    feed = data.get("feed", {}) if isinstance(data, dict) else {}
    entries = feed.get("entry", []) if isinstance(feed, dict) else []
    out = []
    skipped = 0
    for entry in entries if isinstance(entries, list) else []:
        cand = _entry(url, entry) if isinstance(entry, dict) else None
        if cand is not None:
            out.append(cand)
        elif not isinstance(entry, dict):
            skipped += 1
    if skipped:
        log.warning("%s: %d feed entries are no JSON objects; skipped", url, skipped)
    return out


def _entry(url: str, entry: dict) -> Candidate | None:
    try:
        return _feed_entry(entry)
    except ValueError as exc:  # a link no URL parser accepts ('http://[::1')
        log.warning("%s: a feed entry with a link that is no URL (%s); skipped", url, exc)
        return None


class _Strings:
    """Strings read from a feed entry: anything else is '', lone surrogates are replaced (and counted)."""

    def __init__(self) -> None:
        self.replaced = 0

    def __call__(self, value: object) -> str:
        if not isinstance(value, str):
            return ""
        text, n = without_surrogates(value)
        self.replaced += n
        return text

    def text_of(self, obj: object) -> str:
        """The ``$t`` of a Blogger JSON text object."""
        return self(obj.get("$t")) if isinstance(obj, dict) else ""


def _list(value: object) -> list[dict]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _feed_entry(entry: dict) -> Candidate | None:
    s = _Strings()

    def t(key: str) -> str:
        return s.text_of(entry.get(key))

    links = _list(entry.get("link"))
    link = next((s(lk.get("href")) for lk in links if lk.get("rel") == "alternate" and s(lk.get("href"))), "") or next(
        (s(lk.get("href")) for lk in links if lk.get("type") == "text/html" and lk.get("rel") != "replies"
         and s(lk.get("href"))), "")
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
        log.warning("feed entry %s has no timestamp (or an impossible one); skipped", link)
        return None
    full = isinstance(entry.get("content"), dict)
    html = s.text_of(entry.get("content") if full else entry.get("summary"))
    body, deep = parse_fragment(html)
    cut = cut_read_more(body, permalink, link)
    if cut:
        html = "".join([body.text or ""] + [etree.tostring(ch, encoding="unicode", method="html") for ch in body])
    text = body_text(body)
    authors = _list(entry.get("author"))
    author = s.text_of(authors[0].get("name")) or None if authors else None
    labels = list(dict.fromkeys(term for c in _list(entry.get("category")) if (term := s(c.get("term")).strip())))
    post = Post(id=post_id, url=permalink, date=published[:10], published=published, title=t("title").strip(),
                author=author, labels=labels, text=text, html=html.strip(), source=None)
    if deep:
        log.warning("%s: the feed entry's body nests deeper than the parser reads; flagged %s", link, NESTING_CUT)
    post.flags = sorted(f for f, on in ((CHARSET_REPLACED, s.replaced), (NESTING_CUT, deep)) if on)
    # A summary feed's text is cut by Blogger, often with an ellipsis; content cut by a "read more" link too.
    return Candidate(post, FULL if full and not cut and not deep else TRUNCATED, link)


ATOM = "{http://www.w3.org/2005/Atom}"


def _xml_root(url: str, raw: bytes, encoding: str | None) -> etree._Element | None:
    # A parser per call: lxml parsers are not to be shared between the crawler's threads. `encoding` overrides the
    # document's own declaration (the bytes were decoded and encoded again as UTF-8, see responses).
    parser = etree.XMLParser(recover=True, resolve_entities=False, no_network=True, huge_tree=True, encoding=encoding)
    try:
        return etree.fromstring(raw, parser=parser)
    except (etree.XMLSyntaxError, ValueError) as exc:
        log.warning("%s: broken feed (%s); skipped", url, exc)
        return None


def parse_feed_atom(url: str, raw: bytes, encoding: str | None = None) -> list[Candidate]:
    """Posts of a Blogger Atom feed page (the default when ``alt`` is not given)."""
    root = _xml_root(url, raw, encoding)
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
        cand = _entry(url, js)
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


def parse_feed_rss(url: str, raw: bytes, encoding: str | None = None) -> list[Candidate]:
    """Posts of a Blogger RSS page (``alt=rss``). RSS has no separate summary element: a description of plain
    text that ends with an ellipsis, or one ending with a "read more" link, is a summary; any other the whole
    post."""
    root = _xml_root(url, raw, encoding)
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
        cand = _entry(url, js)
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
    except (TypeError, ValueError, IndexError, OverflowError):
        return normalise_timestamp(updated)
    zone = re.search(r"([+-]\d{2}):?(\d{2})$", (updated or "").strip())
    if when.tzinfo is not None and zone:
        sign = -1 if zone.group(1).startswith("-") else 1
        offset = timedelta(hours=int(zone.group(1)[1:]), minutes=int(zone.group(2))) * sign
        try:
            when = when.astimezone(timezone(offset))
        except (ValueError, OverflowError):  # an offset of a day or more, a year at the calendar's edge
            return normalise_timestamp(updated)
    return normalise_timestamp(when.isoformat())
