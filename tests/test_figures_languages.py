"""Figures by class of error, in English, Dutch and French: one test a class, with invented sentences.

Each test names a class of the issues (16: units in English, Dutch and French figures; 19: English figures) and
checks it on sentences written for the test, never taken from the seed posts or the dev texts.
"""

from __future__ import annotations

import pytest
import spacy

from pipeline.extract import figures, sentences  # noqa: F401  (register the factories)
from pipeline.records import Figure


@pytest.fixture(scope="module")
def nlps(blank_pipelines) -> dict[str, spacy.language.Language]:
    return blank_pipelines("figures")


def found(nlps, lang: str, text: str) -> list[Figure]:
    figs = nlps[lang](text)._.figures
    for f in figs:
        assert text[f.start:f.end] == f.text
    return figs


def values(nlps, lang: str, text: str) -> list[tuple]:
    """(value or (low, high), unit) of each figure, values rounded to one decimal."""
    return [((f.low, f.high) if f.low is not None else round(f.value, 1), f.unit) for f in found(nlps, lang, text)]


# Issue 16, 2: units in English whatever the language; the word as written in unit_text.
def test_dutch_and_french_units_are_english_and_the_written_word_is_kept(nlps) -> None:
    cases = [
        ("nl", "Ruim 300 mensen en 45 vrijwilligers kwamen op.", [(300, "people", "mensen"),
                                                                  (45, "volunteers", "vrijwilligers")]),
        ("nl", "De bond telt 8.000 werknemers in 14 landen.", [(8000, "workers", "werknemers"),
                                                              (14, "countries", "landen")]),
        ("nl", "Het tekort bedraagt 12 procent.", [(12, "%", "procent")]),
        ("fr", "Plus de 600 personnes et 20 travailleuses étaient présentes.", [(600, "people", "personnes"),
                                                                                (20, "workers", "travailleuses")]),
        ("fr", "La hausse atteint 7 pour cent dans 9 pays.", [(7, "%", "pour cent"), (9, "countries", "pays")]),
        ("fr", "Un don de 300 euros et de 25 dollars.", [(300, "EUR", "euros"), (25, "USD", "dollars")]),
        ("fr", "Ils attendent depuis 6 mois et 3 semaines.", [(6, "months", "mois"), (3, "weeks", "semaines")]),
    ]
    for lang, text, want in cases:
        got = [(round(f.value, 1), f.unit, f.unit_text) for f in found(nlps, lang, text)]
        assert got == want, text


def test_dutch_compounds_take_the_unit_of_their_known_ending(nlps) -> None:
    assert values(nlps, "nl", "Er sloten 12 kledingfabrieken en 40 hulporganisaties.") == [
        (12, "factories"), (40, "organisations")]
    # a two-letter prefix is no compound: "eilanden" (islands) does not count countries
    assert values(nlps, "nl", "Het land telt 17 eilanden.") == [(17, "islands")]


def test_dutch_adjectives_before_and_french_adjectives_around_the_noun(nlps) -> None:
    assert values(nlps, "nl", "Er waren 14 Birmese arbeidsmigranten.") == [(14, "migrant workers")]
    assert values(nlps, "fr", "Les trois prochaines semaines, 12 Etats membres voteront.") == [
        (3, "weeks"), (12, "member states")]


def test_an_unknown_noun_stays_as_written(nlps) -> None:
    f, = found(nlps, "nl", "Ze plantten 40 knotwilgen.")
    assert (f.unit, f.unit_text) == ("knotwilgen", "knotwilgen")


# Issue 16, 3: Dutch figures.
def test_dutch_number_words_and_compounds(nlps) -> None:
    assert values(nlps, "nl", "Tweehonderd betogers en vijfduizend studenten.") == [
        (200, "demonstrators"), (5000, "students")]
    assert values(nlps, "nl", "Een half miljoen kinderen en anderhalf miljoen ouders.") == [
        (500000, "children"), (1500000, "parents")]
    assert values(nlps, "nl", "Achtentwintig bonden tekenden.") == [(28, "trade unions")]
    assert values(nlps, "nl", "Na een tweedaagse staking.") == [(2, "days")]
    assert values(nlps, "nl", "Tienduizend arbeiders en één inspecteur.") == [(10000, "workers"), (1, "inspectors")]


def test_dutch_words_that_only_contain_a_number_are_no_figures(nlps) -> None:
    for text in ("Een tweedehands jas, een jaar later.", "Ze nemen het in acht.", "Eén van de leiders sprak.",
                 "Een van hen kwam.", "Ze waren met z'n tweeën."):
        assert values(nlps, "nl", text) == [], text


def test_dutch_ranges_in_words_and_digits(nlps) -> None:
    assert values(nlps, "nl", "Het gaat om vijf tot tien procent van de lonen.") == [((5.0, 10.0), "%")]
    assert values(nlps, "nl", "Tussen 3000 en 4000 arbeiders.") == [((3000.0, 4000.0), "workers")]
    assert values(nlps, "nl", "Het loon steeg van 95 naar 130 euro.") == [((95.0, 130.0), "EUR")]


