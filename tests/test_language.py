"""Language identification: the vote, the detectors, the nl/fr second opinion, short and uncertain paragraphs,
mixed posts, determinism, the corpus split. Every text here is invented for the test."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.config import DETECT_LANGUAGES, LANGUAGE_BACKENDS
from pipeline.flags import DESCRIPTIONS, LANGUAGE_UNCERTAIN
from pipeline.language import WORD, Detection, LanguageDetector, corpus_language, paragraph_spans, split_corpus
from pipeline.language_models import PRIORS
from pipeline.language_vote import hits, vote
from pipeline.records import Post

EN = ("The trade unions of Cambodia called on the government to extend social protection to all workers in "
      "the informal economy, who have no access to health care or pensions.")
NL = ("De vakbonden in Cambodja vragen de regering om sociale bescherming uit te breiden naar alle werknemers "
      "in de informele economie, die vandaag geen toegang hebben tot gezondheidszorg of pensioen.")
FR = ("Les syndicats du Cambodge ont demandé au gouvernement d'étendre la protection sociale à tous les "
      "travailleurs de l'économie informelle, qui n'ont pas accès aux soins de santé.")
# French full of "de", "en" and "la", which Dutch (de, en) and Spanish (la, de, en) share.
FR_DENSE = [
    "Selon la direction de la coopérative, la part de la masse salariale de la région reste en baisse.",
    "La grève de la faim en prison de la militante a duré vingt jours en mars.",
    "En Indonésie, la moitié de la main-d'oeuvre de la confection travaille en sous-traitance.",
    "Rapport de la mission de solidarité en Asie",
    "Le salaire minimum de la province de Phnom Penh reste en dessous de la moyenne.",
]
NL_LOANWORDS = [
    "De campagne rond fair fashion kreeg veel likes op social media, maar de brands reageerden niet op de "
    "mails van de vakbond.",
    "Het management van de fabriek plande een meeting met de stakeholders over de nieuwe business case.",
]
EN_DUTCH_NAMES = [
    "Jan de Vries and Marijke van den Berg of the Vlaamse Vakbondscentrale met the workers in Dhaka, where they "
    "heard about the wages.",
    "Statement by Wereldsolidariteit, Broederlijk Delen and Vredeseilanden on the situation of the workers.",
]
OTHERS = {
    "de": "Die Gewerkschaften in Kambodscha fordern die Regierung auf, den sozialen Schutz auf alle Arbeitnehmer "
          "in der informellen Wirtschaft auszuweiten.",
    "es": "Los sindicatos de Camboya piden al gobierno que amplíe la protección social a todos los trabajadores "
          "de la economía informal.",
    "id": "Serikat buruh di Kamboja meminta pemerintah untuk memperluas perlindungan sosial bagi semua pekerja "
          "di sektor informal.",
}


def post(*paras: str, title: str = "") -> Post:
    return Post(id="p", url="", date="", title=title, text="\n\n".join(paras))


def tokens(text: str) -> list[str]:
    return [w.lower() for w in WORD.findall(text)]


@pytest.fixture(scope="module")
def detector() -> LanguageDetector:
    return LanguageDetector()


class Stub:
    """A detector model that always gives the same answer."""

    def __init__(self, lang: str | None, confidence: float | None) -> None:
        self.answer = (lang, confidence)
        self.seen: list[str] = []

    def detect(self, text: str) -> tuple[str | None, float | None]:
        self.seen.append(text)
        return self.answer


# ---------------------------------------------------------------- the vote


def test_words_of_several_languages_count_for_none() -> None:
    assert hits(tokens("de en la de en la de en")) == {}
    # French elisions count as French, and only the words of one language count for it
    assert hits(tokens("d'abord qu'il n'est pas")) == {"fr": 4}
    assert vote(tokens("La grève de la faim en prison de la militante en mars")) is None


@pytest.mark.parametrize("text,want", [
    ("The next meeting of the network is planned for July, with the members.", "en"),
    ("De volgende bijeenkomst van het netwerk is gepland voor juli, met de leden.", "nl"),
    ("Les syndicats et les travailleurs sont dans la rue pour le salaire.", "fr"),
    ("Die Gewerkschaften und die Arbeitnehmer sind nicht einverstanden.", None),  # another language: the detector
    ("For the leden zijn there van het werk.", None),  # no clear winner
    ("Kambodscha Regierung Arbeitnehmer Wirtschaft Zugang.", None),
])
def test_vote_settles_only_clear_english_dutch_and_french(text: str, want: str | None) -> None:
    assert vote(tokens(text)) == want


# ---------------------------------------------------------------- the chain


@pytest.mark.parametrize("text", FR_DENSE)
def test_french_dense_with_de_en_la_is_french(detector: LanguageDetector, text: str) -> None:
    assert detector.detect(text) == "fr"


def test_french_post_is_french_paragraph_by_paragraph(detector: LanguageDetector) -> None:
    p = detector.annotate(post(*FR_DENSE, "En bref", "Photo : achACT"))
    assert p.language == "fr" and not p.mixed
    assert [x.language for x in p.paragraphs] == ["fr"] * 7


@pytest.mark.parametrize("text", NL_LOANWORDS)
def test_dutch_with_english_loanwords_is_dutch(detector: LanguageDetector, text: str) -> None:
    assert detector.detect(text) == "nl"


@pytest.mark.parametrize("text", EN_DUTCH_NAMES)
def test_english_with_dutch_names_is_english(detector: LanguageDetector, text: str) -> None:
    assert detector.detect(text) == "en"


@pytest.mark.parametrize("lang", sorted(OTHERS))
def test_other_languages_are_named_not_forced(detector: LanguageDetector, lang: str) -> None:
    assert detector.detect(OTHERS[lang]) == lang
    p = detector.annotate(post(OTHERS[lang], OTHERS[lang]))
    assert p.language == lang


def test_english_and_dutch_posts(detector: LanguageDetector) -> None:
    en = detector.annotate(post(EN, EN))
    nl = detector.annotate(post(NL, NL))
    assert (en.language, en.mixed) == ("en", False)
    assert (nl.language, nl.mixed) == ("nl", False)


def test_dutch_post_with_an_english_paragraph_is_mixed(detector: LanguageDetector) -> None:
    p = detector.annotate(post(NL, EN, NL))
    assert p.language == "nl" and p.mixed
    assert [x.language for x in p.paragraphs] == ["nl", "en", "nl"]
    assert p.text[p.paragraphs[1].start:p.paragraphs[1].end] == EN


def test_dutch_post_with_a_french_paragraph_is_mixed(detector: LanguageDetector) -> None:
    p = detector.annotate(post(NL, FR, NL))
    assert p.language == "nl" and p.mixed
    assert [x.language for x in p.paragraphs] == ["nl", "fr", "nl"]


def test_short_paragraphs_keep_a_sure_answer_else_take_the_post_language(detector: LanguageDetector) -> None:
    # "Made in Cambodja" and "Bron: ILO" tell nothing: the post's language; a clear short heading keeps its own.
    p = detector.annotate(post(NL, "Made in Cambodja", NL, "Bron: ILO", "The unions of the network"))
    assert [x.language for x in p.paragraphs] == ["nl", "nl", "nl", "nl", "en"]
    assert not p.mixed  # a short paragraph does not make a post mixed


def test_short_paragraph_rule_per_backend() -> None:
    d = LanguageDetector()
    d.model = Stub("de", 0.9)
    p = d.annotate(post(NL, "Kurze Zeile hier"))
    assert [x.language for x in p.paragraphs] == ["nl", "de"]  # the vote settles NL; the stub is sure
    d.model = Stub("de", 0.3)
    assert [x.language for x in d.annotate(post(NL, "Kurze Zeile hier")).paragraphs] == ["nl", "nl"]
    ld = LanguageDetector(backend="langdetect")
    ld.model = Stub("de", 1.0)  # langdetect's probabilities are never trusted on short text
    assert [x.language for x in ld.annotate(post(NL, "Kurze Zeile hier")).paragraphs] == ["nl", "nl"]


def test_nl_answers_get_a_second_opinion_that_turns_french_into_fr() -> None:
    d = LanguageDetector()
    d.model = Stub("nl", 0.99)  # a detector that would file everything as Dutch
    assert d.detect_scored(FR_DENSE[0]) == Detection("fr", 0.99, "guard")
    assert d.detect("Internationale arbeidsverdragen") == "nl"  # a Dutch heading stays Dutch
    assert d.detect(NL) == "nl" and d.stats["nl_turned_fr"] == 1
    d.model = Stub("de", 0.99)
    d.guard = Stub("fr", 0.99)
    assert d.detect(OTHERS["de"]) == "de"  # only nl answers are checked


def test_the_second_opinion_comes_from_another_model() -> None:
    for backend in LANGUAGE_BACKENDS:
        d = LanguageDetector(backend=backend)
        assert type(d.guard) is not type(d.model) or backend == "lingua" and d.guard.languages == ("nl", "fr")
        assert d.guard.languages == ("nl", "fr")


def test_long_paragraph_with_low_confidence_keeps_its_answer_and_is_flagged() -> None:
    d = LanguageDetector(fast=False)
    d.model = Stub("it", 0.31)
    p = d.annotate(post(OTHERS["es"]))
    assert p.language == "it" and [x.language for x in p.paragraphs] == ["it"]
    assert p.flags == [LANGUAGE_UNCERTAIN] and LANGUAGE_UNCERTAIN in DESCRIPTIONS
    assert d.stats["uncertain_posts"] == 1
    d.model = Stub("es", 0.97)
    assert d.annotate(post(OTHERS["es"])).flags == []
    again = d.annotate(p)  # flags are kept once
    assert again.flags == [LANGUAGE_UNCERTAIN]


def test_langdetect_probabilities_never_flag() -> None:
    d = LanguageDetector(backend="langdetect", fast=False)
    d.model = Stub("it", 0.31)
    assert d.annotate(post(OTHERS["es"])).flags == []


@pytest.mark.parametrize("backend", LANGUAGE_BACKENDS)
def test_every_backend_separates_the_three_languages(backend: str) -> None:
    d = LanguageDetector(backend=backend)
    texts = [EN, NL, FR, *FR_DENSE[:3], *NL_LOANWORDS, *EN_DUTCH_NAMES]
    assert [d.detect(t) for t in texts] == ["en", "nl", "fr", "fr", "fr", "fr", "nl", "nl", "en", "en"]
    assert d.detect(OTHERS["de"]) == "de"


@pytest.mark.parametrize("backend", LANGUAGE_BACKENDS)
def test_detection_is_deterministic_across_instances_and_orders(backend: str) -> None:
    texts = [EN, NL, FR, *FR_DENSE, *OTHERS.values(), "Social protection floors for all", "Lees meer", "En bref"]
    a = LanguageDetector(backend=backend).detect_paragraphs(texts)
    b = LanguageDetector(backend=backend).detect_paragraphs(texts[::-1])[::-1]
    assert a == b


def test_language_set_is_restricted_and_complete() -> None:
    assert {"en", "nl", "fr", "de", "es", "id"} <= set(DETECT_LANGUAGES)
    assert not {"af", "ms"} & set(DETECT_LANGUAGES)  # they take short Dutch and Indonesian lines
    assert set(PRIORS) == set(DETECT_LANGUAGES)
    for backend in LANGUAGE_BACKENDS:
        assert set(LanguageDetector(backend=backend).model.__dict__.get("languages", DETECT_LANGUAGES)) \
            == set(DETECT_LANGUAGES)


def test_paragraph_spans_skip_surrounding_whitespace() -> None:
    text = "  one\n\n\n two \n \nthree"
    assert [text[s:e] for s, e in paragraph_spans(text)] == ["one", "two", "three"]
    assert paragraph_spans("") == []


def test_empty_post_and_paragraphs_without_words(detector: LanguageDetector) -> None:
    p = detector.annotate(post(""))
    assert p.language == "en" and p.paragraphs == [] and not p.mixed
    p = detector.annotate(post(FR, "2.500 — 45 %"))
    assert [x.language for x in p.paragraphs] == ["fr", "fr"]


def test_unknown_backend_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown language backend"):
        LanguageDetector(backend="magic")


def test_corpus_folders() -> None:
    assert [corpus_language(x) for x in ("en", "nl", "fr", "de", None)] == ["en", "nl", "fr", "other", "other"]


def test_split_corpus_writes_one_folder_per_language(tmp_path: Path, detector: LanguageDetector) -> None:
    texts = [EN, NL, FR, OTHERS["de"]]
    posts = [detector.annotate(Post(id=str(i), url="", date="", title="", text=t)) for i, t in enumerate(texts)]
    pp, rp = tmp_path / "posts.jsonl", tmp_path / "records.jsonl"
    pp.write_text("".join(json.dumps(p.to_dict()) + "\n" for p in posts))
    rp.write_text("".join(json.dumps({"id": p.id, "language": p.language}) + "\n" for p in posts))
    counts = split_corpus(pp, rp, tmp_path)
    assert counts == {"en": 1, "nl": 1, "fr": 1, "other": 1}
    assert json.loads((tmp_path / "fr" / "records.jsonl").read_text())["id"] == "2"
    assert json.loads((tmp_path / "other" / "posts.jsonl").read_text())["language"] == "de"


def test_langdetect_vectors_are_cut_to_the_prior_languages_and_leave_the_cyclic_collector() -> None:
    import gc

    factory = LanguageDetector(backend="langdetect")._langdetect_factory
    gc.collect()
    vectors = list(factory.word_lang_prob_map.values())
    assert sorted(factory.langlist) == sorted(PRIORS) and all(len(v) == len(PRIORS) for v in vectors[:1000])
    # 87,000 vectors that every full collection would otherwise traverse for the rest of the run
    assert len(vectors) > 50_000 and not any(gc.is_tracked(v) for v in vectors[:1000])
