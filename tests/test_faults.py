"""Hard faults on a loopback blog (truncated bodies, resets, 429, gzip, chunked, 301, gone), DNS, the user agent."""

from __future__ import annotations

import logging
import socket
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.config import PROJECT_URL, USER_AGENT, CrawlConfig, default_user_agent
from pipeline.errors import InputError
from pipeline.fetch import Fetcher, HostUnreachable, Throttle, check_user_agent, decode_payload
from pipeline.parse import parse_store
from pipeline.rawstore import iter_raw, iter_records
from pipeline.scrape import crawl
from tests.blogserver import LiveBlog, LoopbackServer, make_posts
from tests.warcs import assert_valid_warc

FAST = CrawlConfig(delay=0.0, timeout=2.0, max_retries=2, backoff=0.01, max_backoff=0.05, feed_page_size=4)


@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    box: dict = {}
    srv = LoopbackServer(lambda request: box["app"](request))
    srv.box = box  # type: ignore[attr-defined]
    yield srv
    srv.stop()


def serve_blog(server: LoopbackServer, n: int, **kw: object) -> LiveBlog:
    blog = LiveBlog(server.url, make_posts(server.url, n), **kw)  # type: ignore[arg-type]
    server.box["app"] = blog.handler  # type: ignore[attr-defined]
    return blog


def path_of(url: str) -> str:
    return "/" + url.split("/", 3)[3]


