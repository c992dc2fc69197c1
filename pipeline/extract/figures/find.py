"""All figure candidates of a text: the never-a-figure spans first, then figures in digits, then in words, then
ranges across the two ("vijf tot tien procent", "tussen tien en veertien jaar" is an age, "van acht tot acht" a
time of day)."""

from __future__ import annotations

from pipeline.extract.figures.candidates import Raw, digit_runs, inside
from pipeline.extract.figures.digits import BETWEEN_BEFORE, RANGE_AND, RANGE_SEP, digit_figures, numbers
from pipeline.extract.figures.never import is_age, never_spans
from pipeline.extract.figures.units import TIME_UNIT_NAMES
from pipeline.extract.figures.values import HALF_AFTER_MAGNITUDE
from pipeline.extract.figures.words import word_figures
from pipeline.records import evolve

HOURS_IN_A_DAY = 24


def _ranges(text: str, raws: list[Raw], lang: str) -> list[Raw]:
    """Two single figures joined by a range word, the first with no unit of its own, make one range."""
    out: list[Raw] = []
    for r in raws:
        prev = out[-1] if out else None
        if (prev is not None and prev.elided and prev.low is None and r.low is None and not prev.is_share
                and not r.is_share and prev.end <= r.first and RANGE_SEP.match(text[prev.end:r.first])
                and (not RANGE_AND.match(text[prev.end:r.first]) or BETWEEN_BEFORE.search(text[:prev.first]))):
            out.pop()
            if prev.value >= r.value and r.value <= HOURS_IN_A_DAY and (r.elided or r.unit in ("hours",)):
                continue  # "van acht tot acht", "from 9 to 5": hours of the day
            if r.unit in TIME_UNIT_NAMES and is_age(text, prev.start, r.end - len(r.unit_text), lang):
                continue
            out.append(evolve(r, start=prev.start, value=prev.value, low=prev.value, high=r.value,
                              approx=prev.approx, qualifier=prev.qualifier, number_start=prev.number_start))
            continue
        out.append(r)
    return out


def _halves(text: str, raws: list[Raw], lang: str) -> list[Raw]:
    """A half after a time unit adds to the number: "deux ans et demi" is 2.5 years."""
    half = HALF_AFTER_MAGNITUDE.get(lang)
    out = []
    for r in raws:
        if half is not None and r.unit in TIME_UNIT_NAMES and r.low is None and (h := half.match(text, r.end)):
            r = evolve(r, value=r.value + 0.5, end=h.end())
        out.append(r)
    return out


def find_figures(text: str, lang: str, blocked_extra: list[tuple[int, int]] | None = None) -> list[Raw]:
    """All figure candidates of a text, in order, before linking."""
    runs = digit_runs(text)
    blocked = sorted(never_spans(text, runs) + (blocked_extra or []))
    matches = [m for m in numbers(text, runs, lang) if not inside(blocked, m.start("num"), m.end("num"))]
    out = digit_figures(text, lang, matches)
    out.extend(word_figures(text, lang, blocked, out))
    out = _halves(text, _ranges(text, sorted(out, key=lambda r: (r.start, r.end)), lang), lang)
    if lang in ("nl", "fr"):
        # A number in words that counts nothing named ("tous deux", "in acht genomen") is not a figure there.
        # With a qualifier it is a quantity whose noun was said before ("merken ..., zeker zestig").
        out = [r for r in out if not (r.in_words and r.elided and not r.qualifier)]
    return out
