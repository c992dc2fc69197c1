"""A Blogger HTML page (listing or item page) to its posts: every post block's fields, with its completeness.

Each field has a chain of sources, most reliable first, so that any template gives it:

- permalink: the timestamp link, a ``rel=bookmark`` link, the title's link, ``meta[itemprop=url]`` (never the
  one inside ``itemprop=author``: that is the author's profile); on an item page, the page's canonical URL;
- date: a machine-readable timestamp (``abbr.published[title]``, ``time[datetime]``,
  ``[itemprop=datePublished]``, the post's JSON-LD), else the date header (inside the block or before it),
  else a timestamp given only as text (``span.post-timestamp``, ``a[rel=bookmark]``, ...), read in the
  blog's language and checked against the permalink's year and month;
- title: the title element, else ``h1``-``h4[itemprop=name]``, the post's JSON-LD headline, an item page's
  ``og:title``;
- body: see ``blocks.BlockIndex.body``; its text skips boilerplate and, when empty, reads ``<noscript>``.

A listing copy is a summary (``TRUNCATED``) when it is a snippet, has a "read more" link (a jump link
beside the body, or a link to its own permalink ending the body, cut out), ends with an ellipsis, or comes
from a mobile listing. The hot path uses lxml's HTML parser without lxml.html's Python element classes.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator
from itertools import chain

from lxml import etree

from pipeline.flags import CHARSET_REPLACED, NESTING_CUT
from pipeline.parse.blocks import Block, BlockIndex, page_blocks, page_scope, text_content
from pipeline.parse.candidate import FULL, LISTING, TRUNCATED, Candidate
from pipeline.parse.dates import date_from_header, date_only, normalise_timestamp
from pipeline.parse.htmltree import parse_page
from pipeline.parse.pageinfo import PageInfo, page_info
from pipeline.parse.readmore import cut_read_more, ends_with_ellipsis
from pipeline.parse.text import body_text, noscript_text
from pipeline.parse.urls import ITEM_PATH, id_from_url, join_url, normalise_url, url_path
from pipeline.records import Post

log = logging.getLogger(__name__)

POST_ID_IN = re.compile(r"(?:post-body-|post-snippet-|post-|postID=)(\d{6,})")
DIGITS = re.compile(r"^\d{6,}$")
LABEL_ICON = re.compile(r"^[^\w\s]{1,2}\s+")
PERMALINK_DATE = re.compile(r"^/(\d{4})/(\d{2})/")
MAX_DEPTH = 2048  # what libxml2 reads with huge trees (see htmltree)


def parse_html_page(url: str, html: str) -> list[Candidate]:
    """Every post on a Blogger page (listing or item page), with its completeness.

    A page that nests deeper than the parser reads is named in a warning and its posts are flagged ``nesting_cut``
    (summaries, so that a whole copy from elsewhere wins); a post block whose links are no URLs is skipped with a
    warning."""
    if not html.strip():
        return []
    try:
        doc, deep = parse_page(html)
        if doc is None:
            raise etree.ParserError("Document is empty")
    except (etree.ParserError, ValueError) as exc:
        log.warning("%s: unparseable HTML (%s); skipped", url, exc)
        return []
    scope = page_scope(doc)
    info = page_info(doc, url, scope.blog_title)
    out = []
    for n, block in enumerate(page_blocks(doc, info.lang, scope.root)):
        try:
            cand = _parse_post_block(block, info, url, main=info.is_item and n == 0)
        except ValueError as exc:  # a link no URL parser accepts ('http://[::1'): that block, not the page
            log.warning("%s: a post block with a link that is no URL (%s); that post skipped", url, exc)
            continue
        if cand is not None:
            out.append(cand)
    if deep:
        log.warning("%s: the page nests elements deeper than %d levels; what lies deeper was not read (%d posts "
                    "found, flagged %s)", url, MAX_DEPTH, len(out), NESTING_CUT)
    flags = [f for f, on in ((NESTING_CUT, deep), (CHARSET_REPLACED, info.replaced)) if on]
    for cand in out if flags else ():
        cand.post.flags = sorted({*cand.post.flags, *flags})
        if deep:
            cand.completeness = TRUNCATED
    return out


def _permalink(index: BlockIndex, title_el: etree._Element | None) -> str | None:
    """The post's permalink as the block links it (see the module docstring), unresolved: the first link
    with a post's path (an external "link" URL on the title or a profile has none), else the first link."""
    first = None
    for href in _links(index, title_el):
        href = (href or "").strip()
        if not href or href.startswith(("#", "javascript:")):
            continue
        if ITEM_PATH.match(url_path(href)):
            return href
        first = first or href
    return first


