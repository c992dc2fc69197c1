"""A polite HTTP client: robots.txt, a per-host delay, retries with backoff, caps, and host scope.

Defaults follow what crawlers that web archivists trust do (trafilatura, Scrapy with AutoThrottle):
a User-Agent that names the project and a contact, at least the configured delay between requests
to one host (a larger robots.txt Crawl-delay wins), retries of 429/5xx/timeouts honouring
Retry-After, redirects followed by hand and only within the allowed hosts, responses capped in size,
and truncated bodies never passed on as complete. A host name that does not resolve fails at once,
and every later request to it too (no retries: DNS answers do not improve in seconds).

Bodies are read as they came over the wire (after the chunked framing), checked against
Content-Length, then decoded here (gzip, deflate) with the same size cap, so a compressed body that
was cut short is caught and a decompression bomb stops at the cap. The headers kept with the decoded
payload are rewritten to describe it: Content-Encoding and Transfer-Encoding are dropped,
Content-Length is the stored length, and the received values are kept as ``X-Original-*`` headers.
"""

from __future__ import annotations

import email.utils
import logging
import re
import socket
import threading
import time
import urllib.robotparser
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import requests
import urllib3

from pipeline.config import CrawlConfig
from pipeline.errors import FetchError, InputError
from pipeline.rawstore import RawRequest, RawResponse, warc_now

log = logging.getLogger(__name__)

RETRY_STATUS = frozenset({429, 500, 502, 503, 504, 509, 520, 521, 522, 523, 524})
REDIRECT_STATUS = frozenset({301, 302, 303, 307, 308})
# Only the codings decoded here are asked for, so every body can be stored decoded.
ACCEPT_ENCODING = "gzip, deflate"
# A contact a site owner can use: an http(s) URL or an e-mail address.
CONTACT = re.compile(r"https?://[\w.-]+\.[a-z]{2,}\S*|[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}", re.I)


class Truncated(Exception):
    """The body ended before Content-Length (or its compressed stream) said it would, or was damaged."""


class HostUnreachable(FetchError):
    """The host name does not resolve: the blog's address is wrong or gone."""


def check_user_agent(user_agent: str) -> str:
    """The User-Agent to send, refused (InputError) unless it names a contact: a URL or an e-mail address."""
    ua = (user_agent or "").strip()
    if any(c in ua for c in "\r\n\0"):
        raise InputError(f"--user-agent {ua!r}: control characters are not allowed in a header")
    if not CONTACT.search(ua):
        raise InputError(f"--user-agent {ua!r} names no contact: add a URL (https://...) or an e-mail address "
                         "where site owners can reach you, e.g. 'mybot/1.0 (+https://example.org/bot)'")
    return ua


def _dns_failure(exc: BaseException) -> bool:
    """Is a NameResolutionError or socket.gaierror somewhere in this exception's causes?"""
    todo: list[object] = [exc]
    seen: set[int] = set()
    while todo:
        e = todo.pop()
        if not isinstance(e, BaseException) or id(e) in seen:
            continue
        seen.add(id(e))
        if isinstance(e, urllib3.exceptions.NameResolutionError | socket.gaierror):
            return True
        todo += [e.__cause__, e.__context__, getattr(e, "reason", None), *e.args]
    return False


def _inflate(data: bytes, wbits: int, cap: int) -> bytes:
    """Decompress a zlib/gzip stream (gzip members may follow each other), stopping at `cap` bytes."""
    out = bytearray()
    while True:
        d = zlib.decompressobj(wbits)
        try:
            out += d.decompress(data, cap + 1 - len(out))
        except zlib.error as exc:
            raise Truncated(f"damaged compressed body ({exc})") from None
        if len(out) > cap:
            raise FetchError(f"larger than {cap} bytes once decompressed; not stored")
        if not d.eof:
            raise Truncated("the compressed body ends before its end marker")
        data = d.unused_data
        if not data.startswith(b"\x1f\x8b") or wbits != 16 + zlib.MAX_WBITS:
            return bytes(out)  # trailing bytes that are no gzip member are ignored, as browsers do


