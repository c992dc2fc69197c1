"""Countries: names and demonyms in English, Dutch and French, the ambiguity rules, offsets, shared forms, the
country of a figure's or organisation mention's sentence, the data table and the export table.

Every sentence is invented for these tests."""

from __future__ import annotations

import csv
import sqlite3
from pathlib import Path

import pytest

from pipeline import export
from pipeline.config import DATA_DIR
from pipeline.errors import InputError
from pipeline.extract import Extractor
from pipeline.extract.countries import finalize, find_countries, forms
from pipeline.extract.countries.forms import build_forms, check_rows, key
from pipeline.jsonl import dumps
from pipeline.kb import COUNTRY_CODES, load_countries
from pipeline.records import CountryMention, Paragraph, Post
from pipeline.vocab import table


def codes(text: str, orgs: list[tuple[int, int]] | None = None) -> list[str]:
    """The codes of the mentions found in a text, in text order (the default code of a shared form)."""
    return [f.form.codes[0] for f in find_countries(text, orgs or [])]


def surfaces(text: str) -> list[str]:
    return [text[f.start:f.end] for f in find_countries(text)]


@pytest.fixture(scope="module")
def nlps(blank_pipelines):
    return blank_pipelines("conventions", "organisations", "figures", "countries")


# ---------------------------------------------------------------- names and demonyms, three languages

@pytest.mark.parametrize("text, expected", [
    ("Migrant workers from Nepal travel to Malaysia and Qatar.", ["NP", "MY", "QA"]),
    ("Arbeiders uit Nepal werken in Maleisië en Saoedi-Arabië.", ["NP", "MY", "SA"]),
    ("Des ouvriers du Népal travaillent en Malaisie et en Arabie saoudite.", ["NP", "MY", "SA"]),
    ("Nepali drivers and a Cambodian union met Filipino nurses.", ["NP", "KH", "PH"]),
    ("Two Nepalis, three Bangladeshis and many Indonesians signed.", ["NP", "BD", "ID"]),
    ("De Cambodjaanse vakbond steunt Nepalese en Bengaalse arbeidsters.", ["KH", "NP", "BD"]),
    ("Honderd Nepalezen en Cambodjanen protesteerden.", ["NP", "KH"]),
    ("Les ouvrières bangladaises et un syndicat cambodgien manifestent.", ["BD", "KH"]),
    ("Les Bangladais et les travailleuses népalaises attendent.", ["BD", "NP"]),
    ("Une entreprise indienne paie des salariés thaïlandais.", ["IN", "TH"]),
])
def test_names_and_demonyms_in_three_languages(text: str, expected: list[str]) -> None:
    assert codes(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("Burma, now Myanmar, and the Philippines", ["MM", "MM", "PH"]),
    ("East Timor, also called Timor-Leste or Timor Leste", ["TL", "TL", "TL"]),
    ("cocoa from Côte d'Ivoire, Côte d’Ivoire and Ivory Coast", ["CI", "CI", "CI"]),
    ("workers in the UAE, the UK, the U.K., the USA and the U.S. too", ["AE", "GB", "GB", "US", "US"]),
    ("a union from Holland visited the Netherlands", ["NL", "NL"]),
    ("NEPAL: CAMBODIAN WORKERS WIN", ["NP", "KH"]),
    ("Papua New Guinea and Guinea-Bissau, not Guinea Bissau's neighbour Guinea", ["PG", "GW", "GW", "GN"]),
    ("the People's Republic of China and Taiwan", ["CN", "TW"]),
    ("South Sudan split from Sudan; Zuid-Sudan", ["SS", "SD", "SS"]),
    ("Nepal-based unions and Nepal's government", ["NP", "NP"]),
])
def test_alternative_names_and_longest_forms(text: str, expected: list[str]) -> None:
    assert codes(text) == expected


def test_whole_words_only_and_case() -> None:
    assert codes("Nepalgunj, Indiana, Chinatown and Omani, ndia") == ["OM"]
    assert codes("they served turkey and china clay to a guinea pig") == []
    assert codes("Turkey and China ratified; a Guinea pig is no Guinean") == ["TR", "CN", "GN"]
    assert codes("help us, tell us") == [] and codes("the US and us") == ["US"]


# ---------------------------------------------------------------- ambiguity

