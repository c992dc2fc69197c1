"""What the synthetic posts name: organisations of the project's knowledge base and ILO instruments of its table.

Read from the data files the extractors use, so that the synthetic blog exercises them; built-in lists
stand in when a file is absent.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pipeline.config import DATA_DIR
from pipeline.errors import InputError

# Instruments the blog's genre keeps returning to; those missing from the table are skipped.
INSTRUMENT_IDS = ("C87", "C98", "C102", "C189", "C190", "C29", "C138", "C182", "C100", "C111", "C155", "C97",
                  "C143", "C177", "C183", "C131", "C181", "C188", "C122", "C118", "C130", "C121", "C81", "C144",
                  "C168", "R202", "R204", "R205")
FALLBACK_INSTRUMENTS = (
    ("C87", "convention", 87, "Freedom of Association and Protection of the Right to Organise Convention", 1948),
    ("C98", "convention", 98, "Right to Organise and Collective Bargaining Convention", 1949),
    ("C102", "convention", 102, "Social Security (Minimum Standards) Convention", 1952),
    ("C189", "convention", 189, "Domestic Workers Convention", 2011),
    ("C190", "convention", 190, "Violence and Harassment Convention", 2019),
    ("R202", "recommendation", 202, "Social Protection Floors Recommendation", 2012),
)
FALLBACK_ORGANISATIONS = (
    ("International Labour Organization", "ILO", "international"),
    ("International Trade Union Confederation", "ITUC", "international"),
    ("World Movement of Christian Workers", "WMCW", "international"),
    ("General Federation of Nepalese Trade Unions", "GEFONT", "NP"),
    ("Trade Union Congress of the Philippines", "TUCP", "PH"),
    ("National Garment Workers Federation", "NGWF", "BD"),
    ("Cambodian Labour Confederation", "CLC", "KH"),
    ("Algemeen Christelijk Vakverbond", "ACV", "BE"),
    ("Wereldsolidariteit", "WSM", "BE"),
)
ORG_TYPES = frozenset({"trade_union", "union_federation", "ngo", "network", "intergovernmental", "government"})


@dataclass(frozen=True)
class Org:
    """An organisation the templates can name."""

    name: str
    acronym: str | None
    country: str


@dataclass(frozen=True)
class Instr:
    """An ILO instrument the templates can cite."""

    id: str
    type: str
    number: int
    title: str
    year: int | None


@dataclass(frozen=True)
class Vocabulary:
    """What the templates draw from: organisations by country, and instruments."""

    orgs: dict[str, tuple[Org, ...]]
    international: tuple[Org, ...]
    instruments: tuple[Instr, ...]


def _toml_orgs(path: Path) -> list[Org]:
    """Organisations of the TOML knowledge base ([[org]] blocks); only unambiguous acronyms are used."""
    import tomllib

    if not path.is_file():
        return []
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{path}: not valid TOML ({exc})") from None
    orgs = []
    for raw in data.get("org", []):
        if not isinstance(raw, dict) or raw.get("type") not in ORG_TYPES or raw.get("unsure"):
            continue
        ambiguous = set(raw.get("ambiguous") or ())
        acronyms = [a for a in raw.get("acronyms") or () if a not in ambiguous]
        if isinstance(raw.get("name"), str) and raw["name"] not in ambiguous:
            orgs.append(Org(raw["name"].strip(), acronyms[0] if acronyms else None, str(raw.get("country", ""))))
    return orgs


def _csv_orgs(path: Path) -> list[Org]:
    """Organisations of the older CSV knowledge base (one a row, acronym in its own column)."""
    if not path.is_file():
        return []
    with path.open(encoding="utf-8", newline="") as fh:
        return [Org(row["name"].strip(), (row.get("acronym") or "").strip() or None, (row.get("country") or "").strip())
                for row in csv.DictReader(fh)
                if (row.get("type") or "").strip() in ORG_TYPES and not (row.get("unsure") or "").strip()]


@cache
def vocabulary(data_dir: Path = DATA_DIR) -> Vocabulary:
    """Organisations (organisations.toml, else .csv) and instruments from the data files; built-in lists if absent."""
    orgs = _toml_orgs(data_dir / "organisations.toml") or _csv_orgs(data_dir / "organisations.csv")
    if not orgs:
        orgs = [Org(*o) for o in FALLBACK_ORGANISATIONS]
    by_country: dict[str, list[Org]] = {}
    for o in orgs:
        by_country.setdefault(o.country, []).append(o)
    instruments: list[Instr] = []
    table = data_dir / "ilo_instruments.csv"
    if table.is_file():
        with table.open(encoding="utf-8", newline="") as fh:
            rows = {r["id"]: r for r in csv.DictReader(fh)}
        for iid in INSTRUMENT_IDS:
            r = rows.get(iid)
            if r:
                year = int(r["year"]) if (r.get("year") or "").strip().isdigit() else None
                instruments.append(Instr(iid, r["type"], int(r["number"]), r["title"].strip(), year))
    if not instruments:
        instruments = [Instr(*i) for i in FALLBACK_INSTRUMENTS]
    return Vocabulary(
        orgs={k: tuple(v) for k, v in by_country.items()},
        international=tuple(by_country.get("international", ())) or tuple(orgs),
        instruments=tuple(instruments),
    )
