"""What a page says about itself: its kind (item or listing), language, canonical URL, Open Graph title and
the JSON-LD ``BlogPosting`` objects it holds (by the permalink each describes)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from lxml import etree

from pipeline.parse.text import without_surrogates
from pipeline.parse.urls import ITEM_PATH, join_url, normalise_url

POSTING_TYPES = frozenset({"BlogPosting", "Article", "NewsArticle", "SocialMediaPosting", "Posting"})


@dataclass
class PageInfo:
    """Page-level facts the post fields fall back on."""

    url: str  # the page's own URL, normalised
    is_item: bool
    lang: str | None = None
    canonical: str | None = None  # normalised; only when it names the same post as the page URL
    og_title: str | None = None
    site_name: str | None = None
    blog_title: str | None = None
    ld: dict[str, dict[str, str]] = field(default_factory=dict)  # permalink -> string fields of its BlogPosting
    ld_page: dict[str, str] = field(default_factory=dict)  # the page's first BlogPosting
    replaced: bool = False  # lone surrogates in the JSON-LD were replaced by U+FFFD

    def ld_for(self, permalink: str, main: bool) -> dict[str, str]:
        """The JSON-LD of a post: the one naming its permalink, else (for an item page's post) the page's."""
        return self.ld.get(permalink) or (self.ld_page if main else {})

    def title_fallback(self) -> str | None:
        """og:title, unless it is the blog's own name (Blogger gives untitled posts the blog's name there)."""
        title = " ".join((self.og_title or "").split())
        if not title or title in (self.site_name, self.blog_title):
            return None
        return title


def page_info(doc: etree._Element, url: str, blog_title: str | None) -> PageInfo:
    """Read the page's head: canonical link, Open Graph, language; and every JSON-LD BlogPosting."""
    page_url = normalise_url(url)
    info = PageInfo(url=page_url, is_item=bool(ITEM_PATH.match(urlsplit(page_url).path)), blog_title=blog_title)
    lang = doc.get("lang") or doc.get("{http://www.w3.org/XML/1998/namespace}lang") or doc.get("xml:lang")
    info.lang = lang.strip() if lang and lang.strip() else None
    canonical_seen = False
    # One walk for the three tags (each doc.iter(tag) walks the whole tree).
    for el in doc.iter("meta", "link", "script"):
        tag = el.tag
        if tag == "script":
            if (el.get("type") or "").lower() == "application/ld+json" and el.text:
                _read_ld(info, el.text, url)
        elif not info.is_item:  # og:title and the canonical link serve item pages only (on listings: the blog's)
            continue
        elif tag == "meta":
            prop = el.get("property") or el.get("name")
            if prop == "og:title" and info.og_title is None:
                info.og_title = el.get("content")
            elif prop == "og:site_name" and info.site_name is None:
                info.site_name = " ".join((el.get("content") or "").split()) or None
        elif not canonical_seen and (el.get("rel") or "").lower() == "canonical" and el.get("href"):
            canonical_seen = True
            try:
                canonical = normalise_url(join_url(url, el.get("href")))
            except ValueError:  # a canonical link that is no URL is no canonical link
                continue
            # A canonical link is taken only when it names the page's own post (another host, the same
            # path): mirrors rewrite it to a local file name and some themes hard-code one.
            if urlsplit(canonical).path == urlsplit(page_url).path:
                info.canonical = canonical
    return info


def _read_ld(info: PageInfo, text: str, url: str) -> None:
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, RecursionError):
        return
    for obj in _objects(data):
        fields = {}
        for k, v in obj.items():
            if isinstance(v, str):
                fields[k], n = without_surrogates(v.strip())
                info.replaced |= n > 0
        if not info.ld_page:
            info.ld_page = fields
        for key in _urls_of(obj):
            try:
                info.ld.setdefault(normalise_url(join_url(url, key)), fields)
            except ValueError:  # not a URL after all
                continue


def _objects(data: object) -> list[dict]:
    """The posting objects of a JSON-LD document (alone, in a list, or in an @graph, however deep)."""
    todo = list(reversed(data)) if isinstance(data, list) else [data]
    out = []
    while todo:
        item = todo.pop()
        if not isinstance(item, dict):
            continue
        if isinstance(item.get("@graph"), list):
            todo.extend(reversed(item["@graph"]))
            continue
        kind = item.get("@type")
        kinds = {k for k in (kind if isinstance(kind, list) else [kind]) if isinstance(k, str)}
        if kinds & POSTING_TYPES:
            out.append(item)
    return out


def _urls_of(obj: dict) -> list[str]:
    main = obj.get("mainEntityOfPage")
    urls = [main.get("@id")] if isinstance(main, dict) else [main]
    urls += [obj.get("url"), obj.get("@id")]
    return [u.strip() for u in urls if isinstance(u, str) and u.strip().startswith(("http", "/"))]
