"""Linking figures: an elided unit taken from the count before it ("and 8 more"), and the parts of a total
("174 people (62 women, and 20 young)", "of which 56% women") tied to it with their group and share."""

from __future__ import annotations

import re

from pipeline.extract.figures.candidates import Raw
from pipeline.extract.figures.units import TIME_UNIT_NAMES, counted_noun
from pipeline.extract.lexicon import alternation, mapping
from pipeline.records import evolve
from pipeline.vocab import words

# The word a part starts with (lower case), and the group it names; the longest word first.
GROUPS = mapping("groups", lambda r: r["word"].lower(), lambda r: r["group"])
GROUP_WORDS = sorted(GROUPS, key=len, reverse=True)
PART_OPEN = re.compile(r"^[\s,]*(?:\(|,?\s*(?:" + alternation(words("breakdown_openers")) + r")\b)", re.I)
# A breakdown clause opened without a bracket ends at the first of these.
WORD = re.compile(r"[^\W\d_][\w'’-]*")
# How far after a number that names nothing a count may stand to lend it its noun, and what stops that.
FORWARD_REACH = 15
FORWARD_LINK = re.compile(r",|\b(?:" + alternation(words("coordinators")) + r")\b")
CLAUSE_BREAK = re.compile(r"[.;:!?()\n]")
CLAUSE_END = re.compile(r"\)|;|\.\s|\n|\b(?:" + alternation(words("breakdown_end_words")) + r")\b")


def link(raws: list[Raw], text: str, lang: str = "en") -> tuple[list[Raw], dict[int, int]]:
    """Fill elided units from context and link breakdown parts to their totals; returns parent index map."""
    parents: dict[int, int] = {}
    out = list(raws)
    for i, r in enumerate(out):
        if r.elided and r.unit == "":
            source = _elided_source(out, i, text)
            if source is not None:
                out[i] = evolve(r, unit=source.unit, subject=source.subject)
            elif not _figure_before_in_paragraph(out, i, text) and (noun := _noun_before(text, r, lang)) is not None:
                out[i] = evolve(r, unit=noun[0], subject=noun[1])
    for i, total in enumerate(out):
        if total.unit in ("%", "") or total.is_share:
            continue
        rest = text[total.end:]
        m = PART_OPEN.match(rest)
        if not m:
            continue
        opened_paren = m.group(0).strip().endswith("(")
        limit = total.end + (rest.find(")") if opened_paren else _clause_end(rest))
        for j in range(i + 1, len(out)):
            part = out[j]
            if part.start >= limit:
                break
            group = _group(part)
            if part.unit == "%" or group is not None:
                parents[j] = i
                share = part.value / 100 if part.unit == "%" else (part.value / total.value if total.value else None)
                out[j] = evolve(part, group=group, share=share)
    return out, parents


def _is_count(r: Raw) -> bool:
    return bool(r.unit) and r.unit != "%" and not r.is_share and r.unit not in TIME_UNIT_NAMES


def _elided_source(raws: list[Raw], i: int, text: str) -> Raw | None:
    """The figure whose unit a reader supplies to the number at i that names none."""
    r = raws[i]
    # "the 9 million missing": the same value stated earlier with its unit.
    for prev in reversed(raws[:i]):
        if prev.unit and not prev.elided and not prev.is_share and prev.low is None and prev.value == r.value:
            return prev
    # "then with 44, now with 185 members": a count right after it in the same clause.
    if i + 1 < len(raws) and _is_count(nxt := raws[i + 1]) and not nxt.elided:
        gap = text[r.end:nxt.start]
        if len(gap) <= FORWARD_REACH and not CLAUSE_BREAK.search(gap) and FORWARD_LINK.search(gap):
            return nxt
    # "and 1.263 (38% women)": the noun a reader supplies is that of the nearest earlier count.
    for j in range(i - 1, -1, -1):
        prev = raws[j]
        gap = text[prev.end:r.start]
        if gap.count(".") > 2 or "\n\n" in gap:
            break
        if _is_count(prev):
            return prev
    return None


def _figure_before_in_paragraph(raws: list[Raw], i: int, text: str) -> bool:
    return i > 0 and "\n\n" not in text[raws[i - 1].end:raws[i].start]


def _noun_before(text: str, r: Raw, lang: str) -> tuple[str, str] | None:
    """The last counted noun the paragraph names before a number that names none ("De meeste gastarbeiders ...
    komen uit Ethiopië: 144.986"), as (English unit, the noun as written)."""
    para = text.rfind("\n\n", 0, r.start) + 1
    for m in reversed(list(WORD.finditer(text, para, r.start))):
        unit = counted_noun(m.group(0), lang)
        if unit:
            return unit, m.group(0)
    return None


def _clause_end(rest: str) -> int:
    m = CLAUSE_END.search(rest)
    return m.start() if m else len(rest)


def _group(r: Raw) -> str | None:
    label = (r.subject if r.unit == "%" else r.unit) or ""
    low = label.lower()
    age = re.match(r"(?:under|below|onder)\s+(\d+)", low)
    if age:
        return f"under {age.group(1)}"
    for key in GROUP_WORDS:
        if low == key or low.startswith(key + " "):
            return GROUPS[key]
    return None
