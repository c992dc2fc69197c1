"""Knowledge base of organisations: the shipped file is valid and covers the field; bad files fail clearly."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.errors import InputError
from pipeline.kb import COUNTRY_CODES, KB_FILE, TYPES, alias_key, is_acronym, load_kb, normalise_name, parse_kb

ENTRY = """
[[org]]
id = "{id}"
name = "{name}"
acronyms = {acronyms}
type = "{type}"
country = "{country}"
{extra}
"""


def entry(id: str = "tea", name: str = "Tea Workers Union", acronyms: str = '["TWU"]', type: str = "trade_union",
          country: str = "LK", extra: str = "") -> str:
    return ENTRY.format(id=id, name=name, acronyms=acronyms, type=type, country=country, extra=extra)


def test_shipped_kb_is_large_and_well_formed() -> None:
    kb = load_kb()
    assert len(kb) >= 200
    assert len({e.id for e in kb}) == len(kb)
    assert {e.type for e in kb} <= TYPES
    assert all(e.country == "international" or e.country in COUNTRY_CODES for e in kb)
    assert all(e.parent is None or kb.get(e.parent) is not None for e in kb)
    assert all(is_acronym(a) or " " in a for e in kb for a in e.acronyms), "acronyms are written as acronyms"


def test_no_form_names_two_entries_unless_both_mark_it_shared() -> None:
    owners: dict[str, set[str]] = {}
    for e in load_kb():
        for form in e.surfaces():
            owners.setdefault(alias_key(form), set()).add(e.id)
    kb = load_kb()
    for key, ids in owners.items():
        if len(ids) > 1:
            for i in ids:
                assert any(alias_key(f) == key for f in kb.get(i).shared), (key, ids)


def test_ambiguous_forms_have_context() -> None:
    for e in load_kb():
        if e.ambiguous:
            assert e.context_terms(), e.id


@pytest.mark.parametrize("form,expected", [
    ("ILO", "ilo"), ("BIT", "ilo-office"), ("Bureau international du Travail", "ilo-office"),
    ("Committee on the Application of Standards", "ilo-cas"), ("CEACR", "ilo-ceacr"),
    ("Committee on Freedom of Association", "ilo-cfa"), ("ILO Governing Body", "ilo-governing-body"),
    ("ITUC", "ituc"), ("ITUC Asia Pacific", "ituc-ap"), ("IndustriALL", "industriall"), ("UNI", "uni"),
    ("BWI", "bwi"), ("IUF", "iuf"), ("PSI", "psi"), ("ITF", "itf"), ("EI", "ei"), ("IFJ", "ifj"), ("IDWF", "idwf"),
    ("WSM", "wsm"), ("World Solidarity", "wsm"), ("Wereldsolidariteit", "wsm"), ("Solidarité Mondiale", "wsm"),
    ("WS", "wsm"), ("ACV", "acv-csc"), ("CSC", "acv-csc"), ("CM-MC", "cm-mc"), ("ABVV", "abvv-fgtb"),
    ("DGD", "dgd"), ("FNV", "fnv"), ("CNV", "cnv"), ("Mondiaal FNV", "mondiaal-fnv"), ("Oxfam", "oxfam"),
    ("11.11.11", "11-11-11"), ("Clean Clothes Campaign", "ccc"), ("Schone Kleren Campagne", "ccc"),
    ("Fair Wear", "fair-wear"), ("achACT", "achact"), ("UNICEF", "unicef"), ("UN Women", "un-women"),
    ("ESCAP", "escap"), ("ASEAN", "asean"), ("ADB", "adb"), ("World Bank", "world-bank"), ("IMF", "imf"),
    ("European Commission", "european-commission"), ("GK", "gk"), ("BILS", "bils"), ("NGWF", "ngwf"),
    ("OSHE", "oshe"), ("Karmojibi Nari", "karmojibi-nari"), ("CLC", "clc"), ("CCAWDU", "ccawdu"),
    ("IDEA", "idea-kh"), ("CENTRAL", "central-kh"), ("LICADHO", "licadho"), ("AREDS", "areds"),
    ("National Domestic Workers Movement", "ndwm"), ("HMS", "hms"), ("SEWA", "sewa"), ("WIEGO", "wiego"),
    ("KSBSI", "ksbsi"), ("KSPI", "kspi"), ("GEFONT", "gefont"), ("JTUCC", "jtucc"), ("FFW", "ffw"),
    ("TUCP", "tucp"), ("SENTRO", "sentro"), ("VGCL", "vgcl"), ("MTUC", "mtuc"), ("CTUM", "ctum"),
    ("HKCTU", "hkctu"), ("AMRC", "amrc"), ("IYCW", "iycw"), ("YCW-ASPAC", "ycw-aspac"), ("SAARC", "saarc"),
    ("Asia Floor Wage Alliance", "afwa"), ("AROSP", "arosp"), ("SP4ALL", "sp4all"), ("GCSPF", "gcspf"),
    ("INSP!R", "inspr"), ("INSP!R Asia", "inspr-asia"), ("H&M", "hm"), ("Inditex", "inditex"),
    ("Primark", "primark"), ("The Guardian", "guardian"), ("BBC", "bbc"), ("Al Jazeera", "al-jazeera"),
    ("Medialaan", "medialaan"),
])
def test_the_field_is_covered(form: str, expected: str) -> None:
    assert expected in {e.id for e in load_kb().lookup(form)}


def test_lookup_is_case_sensitive_for_acronyms_only() -> None:
    kb = load_kb()
    assert [e.id for e in kb.lookup("CLC")] == ["clc"]
    assert kb.lookup("clc") == ()
    assert [e.id for e in kb.lookup("the cambodian labour confederation")] == ["clc"]


def test_shared_acronym_lists_both_organisations() -> None:
    assert {e.country for e in load_kb().lookup("NTUC")} == {"NP", "SG"}


def test_helpers() -> None:
    assert is_acronym("ACV-CSC") and is_acronym("MoLVT") and is_acronym("INSP!R") and is_acronym("H&M")
    assert not is_acronym("IndustriALL") and not is_acronym("PhilHealth") and not is_acronym("Oxfam")
    assert normalise_name("The Guardian") == normalise_name("guardian") == "guardian"
    assert alias_key("CLC") == "CLC" and alias_key("Cambodian Labour Confederation") == "cambodianlabourconfederation"


def test_a_minimal_file_parses_with_aliases_by_language() -> None:
    kb = parse_kb(entry(extra='aliases.en = ["Tea Union"]\naliases.nl = ["Theebond"]\nunsure = true'))
    (e,) = kb
    assert (e.id, e.acronym, e.unsure) == ("tea", "TWU", True)
    assert e.aliases == (("en", "Tea Union"), ("nl", "Theebond"))
    assert [x.id for x in kb.lookup("theebond")] == ["tea"]


@pytest.mark.parametrize("text,message", [
    ("[[org]\nid = 1", r"kb\.toml: not valid TOML"),
    ("title = 'x'", r"no \[\[org\]\] entries"),
    (entry(type="planet"), r"org #1 \(tea\): unknown type 'planet'"),
    (entry(country="Belgium"), r"country 'Belgium' is neither an ISO 3166 alpha-2 code"),
    (entry(id="Tea Union"), r"id must be a lower-case slug"),
    (entry() + entry(name="Other"), r"org #2: duplicate id 'tea'"),
    (entry() + entry(id="tea2", name="Tea Union of Lanka"), r"'TWU' names tea, tea2; list it under 'shared'"),
    (entry() + entry(id="tea2", name="Tea Workers' Union", acronyms="[]"),
     r"'teaworkersunion' names tea, tea2"),
    (entry(extra='parent = "nobody"'), r"parent 'nobody' is not an id"),
    (entry(extra='parent = "tea"'), r"parent chain of 'tea' loops"),
    (entry(extra='colour = "red"'), r"unknown key\(s\) colour"),
    (entry(extra='ambiguous = ["TEA"]'), r"'ambiguous' lists TEA, which is not a form of the entry"),
    (entry(extra='aliases.english = ["Tea"]'), r"alias language 'english' must be a two-letter code"),
    (entry(acronyms='"TWU"'), r"'acronyms' must be a list of non-empty strings"),
    (entry(name=""), r"'name' is required"),
])
def test_bad_files_fail_naming_the_entry(text: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        parse_kb(text, "kb.toml")


def test_shared_forms_are_allowed_when_both_entries_say_so() -> None:
    kb = parse_kb(entry(extra='shared = ["TWU"]') + entry(id="tea2", name="Tea Union of Lanka",
                                                            extra='shared = ["TWU"]'))
    assert {e.id for e in kb.lookup("TWU")} == {"tea", "tea2"}


def test_missing_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="organisations knowledge base not found"):
        load_kb.__wrapped__(tmp_path / "nowhere.toml")


def test_shipped_file_is_where_the_loader_looks() -> None:
    assert KB_FILE.name == "organisations.toml" and KB_FILE.is_file()
