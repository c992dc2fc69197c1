"""A polite HTTP client: robots.txt, a per-host delay, retries with backoff, caps, and host scope.

Defaults follow what crawlers that web archivists trust do (trafilatura, Scrapy with AutoThrottle):
a User-Agent that names the project and a contact, at least the configured delay between requests
to one host (a larger robots.txt Crawl-delay wins, up to a cap), retries of 429/5xx/timeouts honouring
Retry-After, redirects followed by hand and only within the same origin, responses capped in size and
in time, and truncated bodies never passed on as complete. A host name that does not resolve fails at
once, and every later request to it too (no retries: DNS answers do not improve in seconds).

robots.txt as RFC 9309 says: an answer of 4xx means there is none (everything allowed); 5xx (after the
retries) or no answer at all (refused, reset, timed out) means everything is disallowed, since the site may
be struggling; each said in a warning. A Crawl-delay above ``max_crawl_delay`` is capped, with a warning.

Redirects are followed only to the same scheme, host and port, or between the http and https forms of the
same host on their default ports (``http://x/`` to ``https://x/``); any other is refused and reported. Every
attempt has a total deadline (``CrawlConfig.deadline``) besides the per-read timeout: a server that sends a
byte a second is cut off at the deadline (its socket shut down by a timer), and the attempt counts as failed.
URLs that no HTTP library should be handed (no host, a bad port, an invalid IPv6 address, control
characters) are refused before any request.

Bodies are read as they came over the wire (after the chunked framing), checked against
Content-Length, then decoded (``payload.decode_payload``: gzip, deflate) with the same size cap, so a
compressed body that was cut short is caught and a decompression bomb stops at the cap. The headers kept
with the decoded payload are rewritten to describe it: Content-Encoding and Transfer-Encoding are
dropped, Content-Length is the stored length, and the received values are kept as ``X-Original-*``
headers.
"""

from __future__ import annotations

import contextlib
import email.utils
import logging
import re
import socket
import threading
import time
import urllib.robotparser
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import requests
import requests.adapters
import urllib3
import urllib3.connection

from pipeline.config import CrawlConfig
from pipeline.errors import FetchError, InputError
from pipeline.payload import Truncated, decode_payload
from pipeline.rawstore import RawRequest, RawResponse, warc_now

log = logging.getLogger(__name__)


class _NoTraceback(logging.Filter):
    """urllib3 logs headers it could not parse with a traceback (a server that stops mid-header, one cut at the
    deadline); the fetcher reports the failure itself, so its log line is kept without the traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.exc_info = None
        record.exc_text = None
        return True


logging.getLogger("urllib3.connection").addFilter(_NoTraceback())

RETRY_STATUS = frozenset({429, 500, 502, 503, 504, 509, 520, 521, 522, 523, 524})
REDIRECT_STATUS = frozenset({301, 302, 303, 307, 308})
# Only the codings decoded here are asked for, so every body can be stored decoded.
ACCEPT_ENCODING = "gzip, deflate"
# A contact a site owner can use: an http(s) URL or an e-mail address.
CONTACT = re.compile(r"https?://[\w.-]+\.[a-z]{2,}\S*|[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}", re.I)


class HostUnreachable(FetchError):
    """The host name does not resolve: the blog's address is wrong or gone."""


class Unreachable(FetchError):
    """No usable answer after the retries: network errors, timeouts, the deadline, or 429/5xx answers."""


ROBOTS_MAX = 500 * 1024  # RFC 9309: parse at least the first 500 KiB
MAX_URL = 2048  # as the sitemaps protocol allows; Blogger permalinks are far shorter
DEFAULT_PORT = {"http": 80, "https": 443}
CONTROL = re.compile(r"[\x00-\x20\x7f]")


def url_problem(url: object) -> str | None:
    """Why a URL cannot be fetched (None when it can): not http(s), no host, a port or IPv6 address no parser
    accepts, white space or control characters, characters no URL can carry, or absurd length."""
    if not isinstance(url, str) or not url:
        return "no URL"
    if len(url) > MAX_URL:
        return f"longer than {MAX_URL} characters"
    if CONTROL.search(url):
        return "white space or control characters in it"
    try:
        url.encode("utf-8")
        parts = urlsplit(url)
        parts.port  # noqa: B018 (raises ValueError for a port that is no number or out of range)
        host = parts.hostname
    except (ValueError, UnicodeError) as exc:
        return str(exc) or type(exc).__name__
    if parts.scheme not in DEFAULT_PORT:
        return f"scheme {parts.scheme or 'none'!r} is not http(s)"
    if not host:
        return "no host"
    return None


