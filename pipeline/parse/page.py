"""A Blogger HTML page (listing or item page) to its posts: every post block's fields, with its completeness.

The hot path uses lxml's HTML parser (lxml.html's, without its Python element classes): it is an
order of magnitude faster than BeautifulSoup on Blogger pages and its libxml2 parser recovers from
broken markup the same way browsers mostly do. The blocks and their indexes come from
``pipeline.parse.blocks``.
"""

from __future__ import annotations

import json
import logging
import re
from functools import cache
from urllib.parse import urlsplit

import lxml.html
from lxml import etree

from pipeline.parse.blocks import BlockIndex, page_blocks, text_content
from pipeline.parse.candidate import FULL, LISTING, TRUNCATED, Candidate
from pipeline.parse.dates import date_from_header, normalise_timestamp
from pipeline.parse.text import body_text
from pipeline.parse.urls import ITEM_PATH, id_from_url, join_url, normalise_url
from pipeline.records import Post

log = logging.getLogger(__name__)

POST_ID_IN = re.compile(r"(?:post-body-|post-snippet-|post-|postID=)(\d{6,})")
DIGITS = re.compile(r"^\d{6,}$")
# lxml.html's parser, without its Python element-class lookup: every element a query hands back would
# otherwise go through a Python function, a cost paid for every link and class on a page. The tree is the same.
PAGE_PARSER = etree.HTMLParser()


def _has_class(name: str) -> str:
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


@cache
def _xpath(expr: str) -> etree.XPath:
    # Compiled once per expression: compiling dominated parse time when done per post and field.
    return etree.XPath(expr)


def _first(el: etree._Element, xpath: str) -> etree._Element | None:
    found = _xpath(xpath)(el)
    return found[0] if found else None


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
