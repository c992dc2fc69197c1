"""Update runs on loopback blogs that gained, edited and lost posts; summaries whose permalink is gone."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from pipeline.config import CrawlConfig
from pipeline.fetch import Throttle
from pipeline.flags import PERMALINK_GONE, SUMMARY
from pipeline.parse import normalise_url, parse_store
from pipeline.parse.gone import flag_gone, gone_permalinks
from pipeline.rawstore import RawStore, iter_records, live_statuses
from pipeline.records import Post
from pipeline.scrape import crawl, log_summary
from pipeline.scrape.crawler import BlogCrawler
from pipeline.scrape.discovery import archive_end
from tests.blogserver import BLOGGER_ROBOTS, LiveBlog, LoopbackServer, make_posts
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


def newer_posts(base: str, k: int) -> list[Post]:
    """Posts written after make_posts' ones (July 2017), newest first."""
    out = []
    for i in range(k):
        day = 10 - i
        date = f"2017-07-{day:02d}"
        out.append(Post(id=str(8000000000000000000 + i), url=f"{base}2017/07/new-post-{i}.html", date=date,
                        published=f"{date}T09:00:00+05:45", title=f"New post {i}", author="Desk", labels=["asia"],
                        text="", html=f"<p>New post {i}: 40 domestic workers organised.</p><!--more--><p>More.</p>"))
    return out


def permalink_hits(blog: LiveBlog, since: int) -> list[str]:
    return sorted(h for h in blog.hits[since:] if h.endswith(".html"))


def path_of(post: Post) -> str:
    return "/" + post.url.split("/", 3)[3]


@pytest.mark.parametrize("summary", [True, False], ids=["summary-feed", "full-feed"])
def test_update_run_picks_up_new_and_edited_posts_and_counts_them(server: LoopbackServer, tmp_path: Path,
                                                                   summary: bool) -> None:
    blog = serve_blog(server, 6, feed_summary=summary)
    raw = tmp_path / "raw"
    first = crawl([blog.base], raw, FAST)
    assert (first.new, first.changed, first.unchanged, first.gone) == (6, 0, 0, [])

    edited, deleted = blog.posts[2], blog.posts[4]
    old_text = "Paragraph two of post 2"
    blog.edit(edited, "Edited: 250 workers joined the union", "2017-07-02T10:00:00.000+05:45")
    blog.delete(deleted)
    added = newer_posts(blog.base, 2)
    blog.posts[:0] = added
    since = len(blog.hits)
    second = crawl([blog.base], raw, FAST)

    assert (second.new, second.changed, second.unchanged) == (2, 1, 4)
    assert second.gone == [deleted.url]
    # permalinks fetched: the new and the edited post's (summary feed only), and the deleted one's, to check it
    expected = sorted(map(path_of, [*added, edited] if summary else [])) + [path_of(deleted)]
    assert permalink_hits(blog, since) == sorted(expected)
    posts = {p.id: p for p in parse_store(raw)}
    # new ones in, the deleted one kept from its earlier copies and flagged, nothing doubled
    assert set(posts) == {p.id for p in blog.posts} | {deleted.id}
    assert posts[deleted.id].flags == [PERMALINK_GONE] and "Paragraph two of post 4" in posts[deleted.id].text
    assert "Edited: 250 workers joined the union (continued)" in posts[edited.id].text
    assert old_text not in posts[edited.id].text
    assert all(p.complete for p in posts.values())
    assert all(p.flags == [] for pid, p in posts.items() if pid != deleted.id)

    since = len(blog.hits)
    third = crawl([blog.base], raw, FAST)  # nothing changed since: nothing but discovery pages is fetched
    assert (third.new, third.changed, third.unchanged, third.gone) == (0, 0, 7, [])
    assert permalink_hits(blog, since) == []
    assert_valid_warc(raw)


