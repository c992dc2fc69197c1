"""All figure candidates of a text: the never-a-figure spans first, then figures in digits, then in words."""

from __future__ import annotations

from pipeline.extract.figures.candidates import Raw, digit_runs, inside
from pipeline.extract.figures.digits import digit_figures, numbers
from pipeline.extract.figures.never import never_spans
from pipeline.extract.figures.words import word_figures


def find_figures(text: str, lang: str, blocked_extra: list[tuple[int, int]] | None = None) -> list[Raw]:
    """All figure candidates of a text, in order, before linking."""
    runs = digit_runs(text)
    blocked = sorted(never_spans(text, runs) + (blocked_extra or []))
    matches = [m for m in numbers(text, runs) if not inside(blocked, m.start("num"), m.end("num"))]
    out = digit_figures(text, lang, matches)
    out.extend(word_figures(text, lang, blocked, out))
    return sorted(out, key=lambda r: (r.start, r.end))
