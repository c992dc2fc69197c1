"""Render Blogger pages (classic and v3 listings, item pages, JSON feed, sitemap) from Post records.

Used to build the bundled snapshot, the synthetic corpus and the test blogs. The markup follows what
Blogger emits (see docs: date groups in double quotes, single-quoted attributes elsewhere, sidebar
widgets, footers, pager), including the noise a parser must ignore (scripts, styles, share buttons).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from html import escape

from pipeline.records import Post

MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
             "October", "November", "December")


@dataclass(frozen=True)
class BlogMeta:
    """What a blog's pages share: address, title, ids, time zone and sidebar."""

    base_url: str = "https://rightspasia.blogspot.com/"
    title: str = "INSP!R Asia"
    blog_id: str = "5029438754710268412"
    description: str = "Network on Social Protection Rights in Asia"
    about: str = (
        "This website focuses on issues regarding social protection in Asia and the activities done by the "
        "Network on Social Protection Rights (INSP!R) and its members."
    )
    labels: tuple[str, ...] = field(default_factory=tuple)

    def url(self, path: str) -> str:
        """An absolute URL on this blog."""
        return self.base_url.rstrip("/") + "/" + path.lstrip("/")


def slugify(title: str, limit: int = 40) -> str:
    """Blogger-style slug: lowercase ASCII words joined by hyphens, cut at a word boundary near `limit`."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_title.lower())
    if not words:
        return "blog-post"
    out = ""
    for w in words:
        cand = f"{out}-{w}" if out else w
        if len(cand) > limit and out:
            break
        out = cand
    return out[:limit] if len(out) > limit else out


def date_header(date: str) -> str:
    """The blog's date header format, e.g. '20 December 2024'."""
    d = datetime.strptime(date, "%Y-%m-%d")
    return f"{d.day} {MONTHS_EN[d.month - 1]} {d.year}"


def _time_of(post: Post) -> str:
    return post.published[11:16] if post.published and len(post.published) >= 16 else "00:00"


def _head(meta: BlogMeta, title: str) -> str:
    return (
        "<!DOCTYPE html>\n<html class='v2' dir='ltr' lang='en'>\n<head>\n"
        "<meta content='text/html; charset=UTF-8' http-equiv='Content-Type'/>\n"
        f"<title>{escape(title)}</title>\n"
        f"<link href='{meta.url('feeds/posts/default')}' rel='alternate' title='{escape(meta.title)} - Atom' "
        "type='application/atom+xml'/>\n"
        "<style id='page-skin-1' type='text/css'><!--\nbody { font: normal normal 13px Arial; }\n"
        ".post-body { line-height: 1.4; }\n--></style>\n"
        "<script type='text/javascript'>var _gaq = _gaq || []; _gaq.push(['_trackPageview']);</script>\n"
        "</head>\n<body>\n<div class='content'>\n"
        f"<div class='header section' id='header'><div class='widget Header' data-version='1' id='Header1'>\n"
        f"<div id='header-inner'><div class='titlewrapper'><h1 class='title'>\n"
        f"<a href='{meta.base_url}'>{escape(meta.title)}</a>\n</h1></div>\n"
        f"<div class='descriptionwrapper'><p class='description'><span>{escape(meta.description)}</span></p></div>\n"
        "</div></div></div>\n"
    )


