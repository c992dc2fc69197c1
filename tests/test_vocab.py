"""Vocabularies as data: every language directory alike, every list and table well formed, loader errors that
name the file, and the regex helpers the rules build from entries."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path

import pytest

from pipeline import vocab
from pipeline.config import DATA_DIR
from pipeline.errors import InputError
from pipeline.extract.lexicon import EVERY_LANGUAGE, alternation, capitalised_either, mapping

LANGUAGE_DIRS = sorted(p for p in DATA_DIR.iterdir() if p.is_dir() and not p.name.startswith(("_", ".")))
LIST_FILES = sorted(f for d in LANGUAGE_DIRS for f in d.glob("*.txt"))
TABLES = sorted(DATA_DIR.glob("*.csv"))


def _csv_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip() and not line.lstrip().startswith("#"):
            yield n, next(csv.reader([line]))


# Tables whose rows are language by language (the instruments table is one row an instrument).
LANGUAGE_TABLES = [t for t in TABLES if "lang" in next(_csv_rows(t), (0, []))[1]]


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A data directory of the test's own, with the loader's caches emptied before and after."""
    for fn in (vocab.entries, vocab.words, vocab.table):
        fn.cache_clear()
    monkeypatch.setattr(vocab, "DATA_DIR", tmp_path)
    yield tmp_path
    for fn in (vocab.entries, vocab.words, vocab.table):
        fn.cache_clear()


def test_every_language_directory_has_the_same_file_names() -> None:
    names = {d.name: sorted(f.name for f in d.iterdir()) for d in LANGUAGE_DIRS}
    assert set(vocab.LANGUAGES) <= set(names), names.keys()
    first = names[vocab.LANGUAGES[0]]
    assert first and all(f.endswith(".txt") for f in first)
    for lang, files in names.items():
        assert files == first, (lang, sorted(set(files) ^ set(first)))


