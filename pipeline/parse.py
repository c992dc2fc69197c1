"""Parse stored Blogger responses (listing pages, item pages, JSON feeds) into one Post per post.

The hot path uses lxml's HTML parser (lxml.html's, without its Python element classes): it is an
order of magnitude faster than BeautifulSoup on Blogger pages and its libxml2 parser recovers from
broken markup the same way browsers mostly do. Selectors are the ones that hold in both classic and
v3 layouts (``.post-outer``, ``.post-title``, ``.post-body``, ``a.timestamp-link``, ``.published``,
``a[rel=tag]``), never ``.date-outer`` structure alone. Each post block is walked once to index what
the field lookups need (see BlockIndex) rather than queried once per field.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from functools import cache, lru_cache
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import lxml.html
from lxml import etree

from pipeline.errors import InputError
from pipeline.rawstore import RawResponse, iter_raw
from pipeline.records import Post

log = logging.getLogger(__name__)

# Completeness of a body, so that the fullest copy of a post wins when pages overlap.
FULL, LISTING, TRUNCATED = 3, 2, 1

ITEM_PATH = re.compile(r"^/\d{4}/\d{2}/[^/]+\.html$")
POST_ID_IN = re.compile(r"(?:post-body-|post-snippet-|post-|postID=)(\d{6,})")
DIGITS = re.compile(r"^\d{6,}$")
# Runs of white space other than newlines collapse to one space. WS_CHANGE matches only what that changes (runs,
# and a single white space other than " "): most spaces are single and left alone. It starts with a character
# class, which the regex engine scans for quickly: four times as fast as substituting every run.
WS = " \t\r\f\v\u00a0\u2007\u202f\u200b"
WS_CHANGE = re.compile(f"[{WS}](?:[{WS}]+|(?<! ))")
BLANK_LINES = re.compile("\n\n\n+")  # a literal prefix, which the regex engine finds faster than \n{3,}

MONTHS = {
    m.lower(): i
    for i, names in enumerate(
        [
            ("January", "Jan", "januari", "janvier"), ("February", "Feb", "februari", "février"),
            ("March", "Mar", "maart", "mars"), ("April", "Apr", "avril"), ("May", "mei", "mai"),
            ("June", "Jun", "juni", "juin"), ("July", "Jul", "juli", "juillet"),
            ("August", "Aug", "augustus", "août"), ("September", "Sep", "Sept", "septembre"),
            ("October", "Oct", "oktober", "octobre"), ("November", "Nov", "novembre"),
            ("December", "Dec", "december", "décembre"),
        ],
        1,
    )
    for m in names
}
HEADER_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})\.?\s+([A-Za-zéû]+)\.?,?\s+(\d{4})")
HEADER_MONTH_DAY_YEAR = re.compile(r"([A-Za-zéû]+)\.?\s+(\d{1,2}),?\s+(\d{4})")
HEADER_ISO = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")
HEADER_CJK = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")

BLOCK_TAGS = {
    "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "ul", "ol", "table", "tr", "pre",
    "section", "article", "header", "footer", "figure", "figcaption", "hr", "dl", "dt", "dd", "center",
    "address", "aside", "main", "nav", "form",
}
SKIP_TAGS = {"script", "style", "noscript", "iframe", "object", "embed", "form", "button", "select", "svg",
             "template", "input", "textarea"}
SKIP_CLASSES = ("post-share-buttons", "jump-link", "share-button", "post-footer", "comments", "blog-pager")


@dataclass
class Candidate:
    """A post as seen on one page, with how complete its body is."""

    post: Post
    completeness: int
    link: str = ""  # the permalink as the page gives it (for fetching), before normalisation


# ---------------------------------------------------------------- URLs and dates


# An absolute http(s) URL with a plain host and no query, user, port or white space: the common permalink, for
# which urlsplit/urljoin round trips change nothing but the scheme and the host's case.
PLAIN_URL = re.compile(r"https?://([A-Za-z0-9.-]+)(/[^?#\s]*)?(#\S*)?")
BLOGSPOT_HOST = re.compile(r"^(.*\.blogspot)\.[a-z.]+$")


def normalise_url(url: str) -> str:
    """Canonical permalink: https, blogspot .com host, no ?m=1 / showComment / fragment."""
    url = url.strip()
    plain = PLAIN_URL.fullmatch(url)
    if plain:
        host = plain.group(1).lower()
        m = BLOGSPOT_HOST.match(host)
        return f"https://{m.group(1) + '.com' if m else host}{plain.group(2) or '/'}"
    return normalise_split_url(url)


def normalise_split_url(url: str) -> str:
    """``normalise_url`` for any URL, through urlsplit (queries, ports, odd schemes)."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    m = BLOGSPOT_HOST.match(host)
    if m:
        host = m.group(1) + ".com"
    try:
        if parts.port and parts.port not in (80, 443):
            host = f"{host}:{parts.port}"
    except ValueError:  # "host:80x": not a port, but a link is no reason to lose the page; kept as written
        host = f"{host}:{parts.netloc.rpartition(':')[2]}"
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in ("m", "showComment")]
    scheme = "https" if parts.scheme in ("http", "https", "") else parts.scheme
    return urlunsplit((scheme, host, parts.path or "/", urlencode(query), ""))