def _sidebar(meta: BlogMeta, archive: Sequence[tuple[int, int, int]] | None) -> str:
    parts = [
        "<div class='sidebar section' id='sidebar-right-1'>\n",
        "<div class='widget HTML' data-version='1' id='HTML1'>\n<h2 class='title'>About this site</h2>\n",
        f"<div class='widget-content'>\n{escape(meta.about)}\n</div>\n<div class='clear'></div>\n</div>\n",
    ]
    if archive:
        parts.append("<div class='widget BlogArchive' data-version='1' id='BlogArchive1'>\n"
                     "<h2>Blog Archive</h2>\n<div class='widget-content'>\n<div id='ArchiveList'>\n"
                     "<div id='BlogArchive1_ArchiveList'>\n<ul class='hierarchy'>\n")
        by_year: dict[int, list[tuple[int, int]]] = {}
        for year, month, count in archive:
            by_year.setdefault(year, []).append((month, count))
        for year in sorted(by_year, reverse=True):
            total = sum(c for _, c in by_year[year])
            parts.append(
                "<li class='archivedate expanded'>\n<a class='toggle' href='javascript:void(0)'>"
                "<span class='zippy toggle-open'>&#9660;&#160;</span></a>\n"
                f"<a class='post-count-link' href='{meta.url(f'{year}/')}'>{year}</a>\n"
                f"<span class='post-count' dir='ltr'>({total})</span>\n<ul class='hierarchy'>\n"
            )
            for month, count in sorted(by_year[year], reverse=True):
                parts.append(
                    "<li class='archivedate collapsed'>\n"
                    f"<a class='post-count-link' href='{meta.url(f'{year}/{month:02d}/')}'>"
                    f"{MONTHS_EN[month - 1]}</a>\n<span class='post-count' dir='ltr'>({count})</span>\n</li>\n"
                )
            parts.append("</ul>\n</li>\n")
        parts.append("</ul>\n</div>\n</div>\n<div class='clear'></div>\n</div>\n</div>\n")
    if meta.labels:
        parts.append("<div class='widget Label' data-version='1' id='Label1'>\n<h2>Labels</h2>\n"
                     "<div class='widget-content list-label-widget-content'>\n<ul>\n")
        for label in meta.labels:
            parts.append(f"<li>\n<a dir='ltr' href='{meta.url('search/label/' + label.replace(' ', '%20'))}'>"
                         f"{escape(label)}</a>\n</li>\n")
        parts.append("</ul>\n</div>\n</div>\n")
    parts.append("</div>\n")
    return "".join(parts)


def _blogger_id(post: Post) -> bool:
    """Does the post carry a Blogger post id (digits)? Posts known only by a permalink-derived id ('u…') are
    rendered without the markup that would show one as the blog's (postId, a[name], post-body-ID, share links)."""
    return post.id.isdigit()


def _footer_html(meta: BlogMeta, post: Post) -> str:
    labels = ",\n".join(
        f"<a href='{meta.url('search/label/' + lab.replace(' ', '%20'))}' rel='tag'>{escape(lab)}</a>"
        for lab in post.labels
    )
    author = (
        "<span class='post-author vcard'>\nPosted by\n<span class='fn' itemprop='author' itemscope='itemscope' "
        "itemtype='http://schema.org/Person'>\n<meta content='https://www.blogger.com/profile/04417829370133826711' "
        "itemprop='url'/>\n<a class='g-profile' href='https://www.blogger.com/profile/04417829370133826711' "
        f"rel='author' title='author profile'>\n<span itemprop='name'>{escape(post.author)}</span>\n</a>\n</span>\n"
        "</span>\n"
    ) if post.author else ""
    # Without a time the timestamp link shows the date (a Blogger timestamp format), with no machine-readable time.
    stamp = (
        f"<abbr class='published' itemprop='datePublished' title='{post.published}'>{_time_of(post)}</abbr>"
        if post.published else escape(date_header(post.date))
    )
    share = (
        "<div class='post-share-buttons goog-inline-block'>\n"
        f"<a class='goog-inline-block share-button sb-email' href='https://www.blogger.com/share-post.g?"
        f"blogID={meta.blog_id}&amp;postID={post.id}&amp;target=email' target='_blank' title='Email This'>"
        "<span class='share-button-link-text'>Email This</span></a>"
        f"<a class='goog-inline-block share-button sb-twitter' href='https://www.blogger.com/share-post.g?"
        f"blogID={meta.blog_id}&amp;postID={post.id}&amp;target=twitter' target='_blank' title='Share to X'>"
        "<span class='share-button-link-text'>Share to X</span></a>\n</div>\n"
    ) if _blogger_id(post) else ""
    labels_html = f"<span class='post-labels'>\nLabels:\n{labels}\n</span>\n" if post.labels else ""
    return (
        "<div class='post-footer'>\n<div class='post-footer-line post-footer-line-1'>\n"
        f"{author}<span class='post-timestamp'>\nat\n"
        f"<meta content='{post.url}' itemprop='url'/>\n"
        f"<a class='timestamp-link' href='{post.url}' rel='bookmark' title='permanent link'>{stamp}</a>\n"
        "</span>\n<span class='post-comment-link'>\n"
        f"<a class='comment-link' href='{post.url}#comment-form' onclick=''>No comments:</a>\n</span>\n"
        f"<span class='post-icons'>\n</span>\n{share}</div>\n"
        "<div class='post-footer-line post-footer-line-2'>\n"
        f"{labels_html}</div>\n"
        "<div class='post-footer-line post-footer-line-3'>\n<span class='post-location'>\n</span>\n</div>\n</div>\n"
    )


