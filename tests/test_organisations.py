"""Organisations: recognition in English and Dutch, exclusions, resolution per post, orgs --unknown, seed F1."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
import spacy

from pipeline.cli import main
from pipeline.errors import InputError
from pipeline.evaluate import score
from pipeline.extract import organisations, sentences  # noqa: F401  (register the factories)
from pipeline.extract.organisations import abbreviates, finalize, unknown_organisations
from pipeline.jsonl import read_jsonl
from pipeline.records import Organisation, Post

SHARED = Path(__file__).resolve().parents[2] / "shared" / "eval"


@pytest.fixture(scope="module")
def nlps() -> dict[str, spacy.language.Language]:
    out = {}
    for lang in ("en", "nl"):
        nlp = spacy.blank(lang)
        nlp.add_pipe("sentencizer")
        nlp.add_pipe("organisations")
        out[lang] = nlp
    return out


def entities(nlps, text: str, lang: str = "en") -> list[Organisation]:
    doc = nlps[lang](text)
    post = Post(id="p", url="", date="", title="", text=text, language=lang)
    return finalize(post, doc._.organisations)["organisations"]


def by_name(orgs: list[Organisation]) -> dict[str, Organisation]:
    return {o.name: o for o in orgs}


# ---------------------------------------------------------------- acronym definitions

def test_definition_long_form_first_then_bare_acronym(nlps) -> None:
    text = ("The Garment Workers Solidarity Federation (GWSF) was founded in Gazipur in 2019. Last week GWSF held "
            "a press conference, and the GWSF leaders met the factory owners.")
    (org,) = entities(nlps, text)
    assert (org.id, org.name, org.acronym, org.kb) == ("x-garment-workers-solidarity-federation",
                                                       "Garment Workers Solidarity Federation", "GWSF", False)
    assert [m.text for m in org.mentions] == ["Garment Workers Solidarity Federation", "GWSF", "GWSF", "GWSF"]
    assert org.type == "union_federation"
    for m in org.mentions:
        assert text[m.start:m.end] == m.text and m.text in m.sentence and m.entity == org.id


def test_definition_acronym_first(nlps) -> None:
    text = "Members of PWU (Plantation Workers Union) marched to Colombo. PWU demands a daily wage of 1,700 rupees."
    (org,) = entities(nlps, text)
    assert (org.name, org.acronym) == ("Plantation Workers Union", "PWU") and len(org.mentions) == 3


def test_definition_links_a_translated_name_to_the_knowledge_base(nlps) -> None:
    text = "KSBSI (Confederation of Indonesia Prosperity Trade Union) joined the strike in Jakarta."
    (org,) = entities(nlps, text)
    assert (org.id, org.name, org.acronym) == ("ksbsi", "Confederation of Indonesia Prosperity Trade Union", "KSBSI")


def test_parenthesised_name_after_a_phrase_is_the_same_organisation(nlps) -> None:
    text = "A delegation met the National Commission on Human Rights (Komnas HAM) in Jakarta."
    (org,) = entities(nlps, text)
    assert org.id == "komnas-ham" and [m.text for m in org.mentions] == ["National Commission on Human Rights",
                                                                          "Komnas HAM"]


def test_acronym_after_a_person_is_an_organisation(nlps) -> None:
    text = "Speakers: William Charpantier (FEI) from the Dominican Republic and Sara Mohammed (KFATU)."
    assert {o.name for o in entities(nlps, text)} == {"FEI", "KFATU"}


def test_acronym_defined_as_something_else_is_never_an_organisation(nlps) -> None:
    text = ("Cambodia wants to graduate from Least Developed Country (LDC) status. Training on Occupational "
            "Safety and Health (OSH) followed. The LDC graduation and OSH committees were discussed.")
    assert entities(nlps, text) == []


def test_acronym_defined_in_one_language_segment_is_found_in_the_other() -> None:
    en = spacy.blank("en")
    en.add_pipe("sentencizer")
    en.add_pipe("organisations")
    first = "The Tea Plantation Workers Federation (TPWF) met in Kandy."
    text = first + "\n\nDe TPWF vraagt een hoger loon."
    mentions = en(first)._.organisations  # only the English segment went through a pipeline
    (org,) = finalize(Post(id="p", url="", date="", title="", text=text, language="en"), mentions)["organisations"]
    assert [m.text for m in org.mentions] == ["Tea Plantation Workers Federation", "TPWF", "TPWF"]
    last = org.mentions[-1]
    assert text[last.start:last.end] == "TPWF" and last.start > len(first) and "hoger loon" in last.sentence


def test_schwartz_hearst_matching() -> None:
    assert abbreviates("GEFONT", "General Federation of Nepalese Trade Unions")
    assert abbreviates("MoLVT", "Ministry of Labour and Vocational Training")
    assert not abbreviates("CLC", "Labour Confederation")
    assert not abbreviates("FEI", "William Charpantier")


# ---------------------------------------------------------------- knowledge base matching and merging

def test_kb_entity_merges_long_form_and_acronym(nlps) -> None:
    (org,) = entities(nlps, "Mrs. Meng Navy works at the Cambodian Labour Confederation (CLC). CLC supports her.")
    assert (org.id, org.kb, org.name, org.acronym, org.canonical, org.type, org.country) == (
        "clc", True, "Cambodian Labour Confederation", "CLC", "Cambodian Labour Confederation", "union_federation",
        "KH")
    assert org.aliases == ["Cambodian Labour Confederation", "CLC"]


def test_aliases_merge_across_english_dutch_and_french(nlps) -> None:
    text = "In april won Wereldsolidariteit de prijs. Met het prijzengeld konden WS en ACV een tv-spot maken."
    orgs = {o.id: o for o in entities(nlps, text, "nl")}
    assert set(orgs) == {"wsm", "acv-csc"}
    assert (orgs["wsm"].name, orgs["wsm"].acronym, orgs["acv-csc"].acronym) == ("Wereldsolidariteit", "WS", "ACV")
    mixed = ("World Solidarity (WSM) supports unions in Asia.\n\nWereldsolidariteit steunt vakbonden in Azië, "
             "net als Solidarité Mondiale en het ACV-CSC.")
    en_part, nl_part = mixed.split("\n\n")
    offset = len(en_part) + 2
    mentions = nlps["en"](en_part)._.organisations + [
        replace(m, start=m.start + offset, end=m.end + offset) for m in nlps["nl"](nl_part)._.organisations]
    post = Post(id="p", url="", date="", title="", text=mixed, language="en")
    orgs = {o.id: o for o in finalize(post, mentions)["organisations"]}
    assert set(orgs) == {"wsm", "acv-csc"}
    assert orgs["wsm"].aliases == ["World Solidarity", "WSM", "Wereldsolidariteit", "Solidarité Mondiale"]
    assert all(mixed[m.start:m.end] == m.text for m in orgs["wsm"].mentions)


def test_acronyms_are_case_sensitive_names_are_not(nlps) -> None:
    assert entities(nlps, "The clc and the ilo were not named here.") == []
    orgs = entities(nlps, "THE INTERNATIONAL TRADE UNION CONFEDERATION and the ITUC are one.")
    assert [o.id for o in orgs] == ["ituc"] and len(orgs[0].mentions) == 2


@pytest.mark.parametrize("text,expected", [
    ("What a good IDEA. We need a NEW IDEA for the campaign.", set()),
    ("In Phnom Penh, IDEA organised tuk-tuk drivers in the informal economy.", {"idea-kh"}),
    ("The CAS is a common abbreviation.", set()),
    ("At the International Labour Conference the CAS discussed the case of Cambodia.", {"ilo-cas"}),
    ("De WS-spelers wonnen.", set()),
    ("The global union federations IndustriALL and UNI signed the agreement.", {"industriall", "uni"}),
])
def test_ambiguous_forms_need_context(nlps, text: str, expected: set[str]) -> None:
    assert {o.id for o in entities(nlps, text)} == expected


def test_shared_acronym_is_resolved_by_country(nlps) -> None:
    nepal = entities(nlps, "In Kathmandu, NTUC and GEFONT met the Nepali minister of labour.")
    singapore = entities(nlps, "In Singapore, the NTUC runs cooperatives for its members.")
    assert "ntuc-nepal" in {o.id for o in nepal} and [o.id for o in singapore] == ["ntuc-sg"]


def test_umbrella_mention_merges_into_the_continental_network(nlps) -> None:
    text = "The INSP!R network met in Bangkok. INSP!R Asia presented its position paper on platform work."
    (org,) = entities(nlps, text)
    assert (org.id, org.name, org.acronym) == ("inspr-asia", "INSP!R Asia", None)
    assert [m.text for m in org.mentions] == ["INSP!R network", "INSP!R Asia"]


def test_no_break_spaces_and_hyphen_compounds(nlps) -> None:
    (org,) = entities(nlps, "INSP!R\u202fAsia and its partners met.")
    assert org.id == "inspr-asia" and org.aliases == ["INSP!R Asia"] and org.mentions[0].text == "INSP!R\u202fAsia"
    text = "De WSM-partners en de ACV’s militanten voerden actie."
    orgs = entities(nlps, text, "nl")
    assert {o.id for o in orgs} == {"wsm", "acv-csc"}
    assert [(m.text, m.start) for o in orgs for m in o.mentions] == [("WSM", 3), ("ACV", text.index("ACV"))]


# ---------------------------------------------------------------- organisations outside the knowledge base

@pytest.mark.parametrize("text,name", [
    ("The Ministry of Labour, Employment and Social Security of Sindh issued a circular.",
     "Ministry of Labour, Employment and Social Security of Sindh"),
    ("Workers of the Sindh Home Based Workers Union met the minister.", "Sindh Home Based Workers Union"),
    ("Indonesia's Constitutional Court ruled on the case.", "Constitutional Court"),
    ("the Mongolian Ministry of Labour and Social Protection sent observers.",
     "Ministry of Labour and Social Protection"),
    ("She met the Federasi Serikat Buruh Karya Utama in Tangerang.", "Federasi Serikat Buruh Karya Utama"),
    ("Statement Of The Kerala Fishworkers Federation On The Budget", "Kerala Fishworkers Federation"),
    ("The Women Workers Organisation of Nepal held a rally.", "Women Workers Organisation of Nepal"),
    ("The Ceylon Bank Employees' Union went on strike.", "Ceylon Bank Employees' Union"),
    ("Het Federaal Planbureau rekende het voorstel door.", "Federaal Planbureau"),
    ("De Vlaamse Havenraad gaf een advies.", "Vlaamse Havenraad"),
    ("Reclamebureau Vanderhaeghe werkte het concept uit.", "Vanderhaeghe"),
    ("De campagne kreeg steun van het kledingbedrijf Veldmode.", "Veldmode"),
    ("The factory produced jeans for the German discounter Plenko.", "Plenko"),
    ("The Consulate General of the Philippines organised a session.", "Consulate General of the Philippines"),
])
def test_names_outside_the_knowledge_base(nlps, text: str, name: str) -> None:
    lang = "nl" if any(w in text for w in (" de ", "Het ", "De ", "werkte", "kreeg")) else "en"
    orgs = entities(nlps, text, lang)
    assert [o.name for o in orgs] == [name]
    assert orgs[0].kb is False and orgs[0].id.startswith("x-")


def test_actor_acronyms(nlps) -> None:
    text = "KFATU held a press conference in Colombo. The UGT-DR and KFATU signed a joint statement."
    assert [(o.name, len(o.mentions)) for o in entities(nlps, text)] == [("KFATU", 2), ("UGT-DR", 1)]


def test_acronym_and_long_form_merge_without_a_definition(nlps) -> None:
    text = "The Garment Workers Solidarity Federation met on Monday. Later GWSF called a strike."
    (org,) = entities(nlps, text)
    assert (org.name, org.acronym, len(org.mentions)) == ("Garment Workers Solidarity Federation", "GWSF", 2)


def test_definitions_do_not_leak_between_docs(nlps) -> None:
    entities(nlps, "The Tea Workers Union (TWU) struck.")
    (org,) = entities(nlps, "Later TWU signed the deal.")
    assert org.id == "x-twu"


# ---------------------------------------------------------------- what is not an organisation

@pytest.mark.parametrize("text", [
    # countries, regions and cities
    "Cambodia, Nepal and Bangladesh joined; Kathmandu, Phnom Penh and South East Asia hosted meetings.",
    # people, with titles
    "Mrs. Meng Navy, Mr. Ganesh Niroula and Dr. Shiva Sharma spoke; Sister Jeanne Devos thanked them.",
    # events
    "during the International Labour Conference, the World Day for Decent Work and the ASEAN People's Forum",
    "The 4th World Congress and the Regional Workshop on Social Protection ended with the General Assembly.",
    # programmes and strategies
    "the Pentagonal Strategy, the Decent Work Country Programme and the Global Jobs Pact",
    # laws, declarations and conventions
    "the Job Creation Law, the Trade Union Law, the Centenary Declaration and the Domestic Workers Convention",
    # campaigns and hashtags
    "Sign the #cleanekleren petition and share #SocialProtectionForAll on www.cleanekleren.be.",
    # generic phrases
    "Trade unions and the government met the Network, the Steering Committee and the Continental Network.",
    "We demand a Global Social Protection Fund and a new Trade Union Federation.",
    # common acronyms, units, currencies, jargon, codes
    "COVID-19 and the SDG targets hit LDC status, GDP and OSH; wages are USD 200 or 50.000 KHR in the RMG sector.",
    "The L20 and C20 tracks of the G20 met at COP 28.",
    # headings in capitals
    "WORKERS OF ASIA, UNITE FOR SOCIAL PROTECTION NOW!",
])
def test_exclusions(nlps, text: str) -> None:
    assert [o.name for o in entities(nlps, text)] == []


@pytest.mark.parametrize("text,expected", [
    ("Cambodia has not ratified ILO Convention 189 yet.", set()),
    ("The UN Global Accelerator on Jobs and Social Protection was launched in 2021.", set()),
    ("Het IAO-verdrag 189 beschermt huishoudpersoneel.", set()),
    ("The ILO Committee on the Application of Standards met.", {"ilo", "ilo-cas"}),
])
def test_known_organisation_naming_an_instrument_or_event_is_not_mentioned(nlps, text: str, expected) -> None:
    lang = "nl" if "verdrag" in text else "en"
    assert {o.id for o in entities(nlps, text, lang)} == expected


def test_descriptor_before_a_name_is_not_a_second_organisation(nlps) -> None:
    text = "We lobbied with the Belgian Trade Union ACV-CSC and the Indonesian union KSBSI."
    assert [o.id for o in entities(nlps, text)] == ["acv-csc", "ksbsi"]


# ---------------------------------------------------------------- records, order, offsets

def test_entities_in_order_of_first_mention_and_mentions_sorted(nlps) -> None:
    text = "GEFONT met the ILO. Later the ILO and WSM visited GEFONT in Kathmandu."
    orgs = entities(nlps, text)
    assert [o.id for o in orgs] == ["gefont", "ilo", "wsm"]
    for o in orgs:
        assert [m.start for m in o.mentions] == sorted(m.start for m in o.mentions)
    assert orgs[1].mentions[1].sentence == "Later the ILO and WSM visited GEFONT in Kathmandu."


def test_title_mentions_come_first() -> None:
    post = Post(id="p", url="", date="", title="GEFONT meets WSM", text="WSM and GEFONT met.", language="en")
    from pipeline.extract import Extractor

    (record,) = Extractor().extract([post])
    assert [o.id for o in record.organisations] == ["gefont", "wsm"]
    gefont = record.organisations[0]
    assert [(m.field, m.start) for m in gefont.mentions] == [("title", 0), ("text", 8)]


def test_component_output_is_doc_relative(nlps) -> None:
    doc = nlps["en"]("Intro.\n\nThe Cambodian Labour Confederation (CLC) met.")
    (long_form, acronym) = doc._.organisations
    assert (long_form.start, acronym.text, acronym.acronym, long_form.acronym) == (12, "CLC", True, False)
    assert long_form.entity == acronym.entity == "clc" and long_form.language == "en"


# ---------------------------------------------------------------- orgs --unknown

RECORDS = [
    {"id": "1", "organisations": [
        {"name": "Tea Workers Union", "acronym": "TWU", "kb": False,
         "mentions": [{"sentence": "The Tea Workers Union (TWU) struck."}] * 3},
        {"name": "International Labour Organization", "acronym": "ILO", "kb": True, "mentions": [{"sentence": "x"}]}]},
    {"id": "2", "organisations": [
        {"name": "TWU", "acronym": "TWU", "kb": False, "mentions": [{"sentence": "TWU met."}]},
        {"name": "Salt Workers Forum", "acronym": None, "kb": False, "mentions": [{"sentence": "SWF met."}]}]},
]


def test_unknown_listing_ranks_by_mentions_and_merges_bare_acronyms() -> None:
    rows = unknown_organisations(RECORDS)
    assert [(r.name, r.acronym, r.mentions, r.posts) for r in rows] == [
        ("Tea Workers Union", "TWU", 4, 2), ("Salt Workers Forum", None, 1, 1)]
    assert rows[0].example == "The Tea Workers Union (TWU) struck."
    assert len(unknown_organisations(RECORDS, top=1)) == 1


def test_orgs_command_reads_records(tmp_path: Path, capsys) -> None:
    path = tmp_path / "records.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in RECORDS))
    assert main(["-q", "orgs", "--unknown", "--records", str(path)]) == 0
    out = capsys.readouterr().out
    assert "Tea Workers Union (TWU)" in out and "e.g. The Tea Workers Union (TWU) struck." in out
    assert "International Labour" not in out
    assert main(["-q", "orgs", "--records", str(path)]) == 2


def test_orgs_command_runs_the_extraction_on_posts(tmp_path: Path, capsys) -> None:
    posts = tmp_path / "posts.jsonl"
    posts.write_text(json.dumps({"id": "a", "text": "The Salt Pan Workers Federation (SPWF) met the ILO. SPWF "
                                 "demands a minimum wage for the salt pans of Gujarat."}) + "\n")
    assert main(["-q", "orgs", "--unknown", "--posts", str(posts)]) == 0
    out = capsys.readouterr().out
    assert "Salt Pan Workers Federation (SPWF)" in out and "ILO" not in out.split("e.g.")[0]


def test_orgs_command_names_a_missing_file(tmp_path: Path, caplog) -> None:
    assert main(["-q", "orgs", "--unknown", "--records", str(tmp_path / "nowhere.jsonl")]) == 2
    assert "nowhere.jsonl" in caplog.text
    with pytest.raises(InputError, match="nowhere.jsonl"):
        list(unknown_organisations(read_jsonl(tmp_path / "nowhere.jsonl")))


# ---------------------------------------------------------------- scores

# Posts written for these tests in the blog's genre and language mix, with what a careful reader extracts.
GENRE_POSTS = [
    ("On 12 March, GEFONT, NTUC and ANTUF organised a seminar in Kathmandu on the Social Security Fund (SSF). "
     "The Joint Trade Union Coordination Centre (JTUCC) asked the Ministry of Labour, Employment and Social "
     "Security to cover informal workers. The ILO Country Office presented a study on ILO Convention No. 102.",
     "en", ["GEFONT", "NTUC", "ANTUF", "SSF", "JTUCC", "Ministry of Labour, Employment and Social Security", "ILO"]),
    ("Tuk-tuk drivers and street vendors gathered in Phnom Penh. The rally was organised by the Independent "
     "Democracy of Informal Economy Association (IDEA) and the Cambodian Food and Service Workers' Federation "
     "(CFSWF). They asked the National Social Security Fund (NSSF) to cover informal workers.",
     "en", ["IDEA", "CFSWF", "NSSF"]),
    ("Vijf jaar na Rana Plaza trok een delegatie van het ACV en WSM naar Dhaka. Ze ontmoetten er de National "
     "Garment Workers Federation (NGWF). Ook Primark en H&M tekenden het akkoord, meldt De Standaard.",
     "nl", ["ACV", "WSM", "NGWF", "Primark", "H&M", "De Standaard"]),
    ("The Hong Kong Confederation of Trade Unions voted to disband. The Asia Monitor Resource Centre and the "
     "Hong Kong Professional Teachers' Union (PTU) also closed, the South China Morning Post reported.",
     "en", ["HKCTU", "AMRC", "PTU", "South China Morning Post"]),
    ("Tea plantation workers earn less than 1,000 rupees a day. The Ceylon Workers' Congress and the Lanka "
     "Jathika Estate Workers Union signed an agreement with the Employers' Federation of Ceylon (EFC). The "
     "Department of Census and Statistics counts 150,000 workers on the estates.",
     "en", ["CWC", "LJEWU", "EFC", "Department of Census and Statistics"]),
    ("Op 7 oktober voerden het ACV en de CM actie. De campagne wordt gesteund door de Federale Overheidsdienst "
     "Buitenlandse Zaken. Ook Broederlijk Delen en het kledingbedrijf JBC doen mee.",
     "nl", ["ACV", "CM", "Federale Overheidsdienst Buitenlandse Zaken", "Broederlijk Delen", "JBC"]),
]


def test_genre_posts_f1(nlps) -> None:
    predictions, gold = {}, []
    for n, (text, lang, names) in enumerate(GENRE_POSTS):
        orgs = entities(nlps, text, lang)
        predictions[str(n)] = {"organisations": [{"name": o.name, "acronym": o.acronym, "canonical": o.canonical}
                                                 for o in orgs]}
        gold.append({"id": str(n), "organisations": [{"name": x, "acronym": None} for x in names]})
    assert score(predictions, gold).organisations.f1 >= 0.9


@pytest.mark.skipif(not (SHARED / "seed_posts.jsonl").exists(), reason="../shared/eval (seed posts) not beside repo")
def test_seed_posts_f1() -> None:
    from pipeline.extract import Extractor
    from pipeline.posts_io import post_from_row

    posts = [post_from_row(row) for row in read_jsonl(SHARED / "seed_posts.jsonl")]
    predictions = {r.id: r.to_dict() for r in Extractor().extract(posts)}
    report = score(predictions, list(read_jsonl(SHARED / "seed_gold.jsonl")))
    assert report.organisations.f1 >= 0.95, (report.organisations.misses, report.organisations.false_hits)


def test_hyphenated_compound_check_matches_its_patterns(nlps) -> None:
    """The compound check returns early when no hyphen touches the span; it must agree with its two patterns."""
    import random
    import re

    matcher = nlps["en"].get_pipe("organisations").matcher

    def plain(text: str, s: int, e: int) -> bool:
        before = re.search(r"([A-Z][A-Z0-9&]+)-$", text[max(0, s - 16):s])
        after = re.match(r"-([A-Z][A-Z0-9&]+)(?![\w-])", text[e:e + 16])
        return any(m is not None and not matcher.kb.lookup(m.group(1)) for m in (before, after))

    rnd = random.Random(8)
    pieces = ["ILO", "-", "\n", "KMU", "ABC", " ", "x", "ITUC", "&", "9"]
    for _ in range(3000):
        text = "".join(rnd.choice(pieces) for _ in range(rnd.randint(1, 10)))
        for m in re.finditer("ILO", text):
            assert matcher._inside_compound(text, *m.span()) == plain(text, *m.span()), text


def test_masked_text_blanks_every_taken_span() -> None:
    """masked_text joins slices; it must equal blanking each span character by character."""
    import random

    from pipeline.extract.organisations.candidates import SENTINEL, DocState, masked_text

    rnd = random.Random(2)
    for _ in range(2000):
        text = "".join(rnd.choice("ab C\n") for _ in range(rnd.randint(0, 40)))
        taken = []
        for _ in range(rnd.randint(0, 6)):
            s = rnd.randint(0, len(text))
            taken.append((s, rnd.randint(s, len(text))))
        chars = list(text)
        for s, e in taken:
            chars[s:e] = SENTINEL * (e - s)
        state = DocState(text=text, taken=taken, acronyms={}, not_org=set(), found=[])
        assert masked_text(state) == "".join(chars), (text, taken)
