"""Organisations: knowledge base, acronym definitions both ways, alias merging across languages, exclusions."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import spacy

from pipeline.errors import InputError
from pipeline.extract import organisations, sentences  # noqa: F401  (register the factories)
from pipeline.extract.organisations import finalize, unknown_candidates
from pipeline.kb import TYPES, is_acronym, load_kb, normalise_name
from pipeline.records import Post

SHARED = Path(__file__).resolve().parents[2] / "shared" / "eval"


@pytest.fixture(scope="module")
def nlps() -> dict[str, spacy.language.Language]:
    out = {}
    for lang in ("en", "nl"):
        nlp = spacy.blank(lang)
        nlp.add_pipe("sentencizer")
        nlp.add_pipe("abbreviation_guard")
        nlp.add_pipe("organisations")
        out[lang] = nlp
    return out


def entities(nlps, text: str, lang: str = "en"):
    doc = nlps[lang](text)
    return finalize(Post(id="p", url="", date="", title="", text=text, language=lang), doc._.organisations)[
        "organisations"]


def test_kb_is_large_valid_and_unambiguous() -> None:
    kb = load_kb()
    assert len(kb) >= 200
    assert len({e.id for e in kb}) == len(kb)
    assert {e.type for e in kb} <= TYPES
    owners: dict[str, str] = {}
    clashes = []
    for e in kb:
        for form in e.surfaces():
            key = form if is_acronym(form) else normalise_name(form)
            if key in owners and owners[key] != e.id:
                clashes.append((form, owners[key], e.id))
            owners[key] = e.id
    assert clashes == []


def test_kb_errors_name_the_line(tmp_path: Path) -> None:
    bad = tmp_path / "kb.csv"
    bad.write_text("id,name,acronym,aliases,type,country,unsure\nx,X,,,planet,BE,\n")
    with pytest.raises(InputError, match=r"kb\.csv:2: unknown type 'planet'"):
        load_kb.__wrapped__(bad)


def test_acronym_definition_long_form_first(nlps) -> None:
    text = ("The Garment Workers Solidarity Federation (GWSF) met on Monday. Later GWSF held a press conference, "
            "and the GWSF leaders spoke.")
    (org,) = entities(nlps, text)
    assert (org.name, org.acronym, org.kb) == ("Garment Workers Solidarity Federation", "GWSF", False)
    assert len(org.mentions) == 4
    for m in org.mentions:
        assert text[m.start:m.end] == m.text


def test_acronym_definition_acronym_first(nlps) -> None:
    (org,) = entities(nlps, "Members of PWU (Plantation Workers Union) marched. PWU demands a living wage.")
    assert (org.name, org.acronym) == ("Plantation Workers Union", "PWU") and len(org.mentions) == 3


def test_kb_entities_merge_acronym_and_long_form(nlps) -> None:
    (org,) = entities(nlps, "Mrs. Meng Navy works at the Cambodian Labour Confederation (CLC). CLC supports her.")
    assert (org.id, org.kb, org.acronym, org.canonical, org.type, org.country) == (
        "clc", True, "CLC", "Cambodian Labour Confederation", "union_federation", "KH")


def test_aliases_merge_across_english_and_dutch(nlps) -> None:
    text = "In april won Wereldsolidariteit de prijs. Met het prijzengeld konden WS en ACV een spot maken."
    orgs = {o.id: o for o in entities(nlps, text, "nl")}
    assert set(orgs) == {"wsm", "acv-csc"}
    assert orgs["wsm"].name == "Wereldsolidariteit" and orgs["wsm"].acronym == "WS"
    assert orgs["acv-csc"].acronym == "ACV"
    en = {o.id for o in entities(nlps, "World Solidarity (WSM) and the Belgian union ACV-CSC met the ILO.")}
    assert en == {"wsm", "acv-csc", "ilo"}


def test_org_noun_phrases_and_actor_acronyms(nlps) -> None:
    text = ("The Ministry of Labour and Vocational Training met the Sindh Home Based Workers Union. "
            "KFATU held a press conference in Colombo.")
    names = {o.name for o in entities(nlps, text)}
    assert "Ministry of Labour and Vocational Training" in names
    assert "Sindh Home Based Workers Union" in names
    assert "KFATU" in names


def test_government_bodies_named_by_remit(nlps) -> None:
    names = {o.name for o in entities(nlps, "according to the Ministry of Labour, Employment and Social Security.")}
    assert names == {"Ministry of Labour, Employment and Social Security"}


@pytest.mark.parametrize("text", [
    "Cambodia, Nepal and Bangladesh joined, and Kathmandu hosted it.",  # countries and cities
    "Mrs. Meng Navy and Mr. Ganesh Niroula spoke.",  # people
    "during the International Labour Conference and the World Day for Decent Work",  # events
    "the Pentagonal Strategy and the Global Jobs Pact",  # programmes and strategies
    "the Job Creation Law and the Domestic Workers Convention",  # laws and conventions
    "Sign the #cleanekleren petition",  # campaigns
    "trade unions and the government met the Network",  # generic phrases
    "COVID and the SDG targets hit LDC status and GDP in USD",  # common acronyms, units
    "the L20 and C20 tracks",  # engagement groups
])
def test_exclusions(nlps, text: str) -> None:
    assert [o.name for o in entities(nlps, text)] == []


def test_unknown_listing_ranks_by_frequency(tmp_path: Path) -> None:
    recs = [
        {"id": "1", "organisations": [{"name": "Tea Workers Union", "acronym": None, "kb": False,
                                       "mentions": [{"sentence": "The Tea Workers Union struck."}] * 3},
                                      {"name": "ILO", "kb": True, "mentions": [{"sentence": "x"}]}]},
        {"id": "2", "organisations": [{"name": "Salt Workers Forum", "acronym": "SWF", "kb": False,
                                       "mentions": [{"sentence": "SWF met."}]}]},
    ]
    path = tmp_path / "records.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in recs))
    assert unknown_candidates(str(path)) == [("Tea Workers Union", 3, "The Tea Workers Union struck."),
                                             ("Salt Workers Forum (SWF)", 1, "SWF met.")]


@pytest.mark.skipif(not (SHARED / "seed_posts.jsonl").exists(), reason="../shared/eval not beside the repo")
def test_seed_organisations_recall(nlps) -> None:
    gold = {json.loads(line)["id"]: json.loads(line) for line in (SHARED / "seed_gold.jsonl").open()}
    found = total = 0
    for line in (SHARED / "seed_posts.jsonl").open():
        post = json.loads(line)
        g = gold[post["id"]]
        text = post["title"] + "\n\n" + post["text"]
        keys = set()
        for o in entities(nlps, text, g["language"]):
            keys |= {normalise_name(x) for x in (o.name, o.acronym, o.canonical) if x}
        for org in g["organisations"]:
            total += 1
            found += bool({normalise_name(x) for x in (org["name"], org["acronym"]) if x} & keys)
    assert found / total >= 0.95
