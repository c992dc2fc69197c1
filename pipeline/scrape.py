"""Crawl Blogger blogs into the WARC raw store: feed first, else sitemap and month archives, else the pager.

Blogger's default robots.txt disallows ``/search``, which holds the home pager and label pages, so a
polite crawl of a real blogspot blog is carried by the JSON feed (paged with start-index), the
sitemap, the month archives ``/YYYY/MM/`` listed in the Blog Archive widget, and permalinks. The
pager is used only where robots.txt allows it. Stored URLs are not fetched again (``--refresh``
refetches discovery pages such as feed pages and listings), so a crawl resumes where it stopped.
"""

from __future__ import annotations

import argparse
import json
import logging
import re
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urlencode, urljoin, urlsplit

import lxml.html
from lxml import etree

from pipeline.config import CrawlConfig
from pipeline.errors import FetchError, InputError
from pipeline.fetch import Fetcher, Throttle
from pipeline.parse import ITEM_PATH, TRUNCATED, normalise_url, parse_feed_atom, parse_feed_json, parse_html_page
from pipeline.rawstore import RawResponse, RawStore

log = logging.getLogger(__name__)

MONTH_PATH = re.compile(r"^/\d{4}/\d{2}/?$")
FEED_PATH = "/feeds/posts/default"


@dataclass
class CrawlStats:
    """What one crawl did."""

    fetched: int = 0
    skipped: int = 0
    failed: int = 0
    posts_seen: int = 0
    route: str = ""
    errors: list[str] = field(default_factory=list)

    def merge(self, other: CrawlStats) -> None:
        """Add another blog's counts."""
        self.fetched += other.fetched
        self.skipped += other.skipped
        self.failed += other.failed
        self.posts_seen += other.posts_seen
        self.route = ", ".join(r for r in (self.route, other.route) if r)
        self.errors += other.errors


def base_url(url: str) -> str:
    """The blog's root URL (https, trailing slash)."""
    u = url.strip()
    if "://" not in u:
        u = "https://" + u
    parts = urlsplit(u)
    return f"{parts.scheme}://{parts.netloc}/"