@pytest.mark.parametrize("path", LIST_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_list_parses_without_duplicates_or_stray_white_space(path: Path) -> None:
    text = path.read_bytes().decode("utf-8")  # raises on bad UTF-8
    lines = text.split("\n")
    assert text.endswith("\n"), f"{path}: no line end at the end"
    seen: set[str] = set()
    for n, line in enumerate(lines[:-1], 1):
        where = f"{path}:{n}"
        assert line == line.strip() or line.lstrip().startswith("#"), f"{where}: white space around {line!r}"
        assert "\t" not in line and "\r" not in line, where
        entry = line.split("#", 1)[0].strip()
        if not entry:
            continue
        assert not re.search(r"\s{2}|[^\S ]", entry), f"{where}: odd white space in {entry!r}"
        assert entry not in seen, f"{where}: {entry!r} twice"
        seen.add(entry)
    assert seen or any(line.startswith("#") for line in lines), f"{path}: an empty list says why in a comment"
    assert vocab.entries(path.parent.name, path.stem) == tuple(
        e for e in (x.split("#", 1)[0].strip() for x in lines) if e)


@pytest.mark.parametrize("path", TABLES, ids=lambda p: p.name)
def test_every_table_has_its_header_and_the_right_number_of_cells(path: Path) -> None:
    rows = list(_csv_rows(path))
    assert rows, f"{path}: no header"
    header = rows[0][1]
    assert all(h and h == h.strip() for h in header) and len(set(header)) == len(header), f"{path}: header {header}"
    for n, cells in rows[1:]:
        assert len(cells) == len(header), f"{path}:{n}: {len(cells)} cells, the header has {len(header)}"
        assert all(c == c.strip() for c in cells), f"{path}:{n}: white space around a cell"
    assert len(vocab.table(path.stem)) == len(rows) - 1


def test_tables_have_a_language_column_except_the_instruments() -> None:
    # The instruments and the place gazetteer name things of no language.
    assert {t.stem for t in TABLES} - {t.stem for t in LANGUAGE_TABLES} == {"ilo_instruments", "places"}


@pytest.mark.parametrize("path", LANGUAGE_TABLES, ids=lambda p: p.name)
def test_language_tables_name_a_language_on_each_row_and_repeat_no_row(path: Path) -> None:
    rows = vocab.table(path.stem)
    langs = {r["lang"] for r in rows}
    # An ISO 639-1 code, `*` (written alike in every language) or `other` (countries: another language).
    assert all(re.fullmatch(r"[a-z]{2}", lang) or lang in (EVERY_LANGUAGE, "other") for lang in langs), langs
    if path.stem == "other_function_words":  # the languages without a directory of their own
        assert langs and not langs & {d.name for d in LANGUAGE_DIRS}
    elif path.stem not in ("countries", "month_names"):  # month names: every language Blogger writes dates in
        assert langs <= {*vocab.LANGUAGES, EVERY_LANGUAGE}, langs
    keys = [tuple(r.values()) for r in rows]
    assert len(keys) == len(set(keys)), [k for k in keys if keys.count(k) > 1]


# What the rules accept in each column of the figures and conventions tables.
YES_NO = {"yes", "no"}
COLUMNS = {
    "units": {"kind": {"currency", "time", "percent", "count"}, "position": {"after", "either", "suffix"}},
    "magnitudes": {"after_digits": {"abbrev", "after_sign", "word", "no"}, "after_words": YES_NO},
    "number_words": {"kind": {"unit", "ten", "multiplier", "one", "dozen", "joiner", "half_before", "and_half"}},
    "plural_magnitudes": {"kind": {"head", "lead"}},
    "qualifiers": {"approx": YES_NO},
    "instrument_words": {"kind": {"convention", "recommendation", "protocol"}, "title": YES_NO},
}


@pytest.mark.parametrize("name", sorted(COLUMNS))
def test_table_cells_are_values_the_rules_read(name: str) -> None:
    for row in vocab.table(name):
        for column, allowed in COLUMNS[name].items():
            assert row[column] in allowed, (name, row)
        if "value" in row and not (name == "number_words" and row["kind"] == "joiner"):
            assert float(row["value"]) >= 0, (name, row)
    if name == "units":  # the currency codes are ISO 4217 codes; time units and percent are English
        assert all(re.fullmatch(r"[A-Z]{3}", r["unit"]) for r in vocab.table(name) if r["kind"] == "currency")
        # A counted noun's unit is an English plural in lower case, but acronyms ("NGOs") and peoples ("Belgians").
        english = re.compile(r"[a-z][a-z -]*|[A-Z]+-?[a-zA-Z]*s|[A-Z][a-z]+(?: [a-z]+)?")  # demonyms: Belgians
        assert [r for r in vocab.table(name) if r["kind"] == "count" and not english.fullmatch(r["unit"])] == []


def test_share_fractions_are_fractions_below_one() -> None:
    for row in vocab.table("shares"):
        assert 0 < Fraction(row["fraction"]) < 1, row


def test_month_names_mean_one_month_each_and_page_classes_have_known_roles() -> None:
    months: dict[str, str] = {}
    for row in vocab.table("month_names"):
        assert 1 <= int(row["month"]) <= 12, row
        assert months.setdefault(row["name"].lower(), row["month"]) == row["month"], row
    roles = {"block", "mobile_block", "fallback_block", "header", "body", "body_fallback", "summary", "jump", "title",
             "labels", "timestamp", "author", "boilerplate"}
    for row in vocab.table("page_classes"):
        assert row["role"] in roles and row["match"] in {"word", "part", "substring"} and row["lang"] == "*", row
        assert row["name"] == row["name"].lower(), row


def test_data_readme_documents_every_list_and_table() -> None:
    readme = (DATA_DIR / "README.md").read_text(encoding="utf-8")
    for name, stem in sorted({(f.name, f.stem) for f in [*LIST_FILES, *TABLES]}):
        assert f"`{name}`" in readme or f"`{stem}`" in readme, name


def test_missing_list_is_an_error_naming_the_file(data_dir: Path) -> None:
    (data_dir / "en").mkdir()
    with pytest.raises(InputError, match=re.escape(str(data_dir / "en" / "nothing.txt"))):
        vocab.entries("en", "nothing")
    with pytest.raises(InputError, match=re.escape(str(data_dir / "nothing.csv"))):
        vocab.table("nothing")


def test_list_not_in_utf8_is_an_error_naming_the_file(data_dir: Path) -> None:
    (data_dir / "nl").mkdir()
    (data_dir / "nl" / "latin1.txt").write_bytes("# comment\ncafé\n".encode("latin-1"))
    with pytest.raises(InputError, match=re.escape(str(data_dir / "nl" / "latin1.txt")) + ": not UTF-8"):
        vocab.entries("nl", "latin1")
    (data_dir / "latin1.csv").write_bytes("lang,word\nfr,café\n".encode("latin-1"))
    with pytest.raises(InputError, match=re.escape(str(data_dir / "latin1.csv")) + ": not UTF-8"):
        vocab.table("latin1")


def test_table_row_with_a_wrong_cell_count_is_an_error_naming_file_and_line(data_dir: Path) -> None:
    (data_dir / "short.csv").write_text("# a table\nlang,word,unit\nen,people,people\n\nnl,mensen\n", encoding="utf-8")
    with pytest.raises(InputError, match=re.escape(f"{data_dir / 'short.csv'}:5: 2 cells, the header has 3")):
        vocab.table("short")


def test_lists_skip_comments_and_blank_lines_and_unite_languages(data_dir: Path) -> None:
    for lang, body in (("en", "# header\nover  # comment\n\nabout\n"), ("nl", "# header\nruim\nover\n")):
        (data_dir / lang).mkdir()
        (data_dir / lang / "q.txt").write_text(body, encoding="utf-8")
    assert vocab.entries("en", "q") == ("over", "about")
    assert vocab.words("q", ("en", "nl")) == {"over", "about", "ruim"}


def test_a_key_given_two_values_is_an_error_naming_the_table(data_dir: Path) -> None:
    (data_dir / "units.csv").write_text("lang,word,unit\nen,tk,BDT\nnl,Tk,INR\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"units\.csv: 'tk' is given both 'BDT' and 'INR'"):
        mapping("units", lambda r: r["word"].lower(), lambda r: r["unit"])


def test_alternation_takes_entries_literally_and_tries_the_longest_first() -> None:
    rx = re.compile(rf"(?:{alternation(['Sep', 'Sept', 'US$', 'Tk.'])})")
    assert rx.match("Sept.").group(0) == "Sept"
    assert rx.fullmatch("US$") and rx.fullmatch("Tk.") and not rx.fullmatch("Tkx")
    assert alternation(["b", "a", "ab"]) == alternation(["ab", "a", "b"]) == "ab|a|b"  # whatever the input order
    spaced = re.compile(alternation(["per cent"], space=r"\s?", boundary=True))
    assert spaced.match("percent") and spaced.match("per\ncent") and not spaced.match("per cents")
    assert alternation(["%"], boundary=True) == "%"  # no word end after a sign


def test_capitalised_entries_match_either_initial_and_others_as_written() -> None:
    def rx(entry: str) -> re.Pattern[str]:
        return re.compile(capitalised_either(entry))

    assert rx("Convention").fullmatch("convention") and rx("Convention").fullmatch("Convention")
    assert not rx("Convention").fullmatch("CONVENTION")
    assert rx("Labour Standards").fullmatch("labour Standards") and rx("ILO").fullmatch("ILO")
    assert not rx("ILO").fullmatch("ilo") and not rx("track").fullmatch("Track")
    assert rx("Ratif*").fullmatch("ratifications") and rx("Ratif*").fullmatch("Ratifié")
