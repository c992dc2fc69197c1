"""The crawl of one blog (``BlogCrawler``) and of several at once (``crawl``), into one raw store.

Routes, in order: the JSON feed (paged with start-index); without a feed, the sitemap's permalinks, then
the home page, the month archives and (where robots.txt allows) the pager. A listing post shown as a
summary is completed from its permalink page. With ``--wayback``, archived captures come first.

Every run is also an update: the discovery pages (feed pages, sitemaps, the home page, archives of a
period not over when they were stored) are fetched again; a permalink is fetched when it is not stored
or when the feed's ``updated`` / the sitemap's ``lastmod`` says the stored page is out of date; the rest
is read from the store, so a crawl also resumes where it stopped. ``--refresh`` fetches everything again.
Posts the store knew that the blog no longer lists are checked: 404/410 means gone.

Whatever a server sends is read before its links are followed, and a page no reader can make sense of
(however broken or hostile) stops nothing but itself: it is named in a warning and counted
(``CrawlStats.unreadable``); links that are no URLs a crawler can fetch are skipped and counted
(``CrawlStats.bad_links``). The same holds for pages read back from the store on a resume.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import TypeVar
from urllib.parse import urljoin, urlsplit

from pipeline.config import CrawlConfig
from pipeline.errors import FetchError, InputError
from pipeline.fetch import REDIRECT_STATUS, Fetcher, HostUnreachable, Throttle, check_user_agent, url_problem
from pipeline.parse import (
    ITEM_PATH,
    PARSE_ERRORS,
    TRUNCATED,
    Candidate,
    parse_feed_atom,
    parse_feed_json,
    parse_html_page,
)
from pipeline.rawstore import RawResponse, RawStore
from pipeline.scrape.discovery import (
    FEED_PATH,
    SITEMAP_PATH,
    Listing,
    archive_end,
    atom_feed_listing,
    base_url,
    feed_url,
    fetchable,
    json_feed_listing,
    listing_links,
    sitemap_listing,
    when,
)
from pipeline.scrape.stats import CrawlStats
from pipeline.scrape.updates import Ledger, post_key
from pipeline.scrape.wayback import crawl_wayback as crawl_captures

log = logging.getLogger(__name__)

T = TypeVar("T")
KEEP_STATUS = frozenset({200, 404, 410})
GONE_STATUS = frozenset({404, 410})


def _html(resp: RawResponse) -> str:
    return resp.body.decode("utf-8", errors="replace")


def is_listing(url: str) -> bool:
    """The home page, an archive page or a pager page: a page listing posts (label pages are not crawled)."""
    parts = urlsplit(url)
    return (parts.path in ("", "/") or archive_end(parts.path) is not None
            or "updated-max=" in parts.query and not parts.path.startswith("/search/label/"))


class BlogCrawler:
    """Crawls one blog into a shared raw store."""

    def __init__(self, url: str, store: RawStore, config: CrawlConfig, throttle: Throttle) -> None:
        self.base = base_url(url)
        self.netloc = urlsplit(self.base).netloc.lower()
        self.host = urlsplit(self.base).hostname or ""
        self.store = store
        self.config = config
        self.fetcher = Fetcher(config, {self.host, *config.extra_hosts}, throttle)
        self.stats = CrawlStats()
        self.ledger = Ledger()
        self.post_ids: set[str] = set()
        self.queued: set[str] = set()
        self.summary_urls: set[str] = set()  # permalinks fetched to complete a summary
        self.gone_permalinks: dict[str, int] = {}  # permalinks of listed posts answering 404/410
        self.stored_feeds: list[str] = []
        self.stored_sitemaps: list[str] = []
        self.listed_by: dict[str, set[str]] = {}  # post key -> stored listing pages that list it
        self.incomplete = False  # a discovery page failed or the page cap was reached

    # -- fetching through the store

    def get(self, url: str, fresh: bool = False, discovery: bool = False, hops: int = 0) -> RawResponse | None:
        """The response for a URL: read from the store when it holds a live copy (unless `fresh` or --refresh),
        else fetched and stored (every redirect hop under its own URL). None when it cannot be had."""
        if self.store.live(url) is not None and not (fresh or self.config.refresh):
            resp = self.store.get(url)
            if resp is not None and resp.problem:  # stored cut short (another tool, an older version): again
                log.warning("%s: the stored copy is damaged (%s); fetched again", url, resp.problem)
            else:
                self.stats.skipped += 1
                if resp is not None and resp.status in REDIRECT_STATUS and resp.header("Location") and hops < 5:
                    try:
                        target = urljoin(url, resp.header("Location") or "")
                    except ValueError:
                        return resp
                    return self.get(target, discovery=discovery, hops=hops + 1)
                return resp
        if self.stats.fetched >= self.config.max_pages:
            self.stats.capped += 1
            self.incomplete = True
            return None
        try:
            chain = self.fetcher.fetch_chain(url)
        except HostUnreachable:
            raise
        except FetchError as exc:
            self.stats.failed += 1
            self.stats.errors.append(str(exc))
            log.warning("%s", exc)
            self.incomplete |= discovery
            return None
        self.stats.fetched += 1
        final = chain[-1]
        if final.status not in KEEP_STATUS:
            self.stats.failed += 1
            self.stats.errors.append(f"{final.url}: HTTP {final.status}")
            log.warning("%s: HTTP %d; not stored", final.url, final.status)
            self.incomplete |= discovery
            return final
        if discovery and len(chain) == 1 and self.store.same_as_stored(final):
            log.debug("%s: unchanged since it was stored", url)
        else:
            self.store.add_chain(chain)
        if self.stats.fetched % 25 == 0:
            log.info("%s: %d pages fetched, %d read from the store, %d posts seen", self.host, self.stats.fetched,
                     self.stats.skipped, len(self.post_ids))
        return final

    def read(self, url: str, reader: Callable[..., T], *args: object) -> T | None:
        """What `reader` makes of a response (given `args`), or None (the page named and counted) when it cannot
        be read."""
        try:
            return reader(*args)
        except PARSE_ERRORS as exc:
            self.stats.unreadable.append(url)
            log.warning("%s: unreadable (%s: %s); its posts and links are not taken", url, type(exc).__name__,
                        str(exc)[:200])
            return None

    def listed(self, url: str, listing: Listing | None) -> Listing | None:
        """A listing, with its links that are no URLs counted and named."""
        if listing is not None and listing.bad:
            self.stats.bad_links += len(listing.bad)
            log.warning("%s: %d links that are no URLs skipped (%s)", url, len(listing.bad), listing.bad[0][:80])
        return listing

    # -- the crawl

    def crawl(self) -> CrawlStats:
        """Discover and store every post of the blog; count what changed since the store's last crawl."""
        try:
            self.remember_store()
            if self.config.wayback:
                self.crawl_wayback()
            if self.crawl_feed():
                self.stats.route = f"{self.host}: feed"
            else:
                self.crawl_html()
                self.stats.route = f"{self.host}: sitemap/archives" + ("/pager" if self._pager_allowed() else "")
            self.check_unlisted()
        except HostUnreachable as exc:
            self.stats.failed += 1
            self.stats.errors.append(str(exc))
            self.stats.unreachable.append(str(exc))
            log.error("%s", exc)
        self.stats.new, self.stats.changed, self.stats.unchanged = self.ledger.counts()
        self.stats.summaries_gone = sorted(u for u in self.gone_permalinks if u in self.summary_urls)
        self.stats.dead_permalinks = sorted(u for u in self.gone_permalinks if u not in self.summary_urls)
        self.stats.posts_seen = len(self.post_ids)
        if not (self.stats.fetched or self.stats.skipped or self.stats.wayback_held):
            self.stats.empty.append(self.base)
        log.info("%s: done (%s): %d posts seen; %d new, %d changed, %d unchanged, %d gone; %d fetched, %d read from "
                 "the store, %d failed", self.host, self.stats.route or "no route", len(self.post_ids),
                 self.stats.new, self.stats.changed, self.stats.unchanged, len(self.stats.gone), self.stats.fetched,
                 self.stats.skipped, self.stats.failed)
        return self.stats

    def crawl_wayback(self) -> None:
        """The newest good Wayback capture of every URL of the blog (see ``wayback``)."""
        crawl_captures(self.fetcher, self.store, self.netloc, self.config, self.stats)

    def remember_store(self) -> None:
        """Before anything is fetched again: the posts the store holds or lists for this blog, with their times."""
        for url in self.store.urls():
            parts = urlsplit(url)
            held = self.store.live(url)
            if parts.netloc.lower() != self.netloc or held is None or held.status != 200:
                continue
            if ITEM_PATH.match(parts.path):
                self.ledger.knew(url)
                continue
            kind = ("feed" if parts.path.startswith(FEED_PATH) else "sitemap" if parts.path == SITEMAP_PATH
                    else "page" if is_listing(url) else "")
            if not kind:
                continue
            resp = self.store.get(url)
            if resp is None:
                continue
            listing = self.read(url, self.stored_listing, resp, kind)
            for link, updated in listing.entries if listing else []:
                self.ledger.knew(link, kind, updated)

    def stored_listing(self, resp: RawResponse, kind: str) -> Listing | None:
        """What a stored feed page, sitemap or listing page lists."""
        url = resp.url
        if kind == "feed":
            self.stored_feeds.append(url)
            return self.feed_listing(resp)
        if kind == "sitemap":
            self.stored_sitemaps.append(url)
            return sitemap_listing(resp.body)
        listing = Listing()
        for c in parse_html_page(url, _html(resp)):
            listing.take(c.link or c.post.url, None)
        for link, _ in listing.entries:
            self.listed_by.setdefault(post_key(link), set()).add(url)
        return listing

    # -- feed

    def feed_listing(self, resp: RawResponse) -> Listing | None:
        """The entries of a stored or fetched feed page (JSON, JSON in script, or Atom)."""
        text = _html(resp)
        return atom_feed_listing(resp.body) if text.lstrip().startswith("<") else json_feed_listing(text)

    def feed_candidates(self, resp: RawResponse) -> list[Candidate]:
        text = _html(resp)
        return parse_feed_atom(resp.url, resp.body) if text.lstrip().startswith("<") else parse_feed_json(resp.url,
                                                                                                          text)

    def crawl_feed(self) -> bool:
        """Page through the JSON feed; False when the blog serves none."""
        start, pages, total = 1, 0, None
        if not self.fetcher.allowed(feed_url(self.base, 1, 1)):
            log.info("%s: robots.txt disallows the feed; using the sitemap and archives", self.host)
            return False
        fetched: set[str] = set()
        listed: set[str] = set()
        while True:
            url = feed_url(self.base, start, self.config.feed_page_size)
            fetched.add(url)
            resp = self.get(url, fresh=True, discovery=True)
            if resp is None or resp.status != 200:
                if pages:
                    self.incomplete = True
                    log.warning("%s: feed page at start-index %d could not be had; the listing is incomplete",
                                self.host, start)
                return pages > 0
            listing = self.listed(url, self.read(url, self.feed_listing, resp))
            if listing is None:
                if pages == 0:
                    log.info("%s: no usable feed; falling back to the sitemap and archives", self.host)
                    return False
                self.incomplete = True
                log.warning("%s: feed page at start-index %d is no feed; the listing stops there", self.host, start)
                break
            pages += 1
            total = total or listing.total
            if not listing.count:
                break
            before = len(self.post_ids)
            listed |= self.take_feed_page(resp, listing)
            if len(self.post_ids) == before:
                log.warning("%s: feed page at start-index %d brought no new post; stopping", self.host, start)
                break
            start += listing.count
        for url in self.stored_feeds:  # older pages (another page size, a longer blog): what they say now
            if url not in fetched:
                resp = self.get(url, fresh=True, discovery=True)
                if resp is None or resp.status != 200:
                    continue
                listing = self.listed(url, self.read(url, self.feed_listing, resp))
                if listing is not None:
                    listed |= self.take_feed_page(resp, listing)
        if total and len(listed) < total:
            log.warning("%s: the feed announced %d posts but listed %d", self.host, total, len(listed))
        return True

    def take_feed_page(self, resp: RawResponse, listing: Listing) -> set[str]:
        """Record a feed page's posts; complete its summaries from their permalinks. The keys of its posts."""
        keys = {self.ledger.sees(link, "feed", updated) for link, updated in listing.entries}
        for cand in self.read(resp.url, self.feed_candidates, resp) or []:
            self.post_ids.add(cand.post.id)
            if cand.completeness == TRUNCATED and cand.link:  # a summary feed: the body is on the permalink page
                self.fetch_permalink(cand.link, summary=True)
        return keys

    # -- sitemap, listings, permalinks

    def _pager_allowed(self) -> bool:
        try:
            return self.fetcher.allowed(urljoin(self.base, "/search?max-results=1"))
        except FetchError:
            return False

    def crawl_html(self) -> None:
        """Sitemap permalinks, then the home page, archives and (where allowed) the pager.

        A listing page read from the store is no evidence that the blog still lists its posts when a sitemap
        fetched now lists them all: then only pages fetched now say what is listed (and deletions are found).
        """
        sitemap = False
        for loc, lastmod in self.sitemap_entries():
            if ITEM_PATH.match(urlsplit(loc).path):
                sitemap = True
                self.ledger.sees(loc, "sitemap", lastmod)
                self.fetch_permalink(loc, summary=False)
        queue: deque[str] = deque([self.base])
        seen: set[str] = set()
        while queue:
            url = queue.popleft()
            if url in seen:
                continue
            seen.add(url)
            fresh = self.listing_is_open(url) or self.config.refresh or self.store.live(url) is None
            resp = self.get(url, fresh=fresh, discovery=True)
            if resp is None or resp.status != 200:
                continue
            html = _html(resp)
            # The page is read first: one no reader makes sense of has no links to follow.
            cands = self.read(url, parse_html_page, resp.url, html)
            links = self.read(url, listing_links, resp.url, html, self.fetcher.in_scope)
            if cands is None or links is None:
                continue
            for cand in cands:
                self.post_ids.add(cand.post.id)
                link = cand.link or cand.post.url
                if url_problem(link):
                    self.listed(url, Listing(bad=[link]))
                    continue
                if fresh or not sitemap:
                    self.ledger.sees(link)
                if cand.completeness == TRUNCATED and cand.link:
                    self.fetch_permalink(cand.link, summary=True)
            for link in links:
                if link in seen:
                    continue
                if self.fetcher.allowed(link):
                    queue.append(link)
                else:
                    log.debug("%s: disallowed by robots.txt; not followed", link)

    def listing_is_open(self, url: str) -> bool:
        """Must a listing page be fetched again? The home page always; an archive page when it was stored before
        its period was over (posts may have been added since); pager pages never (their window is fixed)."""
        parts = urlsplit(url)
        if parts.path in ("", "/") and not parts.query:
            return True
        held = self.store.live(url)
        end = archive_end(parts.path)
        if held is None or end is None:
            return False
        got = when(held.fetched)
        return got is None or got < end

    def sitemap_entries(self) -> list[tuple[str, str | None]]:
        """Every <loc> of the sitemap with its <lastmod> (an index of sitemap pages is followed)."""
        out: list[tuple[str, str | None]] = []
        todo = [urljoin(self.base, SITEMAP_PATH)]
        seen: set[str] = set()
        while todo:
            url = todo.pop(0)
            if url in seen or not self.fetcher.in_scope(url) or not self.fetcher.allowed(url):
                continue
            seen.add(url)
            resp = self.get(url, fresh=True, discovery=True)
            if resp is None or resp.status != 200:
                continue
            listing = self.listed(url, self.read(url, sitemap_listing, resp.body))
            if listing is None:
                continue
            todo += listing.children
            out += listing.entries
        for url in self.stored_sitemaps:  # sitemap pages no index names any more: what they say now
            if url not in seen:
                self.get(url, fresh=True, discovery=True)
        return out

    def fetch_permalink(self, link: str, summary: bool) -> None:
        """Fetch (or read from the store) a post's permalink page: when not stored, when its updated/lastmod
        time says the stored page is out of date, or with --refresh."""
        if problem := url_problem(link):
            self.listed(link, Listing(bad=[link]))
            log.debug("%r: %s", link, problem)
            return
        url = fetchable(link)
        if summary:
            self.summary_urls.add(url)
        if url in self.queued:
            return
        self.queued.add(url)
        if not self.fetcher.in_scope(url):
            if summary:
                self.stats.summaries_missed.append(url)
                log.warning("%s: permalink outside the blog's host; not fetched, the post stays a summary", url)
            return
        key = post_key(url)
        held = self.store.live(url)
        stale = held is not None and self.ledger.stale(key, held.fetched)
        if stale and not self.config.refresh:
            self.ledger.refetched_stale.add(key)
        resp = self.get(url, fresh=held is None or stale)
        if resp is not None and resp.url != url:
            self.ledger.redirects(url, resp.url)
        if resp is None or resp.status not in KEEP_STATUS:
            if summary:
                self.stats.summaries_missed.append(url)
            return
        if resp.status in GONE_STATUS:
            self.gone_permalinks[url] = resp.status
            log.warning("%s: permalink answers %d%s", url, resp.status,
                        "; the post stays a summary" if summary else "")
            return
        cands = self.read(url, parse_html_page, resp.url, _html(resp)) or []
        for cand in cands:
            self.post_ids.add(cand.post.id)
        if summary and not cands:
            self.stats.summaries_missed.append(url)
            log.warning("%s: the permalink page gave no post (unreadable, or a template not read); the post stays a "
                        "summary", url)

    def check_unlisted(self) -> None:
        """Posts the store knew that no discovery page lists any more: gone when the permalink answers 404/410."""
        unlisted = self.ledger.unlisted()
        if not unlisted:
            return
        if self.incomplete:
            self.stats.unchecked += len(unlisted)
            log.warning("%s: %d posts known before are not listed now, but discovery was incomplete: not checked",
                        self.host, len(unlisted))
            return
        stale_listings: set[str] = set()
        for key in unlisted:
            url = fetchable(self.ledger.links[key])
            held = self.store.live(url)
            if not self.fetcher.in_scope(url) or held is not None and held.status in GONE_STATUS:
                continue  # another host's page, or found gone by an earlier run
            resp = self.get(url, fresh=True)
            if resp is None or resp.status not in KEEP_STATUS:
                self.stats.unchecked += 1
            elif resp.status in GONE_STATUS:
                self.stats.gone.append(url)
                log.warning("%s: gone: the blog no longer lists it and the permalink answers %d", url, resp.status)
                stale_listings |= self.listed_by.get(key, set())
            else:
                self.ledger.sees(url)  # not listed, but still there: not gone
                log.info("%s: no discovery page lists it, but the permalink still answers", url)
        for url in sorted(stale_listings):  # stored listing pages that still show a gone post: what they say now
            self.get(url, fresh=True, discovery=True)


