"""Dates: the ISO date of a date header or a timestamp written as text, and timestamps in the blog's own zone.

Blogger writes the date header and the visible timestamp in the blog's language and format ('20 December
2024', 'Sunday, March 18, 2018', 'mardi 5 juin 2018', 'januar 28, 2019', '5 de junio de 2018', '31.12.08',
'3/18/2018', '2018年3月17日'). A fast path reads the common shapes with the month names of
``pipeline/data/month_names.csv``; what it cannot read and that still looks like a date goes to
``dateparser`` (slow: a second for some strings, so it is asked only about short texts that hold a year, and
each text once per process).
"""

from __future__ import annotations

import logging
import re
import unicodedata
from datetime import datetime
from functools import cache, lru_cache

from pipeline import vocab

log = logging.getLogger(__name__)

WORD = r"[^\W\d_]+"
DAY_MONTH_YEAR = re.compile(rf"(?<!\d)(\d{{1,2}})\.?\s+(?:de\s+|d')?({WORD})\.?,?\s+(?:de\s+|del\s+)?(\d{{4}})(?!\d)")
MONTH_DAY_YEAR = re.compile(rf"({WORD})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})(?!\d)")
ISO_DATE = re.compile(r"(?<!\d)(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)")
CJK_DATE = re.compile(r"(\d{4})\s*[年년]\s*(\d{1,2})\s*[月월]\s*(\d{1,2})\s*[日일]")
# Numbers only: d.m.y, m/d/y, with a two- or four-digit year ('31.12.08', '3/18/2018', '18-03-2018').
NUMERIC_DATE = re.compile(r"(?<![\d.])(\d{1,2})([./-])(\d{1,2})\2(\d{4}|\d{2})(?![\d])")
NUMBER = re.compile(r"\d+")
YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")
FIRST_YEAR, LAST_YEAR = 1995, 2100  # Blogger started in 1999; anything outside is a misreading


@cache
def month_names() -> dict[str, int]:
    """Month name (lower case, and without accents) to its number, over every language of the table."""
    out: dict[str, int] = {}
    for row in vocab.table("month_names"):
        name, month = row["name"].lower(), int(row["month"])
        out[name] = month
        out.setdefault(_plain(name), month)
    return out


def _plain(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))


def _month(word: str) -> int | None:
    names = month_names()
    low = word.lower()
    return names.get(low) or names.get(_plain(low))


def _iso(y: int, m: int, d: int) -> str | None:
    if not FIRST_YEAR <= y <= LAST_YEAR:
        return None
    try:
        return datetime(y, m, d).strftime("%Y-%m-%d")
    except ValueError:
        return None


def date_from_header(text: str, hint: tuple[int, int] | None = None, lang: str | None = None) -> str | None:
    """ISO date of a date header or of a timestamp written as text; None when the text holds no date.

    `hint` is the (year, month) of the post's permalink: it settles numeric dates that read two ways
    ('3/4/2018'). `lang` is the page's language, which helps dateparser.
    """
    t = " ".join(text.split())
    if not t or len(t) > 200:
        return None
    return _date_of(t, hint, (lang or "").split("-")[0].split("_")[0].lower() or None)


@lru_cache(maxsize=8192)
def _date_of(t: str, hint: tuple[int, int] | None, lang: str | None) -> str | None:
    for rx in (CJK_DATE, ISO_DATE):
        m = rx.search(t)
        if m:
            y, mo, d = (int(x) for x in m.groups())
            return _iso(y, mo, d)
    for m in DAY_MONTH_YEAR.finditer(t):
        month = _month(m.group(2))
        if month:
            return _iso(int(m.group(3)), month, int(m.group(1)))
    for m in MONTH_DAY_YEAR.finditer(t):
        month = _month(m.group(1))
        if month:
            return _iso(int(m.group(3)), month, int(m.group(2)))
    m = NUMERIC_DATE.search(t)
    if m:
        return _numeric(int(m.group(1)), int(m.group(3)), m.group(4), m.group(2), hint)
    # dateparser only for short texts with a year, another number (the day) and a word (the month).
    if YEAR.search(t) and len(t) <= 80 and len(NUMBER.findall(t)) >= 2 and re.search(WORD, t):
        return _dateparser(t, lang)
    return None


