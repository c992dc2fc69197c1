"""Cutting a text too long for one spaCy doc into chunks at paragraph, sentence or word boundaries.

spaCy refuses a doc longer than its ``max_length`` (and the pipeline's own limit, ``config.MAX_DOC_CHARS``);
a post longer than that is extracted chunk by chunk, each chunk a slice of the post's text, so that offsets
shifted by the chunk's start point into the whole text. A chunk ends at the last paragraph break (a blank
line) that keeps it within the limit; a paragraph longer than the limit by itself ends at the last sentence
end, else at the last white space, else (a run of over a million characters without a space) at the limit.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from pipeline.extract.abbreviations import abbreviation_before as _abbreviation_before

# A blank line: where one paragraph ends and the next starts (as pipeline.language splits paragraphs).
PARAGRAPH_BREAK = re.compile(r"\n[^\S\n]*\n\s*")
# The end of a sentence: a final mark, closing quotes or brackets, white space, then what can start a sentence.
SENTENCE_END = re.compile(r"[.!?\u2026\u3002][\"'\u2019\u201d)\]]*\s+(?=[\"'\u2018\u201c(\[]?[^\W\d_])")
WHITESPACE = re.compile(r"\s+")


def _last(rx: re.Pattern[str], text: str, lo: int, hi: int,
          ok: Callable[[int], bool] = lambda _: True) -> tuple[int, int] | None:
    """(start, end) of the last match of `rx` wholly inside text[lo:hi] that starts after `lo` and passes `ok`."""
    found = None
    for m in rx.finditer(text, lo, hi):
        if m.start() > lo and ok(m.start()):
            found = (m.start(), m.end())
    return found


def _not_abbreviation(text: str) -> Callable[[int], bool]:
    """A test of a sentence end's mark: not the period of an abbreviation ('No. 87', 'e.g. this')."""
    return lambda at: text[at] != "." or not _abbreviation_before(text, at)


def chunk_spans(text: str, start: int, end: int, limit: int) -> list[tuple[int, int]]:
    """Consecutive (start, end) slices of text[start:end], none longer than `limit`, cut at the best boundary.

    White space at a cut is left out of both chunks; what is not white space is in exactly one chunk.
    """
    if limit < 1:
        raise ValueError(f"limit must be at least 1, not {limit}")
    spans: list[tuple[int, int]] = []
    sentence_mark = _not_abbreviation(text)
    pos = start
    while end - pos > limit:
        hi = pos + limit
        # The boundary may stretch past the window by its trailing white space only: the chunk ends at its start.
        stop = min(end, hi + 1)
        cut = (_last(PARAGRAPH_BREAK, text, pos, stop) or _last(SENTENCE_END, text, pos, stop, sentence_mark)
               or _last(WHITESPACE, text, pos, stop))
        if cut is None:
            chunk_end, next_start = hi, hi
        else:
            # A sentence end keeps its mark (and closing quotes) in the chunk; white space goes to neither.
            mark = cut[0]
            while mark < cut[1] and not text[mark].isspace():
                mark += 1
            chunk_end = min(mark, hi)
            next_start = cut[1]
            while next_start < end and text[next_start].isspace():
                next_start += 1
        spans.append((pos, chunk_end))
        pos = next_start
    if end > pos:
        spans.append((pos, end))
    return spans
