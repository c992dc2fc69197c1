"""From vocabulary entries to what the extractors' rules use: table rows by language, and regular expressions.

Entries are literal text: a rule escapes them, so a linguist writes "approx." or "US$" as they are. How a
rule treats spaces, case and word ends is the rule's business and is said in ``pipeline/data/README.md``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from pipeline.errors import InputError
from pipeline.vocab import LANGUAGES, table

# The `lang` of a table row written alike in every language (a currency sign, an ISO code).
EVERY_LANGUAGE = "*"


def rows(name: str, langs: tuple[str, ...] | str = LANGUAGES) -> list[dict[str, str]]:
    """The rows of table `name` for the languages `langs`, with those written alike in every language."""
    if isinstance(langs, str):
        langs = (langs,)
    return [r for r in table(name) if r["lang"] in langs or r["lang"] == EVERY_LANGUAGE]


def mapping(name: str, key: Callable[[dict[str, str]], str], value: Callable[[dict[str, str]], object],
            langs: tuple[str, ...] | str = LANGUAGES, where: Callable[[dict[str, str]], bool] = lambda r: True) -> dict:
    """{key(row): value(row)} over the rows of table `name` for which `where` holds; a key given two values is
    an error naming the table."""
    out: dict = {}
    for r in filter(where, rows(name, langs)):
        k, v = key(r), value(r)
        if k in out and out[k] != v:
            raise InputError(f"{name}.csv: {k!r} is given both {out[k]!r} and {v!r}")
        out[k] = v
    return out


def alternation(entries: Iterable[str], *, space: str | None = None, boundary: bool = False) -> str:
    """A regex alternation of the entries as literal text, longest first.

    Longest first, so that of two entries where one starts the other ("Sept", "Sep") the longer is tried
    first, as a greedy optional part would; the order is fixed (then alphabetical), whatever the order of
    `entries`. `space` replaces each space of an entry (e.g. ``\\s+``); `boundary` adds ``\\b`` after the
    entries that end in a word character.
    """
    out = []
    for entry in sorted(set(entries), key=lambda e: (-len(e), e)):
        rx = re.escape(entry)
        if space is not None:
            rx = rx.replace(r"\ ", space)
        if boundary and re.match(r"\w", entry[-1]):
            rx += r"\b"
        out.append(rx)
    return "|".join(out)


def capitalised_either(entry: str) -> str:
    """A regex of an entry where each capitalised word ('Convention') also matches with a small initial, and
    a final '*' stands for the rest of a word ('Ratif*': 'ratified', 'Ratification'); other words as written."""
    stem, rest = (entry[:-1], r"\w*") if entry.endswith("*") else (entry, "")
    words = []
    for word in stem.split(" "):
        if len(word) > 1 and word[0].isupper() and word[1:].islower():
            words.append(f"[{word[0]}{word[0].lower()}]{re.escape(word[1:])}")
        else:
            words.append(re.escape(word))
    return " ".join(words) + rest


def first_letter_alternation(entries: Iterable[str]) -> str:
    """``capitalised_either`` of each entry, longest first (see ``alternation``)."""
    return "|".join(capitalised_either(e) for e in sorted(set(entries), key=lambda e: (-len(e), e)))