def test_update_run_on_the_sitemap_route_of_a_v3_blog(server: LoopbackServer, tmp_path: Path) -> None:
    blog = serve_blog(server, 6, feed=False, layout="v3", robots=BLOGGER_ROBOTS)
    raw = tmp_path / "raw"
    first = crawl([blog.base], raw, FAST)
    assert "sitemap" in first.route and first.new == 6
    edited, deleted = blog.posts[1], blog.posts[5]
    blog.edit(edited, "Edited in the v3 theme", "2017-07-03T08:00:00+05:45")  # the sitemap's lastmod changes
    blog.delete(deleted, status=410)
    added = newer_posts(blog.base, 1)
    blog.posts[:0] = added
    since = len(blog.hits)
    second = crawl([blog.base], raw, FAST)
    assert (second.new, second.changed, second.unchanged, second.gone) == (1, 1, 4, [deleted.url])
    assert permalink_hits(blog, since) == sorted(map(path_of, [*added, edited, deleted]))
    # the stored June archive listed the deleted post: it is fetched again, so no stale copy keeps the post
    assert [h for h in blog.hits[since:] if h.startswith("/2017/06/") and not h.endswith(".html")] == ["/2017/06/"]
    posts = {p.id: p for p in parse_store(raw)}
    assert set(posts) == {p.id for p in blog.posts} | {deleted.id}  # the deleted post kept, flagged
    assert posts[deleted.id].flags == [PERMALINK_GONE] and posts[deleted.id].complete
    assert "Edited in the v3 theme (continued)" in posts[edited.id].text
    since = len(blog.hits)
    third = crawl([blog.base], raw, FAST)
    assert (third.new, third.changed, third.unchanged, third.gone) == (0, 0, 6, [])
    assert not any(h.startswith("/2017/06") for h in blog.hits[since:])  # a closed month, a kept permalink
    assert_valid_warc(raw)


def test_refresh_fetches_every_permalink_again(server: LoopbackServer, tmp_path: Path) -> None:
    blog = serve_blog(server, 5, feed_summary=True)
    raw = tmp_path / "raw"
    crawl([blog.base], raw, FAST)
    since = len(blog.hits)
    stats = crawl([blog.base], raw, replace(FAST, refresh=True))
    assert permalink_hits(blog, since) == sorted(map(path_of, blog.posts))
    assert (stats.new, stats.changed, stats.unchanged) == (0, 0, 5)
    assert len(parse_store(raw)) == 5


