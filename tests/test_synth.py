"""The synthetic blog: deterministic bytes, realistic content, and a store that parses back to its posts."""

from __future__ import annotations

import re
import statistics
from pathlib import Path

import lxml.html
import pytest

from pipeline.bench.entities import vocabulary
from pipeline.bench.synth import synth_entries, synth_posts, write_synth
from pipeline.cli import main
from pipeline.errors import InputError
from pipeline.parse import parse_store
from pipeline.rawstore import iter_raw

N = 60


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("synth") / "raw"
    write_synth(out, N, seed=7)
    return out


def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path: Path, store: Path) -> None:
    again = tmp_path / "again"
    assert main(["-q", "synth", "--posts", str(N), "--out", str(again), "--seed", "7"]) == 0
    first = (store / "crawl.warc.gz").read_bytes()
    assert (again / "crawl.warc.gz").read_bytes() == first
    other = tmp_path / "other"
    write_synth(other, N, seed=8)
    assert (other / "crawl.warc.gz").read_bytes() != first
    assert [p.text for p in synth_posts(N, 7)] != [p.text for p in synth_posts(N, 8)]


def test_store_parses_back_into_exactly_the_synthetic_posts(store: Path) -> None:
    expected = {p.id: p for p in synth_posts(N, seed=7)}
    parsed = parse_store(store)
    assert len(parsed) == N == len(expected)
    for post in parsed:
        want = expected[post.id]
        assert (post.url, post.date, post.published, post.title, post.labels) == (
            want.url, want.date, want.published, want.title, want.labels)
        assert post.text == want.text  # truncated listing copies lose to their full permalink page


def test_listing_pages_group_posts_under_date_headers_and_truncate_some(store: Path) -> None:
    responses = list(iter_raw(store))
    assert len({r.url for r in responses}) == len(responses)
    assert all(r.status == 200 and r.content_type == "text/html" for r in responses)
    listings = [r for r in responses if not r.url.endswith(".html")]
    permalinks = [r for r in responses if r.url.endswith(".html")]
    entries = list(synth_entries(N, seed=7))
    assert len(permalinks) == sum(e.truncated for e in entries) > 0
    shared_header = jump_links = 0
    for r in listings:
        doc = lxml.html.document_fromstring(r.body)
        for group in doc.find_class("date-posts"):
            shared_header += len(group.find_class("post-outer")) > 1
        jump_links += len(doc.find_class("jump-link"))
    assert shared_header > 0  # several posts under one date header
    assert jump_links >= len(permalinks)


def test_posts_are_bilingual_and_carry_figures_organisations_and_conventions() -> None:
    entries = list(synth_entries(400, seed=1))
    dutch = [e for e in entries if e.dutch]
    assert 0.08 <= len(dutch) / len(entries) <= 0.12
    assert any(e.mixed for e in dutch) and not any(e.mixed for e in entries if not e.dutch)
    words = [len(e.post.text.split()) for e in entries]
    assert 200 <= statistics.mean(words) <= 300 and min(words) >= 100
    texts = [e.post.text for e in entries]
    assert sum(bool(re.search(r"\d+(?:[.,]\d+)?\s?(?:%|per ?cent|procent)", t)) for t in texts) > 0.5 * len(texts)
    money = re.compile(r"US\$|USD|EUR|€|\$|₱|Rp|Tk|Rs\.|NPR|KHR|IDR|BDT|RM|rupees|taka|pesos|euro|dollar")
    assert sum(bool(money.search(t)) for t in texts) > 0.5 * len(texts)
    assert sum(bool(re.search(r"\(\d[\d,.]* women|vrouwen", t)) for t in texts) > 0.2 * len(texts)
    vocab = vocabulary()
    names = {o.name for orgs in vocab.orgs.values() for o in orgs}
    assert sum(any(n in t for n in names) for t in texts[:100]) >= 95  # nearly every post names one
    conv = re.compile(r"Convention|Conventions \d|\bC\d{2,3}\b|Recommendation|verdrag|aanbeveling", re.I)
    assert sum(bool(conv.search(t)) for t in texts) > 0.4 * len(texts)
    nl_text = " ".join(e.post.text for e in dutch if not e.mixed)
    assert nl_text.count(" de ") > 10 * max(1, nl_text.count(" the "))  # English only in instrument titles


def test_dutch_posts_are_detected_as_dutch(store: Path) -> None:
    from pipeline.language import LanguageDetector

    detector = LanguageDetector()
    flags = {e.post.id: e for e in synth_entries(N, seed=7)}
    annotated = [detector.annotate(p) for p in parse_store(store)]
    assert sum(p.language == "nl" for p in annotated) == sum(e.dutch for e in flags.values()) == N // 10
    for p in annotated:
        assert (p.language == "nl") == flags[p.id].dutch
        if flags[p.id].mixed:
            assert p.mixed and {para.language for para in p.paragraphs} >= {"en", "nl"}


def test_bad_arguments_name_the_culprit(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="--posts"):
        write_synth(tmp_path / "x", -1)
    a_file = tmp_path / "file"
    a_file.write_text("not a directory")
    with pytest.raises(InputError, match="file"):
        write_synth(a_file, 3)
    (tmp_path / "mixed").mkdir()
    (tmp_path / "mixed" / "old.warc.gz").write_bytes(b"")
    assert main(["-q", "synth", "--posts", "3", "--out", str(tmp_path / "mixed")]) == 2


def test_vocabulary_reads_the_toml_knowledge_base_and_falls_back_without_data(tmp_path: Path) -> None:
    (tmp_path / "organisations.toml").write_text(
        '[[org]]\nid = "tuf"\nname = "Test Union Federation"\nacronyms = ["TU", "TUF"]\nambiguous = ["TU"]\n'
        'type = "union_federation"\ncountry = "NP"\n\n'
        '[[org]]\nid = "maybe"\nname = "Perhaps Society"\ntype = "ngo"\ncountry = "NP"\nunsure = true\n',
        encoding="utf-8")
    vocab = vocabulary(tmp_path)
    assert [(o.name, o.acronym) for orgs in vocab.orgs.values() for o in orgs] == [("Test Union Federation", "TUF")]
    assert {i.id for i in vocab.instruments} >= {"C189", "R202"}  # no table here: the built-in list
    (tmp_path / "organisations.toml").write_text("[[org]\n", encoding="utf-8")
    vocabulary.cache_clear()
    with pytest.raises(InputError, match="organisations.toml"):
        vocabulary(tmp_path)
