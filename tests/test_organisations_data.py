"""The organisations package's vocabularies as data (pipeline/data/<lang>/org_*.txt, countries.csv) and its layout."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

import pipeline.vocab as vocab
from pipeline.config import DATA_DIR
from pipeline.errors import InputError
from pipeline.extract.organisations import vocabulary as v
from pipeline.extract.organisations.classify import guess_country, guess_type
from pipeline.extract.organisations.heads import is_head
from pipeline.kb import TYPES, country_names, load_countries, table

PACKAGE = Path(v.__file__).parent


def org_lists(lang: str) -> set[str]:
    return {p.stem for p in (DATA_DIR / lang).glob("org_*.txt")}


def test_every_language_has_the_same_organisation_lists() -> None:
    names = org_lists("en")
    assert len(names) >= 30
    assert all(org_lists(lang) == names for lang in vocab.LANGUAGES)


def test_every_list_is_read_by_the_rules() -> None:
    """A file nobody reads is a list a linguist would edit in vain."""
    source = "\n".join(p.read_text(encoding="utf-8") for p in PACKAGE.glob("*.py"))
    assert [n for n in sorted(org_lists("en")) if f'"{n}"' not in source] == []


def test_loaded_lists_hold_words_of_each_language() -> None:
    assert {"Confederation", "Vakbond", "Confédération", "Konfederasi"} <= v.FORMAL_HEADS
    assert {"Union", "Network"} <= v.INFORMAL_HEADS and v.HEADS == v.FORMAL_HEADS | v.INFORMAL_HEADS
    assert {"Stichting", "Syndicat", "Serikat"} <= v.HEAD_INITIAL <= v.HEADS
    assert {"Ministry", "Ministerie", "Ministère"} <= v.GOVERNMENT_HEADS
    assert {"SDG", "USD", "VZW", "ASBL"} <= v.NOT_ACRONYMS
    assert {"convention", "verdrag"} <= v.SUPPRESS_AFTER_KB  # read without case
    assert {"the", "de", "l'"} <= v.ARTICLES and {"of", "van", "des"} <= v.EXTEND
    assert {"today", "vandaag", "the", "het"} <= v.LEAD_TRIM  # own words and spaCy's stop words
    assert "ranaplaza" in v.NOT_ORG_PHRASES


def test_entries_are_written_as_their_rules_compare_them() -> None:
    for name in ("org_heads_formal", "org_heads_informal", "org_heads_initial", "org_heads_government",
                 "org_people_nouns", "org_collective_words", "org_not_org_words", "org_event_words", "org_titles",
                 "org_role_words", "org_name_articles", "org_head_followers", "org_branch_heads"):
        assert [w for w in vocab.words(name) if not w[:1].isupper() or " " in w] == [], name
    assert [w for w in v.NOT_ACRONYMS if not w.isupper() or " " in w] == []
    assert [w for w in v.EVENT_NOUNS if not w.islower()] == []
    assert [w for w in v.COMPOUND_TYPES if not w.islower()] == []


def test_types_from_data_are_types_of_the_knowledge_base() -> None:
    assert set(v.TYPE_PRECEDENCE) == TYPES and len(v.TYPE_PRECEDENCE) == len(TYPES)
    assert set(v.COMPOUND_TYPES.values()) <= TYPES
    assert v.HEAD_TYPES["government"] >= {"Ministry", "Ministerie", "Ministère"}


def test_patterns_built_from_the_lists() -> None:
    assert is_head("Arbeidsraad") and is_head("Planbureau") and is_head("Raad") and not is_head("Graad")
    assert guess_type("Algemeen Christelijk Vakverbond") == "union_federation"  # the longest ending: verbond
    assert guess_type("Vlaamse Landbouwbond") == "trade_union"
    assert guess_type("Union Federation of Things") == "union_federation"  # precedence of types
    assert guess_type("Garment Workers Trust") == "ngo" and guess_type("Garment Workers") is None
    assert v.CONNECTOR and v.RUN.fullmatch("Statement Of The Cambodian Labour Confederation")
    assert v.RUN.fullmatch("Confédération Libre des Travailleurs")
    assert v.TITLE_BEFORE.search("said Mevr. ") and not v.TITLE_BEFORE.search("said Mevrouw ")
    assert v.INDEFINITE_BEFORE.search("demand a ") and v.INDEFINITE_BEFORE.search("Een ")
    nl, en = v.CLASSIFIERS["nl"], v.CLASSIFIERS["en"]
    assert nl is not None and nl.search("het Reclamebureau Boondoggle").group("name") == "Boondoggle"
    assert en is not None and en.search("the retailer Joe Fresh").group("name") == "Joe Fresh"


def test_type_of_a_name_with_two_compound_heads_does_not_depend_on_string_hashing() -> None:
    """The first compound head of the name decides, in every process."""
    code = ("from pipeline.extract.organisations.classify import guess_type; "
            "print(guess_type('Boerenbond Planbureau'), guess_type('Planbureau Boerenbond'))")
    outs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                           env={**os.environ, "PYTHONHASHSEED": str(seed)}).stdout for seed in range(6)}
    assert outs == {"trade_union other\n"}


def test_empty_classifier_list_matches_nothing(monkeypatch) -> None:
    monkeypatch.setattr(v, "entries", lambda lang, name: ())
    assert v._classifier("en") is None


def test_typed_entries_name_the_file_of_a_bad_entry(tmp_path: Path, monkeypatch) -> None:
    for lang in vocab.LANGUAGES:
        (tmp_path / lang).mkdir()
        (tmp_path / lang / "org_head_types.txt").write_text("# types\nMinistry government\n", encoding="utf-8")
    (tmp_path / "nl" / "org_head_types.txt").write_text("Ministerie regering\n", encoding="utf-8")
    monkeypatch.setattr(vocab, "DATA_DIR", tmp_path)
    vocab.entries.cache_clear()
    try:
        with pytest.raises(InputError, match=r"nl/org_head_types\.txt: entry 'Ministerie regering'"):
            v.typed_entries("org_head_types")
    finally:
        vocab.entries.cache_clear()


# ---------------------------------------------------------------- countries.csv

def test_country_table_gives_the_country_names() -> None:
    rows = [r for r in table("countries") if r["org"] == "yes"]  # the rows these rules read
    countries = load_countries()
    assert len(rows) == sum(len(forms) for forms in countries.values()) == 165
    assert [r["form"] for r in rows[:3]] == ["Australia", "Australian", "Australië"]
    assert {r["kind"] for r in rows} == {"name", "demonym"} and {r["lang"] for r in rows} <= {"en", "nl", "fr", "other"}
    assert countries["BE"][:2] == ("Belgium", "Belgian") and "Belgique" in countries["BE"]
    first = {}
    for r in rows:
        first.setdefault(r["code"], r)
    assert all((r["lang"], r["kind"]) == ("en", "name") for r in first.values())
    assert guess_country("Cambodian Labour Confederation") == "KH" and guess_country("Vlaamse Vakbond") == "BE"


@pytest.mark.parametrize("row, message", [
    ({"code": "XX", "lang": "en", "kind": "name", "form": "Xland"}, "not an ISO 3166"),
    ({"code": "BE", "lang": "de", "kind": "name", "form": "Belgien"}, "lang 'de'"),
    ({"code": "BE", "lang": "en", "kind": "adjective", "form": "Belgian"}, "kind 'adjective'"),
    ({"code": "BE", "lang": "nl", "kind": "name", "form": "België"}, "must be its English name"),
    ({"code": "BE", "lang": "en", "kind": "name", "form": ""}, "empty form"),
])
def test_country_rows_are_checked(row: dict[str, str], message: str) -> None:
    with pytest.raises(InputError, match=rf"countries\.csv: data row 1 .*{message}"):
        country_names([row], "countries.csv")


# ---------------------------------------------------------------- layout

def imports_of(path: Path) -> set[str]:
    """Modules a file imports, at the top or inside functions."""
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            out.add(node.module)
    return out


def test_package_modules_import_siblings_and_never_the_extraction() -> None:
    """No cycle through pipeline.extract (which loads the extractors), nor through the package itself."""
    root = PACKAGE.parents[2]
    seen: set[str] = set()
    todo = [f"pipeline.extract.organisations.{p.stem}" for p in PACKAGE.glob("*.py") if p.stem != "__init__"]
    for name in todo:
        assert "pipeline.extract.organisations" not in imports_of(root / (name.replace(".", "/") + ".py")), name
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        path = root / (name.replace(".", "/") + ".py")
        if not path.is_file():
            path = root / name.replace(".", "/") / "__init__.py"
        todo += [m for m in imports_of(path) if m.startswith("pipeline")]
    assert "pipeline.extract" not in seen and "pipeline.orgs_cli" not in seen


def test_package_modules_stay_small() -> None:
    sizes = {p.name: len(p.read_text(encoding="utf-8").splitlines()) for p in PACKAGE.glob("*.py")}
    assert len(sizes) >= 10 and max(sizes.values()) < 600, sizes
