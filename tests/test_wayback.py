"""A dead blog served only by a loopback Wayback Machine (CDX + id_): the newest good capture of every URL wins."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from pipeline.bench.render import BlogMeta, listing_page, permalink_page
from pipeline.config import CrawlConfig
from pipeline.parse import parse_store
from pipeline.rawstore import iter_raw
from pipeline.records import Post
from pipeline.scrape import crawl
from pipeline.scrape.wayback import Capture, choose, parse_cdx
from tests.blogserver import LoopbackServer, WaybackFixture, make_posts
from tests.warcs import assert_valid_warc

FAST = CrawlConfig(delay=0.0, timeout=2.0, max_retries=1, backoff=0.01, max_backoff=0.05)
DEAD = "http://deadblog.invalid/"


@pytest.fixture
def wayback() -> Iterator[tuple[LoopbackServer, WaybackFixture]]:
    wb = WaybackFixture(page_rows=4)
    srv = LoopbackServer(wb.handler)
    yield srv, wb
    srv.stop()


def version(post: Post, text: str) -> Post:
    return replace(post, html=f"<p>{text}</p><p>Paragraph two of this version.</p>")


def page(post: Post) -> str:
    return permalink_page(BlogMeta(base_url=DEAD), post)


def test_a_dead_blog_is_rebuilt_from_the_newest_good_captures(wayback: tuple[LoopbackServer, WaybackFixture],
                                                              tmp_path: Path,
                                                              caplog: pytest.LogCaptureFixture) -> None:
    srv, wb = wayback
    p = make_posts(DEAD, 5)
    wb.add("20180101000000", p[0].url, 200, page(version(p[0], "Old wording: 120 workers")))
    wb.add("20190101000000", p[0].url, 200, page(version(p[0], "Edited wording: 150 workers")))
    wb.add("20200101000000", p[0].url, 404, "not found")  # newer, but no good capture
    wb.add("20180301000000", p[1].url, 200, page(version(p[1], "The only good capture")))
    wb.add("20190301000000", p[1].url, 301, "")
    wb.add("20200301000000", p[1].url, 503, "")
    wb.add("20190401000000", p[2].url, 404, "not found")  # no good capture at all
    wb.add("20190501000000", p[3].url.replace(".invalid/", ".invalid:80/"), 200, page(version(p[3], "Desktop page")))
    wb.add("20210101000000", p[3].url + "?m=1", 200, page(version(p[3], "MOBILE snippet")))
    wb.add("20180601000000", p[4].url, 200, page(version(p[4], "First text")))
    wb.add("20190601000000", p[4].url, 200, page(version(p[4], "Second text")))
    wb.add("20210601000000", p[4].url, "-")  # a revisit: the second text, seen again in 2021
    wb.add("20190101000000", DEAD, 200, listing_page(BlogMeta(base_url=DEAD), p[:3], truncate_ids=frozenset(
        q.id for q in p[:3])))
    wb.add("20190101000000", DEAD + "search/label/asia", 200, "<html>label page: not wanted</html>")
    cfg = replace(FAST, wayback=True, wayback_host=srv.url.rstrip("/"))
    raw = tmp_path / "raw"
    with caplog.at_level(logging.INFO):
        stats = crawl([DEAD], raw, cfg)

    assert stats.unreachable and "deadblog.invalid does not resolve" in stats.unreachable[0]  # the live blog
    assert not stats.empty  # the captures are there
    assert (stats.wayback_listed, stats.wayback_without) == (5, 1)  # p0, p1, p3, p4, home; p2 has none
    assert p[2].url.replace("http:", "https:") in caplog.text  # the URL without a good capture is named
    queries = wb.cdx_queries
    assert len(queries) > 1 and [q.get("resumeKey") for q in queries][1:] == [str(4 * i) for i in
                                                                           range(1, len(queries))]
    assert all(q["fl"] == "timestamp,original,statuscode,digest" and "collapse" not in q and "filter" not in q
               for q in queries)

    captures = {r.url: r.capture for r in iter_raw(raw)}
    https = {q.id: q.url.replace("http:", "https:") for q in p}
    assert captures == {https[p[0].id]: "20190101000000", https[p[1].id]: "20180301000000",
                        https[p[3].id]: "20190501000000", https[p[4].id]: "20210601000000",
                        "https://deadblog.invalid/": "20190101000000"}
    posts = {q.id: q for q in parse_store(raw)}
    assert "Edited wording: 150 workers" in posts[p[0].id].text and "Old wording" not in posts[p[0].id].text
    assert "The only good capture" in posts[p[1].id].text
    assert "Desktop page" in posts[p[3].id].text
    assert "Second text" in posts[p[4].id].text
    assert not posts[p[2].id].complete  # only the home page's summary of it survives, flagged as such
    assert all(posts[q.id].complete for q in (p[0], p[1], p[3], p[4]))

    requests = []
    for wf in raw.glob("*.warc.gz"):
        with wf.open("rb") as fh:
            requests += [r.rec_headers.get_header("WARC-Target-URI") for r in ArchiveIterator(fh)
                         if r.rec_type == "request"]
    assert f"{srv.url}web/20190101000000id_/{p[0].url}" in requests  # what was asked for, as it was asked
    assert_valid_warc(raw)

    # A newer capture appears: the next run fetches it, and only it.
    wb.add("20220101000000", p[0].url, 200, page(version(p[0], "Final wording: 175 workers")))
    since = len(wb.hits)
    again = crawl([DEAD], raw, cfg)
    assert [h for h in wb.hits[since:] if h.startswith("/web/")] == [f"/web/20220101000000id_/{p[0].url}"]
    assert again.wayback_held == 4 and again.wayback_fetched == 1
    posts = {q.id: q for q in parse_store(raw)}
    assert "Final wording: 175 workers" in posts[p[0].id].text


def test_cdx_pages_are_read_with_or_without_a_header_row() -> None:
    body = json.dumps([["timestamp", "original", "statuscode", "digest"],
                       ["20190101000000", "http://b.blogspot.com:80/2019/01/a.html", "200", "D1"],
                       ["2019", "http://b.blogspot.com/2019/01/b.html", "200", "D2"],  # not 14 digits
                       [], ["NEXT"]]).encode()
    caps, resume, bad = parse_cdx(body)
    assert resume == "NEXT" and bad == 1
    assert caps == [Capture("https://b.blogspot.com/2019/01/a.html", "http://b.blogspot.com:80/2019/01/a.html",
                            "20190101000000", "200", "D1")]
    caps, resume, bad = parse_cdx(json.dumps([["20200101000000", "http://b.blogspot.com/", "301", "X"]]).encode())
    assert resume is None and caps[0].status == "301" and caps[0].url == "https://b.blogspot.com/"
    assert parse_cdx(b"") == ([], None, 0)


def test_choose_takes_the_newest_good_capture_whatever_the_row_order() -> None:
    u = "https://b.blogspot.com/2019/01/a.html"

    def cap(ts: str, status: str, digest: str = "", original: str = "http://b.blogspot.com/2019/01/a.html") -> Capture:
        return Capture(u, original, ts, status, digest or ts)

    rows = [cap("20210101000000", "404"), cap("20170101000000", "200"), cap("20190101000000", "200"),
            cap("20200101000000", "302"), cap("20180101000000", "200")]
    chosen, without = choose(rows)
    assert chosen[u].timestamp == "20190101000000" and without == []
    revisit = [cap("20170101000000", "200", "D"), cap("20220101000000", "-", "D"), cap("20230101000000", "-", "Z")]
    assert choose(revisit)[0][u].timestamp == "20220101000000"  # a revisit of good content is good
    mobile = [cap("20170101000000", "200"), cap("20230101000000", "200", original=u.replace("https", "http") + "?m=1")]
    assert choose(mobile)[0][u].timestamp == "20170101000000"
    assert choose([cap("20230101000000", "200", original=u + "?m=1")])[0][u].timestamp == "20230101000000"
    assert choose([cap("20170101000000", "500"), cap("20180101000000", "-", "nope")]) == ({}, [u])
