"""Organisations in Dutch and French text (issue 16): the text the rules read (line wraps, double spaces,
French elisions), bilingual names as one entity, French names, words that look like acronyms. Every sentence
is invented."""

from __future__ import annotations

import pytest
import spacy

from pipeline.extract import organisations, sentences  # noqa: F401  (register the factories)
from pipeline.extract.organisations import finalize
from pipeline.extract.organisations.ruletext import rule_text, squeeze
from pipeline.records import Organisation, Post


@pytest.fixture(scope="module")
def nlps() -> dict[str, spacy.language.Language]:
    out = {}
    for lang in ("en", "nl", "fr"):
        nlp = spacy.blank(lang)
        nlp.add_pipe("sentencizer")
        nlp.add_pipe("organisations")
        out[lang] = nlp
    return out


def entities(nlps, text: str, lang: str) -> list[Organisation]:
    doc = nlps[lang](text)
    post = Post(id="p", url="", date="", title="", text=text, language=lang)
    orgs = finalize(post, doc._.organisations)["organisations"]
    for o in orgs:
        for m in o.mentions:
            assert text[m.start:m.end] == m.text
    return orgs


def ids(nlps, text: str, lang: str) -> list[str]:
    return [o.id for o in entities(nlps, text, lang)]


# ---------------------------------------------------------------- the text the rules read

def test_rule_text_keeps_length_and_opens_french_elisions_only_in_french() -> None:
    text = "Le rapport de l’OIT et d'Inditex.\n\nAujourd'hui"
    fr = rule_text(text, "fr")
    assert len(fr) == len(text)
    assert "l OIT" in fr and "d Inditex" in fr and "Aujourd'hui" in fr
    assert rule_text(text, "en") == text


def test_rule_text_joins_wrapped_lines_but_not_short_list_lines() -> None:
    wrapped = "On Monday the delegation of the regional federation met the Garment\nWorkers Federation in town."
    assert "Garment Workers" in rule_text(wrapped, "en")
    listed = "Members:\nACV\nABVV"
    assert rule_text(listed, "en") == listed


def test_squeeze_maps_back_to_the_original_offsets() -> None:
    text = "the Green  Valley\nUnion\n\nnext"
    out = squeeze(text)
    assert out is not None
    squeezed, back = out
    assert squeezed == "the Green Valley Union\n\nnext"
    s = squeezed.index("Valley")
    assert text[back[s]:back[s + len("Valley Union") - 1] + 1] == "Valley\nUnion"
    assert squeeze("nothing to do\n\nhere") is None


def test_known_name_broken_by_a_line_or_two_spaces_is_found(nlps) -> None:
    assert ids(nlps, "Protesters joined the Clean\nClothes Campaign outside.", "en") == ["ccc"]
    assert ids(nlps, "A statement of the Cambodian  Labour Confederation followed.", "en") == ["clc"]
    assert ids(nlps, "Vorige week stuurde de Schone Kleren\nCampagne een brief.", "nl") == ["ccc"]


def test_french_elision_before_a_known_name(nlps) -> None:
    text = "Le directeur général de l’Organisation internationale du Travail a parlé. Les membres de l'OIT ont voté."
    (ilo,) = entities(nlps, text, "fr")
    assert ilo.id == "ilo"
    assert [m.text for m in ilo.mentions] == ["Organisation internationale du Travail", "OIT"]


# ---------------------------------------------------------------- words that look like acronyms

def test_french_common_nouns_in_capitals_are_not_organisations(nlps) -> None:
    assert ids(nlps, "Les ONG et les PME craignent une baisse du PIB et une hausse de la TVA.", "fr") == []


def test_dutch_common_nouns_in_capitals_are_not_organisations(nlps) -> None:
    assert ids(nlps, "Het BNP groeit, maar volgens de NGO in Dhaka stijgen de lonen van de CAO niet.", "nl") == []


# ---------------------------------------------------------------- French names written head first

@pytest.mark.parametrize(("text", "name"), [
    ("Hier, la Fédération nationale des travailleuses domestiques du Népal a manifesté.",
     "Fédération nationale des travailleuses domestiques du Népal"),
    ("Selon le Syndicat indépendant des ouvriers agricoles, les salaires baissent.",
     "Syndicat indépendant des ouvriers agricoles"),
    ("Le rapport du Collectif pour la défense des migrants est sorti.", "Collectif pour la défense des migrants"),
    ("Une lettre de l’Association cambodgienne des droits humains est arrivée.",
     "Association cambodgienne des droits humains"),
    ("Le Mouvement paysan libre a réagi hier soir.", "Mouvement paysan libre"),
])
def test_french_names_written_head_first(nlps, text: str, name: str) -> None:
    orgs = entities(nlps, text, "fr")
    assert [o.name for o in orgs] == [name]
    assert orgs[0].id.startswith("x-") and orgs[0].id.isascii()


def test_french_generic_heads_are_not_names(nlps) -> None:
    text = ("Syndicat et patronat ont signé. La Fédération syndicale a organisé une grève. "
            "Le syndicat national a parlé. Une commission des salaires se réunira.")
    assert entities(nlps, text, "fr") == []


