"""A hostile Blogger blog on 127.0.0.1: the broken and malicious answers issue 18 lists, one per post or page, so
that one crawl, its resume and a parse meet all of them.

``hostile_feed_blog`` is crawled by its JSON feed; ``hostile_html_blog`` has no feed, so its sitemap, listings and
archives are read. ``TRAPS`` says, per post, what its permalink does; ``hostile_store`` writes stored responses
no crawler of this project would store (other tools' WARCs, older versions), each of a kind that once crashed a
reader.
"""

from __future__ import annotations

import gzip
import json
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from werkzeug import Request, Response

from pipeline.bench.render import BlogMeta, permalink_page
from pipeline.rawstore import RawResponse, RawStore
from tests.blogserver import LiveBlog, blog_sitemap, make_posts

HTML = "text/html; charset=UTF-8"
# What each post's permalink does on the feed blog (the feed gives those posts as summaries only).
TRAPS = {
    1: "nested 300 levels deep (deeper than libxml2 reads by default)",
    2: "nested 5,000 levels deep (deeper than any lxml parser reads)",
    3: "declared UTF-8 with one invalid byte among accented words",
    4: "a 301 whose Location is http://[::1 (an invalid IPv6 host)",
    5: "a 302 to another port of the same host",
    6: "Content-Encoding: gzip over bytes that are no gzip",
    7: "valid gzip of random binary bytes, served as text/html",
    8: "an XHTML page that starts with an XML declaration",
    10: "an empty document (a comment only)",
}
SUMMARY_POSTS = frozenset(TRAPS)
SURROGATE_POST = 9  # its feed entry carries lone surrogates in title and body
BAD_IPV6 = "http://[::1"


def nested(html: str, depth: int) -> str:
    """A page whose Blog widget sits `depth` bare <div>s deep."""
    return html.replace("<div class='main section' id='main'>", "<div>" * depth + "<div class='main section' "
                        "id='main'>", 1).replace("</body>", "</div>" * depth + "</body>", 1)


def random_bytes(n: int, seed: int = 18) -> bytes:
    rng = random.Random(seed)
    return bytes(rng.randrange(256) for _ in range(n))


@dataclass
class HostileBlog(LiveBlog):
    """A LiveBlog whose chosen paths answer with traps (``answers``: path or path?query -> answer)."""

    answers: dict[str, Callable[[Request], Response]] = field(default_factory=dict)
    other_port: str = "http://127.0.0.1:9/"

    def handler(self, request: Request) -> Response:
        key = request.full_path.rstrip("?")
        for k in (key, request.path):
            if k in self.answers:
                self.hits.append(key)
                return self.answers[k](request)
        resp = super().handler(request)
        if request.path == "/feeds/posts/default" and resp.status_code == 200:
            resp.set_data(self._hostile_feed(json.loads(resp.get_data())))
        return resp

    def _hostile_feed(self, doc: dict) -> bytes:
        if doc["feed"].get("openSearch$startIndex", {}).get("$t") != "1":
            return b"[1, 2, 3]"  # T6: the next page is JSON but no object
        by_id = {p.id: i for i, p in enumerate(self.posts)}
        entries = doc["feed"]["entry"]
        for entry in entries:
            i = by_id.get(entry["id"]["$t"].rsplit("post-", 1)[-1])
            if i in SUMMARY_POSTS:
                entry["summary"] = {"type": "text", "$t": "Paragraph one of the post, cut short..."}
                del entry["content"]
            if i == SURROGATE_POST:
                entry["title"]["$t"] += " \ud800 lone"
                entry["content"]["$t"] += "<p>A lone surrogate: \udc00 here.</p>"
        entries += ["an entry that is a string", 42, [1, 2]]  # T1
        entries.append({"id": {"$t": "tag:blogger.com,1999:blog-1.post-1"}, "published": {"$t": "2017-06-01T00:00"},
                        "link": [{"rel": "alternate", "href": BAD_IPV6 + "/2017/06/x.html"}]})  # T2
        entries.append({"id": {"$t": "tag:blogger.com,1999:blog-1.post-2"}, "published": {"$t": "99999-99-99T99:99"},
                        "link": [{"rel": "alternate", "href": self.base + "2017/06/absurd.html"}]})  # T3
        doc["feed"]["openSearch$totalResults"] = {"$t": "lots"}  # T5
        return json.dumps(doc).encode()  # ensure_ascii: the surrogates travel as \ud800 escapes


def _page(html: str | bytes, **kw: object) -> Callable[[Request], Response]:
    return lambda request: Response(html, content_type=kw.get("content_type", HTML),  # type: ignore[arg-type]
                                    status=kw.get("status", 200), headers=kw.get("headers"))  # type: ignore[arg-type]


