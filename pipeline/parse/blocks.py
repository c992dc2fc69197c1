"""The post blocks of a Blogger HTML page, each indexed in one walk over its elements.

Where the page has a Blog widget (``div.widget.Blog#Blog1``, every layout since 2006), only blocks inside
it are posts: popular-post, featured-post and related-post widgets in sidebars and footers reuse the post
markup and must never become posts. Inside it a block is, in order of preference, each ``.post-outer``
(classic and v3), each classic mobile listing entry (``.mobile-post-outer``), else the outermost
``.hentry`` / ``.post`` element holding a body (old layouts and third-party themes). The class names are
data (``pipeline/data/page_classes.csv``, see ``pipeline.parse.classes``). Each block is walked once to
index what the field lookups need (see BlockIndex) rather than queried once per field.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from lxml import etree

from pipeline.parse.classes import class_words, is_boilerplate, roles_of
from pipeline.parse.dates import date_from_header

text_content = etree.XPath("string()")  # what lxml.html's text_content() computes
BLOG_WIDGET_ID = re.compile(r"^Blog\d+$")
TIERS = ("block", "mobile_block", "fallback_block")
# Class attribute -> its roles, for the two hot loops: the page walk needs the block and header roles, the block
# index the others. A plain dict lookup costs less than a cached call; a page repeats the same few class
# attributes and a store's pages share most of them (the dicts are emptied if they ever grow large).
_PAGE_ROLES: dict[str, tuple[str, ...]] = {}
_INDEX_ROLES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {}
PAGE_ROLES = frozenset((*TIERS, "header"))
INDEX_ROLES = frozenset(("header", "body", "body_fallback", "summary", "jump", "title", "labels", "timestamp",
                         "author"))
CACHE_LIMIT = 100_000
BODY_ROLES = ("body", "body_fallback", "summary")
_URL_METAS = etree.XPath(".//meta[@itemprop='url'][@content != '']")
_DATE_PUBLISHED = etree.XPath(".//*[@itemprop='datePublished']")
_NAME_HEADINGS = etree.XPath(".//*[self::h1 or self::h2 or self::h3 or self::h4]"
                             "[@itemprop='name' or @itemprop='headline']")


def _page_roles(cls: str) -> tuple[str, ...]:
    if len(_PAGE_ROLES) > CACHE_LIMIT:
        _PAGE_ROLES.clear()
    found = _PAGE_ROLES[cls] = tuple(dict.fromkeys(role for role, _ in roles_of(cls) if role in PAGE_ROLES))
    return found


def _index_roles(cls: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(class words with a role, their roles), each once."""
    if len(_INDEX_ROLES) > CACHE_LIMIT:
        _INDEX_ROLES.clear()
    pairs = [pair for pair in roles_of(cls) if pair[0] in INDEX_ROLES]
    found = _INDEX_ROLES[cls] = (tuple(dict.fromkeys(n for _, n in pairs)), tuple(dict.fromkeys(r for r, _ in pairs)))
    return found


def class_names(el: etree._Element) -> list[str]:
    """The words of an element's class attribute."""
    return class_words(el.get("class") or "")


class Block(NamedTuple):
    """A post block, its index, and the text of the date header it stands under (inside it or before it)."""

    el: etree._Element
    index: BlockIndex
    header_text: str | None
    tier: str = "block"
    lang: str | None = None

    @property
    def header(self) -> str | None:
        """The ISO date of the header (read on demand: most posts are dated by their timestamp)."""
        return date_from_header(self.header_text, lang=self.lang) if self.header_text else None


class PageScope(NamedTuple):
    """Where a page's posts are (the Blog widget, or the whole page) and the blog's name if the page shows it."""

    root: etree._Element
    blog_title: str | None


def page_scope(doc: etree._Element) -> PageScope:
    """The Blog widget (or the document when there is none) and the Header widget's title."""
    blog_title = None
    for el in doc.iter(etree.Element):
        ident = el.get("id")
        if not ident:
            continue
        if ident.startswith("Blog") and BLOG_WIDGET_ID.match(ident) and "Blog" in class_names(el):
            return PageScope(el, blog_title)
        if ident.startswith("Header") and blog_title is None and "Header" in class_names(el):
            heading = next((h for h in el.iter("h1", "h2") if text_content(h).strip()), None)
            blog_title = " ".join(text_content(heading).split()) if heading is not None else None
    return PageScope(doc, blog_title)