def _classic_post(meta: BlogMeta, post: Post, truncated: bool, item: bool) -> str:
    body = post.html
    if truncated:
        body = body.split("<!--more-->")[0] if "<!--more-->" in body else _first_paragraph(body)
    elif item:
        body = body.replace("<!--more-->", "<a name='more'></a>")
    title_html = (
        f"<h3 class='post-title entry-title' itemprop='name'>\n{escape(post.title)}\n</h3>\n" if item else
        f"<h3 class='post-title entry-title' itemprop='name'>\n<a href='{post.url}'>{escape(post.title)}</a>\n</h3>\n"
    ) if post.title else ""
    jump = (
        f"<div class='jump-link'>\n<a href='{post.url}#more' title='{escape(post.title)}'>Read more &#187;</a>\n"
        "</div>\n" if truncated else ""
    )
    ids = (f"<meta content='{post.id}' itemprop='postId'/>\n<a name='{post.id}'></a>\n"
           if _blogger_id(post) else "")
    body_id = f" id='post-body-{post.id}'" if _blogger_id(post) else ""
    comments = (
        "<div class='comments' id='comments'>\n<a name='comments'></a>\n<h4>No comments:</h4>\n"
        "<div id='Blog1_comments-block-wrapper'>\n<dl class='avatar-comment-indent' id='comments-block'>\n"
        "</dl>\n</div>\n<p class='comment-footer'>\n<a href='https://www.blogger.com/comment/fullpage/post/"
        f"{meta.blog_id}/{post.id}' onclick=''>Post a Comment</a>\n</p>\n</div>\n"
    ) if item and _blogger_id(post) else ""
    return (
        "<div class='post-outer'>\n<div class='post hentry uncustomized-post-template' itemprop='blogPost' "
        "itemscope='itemscope' itemtype='http://schema.org/BlogPosting'>\n"
        f"<meta content='{meta.blog_id}' itemprop='blogId'/>\n{ids}{title_html}"
        "<div class='post-header'>\n<div class='post-header-line-1'></div>\n</div>\n"
        f"<div class='post-body entry-content'{body_id} itemprop='description articleBody'>\n"
        f"{body}\n<div style='clear: both;'></div>\n</div>\n{jump}{_footer_html(meta, post)}</div>\n"
        f"{comments}</div>\n"
    )


def _first_paragraph(body: str) -> str:
    m = re.search(r"</p>|<br\s*/?>", body)
    return body[: m.end()] if m else body[:200]


def _pager(older_url: str | None, newer_url: str | None, home: str) -> str:
    parts = ["<div class='blog-pager' id='blog-pager'>\n"]
    if newer_url:
        parts.append(f"<span id='blog-pager-newer-link'>\n<a class='blog-pager-newer-link' href='{escape(newer_url)}' "
                     "id='Blog1_blog-pager-newer-link' title='Newer Posts'>Newer Posts</a>\n</span>\n")
    if older_url:
        parts.append(f"<span id='blog-pager-older-link'>\n<a class='blog-pager-older-link' href='{escape(older_url)}' "
                     "id='Blog1_blog-pager-older-link' title='Older Posts'>Older Posts</a>\n</span>\n")
    parts.append(f"<a class='home-link' href='{home}'>Home</a>\n</div>\n<div class='clear'></div>\n")
    return "".join(parts)


def _status_msg(meta: BlogMeta, label: str) -> str:
    msg = (f"Showing posts with label <b>{escape(label)}</b>. <a href='{meta.base_url}'>Show all posts</a>")
    return (
        f"<div class='status-msg-wrap'>\n<div class='status-msg-body'>\n{msg}\n</div>\n"
        f"<div class='status-msg-border'>\n<div class='status-msg-bg'>\n<div class='status-msg-hidden'>{msg}</div>\n"
        "</div>\n</div>\n</div>\n<div style='clear: both;'></div>\n"
    )


