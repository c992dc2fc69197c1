"""Where a blog lists its posts, read without side effects: feed pages, sitemaps, listing links, archive periods.

Each function takes what a response holds and returns plain data; fetching and storing are the crawler's.
The feed and sitemap readers also give each post's ``updated`` / ``lastmod`` time, which tells an update
run which stored copies are out of date.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from urllib.parse import urlencode, urljoin, urlsplit

from lxml import etree

from pipeline.fetch import url_problem
from pipeline.parse.htmltree import parse_page

MONTH_PATH = re.compile(r"^/(\d{4})/(\d{2})/?$")
YEAR_PATH = re.compile(r"^/(\d{4})/?$")
LEGACY_ARCHIVE = re.compile(r"^/(\d{4})_(\d{2})_(\d{2})_archive\.html$")
TOTAL = re.compile(r"[0-9]{1,9}")  # openSearch$totalResults as a number (not 'lots', not 5,000 digits)
FEED_PATH = "/feeds/posts/default"
SITEMAP_PATH = "/sitemap.xml"
# Blog time zones reach +14:00: an archive period is over for every zone a day after it ends in UTC.
ZONE_MARGIN = timedelta(days=1)


def base_url(url: str) -> str:
    """The blog's root URL (https unless given, trailing slash)."""
    u = url.strip()
    if "://" not in u:
        u = "https://" + u
    parts = urlsplit(u)
    return f"{parts.scheme}://{parts.netloc}/"


def fetchable(url: str) -> str:
    """A permalink as fetched: no fragment, no ?m=1 or showComment; scheme and host kept."""
    parts = urlsplit(url)
    query = "&".join(q for q in parts.query.split("&") if q and not q.startswith(("m=", "showComment=")))
    return parts._replace(query=query, fragment="").geturl()


def feed_url(base: str, start: int, size: int) -> str:
    """One page of the blog's JSON feed."""
    query = urlencode({"alt": "json", "start-index": start, "max-results": size})
    return f"{base.rstrip('/')}{FEED_PATH}?{query}"


def strip_callback(text: str) -> str:
    """The JSON inside a json-in-script answer (``callback({...});``), or the text as it is."""
    m = re.match(r"^\s*(?:/\*.*?\*/\s*|//[^\n]*\n\s*)*[\w.$]+\((.*)\);?\s*$", text, re.S)
    return m.group(1) if m else text


@dataclass
class Listing:
    """What a feed page or a sitemap lists: permalinks with their updated/lastmod time (None when not given)."""

    entries: list[tuple[str, str | None]] = field(default_factory=list)
    total: int | None = None  # openSearch$totalResults of a feed
    children: list[str] = field(default_factory=list)  # sitemap pages named by a sitemap index
    count: int = 0  # entries on the page, with or without a permalink
    bad: list[str] = field(default_factory=list)  # links that are no URLs a crawler can fetch (skipped)

    def take(self, link: str, updated: str | None) -> None:
        """Keep a post's link, or count it as bad when it is no URL a crawler can fetch."""
        if url_problem(link):
            self.bad.append(link[:200])
        else:
            self.entries.append((link, updated))


def _text(obj: object) -> str | None:
    value = obj.get("$t") if isinstance(obj, dict) else obj
    return value.strip() if isinstance(value, str) and value.strip() else None


def _alternate(links: object) -> str | None:
    for link in links if isinstance(links, list) else []:
        if isinstance(link, dict) and link.get("rel") == "alternate" and isinstance(link.get("href"), str):
            return link["href"]
    return None


def json_feed_listing(text: str) -> Listing | None:
    """The entries of a JSON feed page; None when the text is no JSON feed."""
    try:
        feed = json.loads(strip_callback(text))["feed"]
    except (ValueError, KeyError, TypeError, IndexError, RecursionError):  # no JSON object with a feed
        return None
    if not isinstance(feed, dict):
        return None
    total = _text(feed.get("openSearch$totalResults"))
    out = Listing(total=int(total) if total and TOTAL.fullmatch(total) else None)
    entries = feed.get("entry")
    for entry in entries if isinstance(entries, list) else []:
        out.count += 1
        if isinstance(entry, dict) and (link := _alternate(entry.get("link"))):
            out.take(link, _text(entry.get("updated")))
    return out