def _links(index: BlockIndex, title_el: etree._Element | None) -> Iterator[str | None]:
    """The block's links to its post, most reliable first (generated: the first good one usually ends it)."""
    if index.timestamp_link is not None:
        yield index.timestamp_link.get("href")
    for a in index.bookmarks:
        yield a.get("href")
    if title_el is not None:
        inner = next((a for a in title_el.iter("a") if a.get("href")), None)
        if inner is None:  # mobile listings put the title inside the link
            inner = next((a for a in title_el.iterancestors("a") if a.get("href")), None)
        if inner is not None:
            yield inner.get("href")
    for meta in index.url_metas:
        if not _in_author(meta):
            yield meta.get("content")


def _in_author(el: etree._Element) -> bool:
    return any("author" in (anc.get("itemprop") or "") or anc.get("rel") == "author" for anc in el.iterancestors())


def _parse_post_block(block: Block, info: PageInfo, url: str, main: bool) -> Candidate | None:
    index = block.index
    title_el = index.title()
    link = _permalink(index, title_el)
    if main:
        # An item page's post is the page's own: its canonical URL (same path, possibly another host) or its URL.
        permalink = info.canonical or info.url
        link = link if link and normalise_url(join_url(url, link)) == permalink else url
    elif link:
        link = join_url(url, link)
        permalink = normalise_url(link)
    else:
        return None
    body_el, snippet = index.body()
    if body_el is None and block.tier == "fallback_block":
        return None
    post_id = (_post_id(index, body_el) if body_el is not None else _post_id(index, None)) or id_from_url(permalink)
    ld = info.ld_for(permalink, main)
    hint = _year_month(permalink)
    published = _published(index, ld)
    date = published[:10] if published and len(published) > 10 else published
    if not date:
        header = date_from_header(block.header_text, hint, info.lang) if block.header_text else None
        date = header or _text_date(index, hint, info.lang)
    if not date:  # kept undated: another copy may give the date (merge); a post no copy dates is reported
        log.debug("%s: post %s has no date on this page", info.url, post_id)
        date = ""
    if published and len(published) == 10:
        published = None
    title = _title(index, title_el, ld, info if main else None)
    author_el = index.author()
    author = " ".join(text_content(author_el).split()) if author_el is not None else None
    labels = _labels(index, body_el)
    cut = False
    if body_el is not None:
        cut = cut_read_more(body_el, permalink, url)
        text = body_text(body_el)
        if not text and index.noscripts:
            text = noscript_text(index.noscripts)
        html = _inner_html(body_el)
    else:
        text = html = ""
    if main:
        completeness = FULL
    elif snippet or cut or block.tier == "mobile_block" or body_el is None or index.has_jump_link() \
            or _own_jump(index, permalink, url) or _cut_snippet(body_el, text):
        completeness = TRUNCATED
    else:
        completeness = LISTING
    post = Post(id=post_id, url=permalink, date=date, published=published, title=title, author=author or None,
                labels=labels, text=text, html=html, source=info.url)
    return Candidate(post, completeness, link)


def _year_month(permalink: str) -> tuple[int, int] | None:
    m = PERMALINK_DATE.match(url_path(permalink))
    return (int(m.group(1)), int(m.group(2))) if m else None


