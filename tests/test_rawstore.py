"""The WARC raw store: records as the standard expects, the newest copy per URL for readers, old stores readable."""

from __future__ import annotations

import io
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from pipeline.rawstore import RawRequest, RawResponse, RawStore, content_time, iter_raw, iter_records, live_statuses
from tests.warcs import assert_valid_warc

URL = "https://b.blogspot.com/2019/01/a.html"


def resp(body: str, fetched: str, status: int = 200, capture: str | None = None, url: str = URL) -> RawResponse:
    return RawResponse(url, status, body.encode(), [("Content-Type", "text/html")], fetched=fetched, capture=capture,
                       request=RawRequest(url, [("User-Agent", "t (+https://example.org)")]))


def test_readers_see_the_newest_copy_of_each_url(tmp_path: Path) -> None:
    store = RawStore(tmp_path / "raw")
    store.add(resp("first", "2024-01-01T00:00:00Z"))
    store.add(resp("other page", "2024-01-01T00:00:01Z", url=URL + "x"))
    store.add(resp("second", "2024-02-01T00:00:00Z"))
    assert [r.body for r in iter_raw(tmp_path / "raw")] == [b"other page", b"second"]  # store order, newest copy
    assert [r.body for r in iter_records(tmp_path / "raw")] == [b"first", b"other page", b"second"]
    store.add(resp("", "2024-03-01T00:00:00Z", status=404))
    assert {r.url: r.status for r in iter_raw(tmp_path / "raw")}[URL] == 404  # a page gone now is gone
    assert live_statuses(tmp_path / "raw") == {URL: 404, URL + "x": 200}
    assert store.status[URL] == 404 and RawStore(tmp_path / "raw").status[URL] == 404


def test_a_live_error_never_hides_a_wayback_copy_and_times_compare_across_kinds(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    store = RawStore(raw)
    store.add(resp("capture 2019", "2025-01-01T00:00:00Z", capture="20190101000000"))
    store.add(resp("capture 2017", "2025-01-01T00:00:01Z", capture="20170101000000"))  # older, though stored later
    store.add(resp("", "2025-06-01T00:00:00Z", status=404))
    got = {r.url: r for r in iter_raw(raw)}
    assert got[URL].body == b"capture 2019" and content_time(got[URL]) == "20190101000000"
    assert live_statuses(raw) == {URL: 404}  # the evidence that the page is gone is still there
    other = URL + "?live"
    store.add(resp("live, fetched 2018", "2018-05-01T00:00:00Z", url=other))
    store.add(resp("capture 2019", "2025-01-01T00:00:00Z", capture="20190101000000", url=other))
    store.add(resp("live, fetched 2025", "2025-01-02T00:00:00Z", url=other + "&2"))
    store.add(resp("capture 2019", "2025-01-01T00:00:00Z", capture="20190101000000", url=other + "&2"))
    got = {r.url: r.body for r in iter_raw(raw)}
    assert got[other] == b"capture 2019" and got[other + "&2"] == b"live, fetched 2025"
    assert store.captures(URL) == {"20190101000000", "20170101000000"} and store.live(URL).status == 404


def test_records_are_what_the_standard_expects(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    store = RawStore(raw, info={"crawl-settings": "delay=1", "isPartOf": "https://b.blogspot.com/"})
    store.add_chain([RawResponse(URL, 301, b"", [("Location", URL + "?new")], fetched="2024-01-01T00:00:00Z",
                                 request=RawRequest(URL)),
                     resp("moved here", "2024-01-01T00:00:00Z", url=URL + "?new")])
    RawStore(raw, info={"crawl-settings": "delay=2"}).add(resp("next run", "2024-02-01T00:00:00Z"))
    rows = assert_valid_warc(raw)
    assert [r["warc-type"] for r in rows] == ["warcinfo", "response", "request", "response", "request",
                                              "warcinfo", "response", "request"]
    records = []
    with (raw / "crawl.warc.gz").open("rb") as fh:
        for rec in ArchiveIterator(fh):
            payload = rec.content_stream().read()
            records.append((rec.rec_type, rec.rec_headers, payload, rec.http_headers))
    infos = [r for r in records if r[0] == "warcinfo"]
    assert b"software: rightspasia-pipeline/" in infos[0][2] and b"crawl-settings: delay=1" in infos[0][2]
    assert b"format: WARC File Format 1.0" in infos[0][2] and b"crawl-settings: delay=2" in infos[1][2]
    assert infos[0][1].get_header("Content-Type") == "application/warc-fields"
    first_info, second_info = (i[1].get_header("WARC-Record-ID") for i in infos)
    assert [r[1].get_header("WARC-Warcinfo-ID") for r in records[1:5]] == [first_info] * 4
    assert records[6][1].get_header("WARC-Warcinfo-ID") == second_info
    response_id = records[1][1].get_header("WARC-Record-ID")
    request = records[2]
    assert request[1].get_header("WARC-Concurrent-To") == response_id
    assert request[3].protocol == "GET" and request[3].get_header("Host") == "b.blogspot.com"
    assert request[3].get_header("User-Agent") is None  # the 301's request was given without headers
    assert records[4][3].get_header("User-Agent") == "t (+https://example.org)"
    ids = [r[1].get_header("WARC-Record-ID") for r in records]
    assert len(ids) == len(set(ids))
    assert [r.status for r in iter_records(raw)] == [301, 200, 200]  # readers skip warcinfo and request records


def test_two_identical_fetches_get_distinct_ids_and_rebuilding_gives_the_same_bytes(tmp_path: Path) -> None:
    for name in ("a", "b"):
        store = RawStore(tmp_path / name, info={"crawl-settings": "x"})
        store.add(resp("same", "2024-01-01T00:00:00Z"))
        store.add(resp("same", "2024-01-01T00:00:00Z"))
    assert (tmp_path / "a" / "crawl.warc.gz").read_bytes() == (tmp_path / "b" / "crawl.warc.gz").read_bytes()
    assert_valid_warc(tmp_path / "a")  # also checks the ids resolve; duplicates would not
    with (tmp_path / "a" / "crawl.warc.gz").open("rb") as fh:
        ids = [r.rec_headers.get_header("WARC-Record-ID") for r in ArchiveIterator(fh)]
    assert len(ids) == len(set(ids)) == 5


def test_a_store_written_by_the_old_code_stays_readable(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=True)
    # As the old crawler stored it: the decoded body under the headers as received (gzip, chunked), no warcinfo.
    body = b"<html><p>old copy \xc3\xa9</p></html>"
    http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=UTF-8"), ("Content-Encoding", "gzip"),
                                       ("Transfer-Encoding", "chunked")], protocol="HTTP/1.1")
    writer.write_record(writer.create_warc_record(
        URL, "response", payload=io.BytesIO(body), length=len(body), http_headers=http,
        warc_headers_dict={"WARC-Date": "2020-01-01T00:00:00Z"}))
    (raw / "crawl.warc.gz").write_bytes(buf.getvalue())
    store = RawStore(raw)
    assert store.live(URL) is not None and store.get(URL).body == body
    store.add(resp("new page", "2024-01-01T00:00:00Z", url=URL + "2"))
    assert [(r.url, r.body) for r in iter_raw(raw)] == [(URL, body), (URL + "2", b"new page")]
    assert_valid_warc(raw, strict=False)