def _v3_post(meta: BlogMeta, post: Post) -> str:
    snippet = re.sub(r"<[^>]+>", " ", post.html)
    snippet = " ".join(snippet.split())[:180] + " &#8230;"
    day = datetime.strptime(post.date, "%Y-%m-%d")
    return (
        "<article class='post-outer-container'>\n<div class='post-outer'>\n"
        "<div class='snippet-thumbnail thumbnail-empty'></div>\n<div class='post-content container'>\n"
        f"<div class='post-title-container'>\n<a name='{post.id}'></a>\n"
        f"<h3 class='post-title entry-title'>\n<a href='{post.url}'>{escape(post.title)}</a>\n</h3>\n</div>\n"
        "<div class='post-header-container container'><div class='post-header'><div class='post-header-line-1'>\n"
        f"<span class='byline post-timestamp'>\n<meta content='{post.url}'/>\n"
        f"<a class='timestamp-link' href='{post.url}' rel='bookmark' title='permanent link'>"
        f"<time class='published' datetime='{post.published}' title='{post.published}'>\n"
        f"{MONTHS_EN[day.month - 1]} {day.day:02d}, {day.year}\n</time></a>\n</span>\n</div></div></div>\n"
        f"<div class='container post-body entry-content' id='post-snippet-{post.id}'>\n"
        "<div class='post-snippet snippet-container r-snippet-container'>\n"
        f"<div class='snippet-item r-snippetized'>\n{escape(snippet, quote=False).replace('&amp;#8230;', '&#8230;')}\n"
        "</div>\n"
        f"<a class='snippet-fade r-snippet-fade hidden' href='{post.url}'></a>\n</div></div>\n"
        "<div class='post-bottom'>\n<div class='byline jump-link'>\n"
        f"<a class='flat-button ripple' href='{post.url}' title='{escape(post.title)}'>Read more</a>\n"
        "</div>\n</div>\n</div></div>\n</article>\n"
    )


def listing_page(
    meta: BlogMeta,
    posts: Sequence[Post],
    *,
    layout: str = "classic",
    truncate_ids: frozenset[str] = frozenset(),
    older_url: str | None = None,
    newer_url: str | None = None,
    label: str | None = None,
    archive: Sequence[tuple[int, int, int]] | None = None,
) -> str:
    """A listing page (home, month archive, label or search page) showing `posts` newest first."""
    parts = [_head(meta, meta.title), "<div class='main section' id='main'>"]
    if layout == "v3":
        parts.append("<div class='widget Blog' data-version='2' id='Blog1'>\n")
        if label:
            parts.append(_status_msg(meta, label))
        parts.append("<div class='blog-posts hfeed container'>\n")
        parts.extend(_v3_post(meta, p) for p in posts)
        parts.append("</div>\n")
        if older_url:
            parts.append("<div class='blog-pager container' id='blog-pager'>\n"
                         f"<a class='blog-pager-older-link flat-button ripple' href='{escape(older_url)}' "
                         "title='More posts'>More posts</a>\n</div>\n")
        parts.append("</div></div>\n")
    else:
        parts.append("<div class='widget Blog' data-version='1' id='Blog1'>\n")
        if label:
            parts.append(_status_msg(meta, label))
        parts.append("<div class='blog-posts hfeed'>\n<!--Can't find substitution for tag [defaultAdStart]-->\n")
        current = None
        for post in posts:
            if post.date != current:
                if current is not None:
                    parts.append("\n        </div></div>\n      \n")
                parts.append(f'\n          <div class="date-outer">\n        \n<h2 class=\'date-header\'>'
                             f'<span>{date_header(post.date)}</span></h2>\n\n          <div class="date-posts">\n'
                             "        \n")
                current = post.date
            parts.append(_classic_post(meta, post, post.id in truncate_ids, item=False))
        if current is not None:
            parts.append("\n        </div></div>\n      \n")
        parts.append("<!--Can't find substitution for tag [adEnd]-->\n</div>\n")
        parts.append(_pager(older_url, newer_url, meta.base_url))
        parts.append("<div class='blog-feeds'>\n<div class='feed-links'>\nSubscribe to:\n"
                     f"<a class='feed-link' href='{meta.url('feeds/posts/default')}' target='_blank' "
                     "type='application/atom+xml'>Posts (Atom)</a>\n</div>\n</div>\n</div></div>\n")
    parts.append(_sidebar(meta, archive))
    parts.append("</div>\n<script type='text/javascript'>window['__wavt'] = 'AOuZoY';</script>\n</body>\n</html>\n")
    return "".join(parts)