def test_dutch_qualifiers_make_a_figure_approximate(nlps) -> None:
    for text, q in [("Zo'n 400 leden.", "zo'n"), ("Naar schatting 2.000 kinderen.", "naar schatting"),
                    ("Wel 60 merken.", "wel"), ("Een kleine 900 mensen.", "een kleine"),
                    ("Zeker 12 doden.", "zeker")]:
        f, = found(nlps, "nl", text)
        assert f.approx and f.qualifier == q, text
    f, = found(nlps, "nl", "Een twintigtal vakbondsleden.")
    assert (f.value, f.unit, f.approx) == (20, "trade union members", True)


def test_a_qualified_number_in_words_takes_the_noun_said_before(nlps) -> None:
    assert values(nlps, "nl", "Veel merken tekenden, zeker veertig, maar niet alle.") == [(40, "brands")]


def test_dutch_non_figures(nlps) -> None:
    for text in ("Zie voetnoot[3] en artikel 12.", "Op bladzijde 45 staat het.", "Stort op BE71 0961 2345 6769.",
                 "De ngo 11.11.11 werkt samen.", "In 2021 was het beter.", "Op 3 maart gebeurde het.",
                 "De tweede plaats.", "In de jaren ’80 en ’90.", "In de jaren 70 en 80.", "Bel 09 123 45 67."):
        assert values(nlps, "nl", text) == [], text
    # digits glued to a name by a period are part of the name: only 330 is a figure
    assert [v for v, _ in values(nlps, "nl", "Ze steunen 330 11.groepen.")] == [330]


def test_ages_and_clock_times_are_no_figures(nlps) -> None:
    for lang, text in [("nl", "Kinderen tussen tien en veertien jaar werken."), ("nl", "Jongeren onder 18 jaar."),
                       ("nl", "De minimumleeftijd voor werk is 16 jaar."), ("nl", "Hij is 52 jaar oud."),
                       ("nl", "Ze beginnen om 7 uur."), ("nl", "Ze werken van zeven tot zeven."),
                       ("fr", "Les enfants de moins de 15 ans."), ("fr", "Des enfants âgés de 5 à 17 ans."),
                       ("fr", "Ils commencent à 6 heures."), ("en", "Girls aged 12 to 15 years."),
                       ("en", "Under the age of 30, nobody."), ("en", "A 45-year-old driver."),
                       ("en", "On reaching 60, members retire.")]:
        assert values(nlps, lang, text) == [], (lang, text)
    # durations stay figures
    assert values(nlps, "nl", "Ze werkt al 20 jaar in de haven.") == [(20, "years")]
    assert values(nlps, "fr", "Depuis plus de 15 ans.") == [(15, "years")]


# Issue 16, 4: French figures.
def test_french_thousands_with_spaces_and_decimal_commas(nlps) -> None:
    assert values(nlps, "fr", "Au total 1 500 000 personnes et 2 750 usines.") == [
        (1500000, "people"), (2750, "factories")]
    assert values(nlps, "fr", "Soit 3\u202f420 salariés et 12\u00a0000 emplois.") == [
        (3420, "employees"), (12000, "jobs")]
    text = "Un budget de 4,2 millions d’euros et 7.4 millions de dollars; 2,5 milliards d’ouvriers."
    assert values(nlps, "fr", text) == [
        (4200000, "EUR"), (7400000, "USD"), (2500000000, "workers")]
    assert values(nlps, "fr", "Un salaire de 9.300 takas.") == [(9300, "BDT")]
    assert values(nlps, "fr", "Un budget de 3,5 M€ et 1,4 Md€.") == [(3500000, "EUR"), (1400000000, "EUR")]
    assert values(nlps, "nl", "Een fonds van 2,5 mld euro.") == [(2500000000, "EUR")]


def test_french_number_words(nlps) -> None:
    assert values(nlps, "fr", "Quatre-vingt-dix-sept pour cent des salariés.") == [(97, "%")]
    assert values(nlps, "fr", "Soixante et onze syndicats et deux cents ONG.") == [(71, "trade unions"), (200, "NGOs")]
    assert values(nlps, "fr", "Trois millions d’enfants.") == [(3000000, "children")]
    assert values(nlps, "fr", "Un fonds de 12 millions et demi de dollars.") == [(12500000, "USD")]
    assert values(nlps, "fr", "Deux ans et demi plus tard.") == [(2.5, "years")]
    assert values(nlps, "fr", "Une centaine de militants.") == [(100, "activists")]
    for text in ("Un homme est venu.", "Une femme parle.", "Tous deux sont partis.", "Un bâtiment neuf."):
        assert values(nlps, "fr", text) == [], text


def test_french_ranges_qualifiers_and_partitives(nlps) -> None:
    assert values(nlps, "fr", "Entre 4 et 9 dollars par jour.") == [((4.0, 9.0), "USD")]
    assert values(nlps, "fr", "Une hausse entre 0,5 et 2 pour cent.") == [((0.5, 2.0), "%")]
    for text, q in [("Plus de 300 grévistes.", "plus de"), ("Près de 40 usines.", "près de"),
                    ("Environ 90 délégués.", "environ"), ("Au moins 12 morts.", "au moins"),
                    ("Jusqu’à 60 heures par semaine.", "jusqu’à"), ("Pas moins de 8 pays.", "pas moins de")]:
        f, = found(nlps, "fr", text)
        assert f.approx and f.qualifier == q, text
    assert values(nlps, "fr", "Plus de 20 de ses membres ont voté.") == [(20, "members")]