def page_blocks(doc: etree._Element, lang: str | None = None, scope: etree._Element | None = None) -> list[Block]:
    """The page's post blocks in document order, each indexed, with its header date."""
    root = page_scope(doc).root if scope is None else scope
    found: dict[str, list[tuple[etree._Element, str | None]]] = {tier: [] for tier in TIERS}
    header: str | None = None
    # A Python walk over the page is faster than XPath ``//*[contains(@class, ...)]``: libxml2 evaluates
    # contains() by copying every class attribute, which cost as much as parsing the page.
    cache = _PAGE_ROLES
    for el in root.iter(etree.Element):
        cls = el.get("class")
        if not cls:
            continue
        roles = cache.get(cls)
        if roles is None:
            roles = _page_roles(cls)
        for role in roles:
            if role == "header":
                header = text_content(el)
            elif role in found:
                tier = found[role]
                if not tier or tier[-1][0] is not el:  # 'post hentry': one block, not two
                    tier.append((el, header))
    for tier in TIERS:
        if not found[tier]:
            continue
        blocks = [Block(el, BlockIndex.of(el), None, tier) for el, _ in found[tier]]
        headers = [h for _, h in found[tier]]
        if tier == "fallback_block":
            keep = _outermost_with_body(blocks)
            blocks, headers = [blocks[i] for i in keep], [headers[i] for i in keep]
        if blocks:
            out = []
            for block, before in zip(blocks, headers, strict=True):
                # A header inside the block (some templates print it there, for the first post of a day)
                # wins over the one before it.
                inner = block.index.header
                text = text_content(inner) if inner is not None else before
                out.append(block._replace(header_text=text, lang=lang))
            return out
    return []


def _outermost_with_body(blocks: list[Block]) -> list[int]:
    """Indexes of the fallback blocks to keep: those holding a body, outermost first, but not a wrapper
    that holds two or more such blocks (a column of posts)."""
    with_body = [i for i, b in enumerate(blocks) if b.index.has_body()]
    position = {id(blocks[i].el): i for i in with_body}
    inner_count = dict.fromkeys(with_body, 0)
    parent_of: dict[int, int] = {}
    for i in with_body:
        for anc in blocks[i].el.iterancestors():
            j = position.get(id(anc))
            if j is not None:
                inner_count[j] += 1
                parent_of.setdefault(i, j)
    keep = []
    for i in with_body:
        j = parent_of.get(i)
        # Kept when no enclosing candidate is kept, or when the enclosing one is a wrapper.
        while j is not None and inner_count[j] >= 2:
            j = parent_of.get(j)
        if j is None and inner_count[i] < 2:
            keep.append(i)
    return keep


