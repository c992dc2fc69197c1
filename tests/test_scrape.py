"""The scraper over real HTTP on 127.0.0.1: discovery routes, politeness, failures, resume, Wayback."""

from __future__ import annotations

import json
import re
import threading
import time
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from pipeline.config import CrawlConfig
from pipeline.errors import FetchError
from pipeline.fetch import Fetcher, Throttle, retry_after
from pipeline.parse import parse_store
from pipeline.rawstore import RawStore, iter_raw, iter_records
from pipeline.scrape import crawl
from tests.blogserver import BLOGGER_ROBOTS, BlogFixture, make_posts
from tests.warcs import assert_valid_warc

FAST = CrawlConfig(delay=0.0, timeout=2.0, max_retries=2, backoff=0.01, max_backoff=0.05, feed_page_size=4)


def serve(httpserver: HTTPServer, blog: BlogFixture) -> None:
    httpserver.expect_request(re.compile(".*")).respond_with_handler(blog.handler)


@pytest.fixture
def base(httpserver: HTTPServer) -> str:
    return httpserver.url_for("/")


def no_robots(httpserver: HTTPServer) -> None:
    """robots.txt answers 404 (pytest-httpserver answers 500 for what it does not know, which means: crawl nothing)."""
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)


def _ids(raw: Path) -> list[str]:
    return sorted(p.id for p in parse_store(raw))


def test_feed_route_collects_every_post_once(httpserver: HTTPServer, base: str, tmp_path: Path) -> None:
    blog = BlogFixture(base, make_posts(base, 11))
    serve(httpserver, blog)
    stats = crawl([base], tmp_path / "raw", FAST)
    assert "feed" in stats.route
    assert _ids(tmp_path / "raw") == sorted(p.id for p in blog.posts)
    feed_pages = [h for h in blog.hits if h.startswith("/feeds/")]
    assert len(feed_pages) == 4  # 4 + 4 + 3 entries, then an empty page ends the loop
    assert not any(h.endswith(".html") for h in blog.hits)  # full content: no permalink needed
    assert_valid_warc(tmp_path / "raw")


def test_summary_feed_fetches_permalinks(httpserver: HTTPServer, base: str, tmp_path: Path) -> None:
    blog = BlogFixture(base, make_posts(base, 5), feed_summary=True)
    serve(httpserver, blog)
    crawl([base], tmp_path / "raw", FAST)
    assert sum(h.endswith(".html") for h in blog.hits) == 5
    posts = parse_store(tmp_path / "raw")
    assert len(posts) == 5 and all("Paragraph two" in p.text for p in posts)


def test_sitemap_and_archive_route_when_the_feed_is_missing(httpserver: HTTPServer, base: str,
                                                             tmp_path: Path) -> None:
    blog = BlogFixture(base, make_posts(base, 9), feed=False, robots=BLOGGER_ROBOTS, truncate=True)
    serve(httpserver, blog)
    stats = crawl([base], tmp_path / "raw", FAST)
    assert "sitemap" in stats.route
    assert not any(h.startswith("/search") for h in blog.hits)  # robots.txt disallows /search
    posts = parse_store(tmp_path / "raw")
    assert sorted(p.id for p in posts) == sorted(p.id for p in blog.posts)
    assert all("Paragraph two" in p.text for p in posts)  # truncated listings were completed by permalinks
    assert len({p.id for p in posts}) == len(posts)
    assert_valid_warc(tmp_path / "raw")


def test_archives_without_sitemap_complete_the_crawl(httpserver: HTTPServer, base: str, tmp_path: Path) -> None:
    blog = BlogFixture(base, make_posts(base, 8, per_day=3), feed=False, sitemap=False, robots=BLOGGER_ROBOTS)
    serve(httpserver, blog)
    crawl([base], tmp_path / "raw", FAST)
    assert _ids(tmp_path / "raw") == sorted(p.id for p in blog.posts)
    assert any(re.fullmatch(r"/2017/06/?", h) for h in blog.hits)