def permalink_page(meta: BlogMeta, post: Post, *, layout: str = "classic") -> str:
    """The item page of one post, with its full body (v3 adds a JSON-LD BlogPosting)."""
    parts = [_head(meta, f"{meta.title}: {post.title}")]
    if layout == "v3":
        ld = {"@context": "http://schema.org", "@type": "BlogPosting", "headline": post.title,
              "datePublished": post.published, "dateModified": post.published,
              "mainEntityOfPage": {"@type": "WebPage", "@id": post.url}}
        parts.append(f"<script type='application/ld+json'>{json.dumps(ld)}</script>\n")
        parts.append(
            "<div class='main section' id='main'><div class='widget Blog' data-version='2' id='Blog1'>\n"
            "<div class='blog-posts hfeed container'>\n<article class='post-outer-container'>\n"
            "<div class='post-outer'>\n<div class='post'>\n"
            f"<a name='{post.id}'></a>\n<h3 class='post-title entry-title'>\n{escape(post.title)}\n</h3>\n"
            f"<div class='post-header'><span class='byline post-timestamp'>\n"
            f"<a class='timestamp-link' href='{post.url}' rel='bookmark' title='permanent link'>"
            f"<time class='published' datetime='{post.published}' title='{post.published}'>"
            f"{date_header(post.date)}</time></a></span></div>\n"
            f"<div class='post-body entry-content float-container' id='post-body-{post.id}'>\n{post.html}\n</div>\n"
            "<div class='post-footer'>\n<span class='byline post-labels'>\n<span class='byline-label'>Labels:</span>\n"
            + "".join(f"<a href='{meta.url('search/label/' + lab.replace(' ', '%20'))}' rel='tag'>{escape(lab)}</a>\n"
                      for lab in post.labels)
            + "</span>\n</div>\n</div>\n</div>\n</article>\n</div>\n</div></div>\n"
        )
    else:
        parts.append("<div class='main section' id='main'><div class='widget Blog' data-version='1' id='Blog1'>\n"
                     "<div class='blog-posts hfeed'>\n")
        parts.append(f'\n          <div class="date-outer">\n        \n<h2 class=\'date-header\'>'
                     f'<span>{date_header(post.date)}</span></h2>\n\n          <div class="date-posts">\n        \n')
        parts.append(_classic_post(meta, post, truncated=False, item=True))
        parts.append("\n        </div></div>\n      \n</div>\n")
        parts.append(_pager(None, None, meta.base_url))
        parts.append("</div></div>\n")
    parts.append(_sidebar(meta, None))
    parts.append("</div>\n</body>\n</html>\n")
    return "".join(parts)


def feed_json(
    meta: BlogMeta,
    posts: Sequence[Post],
    *,
    start_index: int = 1,
    total: int | None = None,
    summary: bool = False,
    next_url: str | None = None,
) -> str:
    """One page of the blog's GData JSON feed (``/feeds/posts/default?alt=json``)."""
    entries = []
    for post in posts:
        body_key = "summary" if summary else "content"
        body = re.sub(r"<[^>]+>", " ", post.html)[:300] if summary else post.html
        entries.append({
            "id": {"$t": f"tag:blogger.com,1999:blog-{meta.blog_id}.post-{post.id}"},
            "published": {"$t": (post.published or "")[:19] + ".000" + (post.published or "")[19:]},
            "updated": {"$t": (post.published or "")[:19] + ".000" + (post.published or "")[19:]},
            "category": [{"scheme": "http://www.blogger.com/atom/ns#", "term": lab} for lab in post.labels],
            "title": {"type": "text", "$t": post.title},
            body_key: {"type": "html", "$t": body},
            "link": [
                {"rel": "replies", "type": "application/atom+xml",
                 "href": meta.url(f"feeds/{post.id}/comments/default"), "title": "Post Comments"},
                {"rel": "edit", "type": "application/atom+xml",
                 "href": f"https://www.blogger.com/feeds/{meta.blog_id}/posts/default/{post.id}"},
                {"rel": "self", "type": "application/atom+xml",
                 "href": f"https://www.blogger.com/feeds/{meta.blog_id}/posts/default/{post.id}"},
                {"rel": "alternate", "type": "text/html", "href": post.url, "title": post.title},
            ],
            "author": [{"name": {"$t": post.author or "Anonymous"}, "email": {"$t": "noreply@blogger.com"}}],
        })
    links = [{"rel": "alternate", "type": "text/html", "href": meta.base_url},
             {"rel": "self", "type": "application/atom+xml", "href": meta.url("feeds/posts/default?alt=json")}]
    if next_url:
        links.append({"rel": "next", "type": "application/atom+xml", "href": next_url})
    feed = {
        "id": {"$t": f"tag:blogger.com,1999:blog-{meta.blog_id}"},
        "title": {"type": "text", "$t": meta.title},
        "link": links,
        "openSearch$totalResults": {"$t": str(total if total is not None else len(posts))},
        "openSearch$startIndex": {"$t": str(start_index)},
        "openSearch$itemsPerPage": {"$t": str(len(posts))},
        "entry": entries,
    }
    return json.dumps({"version": "1.0", "encoding": "UTF-8", "feed": feed}, ensure_ascii=False)


