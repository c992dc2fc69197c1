"""A polite HTTP client: robots.txt, a per-host delay, retries with backoff, caps, and host scope.

Defaults follow what crawlers that web archivists trust do (trafilatura, Scrapy with AutoThrottle):
a User-Agent that names the project and a contact, at least the configured delay between requests
to one host (a larger robots.txt Crawl-delay wins), retries of 429/5xx/timeouts honouring
Retry-After, redirects followed by hand and only within the allowed hosts, responses capped in size,
and truncated bodies never passed on as complete.
"""

from __future__ import annotations

import email.utils
import logging
import threading
import time
import urllib.robotparser
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urljoin, urlsplit

import requests

from pipeline.config import CrawlConfig
from pipeline.errors import FetchError
from pipeline.rawstore import RawResponse

log = logging.getLogger(__name__)

RETRY_STATUS = frozenset({429, 500, 502, 503, 504, 509, 520, 521, 522, 523, 524})


class Truncated(Exception):
    """The body ended before Content-Length said it would."""


@dataclass
class Throttle:
    """Per-host spacing of requests, shared by every crawler thread."""

    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    _next: dict[str, float] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def wait(self, host: str, delay: float) -> None:
        """Block until `delay` seconds have passed since the last request to `host`."""
        with self._lock:
            now = self.clock()
            at = max(now, self._next.get(host, now))
            self._next[host] = at + delay
        if at > now:
            self.sleep(at - now)


def retry_after(value: str | None, clock: Callable[[], float] = time.time) -> float | None:
    """Seconds to wait from a Retry-After header (seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - clock())


class Fetcher:
    """Fetches URLs politely within a set of allowed hosts."""

    def __init__(self, config: CrawlConfig, hosts: set[str], throttle: Throttle | None = None,
                 session: requests.Session | None = None) -> None:
        self.config = config
        self.hosts = {h.lower() for h in hosts}
        self.throttle = throttle or Throttle()
        self.session = session or requests.Session()
        self.session.headers["User-Agent"] = config.user_agent
        self.robots: dict[str, urllib.robotparser.RobotFileParser | None] = {}
        self.crawl_delay: dict[str, float] = {}
        self.requests = 0

    def in_scope(self, url: str) -> bool:
        """True for http(s) URLs on an allowed host."""
        parts = urlsplit(url)
        return parts.scheme in ("http", "https") and (parts.hostname or "").lower() in self.hosts

    def _robots(self, url: str) -> urllib.robotparser.RobotFileParser | None:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in self.robots:
            self.robots[origin] = None
            try:
                resp = self._get(origin + "/robots.txt", check_robots=False)
            except FetchError as exc:
                log.warning("%s/robots.txt: %s; crawling as if it allowed everything", origin, exc)
                resp = None
            if resp is not None and resp.status == 200:
                rp = urllib.robotparser.RobotFileParser()
                rp.parse(resp.body.decode("utf-8", errors="replace").splitlines())
                self.robots[origin] = rp
                delay = rp.crawl_delay(self.config.user_agent)
                if delay:
                    self.crawl_delay[parts.netloc.lower()] = float(delay)
            elif resp is not None and resp.status in (401, 403):
                rp = urllib.robotparser.RobotFileParser()
                rp.disallow_all = True
                self.robots[origin] = rp
        return self.robots[origin]

    def allowed(self, url: str) -> bool:
        """Does robots.txt let this crawler fetch the URL?"""
        rp = self._robots(url)
        return rp is None or rp.can_fetch(self.config.user_agent, url)

    def fetch(self, url: str) -> RawResponse:
        """GET a URL with retries; raise FetchError when it cannot be had or robots.txt forbids it."""
        if not self.allowed(url):
            raise FetchError(f"{url}: disallowed by robots.txt")
        return self._get(url, check_robots=True)

    def _get(self, url: str, check_robots: bool) -> RawResponse:
        cfg = self.config
        for _ in range(cfg.max_redirects + 1):
            resp = self._get_once(url)
            if resp.status in (301, 302, 303, 307, 308) and resp.header("Location"):
                target = urljoin(url, resp.header("Location") or "")
                if not self.in_scope(target):
                    raise FetchError(f"{url}: redirect to {target} leaves the crawl's scope; not followed")
                if check_robots and not self.allowed(target):
                    raise FetchError(f"{url}: redirect to {target} is disallowed by robots.txt")
                log.debug("%s redirects to %s", url, target)
                url = target
                continue
            return resp
        raise FetchError(f"{url}: more than {cfg.max_redirects} redirects")

    def _get_once(self, url: str) -> RawResponse:
        cfg = self.config
        host = (urlsplit(url).netloc or "").lower()
        last_error = ""
        for attempt in range(cfg.max_retries + 1):
            self.throttle.wait(host, max(cfg.delay, self.crawl_delay.get(host, 0.0)))
            wait = min(cfg.max_backoff, cfg.backoff * 2**attempt)
            try:
                self.requests += 1
                r = self.session.get(url, timeout=cfg.timeout, allow_redirects=False, stream=True)
                body = self._read(r)
            except (requests.Timeout, requests.ConnectionError, Truncated,
                    requests.exceptions.ChunkedEncodingError) as exc:
                last_error = f"{type(exc).__name__}: {exc}"
                log.warning("%s: %s (attempt %d/%d)", url, last_error, attempt + 1, cfg.max_retries + 1)
                if attempt < cfg.max_retries:
                    self.throttle.sleep(wait)
                continue
            if r.status_code in RETRY_STATUS:
                last_error = f"HTTP {r.status_code}"
                hinted = retry_after(r.headers.get("Retry-After"))
                log.warning("%s: HTTP %d (attempt %d/%d)", url, r.status_code, attempt + 1, cfg.max_retries + 1)
                if attempt < cfg.max_retries:
                    self.throttle.sleep(min(cfg.max_backoff, hinted) if hinted is not None else wait)
                continue
            return RawResponse(url=url, status=r.status_code, body=body, headers=list(r.headers.items()),
                               fetched=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"))
        raise FetchError(f"{url}: gave up after {cfg.max_retries + 1} attempts ({last_error})")

    def _read(self, r: requests.Response) -> bytes:
        cap = self.config.max_bytes
        chunks = []
        size = 0
        for chunk in r.iter_content(65536):
            size += len(chunk)
            if size > cap:
                r.close()
                raise FetchError(f"{r.url}: response larger than {cap} bytes; not stored")
            chunks.append(chunk)
        body = b"".join(chunks)
        expected = r.headers.get("Content-Length")
        if expected and expected.isdigit() and "Content-Encoding" not in r.headers and int(expected) != len(body):
            raise Truncated(f"got {len(body)} of {expected} bytes")
        return body
