"""The organisations knowledge base (pipeline/data/organisations.csv), loaded into typed entries.

CSV because researchers grow it in a spreadsheet: one organisation a row, aliases separated by ';'.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pipeline.config import DATA_DIR
from pipeline.errors import InputError

KB_FILE = DATA_DIR / "organisations.csv"
TYPES = frozenset({"trade_union", "union_federation", "ngo", "network", "intergovernmental", "government",
                   "company", "media", "school", "other"})
ACRONYM_SHAPE = re.compile(r"^(?=.*[A-Z].*[A-Z])[A-Z0-9&!*.\-]+(?:\s[A-Z0-9&!*.\-]+)?$|^[A-Z][a-z]?[A-Z][\w!&-]*$")


@dataclass(frozen=True)
class KBEntry:
    """One organisation of the knowledge base."""

    id: str
    name: str
    acronym: str | None
    aliases: tuple[str, ...]
    type: str
    country: str
    unsure: bool = False

    def surfaces(self) -> tuple[str, ...]:
        """Every form under which the organisation may be named."""
        forms = [self.name, *(self.aliases)]
        if self.acronym:
            forms.append(self.acronym)
        return tuple(dict.fromkeys(f for f in forms if f))


def is_acronym(form: str) -> bool:
    """True for forms written as acronyms (ILO, ACV-CSC, INSP!R, PhilHealth is not)."""
    return bool(ACRONYM_SHAPE.match(form)) and not (form[0].isupper() and form[1:].islower())


def normalise_name(text: str) -> str:
    """Comparison key: case-folded, a leading 'the' dropped, only letters and digits kept."""
    t = text.casefold().strip()
    t = re.sub(r"^(?:the|de|het|la|le|les)\s+", "", t)
    return re.sub(r"[\W_]+", "", t)


@cache
def load_kb(path: Path = KB_FILE) -> tuple[KBEntry, ...]:
    """Read and validate the knowledge base once per process."""
    if not path.is_file():
        raise InputError(f"{path}: organisations knowledge base not found")
    entries = []
    seen: set[str] = set()
    with path.open(encoding="utf-8", newline="") as fh:
        for lineno, row in enumerate(csv.DictReader(fh), 2):
            try:
                entry = KBEntry(
                    id=row["id"].strip(), name=row["name"].strip(), acronym=(row["acronym"] or "").strip() or None,
                    aliases=tuple(a.strip() for a in (row["aliases"] or "").split(";") if a.strip()),
                    type=row["type"].strip(), country=row["country"].strip(),
                    unsure=bool((row["unsure"] or "").strip()),
                )
            except (KeyError, AttributeError) as exc:
                raise InputError(f"{path}:{lineno}: malformed row ({exc})") from None
            if not entry.id or not entry.name:
                raise InputError(f"{path}:{lineno}: an entry needs an id and a name")
            if entry.id in seen:
                raise InputError(f"{path}:{lineno}: duplicate id {entry.id!r}")
            if entry.type not in TYPES:
                raise InputError(f"{path}:{lineno}: unknown type {entry.type!r} (one of {', '.join(sorted(TYPES))})")
            seen.add(entry.id)
            entries.append(entry)
    return tuple(entries)
