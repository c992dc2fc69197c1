"""ILO instruments in Dutch and French, and the forms that need context (issue 16 item 5, issue 19 item 15): lists
of marked numbers, titles in French and Dutch, protocols named through their convention, "ILO 183" in a
ratification, lower-case marks, PDF spacing. Every sentence is invented for the test."""

from __future__ import annotations

import pytest
import spacy

from pipeline.errors import InputError
from pipeline.extract import conventions, sentences  # noqa: F401  (register the factories)
from pipeline.extract.conventions import extract_mentions
from pipeline.instruments import load_table

TABLE = load_table()


def ids(text: str) -> list[str]:
    """The ids found, in text order (unknown numbers as '?<number>')."""
    return [iid or f"?{number}" for _, _, iid, _, number, _ in extract_mentions(text, TABLE)]


LISTS = [
    ("Il faut ratifier les conventions nos 29 et 81 de l'OIT.", ["C29", "C81"]),
    ("Les conventions n os 87 et 98 protègent la liberté syndicale.", ["C87", "C98"]),
    ("Elle cite les conventions fondamentales n os 100, 111 et 138.", ["C100", "C111", "C138"]),
    ("De IAO-verdragen nrs. 138 en 182 verbieden kinderarbeid.", ["C138", "C182"]),
    ("Het gaat om IAO-verdrag nr. 87 over vakbondsvrijheid en nr. 98 over collectief onderhandelen.", ["C87", "C98"]),
    ("The ILO Conventions No. 87 on freedom of association and No. 98 on bargaining apply.", ["C87", "C98"]),
    ("ILO conventions 87 (freedom of association) and 98 (collective bargaining) are core standards.", ["C87", "C98"]),
    ("La Convention 100 ainsi que 111 interdisent les discriminations.", ["C100", "C111"]),
    ("Verdragen 29, 105 of 182 werden genoemd.", ["C29", "C105", "C182"]),
]


@pytest.mark.parametrize("text,want", LISTS)
def test_every_number_of_a_list(text: str, want: list[str]) -> None:
    assert ids(text) == want


MARKS = [
    ("Workers' rights under convention no. 98 are violated.", ["C98"]),
    ("They invoked convention No 87 in court.", ["C87"]),
    ("La convention (n°189) protège les travailleuses domestiques.", ["C189"]),
    ("La Convention (n° 87) est fondamentale.", ["C87"]),
    ("La convention n° 189 de l'OIT est en vigueur.", ["C189"]),
    ("La recommandation n o 202 a été adoptée à l'unanimité.", ["R202"]),
    ("La convention de l'OIT n° 190 a deux ans.", ["C190"]),
    ("De regering moet conventie 189 ratificeren.", ["C189"]),
    ("De aanbeveling 202 gaat over sociale bescherming.", ["R202"]),
    ("Verdrag nummer 81 regelt de arbeidsinspectie.", ["C81"]),
    ("La recommandation 202 (2012) de l'OIT définit quatre garanties.", ["R202"]),
]


@pytest.mark.parametrize("text,want", MARKS)
def test_marks_in_any_case_and_spacing(text: str, want: list[str]) -> None:
    assert ids(text) == want


TITLES = [
    ("Elle a adopté la recommandation sur les socles de protection sociale en 2012.", ["R202"]),
    ("Le Cambodge n'a pas ratifié la convention sur les travailleuses et travailleurs domestiques.", ["C189"]),
    ("La convention de l'OIT sur les travailleuses et travailleurs domestiques est entrée en vigueur.", ["C189"]),
    ("La Convention sur la liberté syndicale et la protection du droit syndical date de 1948.", ["C87"]),
    ("La convention sur l'âge minimum fixe un âge.", ["C138"]),
    ("Nederland ratificeerde het Verdrag inzake de ergste vormen van kinderarbeid.", ["C182"]),
    ("Indonesia ratified the ILO Convention on Domestic Workers (No. 189) last year.", ["C189"]),
    ("La convention sur la violence et le harcèlement, 2019 (n° 190) est en vigueur.", ["C190"]),
]


@pytest.mark.parametrize("text,want", TITLES)
def test_french_and_dutch_titles(text: str, want: list[str]) -> None:
    assert ids(text) == want


