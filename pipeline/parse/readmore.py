""""Read more" links inside a body, found by where they point, not by what they say.

A listing or a feed that cuts a post ends the cut body with a link to the post's own permalink ("Read more",
"Lees meer", "La suite de l'article...", "Đọc thêm", an arrow, an image), often followed by a comment-count
link. Such a trailer is not body text, and the body it ends is a summary. A link to the post's own permalink
counts as one when nothing but links to the post or its comments, punctuation and at most a few words follow
it inside the body; the trailer is cut from the body (text and HTML).
"""

from __future__ import annotations

import re
from urllib.parse import urldefrag

from lxml import etree

from pipeline.parse.text import html_to_text
from pipeline.parse.urls import join_url, normalise_url

MAX_LINK_TEXT = 150  # characters: a "read more" is a few words, or the post's title in a phrase
MAX_TRAILER_WORDS = 3  # words after the link besides those of other links to the post ('|', '12 comments')
COMMENT_LINK = re.compile(r"comment|#disqus|showComment", re.I)
WORDS = re.compile(r"[^\W_]+")
ELLIPSIS_END = re.compile(r"(?:\.\.\.|…|\[\s*(?:\.\.\.|…)\s*\])[\s\"'»)\]]*$")


def ends_with_ellipsis(text: str) -> bool:
    """Does a body end with an ellipsis ('...', '…', '[…]'), the mark of an automatic summary?"""
    return bool(ELLIPSIS_END.search(text[-40:]))


def _target(href: str | None, base: str) -> str | None:
    if not href or href.startswith(("javascript:", "mailto:")):
        return None
    try:
        return normalise_url(urldefrag(join_url(base, href.strip()))[0])
    except ValueError:
        return None


def _is_post_link(a: etree._Element, permalink: str, base: str) -> bool:
    """Does a link point to the post (its permalink, any fragment) or to its comments?"""
    href = a.get("href")
    if _target(href, base) == permalink:
        return True
    return bool(href and COMMENT_LINK.search(href) and ("postID=" in href or "/comment" in href))


def _loose_text(el: etree._Element, permalink: str, base: str) -> str:
    """Text of an element (and its tail) without the text of links to the post or its comments."""
    parts: list[str] = []
    stack: list[tuple[etree._Element, bool]] = [(el, False)]  # (node, its children done); no recursion: depth
    while stack:
        node, done = stack.pop()
        if done or not isinstance(node.tag, str) or node.tag == "a" and _is_post_link(node, permalink, base):
            parts.append(node.tail or "")
            continue
        parts.append(node.text or "")
        stack.append((node, True))
        stack.extend((child, False) for child in reversed(node))
    return "".join(parts)


def cut_read_more(body: etree._Element, permalink: str, base: str) -> bool:
    """Cut a trailing "read more" link to the post's own permalink (and what follows it) out of a body.

    `base` resolves relative links. True when one was cut: the body is then a summary.
    """
    slug = permalink.rstrip("/").rsplit("/", 1)[-1]
    for a in body.iter("a"):
        href = a.get("href")
        # The slug test first: most links of a body go elsewhere, and resolving each costs more.
        if a is body or not href or slug not in href or _target(href, base) != permalink:
            continue
        if len(" ".join(html_to_text(a).split())) > MAX_LINK_TEXT:
            continue
        trailer = _trailer_text(a, body, permalink, base)
        if len(WORDS.findall(trailer)) <= MAX_TRAILER_WORDS:
            _cut_from(a, body)
            return True
    return False


def _trailer_text(a: etree._Element, body: etree._Element, permalink: str, base: str) -> str:
    """What follows the link inside the body, without links to the post or its comments."""
    parts = [a.tail or ""]
    node = a
    while node is not body:
        for sib in node.itersiblings():
            parts.append(_loose_text(sib, permalink, base))
        parent = node.getparent()
        if parent is None:
            break
        if parent is not body:
            parts.append(parent.tail or "")
        node = parent
    return "".join(parts)


def _cut_from(a: etree._Element, body: etree._Element) -> None:
    """Remove the link and everything after it inside the body."""
    node = a
    while node is not body:
        parent = node.getparent()
        if parent is None:
            break
        for sib in list(node.itersiblings()):
            parent.remove(sib)
        node.tail = None
        node = parent
    parent = a.getparent()
    if parent is not None:
        parent.remove(a)