@pytest.mark.parametrize("text, expected", [
    # languages
    ("The report is available in English and Khmer, by the union.", []),
    ("The English version follows. Read it in Thai.", []),
    ("French-speaking delegates and Dutch-language papers", []),
    ("We had Thai food before the Khmer lessons.", []),
    ("Press release (English) and summary [Khmer]", []),
    ("She speaks Nepali and Bengali fluently.", []),
    ("Scroll down for English; translated from Khmer.", []),
    ("Aid for Thai workers came from Burmese unions.", ["TH", "MM"]),
    ("Conditions in Thai factories and in Burmese mines", ["TH", "MM"]),
    ("The French government and the Dutch union answered the English court.", ["FR", "NL", "GB"]),
    ("Thai and Cambodian workers crossed the border.", ["TH", "KH"]),
    ("De Engelse versie volgt; het is vertaald naar het Nederlands.", []),
    ("De Engelse regering en een Nederlands bedrijf", ["GB", "NL"]),
    ("Le texte existe en anglais et la version française suit.", []),
    ("Le gouvernement français et un syndicat anglais ont signé.", ["FR", "GB"]),
    ("Les Anglais et les Français ont voté; la langue anglaise et la cuisine thaïe.", ["GB", "FR"]),
    # regions, currencies, things
    ("the Indian Ocean, American Indians, Latin America and Latin American unions", []),
    ("South America, the West Indies and New Guinea", []),
    ("L'Amérique latine et les syndicats sud-américains; Latijns Amerika en Zuid-Amerika", []),
    ("a wage of US$ 200, or 200 US dollars", []),
    ("the Niger Delta and Benin City are in Nigeria", ["NG"]),
    # people and other places
    ("Fans of Michael Jordan cheered when drummer Chad Smith played at Georgia Tech.", []),
    ("Jordan Peterson wrote; the University of Georgia answered.", []),
    ("Garment workers in Jordan, refugees in Chad and Georgia's miners", ["JO", "TD", "GE"]),
    ("Migrant Workers In Jordan Face New Rules", ["JO"]),
    ("Migrant Workers in Jordan Face New Rules", ["JO"]),
    ("Tom Holland is an actor; Holland is a region.", ["NL"]),
    # a pronoun written in capitals
    ("HELP US NOW", []),
    ("JOIN US: the US and UK unions", ["US", "GB"]),
])
def test_ambiguity_rules(text: str, expected: list[str]) -> None:
    assert codes(text) == expected


def test_a_form_inside_an_organisation_counts_once_and_is_marked() -> None:
    text = "Jordan Garment Union and Clean Clothes Campaign Bangladesh visited the Dutch embassy."
    names = ("Jordan Garment Union", "Clean Clothes Campaign Bangladesh")
    orgs = [(text.index(o), text.index(o) + len(o)) for o in names]
    found = find_countries(text, orgs)
    assert [(text[f.start:f.end], f.form.codes[0], f.organisation) for f in found] == [
        ("Jordan", "JO", True), ("Bangladesh", "BD", True), ("Dutch", "NL", False)]
    # Without the organisation's span, "Jordan" next to a capitalised word is a person's name.
    assert codes(text) == ["BD", "NL"]


def test_the_pipeline_marks_forms_inside_organisation_names(nlps) -> None:
    text = "The Cambodian Labour Confederation met workers in Cambodia."
    doc = nlps["en"](text)
    orgs = [(o.start, o.end) for o in doc._.organisations]
    mentions = doc._.countries
    assert [(m.text, m.code) for m in mentions] == [("Cambodian", "KH"), ("Cambodia", "KH")]
    assert mentions[0].organisation and any(s <= mentions[0].start and mentions[0].end <= e for s, e in orgs)
    assert not mentions[1].organisation
    assert all(text[m.start:m.end] == m.text and m.text in m.sentence for m in mentions)


# ---------------------------------------------------------------- shared forms

def mention(text: str, start: int = 0) -> CountryMention:
    form = forms().lookup(text)
    assert form is not None, text
    return CountryMention(text=text, start=start, end=start + len(text), sentence=text, code=form.codes[0],
                          kind=form.kind, ambiguous=len(form.codes) > 1)


def post_countries(*texts: str) -> list[tuple[str, str, list[bool]]]:
    post = Post(id="p", url="", date="", title="", text=" ".join(texts))
    out = finalize(post, [mention(t, 10 * i) for i, t in enumerate(texts)])["countries"]
    return [(c.code, c.name, [m.ambiguous for m in c.mentions]) for c in out]