def join_url(base: str, link: str) -> str:
    """``urljoin(base, link)``, without its parse and unparse round trip when link is a plain absolute URL."""
    # The round trip drops an empty fragment ("...#") and empty path parameters ("...;"); anything else of a
    # plain URL comes back unchanged.
    if PLAIN_URL.fullmatch(link) and ";" not in link and not link.endswith("#"):
        return link
    return urljoin(base, link)


def id_from_url(url: str) -> str:
    """A stable id for a post whose page gives no Blogger id: derived from its normalised permalink."""
    return "u" + hashlib.sha1(normalise_url(url).encode("utf-8")).hexdigest()[:16]


def date_from_header(text: str) -> str | None:
    """ISO date from a date header such as '20 December 2024', 'Friday, March 16, 2018', '2018年3月17日'."""
    t = " ".join(text.split())
    for rx in (HEADER_CJK, HEADER_ISO):
        m = rx.search(t)
        if m:
            y, mo, d = (int(x) for x in m.groups())
            return _iso(y, mo, d)
    m = HEADER_DAY_MONTH_YEAR.search(t)
    if m and m.group(2).lower() in MONTHS:
        return _iso(int(m.group(3)), MONTHS[m.group(2).lower()], int(m.group(1)))
    m = HEADER_MONTH_DAY_YEAR.search(t)
    if m and m.group(1).lower() in MONTHS:
        return _iso(int(m.group(3)), MONTHS[m.group(1).lower()], int(m.group(2)))
    return None


def _iso(y: int, m: int, d: int) -> str | None:
    try:
        return datetime(y, m, d).strftime("%Y-%m-%d")
    except ValueError:
        return None


def normalise_timestamp(ts: str | None) -> str | None:
    """Keep the blog's own offset; drop milliseconds ('2013-12-15T17:42:00.000+02:00' -> '...17:42:00+02:00')."""
    if not ts:
        return None
    ts = ts.strip()
    m = re.match(r"^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?)(?:\.\d+)?(Z|[+-]\d{2}:?\d{2})?$", ts)
    if not m:
        return None
    base = m.group(1) if len(m.group(1)) == 19 else m.group(1) + ":00"
    return base + (m.group(2) or "")


# ---------------------------------------------------------------- text


def html_to_text(el: lxml.html.HtmlElement) -> str:
    """Clean text of a post body: paragraphs split by a blank line, line breaks kept, list items as '  • x'."""
    out: list[str] = []
    _walk(el, out)
    # No newline is white space to WS_CHANGE: one pass will do.
    lines = [line.strip() for line in WS_CHANGE.sub(" ", "".join(out)).split("\n")]
    # Restore the bullet indentation that the strip removed.
    lines = ["  " + ln if ln.startswith("• ") else ln for ln in lines]
    return BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def _walk(el: etree._Element, out: list[str]) -> None:
    text = el.text
    if text:
        out.append(text.replace("\n", " "))
    for child in el:
        tag = child.tag
        if type(tag) is not str:  # noqa: E721 (exact type: a cheap test that runs for every element)
            if isinstance(child, etree._Comment | etree._ProcessingInstruction):
                tail = child.tail
                if tail:
                    out.append(tail.replace("\n", " "))
                continue
            tag = ""
        else:
            tag = tag.lower()
        cls = child.get("class")
        if tag in SKIP_TAGS or cls and any(c in cls for c in SKIP_CLASSES):
            pass
        elif tag == "br":
            out.append("\n")
        elif tag == "li":
            out.append("\n• ")
            _walk(child, out)
            out.append("\n")
        elif tag in ("td", "th"):
            _walk(child, out)
            out.append("\t")
        elif tag in BLOCK_TAGS:
            out.append("\n\n")
            _walk(child, out)
            out.append("\n\n")
        else:
            _walk(child, out)
        tail = child.tail
        if tail:
            out.append(tail.replace("\n", " "))