def atom_feed_listing(body: bytes) -> Listing | None:
    """The entries of an Atom feed page; None when the body is no Atom feed."""
    root = _xml(body)
    if root is None or etree.QName(root).localname != "feed":
        return None
    out = Listing()
    for el in root:
        name = etree.QName(el).localname if isinstance(el.tag, str) else ""
        if name == "totalResults" and TOTAL.fullmatch((el.text or "").strip()):
            out.total = int((el.text or "").strip())
        if name != "entry":
            continue
        out.count += 1
        link = next((ln.get("href") for ln in el if isinstance(ln.tag, str) and etree.QName(ln).localname == "link"
                     and ln.get("rel") == "alternate" and ln.get("href")), None)
        updated = next(((u.text or "").strip() or None for u in el
                        if isinstance(u.tag, str) and etree.QName(u).localname == "updated"), None)
        if link:
            out.take(link, updated)
    return out


def sitemap_listing(body: bytes) -> Listing:
    """The permalinks (with lastmod) of a sitemap page, or the pages a sitemap index names."""
    out = Listing()
    root = _xml(body)
    if root is None:
        return out
    for loc in root.iter("{*}loc"):
        text = (loc.text or "").strip()
        parent = loc.getparent()
        if not text or parent is None:
            continue
        if etree.QName(parent).localname == "sitemap":
            if url_problem(text):
                out.bad.append(text[:200])
            else:
                out.children.append(text)
            continue
        lastmod = next(((m.text or "").strip() or None for m in parent.iter("{*}lastmod")), None)
        out.take(text, lastmod)
        out.count += 1
    return out


def _xml(body: bytes) -> etree._Element | None:
    try:
        return etree.fromstring(body, parser=etree.XMLParser(recover=True, resolve_entities=False, no_network=True))
    except (etree.XMLSyntaxError, ValueError):
        return None


def listing_links(page_url: str, html: str, in_scope: Callable[[str], bool]) -> list[str]:
    """Year and month archives and 'Older posts' pages linked from a listing page (in scope, in page order).

    Any link of the form /YYYY/ or /YYYY/MM/ counts (the Blog Archive widget, but also custom themes), and so
    does any link carrying ``updated-max=`` (the pager, whatever its markup). Label pages do not.
    """
    try:
        doc, _ = parse_page(html)
    except (etree.ParserError, ValueError):
        return []
    if doc is None:
        return []
    links = []
    for href in doc.xpath("//a/@href | //select//option/@value"):
        try:
            url = urljoin(page_url, href.strip())
            parts = urlsplit(url)
        except ValueError:  # a link no URL parser accepts is no reason to lose the page
            continue
        if url_problem(url) or not in_scope(url) or parts.fragment and not parts.path:
            continue
        path = parts.path
        archive = MONTH_PATH.match(path) or YEAR_PATH.match(path) or LEGACY_ARCHIVE.match(path)
        pager = "updated-max=" in parts.query and (path.startswith("/search") or MONTH_PATH.match(path)
                                                    or path in ("", "/"))
        if "/search/label/" in path or not (archive or pager):
            continue
        links.append(parts._replace(fragment="").geturl())
    return list(dict.fromkeys(links))


def archive_end(path: str) -> datetime | None:
    """When the period an archive page covers is over everywhere (UTC); None for pages that are not archives."""
    if m := MONTH_PATH.match(path) or LEGACY_ARCHIVE.match(path):  # legacy: a month (or a week from that day)
        end = _end(int(m.group(1)), int(m.group(2)))
    elif m := YEAR_PATH.match(path):
        end = _end(int(m.group(1)), 12)
    else:
        return None
    if end is None or end.year > 9998:
        return None
    return datetime(end.year, end.month, end.day, tzinfo=UTC) + ZONE_MARGIN


def _end(y: int, mo: int) -> date | None:
    """The first day after month `mo` of year `y` (None for a month or year the calendar lacks: /0000/05/)."""
    if not 1 <= mo <= 12:
        return None
    try:
        return date(y + (mo == 12), mo % 12 + 1, 1)
    except ValueError:
        return None


def when(value: str | None) -> datetime | None:
    """An ISO 8601 time (feed ``updated``, sitemap ``lastmod``, WARC-Date) as an aware datetime; naive is UTC."""
    if not value:
        return None
    try:
        dt = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)