def test_shared_forms_take_the_country_the_post_names_otherwise() -> None:
    assert post_countries("Congo") == [("CD", "Democratic Republic of the Congo", [True])]
    assert post_countries("Congo", "Republic of the Congo") == [("CG", "Republic of the Congo", [False, False])]
    assert post_countries("DRC", "Congolese") == [("CD", "Democratic Republic of the Congo", [False, False])]
    assert post_countries("Korea") == [("KR", "Korea", [True])]
    assert post_countries("North Korea", "Korean") == [("KP", "North Korea", [False, False])]
    # Both named: nothing tells, so the usual country, still ambiguous.
    assert post_countries("South Korea", "North Korea", "Korea") == [
        ("KR", "Korea", [False, True]), ("KP", "North Korea", [False])]


# ---------------------------------------------------------------- the whole chain: offsets and attachment

@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor(batch_size=4)


def extract(extractor: Extractor, title: str, text: str, lang: str = "en"):
    post = Post(id="c1", url="", date="2024-01-01", title=title, text=text, language=lang,
                paragraphs=[Paragraph(0, len(text), lang)])
    return post, extractor.process([post])[0][1]


def test_offsets_and_grouping_by_country(extractor: Extractor) -> None:
    title = "Nepali workers in Qatar"
    text = ("Nepali workers in Qatar earn 900 riyals a month.\n\nThe General Federation of Nepalese Trade Unions "
            "asked Qatar and Nepal to act. Many Nepalis returned.")
    post, rec = extract(extractor, title, text)
    assert [(c.code, c.name, len(c.mentions)) for c in rec.countries] == [("NP", "Nepal", 5), ("QA", "Qatar", 3)]
    for c in rec.countries:
        for m in c.mentions:
            assert getattr(post, m.field)[m.start:m.end] == m.text and m.text in m.sentence
    assert [m.field for m in rec.countries[0].mentions][:2] == ["title", "text"]
    assert any(m.organisation for m in rec.countries[0].mentions)


def test_figures_and_organisation_mentions_get_the_one_country_of_their_sentence(extractor: Extractor) -> None:
    text = ("In Cambodia 300 workers joined the Cambodian Labour Confederation. "
            "In Thailand and Laos 40 factories closed. The ILO counted 12 inspectors.")
    _, rec = extract(extractor, "", text)
    by_value = {f.value: f.country for f in rec.figures}
    assert by_value == {300.0: "KH", 40.0: None, 12.0: None}
    mentions = {m.text: m.country for o in rec.organisations for m in o.mentions}
    assert mentions["Cambodian Labour Confederation"] == "KH" and mentions["ILO"] is None


def test_dutch_and_french_posts(extractor: Extractor) -> None:
    _, rec = extract(extractor, "", "In Bangladesh verdienen 4 miljoen Bengaalse arbeiders te weinig.", "nl")
    assert [c.code for c in rec.countries] == ["BD"] and rec.figures[0].country == "BD"
    _, rec = extract(extractor, "", "Au Népal, 500 travailleuses népalaises ont manifesté.", "fr")
    assert [(c.code, len(c.mentions)) for c in rec.countries] == [("NP", 2)]


# ---------------------------------------------------------------- the export table

def test_post_countries_table_and_country_columns(extractor: Extractor, tmp_path: Path) -> None:
    post, rec = extract(extractor, "Workers in Nepal", "In Nepal 20 unions met. Qatar and India sent 3 envoys.")
    pp, rp = tmp_path / "posts.jsonl", tmp_path / "records.jsonl"
    pp.write_text(dumps(post.to_dict()) + "\n", encoding="utf-8")
    rp.write_text(dumps(rec.to_dict()) + "\n", encoding="utf-8")
    summary = export.export_corpus(rp, pp, tmp_path / "out")
    assert summary.rows["post_countries"] == 3
    with (tmp_path / "out" / "tables" / "post_countries.csv").open(encoding="utf-8", newline="") as fh:
        got = [(r["post_id"], r["country"], r["name"], r["n_mentions"]) for r in csv.DictReader(fh)]
    assert got == [("c1", "NP", "Nepal", "2"), ("c1", "QA", "Qatar", "1"), ("c1", "IN", "India", "1")]
    with (tmp_path / "out" / "tables" / "figures.csv").open(encoding="utf-8", newline="") as fh:
        assert {r["text"]: r["country"] for r in csv.DictReader(fh)} == {"20 unions": "NP", "3 envoys": ""}
    con = sqlite3.connect(tmp_path / "out" / "corpus.sqlite")
    try:
        assert con.execute("SELECT country, n_mentions FROM post_countries WHERE post_id = 'c1' ORDER BY country"
                           ).fetchall() == [("IN", 1), ("NP", 2), ("QA", 1)]
        with pytest.raises(sqlite3.IntegrityError):  # one row per post and country
            con.execute("INSERT INTO post_countries VALUES ('c1', 'NP', 'Nepal', 1)")
        assert "country" in [r[1] for r in con.execute("PRAGMA table_info(organisation_mentions)")]
    finally:
        con.close()