def test_pager_route_when_robots_allow_it(httpserver: HTTPServer, base: str, tmp_path: Path) -> None:
    blog = BlogFixture(base, make_posts(base, 10), feed=False, sitemap=False, archives=False)
    serve(httpserver, blog)
    crawl([base], tmp_path / "raw", FAST)
    assert sum(h.startswith("/search") for h in blog.hits) == 3  # pages 2-4 of 3 posts each
    assert _ids(tmp_path / "raw") == sorted(p.id for p in blog.posts)


def test_overlapping_month_and_pager_pages_give_no_duplicates(httpserver: HTTPServer, base: str,
                                                              tmp_path: Path) -> None:
    blog = BlogFixture(base, make_posts(base, 10), feed=False, sitemap=True, archives=True, truncate=True)
    serve(httpserver, blog)
    crawl([base], tmp_path / "raw", FAST)
    posts = parse_store(tmp_path / "raw")
    assert len(posts) == 10 == len({p.id for p in posts})
    # each permalink fetched once although home, pager, month pages and the sitemap all list it
    permalinks = [h for h in blog.hits if h.endswith(".html")]
    assert len(permalinks) == len(set(permalinks)) == 10


def test_v3_listing_snippets_trigger_permalinks(httpserver: HTTPServer, base: str, tmp_path: Path) -> None:
    blog = BlogFixture(base, make_posts(base, 4), feed=False, sitemap=False, layout="v3")
    serve(httpserver, blog)
    crawl([base], tmp_path / "raw", FAST)
    posts = parse_store(tmp_path / "raw")
    assert len(posts) == 4 and all("Paragraph two" in p.text for p in posts)
    assert_valid_warc(tmp_path / "raw")


def test_robots_disallow_is_respected(httpserver: HTTPServer, base: str, tmp_path: Path) -> None:
    blog = BlogFixture(base, make_posts(base, 3), robots="User-agent: *\nDisallow: /\n")
    serve(httpserver, blog)
    stats = crawl([base], tmp_path / "raw", FAST)
    assert blog.hits == ["/robots.txt"]
    assert stats.fetched == 0 and any("robots.txt" in e for e in stats.errors)


def test_user_agent_names_the_project(httpserver: HTTPServer, base: str) -> None:
    no_robots(httpserver)
    seen = []
    httpserver.expect_request("/x").respond_with_handler(
        lambda r: (seen.append(r.headers.get("User-Agent")), Response("ok"))[1])
    Fetcher(FAST, {"127.0.0.1", "localhost"}).fetch(base + "x")
    assert seen and "rightspasia-pipeline" in seen[0] and "+http" in seen[0]


def test_429_with_retry_after_then_success(httpserver: HTTPServer, base: str) -> None:
    no_robots(httpserver)
    calls = []
    sleeps: list[float] = []

    def handler(request: Request) -> Response:
        calls.append(1)
        if len(calls) == 1:
            return Response("slow down", status=429, headers={"Retry-After": "0"})
        return Response("fine")

    httpserver.expect_request("/x").respond_with_handler(handler)
    throttle = Throttle(sleep=sleeps.append)
    resp = Fetcher(FAST, {"127.0.0.1", "localhost"}, throttle).fetch(base + "x")
    assert resp.status == 200 and resp.body == b"fine" and len(calls) == 2
    assert 0.0 in sleeps  # the Retry-After value was honoured (capped by max_backoff)


def test_503_then_200_is_retried_and_persistent_500_gives_up(httpserver: HTTPServer, base: str) -> None:
    no_robots(httpserver)
    state = {"n": 0}

    def flaky(request: Request) -> Response:
        state["n"] += 1
        return Response("down", status=503) if state["n"] < 3 else Response("up")

    httpserver.expect_request("/flaky").respond_with_handler(flaky)
    httpserver.expect_request("/broken").respond_with_data("err", status=500)
    fetcher = Fetcher(FAST, {"127.0.0.1", "localhost"}, Throttle(sleep=lambda s: None))
    assert fetcher.fetch(base + "flaky").body == b"up"
    with pytest.raises(FetchError, match=r"/broken: gave up after 3 attempts \(HTTP 500\)"):
        fetcher.fetch(base + "broken")


