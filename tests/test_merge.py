"""Merging the copies of a post from live pages and Wayback captures, and the parse run's summary."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from pipeline.bench.render import BlogMeta, feed_json, listing_page, permalink_page, text_to_html
from pipeline.flags import NEWER_COPY_DIFFERS, SUMMARY
from pipeline.parse import FULL, TRUNCATED, Candidate, iter_posts, merge, parse_store
from pipeline.parse.report import ParseReport
from pipeline.rawstore import RawResponse, RawStore
from pipeline.records import Post

HOME = "https://rightspasia.blogspot.com/"
HTML = [("Content-Type", "text/html; charset=UTF-8")]
META = BlogMeta()


def _post(text: str, title: str = "Edited post") -> Post:
    return Post(id="1234567890123456789", url=HOME + "2019/05/edited-post.html", date="2019-05-01",
                published="2019-05-01T10:00:00+05:45", title=title, author="Desk", labels=["asia"], text=text,
                html=text_to_html(text))


def _copy(text: str, completeness: int, capture: str | None = None, fetched: str = "",
          source: str = HOME) -> Candidate:
    post = _post(text)
    post.source, post.capture = source, capture
    return Candidate(post, completeness, fetched=fetched)


def test_the_newest_capture_wins_not_the_longest_body() -> None:
    old = _copy("First version of the post, long and wordy, written in haste.", FULL, capture="20190601000000")
    new = _copy("Second version, short.", FULL, capture="20210301120000")
    (post,) = merge([new, old])
    assert (post.text, post.capture) == ("Second version, short.", "20210301120000")
    (post,) = merge([old, new])  # order of the copies does not matter
    assert post.capture == "20210301120000"


def test_a_live_copy_beats_older_captures_and_says_it_is_live() -> None:
    live = _copy("Live text.", FULL, fetched="2025-01-15T10:00:00Z")
    capture = _copy("Archived text, longer than the live one.", FULL, capture="20240101000000")
    (post,) = merge([capture, live])
    assert (post.text, post.capture, post.flags) == ("Live text.", None, [])
    # A capture newer than the live copy (a store crawled years ago, completed from the archive) wins.
    newer_capture = _copy("Edited later.", FULL, capture="20260101000000")
    assert merge([live, newer_capture])[0].text == "Edited later."


def test_a_whole_body_from_an_older_capture_beats_a_newer_summary() -> None:
    full = _copy("The whole post: first paragraph.\n\nSecond paragraph.", FULL, capture="20190601000000")
    agreeing = _copy("The whole post: first paragraph. Second par…", TRUNCATED, capture="20220101000000")
    (post,) = merge([agreeing, full])
    assert (post.text, post.complete, post.flags, post.capture) == (full.post.text, True, [], "20190601000000")
    # A newer summary whose text the kept body does not hold: the post was edited after the capture.
    edited = _copy("The post, rewritten: new first paragraph …", TRUNCATED, capture="20220101000000")
    (post,) = merge([full, edited])
    assert post.text == full.post.text and post.flags == [NEWER_COPY_DIFFERS] and post.complete


def test_only_summaries_give_an_incomplete_post_from_the_newest_summary() -> None:
    a = _copy("Summary one …", TRUNCATED, capture="20190601000000")
    b = _copy("Summary two …", TRUNCATED, capture="20200601000000")
    (post,) = merge([a, b])
    assert (post.text, post.complete, post.flags) == ("Summary two …", False, [SUMMARY])


def test_copies_of_one_crawl_are_not_compared_with_each_other() -> None:
    # Fetched seconds apart: a listing copy after the permalink is no sign of an edit.
    item = _copy("Body as the permalink shows it.", FULL, fetched="2025-01-15T10:00:00Z")
    listing = _copy("Body as the listing shows it, with a theme's extra words.", TRUNCATED,
                    fetched="2025-01-15T10:00:09Z")
    assert merge([item, listing])[0].flags == []


def _store(tmp_path: Path, responses: list[RawResponse]) -> Path:
    store = RawStore(tmp_path / "raw")
    for resp in responses:
        store.add(resp)
    return tmp_path / "raw"


def test_store_with_captures_keeps_the_newest_and_records_where_it_came_from(tmp_path: Path) -> None:
    old, new = _post("Old text of the post."), _post("New text of the post.", title="Edited post (updated)")
    url = old.url
    raw = _store(tmp_path, [
        RawResponse(url, 200, permalink_page(META, new).encode(), HTML, fetched="2025-01-02T00:00:00Z",
                    capture="20230505050505"),
        RawResponse(url, 200, permalink_page(META, old).encode(), HTML, fetched="2025-01-02T00:00:01Z",
                    capture="20190101000000"),
        RawResponse(HOME, 200, listing_page(META, [new], truncate_ids=frozenset({new.id})).encode(), HTML,
                    fetched="2025-01-02T00:00:02Z", capture="20240101000000"),
    ])
    (post,) = parse_store(raw)
    assert (post.text, post.title, post.capture, post.source) == ("New text of the post.", "Edited post (updated)",
                                                                  "20230505050505", url)
    assert post.flags == [] and post.complete  # the newer listing's summary agrees with the kept body


def test_copies_without_a_blogger_id_join_those_with_one(tmp_path: Path) -> None:
    post = _post("Whole text.")
    mobile = ("<div class='widget Blog' id='Blog1'><div class='date-header'><span>1 May 2019</span></div>"
              f"<div class='mobile-post-outer'><a href='{post.url}?m=1'><h3 class='mobile-index-title'>"
              "Edited post</h3><div class='mobile-index-contents'><div class='post-body'>Whole …</div></div></a>"
              "</div></div>")
    raw = _store(tmp_path, [RawResponse(HOME + "?m=1", 200, mobile.encode(), HTML),
                            RawResponse(HOME + "feeds/posts/default?alt=json", 200,
                                        feed_json(META, [post]).encode(), [("Content-Type", "application/json")])])
    (merged,) = parse_store(raw)
    assert (merged.id, merged.text, merged.complete) == (post.id, "Whole text.", True)


def test_the_run_summary_counts_posts_summaries_empty_pages_and_skipped_responses(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    full, cut = _post("Whole."), Post(id="2234567890123456789", url=HOME + "2019/05/cut.html", date="2019-05-02",
                                      published="2019-05-02T10:00:00+05:45", title="Cut", text="First.\n\nSecond.",
                                      html=text_to_html("First.\n\nSecond."))
    raw = _store(tmp_path, [
        RawResponse(HOME, 200, listing_page(META, [cut, full], truncate_ids=frozenset({cut.id})).encode(), HTML),
        RawResponse(full.url, 200, permalink_page(META, full).encode(), HTML),
        RawResponse(HOME + "2019/05/broken.html", 200, b"<html><body><p>Nothing Blogger here</p></body></html>", HTML),
        RawResponse(HOME + "search/label/none", 200, listing_page(META, []).encode(), HTML),
        RawResponse(HOME + "feeds/posts/default?alt=json&start-index=151", 200,
                    feed_json(META, [], start_index=151).encode(), [("Content-Type", "application/json")]),
        RawResponse(HOME + "feeds/1234567890123456789/comments/default?alt=json", 200,
                    feed_json(META, [full]).encode(), [("Content-Type", "application/json")]),
        RawResponse(HOME + "robots.txt", 200, b"User-agent: *\nDisallow: /search\n", [("Content-Type", "text/plain")]),
        RawResponse(HOME + "sitemap.xml", 200, b"<?xml version='1.0'?><urlset></urlset>",
                    [("Content-Type", "application/xml")]),
        RawResponse(HOME + "2019/05/gone.html", 404, b"Not found", HTML),
        RawResponse(HOME + "favicon.ico", 200, b"\x00\x01", [("Content-Type", "image/x-icon")]),
    ])
    report = ParseReport()
    with caplog.at_level(logging.INFO, logger="pipeline.parse"):
        posts = list(iter_posts(raw, report=report))
    assert [(p.title, p.complete) for p in posts] == [("Cut", False), ("Edited post", True)]
    assert (report.responses, report.posts, report.summaries) == (10, 2, 1)
    assert dict(report.pages) == {"listing page": 2, "item page": 2, "feed": 1}
    assert dict(report.no_post) == {"item page": 1, "listing page": 1, "feed": 1}
    assert dict(report.skipped) == {"comment feed": 1, "robots.txt": 1, "sitemap": 1, "status 404": 1,
                                    "not a page (image/x-icon)": 1}
    line = next(r.getMessage() for r in caplog.records if r.getMessage().startswith("parse: "))
    assert "2 posts (1 summaries only" in line
    assert "pages that gave no post: 1 feed, 1 item page, 1 listing page" in line
    assert "responses skipped: 5 (" in line and "1 status 404" in line
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any("1 item pages gave no post" in w and "broken.html" in w for w in warnings)
    assert any("1 posts are summaries only" in w for w in warnings)


def test_rss_and_atom_responses_are_read_as_feeds(tmp_path: Path) -> None:
    templates = Path(__file__).parent / "fixtures" / "templates"
    raw = _store(tmp_path, [
        RawResponse("https://rightswatch-sa.blogspot.com/feeds/posts/default?alt=rss", 200,
                    (templates / "feed_rss.xml").read_bytes(), [("Content-Type", "application/rss+xml")]),
        RawResponse("https://chroniquesdutravail.blogspot.com/feeds/posts/summary", 200,
                    (templates / "feed_atom_summary.xml").read_bytes(), [("Content-Type", "application/atom+xml")]),
    ])
    report = ParseReport()
    posts = list(iter_posts(raw, report=report))
    assert len(posts) == 3 and dict(report.pages) == {"feed": 2} and report.summaries == 2


def test_an_undated_listing_copy_takes_its_date_from_another_copy_or_is_reported(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    post = _post("Whole text.")
    undated = ("<div class='widget Blog' id='Blog1'><div class='post-outer'>"
               f"<h3 class='post-title'><a href='{post.url}'>Edited post</a></h3>"
               "<div class='post-body'>Whole text.</div></div>"
               "<div class='post-outer'><h3 class='post-title'><a href='" + HOME + "2019/04/lost.html'>Lost</a></h3>"
               "<div class='post-body'>No date anywhere.</div></div></div>")
    raw = _store(tmp_path, [RawResponse(HOME, 200, undated.encode(), HTML),
                            RawResponse(post.url, 200, permalink_page(META, post).encode(), HTML)])
    report = ParseReport()
    with caplog.at_level(logging.WARNING, logger="pipeline.parse"):
        (kept,) = list(iter_posts(raw, report=report))
    assert (kept.title, kept.date) == ("Edited post", "2019-05-01")
    assert report.undated == [HOME + "2019/04/lost.html"]
    assert any("1 posts dropped: no stored copy gives their date" in r.getMessage() and "lost.html" in r.getMessage()
               for r in caplog.records)


def test_a_post_kept_from_a_capture_whose_permalink_is_gone_now_is_flagged_and_counted(tmp_path: Path) -> None:
    from pipeline.flags import PERMALINK_GONE

    post = _post("Archived whole text.")
    raw = _store(tmp_path, [
        RawResponse(post.url, 200, permalink_page(META, post).encode(), HTML, fetched="2025-01-02T00:00:00Z",
                    capture="20200101000000"),
        RawResponse(post.url, 410, b"Gone", HTML, fetched="2025-01-03T00:00:00Z"),
    ])
    report = ParseReport()
    (kept,) = list(iter_posts(raw, report=report))
    assert (kept.text, kept.capture, kept.complete, kept.flags) == ("Archived whole text.", "20200101000000", True,
                                                                    [PERMALINK_GONE])
    assert report.gone == [post.url] and f"1 {PERMALINK_GONE}" in report.line()


def test_a_live_summary_whose_permalink_answers_404_is_flagged_gone(tmp_path: Path) -> None:
    from pipeline.flags import PERMALINK_GONE

    post = _post("First paragraph.\n\nSecond paragraph.")
    raw = _store(tmp_path, [
        RawResponse(HOME, 200, listing_page(META, [post], truncate_ids=frozenset({post.id})).encode(), HTML),
        RawResponse(post.url, 404, b"Not found", HTML),
    ])
    report = ParseReport()
    (kept,) = list(iter_posts(raw, report=report))
    assert (kept.complete, kept.flags, kept.text) == (False, [PERMALINK_GONE, SUMMARY], "First paragraph.")
    assert report.gone == [post.url] and dict(report.skipped) == {"status 404": 1}