def _published(index: BlockIndex, ld: dict[str, str]) -> str | None:
    """The first machine-readable timestamp (ISO, with its offset), or a date alone when that is all there is."""
    # The usual case is settled by the first element; the itemprop query runs only when it is not.
    for el in chain((index.first_of("published"),), index.times, LazyList(lambda: index.date_published)):
        if el is None:
            continue
        for value in (el.get("title"), el.get("datetime"), el.get("content")):
            ts = normalise_timestamp(value)
            if ts:
                return ts
    for el in chain((index.first_of("published"),), index.times, index.date_published):
        for value in (el.get("title"), el.get("datetime"), el.get("content")) if el is not None else ():
            day = date_only(value)
            if day:
                return day
    return normalise_timestamp(ld.get("datePublished")) or date_only(ld.get("datePublished"))


class LazyList:
    """An iterable computed on first iteration."""

    def __init__(self, make: Callable[[], list[etree._Element]]) -> None:
        self.make = make

    def __iter__(self) -> Iterator[etree._Element]:
        return iter(self.make())


def _text_date(index: BlockIndex, hint: tuple[int, int] | None, lang: str | None) -> str | None:
    """A date written only as text: in a timestamp element, a ``datePublished`` element or a bookmark link."""
    for el in (*index.role("timestamp"), *index.date_published, *index.times, *index.bookmarks):
        # The text, or a title that is not ISO ('Sunday, March 18, 2018' on some old abbr.published).
        for text in (text_content(el), el.get("title")):
            date = date_from_header(text, hint, lang) if text else None
            if date:
                return date
    return None


def _title(index: BlockIndex, title_el: etree._Element | None, ld: dict[str, str], info: PageInfo | None) -> str:
    if title_el is not None:
        title = " ".join(text_content(title_el).split())
        if title:
            return title
    for heading in index.name_headings:
        if not _in_author(heading):
            title = " ".join(text_content(heading).split())
            if title:
                return title
    if ld.get("headline"):
        return " ".join(ld["headline"].split())
    if title_el is None and info is not None:  # no title markup at all on an item page
        return info.title_fallback() or ""
    return ""


def _labels(index: BlockIndex, body_el: etree._Element | None) -> list[str]:
    links = list(index.tags)
    for holder in index.role("labels"):
        links.extend(a for a in holder.iter("a") if a.get("rel") != "tag")
    labels: list[str] = []
    for a in links:
        # An icon before the name ('<i>#</i> news', '• news') is not part of it.
        lab = LABEL_ICON.sub("", " ".join(text_content(a).split()))
        if lab and lab not in labels:
            labels.append(lab)
    return labels


def _cut_snippet(body_el: etree._Element | None, text: str) -> bool:
    """Is a listing body an automatic snippet: plain text (Blogger's ``data:post.snippet`` and themes' excerpts
    have no markup) ending with an ellipsis? A post written with markup that ends with '...' is not."""
    if body_el is None or not ends_with_ellipsis(text):
        return False
    return all(el.tag in ("br", "wbr") for el in body_el.iterdescendants(etree.Element))


def _own_jump(index: BlockIndex, permalink: str, base: str) -> bool:
    """Is a "read more" holder itself a link to the post (``a.read-more``, ``a.snippet-fade``)?"""
    for el in index.role("jump"):
        href = el.get("href") if el.tag == "a" else None
        if href and normalise_url(join_url(base, href).split("#")[0]) == permalink:
            return True
    return False


def _post_id(index: BlockIndex, body_el: etree._Element | None) -> str | None:
    for meta in index.post_id_metas:
        if DIGITS.match(meta.get("content")):
            return meta.get("content")
    for a in index.named_links:
        if DIGITS.match(a.get("name")):
            return a.get("name")
    m = POST_ID_IN.search(body_el.get("id") or "") if body_el is not None else None
    if m:
        return m.group(1)
    for a in index.post_id_links:
        m = POST_ID_IN.search(a.get("href"))
        if m:
            return m.group(1)
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