class BlogCrawler:
    """Crawls one blog into a shared raw store."""

    def __init__(self, url: str, store: RawStore, config: CrawlConfig, throttle: Throttle) -> None:
        self.base = base_url(url)
        self.host = urlsplit(self.base).hostname or ""
        self.store = store
        self.config = config
        hosts = {self.host, *config.extra_hosts}
        self.fetcher = Fetcher(config, hosts, throttle)
        self.stats = CrawlStats()
        self.post_ids: set[str] = set()
        self.queued: set[str] = set()

    # -- fetching through the store

    def get(self, url: str, discovery: bool = False) -> RawResponse | None:
        """The response for a URL: from the store when held (unless refreshing discovery pages), else fetched."""
        key = url
        if key in self.store and not (self.config.refresh and discovery):
            self.stats.skipped += 1
            return self.store.get(key)
        if self.stats.fetched >= self.config.max_pages:
            return None
        try:
            resp = self.fetcher.fetch(url)
        except FetchError as exc:
            self.stats.failed += 1
            self.stats.errors.append(str(exc))
            log.warning("%s", exc)
            return None
        self.stats.fetched += 1
        resp = replace(resp, url=key)
        if resp.status == 200 or resp.status in (404, 410):
            self.store.add(resp)
        if self.stats.fetched % 25 == 0:
            log.info("%s: %d pages fetched, %d from the store, %d posts seen", self.host, self.stats.fetched,
                     self.stats.skipped, len(self.post_ids))
        return resp

    # -- routes

    def crawl(self) -> CrawlStats:
        """Discover and store every post of the blog."""
        if self.config.wayback:
            self.crawl_wayback()
        if self.crawl_feed():
            self.stats.route = f"{self.host}: feed"
        else:
            self.crawl_html()
            self.stats.route = f"{self.host}: sitemap/archives" + ("/pager" if self._pager_allowed() else "")
        self.stats.posts_seen = len(self.post_ids)
        log.info("%s: done (%s): %d posts, %d fetched, %d from the store, %d failed", self.host, self.stats.route,
                 len(self.post_ids), self.stats.fetched, self.stats.skipped, self.stats.failed)
        return self.stats

    def feed_url(self, start: int) -> str:
        """One page of the JSON feed."""
        query = urlencode({"alt": "json", "start-index": start, "max-results": self.config.feed_page_size})
        return f"{self.base.rstrip('/')}{FEED_PATH}?{query}"

    def crawl_feed(self) -> bool:
        """Page through the JSON feed; False when the blog serves none."""
        start = 1
        total = None
        pages = 0
        while True:
            resp = self.get(self.feed_url(start), discovery=True)
            if resp is None or resp.status != 200:
                return pages > 0
            text = resp.body.decode("utf-8", errors="replace")
            if text.lstrip().startswith("<"):  # an Atom feed: the server ignored alt=json
                cands = parse_feed_atom(resp.url, resp.body)
                entries: list = cands
                if not cands and pages == 0 and "<feed" not in text[:500]:
                    return False
            else:
                try:
                    feed = json.loads(_strip_callback(text))["feed"]
                except (ValueError, KeyError, TypeError):
                    log.info("%s: no usable JSON feed; falling back to the sitemap and archives", self.host)
                    return pages > 0
                total = total or int(feed.get("openSearch$totalResults", {}).get("$t", "0") or 0)
                entries = feed.get("entry") or []
                cands = parse_feed_json(resp.url, text)
            pages += 1
            if not entries:
                break
            before = len(self.post_ids)
            for cand in cands:
                self.post_ids.add(cand.post.id)
                if cand.completeness == TRUNCATED:  # a summary feed: the body is on the permalink page
                    self._queue_permalink(cand.link)
            if len(self.post_ids) == before:
                log.warning("%s: feed page at start-index %d brought no new post; stopping", self.host, start)
                break
            start += len(entries)
        if total and len(self.post_ids) < total:
            log.warning("%s: the feed announced %d posts but listed %d", self.host, total, len(self.post_ids))
        return True

    def _pager_allowed(self) -> bool:
        return self.fetcher.allowed(urljoin(self.base, "/search?max-results=1"))

    def crawl_html(self) -> None:
        """Sitemap permalinks, then the home page, month archives and (where allowed) the pager."""
        for url in self.sitemap_urls():
            if ITEM_PATH.match(urlsplit(url).path):
                self._queue_permalink(url)
        queue: deque[str] = deque([self.base])
        seen_listings: set[str] = set()
        while queue:
            url = queue.popleft()
            if url in seen_listings:
                continue
            seen_listings.add(url)
            resp = self.get(url, discovery=True)
            if resp is None or resp.status != 200:
                continue
            html = resp.body.decode("utf-8", errors="replace")
            for cand in parse_html_page(url, html):
                self.post_ids.add(cand.post.id)
                if cand.completeness == TRUNCATED:
                    self._queue_permalink(cand.link)
            for link in self.listing_links(url, html):
                if link not in seen_listings:
                    queue.append(link)

    def _queue_permalink(self, url: str) -> None:
        url = fetchable(url)
        if url in self.queued or not self.fetcher.in_scope(url):
            return
        self.queued.add(url)
        resp = self.get(url)
        if resp is not None and resp.status == 200:
            for cand in parse_html_page(url, resp.body.decode("utf-8", errors="replace")):
                self.post_ids.add(cand.post.id)

    def listing_links(self, page_url: str, html: str) -> list[str]:
        """Year and month archives and 'Older posts' pages linked from a listing, where robots.txt allows.

        Any in-scope link of the form /YYYY/ or /YYYY/MM/ counts (the Blog Archive widget, but also custom
        themes), and so does any link carrying ``updated-max=`` (the pager, whatever its markup).
        """
        try:
            doc = lxml.html.document_fromstring(html)
        except (etree.ParserError, ValueError):
            return []
        links = []
        for href in doc.xpath("//a/@href | //select//option/@value"):
            url = urljoin(page_url, href.strip())
            parts = urlsplit(url)
            if not self.fetcher.in_scope(url) or parts.fragment and not parts.path:
                continue
            path = parts.path
            archive = MONTH_PATH.match(path) or re.match(r"^/\d{4}/?$", path) or re.match(
                r"^/\d{4}_\d{2}_\d{2}_archive\.html$", path)
            pager = "updated-max=" in parts.query and (path.startswith("/search") or MONTH_PATH.match(path)
                                                        or path in ("", "/"))
            if "/search/label/" in path or not (archive or pager):
                continue
            url = parts._replace(fragment="").geturl()
            if self.fetcher.allowed(url):
                links.append(url)
            else:
                log.debug("%s: disallowed by robots.txt; not followed", url)
        return list(dict.fromkeys(links))

    def sitemap_urls(self) -> list[str]:
        """Every <loc> of the sitemap (an index of sitemap pages is followed)."""
        out: list[str] = []
        todo = [urljoin(self.base, "/sitemap.xml")]
        seen: set[str] = set()
        while todo:
            url = todo.pop(0)
            if url in seen or not self.fetcher.allowed(url):
                continue
            seen.add(url)
            resp = self.get(url, discovery=True)
            if resp is None or resp.status != 200:
                continue
            try:
                root = etree.fromstring(resp.body, parser=etree.XMLParser(recover=True, resolve_entities=False))
            except etree.XMLSyntaxError:
                continue
            if root is None:
                continue
            for loc in root.iter("{*}loc"):
                text = (loc.text or "").strip()
                if etree.QName(loc.getparent()).localname == "sitemap":
                    todo.append(text)
                else:
                    out.append(text)
        return out

    # -- Wayback

    def crawl_wayback(self) -> None:
        """Archived captures of the blog through the Wayback CDX API, stored under their original URLs."""
        wb = self.config.wayback_host.rstrip("/")
        resume = None
        captures: dict[str, tuple[str, str]] = {}
        while True:
            params = {"url": f"{self.host}/*", "output": "json", "fl": "timestamp,original,statuscode,mimetype",
                      "filter": "statuscode:200", "collapse": "urlkey", "limit": "5000", "showResumeKey": "true"}
            if resume:
                params["resumeKey"] = resume
            cdx = f"{wb}/cdx/search/cdx?{urlencode(params)}"
            try:
                resp = self.fetcher.fetch(cdx)
                rows = json.loads(resp.body.decode("utf-8")) if resp.status == 200 and resp.body.strip() else []
            except (FetchError, ValueError) as exc:
                log.warning("Wayback CDX for %s failed: %s", self.host, exc)
                break
            resume = None
            for i, row in enumerate(rows[1:] if rows else [], 1):
                if not row:
                    nxt = rows[i + 1] if i + 1 < len(rows) else None
                    resume = nxt[0] if nxt else None
                    break
                timestamp, original = row[0], row[1]
                url = normalise_url(re.sub(r":80(?=/)", "", original))
                if _wanted(url):
                    captures[url] = max(captures.get(url, ("", "")), (timestamp, original))
            if not resume:
                break
        for url, (timestamp, original) in sorted(captures.items()):
            if url in self.store and not self.config.refresh:
                self.stats.skipped += 1
                continue
            try:
                resp = self.fetcher.fetch(f"{wb}/web/{timestamp}id_/{original}")
            except FetchError as exc:
                self.stats.failed += 1
                self.stats.errors.append(str(exc))
                continue
            self.stats.fetched += 1
            if resp.status == 200:
                self.store.add(replace(resp, url=url, capture=timestamp))
        log.info("%s: %d archived captures listed", self.host, len(captures))


