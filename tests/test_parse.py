"""Parser: classic and v3 markup, feeds, shared date headers, dedupe, broken markup, the bundled snapshot."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.bench.render import BlogMeta, listing_page, permalink_page, text_to_html
from pipeline.errors import InputError
from pipeline.parse import (
    FULL,
    LISTING,
    TRUNCATED,
    date_from_header,
    id_from_url,
    merge,
    normalise_url,
    parse_feed_json,
    parse_file,
    parse_html_page,
    parse_store,
)
from pipeline.rawstore import RawResponse, RawStore
from pipeline.records import Post

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO.parent / "shared" / "eval" / "seed_posts.jsonl"
HOME = "https://rightspasia.blogspot.com/"


def test_classic_fixture_shared_date_header_and_jump_link() -> None:
    cands = parse_html_page(HOME, (FIXTURES / "classic_home.html").read_text())
    posts = [c.post for c in cands]
    assert [p.id for p in posts] == ["7712036645209318841", "3390581164427720954", "8845102933761054402"]
    assert [p.published for p in posts] == ["2024-12-20T16:40:00+05:45", "2024-12-20T10:05:00+05:45",
                                            "2024-12-18T09:05:00+05:45"]
    assert [p.date for p in posts] == ["2024-12-20", "2024-12-20", "2024-12-18"]
    assert [c.completeness for c in cands] == [TRUNCATED, LISTING, LISTING]
    assert posts[0].labels == ["Nepal", "Torture"] and posts[1].labels == ["Human Rights", "Migrant Workers"]
    assert posts[0].author == "Rights Asia Desk"
    assert posts[0].title == "Nepal: rights groups urge inquiry into custodial death"
    assert "Read more" not in posts[0].text and "Posted by" not in posts[1].text
    assert posts[1].text == "On this day we recall the situation of Nepali migrant workers in the Gulf."


def test_v3_snippet_is_truncated_and_dated_from_time_element() -> None:
    (cand,) = parse_html_page(HOME, (FIXTURES / "v3_listing_post.html").read_text())
    assert cand.completeness == TRUNCATED
    assert cand.post.id == "3390581164427720954" and cand.post.date == "2024-12-20"
    assert cand.post.title == "Statement on International Migrants Day"


def test_feed_entry_gives_a_full_post() -> None:
    entry = json.loads((FIXTURES / "feed_entry.json").read_text())
    feed = json.dumps({"version": "1.0", "feed": {"entry": [entry]}})
    (cand,) = parse_feed_json(HOME + "feeds/posts/default?alt=json", feed)
    assert cand.completeness == FULL
    p = cand.post
    assert (p.id, p.published, p.labels) == ("3390581164427720954", "2024-12-20T10:05:00+05:45",
                                             ["Human Rights", "Migrant Workers"])
    assert p.url == "https://rightspasia.blogspot.com/2024/12/statement-on-international-migrants-day.html"
    wrapped = f"gdata.io.handleScriptLoaded({feed});"
    assert parse_feed_json("x", wrapped)[0].post.id == p.id


def test_the_fullest_copy_wins_and_fills_in_missing_fields() -> None:
    listing = parse_html_page(HOME, (FIXTURES / "classic_home.html").read_text())
    entry = json.loads((FIXTURES / "feed_entry.json").read_text())
    feed = parse_feed_json("feed", json.dumps({"feed": {"entry": [entry]}}))
    v3 = parse_html_page(HOME, (FIXTURES / "v3_listing_post.html").read_text())
    posts = merge([*v3, *listing, *feed])
    assert len(posts) == 3
    migrants = next(p for p in posts if p.id == "3390581164427720954")
    assert migrants.author == "Rights Asia Desk"  # from the classic listing; the feed copy won the body
    assert "Gulf" in migrants.text


def test_a_post_known_only_from_a_summary_is_marked_incomplete_and_flagged() -> None:
    v3 = parse_html_page(HOME, (FIXTURES / "v3_listing_post.html").read_text())
    alone = merge(v3)
    assert [(p.complete, p.flags) for p in alone] == [(False, ["summary"])]
    entry = json.loads((FIXTURES / "feed_entry.json").read_text())
    feed = parse_feed_json("feed", json.dumps({"feed": {"entry": [entry]}}))
    whole = next(p for p in merge([*v3, *feed]) if p.id == v3[0].post.id)
    assert (whole.complete, whole.flags) == (True, [])


def _post(i: int, date: str, title: str, text: str) -> Post:
    return Post(id=str(1000000000000000000 + i), url=f"{HOME}{date[:4]}/{date[5:7]}/p{i}.html", date=date,
                published=f"{date}T1{i}:00:00+05:45", title=title, author="Desk", labels=["asia"], text=text,
                html=text_to_html(text))


def test_date_like_titles_are_titles_and_headers_date_posts_without_timestamps() -> None:
    meta = BlogMeta()
    posts = [_post(1, "2017-06-16", "16 June: International Domestic Workers Day", "On 16 June 2011 ..."),
             _post(2, "2017-06-16", "Second post of the day", "More text.")]
    html = listing_page(meta, posts)
    # Remove timestamps so the dates must come from the shared header.
    html = html.replace("itemprop='datePublished'", "").replace("class='published'", "class='x'")
    cands = parse_html_page(HOME + "2017/06/", html)
    assert [c.post.title for c in cands] == [p.title for p in posts]
    assert [c.post.date for c in cands] == ["2017-06-16", "2017-06-16"]
    assert all(c.post.published is None for c in cands)


@pytest.mark.parametrize(("header", "iso"), [
    ("20 December 2024", "2024-12-20"), ("Friday, March 16, 2018", "2018-03-16"), ("December 20, 2024", "2024-12-20"),
    ("vrijdag 16 juni 2017", "2017-06-16"), ("2018年3月17日 星期六", "2018-03-17"), ("no date here", None),
])
def test_date_headers(header: str, iso: str | None) -> None:
    assert date_from_header(header) == iso


def test_sidebar_and_label_status_are_never_posts() -> None:
    meta = BlogMeta(labels=("asia",))
    html = listing_page(meta, [_post(1, "2024-12-20", "A", "Body A.")], label="asia",
                        archive=[(2024, 12, 1)])
    (cand,) = parse_html_page(HOME + "search/label/asia", html)
    assert "About this site" not in cand.post.text and "Showing posts" not in cand.post.text
    assert cand.post.text == "Body A."


def test_text_keeps_paragraphs_line_breaks_and_lists() -> None:
    text = "First paragraph.\n\nLine one\nLine two\n\n  • item one\n  • item two\n\nLast."
    post = _post(3, "2020-01-01", "T", text)
    (cand,) = parse_html_page(post.url, permalink_page(BlogMeta(), post))
    assert cand.post.text == text and cand.completeness == FULL


def test_whitespace_heavy_layout_and_broken_markup() -> None:
    html = """<html><body><div class='blog-posts hfeed'>
      <div class="date-outer"><h2 class='date-header'><span>
          3 May 2019
      </span></h2><div class="date-posts">
        <div class='post-outer'><div class='post hentry'>
          <a name='4444444444444444444'></a>
          <h3 class='post-title entry-title'>
              <a href='http://rightspasia.blogspot.in/2019/05/x.html?m=1#more'>
                  Broken   markup
              </a>
          </h3>
          <div class='post-body entry-content'>
              <p>Unclosed <b>bold
              <p>Second   paragraph
              <script>var x = 1;</script><div class='post-share-buttons'>Share</div>
        </div></div></div>"""
    (cand,) = parse_html_page(HOME, html)
    p = cand.post
    assert (p.id, p.date, p.title) == ("4444444444444444444", "2019-05-03", "Broken markup")
    assert p.url == "https://rightspasia.blogspot.com/2019/05/x.html"
    assert p.text == "Unclosed bold\n\nSecond paragraph"


def test_untitled_post_and_id_from_permalink() -> None:
    html = ("<div class='post-outer'><div class='post'><div class='post-body'><p>No title here.</p></div>"
            "<a class='timestamp-link' href='https://b.blogspot.com/2020/01/blog-post.html'>"
            "<abbr class='published' title='2020-01-02T03:04:00-03:00'>3:04</abbr></a></div></div>")
    (cand,) = parse_html_page("https://b.blogspot.com/", html)
    assert cand.post.title == "" and cand.post.id.startswith("u") and cand.post.date == "2020-01-02"
    assert cand.post.published == "2020-01-02T03:04:00-03:00"  # the blog's own offset, never shifted


def test_url_normalisation() -> None:
    assert normalise_url("http://x.blogspot.co.uk/2019/01/a.html?m=1#c1") == "https://x.blogspot.com/2019/01/a.html"
    assert normalise_url("http://127.0.0.1:8080/a.html?showComment=12") == "https://127.0.0.1:8080/a.html"
    # A port that is not a number is kept as written rather than losing the page.
    assert normalise_url("http://H.org:80x/a.html") == "https://h.org:80x/a.html"


def test_store_dedupes_across_pages_and_is_deterministic(tmp_path: Path) -> None:
    meta = BlogMeta()
    posts = [_post(i, "2021-03-0" + str(i), f"Title {i}", f"Body {i}.\n\nMore {i}.") for i in range(1, 5)]
    store = RawStore(tmp_path / "raw")
    ctype = [("Content-Type", "text/html; charset=UTF-8")]
    store.add(RawResponse(HOME, 200, listing_page(meta, posts[::-1][:3], truncate_ids=frozenset(
        p.id for p in posts)).encode(), ctype, fetched="2024-01-01T00:00:00Z"))
    store.add(RawResponse(HOME + "2021/03/", 200, listing_page(meta, posts[::-1]).encode(), ctype))
    store.add(RawResponse(HOME + "search/label/asia", 200, listing_page(meta, posts[::-1], label="asia").encode(),
                          ctype))
    store.add(RawResponse(posts[0].url, 200, permalink_page(meta, posts[0]).encode(), ctype))
    store.add(RawResponse(HOME + "robots.txt", 200, b"User-agent: *\nDisallow: /search\n",
                          [("Content-Type", "text/plain")]))
    store.add(RawResponse(HOME + "2021/03/gone.html", 404, b"not found", ctype))
    out = parse_store(tmp_path / "raw")
    assert [p.title for p in out] == ["Title 4", "Title 3", "Title 2", "Title 1"]
    assert all("More" in p.text for p in out)
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    parse_file(tmp_path / "raw", a)
    parse_file(tmp_path / "raw", b)
    assert a.read_bytes() == b.read_bytes()


def test_wrong_path_is_named(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="nope"):
        parse_store(tmp_path / "nope")


def test_empty_and_garbage_pages_give_no_posts() -> None:
    assert parse_html_page(HOME, "") == []
    assert parse_html_page(HOME, "<html><body><p>Just a page</p></body></html>") == []
    assert parse_feed_json("f", "{not json") == []


@pytest.mark.skipif(not SEEDS.exists(), reason="../shared/eval/seed_posts.jsonl not beside the repo")
def test_bundled_snapshot_yields_exactly_the_seed_posts() -> None:
    seeds = [json.loads(line) for line in SEEDS.read_text(encoding="utf-8").splitlines()]
    posts = parse_store(REPO / "corpus" / "raw")
    assert len(posts) == len(seeds) == 8
    by_title = {p.title: p for p in posts}
    for seed in seeds:
        post = by_title[seed["title"]]
        assert post.date == seed["date"]
        assert post.text.split() == seed["text"].split()
        # paragraph structure survives too
        assert [" ".join(x.split()) for x in post.text.split("\n\n")] == [
            " ".join(x.split()) for x in seed["text"].split("\n\n") if x.strip()]
        # Nothing the seed text does not give: no labels, author or time; an id that is no Blogger id.
        assert (post.labels, post.author, post.published) == ([], None, None)
        assert post.id.startswith("u") and post.id == id_from_url(post.url)


def test_bundled_snapshot_says_what_it_is_in_its_warcinfo_record() -> None:
    from warcio.archiveiterator import ArchiveIterator

    from pipeline.config import SNAPSHOT_NOTE

    with (REPO / "corpus" / "raw" / "snapshot.warc.gz").open("rb") as fh:
        records = [(r.rec_type, r.content_stream().read()) for r in ArchiveIterator(fh)]
    assert [t for t, _ in records] == ["warcinfo", "response", "response"]
    info = records[0][1].decode("utf-8")
    assert "A rendering, not a capture" in info and SNAPSHOT_NOTE in info and "software: " in info


@pytest.mark.skipif(not SEEDS.exists(), reason="../shared/eval/seed_posts.jsonl not beside the repo")
def test_bundled_snapshot_is_what_the_build_tool_makes_from_the_seeds(tmp_path: Path) -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("build_snapshot", REPO / "tools" / "build_snapshot.py")
    assert spec is not None and spec.loader is not None
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    built = tool.build(SEEDS, tmp_path)
    assert built.read_bytes() == (REPO / "corpus" / "raw" / "snapshot.warc.gz").read_bytes()


# ---------------------------------------------------------------- fast paths against the general code they replace

URL_VARIANTS = [
    f"{scheme}://{host}{path}{tail}"
    for scheme in ("http", "https", "HTTPS", "ftp")
    for host in ("X.Blogspot.co.uk", "rightspasia.blogspot.com", "127.0.0.1", "127.0.0.1:8080", "user@h.org", "")
    for path in ("", "/", "/2019/01/a.html", "/a;b", "/a;", "/a b", "/a\tb", "/a/../b", "/%E2%82%AC")
    for tail in ("", "#", "#c1", "#c 1", "?m=1", "?m=1&x=2#c", "?", ";p")
]


@pytest.mark.parametrize("base", ["https://rightspasia.blogspot.com/2017/06/", "http://127.0.0.1:8080/"])
def test_plain_url_fast_paths_agree_with_urllib(base: str) -> None:
    from urllib.parse import urljoin

    from pipeline.parse.urls import PLAIN_URL, join_url, normalise_split_url

    fast = 0
    for url in URL_VARIANTS + [" " + u + "\n" for u in URL_VARIANTS[:40]]:
        fast += bool(PLAIN_URL.fullmatch(url.strip()))
        assert normalise_url(url) == normalise_split_url(url.strip()), url
        assert join_url(base, url) == urljoin(base, url), url
    assert fast > 50  # the fast path was taken, not only the general one


def _has_class(name: str) -> str:
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


TRICKY_PAGE = """<html><body>
<h2 class="date-header"><span>Friday, March 16, 2018</span></h2>
<div class="post-outer-wrapper"><div class="post-outer">
  <div class="post"><!-- a comment --><a name="1111111111111"></a>
    <h3 class="post-title	entry-title"><a href="/2018/03/a.html">A</a></h3>
    <div class="post-header"><span class="post-author vcard">Posted by <span class="post-author">
      <span class="fn">Inner Name</span></span><span itemprop="name">Outer Name</span></span></div>
    <div class="entry-content" id="x"><p>first</p></div>
    <div class="post-body
      entry-content" id="post-body-2222222222222"><p>body</p><a rel="tag" href="/l/a">A</a></div>
    <a class="timestamp-link" href="https://b.blogspot.com/2018/03/a.html"><abbr class="published"
      title="2018-03-16T10:00:00+01:00">10:00</abbr></a>
    <a rel="tag" href="/l/b">B</a><a rel="tag" href="/l/a">A</a><a href="/x?postID=3333333333333">c</a>
    <meta itemprop="postId" content="4444444444444"/><meta itemprop="postId"/><a class="jump-link" href="#">x</a>
  </div></div></div>
