"""Units: what a number counts. A percent sign or word, a currency (ISO code), a time unit, or the counted
noun phrase after the number as written ("15 new board members")."""

from __future__ import annotations

import re

# Currencies written before the number.
CURRENCY_SIGNS = r"€|\$|US\$|USD|EUR|BDT|Tk\.?|Taka|NPR|INR|Rs\.?|₹|PHP|₱|IDR|Rp\.?|KHR|CHF|GBP|£"
CURRENCY = {
    "€": "EUR", "eur": "EUR", "euro": "EUR", "euros": "EUR", "$": "USD", "us$": "USD", "usd": "USD",
    "dollar": "USD", "dollars": "USD", "bdt": "BDT", "tk": "BDT", "tk.": "BDT", "taka": "BDT", "npr": "NPR",
    "inr": "INR", "rs": "INR", "rs.": "INR", "₹": "INR", "rupee": "INR", "rupees": "INR", "php": "PHP",
    "₱": "PHP", "peso": "PHP", "pesos": "PHP", "idr": "IDR", "rp": "IDR", "rp.": "IDR", "rupiah": "IDR",
    "khr": "KHR", "riel": "KHR", "riels": "KHR", "chf": "CHF", "gbp": "GBP", "£": "GBP", "pound": "GBP",
    "pounds": "GBP", "ringgit": "MYR", "myr": "MYR", "baht": "THB", "thb": "THB", "dong": "VND", "vnd": "VND",
    "kyat": "MMK", "mmk": "MMK", "yuan": "CNY", "rmb": "CNY",
}
TIME_UNITS = {
    "second": "seconds", "seconds": "seconds", "seconde": "seconds", "seconden": "seconds",
    "minute": "minutes", "minutes": "minutes", "minuut": "minutes", "minuten": "minutes",
    "hour": "hours", "hours": "hours", "hr": "hours", "hrs": "hours", "uur": "hours", "uren": "hours",
    "day": "days", "days": "days", "dag": "days", "dagen": "days",
    "week": "weeks", "weeks": "weeks", "weken": "weeks",
    "month": "months", "months": "months", "maand": "months", "maanden": "months",
    "year": "years", "years": "years", "jaar": "years", "jaren": "years",
}
PERCENT = re.compile(r"\s*(?:%|percent\b|per\s?cent\b|procent\b|pct\b)", re.I)
IRREGULAR_PLURALS = frozenset(
    "people women men children youth young staff personnel police elderly poor persons mensen leden "
    "kinderen personeel jongeren".split()
)
STOP_AFTER = frozenset(
    "more of which who that were was are is to and or in on at from for with by as than the a an this these "
    "those it its their have has had will would can could be been being out times per each "
    "meer van die dat waren was zijn is te en of in op aan uit voor met door als dan de het een deze "
    "per keer nieuwe andere".split()
)
COUNT_WORD = re.compile(r"[A-Za-zÀ-ÿ][\w'’-]*")
# Matched at an offset of the text rather than on the rest of it cut off, which copied it for every number.
COORDINATED_AFTER = re.compile(r"\s+(?:and|en|or|of)\s+([a-z][\w-]*s)\b")
GROUP_AFTER_PERCENT = re.compile(r"\s+(?:of\s+(?:the\s+|them\s+|those\s+)?|van\s+de\s+)?"
                                 r"(?P<g>(?:under|below|over|onder)\s+\d+\s*(?:years?|y|jaar)?"
                                 r"|[a-zA-Z][\w-]*(?:\s+[a-z]+s\b)?)")
WORD_AFTER = re.compile(r"\s*([A-Za-z€$£₹₱]+|[€$£₹₱])")


def noun_after(text: str, pos: int, lang: str) -> tuple[str | None, str | None, int]:
    """(unit, subject, end) of the counted noun phrase after position `pos`."""
    words = []
    cur = pos
    for m in COUNT_WORD.finditer(text, pos):
        gap = text[cur:m.start()]
        if gap.strip() not in ("",) or "\n" in gap:
            break
        w = m.group(0)
        lw = w.lower()
        if lw in STOP_AFTER and not words:
            return None, None, pos
        if lw in STOP_AFTER or (w[0].isupper() and not w.isupper() and not w.endswith("s") and words):
            break
        words.append((w, m.end()))
        cur = m.end()
        if is_plural(lw, lang) or len(words) == 3:
            break
    if not words:
        return None, None, pos
    unit = " ".join(w for w, _ in words)
    end = words[-1][1]
    subject = unit
    # "13 brands and retailers": the subject takes a coordinated plural noun.
    m = COORDINATED_AFTER.match(text, end)
    if m and len(words) == 1:
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
