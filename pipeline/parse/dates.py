"""Dates: the ISO date of a date header, and timestamps kept in the blog's own time zone."""

from __future__ import annotations

import re
from datetime import datetime

MONTHS = {
    m.lower(): i
    for i, names in enumerate(
        [
            ("January", "Jan", "januari", "janvier"), ("February", "Feb", "februari", "février"),
            ("March", "Mar", "maart", "mars"), ("April", "Apr", "avril"), ("May", "mei", "mai"),
            ("June", "Jun", "juni", "juin"), ("July", "Jul", "juli", "juillet"),
            ("August", "Aug", "augustus", "août"), ("September", "Sep", "Sept", "septembre"),
            ("October", "Oct", "oktober", "octobre"), ("November", "Nov", "novembre"),
            ("December", "Dec", "december", "décembre"),
        ],
        1,
    )
    for m in names
}
HEADER_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})\.?\s+([A-Za-zéû]+)\.?,?\s+(\d{4})")
HEADER_MONTH_DAY_YEAR = re.compile(r"([A-Za-zéû]+)\.?\s+(\d{1,2}),?\s+(\d{4})")
HEADER_ISO = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")
HEADER_CJK = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")


def date_from_header(text: str) -> str | None:
    """ISO date from a date header such as '20 December 2024', 'Friday, March 16, 2018', '2018年3月17日'."""
    t = " ".join(text.split())
    for rx in (HEADER_CJK, HEADER_ISO):
        m = rx.search(t)
        if m:
            y, mo, d = (int(x) for x in m.groups())
            return _iso(y, mo, d)
    m = HEADER_DAY_MONTH_YEAR.search(t)
    if m and m.group(2).lower() in MONTHS:
        return _iso(int(m.group(3)), MONTHS[m.group(2).lower()], int(m.group(1)))
    m = HEADER_MONTH_DAY_YEAR.search(t)
    if m and m.group(1).lower() in MONTHS:
        return _iso(int(m.group(3)), MONTHS[m.group(1).lower()], int(m.group(2)))
    return None


def _iso(y: int, m: int, d: int) -> str | None:
    try:
        return datetime(y, m, d).strftime("%Y-%m-%d")
    except ValueError:
        return None


def normalise_timestamp(ts: str | None) -> str | None:
    """Keep the blog's own offset; drop milliseconds ('2013-12-15T17:42:00.000+02:00' -> '...17:42:00+02:00')."""
    if not ts:
        return None
    ts = ts.strip()
    m = re.match(r"^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?)(?:\.\d+)?(Z|[+-]\d{2}:?\d{2})?$", ts)
    if not m:
        return None
    base = m.group(1) if len(m.group(1)) == 19 else m.group(1) + ":00"
    return base + (m.group(2) or "")