def tidy_text(text: str) -> str:
    """Normalise a text extracted from HTML: one blank line between paragraphs, list lines kept together."""
    paras: list[str] = []
    for block in re.split(r"\n\s*\n", text):
        lines = [ln.rstrip() for ln in block.split("\n") if ln.strip()]
        if lines:
            paras.append("\n".join(lines))
    merged: list[str] = []
    for p in paras:
        # Consecutive list blocks (one <ul> per <li> in some editors) stay one paragraph.
        if merged and p.startswith("  • ") and merged[-1].split("\n")[-1].startswith("  • "):
            merged[-1] += "\n" + p
        else:
            merged.append(p)
    return "\n\n".join(merged)


def body_text(el: lxml.html.HtmlElement) -> str:
    """Clean text of a body element."""
    return tidy_text(html_to_text(el))


# ---------------------------------------------------------------- HTML pages


def _classes(el: etree._Element) -> set[str]:
    return set((el.get("class") or "").split())


def _has_class(name: str) -> str:
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


@cache
def _xpath(expr: str) -> etree.XPath:
    # Compiled once per expression: compiling dominated parse time when done per post and field.
    return etree.XPath(expr)


def _first(el: etree._Element, xpath: str) -> etree._Element | None:
    found = _xpath(xpath)(el)
    return found[0] if found else None


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


def parse_html_page(url: str, html: str) -> list[Candidate]:
    """Every post on a Blogger page (listing or item page), with its completeness."""
    if not html.strip():
        return []
    try:
        doc = etree.fromstring(html, PAGE_PARSER)
        if doc is None:
            raise etree.ParserError("Document is empty")
    except (etree.ParserError, ValueError) as exc:
        log.warning("%s: unparseable HTML (%s); skipped", url, exc)
        return []
    page_url = normalise_url(url)
    is_item = bool(ITEM_PATH.match(urlsplit(page_url).path))
    blocks = page_blocks(doc)
    if not blocks:
        # Some custom layouts have no post-outer: fall back to .post / .hentry blocks holding a body.
        blocks = [
            (el, BlockIndex.of(el), None) for el in doc.xpath(f"//*[{_has_class('post')} or {_has_class('hentry')}]")
            if el.xpath(f".//*[{_has_class('post-body')} or {_has_class('entry-content')}]")
        ]
    jsonld = _jsonld(doc) if is_item else {}
    out = []
    for outer, index, header_date in blocks:
        cand = _parse_post_block(outer, index, page_url, is_item, jsonld, header_date)
        if cand is not None:
            out.append(cand)
    return out


def _jsonld(doc: lxml.html.HtmlElement) -> dict[str, str]:
    # iter("script") filters by tag in C; the XPath "//script[@type=...]" cost 50 µs a page.
    for script in (el for el in doc.iter("script") if el.get("type") == "application/ld+json"):
        try:
            data = json.loads(script.text or "")
        except json.JSONDecodeError:
            continue
        if isinstance(data, dict) and data.get("@type") == "BlogPosting":
            return {k: v for k, v in data.items() if isinstance(v, str)}
    return {}


# lxml.html's parser, without its Python element-class lookup: every element a query hands back would
# otherwise go through a Python function, a cost paid for every link and class on a page. The tree is the same.
PAGE_PARSER = etree.HTMLParser()
text_content = etree.XPath("string()")  # what lxml.html's text_content() computes
XPATH_SPACE = str.maketrans("\t\n\r", "   ")  # the white space of XPath's normalize-space
INDEXED_CLASSES = frozenset(("post-body", "entry-content", "post-title", "entry-title", "published", "post-author",
                             "snippet-item", "post-snippet", "jump-link"))


def class_words(cls: str) -> list[str]:
    """The words of a class attribute, split as XPath's normalize-space splits them."""
    return [n for n in cls.translate(XPATH_SPACE).split(" ") if n]


def class_names(el: etree._Element) -> list[str]:
    """The words of an element's class attribute."""
    return class_words(el.get("class") or "")


@lru_cache(maxsize=4096)
def indexed_names(cls: str) -> tuple[str, ...]:
    """The looked-up classes in a class attribute, each once."""
    # Cached: a page repeats the same few class attributes on every post, and splitting them was a third of
    # the indexing time.
    return tuple(dict.fromkeys(n for n in class_words(cls) if n in INDEXED_CLASSES))


