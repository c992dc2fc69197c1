"""The post blocks of a Blogger HTML page, each indexed in one walk over its elements.

Selectors are the ones that hold in both classic and v3 layouts (``.post-outer``, ``.post-title``,
``.post-body``, ``a.timestamp-link``, ``.published``, ``a[rel=tag]``), never ``.date-outer`` structure
alone. Each post block is walked once to index what the field lookups need (see BlockIndex) rather
than queried once per field.
"""

from __future__ import annotations

from functools import lru_cache

from lxml import etree

from pipeline.parse.dates import date_from_header

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