def sitemap_xml(urls: Iterable[str]) -> str:
    """A sitemap listing `urls`."""
    body = "".join(f"<url><loc>{escape(u)}</loc></url>" for u in urls)
    return ("<?xml version='1.0' encoding='UTF-8'?>"
            f"<urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'>{body}</urlset>")


def sitemap_index(urls: Iterable[str]) -> str:
    """A sitemap index pointing at the sitemap pages `urls`."""
    body = "".join(f"<sitemap><loc>{escape(u)}</loc></sitemap>" for u in urls)
    return ("<?xml version='1.0' encoding='UTF-8'?>"
            f"<sitemapindex xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'>{body}</sitemapindex>")


def text_to_html(text: str) -> str:
    """Blogger-like body HTML for a plain text: <p> per paragraph, <br /> per line, <ul> for '  • ' lines."""
    parts: list[str] = []
    for para in text.split("\n\n"):
        lines = para.split("\n")
        bullets = [ln for ln in lines if ln.lstrip().startswith("• ")]
        if bullets and len(bullets) == len(lines):
            items = "".join(f"<li>{escape(ln.lstrip()[2:], quote=False)}</li>\n" for ln in lines)
            parts.append(f"<ul>\n{items}</ul>")
        else:
            inner = "<br />\n".join(escape(ln, quote=False).replace("\u00a0", "&nbsp;") for ln in lines)
            parts.append(f"<p>{inner}</p>")
    return "\n".join(parts)


def feed_atom(meta: BlogMeta, posts: Sequence[Post], *, start_index: int = 1, total: int | None = None) -> str:
    """One page of the blog's Atom feed (``/feeds/posts/default`` without ``alt``)."""
    entries = []
    for post in posts:
        cats = "".join(f"<category scheme='http://www.blogger.com/atom/ns#' term='{escape(lab)}'/>"
                       for lab in post.labels)
        entries.append(
            f"<entry><id>tag:blogger.com,1999:blog-{meta.blog_id}.post-{post.id}</id>"
            f"<published>{post.published}</published><updated>{post.published}</updated>{cats}"
            f"<title type='text'>{escape(post.title)}</title><content type='html'>{escape(post.html)}</content>"
            f"<link rel='alternate' type='text/html' href='{escape(post.url)}' title='{escape(post.title)}'/>"
            f"<author><name>{escape(post.author or 'Anonymous')}</name></author></entry>"
        )
    return (
        "<?xml version='1.0' encoding='UTF-8'?><feed xmlns='http://www.w3.org/2005/Atom' "
        "xmlns:openSearch='http://a9.com/-/spec/opensearchrss/1.0/'>"
        f"<id>tag:blogger.com,1999:blog-{meta.blog_id}</id><title type='text'>{escape(meta.title)}</title>"
        f"<openSearch:totalResults>{total if total is not None else len(posts)}</openSearch:totalResults>"
        f"<openSearch:startIndex>{start_index}</openSearch:startIndex>{''.join(entries)}</feed>"
    )