def page_blocks(doc: etree._Element) -> list[tuple[etree._Element, BlockIndex, str | None]]:
    """The page's post blocks in document order, each indexed, with the date of the header last before it."""
    # A Python walk over the page is faster than the XPath ``//*[contains(@class, ...)]``: libxml2 evaluates
    # contains() by copying every class attribute, which cost as much as parsing the page.
    blocks: list[tuple[etree._Element, str | None]] = []
    header: str | None = None
    for el in doc.iter(etree.Element):
        cls = el.get("class")
        if cls and ("post-outer" in cls or "date-header" in cls):
            names = class_words(cls)
            # "post-outer-wrapper" and the like hold the substring but not the class.
            if "date-header" in names:
                header = date_from_header(text_content(el))
            elif "post-outer" in names:
                blocks.append((el, header))
    return [(el, BlockIndex.of(el), header) for el, header in blocks]


class BlockIndex:
    """What a post block's field lookups need, from one walk over its elements.

    The same answers as XPath queries such as ``.//*[contains(concat(' ', normalize-space(@class), ' '),
    ' post-body ')]`` (first match in document order), which each walked the block again and were most
    of the parse time.
    """

    def __init__(self) -> None:
        self.first: dict[str, tuple[int, etree._Element]] = {}
        self.timestamp_link: etree._Element | None = None
        self.tags: list[etree._Element] = []
        self.post_id_metas: list[etree._Element] = []
        self.named_links: list[etree._Element] = []
        self.post_id_links: list[etree._Element] = []
        self.authors: list[etree._Element] = []
        self.jump_links: list[etree._Element] = []

    @classmethod
    def of(cls, outer: etree._Element) -> BlockIndex:
        """Index the elements under outer (its descendants, as the XPath ``.//*`` would)."""
        index = cls()
        first, authors = index.first, index.authors
        # One loop, inlined: it runs for every element of every post.
        for i, el in enumerate(outer.iterdescendants(etree.Element)):
            classes = el.get("class")
            if classes:
                for name in indexed_names(classes):
                    if name not in first:
                        first[name] = (i, el)
                    if name == "post-author":
                        authors.append(el)
                    elif name == "jump-link":
                        index.jump_links.append(el)
            tag = el.tag
            if tag == "a":
                if classes and "timestamp-link" in classes and index.timestamp_link is None:
                    index.timestamp_link = el
                if el.get("rel") == "tag":
                    index.tags.append(el)
                if el.get("name") is not None:
                    index.named_links.append(el)
                if "postID=" in (el.get("href") or ""):
                    index.post_id_links.append(el)
            elif tag == "meta" and el.get("itemprop") == "postId" and el.get("content") is not None:
                index.post_id_metas.append(el)
        return index

    def first_of(self, *names: str) -> etree._Element | None:
        """The first element in document order that has one of the classes."""
        found = [self.first[n] for n in names if n in self.first]
        return min(found, key=lambda pair: pair[0])[1] if found else None

    def has(self, *names: str) -> bool:
        """Does any element have one of the classes?"""
        return any(n in self.first for n in names)

    def has_jump_link(self) -> bool:
        """Is there a link inside a ``jump-link`` element ("Read more")?"""
        return any(next(holder.iterdescendants("a"), None) is not None for holder in self.jump_links)

    def author(self) -> etree._Element | None:
        """The first name (``itemprop=name`` or class ``fn``) inside a ``post-author`` element."""
        # Post-author elements come in document order, so the first one holding a name holds the first name:
        # a later one is either nested in it (already searched) or entirely after it.
        for holder in self.authors:
            for el in holder.iterdescendants(etree.Element):
                if el.get("itemprop") == "name" or "fn" in class_names(el):
                    return el
        return None


