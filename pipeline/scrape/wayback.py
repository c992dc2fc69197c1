"""Archived copies of a blog from the Wayback Machine: the newest good capture of every URL, raw bytes.

The CDX API lists every capture (``fl=timestamp,original,statuscode,digest``, JSON, paged with
``resumeKey``). ``collapse=urlkey`` would keep the *oldest* row of each URL, so no collapse is asked
for: every row is read and, per URL, the newest capture with status 200 is chosen. A revisit row
(status ``-``) whose digest is that of a 200 capture of the same URL is the same good content seen
again, so it counts as good at its own time. Captures answering 3xx, 4xx or 5xx are skipped, and
URLs with no good capture at all are counted and named. The desktop page is preferred over its
``?m=1`` mobile copy (mobile listings show snippets only).

The chosen capture is fetched in the ``id_`` form (the bytes as archived, without the Wayback toolbar
or rewritten links) and stored under the page's original URL with the capture time in the
``WARC-X-Wayback-Capture`` header. Captures never change, so one already stored is not fetched again.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass, replace
from email.utils import parsedate_to_datetime
from urllib.parse import urlencode, urlsplit

from pipeline.config import CrawlConfig
from pipeline.errors import FetchError
from pipeline.fetch import Fetcher, HostUnreachable, url_problem
from pipeline.parse import ITEM_PATH, normalise_url
from pipeline.rawstore import RawStore
from pipeline.scrape.discovery import FEED_PATH, MONTH_PATH
from pipeline.scrape.stats import CrawlStats

log = logging.getLogger(__name__)

CDX_FIELDS = ("timestamp", "original", "statuscode", "digest")
CDX_PAGE_ROWS = 5000
TIMESTAMP = re.compile(r"^\d{14}$")


@dataclass(frozen=True)
class Capture:
    """One CDX row."""

    url: str  # the page's URL as the store keys it (normalised)
    original: str  # as the Wayback Machine knows it, for the id_ URL
    timestamp: str  # 14 digits
    status: str
    digest: str

    @property
    def mobile(self) -> bool:
        """A ?m=1 mobile copy."""
        return bool(re.search(r"(^|&)m=1(&|$)", urlsplit(self.original).query))


def cdx_url(wayback: str, host: str, resume: str | None = None, limit: int = CDX_PAGE_ROWS) -> str:
    """One page of the CDX listing of every capture under a host (no collapse, no status filter)."""
    params = {"url": f"{host}/*", "output": "json", "fl": ",".join(CDX_FIELDS), "limit": str(limit),
              "showResumeKey": "true"}
    if resume:
        params["resumeKey"] = resume
    return f"{wayback.rstrip('/')}/cdx/search/cdx?{urlencode(params)}"


def parse_cdx(body: bytes) -> tuple[list[Capture], str | None, int]:
    """The captures of one CDX JSON page, the resume key of the next page (None at the end), and the number of
    rows that could not be read."""
    text = body.decode("utf-8", errors="replace").strip()
    if not text:
        return [], None, 0
    try:
        rows = json.loads(text)
    except RecursionError:
        raise ValueError("CDX answer nested too deep") from None
    if not isinstance(rows, list) or not rows:
        return [], None, 0
    header = rows[0] if isinstance(rows[0], list) and all(isinstance(c, str) for c in rows[0]) else []
    cols = {name: i for i, name in enumerate(header)} if set(CDX_FIELDS) <= set(header) else None
    if cols is None:  # no header row: the fields come in the order asked for
        cols = {name: i for i, name in enumerate(CDX_FIELDS)}
    else:
        rows = rows[1:]
    captures: list[Capture] = []
    resume = None
    bad = 0
    for i, row in enumerate(rows):
        if row == []:  # the rows end; the resume key follows
            nxt = rows[i + 1] if i + 1 < len(rows) else None
            resume = nxt[0] if isinstance(nxt, list) and nxt and isinstance(nxt[0], str) else None
            break
        try:
            ts, original, status, digest = (str(row[cols[name]]) for name in CDX_FIELDS)
        except (IndexError, KeyError, TypeError):
            bad += 1
            continue
        if not TIMESTAMP.match(ts) or not original or url_problem(original if "://" in original
                                                                   else "http://" + original):
            bad += 1
            continue
        key = normalise_url(re.sub(r":80(?=/|$)", "", original, count=1))
        captures.append(Capture(url=key, original=original, timestamp=ts, status=status, digest=digest))
    return captures, resume, bad


def wanted(url: str) -> bool:
    """Pages worth a capture: permalinks, month archives, the home page, feed pages."""
    path = urlsplit(url).path
    return bool(ITEM_PATH.match(path) or MONTH_PATH.match(path) or path in ("/", "") or path.startswith(FEED_PATH))


def choose(captures: list[Capture]) -> tuple[dict[str, Capture], list[str]]:
    """Per URL, the newest good capture; and the URLs that have captures but no good one (sorted)."""
    by_url: dict[str, list[Capture]] = {}
    for c in captures:
        if wanted(c.url):
            by_url.setdefault(c.url, []).append(c)
    chosen: dict[str, Capture] = {}
    without: list[str] = []
    for url, rows in sorted(by_url.items()):
        good_digests = {c.digest for c in rows if c.status == "200" and c.digest}
        good = [c for c in rows if c.status == "200" or c.status in ("-", "") and c.digest in good_digests]
        desktop = [c for c in good if not c.mobile]
        pool = desktop or good
        if pool:
            chosen[url] = max(pool, key=lambda c: (c.timestamp, c.original))
        else:
            without.append(url)
    return chosen, without


def served_timestamp(url: str, memento: str | None, asked: str) -> str:
    """The capture time the Wayback Machine actually served: it redirects to the nearest capture when the one
    asked for is missing."""
    m = re.search(r"/web/(\d{14})id_/", url)
    if m:
        return m.group(1)
    if memento:
        try:
            return parsedate_to_datetime(memento).strftime("%Y%m%d%H%M%S")
        except (TypeError, ValueError, IndexError, OverflowError):
            pass
    return asked


def list_captures(fetcher: Fetcher, wayback: str, host: str, stats: CrawlStats) -> list[Capture] | None:
    """Every CDX row of the host, page by page; None when the listing failed before its end."""
    captures: list[Capture] = []
    resume: str | None = None
    seen_keys: set[str] = set()
    while True:
        url = cdx_url(wayback, host, resume)
        try:
            resp = fetcher.fetch(url)
            if resp.status != 200:
                raise FetchError(f"{url}: HTTP {resp.status}")
            rows, resume, bad = parse_cdx(resp.body)
        except HostUnreachable:
            raise
        except (FetchError, ValueError) as exc:
            stats.failed += 1
            stats.errors.append(f"Wayback CDX listing of {host}: {exc}")
            log.warning("Wayback CDX listing of %s failed (%s); %d captures listed before", host, exc, len(captures))
            return None
        captures += rows
        if bad:
            log.warning("Wayback CDX listing of %s: %d rows unreadable; skipped", host, bad)
        if not resume:
            return captures
        if resume in seen_keys:
            log.warning("Wayback CDX listing of %s: the resume key repeats; listing stopped", host)
            return captures
        seen_keys.add(resume)


def crawl_wayback(fetcher: Fetcher, store: RawStore, host: str, config: CrawlConfig, stats: CrawlStats) -> None:
    """Store the newest good capture of every wanted URL of the host that the store does not hold yet."""
    wb = config.wayback_host.rstrip("/")
    captures = list_captures(fetcher, wb, host, stats)
    if captures is None:
        return
    chosen, without = choose(captures)
    stats.wayback_listed += len(chosen)
    stats.wayback_without += len(without)
    if without:
        log.warning("%s: %d archived URLs have no good (200) capture, only redirects or errors: %s%s", host,
                    len(without), ", ".join(without[:5]), " ..." if len(without) > 5 else "")
    for url, cap in sorted(chosen.items()):
        if cap.timestamp in store.captures(url):
            stats.wayback_held += 1
            continue
        if stats.fetched >= config.max_pages:
            stats.capped += 1
            continue
        wayback_url = f"{wb}/web/{cap.timestamp}id_/{cap.original}"
        try:
            resp = fetcher.fetch(wayback_url)
        except HostUnreachable:
            raise
        except FetchError as exc:
            stats.failed += 1
            stats.errors.append(str(exc))
            log.warning("%s", exc)
            continue
        stats.fetched += 1
        if resp.status != 200:
            stats.failed += 1
            stats.errors.append(f"{wayback_url}: HTTP {resp.status}")
            log.warning("%s: the capture answered HTTP %d; not stored", wayback_url, resp.status)
            continue
        served = served_timestamp(resp.url, resp.header("Memento-Datetime"), cap.timestamp)
        if served != cap.timestamp:
            log.warning("%s: the Wayback Machine served the capture of %s instead", wayback_url, served)
        if served in store.captures(url):
            stats.wayback_held += 1
            continue
        store.add(replace(resp, url=url, capture=served))
        stats.wayback_fetched += 1
    log.info("%s: Wayback: %d URLs with a good capture (%d fetched, %d already stored), %d without", host,
             len(chosen), stats.wayback_fetched, stats.wayback_held, len(without))