def _origin(url: str) -> tuple[str, str, int]:
    parts = urlsplit(url)
    return parts.scheme, (parts.hostname or "").lower(), parts.port or DEFAULT_PORT.get(parts.scheme, 0)


def same_site(src: str, dst: str) -> bool:
    """May a redirect from `src` lead to `dst`? Same scheme, host and port; or the same host's http and https
    forms, each on its default port."""
    a, b = _origin(src), _origin(dst)
    return a == b or a[1] == b[1] and {(a[0], a[2]), (b[0], b[2])} == {("http", 80), ("https", 443)}


# -- the total deadline of a response: a timer that shuts down the sockets of the attempt when it runs out

_current = threading.local()


class _Watch:
    """The connections of one attempt, and the timer that cuts them at the deadline."""

    def __init__(self, seconds: float) -> None:
        self.conns: list[urllib3.connection.HTTPConnection] = []
        self.expired = False
        self._lock = threading.Lock()
        self.timer = threading.Timer(seconds, self._expire)
        self.timer.daemon = True

    def add(self, conn: urllib3.connection.HTTPConnection) -> None:
        with self._lock:
            self.conns.append(conn)
            if self.expired:
                _cut(conn)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for conn in self.conns:
                _cut(conn)

    def __enter__(self) -> _Watch:
        _current.watch = self
        self.timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.timer.cancel()
        _current.watch = None


def _cut(conn: urllib3.connection.HTTPConnection) -> None:
    sock = getattr(conn, "sock", None)
    if sock is not None:
        with contextlib.suppress(OSError):  # closed already
            sock.shutdown(socket.SHUT_RDWR)  # a blocked read returns at once


def _watched(cls: type) -> type:
    class Watched(cls):  # type: ignore[valid-type, misc]
        def request(self, *args: object, **kwargs: object) -> object:
            watch = getattr(_current, "watch", None)
            if watch is not None:
                watch.add(self)
            return super().request(*args, **kwargs)

    Watched.__name__ = f"Watched{cls.__name__}"
    return Watched


class _HTTPPool(urllib3.HTTPConnectionPool):
    ConnectionCls = _watched(urllib3.connection.HTTPConnection)


class _HTTPSPool(urllib3.HTTPSConnectionPool):
    ConnectionCls = _watched(urllib3.connection.HTTPSConnection)