def test_hard_faults_are_retried_redirects_stored_and_what_is_missing_reported(
        server: LoopbackServer, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    blog = serve_blog(server, 8, feed_summary=True)
    p = [path_of(post.url) for post in blog.posts]
    server.fault("/feeds/posts/default?alt=json&start-index=1&max-results=4", "gzip")
    server.fault("/feeds/posts/default?alt=json&start-index=5&max-results=4", "chunked")
    server.fault(p[0], "truncate")  # half the body, then the connection closes
    server.fault(p[1], "reset")  # half the body, then a TCP reset
    server.fault(p[2], "429")  # Retry-After: 1, capped by max_backoff
    server.fault(p[3], "gzip-cut")  # a gzip stream cut short, Content-Length matching what was sent
    server.fault(p[4], "gzip")
    blog.moved[p[5]] = "/2017/06/renamed.html"
    blog.gone[p[6]] = 410
    server.fault(p[7], "truncate", "truncate", "truncate")  # more than the retries
    sleeps: list[float] = []
    raw = tmp_path / "raw"
    with caplog.at_level(logging.INFO):
        stats = crawl([blog.base], raw, FAST, Throttle(sleep=sleeps.append))

    posts = {post.id: post for post in parse_store(raw)}
    ids = [post.id for post in blog.posts]
    assert set(posts) == set(ids) and len(posts) == 8  # nothing lost, nothing doubled
    for pid in ids[:6]:
        assert posts[pid].complete and "Paragraph two" in posts[pid].text, pid
    assert not posts[ids[6]].complete and not posts[ids[7]].complete  # summaries, and said so
    assert stats.summaries_gone == [blog.posts[6].url]
    assert stats.summaries_missed == [blog.posts[7].url]
    assert 0.05 in sleeps  # Retry-After honoured (1 s, capped by max_backoff)
    assert f"{blog.posts[7].url}: gave up after 3 attempts" in caplog.text

    stored = list(iter_records(raw))
    for r in stored:  # no truncated body was stored: every page stored is whole
        if r.status == 200 and r.content_type == "text/html":
            assert r.body.rstrip().endswith(b"</html>"), r.url
        if r.status == 200:  # headers describe the stored payload
            assert r.header("Content-Encoding") is None and r.header("Transfer-Encoding") is None
            assert r.header("Content-Length") in (None, str(len(r.body)))
    feed1 = next(r for r in stored if "start-index=1&" in r.url)
    assert feed1.header("X-Original-Content-Encoding") == "gzip" and feed1.body.startswith(b"{")
    feed2 = next(r for r in stored if "start-index=5&" in r.url)
    assert feed2.header("X-Original-Transfer-Encoding") == "chunked"
    moved = next(r for r in stored if r.url == blog.posts[5].url)
    assert moved.status == 301 and moved.header("Location") == "/2017/06/renamed.html"
    assert any(r.url.endswith("/2017/06/renamed.html") and r.status == 200 for r in stored)
    assert_valid_warc(raw)

    # Resume: the moved post is read through its stored redirect, the failed permalink is fetched now.
    since = len(blog.hits)
    again = crawl([blog.base], raw, FAST)
    hits = [h for h in blog.hits[since:] if h.endswith(".html")]
    assert hits == [p[7]]
    assert again.summaries_missed == [] and again.summaries_gone == [blog.posts[6].url]
    assert {q.id for q in parse_store(raw) if q.complete} == set(ids) - {ids[6]}


def test_decode_payload_rewrites_headers_and_refuses_damaged_streams() -> None:
    import gzip

    body, headers = decode_payload([("Content-Encoding", "gzip"), ("Content-Length", "99")],
                                   gzip.compress(b"hello" * 10), 1000)
    assert body == b"hello" * 10
    assert headers == [("Content-Length", "50"), ("X-Original-Content-Encoding", "gzip"),
                       ("X-Original-Content-Length", "99")]
    same = [("Content-Type", "text/html"), ("Content-Length", "3")]
    assert decode_payload(same, b"abc", 1000) == (b"abc", same)  # nothing to decode: as received
    assert decode_payload([("Content-Encoding", "br")], b"\x0b", 1000) == (b"\x0b", [("Content-Encoding", "br")])
    from pipeline.errors import FetchError
    from pipeline.fetch import Truncated

    with pytest.raises(Truncated):
        decode_payload([("Content-Encoding", "gzip")], gzip.compress(b"x" * 1000)[:-12], 10_000)
    with pytest.raises(FetchError, match="once decompressed"):  # a bomb stops at the cap
        decode_payload([("Content-Encoding", "gzip")], gzip.compress(b"\0" * 100_000), 1000)


def test_a_name_that_does_not_resolve_fails_fast_with_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                               caplog: pytest.LogCaptureFixture) -> None:
    calls: list[str] = []
    real = socket.getaddrinfo

    def counting(host: str, *args: object, **kw: object) -> object:
        calls.append(host)
        return real(host, *args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(socket, "getaddrinfo", counting)
    url = "http://no-such-blog.invalid/"
    stats = crawl([url], tmp_path / "raw", FAST)
    assert calls.count("no-such-blog.invalid") == 1  # not retried
    assert stats.unreachable == [f"{url}robots.txt: host name no-such-blog.invalid does not resolve (DNS)"]
    assert stats.empty == [url]
    fetcher = Fetcher(FAST, {"no-such-blog.invalid"}, Throttle(sleep=lambda s: None))
    for _ in range(2):
        with pytest.raises(HostUnreachable, match="does not resolve"):
            fetcher.fetch(url + "2017/06/x.html")
    assert calls.count("no-such-blog.invalid") == 2  # one more for the new fetcher, then none

    caplog.clear()
    assert main(["scrape", url, "--out", str(tmp_path / "raw2")]) == 1
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1 and "no-such-blog.invalid" in errors[0].getMessage()
    assert "Traceback" not in caplog.text

    out = tmp_path / "corpus"
    out.mkdir()
    (out / "posts.jsonl").write_text("kept\n")
    assert main(["run", "--source", url, "--out", str(out)]) == 2
    assert (out / "posts.jsonl").read_text() == "kept\n"  # the corpus is left as it was


def test_the_user_agent_must_name_a_contact(server: LoopbackServer, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    assert "rightspasia-pipeline" in USER_AGENT and PROJECT_URL in USER_AGENT
    assert check_user_agent(USER_AGENT) == USER_AGENT
    for good in ("mybot/1.0 (+https://example.org/bot)", "survey-crawler (contact: jane@uni.example.edu)"):
        assert check_user_agent(good) == good
    for bad in ("mybot/1.0", "", "bot (+http://localhost)", "bot https://ok.example.org\r\nX-Evil: 1"):
        with pytest.raises(InputError, match="--user-agent"):
            check_user_agent(bad)
    with pytest.raises(InputError, match="names no contact"):
        crawl(["http://127.0.0.1:1/"], tmp_path / "never", replace(FAST, user_agent="anonymous"))
    assert not (tmp_path / "never").exists()  # refused before anything is written
    assert main(["scrape", "http://127.0.0.1:1/", "--out", str(tmp_path / "x"), "--user-agent", "anon"]) == 2
    assert "names no contact" in caplog.text

    seen: list[str] = []
    blog = serve_blog(server, 2)

    def spy(request):  # noqa: ANN001, ANN202
        seen.append(request.headers.get("User-Agent"))
        return blog.handler(request)

    server.box["app"] = spy  # type: ignore[attr-defined]
    monkeypatch.setenv("RIGHTSPASIA_USER_AGENT", "team-bot/2 (mailto:team@example.org)")
    assert default_user_agent() == "team-bot/2 (mailto:team@example.org)"
    crawl([blog.base], tmp_path / "raw", replace(FAST, user_agent=default_user_agent()))
    assert seen and set(seen) == {"team-bot/2 (mailto:team@example.org)"}
    info = next(iter(iter_raw(tmp_path / "raw")))
    assert info.status == 200