def test_a_permalink_gone_while_completing_a_summary_is_reported_and_reaches_the_post(
        server: LoopbackServer, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    blog = serve_blog(server, 4, feed_summary=True)
    lost = blog.posts[1]
    blog.gone[path_of(lost)] = 410
    raw = tmp_path / "raw"
    with caplog.at_level(logging.INFO):
        stats = crawl([blog.base], raw, FAST)
        log_summary(stats)
    assert stats.summaries_gone == [lost.url]
    assert f"{lost.url}: permalink answers 410; the post stays a summary" in caplog.text
    assert f"1 posts stay summaries: their permalink answers 404/410: {lost.url}" in caplog.text
    assert live_statuses(raw)[lost.url] == 410  # the evidence, in the raw store under the permalink URL

    posts = {p.id: p for p in parse_store(raw)}
    assert not posts[lost.id].complete and SUMMARY in posts[lost.id].flags
    gone = gone_permalinks(raw)
    assert gone == {normalise_url(lost.url): 410}
    assert PERMALINK_GONE in flag_gone(posts[lost.id], gone).flags
    others = [p for pid, p in posts.items() if pid != lost.id]
    assert all(p.complete and flag_gone(p, gone) == p for p in others)

    since = len(blog.hits)
    again = crawl([blog.base], raw, FAST)  # the stored 410 is not fetched again, but still reported
    assert again.summaries_gone == [lost.url] and permalink_hits(blog, since) == []


def test_archive_pages_are_fetched_again_until_their_period_is_over() -> None:
    end = archive_end("/2017/06/")
    assert end == datetime(2017, 7, 2, tzinfo=UTC)  # July 1st, plus a day for the blog's time zone
    assert archive_end("/2017/12/") == datetime(2018, 1, 2, tzinfo=UTC)
    assert archive_end("/2017/") == datetime(2018, 1, 2, tzinfo=UTC)
    assert archive_end("/2017_06_01_archive.html") == end
    assert archive_end("/2017/06/post.html") is None and archive_end("/") is None


def test_the_current_month_archive_is_fetched_again(server: LoopbackServer, tmp_path: Path) -> None:
    now = datetime.now(UTC)
    posts = make_posts(server.url, 3)
    for i, p in enumerate(posts):  # posts of this month: its archive is not closed yet
        p.date = (now - timedelta(days=i)).strftime("%Y-%m-%d")
        p.published = f"{p.date}T08:00:00+00:00"
        p.url = f"{server.url}{p.date[:4]}/{p.date[5:7]}/post-{i}.html"
    blog = LiveBlog(server.url, posts, feed=False, sitemap=False, robots=BLOGGER_ROBOTS)
    server.box["app"] = blog.handler  # type: ignore[attr-defined]
    raw = tmp_path / "raw"
    crawl([blog.base], raw, FAST)
    month = f"/{posts[0].date[:4]}/{posts[0].date[5:7]}/"
    assert BlogCrawler(blog.base, RawStore(raw), FAST, Throttle()).listing_is_open(blog.base.rstrip("/") + month)
    since = len(blog.hits)
    crawl([blog.base], raw, FAST)
    assert month in blog.hits[since:] and "/" in blog.hits[since:]


def test_identical_discovery_pages_are_not_stored_again(server: LoopbackServer, tmp_path: Path) -> None:
    blog = serve_blog(server, 5)
    raw = tmp_path / "raw"
    crawl([blog.base], raw, FAST)
    before = len(list(iter_records(raw)))
    crawl([blog.base], raw, FAST)
    assert len(list(iter_records(raw))) == before  # the feed pages came back byte for byte the same


def test_run_source_again_updates_the_corpus(server: LoopbackServer, tmp_path: Path,
                                             caplog: pytest.LogCaptureFixture) -> None:
    import json

    from pipeline.cli import main

    blog = serve_blog(server, 3, feed_summary=True)
    out = tmp_path / "corpus"
    args = ["run", "--source", blog.base, "--out", str(out), "--delay", "0", "--retries", "1"]
    assert main(args) == 0
    blog.edit(blog.posts[0], "Edited for the second run", "2017-07-05T10:00:00.000+05:45")
    blog.posts[:0] = newer_posts(blog.base, 1)
    caplog.clear()
    with caplog.at_level(logging.INFO):
        assert main(args) == 0
    assert "crawl finished: 4 posts listed: 1 new, 1 changed, 2 unchanged, 0 gone" in caplog.text
    rows = [json.loads(line) for line in (out / "posts.jsonl").read_text().splitlines()]
    assert {r["id"] for r in rows} == {p.id for p in blog.posts}
    assert any("Edited for the second run (continued)" in r["text"] for r in rows)


@pytest.mark.parametrize("summary", [True, False], ids=["summary-feed", "full-feed"])
def test_a_post_deleted_from_the_blog_stays_in_the_corpus_flagged(server: LoopbackServer, tmp_path: Path,
                                                                  summary: bool, monkeypatch: pytest.MonkeyPatch,
                                                                  caplog: pytest.LogCaptureFixture) -> None:
    from pipeline.parse import ParseReport, iter_posts

    blog = serve_blog(server, 5, feed_summary=summary)
    raw = tmp_path / "raw"
    crawl([blog.base], raw, FAST)
    before = {p.id: p for p in parse_store(raw)}

    def no_second_pass(*args: object) -> None:
        raise AssertionError("older copies read although no permalink is gone")

    with monkeypatch.context() as m:  # a store without deletions: the older copies are never read
        m.setattr("pipeline.parse.stream.iter_superseded", no_second_pass)
        crawl([blog.base], raw, FAST)
        assert {p.id for p in parse_store(raw)} == set(before)

    deleted = blog.posts[3]
    blog.delete(deleted, status=410)
    stats = crawl([blog.base], raw, FAST)
    assert stats.gone == [deleted.url]
    report = ParseReport()
    with caplog.at_level(logging.WARNING):
        posts = {p.id: p for p in iter_posts(raw, report=report)}
    assert set(posts) == set(before)  # nothing collected is lost
    kept = posts[deleted.id]
    assert kept.flags == [PERMALINK_GONE] and kept.complete
    assert (kept.text, kept.title, kept.date) == (before[deleted.id].text, before[deleted.id].title,
                                                  before[deleted.id].date)
    assert report.recovered == [normalise_url(deleted.url)] and report.gone == [normalise_url(deleted.url)]
    assert f"1 posts deleted from the blog are kept from their earlier stored copies (flag {PERMALINK_GONE})" \
        in caplog.text
    assert "1 permalink_gone of which 1 deleted posts kept from earlier copies" in report.line()
    assert all(p.flags == [] for pid, p in posts.items() if pid != deleted.id)
