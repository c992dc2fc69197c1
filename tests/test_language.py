"""Language separation: English, Dutch, mixed posts, short paragraphs, other languages, determinism."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.language import LanguageDetector, paragraph_spans, split_corpus
from pipeline.records import Post

EN = ("The trade unions of Cambodia called on the government to extend social protection to all workers in "
      "the informal economy, who have no access to health care or pensions.")
NL = ("De vakbonden in Cambodja vragen de regering om sociale bescherming uit te breiden naar alle werknemers "
      "in de informele economie, die vandaag geen toegang hebben tot gezondheidszorg of pensioen.")
FR = ("Les syndicats du Cambodge ont demandé au gouvernement d'étendre la protection sociale à tous les "
      "travailleurs de l'économie informelle, qui n'ont pas accès aux soins de santé.")
DE = ("Die Gewerkschaften in Kambodscha fordern die Regierung auf, den sozialen Schutz auf alle Arbeitnehmer "
      "in der informellen Wirtschaft auszuweiten, die keinen Zugang zur Gesundheitsversorgung haben.")


def post(*paras: str) -> Post:
    return Post(id="p", url="", date="", title="", text="\n\n".join(paras))


@pytest.fixture(scope="module")
def detector() -> LanguageDetector:
    return LanguageDetector()


def test_paragraph_spans_skip_surrounding_whitespace() -> None:
    text = "  one\n\n\n two \n \nthree"
    assert [text[s:e] for s, e in paragraph_spans(text)] == ["one", "two", "three"]
    assert paragraph_spans("") == []


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


def test_short_paragraphs_take_the_post_language(detector: LanguageDetector) -> None:
    p = detector.annotate(post(NL, "Made in Cambodja", NL, "Teken de petitie!"))
    assert [x.language for x in p.paragraphs] == ["nl", "nl", "nl", "nl"] and not p.mixed


def test_other_languages_are_named_not_forced(detector: LanguageDetector) -> None:
    assert detector.detect(FR) == "fr"
    assert detector.detect(DE) == "de"


@pytest.mark.parametrize("text,vote", [
    ("The next meeting is planned for July 2026.", "en"),
    ("De volgende bijeenkomst is gepland voor augustus 2026.", "nl"),
    ("The Gewerkschaften und Arbeitnehmer are here.", None),  # 'und': another language speaks against it
    ("Le congrès des syndicats for the workers.", None),
    ("For the Vakbond de leden zijn.", None),  # both English and Dutch words: not settled by function words
    ("Kambodscha Regierung Arbeitnehmer Wirtschaft Zugang.", None),
])
def test_function_words_settle_clear_short_paragraphs_only(text: str, vote: str | None) -> None:
    from pipeline.language import WORD, function_word_vote

    assert function_word_vote([w.lower() for w in WORD.findall(text)]) == vote


def test_german_and_french_with_some_english_words_still_reach_langdetect(detector: LanguageDetector) -> None:
    assert detector.detect("Die Gewerkschaften fordern an the Regierung und die Arbeitgeber mehr Schutz.") == "de"
    assert detector.detect("Les syndicats on the demandent au gouvernement une protection pour les travailleurs.") \
        == "fr"


def test_detection_is_deterministic_across_call_orders() -> None:
    texts = [EN, NL, FR, DE, "Social protection floors for all", "Sociale bescherming voor iedereen"]
    a = [LanguageDetector().detect(t, fast=False) for t in texts]
    b = [LanguageDetector().detect(t, fast=False) for t in reversed(texts)][::-1]
    assert a == b


def test_empty_post(detector: LanguageDetector) -> None:
    p = detector.annotate(post(""))
    assert p.language == "en" and p.paragraphs == [] and not p.mixed


def test_unknown_backend_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown language backend"):
        LanguageDetector(backend="magic")


def test_lingua_backend_agrees_on_clear_cases() -> None:
    d = LanguageDetector(backend="lingua")
    assert (d.detect(EN), d.detect(NL)) == ("en", "nl")


def test_split_corpus_writes_one_folder_per_language(tmp_path: Path, detector: LanguageDetector) -> None:
    posts = [detector.annotate(Post(id=str(i), url="", date="", title="", text=t)) for i, t in enumerate([EN, NL, FR])]
    pp, rp = tmp_path / "posts.jsonl", tmp_path / "records.jsonl"
    pp.write_text("".join(json.dumps(p.to_dict()) + "\n" for p in posts))
    rp.write_text("".join(json.dumps({"id": p.id, "language": p.language}) + "\n" for p in posts))
    counts = split_corpus(pp, rp, tmp_path)
    assert counts == {"en": 1, "nl": 1, "other": 1}
    assert json.loads((tmp_path / "nl" / "records.jsonl").read_text())["id"] == "1"


def test_langdetect_vectors_are_cut_to_the_prior_languages_and_leave_the_cyclic_collector() -> None:
    import gc

    from pipeline.language import PRIORS, LanguageDetector

    factory = LanguageDetector()._langdetect_factory
    gc.collect()
    vectors = list(factory.word_lang_prob_map.values())
    assert sorted(factory.langlist) == sorted(PRIORS) and all(len(v) == len(PRIORS) for v in vectors[:1000])
    # 87,000 vectors that every full collection would otherwise traverse for the rest of the run
    assert len(vectors) > 50_000 and not any(gc.is_tracked(v) for v in vectors[:1000])