def decode_payload(headers: list[tuple[str, str]], wire: bytes, cap: int) -> tuple[bytes, list[tuple[str, str]]]:
    """The payload to store and the headers that describe it, from the headers and bytes received.

    Content codings gzip and deflate are decoded; a coding not known here leaves body and headers as received.
    """
    low = [(k.lower(), v) for k, v in headers]
    codings = [c.strip().lower() for k, v in low if k == "content-encoding" for c in v.split(",")]
    codings = [c for c in codings if c and c != "identity"] if wire else []  # an empty body has nothing to decode
    chunked = any(k == "transfer-encoding" for k, _ in low)
    if any(c not in ("gzip", "x-gzip", "deflate") for c in codings):
        return wire, headers
    body = wire
    for coding in reversed(codings):
        if coding == "deflate":
            try:
                body = _inflate(body, zlib.MAX_WBITS, cap)
            except Truncated:  # servers send raw deflate as often as the zlib stream RFC 9110 asks for
                body = _inflate(body, -zlib.MAX_WBITS, cap)
        else:
            body = _inflate(body, 16 + zlib.MAX_WBITS, cap)
    if not codings and not chunked:
        return body, headers
    drop = {"transfer-encoding"} | ({"content-encoding", "content-length"} if codings else set())
    kept = [(k, v) for k, v in headers if k.lower() not in drop and k.lower() != "content-length"]
    original = [(f"X-Original-{k}", v) for k, v in headers if k.lower() in drop]
    return body, [*kept, ("Content-Length", str(len(body))), *original]


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
        self.user_agent = check_user_agent(config.user_agent)
        self.hosts = {h.lower() for h in hosts}
        self.throttle = throttle or Throttle()
        self.session = session or requests.Session()
        self.session.headers["User-Agent"] = self.user_agent
        self.session.headers["Accept-Encoding"] = ACCEPT_ENCODING
        self.robots: dict[str, urllib.robotparser.RobotFileParser | None] = {}
        self.crawl_delay: dict[str, float] = {}
        self.unresolved: dict[str, str] = {}  # host -> the DNS error, so it fails fast from then on
        self.requests = 0

    def in_scope(self, url: str) -> bool:
        """True for http(s) URLs on an allowed host."""
        parts = urlsplit(url)
        return parts.scheme in ("http", "https") and (parts.hostname or "").lower() in self.hosts

    def _robots(self, url: str) -> urllib.robotparser.RobotFileParser | None:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in self.robots:
            try:
                resp = self._get(origin + "/robots.txt", check_robots=False)
            except HostUnreachable:
                raise  # not a robots.txt question: the host is not there at all
            except FetchError as exc:
                log.warning("%s/robots.txt: %s; crawling as if it allowed everything", origin, exc)
                resp = None
            self.robots[origin] = None
            if resp is not None and resp.status == 200:
                rp = urllib.robotparser.RobotFileParser()
                rp.parse(resp.body.decode("utf-8", errors="replace").splitlines())
                self.robots[origin] = rp
                delay = rp.crawl_delay(self.user_agent)
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
        return rp is None or rp.can_fetch(self.user_agent, url)

    def fetch(self, url: str) -> RawResponse:
        """GET a URL with retries, following redirects; the final answer. FetchError when it cannot be had or
        robots.txt forbids it (HostUnreachable when the host name does not resolve)."""
        return self.fetch_chain(url)[-1]

    def fetch_chain(self, url: str) -> list[RawResponse]:
        """``fetch``, with every redirect answer before the final one (each is a response of its own URL)."""
        if not self.allowed(url):
            raise FetchError(f"{url}: disallowed by robots.txt")
        return self._chain(url, check_robots=True)

    def _get(self, url: str, check_robots: bool) -> RawResponse:
        return self._chain(url, check_robots)[-1]

    def _chain(self, url: str, check_robots: bool) -> list[RawResponse]:
        cfg = self.config
        hops: list[RawResponse] = []
        for _ in range(cfg.max_redirects + 1):
            resp = self._get_once(url)
            hops.append(resp)
            if resp.status in REDIRECT_STATUS and resp.header("Location"):
                target = urljoin(url, resp.header("Location") or "")
                if not self.in_scope(target):
                    raise FetchError(f"{url}: redirect to {target} leaves the crawl's scope; not followed")
                if check_robots and not self.allowed(target):
                    raise FetchError(f"{url}: redirect to {target} is disallowed by robots.txt")
                log.debug("%s redirects to %s", url, target)
                url = target
                continue
            return hops
        raise FetchError(f"{url}: more than {cfg.max_redirects} redirects")

    def _get_once(self, url: str) -> RawResponse:
        cfg = self.config
        host = (urlsplit(url).netloc or "").lower()
        if host in self.unresolved:
            raise HostUnreachable(f"{url}: {self.unresolved[host]}")
        last_error = ""
        for attempt in range(cfg.max_retries + 1):
            self.throttle.wait(host, max(cfg.delay, self.crawl_delay.get(host, 0.0)))
            wait = min(cfg.max_backoff, cfg.backoff * 2**attempt)
            try:
                self.requests += 1
                r = self.session.get(url, timeout=cfg.timeout, allow_redirects=False, stream=True)
                try:
                    wire = self._read(r)
                finally:
                    r.close()
                headers = list(r.raw.headers.items()) if r.raw is not None else list(r.headers.items())
                body, headers = decode_payload(headers, wire, cfg.max_bytes)
            except requests.ConnectionError as exc:
                if _dns_failure(exc):
                    self.unresolved[host] = f"host name {urlsplit(url).hostname} does not resolve (DNS)"
                    raise HostUnreachable(f"{url}: {self.unresolved[host]}") from None
                last_error = f"{type(exc).__name__}: {exc}"
            except (requests.Timeout, Truncated, requests.exceptions.ChunkedEncodingError,
                    urllib3.exceptions.HTTPError, OSError) as exc:
                last_error = f"{type(exc).__name__}: {exc}"
            else:
                if r.status_code in RETRY_STATUS:
                    last_error = f"HTTP {r.status_code}"
                    hinted = retry_after(r.headers.get("Retry-After"))
                    log.warning("%s: HTTP %d (attempt %d/%d)", url, r.status_code, attempt + 1, cfg.max_retries + 1)
                    if attempt < cfg.max_retries:
                        self.throttle.sleep(min(cfg.max_backoff, hinted) if hinted is not None else wait)
                    continue
                sent = RawRequest(url=url, headers=[(k, str(v)) for k, v in r.request.headers.items()])
                return RawResponse(url=url, status=r.status_code, body=body, headers=headers, fetched=warc_now(),
                                   request=sent)
            log.warning("%s: %s (attempt %d/%d)", url, last_error, attempt + 1, cfg.max_retries + 1)
            if attempt < cfg.max_retries:
                self.throttle.sleep(wait)
        raise FetchError(f"{url}: gave up after {cfg.max_retries + 1} attempts ({last_error})")

    def _read(self, r: requests.Response) -> bytes:
        """The body as it came over the wire (chunked framing removed), capped, checked against Content-Length."""
        cap = self.config.max_bytes
        chunks = []
        size = 0
        stream = r.raw.stream(65536, decode_content=False) if r.raw is not None else r.iter_content(65536)
        for chunk in stream:
            size += len(chunk)
            if size > cap:
                raise FetchError(f"{r.url}: response larger than {cap} bytes; not stored")
            chunks.append(chunk)
        body = b"".join(chunks)
        expected = (r.headers.get("Content-Length") or "").strip()
        if expected.isdigit() and "Transfer-Encoding" not in r.headers and int(expected) != len(body):
            raise Truncated(f"got {len(body)} of {expected} bytes")
        return body