def test_french_non_figures(nlps) -> None:
    for text in ("Le 14 juillet 2019, rien.", "Le 1er mai est férié.", "Lors de la 98 e session.",
                 "Voir l’article 7 et la convention n° 87.", "En 2014, le projet a commencé.",
                 "De 2008 à 2012, rien.", "Dans les années 90."):
        assert values(nlps, "fr", text) == [], text


# Issue 19, 9-13: English figures.
def test_currency_codes_glued_to_the_number(nlps) -> None:
    assert values(nlps, "en", "They earn 3.500MMK, or 60PHP, (2 to 3USD) and GBP1.2m in all.") == [
        (3500, "MMK"), (60, "PHP"), ((2.0, 3.0), "USD"), (1200000, "GBP")]


def test_english_number_words(nlps) -> None:
    assert values(nlps, "en", "Thirty two delegates and forty-four observers came.") == [
        (32, "delegates"), (44, "observers")]
    assert values(nlps, "en", "A million people, one million members and half a million votes.") == [
        (1000000, "people"), (1000000, "members"), (500000, "votes")]
    assert values(nlps, "en", "It lasted two and a half weeks.") == [(2.5, "weeks")]
    assert values(nlps, "en", "A four-day strike by a seven-member panel.") == [(4, "days"), (7, "members")]
    assert values(nlps, "en", "One nurse stayed. One month later she left.") == [(1, "nurse"), (1, "months")]
    for text in ("No one came.", "On the one hand, yes.", "One of the leaders spoke.", "A one-off payment."):
        assert values(nlps, "en", text) == [], text


def test_english_non_figures_years_dates_times_identifiers(nlps) -> None:
    for text in ("Our 2027 plans are ready.", "The 2031 targets are far.", "From 3 until 5th of May we met.",
                 "Join us at 7 PM.", "After COVID 19 everything changed.", "The SDG 8 is key.",
                 "(ILO 190)", "She ranked ninth.", "The team placed in four.", "It ranked 7 this year."):
        assert values(nlps, "en", text) == [], text
    assert values(nlps, "en", "They ordered 1500-2500 caps.") == [((1500.0, 2500.0), "caps")]
    assert values(nlps, "en", "By 2025 we had 2000 members.") == [(2000, "members")]


def test_open_ended_numbers_count_the_noun_after_the_open_end(nlps) -> None:
    for lang, text, unit in [("en", "Firms with 20 or more employees.", "employees"),
                             ("nl", "Bedrijven met 50 of meer werknemers.", "workers")]:
        f, = found(nlps, lang, text)
        assert (f.unit, f.approx) == (unit, True), text


def test_thresholds_are_figures_but_ages_are_not(nlps) -> None:
    f, = found(nlps, "en", "Over 70% of members agreed.")
    assert (f.value, f.unit, f.approx) == (70, "%", True)
    assert values(nlps, "en", "Under the age of 25, workers earn less.") == []


def test_counts_in_a_partitive_give_both_numbers(nlps) -> None:
    assert values(nlps, "en", "Four of the nine federations signed.") == [(4, "federations"), (9, "federations")]
    assert values(nlps, "nl", "Drie van de zeven vakbonden tekenden.") == [(3, "trade unions"), (7, "trade unions")]


def test_a_number_that_names_nothing_takes_the_noun_around_it(nlps) -> None:
    # the same value said before with its unit
    assert values(nlps, "fr", "Il manque 4 millions de dollars. Les 4 millions restants arriveront.") == [
        (4000000, "USD"), (4000000, "USD")]
    # a count right after it in the same clause
    assert values(nlps, "nl", "Eerst met 12, nu met 40 leden.") == [(12, "members"), (40, "members")]
    # the last counted noun of the paragraph
    assert values(nlps, "nl", "De meeste vluchtelingen komen uit Syrië: 3.400 volgens de cijfers.") == [
        (3400, "refugees")]


# Issue 19, 14: provenance.
def test_figure_sentence_stays_in_its_paragraph_and_text_ends_at_the_last_word(nlps) -> None:
    text = "Results in brief\n\n\nOver 400 members joined, and 12 unions.\n\nNew chapter\n\nNext 5 days matter."
    figs = found(nlps, "en", text)
    assert [f.sentence for f in figs] == ["Over 400 members joined, and 12 unions.",
                                          "Over 400 members joined, and 12 unions.", "Next 5 days matter."]
    assert [f.text for f in figs] == ["Over 400 members", "12 unions", "5 days"]
    f, = found(nlps, "nl", "  • 277\n  partners gesteund\n  • Iets anders")
    assert (f.value, f.unit, f.text) == (277, "partners", "277\n  partners")
