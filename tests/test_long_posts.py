"""Posts longer than one doc holds: extracted in chunks with offsets into the whole text, flagged, never aborting."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from pipeline import extract
from pipeline.config import MAX_DOC_CHARS
from pipeline.extract import segments
from pipeline.extract.batch import extract_file, process_posts
from pipeline.extract.chunks import chunk_spans
from pipeline.flags import CHUNKED, DESCRIPTIONS
from pipeline.records import Post

FILLER = "Workers in the region met again today and talked about wages, hours and the right to organise. "


def _check_cover(text: str, spans: list[tuple[int, int]], limit: int) -> None:
    """Every chunk within the limit, in order, and every character that is not white space in exactly one chunk."""
    assert all(0 < e - s <= limit for s, e in spans)
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:], strict=False))
    covered = "".join(text[s:e] for s, e in spans)
    assert re.sub(r"\s", "", covered) == re.sub(r"\s", "", text)


def test_chunks_end_at_paragraph_breaks_when_there_are_any() -> None:
    paras = [FILLER * 3, FILLER * 2, FILLER * 4, FILLER]
    text = "\n\n".join(p.strip() for p in paras)
    spans = chunk_spans(text, 0, len(text), 700)
    _check_cover(text, spans, 700)
    for s, e in spans:
        assert s == 0 or text[s - 2 : s] == "\n\n"  # every chunk starts a paragraph
        assert e == len(text) or text[e : e + 2] == "\n\n"


def test_a_paragraph_longer_than_the_limit_is_cut_at_sentence_ends_then_spaces() -> None:
    text = (FILLER * 40).strip()
    spans = chunk_spans(text, 0, len(text), 500)
    _check_cover(text, spans, 500)
    assert all(text[e - 1] == "." for _, e in spans)  # each chunk ends a sentence
    words = " ".join(["word"] * 400)
    spans = chunk_spans(words, 0, len(words), 37)
    _check_cover(words, spans, 37)
    assert all(words[s:e].split(" ")[-1] == "word" for s, e in spans)  # no word cut
    solid = "x" * 95
    assert chunk_spans(solid, 0, 95, 40) == [(0, 40), (40, 80), (80, 95)]


def test_chunks_of_a_slice_stay_inside_it() -> None:
    text = "head. " + FILLER * 20 + "tail"
    start, end = 6, 6 + len(FILLER * 20) - 1
    spans = chunk_spans(text, start, end, 300)
    assert spans[0][0] == start and spans[-1][1] == end
    _check_cover(text[start:end], [(s - start, e - start) for s, e in spans], 300)
    with pytest.raises(ValueError):
        chunk_spans(text, 0, 10, 0)


def test_segments_are_cut_only_past_the_limit() -> None:
    text = "\n\n".join([FILLER.strip()] * 30)
    post = Post(id="p", url="", date="", title="A title", text=text, language="en")
    assert segments(post, len(text)) == segments(post)
    cut = segments(post, 1000)
    assert cut[0].field == "title" and len(cut) > 3
    assert all(s.end - s.start <= 1000 for s in cut)


def test_a_post_over_a_million_characters_is_extracted_whole_with_offsets_kept(tmp_path: Path) -> None:
    # Paragraphs up to well over a million characters, one of them a single paragraph longer than a doc holds
    # (cut at sentence ends), and mentions placed near the end, after every cut.
    paragraphs = [(FILLER * 8).strip()] * 1300
    paragraphs.insert(700, (FILLER * (MAX_DOC_CHARS // len(FILLER) + 300)).strip())
    tail = "At the end of the year, Convention No. 87 was ratified by 12 countries and the ILO said so."
    text = "\n\n".join([*paragraphs, tail])
    assert len(text) > 1_000_000
    long_post = Post(id="long", url="", date="2020-01-01", title="Long", text=text)
    short = Post(id="short", url="", date="2020-01-01", title="Short", text="Convention No. 29 on forced labour.")
    records_path = tmp_path / "records.jsonl"
    assert process_posts([long_post, short], records_path, tmp_path / "posts.jsonl") == 2
    long_rec, short_rec = [json.loads(line) for line in records_path.read_text(encoding="utf-8").splitlines()]
    assert CHUNKED in long_rec["flags"] and CHUNKED not in short_rec["flags"] and CHUNKED in DESCRIPTIONS
    conv = long_rec["conventions"][-1]
    assert conv["start"] > 1_000_000
    assert text[conv["start"] : conv["end"]] == conv["text"] == "Convention No. 87"
    assert conv["sentence"] == tail
    fig = [f for f in long_rec["figures"] if f["start"] > 1_000_000][-1]
    assert text[fig["start"] : fig["end"]] == fig["text"] and fig["value"] == 12
    for org in long_rec["organisations"]:
        for m in org["mentions"]:
            assert text[m["start"] : m["end"]] == m["text"]
    assert short_rec["conventions"][0]["text"] == "Convention No. 29"


def test_extract_cuts_and_flags_with_a_smaller_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The same path as a post over the real limit, with a limit small enough to cut inside a sentence-rich paragraph.
    monkeypatch.setattr(extract, "MAX_DOC_CHARS", 400)
    text = (FILLER * 12).strip() + " Convention No. 98 protects 40 workers."
    posts = tmp_path / "posts.jsonl"
    posts.write_text(json.dumps({"id": "p", "title": "t", "text": text}) + "\n", encoding="utf-8")
    out = tmp_path / "records.jsonl"
    assert extract_file(posts, out) == 1
    rec = json.loads(out.read_text(encoding="utf-8"))
    assert rec["flags"] == [CHUNKED]
    conv = rec["conventions"][0]
    assert text[conv["start"] : conv["end"]] == "Convention No. 98"
    assert conv["sentence"] == "Convention No. 98 protects 40 workers."