def test_retry_after_accepts_http_dates() -> None:
    assert retry_after("120") == 120
    assert retry_after("Wed, 21 Oct 2015 07:28:00 GMT", clock=lambda: 1445412480.0 - 30) == pytest.approx(30)
    assert retry_after("soon") is None


def test_a_hanging_server_times_out(tmp_path: Path) -> None:
    import socket

    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(5)
    port = srv.getsockname()[1]
    stop = threading.Event()

    def accept_and_hang() -> None:
        conns = []
        srv.settimeout(0.2)
        while not stop.is_set():
            try:
                conns.append(srv.accept()[0])
            except OSError:
                continue
        for c in conns:
            c.close()

    t = threading.Thread(target=accept_and_hang, daemon=True)
    t.start()
    cfg = CrawlConfig(delay=0, timeout=0.3, max_retries=1, backoff=0.01)
    start = time.monotonic()
    with pytest.raises(FetchError, match="Timeout"):
        Fetcher(cfg, {"127.0.0.1"}, Throttle(sleep=lambda s: None))._get(f"http://127.0.0.1:{port}/x", False)
    assert time.monotonic() - start < 5
    stop.set()
    t.join()
    srv.close()


def test_redirect_to_another_host_is_not_followed(httpserver: HTTPServer, base: str) -> None:
    no_robots(httpserver)
    httpserver.expect_request("/away").respond_with_data("", status=302, headers={"Location": "http://example.org/"})
    httpserver.expect_request("/here").respond_with_data("", status=301, headers={"Location": "/there"})
    httpserver.expect_request("/there").respond_with_data("arrived")
    fetcher = Fetcher(FAST, {"127.0.0.1", "localhost"})
    with pytest.raises(FetchError, match="leaves the blog's origin"):
        fetcher.fetch(base + "away")
    resp = fetcher.fetch(base + "here")
    assert resp.body == b"arrived" and resp.url.endswith("/there")


def test_wrong_or_missing_charset_still_parses(httpserver: HTTPServer, base: str, tmp_path: Path) -> None:
    posts = make_posts(base, 2)
    posts[0].title = "Café: Déclaration sur les droits"
    blog = BlogFixture(base, posts, feed=False, sitemap=False, archives=False)

    def handler(request: Request) -> Response:
        resp = blog.handler(request)
        if request.path == "/":
            # claims Latin-1 although the body is UTF-8
            resp.headers["Content-Type"] = "text/html; charset=ISO-8859-1"
        elif request.path.endswith(".html"):
            resp.headers["Content-Type"] = "text/html"
        return resp

    httpserver.expect_request(re.compile(".*")).respond_with_handler(handler)
    crawl([base], tmp_path / "raw", FAST)
    titles = {p.title for p in parse_store(tmp_path / "raw")}
    assert "Café: Déclaration sur les droits" in titles


def test_truncated_response_is_retried_never_stored(tmp_path: Path) -> None:
    import socket

    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(5)
    port = srv.getsockname()[1]

    def serve_short() -> None:
        for _ in range(3):
            conn, _ = srv.accept()
            conn.recv(65536)
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 1000\r\n\r\n<html>short")
            conn.close()

    t = threading.Thread(target=serve_short, daemon=True)
    t.start()
    cfg = CrawlConfig(delay=0, timeout=2, max_retries=2, backoff=0.01)
    with pytest.raises(FetchError, match="gave up after 3 attempts"):
        Fetcher(cfg, {"127.0.0.1"}, Throttle(sleep=lambda s: None))._get(f"http://127.0.0.1:{port}/p", False)
    t.join(timeout=5)
    srv.close()


def test_response_size_cap(httpserver: HTTPServer, base: str) -> None:
    no_robots(httpserver)
    httpserver.expect_request("/big").respond_with_data("x" * 5000)
    fetcher = Fetcher(CrawlConfig(delay=0, max_bytes=1000, backoff=0.01, max_backoff=0.05), {"127.0.0.1", "localhost"})
    with pytest.raises(FetchError, match="larger than 1000 bytes"):
        fetcher.fetch(base + "big")


