"""Type and country of an organisation outside the knowledge base, from the words of its name."""

from __future__ import annotations

import re
from functools import lru_cache

from pipeline.extract.organisations.vocabulary import COMPOUND_HEAD, COMPOUND_TYPES, COUNTRY_NAMES, HEAD_TYPES

# Any country name at all: most names have none, and one search settles that.
ANY_COUNTRY = re.compile(r"(?<!\w)(?:" + "|".join(
    re.escape(n) for n in sorted({n for names in COUNTRY_NAMES.values() for n in names if len(n) > 3},
                                 key=lambda n: (-len(n), n))) + r")(?!\w)")


@lru_cache(maxsize=4096)
def guess_type(name: str) -> str | None:
    """Type of an organisation outside the knowledge base, from its head noun."""
    # In the name's order, so that a name with two compound heads gets the same type in every process (a set
    # of words would be visited in an order that changes with the interpreter's string hashing).
    words = dict.fromkeys(re.findall(r"[\w-]+", name))
    for w in words:
        if COMPOUND_HEAD.match(w):
            # The longest ending names the head: "Vakverbond" is a verbond, not a bond.
            return COMPOUND_TYPES[max((e for e in COMPOUND_TYPES if w.endswith(e)), key=len)]
    for kind, heads in HEAD_TYPES.items():
        if not heads.isdisjoint(words):
            return kind
    return None


@lru_cache(maxsize=4096)
def guess_country(name: str) -> str | None:
    """Country of an organisation outside the knowledge base, when its name says it ("Nepal ...", "Cambodian ...")."""
    if ANY_COUNTRY.search(name) is None:
        return None
    for code, names in COUNTRY_NAMES.items():
        for n in names:
            if len(n) > 3 and re.search(rf"(?<!\w){re.escape(n)}(?!\w)", name):
                return code
    return None