class BlockIndex:
    """What a post block's field lookups need, from one walk over its elements.

    ``first_of`` gives the same answers as XPath queries such as ``.//*[contains(concat(' ',
    normalize-space(@class), ' '), ' post-body ')]`` (first match in document order), which each walked the
    block again and were most of the parse time.
    """

    def __init__(self, outer: etree._Element) -> None:
        self.outer = outer
        self.first: dict[str, tuple[int, etree._Element]] = {}
        self.roles: dict[str, list[etree._Element]] = {}
        self.timestamp_link: etree._Element | None = None
        self.tags: list[etree._Element] = []
        self.bookmarks: list[etree._Element] = []
        self.post_id_metas: list[etree._Element] = []
        self.named_links: list[etree._Element] = []
        self.post_id_links: list[etree._Element] = []
        self.times: list[etree._Element] = []

    @property
    def header(self) -> etree._Element | None:
        """The first date header inside the block."""
        found = self.roles.get("header")
        return found[0] if found else None

    # Looked up only when the usual markup is missing, so not indexed in the walk that every post pays for.
    @property
    def url_metas(self) -> list[etree._Element]:
        """``meta[itemprop=url][content]`` elements (the author's profile among them)."""
        return _URL_METAS(self.outer)

    @property
    def date_published(self) -> list[etree._Element]:
        """Elements with ``itemprop=datePublished``."""
        return _DATE_PUBLISHED(self.outer)

    @property
    def name_headings(self) -> list[etree._Element]:
        """Headings ``h1``-``h4`` with ``itemprop=name`` or ``headline``."""
        return _NAME_HEADINGS(self.outer)

    @property
    def noscripts(self) -> list[etree._Element]:
        """The ``<noscript>`` elements of the block."""
        return list(self.outer.iter("noscript"))

    @classmethod
    def of(cls, outer: etree._Element) -> BlockIndex:
        """Index the elements under outer (its descendants, as the XPath ``.//*`` would)."""
        index = cls(outer)
        first, roles = index.first, index.roles
        cache = _INDEX_ROLES
        # One loop, inlined: it runs for every element of every post.
        for i, el in enumerate(outer.iterdescendants(etree.Element)):
            classes = el.get("class")
            if classes:
                found = cache.get(classes)
                if found is None:
                    found = _index_roles(classes)
                names, own = found
                for name in names:
                    if name not in first:
                        first[name] = (i, el)
                for role in own:
                    if role in roles:
                        roles[role].append(el)
                    else:
                        roles[role] = [el]
            tag = el.tag
            if tag == "a":
                if classes and index.timestamp_link is None and "timestamp-link" in classes:
                    index.timestamp_link = el
                rel = el.get("rel")
                if rel:
                    if rel == "tag" or " " in rel and "tag" in rel.split():
                        index.tags.append(el)
                    elif rel == "bookmark" or " " in rel and "bookmark" in rel.split():
                        index.bookmarks.append(el)
                if el.get("name") is not None:
                    index.named_links.append(el)
                if "postID=" in (el.get("href") or ""):
                    index.post_id_links.append(el)
            elif tag == "meta":
                if el.get("itemprop") == "postId" and el.get("content") is not None:
                    index.post_id_metas.append(el)
            elif tag == "time" and el.get("datetime"):
                index.times.append(el)
        return index

    def first_of(self, *names: str) -> etree._Element | None:
        """The first element in document order that has one of the classes."""
        found = [self.first[n] for n in names if n in self.first]
        return min(found, key=lambda pair: pair[0])[1] if found else None

    def has(self, *names: str) -> bool:
        """Does any element have one of the classes?"""
        return any(n in self.first for n in names)

    def role(self, role: str) -> list[etree._Element]:
        """The elements with a class of that role, in document order."""
        return self.roles.get(role, [])

    def has_body(self) -> bool:
        """Does the block hold a body, a fallback body or a snippet?"""
        return any(r in self.roles for r in BODY_ROLES)

    def body(self) -> tuple[etree._Element | None, bool]:
        """The body element and whether it is (or holds) a snippet.

        The first ``post-body``/``entry-content`` in document order; when it holds another one (a theme's
        ``entry-content`` around title, byline and ``post-body``), the inner one. Else a fallback body class
        (or the snippet inside it), else a snippet class.
        """
        for role in ("body", "body_fallback"):
            found = self.roles.get(role)
            if found and len(found) > 1:
                # A related-posts box above the post can hold bodies of its own: never take one of those.
                found = [el for el in found if not self.in_boilerplate(el)] or found
            if found:
                body = found[0]
                for later in found[1:]:
                    if any(anc is body for anc in later.iterancestors()):
                        body = later
                if role == "body_fallback":
                    # A theme's content wrapper (``div.post-content``) that holds title, byline and snippet:
                    # the snippet is the body.
                    inner = next((el for el in self.roles.get("summary", ())
                                  if any(anc is body for anc in el.iterancestors())), None)
                    if inner is not None:
                        return inner, True
                return body, self._holds_summary(body)
        snippets = self.roles.get("summary")
        if snippets:
            return snippets[0], True
        return None, False

    def in_boilerplate(self, el: etree._Element) -> bool:
        """Is an element inside (or itself) boilerplate of the block: related posts, a share bar, an ad?"""
        node: etree._Element | None = el
        while node is not None and node is not self.outer:
            cls, ident = node.get("class"), node.get("id")
            if cls and is_boilerplate(cls) or ident and is_boilerplate(ident):
                return True
            node = node.getparent()
        return False

    def title(self) -> etree._Element | None:
        """The first title element that is not in boilerplate (a related post's title above the post's own)."""
        found = self.roles.get("title")
        if not found:
            return None
        return next((el for el in found if not self.in_boilerplate(el)), found[0]) if len(found) > 1 else found[0]

    def _holds_summary(self, body: etree._Element) -> bool:
        if any(role == "summary" for role, _ in roles_of(body.get("class") or "")):
            return True
        if (body.get("id") or "").startswith("post-snippet-"):
            return True
        return any(any(anc is body for anc in el.iterancestors()) for el in self.roles.get("summary", ()))

    def has_jump_link(self) -> bool:
        """Is there a link inside a "read more" holder (``div.jump-link > a``)? (A holder that is itself a link
        counts only when it points to the post: see ``page``.)"""
        return any(next(holder.iterdescendants("a"), None) is not None for holder in self.roles.get("jump", ()))

    def author(self) -> etree._Element | None:
        """The first name (``itemprop=name`` or class ``fn``) inside a ``post-author`` or ``itemprop=author``."""
        # Post-author elements come in document order, so the first one holding a name holds the first name:
        # a later one is either nested in it (already searched) or entirely after it.
        for holder in self.roles.get("author", ()):
            for el in holder.iterdescendants(etree.Element):
                if el.get("itemprop") == "name" or "fn" in class_names(el):
                    return el
        return None