def crawl_info(config: CrawlConfig, bases: list[str]) -> dict[str, str]:
    """The warcinfo fields of a crawl session: what was crawled, as whom, and with which settings."""
    return {
        "description": "Blogger blogs crawled by rightspasia-pipeline (feed, sitemap, archives, permalinks"
                       + (", Wayback Machine captures" if config.wayback else "") + ")",
        "isPartOf": " ".join(bases),
        "http-header-user-agent": config.user_agent,
        "robots": "obey",
        "crawl-settings": (f"delay={config.delay} timeout={config.timeout} retries={config.max_retries} "
                           f"max-pages={config.max_pages} max-bytes={config.max_bytes} "
                           f"feed-page-size={config.feed_page_size} refresh={str(config.refresh).lower()} "
                           f"wayback={str(config.wayback).lower()}"
                           + (f" wayback-host={config.wayback_host}" if config.wayback else "")),
    }


def crawl(urls: list[str], raw: str | Path, config: CrawlConfig, throttle: Throttle | None = None) -> CrawlStats:
    """Crawl several blogs concurrently (one thread per blog, per-host delays kept) into one raw store."""
    if not urls:
        raise InputError("no blog URL given")
    check_user_agent(config.user_agent)
    bases = list(dict.fromkeys(base_url(u) for u in urls))
    store = RawStore(raw, info=crawl_info(config, bases))
    throttle = throttle or Throttle()
    wb_host = urlsplit(config.wayback_host).hostname or ""
    cfg = replace(config, extra_hosts=(*config.extra_hosts, wb_host)) if config.wayback else config
    crawlers = [BlogCrawler(u, store, cfg, throttle) for u in bases]
    total = CrawlStats()
    with ThreadPoolExecutor(max_workers=min(8, len(crawlers))) as pool:
        for stats in pool.map(lambda c: c.crawl(), crawlers):
            total.merge(stats)
    return total
