"""Figures: every quantity with its value, unit, subject, qualifier, range and breakdown (English, Dutch).

Rules run over the doc text: first the spans that are never figures (URLs, e-mails, hashtags, dates,
times, year ranges, ILO citations, references such as "paragraph 41"), then numbers in digits and in
words with their magnitude, then what they count (the noun after them, a currency, a time unit or a
percent sign), their qualifier ("over", "bijna"), and how they relate: ranges, and breakdowns of a
total into parts ("174 people (62 women, and 20 young)", "of which 56% women").
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc

from pipeline.extract.casing import lowered
from pipeline.extract.numbers import (
    DIGITS,
    MAGNITUDES,
    PLURAL_MAGNITUDE_WORDS,
    SHARE_WORDS,
    TENS_EN,
    UNITS_EN,
    UNITS_NL,
    parse_digits,
    word_number,
)
from pipeline.extract.sentences import doc_text, sentence_of
from pipeline.extract.tails import EndPattern, max_width
from pipeline.records import Figure, Post, evolve

if not Doc.has_extension("figures"):
    Doc.set_extension("figures", default=None)

MONTHS = (r"(?:January|February|March|April|May|June|July|August|September|October|November|December|"
          r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec|januari|februari|maart|april|mei|juni|juli|augustus|"
          r"september|oktober|november|december)\.?")
NEVER = re.compile(
    "|".join([
        r"https?://\S+|www\.\S+|\S+@\S+\.\w+",  # URLs and e-mails
        r"#\w+",  # hashtags
        # The rest all start at a run of digits, at a '+', a month name or a line start in the white space
        # before one, or at the capitals before one ("G20"): see _starts.
        rf"\b\d{{1,2}}\s*[-–]\s*\d{{1,2}}\s+{MONTHS}(?:,?\s+(?:19|20)\d\d)?",  # 12-14 June
        rf"\b{MONTHS}\s+\d{{1,2}}\s*[-–]\s*\d{{1,2}}\b",  # June 12-14
        rf"\b\d{{1,2}}(?:st|nd|rd|th|de|e)?\s+{MONTHS}(?:,?\s+(?:19|20)\d\d)?",  # 16 June 2011
        rf"\b{MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+(?:19|20)\d\d)?\b",  # June 16, 2011
        rf"\b{MONTHS}\s+(?:19|20)\d\d\b",  # May 2018
        r"\b(?:19|20)\d\d\s*(?:[-–—/]|to|tot|and|en)?\s*(?:(?:19|20)\d\d|\d\d)\b(?!\s*%)",  # 2022 - 2024, 2023 24
        r"\b\d{1,2}[:.]\d{2}\s*(?:a\.?m\.?|p\.?m\.?|u\b|uur\b|h\b|hrs\b)|\b\d{1,2}:\d{2}\b|\b\d{1,2}\s*(?:a\.m\.|p\.m\.|am|pm)\b",
        r"\+\d[\d\s()-]{6,}\d|\b\d{2,4}[-\s]\d{3}[-\s]\d{3,4}\b|\b\d{1,4}(?:-\d{2,4}){2,}\b",  # phone numbers
        r"\b\d+/\d+(?:/\d+)?\b",  # 24/7, 12/05/2019
        r"(?m:^)\s*\d{1,2}[.)](?=\s)",  # list numbering
        r"\b(?:[A-Z]+-?\d+[A-Za-z]*|\d+[A-Z]{2,}\w*)\b",  # G20, COVID-19, SP4ALL, 4G; identifiers
    ])
)
REFERENCE_BEFORE = EndPattern(
    r"(?:\b(?:No|Nos|nr|nrs|paragraph|paragraphs|para|p|pp|page|pages|section|sections|article|articles|art|"
    r"chapter|clause|rule|room|box|tel|phone|fax|ext|version|level|grade|step|point|item|goal|target|SDG|"
    r"phase|stage|round|wave|part|volume|vol|annex|appendix|module|pillar|tier|priority|number|fase|bijlage|deel|"
    r"Convention|Conventions|Recommendation|Recommendations|Protocol|verdrag|Verdrag|aanbeveling|Aanbeveling|"
    r"artikel|hoofdstuk|pagina|blz|punt|postcode|Law|Act|Decree|Resolution|Session|session|wet|Wet)\.?|[#№§])",
    re.I,
)
AGE_BEFORE = EndPattern(r"\b(?:under|below|over|above|aged|age|ages|younger than|older than|onder|boven|jonger dan|"
                        r"ouder dan)", re.I)
AGE_AFTER = re.compile(r"^\s*(?:years?\s+old|years?\s+of\s+age|yrs?\b|years?\b|y\b|yo\b|jaar\b|-?plus\b|\+)", re.I)
# Currencies written before the number.
CURRENCY_SIGNS = r"€|\$|US\$|USD|EUR|BDT|Tk\.?|Taka|NPR|INR|Rs\.?|₹|PHP|₱|IDR|Rp\.?|KHR|CHF|GBP|£"
NUMBER = re.compile(
    rf"(?<![\w.,/@#])(?<![A-Za-z]-)(?:(?P<cur_pre>{CURRENCY_SIGNS})\s?)?(?P<num>{DIGITS})"
    r"(?:\s?(?P<mag>k|K|M|mn|mln|bn|B)\b|(?![\w]|[.,]\d))"
    r"(?:\s+(?P<magw>million|millions|billion|billions|thousand|miljoen|miljard|lakhs?|lacs?|crores?|trillion)\b)?"
)
# A NUMBER match starts at a run of digits, or at a currency sign at most CURRENCY_REACH characters before one.
CURRENCY_REACH = max_width(rf"(?:{CURRENCY_SIGNS})\s?")
CURRENCY_FIRST = frozenset(sign.replace("\\", "")[0] for sign in CURRENCY_SIGNS.split("|"))
WORD_MAGNITUDE = re.compile(r"\s+(million|millions|billion|billions|miljoen|miljard|lakhs?|crores?)\b", re.I)
RANGE_SEP = re.compile(r"^\s*(?:-|–|—|to|tot|à|a|and|en)\s*$")
BETWEEN_BEFORE = EndPattern(r"\b(?:between|tussen)", re.I)
YEAR_BEFORE = EndPattern(r"\b(?:in|since|by|until|till|from|of|to|during|before|after|year|sinds|vanaf|voor|na|tot|"
                         r"jaar|tegen|early|late|mid|end|begin)", re.I)
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
QUALIFIERS = (
    ("more than", True), ("over", True), ("nearly", True), ("almost", True), ("about", True), ("around", True),
    ("approximately", True), ("approx.", True), ("roughly", True), ("some", True), ("up to", True),
    ("at least", True), ("close to", True), ("less than", True), ("fewer than", True), ("an estimated", True),
    ("estimated", True), ("ruim", True), ("bijna", True), ("meer dan", True), ("ongeveer", True), ("zo'n", True),
    ("zo’n", True), ("minstens", True), ("circa", True), ("ca.", True), ("rond de", True), ("minder dan", True),
    ("tot", True), ("maximaal", True), ("minimaal", True), ("exactly", False), ("only", False), ("slechts", False),
)
QUALIFIER_BEFORE = EndPattern(
    r"\b(" + "|".join(re.escape(q) for q, _ in sorted(QUALIFIERS, key=lambda x: -len(x[0]))) + r")", re.I
)
APPROX = {q: a for q, a in QUALIFIERS}
GROUPS = {
    "women": "women", "woman": "women", "female": "women", "females": "women", "girls": "women",
    "vrouwen": "women", "vrouw": "women", "men": "men", "man": "men", "male": "men", "males": "men",
    "mannen": "men", "boys": "men", "young": "youth", "youth": "youth", "youths": "youth",
    "young people": "youth", "youngsters": "youth", "jongeren": "youth", "children": "children",
    "kinderen": "children", "migrants": "migrants", "informal": "informal workers",
}
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
WORD_NUMBER = re.compile(
    r"(?<![\w-])(?:(?:" + "|".join(sorted([*UNITS_EN, *TENS_EN], key=len, reverse=True)) + r")(?:-(?:"
    + "|".join(k for k, v in UNITS_EN.items() if v < 10) + r"))?(?:\s+(?:hundred|thousand))?|"
    r"(?:a|one)\s+(?:hundred|thousand|dozen)|dozen|"
    + "|".join(sorted(UNITS_NL, key=len, reverse=True))
    + r"|(?:een|twee|drie|vier|vijf|zes|zeven|acht|negen)(?:ën|en)(?:twintig|dertig|veertig|vijftig|zestig|"
    r"zeventig|tachtig|negentig))(?![\w-])",
    re.I,
)
PLURAL_MAGNITUDE = re.compile(
    r"(?<![\w-])(?:(?:tens|hundreds)\s+of\s+)?(" + "|".join(PLURAL_MAGNITUDE_WORDS) + r")(?:\s+of)?(?![\w-])", re.I
)
SHARE = re.compile(r"(?<![\w-])(" + "|".join(re.escape(k) for k in sorted(SHARE_WORDS, key=len, reverse=True))
                   + r")(?![\w-])", re.I)
SHARE_GROUP_AFTER = re.compile(r"^\s+(?:of\s+(?:the\s+|them\s+)?|van\s+de\s+)?(?P<g>[a-z][\w-]*(?:\s+under\s+\d+"
                               r"(?:\s*years?|y)?)?)", re.I)
PART_OPEN = re.compile(r"^[\s,]*(?:\(|,?\s*(?:of which|of whom|including|among them|waarvan|onder wie|"
                       r"van wie)\b)", re.I)


@dataclass
class Raw:
    """A figure candidate in doc coordinates before linking."""

    start: int
    end: int
    value: float
    unit: str
    subject: str | None
    approx: bool = False
    qualifier: str | None = None
    low: float | None = None
    high: float | None = None
    group: str | None = None
    elided: bool = False
    is_share: bool = False
    share: float | None = None


DIGIT_RUN = re.compile(r"\d+")
WEB_START = re.compile(r"http|www\.|#")
MONTH_INITIALS = frozenset("JFMASONDjfmasond")
LONGEST_MONTH = len("September.")


def _digit_runs(text: str) -> list[int]:
    """Where the runs of digits of a text start."""
    return [d.start() for d in DIGIT_RUN.finditer(text)]


def _starts(text: str, runs: list[int]) -> list[int]:
    """Every position where a NEVER match can start in a text without '@', in order."""
    starts = {m.start() for m in WEB_START.finditer(text)}
    for a in runs:
        starts.add(a)
        if a and text[a - 1] == "+":
            starts.add(a - 1)
        w = a
        while w > 0 and text[w - 1].isspace():
            w -= 1
        if w < a:
            # A month name ends where the white space before the digits begins ("June 16", "Sept. 2011").
            starts.update(c for c in range(max(0, w - LONGEST_MONTH), w - 2) if text[c] in MONTH_INITIALS)
            # List numbering starts at a line start, its white space included.
            starts.update(p for p in range(w, a) if p == 0 or text[p - 1] == "\n")
        b = a - 1 if a and text[a - 1] == "-" else a
        c = b
        while c > 0 and "A" <= text[c - 1] <= "Z":
            c -= 1
        if c < b:  # capitals before the digits: "G20", "COVID-19"
            starts.add(c)
    return sorted(starts)


def never_spans(text: str, runs: list[int] | None = None) -> list[tuple[int, int]]:
    """Spans that are never figures (URLs, e-mails, hashtags, dates, times, phone numbers, identifiers)."""
    if "@" in text:  # an e-mail address can start anywhere before its '@'
        return [m.span() for m in NEVER.finditer(text)]
    # The same matches as NEVER.finditer, trying the pattern only where a match can start rather than at
    # every character, which costs more than all the other figure rules together.
    spans = []
    last_end = 0
    for c in _starts(text, _digit_runs(text) if runs is None else runs):
        if c >= last_end and (m := NEVER.match(text, c)) is not None:
            spans.append(m.span())
            last_end = m.end()
    return spans


def _blocked(text: str, extra: list[tuple[int, int]], runs: list[int]) -> list[tuple[int, int]]:
    return sorted(never_spans(text, runs) + extra)


def numbers(text: str, runs: list[int] | None = None) -> list[re.Match[str]]:
    """The matches of NUMBER.finditer(text), the pattern tried only where a match can start."""
    if CURRENCY_REACH is None:
        return list(NUMBER.finditer(text))
    # Its look-behinds come first, so the engine would try the whole pattern at every character.
    out = []
    last_end = 0
    for a in _digit_runs(text) if runs is None else runs:
        for p in range(max(a - CURRENCY_REACH, last_end), a + 1):
            if (p == a or text[p] in CURRENCY_FIRST) and (m := NUMBER.match(text, p)) is not None:
                out.append(m)
                last_end = m.end()
                break
    return out


# Matched at an offset of the text rather than on the rest of it cut off, which copied it for every number.
COORDINATED_AFTER = re.compile(r"\s+(?:and|en|or|of)\s+([a-z][\w-]*s)\b")
GROUP_AFTER_PERCENT = re.compile(r"\s+(?:of\s+(?:the\s+|them\s+|those\s+)?|van\s+de\s+)?"
                                 r"(?P<g>(?:under|below|over|onder)\s+\d+\s*(?:years?|y|jaar)?"
                                 r"|[a-zA-Z][\w-]*(?:\s+[a-z]+s\b)?)")
WORD_AFTER = re.compile(r"\s*([A-Za-z€$£₹₱]+|[€$£₹₱])")
YEAR_SHAPE = re.compile(r"(?:1[89]|20)\d\d")


def _inside(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(s <= start and end <= e or s < end <= e or s <= start < e for s, e in spans)


def _noun_after(text: str, pos: int, lang: str) -> tuple[str | None, str | None, int]:
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
        if _is_plural(lw, lang) or len(words) == 3:
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


def _is_plural(word: str, lang: str) -> bool:
    w = word.lower()
    return w in IRREGULAR_PLURALS or (w.endswith("s") and len(w) > 2) or (lang == "nl" and w.endswith(("en", "ers")))


def _qualifier(text: str, start: int) -> tuple[str | None, bool, int]:
    """(qualifier, approximate, where the qualifier starts) for a number starting at `start`."""
    lo = max(0, start - 20)
    m = QUALIFIER_BEFORE.search(text[lo:start])
    if not m:
        return None, False, start
    q = m.group(1).lower()
    return q, APPROX.get(q, True), lo + m.start(1)


def _unit_after(text: str, pos: int, lang: str, cur_pre: str | None) -> tuple[str, str | None, int, bool]:
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
    unit, subject, end = _noun_after(text, pos, lang)
    if unit is None:
        return "", None, pos, True
    return unit, subject, end, False


def _value(m: re.Match[str], lang: str) -> float:
    mag = m.group("mag") or m.group("magw")
    value = parse_digits(m.group("num"), lang, magnitude_follows=bool(mag))
    if mag:
        value *= MAGNITUDES[mag.lower()]
    return value


def find_figures(text: str, lang: str, blocked_extra: list[tuple[int, int]] | None = None) -> list[Raw]:
    """All figure candidates of a text, in order, before linking."""
    runs = _digit_runs(text)
    blocked = _blocked(text, blocked_extra or [], runs)
    out: list[Raw] = []
    pending_low: tuple[re.Match[str], float] | None = None
    matches = [m for m in numbers(text, runs) if not _inside(blocked, m.start("num"), m.end("num"))]
    for i, m in enumerate(matches):
        before = text[max(0, m.start() - 30):m.start()]
        if REFERENCE_BEFORE.search(before):
            continue
        value = _value(m, lang)
        if AGE_BEFORE.search(before) and (AGE_AFTER.match(text[m.end():]) or not _noun_after(text, m.end(), lang)[0]):
            continue
        if YEAR_SHAPE.fullmatch(m.group("num")) and not m.group("cur_pre"):
            unit, _, _, elided = _unit_after(text, m.end(), lang, None)
            if elided or unit in ("years",) or unit[:1].isupper() or YEAR_BEFORE.search(before) or not (
                unit == "%" or unit in CURRENCY.values() or _is_plural(unit.split()[-1], lang)
            ):
                continue  # a year
        # Ranges: "10-15 workers", "15 to 20.000 rupees": the low end waits for the high end's unit.
        nxt = matches[i + 1] if i + 1 < len(matches) else None
        if nxt is not None and RANGE_SEP.match(text[m.end():nxt.start()]) and (
            not re.match(r"\s*(?:and|en)\s*$", text[m.end():nxt.start()]) or BETWEEN_BEFORE.search(before)
        ):
            pending_low = (m, value)
            continue
        unit, subject, end, elided = _unit_after(text, m.end(), lang, m.group("cur_pre"))
        qualifier, approx, qualifier_start = _qualifier(text, m.start())
        start = m.start()
        if pending_low is not None:
            low_m, low = pending_low
            pending_low = None
            if low_m.end() <= m.start() and RANGE_SEP.match(text[low_m.end():m.start()]):
                if low < value / 100 and value >= 1000 and not (low_m.group("mag") or low_m.group("magw")):
                    # "15 to 20.000 rupees": the low end shares the high end's thousands.
                    low *= 10 ** (len(str(int(value))) - len(str(int(low))))
                elif (m.group("mag") or m.group("magw")) and not (low_m.group("mag") or low_m.group("magw")):
                    low *= MAGNITUDES[(m.group("mag") or m.group("magw")).lower()]
                qualifier, approx, _ = _qualifier(text, low_m.start())
                out.append(Raw(low_m.start(), max(end, m.end()), low, unit, subject, approx, qualifier, low, value,
                               elided=elided))
                continue
        if qualifier and start - len(qualifier) - 1 >= 0:
            start = qualifier_start
        cur_end = m.end() if unit == "" or unit == "%" and subject is None else end
        if unit == "%":
            cur_end = PERCENT.match(text, m.end()).end()
            if subject:
                cur_end = text.find(subject, cur_end) + len(subject)
        out.append(Raw(start, max(cur_end, m.end()), value, unit, subject, approx, qualifier, elided=elided))
    out.extend(_word_figures(text, lang, blocked, out))
    return sorted(out, key=lambda r: (r.start, r.end))


# Case-sensitive twins of the case-insensitive word patterns, for lower-cased text: scanning with
# IGNORECASE is several times slower.
LOWER_TWINS = {rx: re.compile(rx.pattern) for rx in (SHARE, PLURAL_MAGNITUDE, WORD_NUMBER)}
# Every match of these holds one of the words: most texts have none, and `in` settles that cheaply.
NEEDLES = {SHARE: ("fifth", "half", "quarter", "third", "helft", "kwart", "derde"),
           PLURAL_MAGNITUDE: tuple(PLURAL_MAGNITUDE_WORDS)}


def _finditer_ci(rx: re.Pattern[str], text: str, low: str | None) -> Iterator[re.Match[str]]:
    """rx.finditer(text) for an IGNORECASE pattern with lower-case literals, scanned on the lowered text."""
    if low is None:
        yield from rx.finditer(text)
        return
    if rx in NEEDLES and not any(word in low for word in NEEDLES[rx]):
        return
    for m in LOWER_TWINS[rx].finditer(low):
        found = rx.match(text, m.start())
        if found is not None:
            yield found


def _word_figures(text: str, lang: str, blocked: list[tuple[int, int]], digits: list[Raw]) -> list[Raw]:
    taken = [(r.start, r.end) for r in digits]
    out: list[Raw] = []
    lowered_text = lowered(text)
    for m in _finditer_ci(SHARE, text, lowered_text):
        if _inside(blocked + taken, m.start(), m.end()):
            continue
        g = SHARE_GROUP_AFTER.match(text[m.end():])
        group = g.group("g") if g else None
        if not group or group.lower() in STOP_AFTER:
            continue
        end = m.end() + g.end()
        out.append(Raw(m.start(), end, round(SHARE_WORDS[m.group(1).lower()], 1), "%", group, is_share=True))
        taken.append((m.start(), end))
    for m in _finditer_ci(PLURAL_MAGNITUDE, text, lowered_text):
        if _inside(blocked + taken, m.start(), m.end()):
            continue
        word = m.group(1).lower()
        if lang == "en" and word not in ("dozens", "hundreds", "thousands", "millions", "billions"):
            continue
        if not m.group(0).lower().rstrip().endswith(" of") and lang == "en":
            continue
        unit, subject, end = _noun_after(text, m.end(), lang)
        if unit is None:
            continue
        value = float(PLURAL_MAGNITUDE_WORDS[word]) * (10 if m.group(0).lower().startswith("tens") else 1)
        out.append(Raw(m.start(), end, value, unit, subject, True, m.group(0).split()[0].lower()))
        taken.append((m.start(), end))
    for m in _finditer_ci(WORD_NUMBER, text, lowered_text):
        if _inside(blocked + taken, m.start(), m.end()):
            continue
        words = m.group(0).split()
        parsed = word_number(words, lang)
        if parsed is None:
            continue
        if lang == "en" and words[0].lower() in UNITS_NL and words[0].lower() not in UNITS_EN:
            continue
        if lang == "nl" and words[0].lower() in (*UNITS_EN, *TENS_EN) and words[0].lower() not in UNITS_NL:
            continue
        value = parsed[0]
        end_words = m.end()
        mag = WORD_MAGNITUDE.match(text, end_words)
        if mag:
            value *= MAGNITUDES[mag.group(1).lower()]
            end_words = mag.end()
        after = text[end_words:]
        if re.match(r"\s*(?:of\s+(?:the|them|us|our|their|these|those)\b|-?(?:year|day|month|week)-old\b)", after):
            continue  # "two of them" is still a count, but "four of the" usually starts a phrase about others
        before = text[max(0, m.start() - 30):m.start()]
        if REFERENCE_BEFORE.search(before) or AGE_BEFORE.search(before) and AGE_AFTER.match(after):
            continue
        unit, subject, end, elided = _unit_after(text, end_words, lang, None)
        if unit == "%" or PERCENT.match(after):
            continue
        if re.match(r"\s*[-–]\s*\w", after) and not unit:
            continue
        qualifier, approx, _ = _qualifier(text, m.start())
        out.append(Raw(m.start(), max(end, end_words), value, unit, subject, approx, qualifier, elided=elided))
        taken.append((m.start(), end))
    return out


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
    m = re.search(r"\)|;|\.\s|\n|\bwere\b|\bwerden\b|\bhad\b|\bhave\b|\bhas\b", rest)
    return m.start() if m else len(rest)


def _group(r: Raw) -> str | None:
    label = (r.subject if r.unit == "%" else r.unit) or ""
    low = label.lower()
    age = re.match(r"(?:under|below|onder)\s+(\d+)", low)
    if age:
        return f"under {age.group(1)}"
    for key in sorted(GROUPS, key=len, reverse=True):
        if low == key or low.startswith(key + " "):
            return GROUPS[key]
    return None


class FiguresComponent:
    """spaCy component: sets ``doc._.figures`` to Figure items (doc offsets, doc-local ids and parents)."""

    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name
        self.lang = nlp.lang if nlp.lang in ("en", "nl") else "en"
        from pipeline.extract.conventions import extract_mentions
        from pipeline.instruments import load_table

        self._conventions = extract_mentions
        self._table = load_table()

    def __call__(self, doc: Doc) -> Doc:
        done = doc._.conventions if Doc.has_extension("conventions") else None
        if done is not None:  # the conventions component ran first: reuse its spans
            doc._.figures = figures_of(doc, self.lang, blocked=[(c.start, c.end) for c in done])
        else:
            doc._.figures = figures_of(doc, self.lang, self._conventions, self._table)
        return doc


def figures_of(doc: Doc, lang: str, conventions=None, table=None,  # noqa: ANN001
               blocked: list[tuple[int, int]] | None = None) -> list[Figure]:
    """The figures of a doc, with doc-local ids 'f1', 'f2', ... and parents pointing at them."""
    text = doc_text(doc)
    blocked = list(blocked or [])
    if conventions is not None:
        blocked += [(c[0], c[1]) for c in conventions(text, table)]
    raws, parents = link(find_figures(text, lang, blocked), text)
    figures = []
    for i, r in enumerate(raws):
        figures.append(Figure(
            text=text[r.start:r.end], start=r.start, end=r.end, sentence=sentence_of(doc, r.start, r.end),
            id=f"f{i + 1}", value=float(r.value), unit=r.unit, subject=r.subject, approx=r.approx,
            qualifier=r.qualifier, low=r.low, high=r.high, parent=f"f{parents[i] + 1}" if i in parents else None,
            group=r.group, share=r.share, language=lang,
        ))
    return figures


@Language.factory("figures")
def make_figures(nlp: Language, name: str) -> FiguresComponent:
    """Factory of the figures component."""
    return FiguresComponent(nlp, name)


def finalize(post: Post, figures: list[Figure]) -> dict[str, list]:
    """Post-wide ids '<post id>:f<n>' in text order, with parents remapped (doc-local ids may repeat)."""
    new_ids: dict[tuple[int, str], str] = {}
    out = []
    # Doc-local ids are unique within a language segment; the parent is always in the same segment and
    # earlier in the text, so the latest figure with that local id before the part is its parent.
    for n, f in enumerate(figures, 1):
        new_ids[(n, f.id)] = f"{post.id}:f{n}"
    for n, f in enumerate(figures, 1):
        parent = None
        if f.parent:
            for k in range(n - 1, 0, -1):
                if figures[k - 1].id == f.parent:
                    parent = new_ids[(k, f.parent)]
                    break
        out.append(evolve(f, id=new_ids[(n, f.id)], parent=parent))
    return {"figures": out}
