"""The text the recognition rules read: the doc's text with plain spaces, soft line wraps as spaces and French
elisions opened ("l’OIT" as "l OIT"), always of the same length as the doc's text so that offsets stay the
doc's; and a squeezed copy (runs of white space inside a paragraph as one space) for the knowledge-base
matcher, with the map back to the doc's offsets."""

from __future__ import annotations

import re

from pipeline.extract.organisations.candidates import PLAIN

# A line break inside a paragraph after a line of this many characters or more is a wrap of running text
# (pages keep the line breaks of the editor that wrote them), not the end of a list item or a heading.
WRAP_LINE = 40
SOFT_BREAK = re.compile(r"(?<=[^\n])\n(?=[ \t]*[^\s])")
# French elided articles and conjunctions: "l’Organisation", "d'Inditex", "qu’OXFAM".
ELISION = re.compile(r"(?<![\w’'])(?:[lLdDjJmMnNsStTcC]|[Qq]u|[Jj]usqu|[Ll]orsqu|[Pp]uisqu|[Qq]uoiqu)(['’])(?=\w)")
# White space that a name may span: any run of it with at most one line break (two make a paragraph break).
SPACE_RUN = re.compile(r"[ \t\n]{2,}|\n")
ELIDING_LANGUAGES = frozenset({"fr"})


def rule_text(doc_text: str, lang: str) -> str:
    """The doc's text as the rules read it (same length: one character for one)."""
    text = doc_text.translate(PLAIN)
    if "\n" in text:
        text = SOFT_BREAK.sub(lambda m: " " if _line_before(text, m.start()) >= WRAP_LINE else "\n", text)
    if lang in ELIDING_LANGUAGES:
        text = open_elisions(text)
    return text


def open_elisions(text: str) -> str:
    """French elisions with a space for the apostrophe: "l’OIT" as "l OIT" (same length)."""
    if "'" not in text and "’" not in text:
        return text
    return ELISION.sub(lambda m: m.group(0)[:-1] + " ", text)


def _line_before(text: str, pos: int) -> int:
    return pos - (text.rfind("\n", 0, pos) + 1)


def squeeze(text: str) -> tuple[str, list[int]] | None:
    """The text with each run of white space inside a paragraph as one space, and for every position of it
    (and its end) the position in `text`; None when there is nothing to squeeze."""
    runs = [m for m in SPACE_RUN.finditer(text) if m.group().count("\n") <= 1]
    if not runs:
        return None
    parts: list[str] = []
    back: list[int] = []
    pos = 0
    for m in runs:
        parts.append(text[pos:m.start()])
        back.extend(range(pos, m.start()))
        parts.append(" ")
        back.append(m.start())
        pos = m.end()
    parts.append(text[pos:])
    back.extend(range(pos, len(text) + 1))
    return "".join(parts), back
