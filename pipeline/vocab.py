"""Vocabularies as data: word lists per language in ``pipeline/data/<lang>/<name>.txt``.

Each file holds one entry a line (a word or a phrase, case as it matters to the rule that reads it);
``#`` starts a comment, blank lines are ignored. A rule asks for a list by name and language; a list
shared by several languages is the union of their files. Files are read once per process.

Adding a language means adding ``pipeline/data/<code>/`` with the same file names as ``en`` (a file may
be empty but must exist, so a forgotten list is an error, not a silent gap), plus tests. See
``pipeline/data/README.md`` for what each list is for.
"""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

from pipeline.config import DATA_DIR
from pipeline.errors import InputError

# The languages whose vocabularies the rules read, in a fixed order (unions are order-free, but
# ordered entries and messages are not).
LANGUAGES = ("en", "nl", "fr")


def vocab_path(lang: str, name: str) -> Path:
    """Where the list `name` of language `lang` lives."""
    return DATA_DIR / lang / f"{name}.txt"


@cache
def entries(lang: str, name: str) -> tuple[str, ...]:
    """The entries of one list in file order, without comments, blank lines or surrounding white space."""
    path = vocab_path(lang, name)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"{path}: vocabulary {name!r} missing for language {lang!r}") from None
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 ({exc.reason} at byte {exc.start})") from None
    out = []
    for line in text.splitlines():
        entry = line.split("#", 1)[0].strip()
        if entry:
            out.append(entry)
    return tuple(out)


@cache
def words(name: str, langs: tuple[str, ...] | str = LANGUAGES) -> frozenset[str]:
    """The set of entries of list `name` over one language or several (their union)."""
    if isinstance(langs, str):
        langs = (langs,)
    return frozenset(e for lang in langs for e in entries(lang, name))


@cache
def table(name: str) -> tuple[dict[str, str], ...]:
    """Rows of a language-neutral CSV table ``pipeline/data/<name>.csv``: a header row, then one row a line
    (``#`` lines and blank lines skipped; a cell may not span lines). Errors name file and line."""
    path = DATA_DIR / f"{name}.csv"
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"{path}: table {name!r} missing") from None
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 ({exc.reason} at byte {exc.start})") from None
    numbered = [(n, line) for n, line in enumerate(text.splitlines(), 1)
                if line.strip() and not line.lstrip().startswith("#")]
    if not numbered:
        raise InputError(f"{path}: table {name!r} has no header row")
    header = next(csv.reader([numbered[0][1]]))
    rows = []
    for lineno, line in numbered[1:]:
        cells = next(csv.reader([line]))
        if len(cells) != len(header):
            raise InputError(f"{path}:{lineno}: {len(cells)} cells, the header has {len(header)}")
        rows.append({k.strip(): v.strip() for k, v in zip(header, cells, strict=True)})
    return tuple(rows)
