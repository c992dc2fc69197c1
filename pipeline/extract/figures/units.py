"""Units: what a number counts. A percent sign or word, a currency (ISO code), a time unit, or the counted
noun phrase after the number as written ("15 new board members")."""

from __future__ import annotations

import re

from pipeline.extract.lexicon import alternation, mapping, rows
from pipeline.vocab import words


def _units(kind: str) -> dict[str, str]:
    """The unit words of a kind by their lower case, with the unit each gives (see pipeline/data/units.csv)."""
    return mapping("units", lambda r: r["word"].lower(), lambda r: r["unit"], where=lambda r: r["kind"] == kind)


CURRENCY = _units("currency")
TIME_UNITS = _units("time")
# Currencies written before the number, exactly as in the table ("USD 200", "Tk. 8,000", "€1.5 million").
CURRENCY_BEFORE = tuple(r["word"] for r in rows("units") if r["kind"] == "currency" and r["position"] == "either")
CURRENCY_SIGNS = alternation(CURRENCY_BEFORE)
# The characters of currency signs ("€", "$"), which may stand after a number as a word does ("60.000 €").
SIGN_CHARACTERS = "".join(sorted({re.escape(c) for w in CURRENCY for c in w if not c.isalnum() and c != "."}))
PERCENT = re.compile(r"\s*(?:" + alternation(_units("percent"), space=r"\s?", boundary=True) + ")", re.I)
IRREGULAR_PLURALS = frozenset(w.lower() for w in words("plural_nouns"))
STOP_AFTER = frozenset(w.lower() for w in words("stop_after"))
COUNT_WORD = re.compile(r"[A-Za-zÀ-ÿ][\w'’-]*")
# Matched at an offset of the text rather than on the rest of it cut off, which copied it for every number.
COORDINATED_AFTER = re.compile(r"\s+(?:" + alternation(words("coordinators")) + r")\s+([a-z][\w-]*s)\b")
GROUP_AFTER_PERCENT = re.compile(r"\s+(?:of\s+(?:the\s+|them\s+|those\s+)?|van\s+de\s+)?"
                                 r"(?P<g>(?:under|below|over|onder)\s+\d+\s*(?:years?|y|jaar)?"
                                 r"|[a-zA-Z][\w-]*(?:\s+[a-z]+s\b)?)")
WORD_AFTER = re.compile(rf"\s*([A-Za-z{SIGN_CHARACTERS}]+|[{SIGN_CHARACTERS}])")


def noun_after(text: str, pos: int, lang: str) -> tuple[str | None, str | None, int]:
    """(unit, subject, end) of the counted noun phrase after position `pos`."""
    found = []
    cur = pos
    for m in COUNT_WORD.finditer(text, pos):
        gap = text[cur:m.start()]
        if gap.strip() not in ("",) or "\n" in gap:
            break
        w = m.group(0)
        lw = w.lower()
        if lw in STOP_AFTER and not found:
            return None, None, pos
        if lw in STOP_AFTER or (w[0].isupper() and not w.isupper() and not w.endswith("s") and found):
            break
        found.append((w, m.end()))
        cur = m.end()
        if is_plural(lw, lang) or len(found) == 3:
            break
    if not found:
        return None, None, pos
    unit = " ".join(w for w, _ in found)
    end = found[-1][1]
    subject = unit
    # "13 brands and retailers": the subject takes a coordinated plural noun.
    m = COORDINATED_AFTER.match(text, end)
    if m and len(found) == 1:
        subject = f"{unit}{m.group(0)}"
    return unit, subject, end


def is_plural(word: str, lang: str) -> bool:
    """Does the word end a counted noun phrase as a plural?"""
    w = word.lower()
    return w in IRREGULAR_PLURALS or (w.endswith("s") and len(w) > 2) or (lang == "nl" and w.endswith(("en", "ers")))


def unit_after(text: str, pos: int, lang: str, cur_pre: str | None) -> tuple[str, str | None, int, bool]:
    """(unit, subject, end, elided) for a number ending at `pos`."""
    pm = PERCENT.match(text, pos)
    if pm:
        gm = GROUP_AFTER_PERCENT.match(text, pm.end())
        subject = gm.group("g").strip() if gm and gm.group("g").lower() not in STOP_AFTER else None
        return "%", subject, pm.end(), False
    if cur_pre:
        return CURRENCY[cur_pre.lower().rstrip()], None, pos, False
    m = WORD_AFTER.match(text, pos)
    if m:
        tok = m.group(1).lower()
        if tok in CURRENCY or tok.rstrip(".") in CURRENCY:
            return CURRENCY.get(tok, CURRENCY.get(tok.rstrip("."))), None, m.end(), False
        word = tok.rstrip(".")
        if word in TIME_UNITS:
            return TIME_UNITS[word], TIME_UNITS[word], m.end(1), False
    hy = re.match(r"[-‑]([A-Za-z]+)\b", text[pos:pos + 16])
    if hy and hy.group(1).lower() in TIME_UNITS:  # "a 3-day workshop", "10-hour shifts"
        unit = TIME_UNITS[hy.group(1).lower()]
        return unit, unit, pos + hy.end(), False
    unit, subject, end = noun_after(text, pos, lang)
    if unit is None:
        return "", None, pos, True
    return unit, subject, end, False