def test_per_host_delay_is_kept() -> None:
    clock = {"t": 0.0}
    slept: list[float] = []

    def sleep(s: float) -> None:
        slept.append(s)
        clock["t"] += s

    throttle = Throttle(sleep=sleep, clock=lambda: clock["t"])
    for _ in range(3):
        throttle.wait("a", 1.5)
    throttle.wait("b", 1.5)  # another host does not wait for the first
    assert slept == [1.5, 1.5]


def test_resume_after_interruption_refetches_no_stored_permalink(httpserver: HTTPServer, base: str,
                                                                  tmp_path: Path) -> None:
    blog = BlogFixture(base, make_posts(base, 9), feed=False, robots=BLOGGER_ROBOTS, truncate=True)
    serve(httpserver, blog)
    raw = tmp_path / "raw"
    first = crawl([base], raw, CrawlConfig(**{**FAST.__dict__, "max_pages": 5}))
    assert first.fetched == 5 and first.capped > 0
    hits_before = list(blog.hits)
    second = crawl([base], raw, FAST)
    new_hits = [h for h in blog.hits[len(hits_before):] if h != "/robots.txt"]
    assert len(new_hits) == len(set(new_hits))
    assert not set(new_hits) & {h for h in hits_before if h.endswith(".html")}  # stored permalinks are kept
    assert second.skipped >= 2
    posts = parse_store(raw)
    assert sorted(p.id for p in posts) == sorted(p.id for p in blog.posts)
    permalinks = [r.url for r in iter_records(raw) if r.url.endswith(".html")]
    assert len(permalinks) == len(set(permalinks)) == 9  # each permalink stored once
    hits_before = len(blog.hits)
    third = crawl([base], raw, FAST)  # an update run of an unchanged blog: discovery pages only
    assert not [h for h in blog.hits[hits_before:] if h.endswith(".html")]
    assert (third.new, third.changed, third.unchanged, third.gone) == (0, 0, 9, [])


def test_wayback_cdx_listing_with_resume_key_and_raw_captures(httpserver: HTTPServer, tmp_path: Path) -> None:
    wb = httpserver.url_for("/").rstrip("/")
    blog_base = "https://gone.blogspot.com/"
    posts = make_posts(blog_base, 3)
    from pipeline.bench.render import BlogMeta, permalink_page

    meta = BlogMeta(base_url=blog_base)
    rows = [["timestamp", "original", "statuscode", "mimetype"]]
    rows += [[f"2019010{i}000000", p.url.replace("https://", "http://").replace(".com/", ".com:80/"), "200",
              "text/html"] for i, p in enumerate(posts, 1)]
    cdx_calls = []

    def cdx(request: Request) -> Response:
        cdx_calls.append(request.args.get("resumeKey"))
        if request.args.get("resumeKey") is None:
            return Response(json.dumps(rows[:3] + [[], ["KEY1"]]), content_type="application/json")
        return Response(json.dumps([rows[0]] + rows[3:]), content_type="application/json")

    def capture(request: Request) -> Response:
        m = re.match(r"/web/(\d+)id_/(.*)", request.path)
        original = m.group(2).replace(":80", "").replace("http:/", "https:/").replace("https:/", "https://", 1)
        original = original.replace("https:///", "https://")
        post = next(p for p in posts if p.url.split("/")[-1] == original.split("/")[-1])
        return Response(permalink_page(meta, post), content_type="text/html; charset=UTF-8")

    httpserver.expect_request("/cdx/search/cdx").respond_with_handler(cdx)
    httpserver.expect_request(re.compile("/web/.*")).respond_with_handler(capture)
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    cfg = CrawlConfig(**{**FAST.__dict__, "wayback": True, "wayback_host": wb, "max_retries": 0})
    # The live blog is gone: its own host does not answer (nothing listens there); only Wayback serves.
    from pipeline.scrape import BlogCrawler

    store = RawStore(tmp_path / "raw")
    hosts = {"gone.blogspot.com", "127.0.0.1", "localhost"}
    crawler = BlogCrawler(blog_base, store, CrawlConfig(**{**cfg.__dict__, "extra_hosts": tuple(hosts)}), Throttle())
    crawler.crawl_wayback()
    assert cdx_calls == [None, "KEY1"]
    stored = list(iter_raw(tmp_path / "raw"))
    assert sorted(r.url for r in stored) == sorted(p.url for p in posts)
    assert all(r.capture and r.capture.startswith("2019") for r in stored)
    assert sorted(p.id for p in parse_store(tmp_path / "raw")) == sorted(p.id for p in posts)
    assert_valid_warc(tmp_path / "raw")