def test_french_name_of_the_knowledge_base_with_an_elision_inside() -> None:
    # The forms are matched with their elisions opened, like the text.
    nlp = spacy.blank("fr")
    nlp.add_pipe("organisations")
    text = "Il préside le Conseil international de l'action sociale depuis 2020."
    assert [m.entity for m in nlp(text)._.organisations] == ["icsw"]


def test_french_ministry_in_small_letters_with_a_capitalised_complement(nlps) -> None:
    text = "Le ministère de l'Agriculture a reçu la délégation. Le ministère concerné n'a pas répondu."
    assert [o.name for o in entities(nlps, text, "fr")] == ["ministère de l'Agriculture"]


def test_french_complement_with_two_coordinated_nouns(nlps) -> None:
    text = "Une lettre de la Fédération des pêcheurs et vendeurs de poisson du Sri Lanka est arrivée."
    assert [o.name for o in entities(nlps, text, "fr")] == [
        "Fédération des pêcheurs et vendeurs de poisson du Sri Lanka"]


def test_french_translation_before_an_english_acronym_is_one_organisation(nlps) -> None:
    text = "La Fédération des fabricants de tricots du Bangladesh (BKMEA) a refusé."
    (org,) = entities(nlps, text, "fr")
    assert org.id == "bkmea" and org.aliases == ["Fédération des fabricants de tricots du Bangladesh", "BKMEA"]


# ---------------------------------------------------------------- Belgian unions and the ITUC in French and Dutch

def test_belgian_union_acronyms_in_french_with_union_context(nlps) -> None:
    text = "La CSC et la FGTB appellent à la grève, avec le soutien de la CSI."
    assert ids(nlps, text, "fr") == ["acv-csc", "abvv-fgtb", "ituc"]


def test_bilingual_names_are_one_entity_with_the_names_the_text_gives(nlps) -> None:
    text = "Het ACV (CSC) en Wereldsolidariteit, in Wallonië Solidarité Mondiale, steunen het IVV en de IAO."
    orgs = {o.id: o for o in entities(nlps, text, "nl")}
    assert list(orgs) == ["acv-csc", "wsm", "ituc", "ilo"]
    assert orgs["acv-csc"].aliases == ["ACV", "CSC"]
    assert orgs["wsm"].aliases == ["Wereldsolidariteit", "Solidarité Mondiale"]
    assert orgs["ilo"].acronym == "IAO"


def test_ilo_and_its_office_are_two_entities_in_french(nlps) -> None:
    text = "Le Bureau international du Travail (BIT) publie les chiffres de l'Organisation internationale du Travail."
    assert ids(nlps, text, "fr") == ["ilo-office", "ilo"]


def test_a_building_is_not_an_organisation(nlps) -> None:
    assert ids(nlps, "L'effondrement du Rana Plaza a tué plus de mille ouvriers.", "fr") == []
    assert ids(nlps, "Bij de instorting van Rana Plaza vielen veel doden.", "nl") == []


def test_french_classifier_nouns_with_adjectives_between(nlps) -> None:
    text = ("La marque danoise Velora et le syndicat indépendant Kamtu ont répondu, comme l'ONG Terravia. "
            "Le syndicat a dit non et le parti Marxiste-Léniniste aussi.")
    assert [o.name for o in entities(nlps, text, "fr")] == ["Velora", "Kamtu", "Terravia"]


def test_french_classifier_does_not_take_a_capitalised_adjective(nlps) -> None:
    assert entities(nlps, "Il dirige un syndicat Socialiste-Révolutionnaire depuis dix ans.", "fr") == []


def test_dutch_ministry_in_small_letters_with_a_capitalised_complement(nlps) -> None:
    text = "Het ministerie van Landbouw antwoordde niet. Het ministerie heeft geen budget."
    assert [o.name for o in entities(nlps, text, "nl")] == ["ministerie van Landbouw"]


def test_dutch_classifier_before_a_dotted_known_acronym(nlps) -> None:
    (org,) = entities(nlps, "Een delegatie van de Cambodjaanse vakbond C.CAWDU bezocht Brussel.", "nl")
    assert (org.id, org.aliases) == ("ccawdu", ["C.CAWDU"])


def test_french_head_first_forum_is_an_event_only_with_a_cue(nlps) -> None:
    assert [o.name for o in entities(nlps, "Le Forum des travailleurs migrants de Macao demande justice.", "fr")] \
        == ["Forum des travailleurs migrants de Macao"]
    assert entities(nlps, "Le Forum social régional s'est tenu à Dhaka en mars.", "fr") == []


def test_french_court_with_an_adjective_no_ending_gives(nlps) -> None:
    assert [o.name for o in entities(nlps, "Hier, la Cour suprême du Népal a tranché.", "fr")] == [
        "Cour suprême du Népal"]


def test_belgian_bodies_and_ilo_committees_in_dutch_and_french_are_known(nlps) -> None:
    text = "De Raad van State en de Commissie voor de Toepassing van de Normen volgen de zaak met het BBTK."
    assert ids(nlps, text, "nl") == ["be-council-of-state", "ilo-cas", "setca-bbtk"]
    text = "Le Conseil d'État et la Commission de l’application des normes suivent le SETCa."
    assert ids(nlps, text, "fr") == ["be-council-of-state", "ilo-cas", "setca-bbtk"]
