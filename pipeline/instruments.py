"""The ILO instruments table (conventions, recommendations, protocols), shipped as package data."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pipeline.config import DATA_DIR
from pipeline.errors import InputError
from pipeline.records import Instrument
from pipeline.vocab import table

TABLE = DATA_DIR / "ilo_instruments.csv"
PREFIX = {"convention": "C", "recommendation": "R", "protocol": "P"}
TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)?", re.UNICODE)
# Spelling variants folded so that US and UK forms of a title are one key.
FOLD = {"organize": "organise", "organized": "organised", "organizations": "organisations",
        "organization": "organisation", "labor": "labour", "ships’": "ships'", "seamen’s": "seamen's"}

# Titles besides the table's English and Dutch ones (French titles, names in common use), one row a title:
# pipeline/data/instrument_titles.csv. An empty id: the title is never an ILO instrument.
TITLES_TABLE = "instrument_titles"


@dataclass(frozen=True)
class InstrumentRow:
    """One row of the table."""

    id: str
    type: str
    number: int
    title: str
    year: int | None
    status: str | None
    fundamental: bool
    alt_titles: tuple[str, ...]
    title_nl: str | None

    def to_instrument(self) -> Instrument:
        """The record form used in extraction output."""
        return Instrument(id=self.id, type=self.type, number=self.number, title=self.title, year=self.year,
                          fundamental=self.fundamental, status=self.status)


def title_key(text: str) -> tuple[str, ...]:
    """Normalised word tuple of a title: case-folded, punctuation dropped, US/UK spelling folded."""
    return tuple(FOLD.get(t, t) for t in (w.lower().replace("’", "'") for w in TOKEN.findall(text)))


@dataclass(frozen=True)
class InstrumentTable:
    """Lookup by id and by title."""

    rows: dict[str, InstrumentRow]
    titles: dict[tuple[str, ...], tuple[str, ...]]
    max_number: dict[str, int]
    # Every leading and trailing run of words of a title: a search for titles stops as soon as it has
    # words that no title starts (or ends) with.
    title_prefixes: frozenset[tuple[str, ...]] = frozenset()
    title_suffixes: frozenset[tuple[str, ...]] = frozenset()

    def get(self, instrument_id: str) -> InstrumentRow | None:
        """The row of an id such as 'C189', or None."""
        return self.rows.get(instrument_id)

    def by_number(self, kind: str, number: int) -> InstrumentRow | None:
        """The row of a type and number, or None when the table does not know it."""
        return self.rows.get(f"{PREFIX[kind]}{number}")

    def resolve_title(self, key: tuple[str, ...], year: int | None = None) -> InstrumentRow | None:
        """The instrument a title names; a shared short title resolves by year, else to the newest."""
        ids = self.titles.get(key)
        if not ids:
            return None
        rows = [self.rows[i] for i in ids]
        if year is not None:
            for row in rows:
                if row.year == year:
                    return row
        return max(rows, key=lambda r: (r.status == "up-to-date", r.year or 0))


def _bool(value: str) -> bool:
    return value.strip().lower() == "true"


@cache
def load_table(path: Path = TABLE) -> InstrumentTable:
    """Read the instruments table once per process."""
    rows: dict[str, InstrumentRow] = {}
    titles: dict[tuple[str, ...], list[str]] = {}
    with path.open(encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            row = InstrumentRow(
                id=r["id"], type=r["type"], number=int(r["number"]), title=r["title"],
                year=int(r["year"]) if r["year"].strip().isdigit() else None,
                status=r["status"] or None, fundamental=_bool(r["fundamental"]),
                alt_titles=tuple(t.strip() for t in r["alt_titles"].split(";") if t.strip()),
                title_nl=r["title_nl"] or None,
            )
            rows[row.id] = row
            for name in (row.title, *row.alt_titles, row.title_nl or ""):
                key = title_key(re.sub(r",\s*\d{4}$", "", name))
                # Bare acronyms ("MLC") are too short to be titles here.
                if len(key) >= 2 and row.id not in titles.setdefault(key, []):
                    titles[key].append(row.id)
    for extra in table(TITLES_TABLE):
        key, iid = title_key(extra["title"]), extra["id"]
        if iid and iid not in rows:
            raise InputError(f"{DATA_DIR / TITLES_TABLE}.csv: {extra['title']!r} names {iid}, which {path.name} "
                             "does not have")
        if iid:
            titles[key] = [iid]
        else:
            titles.pop(key, None)
    max_number: dict[str, int] = {}
    for row in rows.values():
        max_number[row.type] = max(max_number.get(row.type, 0), row.number)
    return InstrumentTable(rows=rows, titles={k: tuple(v) for k, v in titles.items()}, max_number=max_number,
                           title_prefixes=frozenset(k[:n] for k in titles for n in range(1, len(k) + 1)),
                           title_suffixes=frozenset(k[n:] for k in titles for n in range(len(k))))