PROTOCOLS = [
    ("Le protocole de 2014 relatif à la convention sur le travail forcé est en vigueur.", ["P29"]),
    ("Le protocole de 1995 relatif à la convention sur l'inspection du travail s'applique.", ["P81"]),
    ("Les pays doivent ratifier le protocole de 2014 relatif à la convention n° 29.", ["P29"]),
    ("Countries should ratify the Protocol to Convention 29 soon.", ["P29"]),
    ("Het Protocol bij het Verdrag inzake gedwongen arbeid werd in 2014 aangenomen.", ["P29"]),
    ("Countries ratified Convention No. 81 and its Protocol of 1995.", ["C81", "P81"]),
    ("• Convention (n° 29) sur le travail forcé, 1930 (ainsi que son protocole de 2014)", ["C29", "P29"]),
    ("Nederland ratificeerde verdrag 29 en het bijbehorende protocol.", ["C29", "P29"]),
    # no protocol of Convention 189 exists: the convention stays what it is
    ("The protocol to Convention 189 does not exist; its protocol was never drafted.", ["C189"]),
    # another sentence: not its own protocol
    ("They discussed the Forced Labour Convention. Its protocol came later.", ["C29"]),
]


@pytest.mark.parametrize("text,want", PROTOCOLS)
def test_protocols_named_through_their_convention(text: str, want: list[str]) -> None:
    assert ids(text) == want


ILO_NUMBER = [
    ("Only twelve countries have ratified ILO 183 so far.", ["C183"]),
    ("The union asked parliament to adopt ILO 190 this year.", ["C190"]),
    ("Child labour is banned: minimum age 15 (ILO 138), worst forms (ILO 182).", ["C138", "C182"]),
    ("Het parlement heeft IAO 189 eindelijk geratificeerd.", ["C189"]),
    ("Le Bénin a ratifié OIT 189 en 2018.", ["C189"]),
    # no ratifying or adopting, a count, an anniversary, a footnote-like number, a report: no instrument
    ("The ILO 100 years celebration was held in Geneva.", []),
    ("In 2019 the ILO 100 anniversary was celebrated and a declaration adopted.", []),
    ("See ILO 183 for the figures.", []),
    ("The unions adopted a plan (see ILO 2 above).", []),
    ("The ILO 2019 report was adopted.", []),
]


@pytest.mark.parametrize("text,want", ILO_NUMBER)
def test_ilo_and_a_number_is_an_instrument_only_in_context(text: str, want: list[str]) -> None:
    assert ids(text) == want


NEGATIVES = [
    "La convention collective n° 18 prévoit une prime.",
    "La convention collective de 2019 prévoit 12 jours de congé.",
    "De conventie van Genève werd in 1949 aangenomen.",
    "Le BIT a publié un rapport sur 152 millions d'enfants.",
    "Il a signé le protocole d'accord le 3 mars.",
]


@pytest.mark.parametrize("text", NEGATIVES)
def test_no_instrument(text: str) -> None:
    assert ids(text) == []


def test_a_count_after_a_listed_number_ends_the_list() -> None:
    assert ids("Convention 87 and 20 other standards were discussed.") == ["C87"]
    assert ids("La convention 190 et 25 autres textes ont été adoptés.") == ["C190"]


@pytest.mark.parametrize("lang", ["en", "nl", "fr"])
def test_offsets_point_at_the_mention_in_every_pipeline(lang: str) -> None:
    nlp = spacy.blank(lang)
    nlp.add_pipe("sentences")
    nlp.add_pipe("conventions")
    text = ("Les conventions n os 87 et 98 de l'OIT, le protocole de 2014 relatif à la convention sur le travail forcé "
            "et ILO 183, ratifiée en 2015 (ainsi que la convention n° 81 et son protocole de 1995).")
    doc = nlp(text)
    found = doc._.conventions
    assert [m.id for m in found] == ["C87", "C98", "P29", "C183", "C81", "P81"]
    for m in found:
        assert text[m.start:m.end] == m.text and m.text in m.sentence
    assert [m.text for m in found][:3] == ["conventions n os 87", "98", "protocole de 2014 relatif à la convention "
                                                                      "sur le travail forcé"]


def test_a_title_naming_an_unknown_instrument_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    from pipeline import instruments

    rows = ({"lang": "fr", "title": "Convention sur les licornes", "id": "C999"},)
    monkeypatch.setattr(instruments, "table", lambda name: rows)
    load_table.cache_clear()
    try:
        with pytest.raises(InputError, match="C999"):
            load_table()
    finally:
        monkeypatch.undo()
        load_table.cache_clear()


BRACKETED = [
    ("Het Verdrag betreffende fatsoenlijk werk voor huishoudelijk personeel (nr. 189) trad in werking.", ["C189"]),
    ("Recommendation concerning national floors of social protection (No. 202)", ["R202"]),
    ("Both core conventions, Nos. 87 and 98, remain unratified.", ["C87", "C98"]),
    ("La convention collective de travail (n° 32) règle le transfert.", []),
    ("De Conventie van Genève (nr. 4) gaat over oorlogsgevangenen.", []),
    ("Page 12 of the convention report (No. 5, 2019).", []),
]


@pytest.mark.parametrize("text,want", BRACKETED)
def test_a_marked_number_in_brackets_after_an_instrument_word(text: str, want: list[str]) -> None:
    assert ids(text) == want
