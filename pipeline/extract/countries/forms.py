"""The forms of every country (pipeline/data/countries.csv) as the countries rules read them: the variants a text
may write, one pattern that finds them all, and the word lists of the context rules (pipeline/data/<lang>/).

Read once per process, on first use (``forms()``), so that a broken table is the one-line error of the command
that extracts, not a traceback of every command.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from pipeline.config import DATA_DIR
from pipeline.errors import InputError
from pipeline.kb import country_names
from pipeline.vocab import table, words

TABLE = "countries"
TAGS = frozenset({"language", "person", "secondary"})
# Forms this short and written in capitals (US, UK, UAE, DRC) are acronyms: in a text written in capitals they
# are words ("HELP US"), and they never get an upper-case variant of their own.
ACRONYM = re.compile(r"^(?:[A-Z]\.?){2,4}$")
# The all-capitals variant ("NEPAL", "CAMBODIAN WORKERS" in a headline) is read for forms this long.
MIN_UPPER_VARIANT = 4


@dataclass(frozen=True)
class Form:
    """One form of one or more countries. `codes` holds the default country first (the one row of the form
    that is not tagged `secondary`), then the others in table order; `tags` is the union over its rows."""

    form: str
    codes: tuple[str, ...]
    kind: str
    tags: frozenset[str]

    @property
    def acronym(self) -> bool:
        return ACRONYM.match(self.form) is not None


@dataclass(frozen=True)
class Forms:
    """What the rules read: every variant a text may write (normalised, see ``key``) -> its Form, the pattern
    that finds the variants and the phrases that are no mention (``not_phrases``, normalised), the English name
    of each code, and the context word lists."""

    by_variant: dict[str, Form]
    pattern: re.Pattern[str]
    names: dict[str, str]
    not_phrases: frozenset[str]
    language_before: frozenset[str]
    language_after: frozenset[str]
    language_nouns_before: frozenset[str]
    followers: frozenset[str]
    connectors: frozenset[str]
    function_words: frozenset[str]

    def lookup(self, text: str) -> Form | None:
        """The form a matched text writes (white space and apostrophes normalised), or None."""
        return self.by_variant.get(key(text))


SEPARATORS = re.compile(r"[-\s]+")


def key(text: str) -> str:
    """A variant as the index holds it: hyphens and runs of white space as one space ("Timor-Leste" and
    "Timor Leste", "Latijns-Amerika" and "Latijns Amerika" are one), curly apostrophes straight."""
    return SEPARATORS.sub(" ", text.replace("’", "'")).strip()


def check_rows(rows: Iterable[dict[str, str]], source: str) -> list[dict[str, str]]:
    """The rows of the countries table, checked; errors name the table and the row (pure, for tests).

    Codes, languages, kinds, empty forms and the English name first are checked where the knowledge base
    reads the same table (``kb.country_names``); here what only this extractor reads: the form's white space,
    the `org` column and the tags."""
    out = list(rows)
    country_names(out, source)
    for n, row in enumerate(out, 1):
        code, lang, kind, form = (row.get(k, "") for k in ("code", "lang", "kind", "form"))
        org, tags = row.get("org", ""), row.get("tags", "")
        where = f"{source}: data row {n} ({code},{lang},{kind},{form})"
        if form != form.strip():
            raise InputError(f"{where}: white space around the form")
        if org not in ("yes", "no"):
            raise InputError(f"{where}: org {org!r} is neither yes nor no")
        unknown = set(tags.split()) - TAGS
        if unknown:
            raise InputError(f"{where}: unknown tag(s) {', '.join(sorted(unknown))} (known: {', '.join(sorted(TAGS))})")
    return out


def build_forms(rows: list[dict[str, str]], source: str) -> tuple[dict[str, Form], dict[str, str]]:
    """Forms by their text, and the English name of each code (its first row). A form of several countries
    must be tagged `secondary` in all its rows but one, which gives the default country."""
    names: dict[str, str] = {}
    grouped: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        names.setdefault(row["code"], row["form"])
        grouped.setdefault(key(row["form"]), []).append(row)
    out: dict[str, Form] = {}
    for text, group in grouped.items():
        codes = list(dict.fromkeys(r["code"] for r in group))
        tags = frozenset(t for r in group for t in r["tags"].split())
        primary = list(dict.fromkeys(r["code"] for r in group if "secondary" not in r["tags"].split()))
        if len(codes) > 1 and len(primary) != 1:
            raise InputError(f"{source}: {text!r} is a form of {', '.join(codes)}: tag all its rows but one "
                             "'secondary' (that one gives the default country)")
        if len(codes) == 1 and "secondary" in tags:
            raise InputError(f"{source}: {text!r} is tagged 'secondary' but names only {codes[0]}")
        kinds = {r["kind"] for r in group}
        kind = "name" if "name" in kinds else "demonym"
        ordered = tuple(primary + [c for c in codes if c not in primary])
        out[text] = Form(text, ordered, kind, tags - {"secondary"})
    return out, names


def variants(form: Form) -> list[str]:
    """The spellings of a form the text may use: as written; capitalised when written with a small initial
    (French demonyms: "bangladais", "Bangladais"); in capitals when long enough, no acronym and not tagged
    `person` (in capitals, the neighbouring words tell no name from a headline)."""
    out = [form.form]
    if form.form[0].islower():
        out.append(form.form[0].upper() + form.form[1:])
    if ("person" not in form.tags and not form.acronym and len(form.form) >= MIN_UPPER_VARIANT
            and form.form.upper() != form.form):
        out.append(form.form.upper())
    return out


def trie_pattern(entries: Iterable[str]) -> str:
    """A regex alternation of the entries as a trie (one branch per next character), so that the engine follows
    one path per position instead of trying every entry; a space or a hyphen matches any run of white space and
    hyphens, an apostrophe either apostrophe. At a position, the longest entry that matches wins (optional tails
    are greedy)."""
    root: dict[str, dict] = {}
    for entry in entries:
        node = root
        for ch in key(entry):
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict[str, dict]) -> str:
        ends = "" in node
        branches = []
        for ch in sorted(k for k in node if k):
            atom = r"[-\s]+" if ch == " " else "['’]" if ch == "'" else re.escape(ch)
            branches.append(atom + emit(node[ch]))
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if ends else body

    return emit(root)


@cache
def forms() -> Forms:
    """The countries table and the context lists, read and compiled once per process."""
    source = str(DATA_DIR / f"{TABLE}.csv")
    by_form, names = build_forms(check_rows(table(TABLE), source), source)
    by_variant: dict[str, Form] = {}
    for form in by_form.values():
        for v in variants(form):
            by_variant.setdefault(key(v), form)
    not_phrases = frozenset(key(p) for p in words("country_not_phrases"))
    if clash := sorted(not_phrases & set(by_variant)):
        raise InputError(f"country_not_phrases: {', '.join(clash)} is also a form in {source}")
    # One pattern for the forms and the phrases that are no mention: one scan of the text, and where a phrase
    # starts ("Latin America", "Indian Ocean") the longest match is the phrase, which the rules then skip.
    # \b first: the engine then tries the trie only where a word starts. Nothing but a letter or digit may follow:
    # "Nepal-based", "Nepal's" and "U.S." count, "Nepalgunj" does not.
    pattern = re.compile(r"\b(?:" + trie_pattern(sorted(set(by_variant) | not_phrases)) + r")(?![^\W_])")
    return Forms(
        by_variant=by_variant, pattern=pattern, names=names,
        not_phrases=not_phrases,
        language_before=frozenset(w.replace("’", "'") for w in words("country_language_before")),
        language_after=frozenset(words("country_language_after")),
        # French puts the adjective after the noun: "la version anglaise". Only the French list reads so (Dutch
        # "les", a lesson, is the French article).
        language_nouns_before=frozenset(words("country_language_after", "fr")),
        followers=frozenset(w.replace("’", "'") for w in words("country_language_followers")),
        connectors=frozenset(words("country_connectors")),
        function_words=frozenset(w.lower() for w in words("stopwords") | words("function_words")),
    )
