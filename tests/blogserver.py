"""Blogger-like test blogs and a Wayback Machine on 127.0.0.1, rendered with pipeline.bench.render.

``BlogFixture`` serves a blog's routes (pytest-httpserver or ``LoopbackServer``); ``LiveBlog`` is a blog that
changes between crawls; ``LoopbackServer`` is a small HTTP/1.1 server whose answers can be broken on purpose
(truncated, reset, 429, gzip); ``WaybackFixture`` serves CDX listings and ``id_`` captures.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import re
import socket
import struct
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from werkzeug import Request, Response
from werkzeug.test import EnvironBuilder

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


# -- blogs that change between runs, lose posts, move them, and servers that misbehave


def blog_sitemap(entries: list[tuple[str, str | None]]) -> str:
    """A sitemap page with <lastmod> where given."""
    body = "".join(f"<url><loc>{escape(u)}</loc>" + (f"<lastmod>{escape(m)}</lastmod>" if m else "") + "</url>"
                   for u, m in entries)
    return ("<?xml version='1.0' encoding='UTF-8'?>"
            f"<urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'>{body}</urlset>")


@dataclass
class LiveBlog(BlogFixture):
    """A BlogFixture whose posts can be edited, deleted and moved between crawls.

    `updated` overrides a post's feed ``updated`` and sitemap ``lastmod`` (by post id); `gone` answers 404/410 for
    a path (a deleted post, or a listed post whose permalink is gone); `moved` answers 301 for an old path (the
    post's URL) to a new path that serves its page.
    """

    updated: dict[str, str] = field(default_factory=dict)
    gone: dict[str, int] = field(default_factory=dict)
    moved: dict[str, str] = field(default_factory=dict)

    def stamp(self, post: Post) -> str:
        return self.updated.get(post.id, post.published or "")

    def edit(self, post: Post, text: str, when: str) -> None:
        """Change a post's body and its updated time."""
        post.html = f"<p>{text}</p><!--more--><p>{text} (continued)</p>"
        self.updated[post.id] = when

    def delete(self, post: Post, status: int = 404) -> None:
        """Remove a post: no longer listed, its permalink answers `status`."""
        self.posts.remove(post)
        self.gone[urlsplit(post.url).path] = status

    def handler(self, request: Request) -> Response:
        path = request.path
        if path in self.gone:
            self.hits.append(request.full_path.rstrip("?"))
            return Response("gone", status=self.gone[path])
        if path in self.moved:
            self.hits.append(request.full_path.rstrip("?"))
            return Response("", status=301, headers={"Location": self.moved[path]})
        old = next((o for o, n in self.moved.items() if n == path), None)
        if old is not None:  # the new address of a moved post
            self.hits.append(request.full_path.rstrip("?"))
            post = next(p for p in self.posts if p.url.endswith(old))
            page = permalink_page(self.meta, post, layout=self.layout)
            return Response(page, content_type="text/html; charset=UTF-8")
        if path == "/sitemap.xml" and self.sitemap and "page" in request.args:
            self.hits.append(request.full_path.rstrip("?"))
            return Response(blog_sitemap([(p.url, self.stamp(p)) for p in self.posts]), content_type="application/xml")
        resp = super().handler(request)
        if path == "/feeds/posts/default" and resp.status_code == 200:
            doc = json.loads(resp.get_data())
            stamps = {p.id: self.stamp(p) for p in self.posts}
            for entry in doc["feed"].get("entry", []):
                pid = entry["id"]["$t"].rsplit("post-", 1)[-1]
                if pid in stamps:
                    entry["updated"]["$t"] = stamps[pid]
            resp.set_data(json.dumps(doc))
        return resp


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: object) -> None:  # quiet: pytest shows failures itself
        pass

    def do_GET(self) -> None:
        app = self.server.app
        path, _, query = self.path.partition("?")
        env = EnvironBuilder(path=path, query_string=query, headers=dict(self.headers.items()),
                             base_url=f"http://{self.headers.get('Host', '127.0.0.1')}",
                             environ_overrides={"RAW_URI": self.path, "REQUEST_URI": self.path}).get_environ()
        resp = app.handler(Request(env))
        fault = app.take_fault(self.path)
        body = resp.get_data()
        headers = [(k, v) for k, v in resp.headers.items() if k.lower() != "content-length"]
        status = resp.status_code
        if fault in ("429", "503"):
            status, body, headers = int(fault), b"slow down", [("Retry-After", "1"), ("Content-Type", "text/plain")]
        elif fault in ("gzip", "gzip-cut"):
            body = gzip.compress(body, mtime=0)
            body = body[: len(body) // 2] if fault == "gzip-cut" else body
            headers.append(("Content-Encoding", "gzip"))
        if fault == "drip-head":  # the status line and headers a byte at a time, a tenth of a second apart
            head = f"HTTP/1.1 {status} OK\r\nContent-Length: {len(body)}\r\n\r\n".encode()
            for i in range(len(head)):
                self.wfile.write(head[i:i + 1])
                self.wfile.flush()
                time.sleep(0.1)
            self.wfile.write(body)
            return
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        if fault == "drip":  # the body a byte at a time, a tenth of a second apart: no read ever times out
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            for i in range(len(body)):
                self.wfile.write(body[i:i + 1])
                self.wfile.flush()
                time.sleep(0.1)
            return
        if fault == "chunked":
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for i in range(0, len(body), 700):
                part = body[i:i + 700]
                self.wfile.write(f"{len(part):x}\r\n".encode() + part + b"\r\n")
            self.wfile.write(b"0\r\n\r\n")
            return
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if fault in ("truncate", "reset"):
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            if fault == "reset":  # RST instead of FIN: the client sees "connection reset by peer" mid-body
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.close_connection = True
            self.connection.close()
            return
        self.wfile.write(body)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    app: LoopbackServer

    def handle_error(self, request: object, client_address: object) -> None:  # a socket closed on purpose
        pass


class LoopbackServer:
    """A threaded HTTP/1.1 server on 127.0.0.1 serving a werkzeug-style handler, with faults injected per request.

    ``fault(target, kind, ...)`` makes the next requests for `target` (path with query) fail in order: ``429`` and
    ``503`` (with Retry-After: 1), ``truncate`` (half the body, then the connection closes), ``reset`` (half the
    body, then a TCP reset), ``gzip`` (the body gzip-encoded), ``gzip-cut`` (gzip cut in half, Content-Length
    matching the bytes sent), ``chunked`` (chunked transfer coding), ``drip`` (the body a byte every tenth of a
    second), ``drip-head`` (the status line and headers so).
    """

    def __init__(self, handler: Callable[[Request], Response]) -> None:
        self.handler = handler
        self.faults: dict[str, list[str]] = {}
        self._lock = threading.Lock()
        self.httpd = _Server(("127.0.0.1", 0), _Handler)
        self.httpd.app = self
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/"

    def fault(self, target: str, *kinds: str) -> None:
        with self._lock:
            self.faults.setdefault(target, []).extend(kinds)

    def take_fault(self, target: str) -> str | None:
        with self._lock:
            todo = self.faults.get(target)
            return todo.pop(0) if todo else None

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def __enter__(self) -> LoopbackServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def payload_sha1(body: bytes) -> str:
    """A CDX digest: base32 SHA-1 of the payload."""
    return base64.b32encode(hashlib.sha1(body).digest()).decode()


@dataclass
class WaybackFixture:
    """A Wayback Machine: a CDX server (JSON, resumeKey paging, rows sorted by URL then time) and ``id_`` captures.

    Each capture is (timestamp, original URL, status, body); a revisit row (status ``-``) carries the digest of an
    earlier capture. A request for a timestamp with no capture of that URL is redirected to the nearest one.
    """

    page_rows: int = 4
    captures: list[tuple[str, str, str, bytes]] = field(default_factory=list)
    hits: list[str] = field(default_factory=list)
    cdx_queries: list[dict[str, str]] = field(default_factory=list)

    def add(self, timestamp: str, original: str, status: int | str, body: bytes | str = b"") -> None:
        self.captures.append((timestamp, original, str(status), body.encode() if isinstance(body, str) else body))

    def rows(self, host: str) -> list[list[str]]:
        out = []
        for ts, original, status, body in self.captures:
            if urlsplit(original).netloc.removesuffix(":80") != host:
                continue
            if status == "-":  # a revisit: same content as the capture before it
                earlier = [b for t, o, s, b in self.captures if o == original and s == "200" and t < ts]
                digest = payload_sha1(earlier[-1]) if earlier else ""
            else:
                digest = payload_sha1(body)
            key = urlsplit(original)._replace(scheme="", netloc=urlsplit(original).hostname or "").geturl()
            out.append([key, ts, original, status, digest])
        return [row[1:] for row in sorted(out)]

    def handler(self, request: Request) -> Response:
        raw = request.environ.get("RAW_URI", request.full_path)
        self.hits.append(raw)
        if request.path == "/robots.txt":
            return Response("", status=404)
        if request.path == "/cdx/search/cdx":
            args = {k: request.args.get(k, "") for k in request.args}
            self.cdx_queries.append(args)
            host = args.get("url", "").removesuffix("/*")
            rows = self.rows(host)
            start = int(args.get("resumeKey") or 0)
            page = rows[start:start + self.page_rows]
            fields = args.get("fl", "timestamp,original,statuscode,digest").split(",")
            names = ["timestamp", "original", "statuscode", "digest"]
            out: list[list[str]] = [fields] + [[r[names.index(f)] for f in fields] for r in page]
            if start + self.page_rows < len(rows):
                out += [[], [str(start + self.page_rows)]]
            return Response(json.dumps(out), content_type="application/json")
        m = re.match(r"/web/(\d{14})id_/(.+)$", raw)
        if not m:
            return Response("not archived", status=404)
        ts, original = m.groups()
        same = [(t, s, b) for t, o, s, b in self.captures if o == original]
        exact = [c for c in same if c[0] == ts]
        if exact and exact[0][1] == "-":  # a revisit serves the content it saw again
            earlier = [c for c in same if c[1] == "200" and c[0] < ts]
            exact = [(ts, "200", earlier[-1][2])] if earlier else []
        if not exact:
            if not same:
                return Response("not archived", status=404)
            nearest = min(same, key=lambda c: abs(int(c[0]) - int(ts)))[0]
            return Response("", status=302, headers={"Location": f"/web/{nearest}id_/{original}"})
        _, status, body = exact[0]
        return Response(body, status=int(status), content_type="text/html; charset=UTF-8")
