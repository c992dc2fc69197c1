"""A raw store cut at any byte (a kill -9 mid-write) or damaged: readers read every whole record and say what they
skipped, opening it for append cuts the torn tail off, and a resume gives the posts of an uninterrupted crawl."""

from __future__ import annotations

import gzip
import logging
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.config import CrawlConfig
from pipeline.errors import InputError
from pipeline.parse import parse_store
from pipeline.rawstore import RawRequest, RawResponse, RawStore, iter_records
from pipeline.scrape import crawl
from pipeline.warcscan import Scan, read_records
from tests.blogserver import LiveBlog, LoopbackServer, make_posts
from tests.warcs import assert_valid_warc

FAST = CrawlConfig(delay=0.0, timeout=2.0, max_retries=2, backoff=0.01, max_backoff=0.05, feed_page_size=4)
WARC = "crawl.warc.gz"


@pytest.fixture(scope="module")
def blog() -> Iterator[LiveBlog]:
    box: dict = {}
    with LoopbackServer(lambda request: box["app"](request)) as srv:
        blog = LiveBlog(srv.url, make_posts(srv.url, 6), feed_summary=True)
        box["app"] = blog.handler
        yield blog


@pytest.fixture(scope="module")
def reference(blog: LiveBlog, tmp_path_factory: pytest.TempPathFactory) -> Path:
    raw = tmp_path_factory.mktemp("reference")
    crawl([blog.base], raw, FAST)
    return raw


def boundaries(wf: Path) -> list[int]:
    """Where each gzip member (one record each) starts, and the file's end."""
    scan = Scan(wf)
    starts = [rec.offset for rec in read_records(wf, scan)]
    assert not scan.problems and scan.good_end == wf.stat().st_size
    return [*starts, scan.good_end]


def cut_store(src: Path, dest: Path, at: int) -> Path:
    dest.mkdir(parents=True)
    (dest / WARC).write_bytes((src / WARC).read_bytes()[:at])
    return dest


def posts_of(raw: Path) -> list[dict]:
    return [p.to_dict() for p in parse_store(raw)]


def response_urls(raw: Path, keep: Callable[[int], bool]) -> list[str]:
    """The URLs of the response records of a store whose member offset `keep` accepts."""
    return [rec.header("WARC-Target-URI") or "" for rec in read_records(raw / WARC)
            if rec.type == "response" and keep(rec.offset)]


def a_response(n: int) -> RawResponse:
    url = f"https://b.blogspot.com/2019/01/added-{n}.html"
    return RawResponse(url, 200, b"<html><p>added</p></html>", [("Content-Type", "text/html")],
                       fetched="2024-01-01T00:00:00Z", request=RawRequest(url))


