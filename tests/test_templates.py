"""The parser on pages of many Blogger templates (tests/fixtures/templates/: small pages modelled on real markup).

One test a template form: where the date, title, permalink and body are, and whether the copy is a summary.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.parse import FULL, LISTING, TRUNCATED, Candidate, date_from_header, parse_html_page
from pipeline.parse.feeds import feed_json_data, parse_feed_atom, parse_feed_json, parse_feed_rss

TEMPLATES = Path(__file__).parent / "fixtures" / "templates"


def page(name: str, url: str) -> list[Candidate]:
    return parse_html_page(url, (TEMPLATES / name).read_text(encoding="utf-8"))


def fields(cands: list[Candidate], *names: str) -> list[tuple]:
    return [tuple(getattr(c.post, n) for n in names) for c in cands]


def test_date_header_inside_the_post_block_dates_it_and_the_later_posts_of_that_day() -> None:
    cands = page("classic_header_inside_post.html", "https://labournotes-np.blogspot.com/")
    assert fields(cands, "id", "date", "published") == [
        ("6120458811736505112", "2018-02-14", None),
        ("2209914436582310022", "2018-02-14", None),  # no header of its own: the day's header before it
        ("8817300219947761150", "2018-02-12", None),
    ]
    assert cands[0].post.text == "Workers at three kilns in Bhaktapur say wages for January have not been paid.\n\n" \
                                 "The district labour office promised an inspection."
    assert "February" not in cands[0].post.text  # the header is not body text
    assert [c.completeness for c in cands] == [LISTING] * 3


def test_timestamps_given_only_as_visible_text() -> None:
    cands = page("classic_text_timestamps.html", "http://fielddiary.blogspot.com/")
    assert fields(cands, "title", "date", "url") == [
        # span.post-timestamp text '3/4/2018': read month first (US) it is 4 March, but the permalink is in April
        ("Visit to the garment union", "2018-04-03", "https://fielddiary.blogspot.com/2018/04/visit-to-garment-union.html"),
        ("Notes from the tea estate", "2018-03-17",  # [itemprop=datePublished] text
         "https://fielddiary.blogspot.com/2018/03/notes-from-tea-estate.html"),
        ("Untidy notes", "2018-03-16",  # a[rel=bookmark] text '16.03.18', also the permalink
         "https://fielddiary.blogspot.com/2018/03/untidy-notes.html"),
        ("Arrival", "2018-03-15", "https://fielddiary.blogspot.com/2018/03/arrival.html"),  # time[datetime]
    ]
    assert cands[3].post.published == "2018-03-15T08:00:00+05:30"
    assert all(c.post.published is None for c in cands[:3])  # a date alone is not a timestamp


@pytest.mark.parametrize(("text", "iso"), [
    ("vrijdag 16 juni 2017", "2017-06-16"), ("mardi 5 juin 2018", "2018-06-05"), ("1er mai 2019", "2019-05-01"),
    ("Montag, 5. März 2018", "2018-03-05"), ("domingo, 18 de marzo de 2018", "2018-03-18"),
    ("Senin, 05 Maret 2018", "2018-03-05"), ("lunedì 5 marzo 2018", "2018-03-05"),
    ("januar 28, 2019", "2019-01-28"), ("sábado, 30 de junho de 2018", "2018-06-30"),
    ("Rabu, 14 Ogos 2019", "2019-08-14"), ("poniedziałek, 5 marca 2018", "2018-03-05"),
    ("Dec 20, 2024", "2024-12-20"), ("20. prosince 2019", "2019-12-20"), ("2018년 3월 17일 토요일", "2018-03-17"),
    ("31.12.08", "2008-12-31"), ("3/18/2018", "2018-03-18"), ("18/03/2018", "2018-03-18"),
    ("10:05", None), ("Posted by Anna at 10:05", None), ("Review 2021", None),
])
def test_dates_in_the_blogs_language(text: str, iso: str | None) -> None:
    assert date_from_header(text) == iso


def test_dates_no_fast_path_reads_go_to_dateparser() -> None:
    # Hungarian and Vietnamese put the year first or write the month as a number with a word: no fast path.
    assert date_from_header("2018. március 5., hétfő", lang="hu") == "2018-03-05"
    assert date_from_header("Thứ Hai, 5 tháng 3, 2018") == "2018-03-05"


def test_numeric_dates_follow_the_permalink_month() -> None:
    assert date_from_header("3/4/2018", hint=(2018, 3)) == "2018-03-04"
    assert date_from_header("3/4/2018", hint=(2018, 4)) == "2018-04-03"
    assert date_from_header("3.4.2018") == "2018-04-03"  # dots: day first
    assert date_from_header("3.4.2018", hint=(2018, 3)) == "2018-03-04"


def test_dutch_listing_read_more_link_in_the_body_is_cut_and_makes_a_summary() -> None:
    cands = page("nl_classic_listing_read_more.html", "https://vakbondazie.blogspot.com/")
    first, second = (c.post for c in cands)
    assert (first.date, first.title, first.labels, first.author) == (
        "2017-06-16", "Huishoudpersoneel eist erkenning", ["Filipijnen", "huishoudpersoneel"], "Redactie")
    assert first.text == "Op de Internationale Dag van het Huishoudpersoneel gingen in Manilla honderden vrouwen de " \
                         "straat op."  # no "Lees meer »", no "| 3 reacties"
    assert "Lees meer" not in first.html and "reacties" not in first.html
    assert cands[0].completeness == TRUNCATED
    # A link to the post's own permalink in the middle of the text is text, and the post is whole.
    assert "Lees dit bericht later nog eens terug" in second.text and cands[1].completeness == LISTING


def test_french_v3_listing_read_more_jump_link_and_sidebar_popular_posts() -> None:
    cands = page("fr_contempo_listing.html", "https://droitstravail.blogspot.com/")
    assert fields(cands, "id", "date", "title") == [
        ("5561907312457712933", "2019-11-04", "La protection sociale au Sénégal"),
        ("1908114450096238810", "2019-10-28", "Grève des dockers"),
    ]  # the Popular Posts widget of the sidebar (v3 article.post markup) is not a post
    assert cands[0].post.text == "Le gouvernement a présenté sa stratégie nationale de protection sociale devant " \
                                 "les syndicats."
    assert cands[0].post.labels == ["Sénégal"]
    assert [c.completeness for c in cands] == [TRUNCATED, TRUNCATED]  # "La suite de l'article...", "Lire la suite"


def test_item_page_takes_canonical_permalink_og_title_and_header_date_never_the_author_profile() -> None:
    (cand,) = page("de_item_og_title_canonical.html",
                   "http://arbeitundrecht.blogspot.de/2018/03/tarifeinigung-im-hafen.html?m=1")
    p = cand.post
    assert p.url == "https://arbeitundrecht.blogspot.com/2018/03/tarifeinigung-im-hafen.html"
    assert "profile" not in p.url and p.id.startswith("u")
    assert (p.title, p.date, p.published) == ("Tarifeinigung im Hafen", "2018-03-05", None)
    assert p.text.endswith("Die Löhne steigen in zwei Stufen.") and cand.completeness == FULL


def test_untitled_item_page_does_not_take_the_blog_name_from_og_title() -> None:
    (cand,) = page("untitled_item_og_title_is_blog_name.html",
                   "http://photolog-asia.blogspot.com/2016/08/blog-post_21.html?m=1")
    assert (cand.post.title, cand.post.id, cand.post.date) == ("", "3311220099887766554", "2016-08-21")
    assert cand.post.url == "https://photolog-asia.blogspot.com/2016/08/blog-post_21.html"


def test_title_from_a_heading_with_itemprop_name() -> None:
    (cand,) = page("itemprop_name_headings.html", "https://notesfield.blogspot.com/2021/02/cooperatives-in-luzon.html")
    assert (cand.post.title, cand.post.date) == ("Cooperatives in Luzon", "2021-02-09")


def test_listing_permalink_skips_the_author_profile_meta() -> None:
    html = ("<div class='widget Blog' id='Blog1'><div class='post-outer'><div class='post'>"
            "<span class='post-author' itemprop='author' itemscope='itemscope'>"
            "<meta content='https://www.blogger.com/profile/123' itemprop='url'/>Ann</span>"
            "<h3 class='post-title'>No link</h3><div class='post-body'>Text.</div>"
            "<span class='post-timestamp'><meta content='https://b.blogspot.com/2020/01/x.html' itemprop='url'/>"
            "<abbr class='published' title='2020-01-02T03:04:00Z'>3:04</abbr></span></div></div></div>")
    (cand,) = parse_html_page("https://b.blogspot.com/", html)
    assert cand.post.url == "https://b.blogspot.com/2020/01/x.html"


def test_dynamic_views_body_only_in_noscript() -> None:
    (cand,) = page("dynamic_views_noscript.html",
                   "https://migrantvoices-asia.blogspot.com/2020/12/remittances-in-pandemic-year.html")
    assert cand.post.text == "Money sent home by Nepali workers fell in spring and recovered by autumn.\n\n" \
                             "Families borrowed to pay for food in the months between."
    assert "{{" not in cand.post.text  # the script template is not text
    assert (cand.post.title, cand.post.date) == ("Remittances in a pandemic year", "2020-12-18")
    assert cand.completeness == FULL


def test_noscript_beside_an_empty_body() -> None:
    html = ("<div class='widget Blog' id='Blog1'><div class='post-outer'><h3 class='post-title'>T</h3>"
            "<abbr class='published' title='2020-01-02T03:04:00Z'>x</abbr>"
            "<div class='post-body'><script type='text/template'>{{body}}</script></div>"
            "<noscript><p>Only here.</p></noscript></div></div>")
    (cand,) = parse_html_page("https://b.blogspot.com/2020/01/t.html", html)
    assert cand.post.text == "Only here."


def test_classic_mobile_listing_is_all_summaries_and_merges_with_the_item_page() -> None:
    cands = page("mobile_listing_es.html", "https://cronicasindicales.blogspot.com/?m=1")
    assert fields(cands, "title", "date", "url") == [
        ("Huelga en la maquila", "2018-03-18", "https://cronicasindicales.blogspot.com/2018/03/huelga-en-la-maquila.html"),
        ("Salario mínimo", "2018-03-18", "https://cronicasindicales.blogspot.com/2018/03/salario-minimo.html"),
        ("", "2018-03-16", "https://cronicasindicales.blogspot.com/2018/03/blog-post.html"),
    ]
    assert all(c.completeness == TRUNCATED for c in cands)
    assert cands[0].post.text.startswith("Las trabajadoras") and "comentarios" not in cands[0].post.text
    (item,) = page("mobile_item.html", "https://cronicasindicales.blogspot.com/2018/03/huelga-en-la-maquila.html?m=1")
    assert (item.post.url, item.post.date, item.completeness) == (cands[0].post.url, "2018-03-18", FULL)
    from pipeline.parse import merge

    merged = merge([*cands, item])
    assert len(merged) == 3  # the listing copy (no Blogger id) joined the item page's (with one)
    huelga = next(p for p in merged if p.title == "Huelga en la maquila")
    assert (huelga.id, huelga.complete) == ("6664448882221110009", True)
    assert huelga.text.endswith("La empresa aceptó pagar la mitad.")


@pytest.mark.parametrize(("name", "url", "expected"), [
    ("v3_soho_listing.html", "https://rightswatch-sa.blogspot.com/",
     ("3390581164427720954", "2024-12-20", "Statement on International Migrants Day",
      "On this day we recall the situation of Nepali migrant workers in the Gulf, where recruitment fees …")),
    ("v3_notable_label_listing.html", "https://buruhnusantara.blogspot.com/search/label/upah",
     ("7060081229912044530", "2021-05-03", "Upah minimum 2021",
      "Serikat buruh menolak kenaikan upah minimum yang hanya satu persen …")),
    ("v3_emporio_listing.html", "https://garmentchain.blogspot.com/",
     ("uf06a478eeae60d1b", "2022-09-12", "Audit findings",
      "Auditors found unpaid overtime at four of the nine factories …")),
])
def test_v3_snippet_listings(name: str, url: str, expected: tuple) -> None:
    (cand,) = page(name, url)  # Emporio's featured post, outside the Blog widget, is not a post
    assert (cand.post.id, cand.post.date, cand.post.title, cand.post.text) == expected
    assert cand.completeness == TRUNCATED and "Read more" not in cand.post.text


def test_theme_boilerplate_in_and_beside_the_body_is_not_text_and_widgets_are_not_posts() -> None:
    cands = page("id_theme_item_boilerplate.html",
                 "https://kabarpekerja.blogspot.com/2018/03/pekerja-rumah-tangga-menuntut.html")
    (cand,) = cands  # neither the related posts beside the body nor the popular posts in the sidebar
    p = cand.post
    assert p.text == "Ratusan pekerja rumah tangga berunjuk rasa di depan gedung DPR di Jakarta.\n\n" \
                     "Mereka menuntut pengesahan RUU Perlindungan Pekerja Rumah Tangga."
    assert (p.title, p.date, p.labels, p.author) == ("Pekerja rumah tangga menuntut perlindungan", "2018-03-05",
                                                     ["PRT", "Jakarta"], "Admin")


def test_article_theme_with_entry_content_around_title_and_post_body() -> None:
    cands = page("theme_article_listing.html", "https://decentworkdigest.blogspot.com/")
    assert fields(cands, "title", "date", "text") == [
        ("Platform workers win case", "2020-07-22", "A court ruled that delivery riders are employees.\n\n"
                                                    "The company will appeal."),
        ("Heat and work", "2020-07-20", "New rules on working in extreme heat."),
    ]  # the article in the sidebar is outside the Blog widget


@pytest.mark.parametrize("wrapped", [
    "// API callback\nshowrecentposts({feed});", "\n\n  cb ( {feed} ) ;\n", "gdata.io.handleScriptLoaded({feed});",
    "/* feed */ try { show({feed}); } catch (e) {}", "\ufeff{feed}",
])
def test_json_in_script_callbacks(wrapped: str) -> None:
    feed = (TEMPLATES / "feed_summary_alt_json.json").read_text(encoding="utf-8")
    assert feed_json_data(wrapped.replace("{feed}", feed)) == json.loads(feed)


def test_summary_json_feed_entries_are_summaries_and_static_pages_are_not_posts() -> None:
    cands = parse_feed_json("https://werkenrecht.blogspot.com/feeds/posts/summary?alt=json",
                            (TEMPLATES / "feed_summary_alt_json.json").read_text(encoding="utf-8"))
    (cand,) = cands
    assert (cand.post.id, cand.post.date, cand.completeness) == ("2468013579246801357", "2022-03-01", TRUNCATED)


def test_atom_summary_feed() -> None:
    (cand,) = parse_feed_atom("https://chroniquesdutravail.blogspot.com/feeds/posts/summary",
                              (TEMPLATES / "feed_atom_summary.xml").read_bytes())
    assert (cand.post.title, cand.post.published, cand.completeness) == (
        "La convention 190 adoptée", "2019-06-18T15:20:00+02:00", TRUNCATED)


def test_rss_feed_in_the_blogs_zone_and_summary_by_its_ellipsis() -> None:
    cands = parse_feed_rss("https://rightswatch-sa.blogspot.com/feeds/posts/default?alt=rss",
                           (TEMPLATES / "feed_rss.xml").read_bytes())
    assert fields(cands, "id", "published", "author") == [
        ("3390581164427720954", "2024-12-20T10:05:00+05:45", "Rights Asia Desk"),  # pubDate 04:20 GMT
        ("7712036645209318841", "2024-12-20T00:40:00+05:45", "Rights Asia Desk"),  # 18:55 GMT the day before
    ]
    assert [c.completeness for c in cands] == [FULL, TRUNCATED]
    assert cands[0].post.labels == ["Human Rights", "Migrant Workers"]


def test_feed_content_ending_with_a_read_more_link_is_a_summary() -> None:
    url = "https://b.blogspot.com/2020/01/post.html"
    entry = {"id": {"$t": "tag:blogger.com,1999:blog-1.post-123456789"}, "published": {"$t": "2020-01-02T03:04:00Z"},
             "title": {"$t": "T"}, "link": [{"rel": "alternate", "href": url}],
             "content": {"$t": f"<p>Start of the post.</p><a href='{url}#more'>Read more &raquo;</a>"}}
    (cand,) = parse_feed_json("f", json.dumps({"feed": {"entry": [entry]}}))
    assert (cand.post.text, cand.completeness) == ("Start of the post.", TRUNCATED)
    assert "Read more" not in cand.post.html


def test_v3_container_without_post_outer_and_a_timestamp_title_written_as_text() -> None:
    html = ("<div class='widget Blog' id='Blog1'><article class='post-outer-container'>"
            "<h3 class='post-title'><a href='https://x.blogspot.com/2018/03/a.html'>A</a></h3>"
            "<abbr class='published' title='Sunday, March 18, 2018'>11:00</abbr><div class='post-body'>Body.</div>"
            "</article></div>")
    (cand,) = parse_html_page("https://x.blogspot.com/", html)
    assert (cand.post.date, cand.post.published, cand.post.title, cand.post.text) == ("2018-03-18", None, "A", "Body.")


def test_dateparser_guesses_are_capped_but_a_known_language_still_reads(monkeypatch: pytest.MonkeyPatch) -> None:
    from pipeline.parse import dates

    monkeypatch.setattr(dates, "_guesses", dates.GUESS_BUDGET)
    monkeypatch.setattr(dates, "_learned", [])
    dates._date_of.cache_clear()
    try:
        assert date_from_header("2019. április 7., vasárnap") is None  # would need a guess
        assert date_from_header("2019. április 7., vasárnap", lang="hu-HU") == "2019-04-07"
    finally:
        dates._date_of.cache_clear()


def test_a_related_posts_box_above_the_post_lends_it_neither_title_nor_body() -> None:
    html = ("<div class='widget Blog' id='Blog1'><div class='post-outer'>"
            "<div class='related-posts-top'><div class='item'><h2 class='post-title'><a href='https://x.blogspot.com/"
            "2018/01/old.html'>Older story</a></h2><div class='post-body'>Teaser of the older story</div></div></div>"
            "<h1 class='post-title entry-title'>The story</h1>"
            "<abbr class='published' title='2018-03-18T11:00:00+07:00'>11:00</abbr>"
            "<div class='post-body entry-content'><p>The story's text.</p></div></div></div>")
    (cand,) = parse_html_page("https://x.blogspot.com/2018/03/story.html", html)
    assert (cand.post.title, cand.post.text, cand.post.url) == ("The story", "The story's text.",
                                                                "https://x.blogspot.com/2018/03/story.html")