def _parse_post_block(outer: etree._Element, index: BlockIndex, page_url: str, is_item: bool,
                      jsonld: dict[str, str], header_date: str | None = None) -> Candidate | None:
    body_el = index.first_of("post-body", "entry-content")
    link_el = index.timestamp_link
    title_el = index.first_of("post-title", "entry-title")
    permalink = link_el.get("href") if link_el is not None else None
    if not permalink and title_el is not None:
        a = _first(title_el, ".//a[@href]")
        permalink = a.get("href") if a is not None else None
    if not permalink:
        meta = _first(outer, ".//meta[@itemprop='url'][@content]")
        permalink = meta.get("content") if meta is not None else None
    if not permalink and is_item:
        permalink = page_url
    if not permalink:
        return None
    link = join_url(page_url, permalink)
    permalink = normalise_url(link)
    if body_el is None:
        return None
    post_id = _post_id(index, body_el) or id_from_url(permalink)
    pub_el = index.first_of("published")
    published = None
    if pub_el is not None:
        published = normalise_timestamp(pub_el.get("title") or pub_el.get("datetime"))
    if not published and jsonld.get("datePublished"):
        published = normalise_timestamp(jsonld["datePublished"])
    date = published[:10] if published else header_date or _header_date(outer)
    if not date:
        log.debug("%s: post %s has no date; skipped", page_url, post_id)
        return None
    title = " ".join(text_content(title_el).split()) if title_el is not None else ""
    if not title and jsonld.get("headline"):
        title = jsonld["headline"].strip()
    author_el = index.author()
    author = " ".join(text_content(author_el).split()) if author_el is not None else None
    labels = []
    for a in index.tags:
        lab = " ".join(text_content(a).split())
        if lab and lab not in labels:
            labels.append(lab)
    snippet = (body_el.get("id") or "").startswith("post-snippet-") or index.has("snippet-item", "post-snippet") \
        and bool(_xpath(f".//*[{_has_class('snippet-item')} or {_has_class('post-snippet')}]")(body_el))
    truncated = snippet or index.has_jump_link()
    completeness = FULL if is_item else TRUNCATED if truncated else LISTING
    text = body_text(body_el)
    html = _inner_html(body_el)
    post = Post(id=post_id, url=permalink, date=date, published=published, title=title, author=author or None,
                labels=labels, text=text, html=html, source=page_url)
    return Candidate(post, completeness, link)


def _post_id(index: BlockIndex, body_el: etree._Element) -> str | None:
    for meta in index.post_id_metas:
        if DIGITS.match(meta.get("content")):
            return meta.get("content")
    for a in index.named_links:
        if DIGITS.match(a.get("name")):
            return a.get("name")
    m = POST_ID_IN.search(body_el.get("id") or "")
    if m:
        return m.group(1)
    for a in index.post_id_links:
        m = POST_ID_IN.search(a.get("href"))
        if m:
            return m.group(1)
    return None


def _header_date(outer: etree._Element) -> str | None:
    # The header stands before the post in document order: in its own date group, or for later posts of
    # the same day, in the group they share.
    for h in outer.xpath(f"preceding::*[{_has_class('date-header')}][1]"):
        return date_from_header(text_content(h))
    return None


def _inner_html(el: etree._Element) -> str:
    parts = [el.text or ""]
    for child in el:
        if child.get("style") == "clear: both;" and not len(child):
            if child.tail:
                parts.append(child.tail)
            continue
        parts.append(etree.tostring(child, encoding="unicode", method="html"))
    return "".join(parts).strip()


# ---------------------------------------------------------------- feeds


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


# ---------------------------------------------------------------- the store


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


def parse_store(raw: str | Path) -> list[Post]:
    """Parse every response of a raw store into deduplicated posts, newest first."""
    from pipeline.progress import progress

    path = Path(raw)
    if not path.exists():
        raise InputError(f"{path}: raw store not found")
    cands: list[Candidate] = []
    for resp in progress(iter_raw(path), "parse", every=500):
        cands.extend(candidates_of(resp))
    posts = merge(cands)
    empty = [p.id for p in posts if not p.text.strip()]
    if empty:
        log.warning("%d posts have an empty body: %s", len(empty), ", ".join(empty[:10]))
    return posts


def parse_file(raw: str | Path, out: str | Path) -> int:
    """Parse a raw store and write posts.jsonl atomically; return the number of posts."""
    from pipeline.jsonl import write_jsonl

    posts = parse_store(raw)
    n = write_jsonl(out, (p.to_dict() for p in posts))
    log.info("wrote %d posts to %s", n, out)
    return n


def add_cli(sub: argparse._SubParsersAction) -> None:
    """Register ``parse``."""
    p = sub.add_parser("parse", help="parse a raw store (WARC) into posts.jsonl",
                       description="Turn stored listing pages, feeds and permalink pages into one record per "
                       "post (deduplicated, the fullest body wins), newest first.")
    p.add_argument("raw", help="raw store directory or .warc.gz file")
    p.add_argument("-o", "--out", required=True, help="posts.jsonl to write")
    p.set_defaults(func=lambda a: parse_file(a.raw, a.out) and 0)