def hostile_feed_blog(base: str, other_port: str) -> HostileBlog:
    """A blog read by its feed, whose summary posts' permalinks are the TRAPS."""
    posts = make_posts(base, 12)
    blog = HostileBlog(base, posts, feed=True, robots="User-agent: *\nCrawl-delay: 100000\nAllow: /\n",
                       other_port=other_port)
    path = {i: "/" + p.url.split("/", 3)[3] for i, p in enumerate(posts)}
    page = {i: permalink_page(blog.meta, p) for i, p in enumerate(posts)}
    posts[3].title = "Café: déclaration des droits"
    page[3] = permalink_page(blog.meta, posts[3])
    broken = page[3].encode().replace(b"Paragraph two", b"Paragraph \xff two")
    blog.answers = {
        path[1]: _page(nested(page[1], 300)),
        path[2]: _page(nested(page[2], 5000)),
        path[3]: _page(broken),
        path[4]: _page("", status=301, headers={"Location": BAD_IPV6 + "/x.html"}),
        path[5]: _page("", status=302, headers={"Location": other_port + path[5].lstrip("/")}),
        path[6]: _page(random_bytes(3000), headers={"Content-Encoding": "gzip"}),
        path[7]: _page(gzip.compress(random_bytes(3000), mtime=0), headers={"Content-Encoding": "gzip"}),
        path[8]: _page('<?xml version="1.0" encoding="UTF-8"?>\n' + page[8]),
        path[10]: _page("<!-- nothing here -->"),
    }
    return blog


def hostile_html_blog(base: str) -> HostileBlog:
    """A blog without a feed: its sitemap, listing pages and archive links are the traps."""
    posts = make_posts(base, 6)
    for p in posts:  # ids of their own, should both blogs share a store
        p.id = str(int(p.id) + 100)
    blog = HostileBlog(base, posts, feed=False)
    entries = [(p.url, "not a date") for p in posts] + [(BAD_IPV6 + "/2017/06/a.html", None),
                                                        (base + "x" * 5000 + ".html", "99999-99-99")]
    archive_links = "".join(f"<a href='{h}'>x</a>" for h in (BAD_IPV6 + "/2017/", "/0000/05/", "/9999/12/",
                                                              "/2017/13/", "/99999/", "http://[fe80::1%zz]/2017/"))
    def listing(request: Request) -> Response:
        resp = LiveBlog.handler(blog, request)
        resp.set_data(resp.get_data().replace(b"</body>", archive_links.encode() + b"</body>"))
        return resp

    absurd = posts[0]
    odd = permalink_page(blog.meta, absurd).replace(absurd.published or "", "2017-13-45T99:00:00+99:00")
    blog.answers = {
        "/sitemap.xml?page=1": _page(blog_sitemap(entries), content_type="application/xml"),
        "/": listing,
        "/" + absurd.url.split("/", 3)[3]: _page(odd),
    }
    return blog


def hostile_store(raw: Path, base: str = "https://hostile.blogspot.com/") -> dict[str, str]:
    """Responses written straight into a raw store, as other tools and older versions stored them; each a kind
    that crashed a reader once. URL -> what it is."""
    posts, meta = make_posts(base, 3), BlogMeta(base_url=base)
    good = permalink_page(meta, posts[0]).encode()
    deep = nested(permalink_page(meta, posts[1]), 5000).encode()
    cut = gzip.compress(permalink_page(meta, posts[2]).encode(), mtime=0)
    feed = base + "feeds/posts/default?alt=json&start-index=1&max-results=150"
    kinds = {
        base + "2017/06/whole.html": ("a whole page, stored decoded", good, [("Content-Type", HTML)]),
        base + "2017/06/deep.html": ("nested 5,000 levels deep", deep, [("Content-Type", HTML)]),
        posts[2].url: ("gzip payload cut short, stored as received", cut[: len(cut) * 2 // 3],
                       [("Content-Type", HTML), ("Content-Encoding", "gzip")]),
        base + "2017/06/garbage.html": ("gzip payload that is garbage", b"\x1f\x8b\x08" + random_bytes(500),
                                        [("Content-Type", HTML), ("Content-Encoding", "gzip")]),
        base + "2017/06/brotli.html": ("content coding br, not decoded here", random_bytes(200),
                                       [("Content-Type", HTML), ("Content-Encoding", "br")]),
        feed: ("JSON that is no object", b"[1, 2, 3]", [("Content-Type", "application/json")]),
        feed.replace("start-index=1", "start-index=151"): (
            "feed entries that are strings, totalResults no number, lone surrogates",
            b'{"feed": {"openSearch$totalResults": {"$t": "' + b"9" * 5000 + b'"}, "entry": ["x", 1, '
            b'{"id": {"$t": "tag:blogger.com,1999:blog-1.post-77"}, "published": {"$t": "2017-06-02T10:00:00Z"}, '
            b'"title": {"$t": "\\ud800"}, "content": {"$t": "<p>caf\\u00e9 \\udfff</p>"}, '
            b'"link": [{"rel": "alternate", "href": "' + base.encode() + b'2017/06/surrogate.html"}]}]}}',
            [("Content-Type", "application/json")]),
        base + "2017/06/xml-declared.html": ("HTML with an XML declaration", b'<?xml version="1.0" encoding='
                                             b'"UTF-8"?>' + good, [("Content-Type", HTML)]),
        base + "2017/06/chunked.html": ("chunked framing cut short", b"400\r\n" + good[:300],
                                        [("Content-Type", HTML), ("Transfer-Encoding", "chunked")]),
        base + "2017/06/not-html.html": ("binary bytes served as HTML", random_bytes(800), [("Content-Type", HTML)]),
        base + "2017/06/weird-status.html": ("a status line that is no status", good, [("Content-Type", HTML)]),
    }
    store = RawStore(raw)
    for n, (url, (_, body, headers)) in enumerate(kinds.items()):
        status = 0 if "weird-status" in url else 200
        store.add(RawResponse(url, status, body, headers, fetched=f"2024-01-01T00:00:{n:02d}Z"))
    return {url: what for url, (what, _, _) in kinds.items()}