# ---------------------------------------------------------------- the data

def test_the_table_covers_every_iso_code_in_three_languages() -> None:
    rows = table("countries")
    assert {r["code"] for r in rows} == COUNTRY_CODES
    for lang in ("en", "nl", "fr"):
        # A form shared with English is listed once, under English: Dutch or French may have no row of their own.
        named = {r["code"] for r in rows if r["lang"] == lang}
        assert len(named) > (240 if lang == "en" else 150), lang
    all_forms = {r["form"] for r in rows}
    for form in ("Cambodjaanse", "bangladais", "bangladaise", "bangladaises", "Nepalis", "Burma", "Timor-Leste",
                 "East Timor", "Côte d'Ivoire", "UAE", "U.K.", "U.S.", "USA", "Emirati", "Kuwaiti", "Omani"):
        assert form in all_forms, form
    assert len(rows) > 2000 and len(forms().by_variant) > len(rows)


def test_the_organisations_rules_read_the_rows_they_read_before() -> None:
    org_rows = [r for r in table("countries") if r["org"] == "yes"]
    assert [f for names in load_countries().values() for f in names] == [
        f for code in load_countries() for f in [r["form"] for r in org_rows if r["code"] == code]]
    assert "Kenya" not in {f for names in load_countries().values() for f in names}


@pytest.mark.parametrize("row, message", [
    ({"code": "XX", "lang": "en", "kind": "name", "form": "Xland", "org": "no", "tags": ""}, "not an ISO 3166"),
    ({"code": "BE", "lang": "en", "kind": "name", "form": "Belgium", "org": "maybe", "tags": ""}, "org 'maybe'"),
    ({"code": "BE", "lang": "en", "kind": "name", "form": "Belgium", "org": "no", "tags": "food"}, "unknown tag"),
    ({"code": "BE", "lang": "nl", "kind": "name", "form": "België", "org": "no", "tags": ""}, "English name"),
    ({"code": "BE", "lang": "en", "kind": "name", "form": " Belgium", "org": "no", "tags": ""}, "white space"),
])
def test_bad_rows_are_named(row: dict[str, str], message: str) -> None:
    with pytest.raises(InputError, match=rf"countries\.csv: data row 1 .*{message}"):
        check_rows([row], "countries.csv")


def test_a_form_of_two_countries_must_say_which_is_usual() -> None:
    rows = [{"code": c, "lang": "en", "kind": "name", "form": f, "org": "no", "tags": t}
            for c, f, t in (("CD", "Congo", ""), ("CG", "Congo-Brazzaville", ""), ("CG", "Congo", ""))]
    with pytest.raises(InputError, match="'Congo' is a form of CD, CG: tag all its rows but one 'secondary'"):
        build_forms(rows, "countries.csv")
    rows[2]["tags"] = "secondary"
    by_form, names = build_forms(rows, "countries.csv")
    assert by_form["Congo"].codes == ("CD", "CG") and names == {"CD": "Congo", "CG": "Congo-Brazzaville"}


def test_every_shared_form_in_the_table_has_a_usual_country() -> None:
    shared = {f.form: f.codes for f in forms().by_variant.values() if len(f.codes) > 1}
    assert shared["Congo"][0] == "CD" and shared["Korea"][0] == "KR" and shared["Dominican"][0] == "DO"


def test_variants_are_normalised_alike() -> None:
    assert key("Timor -  Leste") == key("Timor Leste") == "Timor Leste" and key("Côte d’Ivoire") == "Côte d'Ivoire"
    assert (DATA_DIR / "countries.csv").is_file()


def test_the_export_says_how_many_mentions_were_ambiguous(extractor: Extractor, tmp_path: Path,
                                                          caplog: pytest.LogCaptureFixture) -> None:
    post, rec = extract(extractor, "", "Miners in Congo and in Korea went on strike.")
    assert [(c.code, [m.ambiguous for m in c.mentions]) for c in rec.countries] == [("CD", [True]), ("KR", [True])]
    pp, rp = tmp_path / "posts.jsonl", tmp_path / "records.jsonl"
    pp.write_text(dumps(post.to_dict()) + "\n", encoding="utf-8")
    rp.write_text(dumps(rec.to_dict()) + "\n", encoding="utf-8")
    with caplog.at_level("WARNING", logger="pipeline.export"):
        export.export_corpus(rp, pp, tmp_path / "out")
    assert "2 country mentions name several countries" in caplog.text
