"""The organisations knowledge base (pipeline/data/organisations.toml), loaded and validated into typed entries.

TOML because it is read by the standard library (tomllib), keeps one organisation per ``[[org]]`` block
that a researcher edits by hand, allows comments, and holds lists (acronyms, aliases per language)
without the quoting and separator rules a spreadsheet cell would need.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path
from typing import Any

from pipeline.config import DATA_DIR
from pipeline.errors import InputError
from pipeline.vocab import table

KB_FILE = DATA_DIR / "organisations.toml"
COUNTRIES_FILE = DATA_DIR / "countries.csv"
TYPES = frozenset({"trade_union", "union_federation", "ngo", "network", "intergovernmental", "government",
                   "company", "media", "school", "other"})
COUNTRY_CODES = frozenset(
    """AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY
    BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM
    FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT
    JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN
    MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT
    PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL
    TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW""".split()
)
COUNTRY_KINDS = frozenset({"name", "demonym"})
COUNTRY_LANGS = frozenset({"en", "nl", "fr", "other"})


def country_names(rows: Iterable[dict[str, str]], source: str = "countries.csv") -> dict[str, tuple[str, ...]]:
    """Forms per country code from the rows of the countries table, in row order (the first is the English name).

    Pure, so that a table is checked the same way wherever it comes from; errors name the table and the row.
    """
    out: dict[str, list[str]] = {}
    for n, row in enumerate(rows, 1):
        code, lang, kind, form = (row.get(k, "") for k in ("code", "lang", "kind", "form"))
        where = f"{source}: data row {n} ({','.join((code, lang, kind, form))})"
        if code not in COUNTRY_CODES:
            raise InputError(f"{where}: code {code!r} is not an ISO 3166 alpha-2 code")
        if lang not in COUNTRY_LANGS:
            raise InputError(f"{where}: lang {lang!r} is not one of {', '.join(sorted(COUNTRY_LANGS))}")
        if kind not in COUNTRY_KINDS:
            raise InputError(f"{where}: kind {kind!r} is not one of {', '.join(sorted(COUNTRY_KINDS))}")
        if not form:
            raise InputError(f"{where}: empty form")
        if code not in out and (lang, kind) != ("en", "name"):
            raise InputError(f"{where}: the first row of a country must be its English name")
        out.setdefault(code, []).append(form)
    return {code: tuple(forms) for code, forms in out.items()}


ACRONYM_SHAPE = re.compile(r"^[A-Z0-9][\w&!*.+'’/-]*$")
SLUG = re.compile(r"^[a-z0-9][a-z0-9.!&+-]*$")
LANG_KEY = re.compile(r"^[a-z]{2}$")
ENTRY_KEYS = frozenset({"id", "name", "acronyms", "aliases", "type", "country", "parent", "unsure", "ambiguous",
                        "context", "shared", "merge_into_child", "note"})


def is_acronym(form: str) -> bool:
    """True for forms written as acronyms (ILO, ACV-CSC, INSP!R, MoLVT, H&M); PhilHealth and IndustriALL are names."""
    if " " in form or not ACRONYM_SHAPE.match(form):
        return False
    letters = [c for c in form if c.isalpha()]
    upper = sum(c.isupper() for c in letters)
    return upper >= 2 and upper * 2 >= len(letters)


def normalise_name(text: str) -> str:
    """Comparison key: case-folded, a leading 'the' dropped, only letters and digits kept."""
    t = text.casefold().strip()
    t = re.sub(r"^(?:the|de|het|la|le|les)\s+", "", t)
    return re.sub(r"[\W_]+", "", t)


def alias_key(form: str) -> str:
    """Index key of a form: acronyms as written (CLC is not clc), names normalised."""
    return form if is_acronym(form) else normalise_name(form)


@dataclass(frozen=True)
class KBEntry:
    """One organisation of the knowledge base.

    `aliases` holds (language, form) pairs; `ambiguous` forms are common words or shared abbreviations
    that count only when one of `context` (or another form of the entry) occurs nearby; `shared` forms
    are claimed by more than one entry on purpose (resolved by context); `merge_into_child` says that a
    bare mention of this entry is read as its child when the child is named in the same post.
    """

    id: str
    name: str
    type: str
    country: str
    acronyms: tuple[str, ...] = ()
    aliases: tuple[tuple[str, str], ...] = ()
    parent: str | None = None
    unsure: bool = False
    ambiguous: frozenset[str] = frozenset()
    context: tuple[str, ...] = ()
    shared: frozenset[str] = frozenset()
    merge_into_child: bool = False
    note: str = ""

    @property
    def acronym(self) -> str | None:
        """The main acronym, if the organisation has one."""
        return self.acronyms[0] if self.acronyms else None

    def surfaces(self) -> tuple[str, ...]:
        """Every form under which the organisation may be named: name, acronyms, aliases."""
        forms = [self.name, *self.acronyms, *(form for _, form in self.aliases)]
        return tuple(dict.fromkeys(f for f in forms if f))

    @cached_property
    def folded_surfaces(self) -> frozenset[str]:
        """The surfaces, case-folded (kept: every entity built from a mention asks for them)."""
        return frozenset(f.casefold() for f in self.surfaces())

    def context_terms(self) -> tuple[str, ...]:
        """Words whose presence makes an ambiguous form of this entry credible."""
        own = [f for f in self.surfaces() if f not in self.ambiguous]
        return tuple(dict.fromkeys([*self.context, *own, *load_countries().get(self.country, ())]))


@dataclass(frozen=True)
class KnowledgeBase:
    """All entries, by id, and the alias index (form key -> ids of the entries it names)."""

    entries: tuple[KBEntry, ...]
    by_id: dict[str, KBEntry] = field(hash=False, compare=False)
    index: dict[str, tuple[str, ...]] = field(hash=False, compare=False)

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self) -> Iterator[KBEntry]:
        return iter(self.entries)

    def get(self, entry_id: str) -> KBEntry | None:
        """The entry with this id, or None."""
        return self.by_id.get(entry_id)

    def lookup(self, form: str) -> tuple[KBEntry, ...]:
        """Entries named by this form (acronyms case-sensitive, names case-insensitive)."""
        return tuple(self.by_id[i] for i in self.index.get(alias_key(form), ()))


def _strings(value: Any, where: str, key: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise InputError(f"{where}: '{key}' must be a list of non-empty strings")
    return tuple(v.strip() for v in value)


def _entry(raw: Any, where: str) -> KBEntry:
    if not isinstance(raw, dict):
        raise InputError(f"{where}: an [[org]] entry must be a table")
    unknown = set(raw) - ENTRY_KEYS
    if unknown:
        raise InputError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
    for key in ("id", "name", "type", "country"):
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            raise InputError(f"{where}: '{key}' is required (a non-empty string)")
    eid = raw["id"].strip()
    where = f"{where} ({eid})"
    if not SLUG.match(eid):
        raise InputError(f"{where}: id must be a lower-case slug (letters, digits, '-', '.')")
    if raw["type"] not in TYPES:
        raise InputError(f"{where}: unknown type {raw['type']!r} (one of {', '.join(sorted(TYPES))})")
    if raw["country"] != "international" and raw["country"] not in COUNTRY_CODES:
        raise InputError(f"{where}: country {raw['country']!r} is neither an ISO 3166 alpha-2 code nor "
                         "'international'")
    aliases_raw = raw.get("aliases", {})
    if not isinstance(aliases_raw, dict):
        raise InputError(f"{where}: 'aliases' must be a table of language = [forms]")
    aliases: list[tuple[str, str]] = []
    for lang, forms in sorted(aliases_raw.items()):
        if not LANG_KEY.match(lang):
            raise InputError(f"{where}: alias language {lang!r} must be a two-letter code (en, nl, fr, ...)")
        aliases += [(lang, f) for f in _strings(forms, where, f"aliases.{lang}")]
    for key in ("unsure", "merge_into_child"):
        if not isinstance(raw.get(key, False), bool):
            raise InputError(f"{where}: '{key}' must be true or false")
    parent = raw.get("parent")
    if parent is not None and not isinstance(parent, str):
        raise InputError(f"{where}: 'parent' must be an id")
    entry = KBEntry(
        id=eid, name=raw["name"].strip(), type=raw["type"], country=raw["country"],
        acronyms=_strings(raw.get("acronyms"), where, "acronyms"), aliases=tuple(aliases), parent=parent,
        unsure=raw.get("unsure", False), ambiguous=frozenset(_strings(raw.get("ambiguous"), where, "ambiguous")),
        context=_strings(raw.get("context"), where, "context"),
        shared=frozenset(_strings(raw.get("shared"), where, "shared")),
        merge_into_child=raw.get("merge_into_child", False), note=str(raw.get("note", "")),
    )
    forms = set(entry.surfaces())
    for key in ("ambiguous", "shared"):
        stray = getattr(entry, key) - forms
        if stray:
            raise InputError(f"{where}: '{key}' lists {', '.join(sorted(stray))}, which is not a form of the entry")
    return entry


def parse_kb(text: str, source: str = "<kb>") -> KnowledgeBase:
    """Parse and validate the TOML text of a knowledge base (pure; load_kb reads the file)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{source}: not valid TOML ({exc})") from None
    raws = data.get("org")
    if not isinstance(raws, list) or not raws:
        raise InputError(f"{source}: no [[org]] entries")
    entries = [_entry(raw, f"{source}: org #{n}") for n, raw in enumerate(raws, 1)]
    by_id: dict[str, KBEntry] = {}
    for n, e in enumerate(entries, 1):
        if e.id in by_id:
            raise InputError(f"{source}: org #{n}: duplicate id {e.id!r}")
        by_id[e.id] = e
    index: dict[str, list[str]] = {}
    for n, e in enumerate(entries, 1):
        if e.parent is not None and e.parent not in by_id:
            raise InputError(f"{source}: org #{n} ({e.id}): parent {e.parent!r} is not an id of the knowledge base")
        for form in e.surfaces():
            ids = index.setdefault(alias_key(form), [])
            if e.id not in ids:
                ids.append(e.id)
    for key, ids in index.items():
        if len(ids) > 1:
            unmarked = [i for i in ids if not any(alias_key(f) == key for f in by_id[i].shared)]
            if unmarked:
                raise InputError(f"{source}: {key!r} names {', '.join(ids)}; list it under 'shared' in each of "
                                 "them if that is intended")
    for e in entries:
        seen = {e.id}
        p = e.parent
        while p is not None:
            if p in seen:
                raise InputError(f"{source}: parent chain of {e.id!r} loops")
            seen.add(p)
            p = by_id[p].parent
    return KnowledgeBase(tuple(entries), by_id, {k: tuple(v) for k, v in index.items()})


@cache
def load_countries() -> dict[str, tuple[str, ...]]:
    """Names and demonyms (English, Dutch, French) per code of the countries this field writes about, from
    pipeline/data/countries.csv, read once per process (on first use: a broken table must not stop commands
    that never ask for it). They disambiguate acronyms shared by two organisations ("NTUC" in Nepal and
    Singapore) and tell a generic descriptor ("the Belgian trade union") from a name. Only the rows marked
    `org=yes` (the table as these rules were written for): the rows added for the countries extractor must not
    change what the organisations rules do."""
    return country_names([r for r in table("countries") if r.get("org", "yes") == "yes"], str(COUNTRIES_FILE))


@cache
def load_kb(path: Path = KB_FILE) -> KnowledgeBase:
    """Read and validate the knowledge base once per process."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"{path}: organisations knowledge base not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read the organisations knowledge base ({exc})") from None
    return parse_kb(text, str(path))
