"""Network hygiene: robots.txt errors as RFC 9309 says, Crawl-delay capped, redirects kept within the blog's
origin, a total deadline per response, URLs checked before any request."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from werkzeug import Request, Response

from pipeline.cli import main
from pipeline.config import CrawlConfig
from pipeline.errors import FetchError
from pipeline.fetch import Fetcher, Throttle, same_site, url_problem
from tests.blogserver import LiveBlog, LoopbackServer, make_posts

FAST = CrawlConfig(delay=0.0, timeout=5.0, max_retries=1, backoff=0.01, max_backoff=0.05)


@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    box: dict = {}
    with LoopbackServer(lambda request: box["app"](request)) as srv:
        srv.box = box  # type: ignore[attr-defined]
        yield srv


def serve(server: LoopbackServer, robots: Response | None = None, **kw: object) -> LiveBlog:
    blog = LiveBlog(server.url, make_posts(server.url, 3), **kw)  # type: ignore[arg-type]

    def handler(request: Request) -> Response:
        if robots is not None and request.path == "/robots.txt":
            blog.hits.append(request.path)
            return robots
        return blog.handler(request)

    server.box["app"] = handler  # type: ignore[attr-defined]
    return blog


def fetcher(server: LoopbackServer, config: CrawlConfig = FAST) -> Fetcher:
    return Fetcher(config, {"127.0.0.1"}, Throttle(sleep=lambda s: None))


@pytest.mark.parametrize("status", [500, 503])
def test_robots_txt_that_answers_5xx_disallows_everything(server: LoopbackServer, tmp_path: Path, status: int,
                                                          caplog: pytest.LogCaptureFixture) -> None:
    blog = serve(server, Response("down", status=status))
    with caplog.at_level(logging.WARNING):
        assert main(["scrape", blog.base, "--out", str(tmp_path / "raw"), "--delay", "0", "--retries", "1"]) == 1
    assert set(blog.hits) == {"/robots.txt"}  # nothing else was asked for
    assert f"robots.txt: no answer (http://127.0.0.1:{server.httpd.server_address[1]}/robots.txt: gave up after 2 " \
           f"attempts (HTTP {status})); as RFC 9309 says, nothing on" in caplog.text
    assert "disallowed by robots.txt (robots.txt could not be had" in caplog.text
    assert "nothing could be fetched or read for 1 blogs" in caplog.text


def test_robots_txt_that_cannot_be_reached_disallows_everything(server: LoopbackServer,
                                                                caplog: pytest.LogCaptureFixture) -> None:
    serve(server)
    server.fault("/robots.txt", "reset", "reset")  # both attempts: connection reset mid-answer
    f = fetcher(server)
    with caplog.at_level(logging.WARNING), pytest.raises(FetchError, match="disallowed by robots.txt"):
        f.fetch(server.url + "2017/06/post-0-unions-and-social-protection.html")
    assert "as RFC 9309 says, nothing on" in caplog.text


@pytest.mark.parametrize("status", [401, 403, 404, 410])
def test_robots_txt_that_answers_4xx_allows_everything(server: LoopbackServer, status: int) -> None:
    blog = serve(server, Response("no", status=status))
    resp = fetcher(server).fetch(blog.posts[0].url)
    assert resp.status == 200 and b"Paragraph two of post 0" in resp.body


def test_crawl_delay_is_capped_and_a_crawl_delay_of_thousands_of_digits_is_ignored(
        server: LoopbackServer, caplog: pytest.LogCaptureFixture) -> None:
    blog = serve(server, Response("User-agent: *\nCrawl-delay: 100000\nDisallow: /search\n"))
    sleeps: list[float] = []
    f = Fetcher(replace(FAST, max_crawl_delay=2.5), {"127.0.0.1"}, Throttle(sleep=sleeps.append))
    with caplog.at_level(logging.WARNING):
        f.fetch(blog.posts[0].url)
        f.fetch(blog.posts[1].url)
    assert f.crawl_delay == {f"127.0.0.1:{server.httpd.server_address[1]}": 2.5}
    assert "Crawl-delay of 100000 s; capped at 2.5 s (max_crawl_delay)" in caplog.text
    assert sleeps and max(sleeps) <= 2.5 * 3  # robots.txt, then two pages: at most three waits of the cap
    assert not f.allowed(blog.base + "search?q=x")

    blog = serve(server, Response("User-agent: *\nCrawl-delay: " + "9" * 5000 + "\nRequest-rate: 1/" + "9" * 5000
                                  + "\nDisallow: /search\n"))
    caplog.clear()
    f = fetcher(server)
    with caplog.at_level(logging.WARNING):
        assert f.fetch(blog.posts[0].url).status == 200
    assert "a Crawl-delay or Request-rate that is no number; those lines ignored" in caplog.text
    assert not f.allowed(blog.base + "search?q=x") and f.crawl_delay == {}  # the rest of the file still counts


def test_redirects_stay_within_the_origin_or_its_http_https_pair(server: LoopbackServer) -> None:
    other = "http://127.0.0.1:9/"
    blog = serve(server, Response("", status=404))
    path = "/" + blog.posts[0].url.split("/", 3)[3]
    pages = server.box["app"]  # type: ignore[attr-defined]
    moves = {"/old.html": path, "/away.html": other + "x.html"}  # same origin: followed; another port: refused
    server.box["app"] = lambda request: (  # type: ignore[attr-defined]
        Response("", status=301, headers={"Location": moves[request.path]}) if request.path in moves
        else pages(request))
    f = fetcher(server)
    chain = f.fetch_chain(server.url + "old.html")
    assert [r.status for r in chain] == [301, 200] and chain[-1].url.endswith(path)
    with pytest.raises(FetchError, match=r"redirect to http://127.0.0.1:9/x.html leaves the blog's origin"):
        f.fetch(server.url + "away.html")
    assert same_site("http://b.blogspot.com/x", "https://b.blogspot.com/y")
    assert same_site("https://b.blogspot.com/x", "http://b.blogspot.com:80/y")
    assert same_site("http://b.blogspot.com/x", "http://B.blogspot.com:80/y")
    assert not same_site("http://b.blogspot.com/x", "http://b.blogspot.com:8080/y")
    assert not same_site("http://127.0.0.1:8080/x", "https://127.0.0.1:8080/y")  # a scheme pair off default ports
    assert not same_site("https://b.blogspot.com/x", "https://c.blogspot.com/y")


@pytest.mark.parametrize("kind", ["drip", "drip-head"])
def test_a_server_that_drips_is_cut_off_at_the_deadline_and_retried(server: LoopbackServer, kind: str,
                                                                    caplog: pytest.LogCaptureFixture) -> None:
    blog = serve(server, Response("", status=404))
    path = "/" + blog.posts[0].url.split("/", 3)[3]
    config = replace(FAST, deadline=0.5)
    server.fault(path, kind)  # the first attempt drips (the page would take minutes), the second is whole
    with caplog.at_level(logging.WARNING):
        resp = fetcher(server, config).fetch(blog.posts[0].url)
    assert resp.status == 200 and resp.body.rstrip().endswith(b"</html>")
    assert "no complete answer within the deadline of 0.5 s (attempt 1/2)" in caplog.text
    server.fault(path, kind, kind)
    with pytest.raises(FetchError, match=r"gave up after 2 attempts \(.*deadline of 0.5 s\)"):
        fetcher(server, config).fetch(blog.posts[0].url)


def test_urls_no_http_library_should_see_are_refused_before_any_request(server: LoopbackServer) -> None:
    blog = serve(server, Response("", status=404))
    for bad in ("http://[::1", "http://[::1/x.html", "http://127.0.0.1:99999/x", "http://127.0.0.1:port/x",
                "ftp://127.0.0.1/x", "http:///x", "http://127.0.0.1/a\x00b", "http://127.0.0.1/\ud800",
                "http://127.0.0.1/" + "x" * 3000, "", "javascript:alert(1)"):
        assert url_problem(bad), bad
        with pytest.raises(FetchError, match="not a URL that can be fetched"):
            fetcher(server).fetch(bad)
        assert not fetcher(server).in_scope(bad) and not fetcher(server).allowed(bad)
    assert blog.hits == []
    assert url_problem("https://b.blogspot.com/2017/06/x.html?m=1#c") is None
    assert url_problem("http://[::1]:8080/x") is None
