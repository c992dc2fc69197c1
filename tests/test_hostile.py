"""Hostile and broken servers, and stored responses no reader expected: scrape, its resume and parse finish with
exit 0 where work could be done, every problem named (URL and reason), counted, and no post lost silently."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.flags import CHARSET_REPLACED, NESTING_CUT, PAYLOAD_TRUNCATED, SUMMARY
from pipeline.parse import ParseReport, iter_posts, read_response
from pipeline.posts_io import read_posts
from pipeline.rawstore import iter_records
from tests.blogserver import LoopbackServer
from tests.hostile import hostile_feed_blog, hostile_html_blog, hostile_store
from tests.warcs import assert_valid_warc

SCRAPE = ["--delay", "0", "--retries", "1", "--timeout", "3", "--max-crawl-delay", "0.01"]


@pytest.fixture
def servers() -> Iterator[tuple[LoopbackServer, LoopbackServer]]:
    boxes: list[dict] = [{}, {}]
    with LoopbackServer(lambda r: boxes[0]["app"](r)) as a, LoopbackServer(lambda r: boxes[1]["app"](r)) as b:
        a.box, b.box = boxes  # type: ignore[attr-defined]
        yield a, b


def test_scrape_resume_and_parse_survive_a_hostile_blog_and_name_every_problem(
        servers: tuple[LoopbackServer, LoopbackServer], tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    a, b = servers
    feed_blog, html_blog = hostile_feed_blog(a.url, b.url), hostile_html_blog(b.url)
    a.box["app"], b.box["app"] = feed_blog.handler, html_blog.handler  # type: ignore[attr-defined]
    raw, out = tmp_path / "raw", tmp_path / "posts.jsonl"
    args = ["scrape", feed_blog.base, html_blog.base, "--out", str(raw), *SCRAPE]
    with caplog.at_level(logging.INFO):
        assert main(args) == 0
        first = caplog.text
        caplog.clear()
        assert main(args) == 0  # the resume reads every stored hostile page again
        again = caplog.text
        caplog.clear()
        assert main(["parse", str(raw), "-o", str(out)]) == 0
        parsed = caplog.text
    for text in (first, again, parsed):
        assert "Traceback" not in text
    url = {i: p.url for i, p in enumerate(feed_blog.posts)}
    # scrape named each problem: the URL and the reason
    assert "Crawl-delay of 100000 s; capped at 0.01 s" in first
    assert "3 feed entries are no JSON objects; skipped" in first and "Invalid IPv6 URL" in first
    assert f"{url[4]}: unusable answer (ValueError: Invalid IPv6 URL)" in first
    assert f"{url[5]}: redirect to {b.url}" in first and "leaves the blog's origin" in first
    assert f"{url[6]}: gave up after 2 attempts (Truncated: damaged compressed body" in first
    assert f"{url[2]}: the page nests elements deeper than 2048 levels" in first
    assert f"{url[10]}: the permalink page gave no post" in first and f"{url[7]}: the permalink page gave" in first
    assert "feed page at start-index" in first and "is no feed; the listing stops there" in first
    assert "links that are no URLs a crawler can fetch were skipped" in first
    assert "posts stay summaries: their permalink could not be fetched or read" in first

    posts = {p.id: p for p in read_posts(out)}
    feed_posts = {i: posts[p.id] for i, p in enumerate(feed_blog.posts)}
    assert set(posts) == {p.id for p in feed_blog.posts} | {p.id for p in html_blog.posts}  # none lost
    assert feed_posts[1].complete and "Paragraph two of post 1" in feed_posts[1].text  # 300 levels: all read
    for i in (2, 4, 5, 6, 7, 10):  # their permalink failed or gave nothing: the feed's summary, said so
        assert not feed_posts[i].complete and feed_posts[i].flags == [SUMMARY], i
    assert feed_posts[3].title == "Café: déclaration des droits" and CHARSET_REPLACED in feed_posts[3].flags
    assert "Paragraph \ufffd two" in feed_posts[3].text  # one bad byte, one replacement; no mojibake
    assert feed_posts[8].complete and "Paragraph two of post 8" in feed_posts[8].text  # XML declaration: read
    assert CHARSET_REPLACED in feed_posts[9].flags and "\ufffd" in feed_posts[9].title
    assert all(p.complete for p in posts.values() if p.id in {q.id for q in html_blog.posts})
    absurd = posts[html_blog.posts[0].id]
    # its item page's timestamp is impossible: ignored, the post dated by the page's header and the listing's time
    assert (absurd.date, absurd.published) == (html_blog.posts[0].date, html_blog.posts[0].published)
    # parse named what it flagged and skipped
    assert f"posts flagged {CHARSET_REPLACED}: " in parsed and url[3].replace("http:", "https:") in parsed
    assert f"{url[2]}: the page nests elements deeper than 2048 levels" in parsed
    assert "item pages gave no post" in parsed and url[7] in parsed and url[10] in parsed
    assert_valid_warc(raw)


def test_every_stored_response_parses_or_is_skipped_with_its_url_and_reason(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    raw = tmp_path / "raw"
    kinds = hostile_store(raw)
    with caplog.at_level(logging.WARNING):
        outcomes = {r.url: read_response(r) for r in iter_records(raw)}
    assert set(outcomes) == set(kinds)
    for url, what in kinds.items():
        o = outcomes[url]
        assert o.skipped or o.candidates or o.kind, (url, what)  # an outcome for each, no exception
        if o.skipped and not o.skipped.startswith(("status", "empty body")):
            assert url in caplog.text, (url, what)  # a skip that is a problem is named
    by_what = {what: outcomes[url] for url, what in kinds.items()}
    whole = by_what["a whole page, stored decoded"].candidates
    assert len(whole) == 1 and whole[0].post.flags == [] and whole[0].completeness == 3
    cut = by_what["gzip payload cut short, stored as received"]
    assert cut.problems == [PAYLOAD_TRUNCATED] and all(PAYLOAD_TRUNCATED in c.post.flags and c.completeness == 1
                                                       for c in cut.candidates)
    assert by_what["content coding br, not decoded here"].skipped == "payload not decoded"
    assert by_what["nested 5,000 levels deep"].candidates == [] and "nests elements deeper" in caplog.text
    assert by_what["HTML with an XML declaration"].candidates  # read, not refused
    odd = by_what["feed entries that are strings, totalResults no number, lone surrogates"].candidates
    assert len(odd) == 1 and odd[0].post.flags == [CHARSET_REPLACED] and odd[0].post.title == "\ufffd"
    assert by_what["chunked framing cut short"].problems == [PAYLOAD_TRUNCATED]
    assert by_what["a status line that is no status"].skipped == "status 0"

    report = ParseReport()
    posts = {p.url: p for p in iter_posts(raw, report=report)}  # and the whole store parses, posts written
    assert report.flagged[PAYLOAD_TRUNCATED] and report.damaged[PAYLOAD_TRUNCATED] == 2
    truncated = next(p for p in posts.values() if PAYLOAD_TRUNCATED in p.flags)
    assert not truncated.complete and SUMMARY not in truncated.flags
    assert report.skipped["payload not decoded"] == 1 and "responses damaged: 2 payload_truncated" in report.line()
    out = tmp_path / "posts.jsonl"
    assert main(["parse", str(raw), "-o", str(out)]) == 0
    assert len(out.read_text(encoding="utf-8").splitlines()) == len(posts)  # lone surrogates did not stop it


def test_pages_nested_deep_lose_nothing_or_say_so() -> None:
    from pipeline.bench.render import BlogMeta, permalink_page
    from pipeline.parse import parse_html_page
    from tests.blogserver import make_posts
    from tests.hostile import nested

    post = make_posts("https://b.blogspot.com/", 1)[0]
    page = permalink_page(BlogMeta(base_url="https://b.blogspot.com/"), post)
    for depth in (255, 300, 1000, 2000):  # deeper than libxml2's default (256) and than Python's recursion limit
        cands = parse_html_page(post.url, nested(page, depth))
        assert len(cands) == 1 and "Paragraph two of post 0" in cands[0].post.text, depth
        assert cands[0].post.flags == [] and cands[0].completeness == 3
    deep_body = page.replace("<p>Paragraph two", "<div>" * 3000 + "<p>Paragraph two").replace(
        "rest of the story.</p>", "rest of the story.</p>" + "</div>" * 3000)
    cands = parse_html_page(post.url, deep_body)  # the post is found, what is below 2,048 levels is not
    assert len(cands) == 1 and cands[0].post.flags == [NESTING_CUT] and cands[0].completeness == 1



def test_a_stored_copy_cut_short_is_fetched_again_on_the_next_crawl(tmp_path: Path,
                                                                    caplog: pytest.LogCaptureFixture) -> None:
    import gzip

    from pipeline.bench.render import permalink_page
    from pipeline.config import CrawlConfig
    from pipeline.rawstore import RawResponse, RawStore
    from pipeline.scrape import crawl
    from tests.blogserver import LiveBlog, make_posts

    box: dict = {}
    with LoopbackServer(lambda request: box["app"](request)) as srv:
        blog = LiveBlog(srv.url, make_posts(srv.url, 3), feed_summary=True)
        box["app"] = blog.handler
        post = blog.posts[1]
        page = gzip.compress(permalink_page(blog.meta, post).encode(), mtime=0)
        raw = tmp_path / "raw"  # as another tool stored it: the gzip payload as received, cut short
        RawStore(raw).add(RawResponse(post.url, 200, page[: len(page) // 2], [
            ("Content-Type", "text/html; charset=UTF-8"), ("Content-Encoding", "gzip")],
            fetched="2024-01-01T00:00:00Z"))
        with caplog.at_level(logging.WARNING):
            crawl([blog.base], raw, CrawlConfig(delay=0.0, timeout=2.0, max_retries=1, backoff=0.01))
        assert f"{post.url}: the stored copy is damaged (gzip payload: the compressed body ends before its end " \
               "marker); fetched again" in caplog.text
    kept = {p.id: p for p in iter_posts(raw)}[post.id]
    assert kept.complete and kept.flags == [] and "Paragraph two of post 1" in kept.text