def fetchable(url: str) -> str:
    """A permalink as fetched: no fragment, no ?m=1 or showComment; scheme and host kept."""
    parts = urlsplit(url)
    query = "&".join(q for q in parts.query.split("&") if q and not q.startswith(("m=", "showComment=")))
    return parts._replace(query=query, fragment="").geturl()


def _wanted(url: str) -> bool:
    path = urlsplit(url).path
    return bool(ITEM_PATH.match(path) or MONTH_PATH.match(path) or path in ("/", "") or path.startswith(FEED_PATH))


def _strip_callback(text: str) -> str:
    m = re.match(r"^\s*[\w.$]+\((.*)\);?\s*$", text, re.S)
    return m.group(1) if m else text


def crawl(urls: list[str], raw: str | Path, config: CrawlConfig, throttle: Throttle | None = None) -> CrawlStats:
    """Crawl several blogs concurrently (one thread per blog, per-host delays kept) into one raw store."""
    if not urls:
        raise InputError("no blog URL given")
    store = RawStore(raw)
    throttle = throttle or Throttle()
    wb_host = urlsplit(config.wayback_host).hostname or ""
    cfg = replace(config, extra_hosts=(*config.extra_hosts, wb_host)) if config.wayback else config
    crawlers = [BlogCrawler(u, store, cfg, throttle) for u in dict.fromkeys(base_url(u) for u in urls)]
    total = CrawlStats()
    with ThreadPoolExecutor(max_workers=min(8, len(crawlers))) as pool:
        for stats in pool.map(lambda c: c.crawl(), crawlers):
            total.merge(stats)
    return total