def test_two_blogs_are_crawled_concurrently_into_one_store(tmp_path: Path) -> None:
    servers = [HTTPServer(host="127.0.0.1", port=0), HTTPServer(host="127.0.0.1", port=0)]
    blogs = []
    try:
        for n, srv in enumerate(servers):
            srv.start()
            base = srv.url_for("/").replace("127.0.0.1", "localhost" if n else "127.0.0.1")
            blog = BlogFixture(base, [p for p in make_posts(base, 4)])
            for p in blog.posts:
                p.id = f"{p.id}{n}"
            srv.expect_request(re.compile(".*")).respond_with_handler(blog.handler)
            blogs.append(blog)
        stats = crawl([b.base for b in blogs], tmp_path / "raw", FAST)
        assert stats.route.count("feed") == 2
        assert len(parse_store(tmp_path / "raw")) == 8
        assert_valid_warc(tmp_path / "raw")
    finally:
        for srv in servers:
            srv.clear()
            if srv.is_running():
                srv.stop()


def test_a_feed_that_ignores_start_index_does_not_loop(httpserver: HTTPServer, base: str, tmp_path: Path) -> None:
    blog = BlogFixture(base, make_posts(base, 3))

    def handler(request: Request) -> Response:
        if request.path.startswith("/feeds/"):  # always the same page, whatever start-index says
            from pipeline.bench.render import feed_json

            return Response(feed_json(blog.meta, blog.posts, total=3), content_type="application/json")
        return blog.handler(request)

    httpserver.expect_request(re.compile(".*")).respond_with_handler(handler)
    crawl([base], tmp_path / "raw", FAST)
    assert len(_ids(tmp_path / "raw")) == 3
    assert sum(h.startswith("/feeds/") for h in blog.hits) <= 2


def test_custom_theme_archive_links_are_followed(httpserver: HTTPServer, base: str, tmp_path: Path) -> None:
    posts = make_posts(base, 6, per_day=1)
    blog = BlogFixture(base, posts, feed=False, sitemap=False, archives=True, robots=BLOGGER_ROBOTS)

    def handler(request: Request) -> Response:
        resp = blog.handler(request)
        if request.path == "/":
            # a theme without the Blog Archive widget's classes: plain links to the months
            html = resp.get_data(as_text=True).replace("class='post-count-link' ", "")
            html = html.replace("</body>", f"<a href='{base}2017/05/'>May</a></body>")
            resp.set_data(html)
        return resp

    httpserver.expect_request(re.compile(".*")).respond_with_handler(handler)
    crawl([base], tmp_path / "raw", FAST)
    assert _ids(tmp_path / "raw") == sorted(p.id for p in posts)


def test_atom_feed_when_the_server_ignores_alt_json(httpserver: HTTPServer, base: str, tmp_path: Path) -> None:
    from pipeline.bench.render import feed_atom

    blog = BlogFixture(base, make_posts(base, 7))

    def handler(request: Request) -> Response:
        if request.path.startswith("/feeds/"):
            start = int(request.args.get("start-index", "1"))
            size = int(request.args.get("max-results", "25"))
            page = blog.posts[start - 1:start - 1 + size]
            return Response(feed_atom(blog.meta, page, start_index=start, total=7),
                            content_type="application/atom+xml; charset=UTF-8")
        return blog.handler(request)

    httpserver.expect_request(re.compile(".*")).respond_with_handler(handler)
    stats = crawl([base], tmp_path / "raw", FAST)
    assert "feed" in stats.route
    posts = parse_store(tmp_path / "raw")
    assert sorted(p.id for p in posts) == sorted(p.id for p in blog.posts)
    assert {p.date for p in posts} == {p.date for p in blog.posts} and all(p.labels == ["asia"] for p in posts)