class DeadlineAdapter(requests.adapters.HTTPAdapter):
    """requests' adapter whose connections the deadline timer of the current attempt can cut."""

    def init_poolmanager(self, *args: object, **kwargs: object) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {"http": _HTTPPool, "https": _HTTPSPool}


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
    except (TypeError, ValueError, IndexError, OverflowError):
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
        for scheme in ("http://", "https://"):
            self.session.mount(scheme, DeadlineAdapter())
        self.session.headers["User-Agent"] = self.user_agent
        self.session.headers["Accept-Encoding"] = ACCEPT_ENCODING
        self.robots: dict[str, urllib.robotparser.RobotFileParser | None] = {}
        self.robots_note: dict[str, str] = {}  # origin -> why everything is disallowed there
        self.crawl_delay: dict[str, float] = {}
        self.unresolved: dict[str, str] = {}  # host -> the DNS error, so it fails fast from then on
        self.requests = 0

    def in_scope(self, url: str) -> bool:
        """True for http(s) URLs on an allowed host (never an error, whatever the string)."""
        if url_problem(url):
            return False
        parts = urlsplit(url)
        return parts.scheme in ("http", "https") and (parts.hostname or "").lower() in self.hosts

    def _robots(self, url: str) -> urllib.robotparser.RobotFileParser | None:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in self.robots:
            self.robots[origin] = self._read_robots(origin, parts.netloc.lower())
        return self.robots[origin]

    def _read_robots(self, origin: str, netloc: str) -> urllib.robotparser.RobotFileParser | None:
        """The rules of an origin's robots.txt (None: everything allowed), as RFC 9309 says."""
        try:
            resp = self._get(origin + "/robots.txt", check_robots=False)
        except HostUnreachable:
            raise  # not a robots.txt question: the host is not there at all
        except Unreachable as exc:
            self.robots_note[origin] = f"robots.txt could not be had ({exc})"
            log.warning("%s/robots.txt: no answer (%s); as RFC 9309 says, nothing on %s is crawled", origin, exc,
                        origin)
            return _disallow_all()
        except FetchError as exc:  # a redirect refused, too many of them: unavailable, as a 4xx
            log.warning("%s/robots.txt: %s; taken as unavailable (RFC 9309): everything allowed", origin, exc)
            return None
        if 200 <= resp.status < 300:
            return self._parse_robots(origin, netloc, resp.body)
        if 400 <= resp.status < 500:
            if resp.status != 404:
                log.warning("%s/robots.txt answers %d: taken as no robots.txt (RFC 9309): everything allowed",
                            origin, resp.status)
            return None
        self.robots_note[origin] = f"robots.txt answered HTTP {resp.status}"
        log.warning("%s/robots.txt answers %d; as RFC 9309 says, nothing on %s is crawled", origin, resp.status,
                    origin)
        return _disallow_all()

    def _parse_robots(self, origin: str, netloc: str, body: bytes) -> urllib.robotparser.RobotFileParser:
        lines = body[:ROBOTS_MAX].decode("utf-8", errors="replace").splitlines()
        rp = urllib.robotparser.RobotFileParser()
        try:
            rp.parse(lines)
        except ValueError:  # a Crawl-delay or Request-rate of thousands of digits, or digits int() refuses
            log.warning("%s/robots.txt: a Crawl-delay or Request-rate that is no number; those lines ignored", origin)
            rp = urllib.robotparser.RobotFileParser()
            rp.parse([ln for ln in lines if ln.split(":")[0].strip().lower() not in ("crawl-delay", "request-rate")])
        delay = rp.crawl_delay(self.user_agent)
        if delay:
            seconds = float(delay)
            cap = self.config.max_crawl_delay
            if seconds > cap:
                log.warning("%s/robots.txt asks for a Crawl-delay of %g s; capped at %g s (max_crawl_delay)", origin,
                            seconds, cap)
                seconds = cap
            self.crawl_delay[netloc] = seconds
        return rp

    def allowed(self, url: str) -> bool:
        """Does robots.txt let this crawler fetch the URL? (False for a URL that cannot be fetched at all.)"""
        if url_problem(url):
            return False
        rp = self._robots(url)
        return rp is None or rp.can_fetch(self.user_agent, url)

    def fetch(self, url: str) -> RawResponse:
        """GET a URL with retries, following redirects; the final answer. FetchError when it cannot be had or
        robots.txt forbids it (HostUnreachable when the host name does not resolve)."""
        return self.fetch_chain(url)[-1]

    def fetch_chain(self, url: str) -> list[RawResponse]:
        """``fetch``, with every redirect answer before the final one (each is a response of its own URL)."""
        if problem := url_problem(url):
            raise FetchError(f"{url[:200]!r}: not a URL that can be fetched ({problem})")
        if not self.allowed(url):
            parts = urlsplit(url)
            note = self.robots_note.get(f"{parts.scheme}://{parts.netloc}")
            raise FetchError(f"{url}: disallowed by robots.txt" + (f" ({note}: RFC 9309)" if note else ""))
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
                location = resp.header("Location") or ""
                try:
                    target = urljoin(url, location.strip())
                except ValueError:
                    target = location
                if problem := url_problem(target):
                    raise FetchError(f"{url}: redirect to {location[:200]!r}, which is no URL ({problem}); "
                                     "not followed")
                if not self.in_scope(target) or not same_site(url, target):
                    raise FetchError(f"{url}: redirect to {target} leaves the blog's origin (scheme, host and port); "
                                     "not followed")
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
                with _Watch(cfg.deadline) as watch:
                    try:
                        r = self.session.get(url, timeout=cfg.timeout, allow_redirects=False, stream=True)
                        try:
                            wire = self._read(r)
                        finally:
                            r.close()
                    finally:
                        # A body read to a connection the timer closed may look whole: it is not.
                        if watch.expired:
                            raise Truncated(f"no complete answer within the deadline of {cfg.deadline:g} s")
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
            except (requests.RequestException, ValueError) as exc:
                # A URL or header requests refuses, a Location it cannot parse even to not follow it (requests
                # reads it for Response.next): no retry will help.
                raise FetchError(f"{url}: unusable answer ({type(exc).__name__}: {str(exc)[:200]})") from None
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
        raise Unreachable(f"{url}: gave up after {cfg.max_retries + 1} attempts ({last_error})")

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


def _disallow_all() -> urllib.robotparser.RobotFileParser:
    rp = urllib.robotparser.RobotFileParser()
    rp.disallow_all = True
    return rp
