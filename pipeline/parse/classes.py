"""The class names the HTML parser reads, by role, from ``pipeline/data/page_classes.csv``.

Roles: ``block``, ``mobile_block``, ``fallback_block`` (post blocks, in that order of preference), ``header``
(date headers), ``body`` and ``body_fallback`` (the post body), ``summary`` (a snippet: the body is not the
whole post), ``jump`` ("read more" holders), ``title``, ``labels``, ``timestamp``, ``author``, and
``boilerplate`` (share bars, related posts, author boxes, ads... inside a body: never text).
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

from pipeline import vocab

XPATH_SPACE = str.maketrans("\t\n\r\f", "    ")  # the white space of XPath's normalize-space
PARTS = re.compile(r"[-_]+")


def class_words(cls: str) -> list[str]:
    """The words of a class attribute, split as XPath's normalize-space splits them."""
    return [n for n in cls.translate(XPATH_SPACE).split(" ") if n]


@cache
def _rows() -> tuple[dict[str, str], ...]:
    return vocab.table("page_classes")


@cache
def role_names(role: str) -> frozenset[str]:
    """The class words of one role (those matched as a whole word)."""
    return frozenset(r["name"] for r in _rows() if r["role"] == role and r["match"] == "word")


@cache
def word_roles() -> dict[str, tuple[str, ...]]:
    """Class word -> the roles it has (every role but boilerplate, whose names are matched in parts)."""
    out: dict[str, list[str]] = {}
    for r in _rows():
        if r["match"] == "word":
            out.setdefault(r["name"], []).append(r["role"])
    return {k: tuple(v) for k, v in out.items()}


@cache
def _boilerplate() -> tuple[frozenset[str], frozenset[str], tuple[str, ...]]:
    rows = [r for r in _rows() if r["role"] == "boilerplate"]
    return (frozenset(r["name"] for r in rows if r["match"] == "word"),
            frozenset(r["name"] for r in rows if r["match"] == "part"),
            tuple(r["name"] for r in rows if r["match"] == "substring"))


@lru_cache(maxsize=8192)
def is_boilerplate(value: str) -> bool:
    """Does a class attribute or id name boilerplate (share bar, related posts, ad, author box, ...)?"""
    words, parts, substrings = _boilerplate()
    for word in class_words(value.lower()):
        if word in words or any(s in word for s in substrings) or not parts.isdisjoint(PARTS.split(word)):
            return True
    return False


@lru_cache(maxsize=8192)
def roles_of(cls: str) -> tuple[tuple[str, str], ...]:
    """(role, class word) for each class word of a class attribute that has a role, in attribute order."""
    # Cached: a page repeats the same few class attributes on every post.
    table = word_roles()
    out = []
    seen = set()
    for word in class_words(cls):
        low = word.lower()
        if low in seen:
            continue
        seen.add(low)
        for role in table.get(low, ()):
            out.append((role, low))
    return tuple(out)
