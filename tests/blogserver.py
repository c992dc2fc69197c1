"""A Blogger-like test blog served on 127.0.0.1 by pytest-httpserver, rendered with pipeline.bench.render."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from urllib.parse import parse_qs

from werkzeug import Request, Response

from pipeline.bench.render import BlogMeta, feed_json, listing_page, permalink_page, sitemap_index, sitemap_xml
from pipeline.records import Post

PERMISSIVE_ROBOTS = "User-agent: *\nAllow: /\n"
BLOGGER_ROBOTS = "User-agent: Mediapartners-Google\nDisallow:\n\nUser-agent: *\nDisallow: /search\nAllow: /\n"


def make_posts(base: str, n: int, per_day: int = 2) -> list[Post]:
    """`n` posts, newest first, several sharing a date, with realistic bodies."""
    posts = []
    for i in range(n):
        day = 28 - (i // per_day)
        month = 6 if day > 0 else 5
        day = day if day > 0 else day + 28
        date = f"2017-{month:02d}-{day:02d}"
        hour = 20 - (i % per_day) * 3
        pid = str(7000000000000000000 + i * 7919)
        title = f"Post {i}: unions and social protection"
        html = (f"<p>Paragraph one of post {i}: {100 + i} workers joined the union.</p>"
                f"<!--more--><p>Paragraph two of post {i} with the rest of the story.</p>")
        posts.append(Post(id=pid, url=f"{base}2017/{month:02d}/post-{i}-unions-and-social-protection.html",
                          date=date, published=f"{date}T{hour:02d}:15:00+05:45", title=title,
                          author="Desk", labels=["asia"], text="", html=html))
    return posts


@dataclass
class BlogFixture:
    """Serves a blog: which routes exist is configurable, to exercise each discovery path."""

    base: str
    posts: list[Post]
    feed: bool = True
    feed_summary: bool = False
    sitemap: bool = True
    archives: bool = True
    robots: str = PERMISSIVE_ROBOTS
    page_size: int = 3
    truncate: bool = False
    layout: str = "classic"
    hits: list[str] = field(default_factory=list)

    @property
    def meta(self) -> BlogMeta:
        return BlogMeta(base_url=self.base)

    def months(self) -> list[tuple[int, int, int]]:
        counts: dict[tuple[int, int], int] = {}
        for p in self.posts:
            key = (int(p.date[:4]), int(p.date[5:7]))
            counts[key] = counts.get(key, 0) + 1
        return [(y, m, c) for (y, m), c in sorted(counts.items(), reverse=True)] if self.archives else []

    def _listing(self, posts: list[Post], older: str | None, label: str | None = None) -> Response:
        trunc = frozenset(p.id for p in posts) if self.truncate else frozenset()
        html = listing_page(self.meta, posts, layout=self.layout, truncate_ids=trunc, older_url=older,
                            label=label, archive=self.months())
        return Response(html, content_type="text/html; charset=UTF-8")

    def handler(self, request: Request) -> Response:
        path = request.path
        q = {k: v[0] for k, v in parse_qs(request.query_string.decode()).items()}
        self.hits.append(request.full_path.rstrip("?"))
        if path == "/robots.txt":
            return Response(self.robots, content_type="text/plain")
        if path == "/feeds/posts/default" and self.feed:
            start = int(q.get("start-index", "1"))
            size = int(q.get("max-results", "25"))
            page = self.posts[start - 1:start - 1 + size]
            body = feed_json(self.meta, page, start_index=start, total=len(self.posts), summary=self.feed_summary)
            return Response(body, content_type="application/json; charset=UTF-8")
        if path == "/sitemap.xml" and self.sitemap:
            if "page" in q:
                return Response(sitemap_xml(p.url for p in self.posts), content_type="application/xml")
            return Response(sitemap_index([self.base + "sitemap.xml?page=1"]), content_type="application/xml")
        if path == "/":
            older = self._older(self.posts[: self.page_size])
            return self._listing(self.posts[: self.page_size], older)
        if path == "/search":
            rest = [p for p in self.posts if p.published < q.get("updated-max", "9999")]
            page = rest[: self.page_size]
            return self._listing(page, self._older(page) if len(rest) > self.page_size else None)
        if path.startswith("/search/label/"):
            return self._listing(self.posts[: self.page_size * 2], None, label=path.rsplit("/", 1)[-1])
        m = re.fullmatch(r"/(\d{4})/(\d{2})/?", path)
        if m and self.archives:
            month = [p for p in self.posts if p.date.startswith(f"{m.group(1)}-{m.group(2)}")]
            return self._listing(month, None)
        for p in self.posts:
            if p.url.endswith(path):
                return Response(permalink_page(self.meta, p, layout=self.layout),
                                content_type="text/html; charset=UTF-8")
        return Response("not found", status=404)

    def _older(self, page: list[Post]) -> str | None:
        if not page or page[-1] is self.posts[-1]:
            return None
        return f"{self.base}search?updated-max={page[-1].published.replace('+', '%2B')}&max-results={self.page_size}"


def feed_entries(body: bytes) -> int:
    """Number of entries in a JSON feed page."""
    return len(json.loads(body)["feed"].get("entry", []))