def _read_urls(args: argparse.Namespace) -> list[str]:
    urls = list(args.urls or [])
    if args.urls_file:
        path = Path(args.urls_file)
        if not path.is_file():
            raise InputError(f"{path}: no such file")
        urls += [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines()
                 if ln.strip() and not ln.startswith("#")]
    return urls


def _run(args: argparse.Namespace) -> int:
    config = CrawlConfig(delay=args.delay, max_pages=args.max_pages, refresh=args.refresh, wayback=args.wayback,
                         wayback_host=args.wayback_host, timeout=args.timeout, max_retries=args.retries)
    stats = crawl(_read_urls(args), Path(args.out), config)
    log.info("crawl finished: %d fetched, %d from the store, %d failed, %d posts", stats.fetched, stats.skipped,
             stats.failed, stats.posts_seen)
    return 1 if stats.failed and not stats.fetched and not stats.skipped else 0


def add_cli(sub: argparse._SubParsersAction) -> None:
    """Register ``scrape``."""
    d = CrawlConfig()
    p = sub.add_parser("scrape", help="crawl Blogger blogs politely into a WARC raw store",
                       description="Discover every post of one or more Blogger blogs (JSON feed; else sitemap and "
                       "month archives; else the pager where robots.txt allows) and store every response in "
                       "RAW/crawl.warc.gz. Resumable: stored URLs are not fetched again.")
    p.add_argument("urls", nargs="*", metavar="URL", help="blog base URL(s)")
    p.add_argument("--urls-file", help="a file with one blog URL a line")
    p.add_argument("--out", required=True, help="raw store directory")
    p.add_argument("--delay", type=float, default=d.delay, help=f"seconds between requests to a host ({d.delay})")
    p.add_argument("--max-pages", type=int, default=d.max_pages, help=f"cap on fetched pages per blog ({d.max_pages})")
    p.add_argument("--timeout", type=float, default=d.timeout, help=f"seconds per request ({d.timeout})")
    p.add_argument("--retries", type=int, default=d.max_retries, help=f"retries per request ({d.max_retries})")
    p.add_argument("--refresh", action="store_true", help="refetch discovery pages (feed, listings) already stored")
    p.add_argument("--wayback", action="store_true", help="also fetch archived captures via the Wayback CDX API")
    p.add_argument("--wayback-host", default=d.wayback_host, help=f"Wayback Machine base URL ({d.wayback_host})")
    p.set_defaults(func=_run)