<div class="post-outer"><div class="post"><div class="post-author"><b class="fnord">x</b></div>
  <a class="timestamp-link" href="/2018/03/second.html">t</a><div class="post-body"><p>second</p></div>
  <div class="post-outer"><a class="timestamp-link" href="/2018/03/nested.html">t</a>
    <div class="post-body"><p>nested</p></div></div>
</div></div>
<h2 class="date-header post-outer-x">17 March 2018</h2>
<div class="post-outer"><a class="timestamp-link" href="/2018/03/third.html">t</a>
  <div class="entry-content">third</div><div class="post-footer jump-link"><a>more</a></div></div>
</body></html>"""


def _pages_to_index() -> list[str]:
    from pipeline.bench.synth import synth_entries, synth_pages

    meta = BlogMeta()
    synthetic = [page.html for _, page in zip(range(6), synth_pages(synth_entries(40, seed=3), meta), strict=False)]
    return [TRICKY_PAGE, (FIXTURES / "classic_home.html").read_text(),
            (FIXTURES / "v3_listing_post.html").read_text(), *synthetic]


def test_page_index_answers_what_the_xpath_queries_answer() -> None:

    from pipeline.parse.blocks import page_blocks, text_content
    from pipeline.parse.dates import date_from_header
    from pipeline.parse.htmltree import parse_page

    looked_up = ("post-body", "entry-content", "post-title", "entry-title", "published", "snippet-item",
                 "post-snippet", "jump-link")
    checked = 0
    for html in _pages_to_index():
        doc = parse_page(html)[0]
        expected_blocks, header = [], None
        for el in doc.xpath(f"//*[{_has_class('post-outer')} or {_has_class('date-header')}]"):
            if el.xpath(f"self::*[{_has_class('date-header')}]"):
                header = date_from_header(text_content(el))
            else:
                expected_blocks.append((el, header))
        blocks = page_blocks(doc)
        assert [(b.el, b.header) for b in blocks] == expected_blocks
        for outer, index, *_ in blocks:
            for name in looked_up:
                found = outer.xpath(f"(.//*[{_has_class(name)}])[1]")  # the first in the whole block
                assert index.first_of(name) == (found[0] if found else None), name
            pair = outer.xpath(f"(.//*[{_has_class('post-body')} or {_has_class('entry-content')}])[1]")
            assert index.first_of("post-body", "entry-content") == (pair[0] if pair else None)
            author = outer.xpath(f"(.//*[{_has_class('post-author')}]//*[@itemprop='name' or {_has_class('fn')}])[1]")
            assert index.author() == (author[0] if author else None)
            stamp = outer.xpath("(.//a[contains(@class, 'timestamp-link')])[1]")
            assert index.timestamp_link == (stamp[0] if stamp else None)
            assert index.tags == outer.xpath(".//a[@rel='tag']")
            assert index.named_links == outer.xpath(".//a[@name]")
            assert index.post_id_links == outer.xpath(".//a[contains(@href, 'postID=')]")
            assert index.post_id_metas == outer.xpath(".//meta[@itemprop='postId'][@content]")
            assert index.has_jump_link() == bool(outer.xpath(f".//*[{_has_class('jump-link')}]//a"))
            checked += 1
    assert checked > 20


def test_tricky_page_posts() -> None:
    cands = parse_html_page("https://b.blogspot.com/", TRICKY_PAGE)
    first = cands[0].post
    assert (first.id, first.date, first.author, first.labels) == ("4444444444444", "2018-03-16", "Inner Name",
                                                                  ["A", "B"])
    assert first.text == "first"  # the first body-classed element in document order
    assert [c.post.text for c in cands[1:]] == ["second", "nested", "third"]
    assert [c.post.url for c in cands[1:]] == [f"https://b.blogspot.com/2018/03/{n}.html"
                                               for n in ("second", "nested", "third")]
    assert [c.post.date for c in cands[1:]] == ["2018-03-16", "2018-03-16", "2018-03-17"]
    assert [c.completeness for c in cands] == [LISTING, LISTING, LISTING, TRUNCATED]


def test_body_text_skips_comments_scripts_and_share_links_but_keeps_their_tails() -> None:
    from pipeline.parse.htmltree import parse_page
    from pipeline.parse.text import html_to_text

    doc, _ = parse_page("<div id='b'>a<!-- c -->b<script>x</script>c<span class='jump-link'>more</span>d"
                           "<?pi x?>e<br>f\u00a0\u00a0 g\t\th<ul><li>one</li><li>two</li></ul>"
                           "<table><tr><td>x</td><td>y</td></tr></table>\u2007z</div>")
    assert html_to_text(doc.xpath("//div[@id='b']")[0]) == "abcde\nf g h\n\n  • one\n\n  • two\n\nx y\n\nz"


def test_white_space_collapse_equals_substituting_every_run() -> None:
    import random
    import re

    from pipeline.parse.text import WS, WS_CHANGE

    every_run = re.compile(f"[{WS}]+")
    rng = random.Random(5)
    alphabet = "ab\n" + WS
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(12)))
        assert WS_CHANGE.sub(" ", text) == every_run.sub(" ", text), repr(text)


def test_an_item_page_without_timestamp_or_title_takes_them_from_its_json_ld() -> None:
    html = ("<html><head><script type='text/javascript'>var x = 1;</script>"
            "<script type='application/ld+json'>{broken</script>"
            "<script type='application/ld+json'>{\"@type\": \"WebSite\", \"headline\": \"Not this\"}</script>"
            "<script type='application/ld+json'>{\"@type\": \"BlogPosting\", \"headline\": \" From LD \", "
            "\"datePublished\": \"2020-05-06T07:08:00.000+02:00\"}</script></head><body>"
            "<div class='post-outer'><h3 class='post-title'></h3><div class='post-body'><p>Body</p></div></div>"
            "</body></html>")
    (cand,) = parse_html_page("http://b.blogspot.com/2020/05/x.html?m=1", html)
    p = cand.post
    assert (p.title, p.date, p.published, p.url) == ("From LD", "2020-05-06", "2020-05-06T07:08:00+02:00",
                                                     "https://b.blogspot.com/2020/05/x.html")
    assert cand.completeness == FULL
    # A listing page does not read JSON-LD: without a timestamp, header or permalink the post is skipped.
    assert parse_html_page("https://b.blogspot.com/", html) == []
