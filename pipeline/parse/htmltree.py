"""HTML to lxml trees, however deep the page nests: the parsers, one per thread, and the check that says when a page
nests deeper than they read.

libxml2 stops building the tree at depth 256 unless asked for huge trees (then 2,048), and drops what lies deeper
without raising. The parsers here are huge-tree parsers; a page deeper still is reported (``too_deep``) so that
its posts are flagged (``nesting_cut``) and the page named in a warning. lxml parser objects are not to be shared
between threads (the crawler parses in one thread per blog), so each thread gets its own.
"""

from __future__ import annotations

import re
import threading

import lxml.html
from lxml import etree

_local = threading.local()
# An XML declaration before an XHTML page: lxml refuses a str that carries one ("Unicode strings with encoding
# declaration are not supported"); the text is decoded already, so the declaration says nothing any more.
XML_DECLARATION = re.compile(r"^\ufeff?\s*<\?xml[^>]*>")


def _parsers() -> tuple[etree.HTMLParser, lxml.html.HTMLParser]:
    found = getattr(_local, "parsers", None)
    if found is None:
        # The page parser without lxml.html's Python element classes (every element a query hands back would
        # go through a Python lookup); the fragment parser with them, for the feed bodies that use their API.
        found = _local.parsers = (etree.HTMLParser(huge_tree=True), lxml.html.HTMLParser(huge_tree=True))
    return found


def _too_deep(parser: etree.HTMLParser) -> bool:
    return any("depth" in e.message.lower() for e in parser.error_log)


def parse_page(html: str) -> tuple[etree._Element | None, bool]:
    """The document of a whole page (None when there is nothing to parse) and whether it nests deeper than read.

    Raises ``etree.ParserError`` or ``ValueError`` for text lxml refuses."""
    parser = _parsers()[0]
    doc = etree.fromstring(XML_DECLARATION.sub("", html, count=1), parser)
    return doc, _too_deep(parser)


def parse_fragment(html: str) -> tuple[lxml.html.HtmlElement, bool]:
    """A fragment of HTML (a feed entry's body) inside a ``div``, and whether it nests deeper than read."""
    parser = _parsers()[1]
    el = lxml.html.fragment_fromstring(XML_DECLARATION.sub("", html, count=1) or "<div></div>", create_parent="div",
                                       parser=parser)
    return el, _too_deep(parser)
