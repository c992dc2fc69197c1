"""Linking figures: an elided unit taken from the count before it ("and 8 more"), and the parts of a total
("174 people (62 women, and 20 young)", "of which 56% women") tied to it with their group and share."""

from __future__ import annotations

import re

from pipeline.extract.figures.candidates import Raw
from pipeline.extract.figures.units import TIME_UNITS
from pipeline.extract.lexicon import alternation, mapping
from pipeline.records import evolve
from pipeline.vocab import words

# The word a part starts with (lower case), and the group it names; the longest word first.
GROUPS = mapping("groups", lambda r: r["word"].lower(), lambda r: r["group"])
GROUP_WORDS = sorted(GROUPS, key=len, reverse=True)
PART_OPEN = re.compile(r"^[\s,]*(?:\(|,?\s*(?:" + alternation(words("breakdown_openers")) + r")\b)", re.I)
# A breakdown clause opened without a bracket ends at the first of these.
CLAUSE_END = re.compile(r"\)|;|\.\s|\n|\b(?:" + alternation(words("breakdown_end_words")) + r")\b")


def link(raws: list[Raw], text: str) -> tuple[list[Raw], dict[int, int]]:
    """Fill elided units from context and link breakdown parts to their totals; returns parent index map."""
    parents: dict[int, int] = {}
    out = list(raws)
    for i, r in enumerate(out):
        if r.elided and r.unit == "":
            # "and 1.263 (38% women)": the noun a reader supplies is that of the nearest earlier count.
            for j in range(i - 1, -1, -1):
                prev = out[j]
                gap = text[prev.end:r.start]
                if gap.count(".") > 2 or "\n\n" in gap:
                    break
                if prev.unit and prev.unit != "%" and not prev.is_share and prev.unit not in TIME_UNITS.values():
                    out[i] = evolve(r, unit=prev.unit, subject=prev.subject)
                    break
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