def test_a_store_cut_at_any_byte_reads_its_whole_records_and_is_repaired_on_append(
        reference: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    wf = reference / WARC
    bounds = boundaries(wf)
    size = bounds[-1]
    # every record boundary and a few bytes either side, inside the gzip header (first 10 bytes of a member),
    # inside the WARC headers (early in the deflate data), and mid-member
    offsets = sorted({o for b, nxt in zip(bounds, bounds[1:] + [size], strict=True)
                      for o in (b - 3, b - 1, b, b + 1, b + 5, b + 9, b + 40, (b + nxt) // 2) if 0 < o < size})
    expected: dict[int, list[dict]] = {}
    checked = 0
    for at in offsets:
        good = max(b for b in bounds if b <= at)
        if good not in expected:
            expected[good] = posts_of(cut_store(reference, tmp_path / f"whole-{good}", good)) if good else []
        raw = cut_store(reference, tmp_path / f"cut-{at}", at)
        caplog.clear()
        with caplog.at_level(logging.WARNING):
            if good:
                assert posts_of(raw) == expected[good], at  # reading never crashes: the whole records' posts
            else:
                with pytest.raises(InputError, match="no WARC record could be read"):
                    parse_store(raw)
        if at != good:
            assert f"torn record at the end (a write cut short) at byte {good}" in caplog.text, at
        store = RawStore(raw)  # opening for append repairs
        assert (raw / WARC).stat().st_size == good, at
        store.add(a_response(at))
        scan = Scan(raw / WARC)
        records = list(read_records(raw / WARC, scan))
        assert not scan.problems and records[-2].type == "response", at  # the appended record, then its request
        assert not list(raw.glob("*.damaged-*"))  # a torn tail is no damage: nothing to keep aside
        if checked < 6 and at % 3 == 0:  # warcio check and index are slow: a few of the cuts
            assert_valid_warc(raw)
            checked += 1
        shutil.rmtree(raw)
    assert len(offsets) > 100 and checked


def test_a_resume_after_a_kill_at_any_byte_gives_the_uninterrupted_posts(
        blog: LiveBlog, reference: Path, tmp_path: Path) -> None:
    bounds = boundaries(reference / WARC)
    want = posts_of(reference)
    assert len(want) == 6 and all(p["complete"] for p in want)
    # a cut in every fourth member (its gzip header, its WARC headers, its middle) and right after it
    for b, nxt in list(zip(bounds, bounds[1:], strict=False))[1::4]:
        for at in (b + 4, b + 40, (b + nxt) // 2, nxt - 1):
            raw = cut_store(reference, tmp_path / f"resume-{at}", at)
            stats = crawl([blog.base], raw, FAST)
            assert stats.failed == 0
            assert posts_of(raw) == want, at  # nothing lost, nothing doubled
            if at == b + 40:
                assert_valid_warc(raw)


def test_records_written_after_a_torn_one_are_read_and_the_file_is_kept(
        reference: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    # What an older version left: a torn record, then a resume that appended after it.
    data = (reference / WARC).read_bytes()
    bounds = boundaries(reference / WARC)
    torn_at = bounds[3] + (bounds[4] - bounds[3]) // 2
    raw = tmp_path / "old"
    raw.mkdir()
    (raw / WARC).write_bytes(data[:torn_at] + data[bounds[4]:])
    with caplog.at_level(logging.WARNING):
        records = list(iter_records(raw))
    assert [r.url for r in records] == response_urls(reference, lambda offset: offset != bounds[3])
    assert f"damaged bytes at byte {bounds[3]}" in caplog.text and "skipped to the next whole record" in caplog.text
    before = (raw / WARC).read_bytes()
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        store = RawStore(raw)
    assert (raw / WARC).read_bytes() == before  # damage with records after it is left where it is
    assert "readers skip it and read the records after it" in caplog.text
    store.add(a_response(1))
    assert [r.url for r in iter_records(raw)][-1].endswith("added-1.html")


def test_a_damaged_tail_is_saved_beside_the_file_before_it_is_cut(reference: Path, tmp_path: Path,
                                                                  caplog: pytest.LogCaptureFixture) -> None:
    data = bytearray((reference / WARC).read_bytes())
    bounds = boundaries(reference / WARC)
    last = bounds[-2]
    data[-6] ^= 0xFF  # the last member's CRC no longer matches: damage, not a torn write
    raw = tmp_path / "crc"
    raw.mkdir()
    (raw / WARC).write_bytes(bytes(data))
    with caplog.at_level(logging.WARNING):
        RawStore(raw)
    side = raw / f"{WARC}.damaged-{last}"
    assert side.read_bytes() == bytes(data[last:]) and (raw / WARC).stat().st_size == last
    assert f"the bytes are saved in {side.name}" in caplog.text
    assert [r.url for r in iter_records(raw)] == response_urls(reference, lambda offset: offset < last)


def test_parse_of_a_torn_store_reads_what_is_whole_and_a_file_that_holds_no_record_is_refused(
        reference: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    bounds = boundaries(reference / WARC)
    raw = cut_store(reference, tmp_path / "torn", bounds[-2] + 100)
    out = tmp_path / "posts.jsonl"
    with caplog.at_level(logging.INFO):
        assert main(["parse", str(raw), "-o", str(out)]) == 0
    assert "torn record at the end" in caplog.text and "raw store parts not readable: 1" in caplog.text
    assert len(out.read_text().splitlines()) == len(posts_of(cut_store(reference, tmp_path / "w", bounds[-2])))
    junk = tmp_path / "junk"
    junk.mkdir()
    (junk / WARC).write_bytes(gzip.compress(b"this is no WARC record\r\n\r\n") + b"and some more bytes")
    caplog.clear()
    assert main(["parse", str(junk), "-o", str(tmp_path / "junk.jsonl")]) == 2
    assert "no WARC record could be read" in caplog.text and "Traceback" not in caplog.text
    assert not (tmp_path / "junk.jsonl").exists()