def _numeric(a: int, b: int, year_text: str, sep: str, hint: tuple[int, int] | None) -> str | None:
    """A date written in numbers only: the reading that agrees with the permalink's year and month wins;
    without one, dots and dashes are day first (European), slashes month first (Blogger's US default)
    unless the first number cannot be a month."""
    year = int(year_text)
    if len(year_text) == 2:
        year += 1900 if year >= 95 else 2000
    readings = [(year, b, a), (year, a, b)] if sep != "/" or a > 12 else [(year, a, b), (year, b, a)]
    valid = [r for r in readings if _iso(*r)]
    if hint:
        for r in valid:
            if r[:2] == hint:
                return _iso(*r)
    return _iso(*valid[0]) if valid else None


# dateparser without a language guesses among ~200 locales: 0.1 s for a date, 0.3 s for a text that is none.
# The locales it found are tried first next time (a blog keeps its language), and the guessing is capped.
DATEPARSER_SETTINGS = {"REQUIRE_PARTS": ["day", "month", "year"], "PREFER_DATES_FROM": "past",
                       "RETURN_AS_TIMEZONE_AWARE": False}
GUESS_BUDGET = 100
_learned: list[str] = []
_guesses = 0


@cache
def _date_parser(langs: tuple[str, ...] | None) -> object | None:
    from dateparser.date import DateDataParser  # on first need: a tenth of a second; most blogs never need it

    try:
        return DateDataParser(languages=list(langs) if langs else None, settings=DATEPARSER_SETTINGS)
    except (ValueError, TypeError):  # a language dateparser does not know ('x-klingon')
        return None


def _dateparser(text: str, lang: str | None) -> str | None:
    global _guesses
    attempts: list[tuple[str, ...] | None] = []
    if lang:
        attempts.append((lang,))
    if _learned and tuple(_learned) not in attempts:
        attempts.append(tuple(_learned))
    if _guesses < GUESS_BUDGET:
        attempts.append(None)
    for langs in attempts:
        parser = _date_parser(langs)
        if parser is None:
            continue
        if langs is None:
            _guesses += 1
            if _guesses == GUESS_BUDGET:
                log.warning("dateparser has guessed the language of %d date texts; texts no known language reads "
                            "are no longer guessed (the posts they date fall back to other dates or are reported)",
                            GUESS_BUDGET)
        try:
            data = parser.get_date_data(text)  # type: ignore[attr-defined]
        except Exception as exc:  # noqa: BLE001 (a third-party heuristic: any failure means "no date here")
            log.debug("dateparser failed on %r: %s", text, exc)
            continue
        found = data.date_obj if data else None
        if found is None:
            continue
        locale = (getattr(data, "locale", None) or "").split("-")[0]
        if langs is None and locale and locale not in _learned:
            _learned.insert(0, locale)
            del _learned[3:]
        log.debug("date %r read by dateparser as %s", text, found.date())
        return _iso(found.year, found.month, found.day)
    return None


def normalise_timestamp(ts: str | None) -> str | None:
    """Keep the blog's own offset; drop milliseconds ('2013-12-15T17:42:00.000+02:00' -> '...17:42:00+02:00').

    None for what is no timestamp, and for an absurd one: a day the calendar lacks, a year outside
    FIRST_YEAR..LAST_YEAR, a time past 23:59:59, an offset of a day or more."""
    if not ts or not isinstance(ts, str):
        return None
    ts = ts.strip()
    m = re.match(r"^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?\s*(Z|[+-]\d{2}:?\d{2})?$", ts)
    if not m or not _iso(int(m.group(1)), int(m.group(2)), int(m.group(3))):
        return None
    hour, minute, second = int(m.group(4)), int(m.group(5)), int(m.group(6) or 0)
    zone = m.group(7) or ""
    if hour > 23 or minute > 59 or second > 59 or zone[1:3] and (int(zone[1:3]) > 23 or int(zone[-2:]) > 59):
        return None
    if len(zone) == 5:  # +0545 -> +05:45, as Blogger writes it elsewhere
        zone = zone[:3] + ":" + zone[3:]
    return f"{m.group(1)}-{m.group(2)}-{m.group(3)}T{hour:02d}:{minute:02d}:{second:02d}{zone}"


def date_only(ts: str | None) -> str | None:
    """An ISO date given alone where a timestamp is expected ('2018-03-18'), else None."""
    if ts and (m := re.fullmatch(r"\s*(\d{4})-(\d{2})-(\d{2})\s*", ts)):
        return _iso(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    return None
