"""Append-only raw store of HTTP responses as WARC (ISO 28500) files, read back offline.

A store is a directory of ``*.warc.gz`` files. Each record is its own gzip member; the records of one
fetch (a ``response`` and its ``request``, every hop of a redirect) are written with one ``write`` and
an ``fsync``, so a crawl killed at any point loses at most the fetch being written. Files are read record
by record without trusting sizes (``warcscan``): readers skip torn or damaged parts, naming them, and read
every whole record; opening the store for writing cuts a torn tail off (a damaged one is first saved beside
the file), so that appending resumes after the last whole record.

What the records hold (as WARC 1.0 expects): every writing session starts with a ``warcinfo`` record
(software, format, crawl settings) that its records name in ``WARC-Warcinfo-ID``; a ``response`` record
holds the HTTP status line, headers and payload; a ``request`` record holds the request that was sent
and names its response in ``WARC-Concurrent-To``. The payload is stored decoded (no transfer or content
coding); the fetcher rewrites ``Content-Encoding``, ``Transfer-Encoding`` and ``Content-Length`` to match
it and keeps the received values as ``X-Original-*`` headers. A Wayback copy is stored under the URL the
blog had (its original URL) with the 14-digit capture time in ``WARC-X-Wayback-Capture``.

A WARC is append-only, so a page fetched again is stored again. Readers see one copy per URL, the
newest (``iter_raw``); ``iter_records`` gives every stored response, superseded ones included, and
``iter_superseded`` the older copies alone. A payload still encoded (stored by another tool or an older
version) is decoded when read, and what is wrong with it (cut short) is said in ``RawResponse.problem``.
"""

from __future__ import annotations

import base64
import hashlib
import io
import logging
import os
import re
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from http import HTTPStatus
from pathlib import Path
from urllib.parse import urlsplit

from warcio.statusandheaders import StatusAndHeaders, StatusAndHeadersParser, StatusAndHeadersParserException
from warcio.warcwriter import WARCWriter

from pipeline import __version__
from pipeline.errors import InputError
from pipeline.payload import stored_payload
from pipeline.warcscan import Problem, Record, Scan, read_record_at, read_records

log = logging.getLogger(__name__)

WARC_NAME = "crawl.warc.gz"
CAPTURE_HEADER = "WARC-X-Wayback-Capture"
SOFTWARE = f"rightspasia-pipeline/{__version__}"
# A stored payload that is still compressed is decoded up to this size (the crawler's cap is 20 MB).
MAX_BODY = 64 << 20
HTTP_HEADERS = StatusAndHeadersParser(["HTTP/1.0", "HTTP/1.1", "HTTP/2", "HTTP/2.0"], verify=False)


@dataclass
class RawRequest:
    """The HTTP request that produced a response: the URL asked for and the headers sent."""

    url: str
    headers: list[tuple[str, str]] = field(default_factory=list)
    method: str = "GET"


@dataclass
class RawResponse:
    """One stored HTTP response."""

    url: str
    status: int
    body: bytes
    headers: list[tuple[str, str]] = field(default_factory=list)
    fetched: str = ""
    capture: str | None = None  # Wayback timestamp (14 digits) when the body is an archived copy
    request: RawRequest | None = None  # what was sent (for a Wayback copy: the id_ URL); None when not known
    problem: str | None = None  # read back from a store: what is wrong with the stored payload (cut short, ...)

    def header(self, name: str) -> str | None:
        """The first header of that name, case-insensitive."""
        low = name.lower()
        return next((v for k, v in self.headers if k.lower() == low), None)

    @property
    def content_type(self) -> str:
        """The media type without parameters, lower case."""
        return (self.header("Content-Type") or "").split(";")[0].strip().lower()


def warc_now() -> str:
    """The current time as a WARC-Date (UTC, seconds)."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def time14(warc_date: str) -> str:
    """A WARC-Date (``2025-01-15T10:00:00Z``) as the 14 digits Wayback uses (``20250115100000``)."""
    return re.sub(r"\D", "", warc_date)[:14].ljust(14, "0")


def content_time(resp: RawResponse) -> str:
    """When the content of a response was current, as 14 digits: the capture time of a Wayback copy, else the
    time it was fetched. Copies of one page or post compare by this."""
    return resp.capture or time14(resp.fetched)


@dataclass(frozen=True)
class Entry:
    """Where one stored response is, and what is known of it without reading its body."""

    url: str
    status: int
    fetched: str
    capture: str | None
    digest: str
    file: int  # index into the store's file list
    offset: int
    seq: int = -1  # the how-many-th response record of its file (from 0), when read by a pass over the file
    part: int = 0  # the how-many-th record of its gzip member (files gzipped as a whole hold several)

    @property
    def time(self) -> str:
        """The content time (see ``content_time``)."""
        return self.capture or time14(self.fetched)


def _order(e: Entry) -> tuple[str, int, int]:
    return (e.time, e.file, e.offset)


def newest(entries: Iterable[Entry]) -> Entry | None:
    """The copy of one URL that readers see.

    The newest response wins, by content time (a Wayback copy counts at its capture time, a live answer at
    its fetch time; ties go to the one stored last). A live answer wins whatever its status: a page that now
    answers 404 or 301 is no longer what it was. But a live error answer never hides a Wayback copy: the
    capture is the record of what the page said while it was alive.
    """
    entries = list(entries)
    if not entries:
        return None
    live = [e for e in entries if not e.capture]
    captures = [e for e in entries if e.capture]
    head_live = max(live, key=_order) if live else None
    head_capture = max(captures, key=_order) if captures else None
    if head_live is None or head_capture is None:
        return head_live or head_capture
    if head_live.status != 200 and head_capture.status == 200:
        return head_capture
    return max((head_live, head_capture), key=_order)


def _warc_files(path: Path) -> list[Path]:
    if path.is_file():
        return [path]
    if path.is_dir():
        return sorted(p for p in path.iterdir() if p.name.endswith((".warc.gz", ".warc")) and p.is_file())
    raise InputError(f"{path}: raw store not found (expected a directory of .warc.gz files or one such file)")


def _records(files: list[Path], scans: list[Scan] | None = None,
             only: Iterable[int] | None = None) -> Iterator[tuple[int, Record]]:
    """(file index, record) for every whole record of the files (with `only`, of those files), in order; each
    file's Scan goes to `scans`."""
    wanted = None if only is None else set(only)
    for n, wf in enumerate(files):
        if wanted is not None and n not in wanted or not wf.exists():  # not asked for; the file a new store writes
            continue
        scan = Scan(wf)
        try:
            for rec in read_records(wf, scan):
                yield n, rec
        except OSError as exc:
            scan.problems.append(Problem(scan.good_end, max(0, scan.size - scan.good_end), f"cannot read: {exc}",
                                         torn=False))
        if scans is not None:
            scans.append(scan)


def log_problems(scans: Iterable[Scan]) -> None:
    """A warning for every torn or damaged part of the files read (readers skip them and read the rest)."""
    for scan in scans:
        for p in scan.problems:
            log.warning("%s; %s", p.describe(scan.path),
                        "the records before it are read" if p.torn else "skipped to the next whole record")


def _status(block: bytes) -> int:
    parts = block[:256].split(b"\r\n", 1)[0].split()  # b"HTTP/1.1 200 OK"
    return int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 0


def _index(files: list[Path], scans: list[Scan] | None = None) -> Iterator[Entry]:
    """Every response record of the files, without decoding bodies (warcinfo and request records skipped)."""
    seq: dict[int, int] = {}
    for n, rec in _records(files, scans):
        if rec.type != "response":
            continue
        yield Entry(url=rec.header("WARC-Target-URI") or "", status=_status(rec.block),
                    fetched=rec.header("WARC-Date") or "", capture=rec.header(CAPTURE_HEADER),
                    digest=rec.header("WARC-Payload-Digest") or "", file=n, offset=rec.offset,
                    seq=seq.setdefault(n, 0), part=rec.part)
        seq[n] += 1


def _response(rec: Record) -> RawResponse:
    """A response record as a RawResponse: HTTP status and headers, the payload decoded where it still is encoded
    (what is wrong with it, such as a gzip stream cut short, in ``problem``)."""
    stream = io.BytesIO(rec.block)
    status, headers = 0, []
    try:
        http = HTTP_HEADERS.parse(stream)
        headers = list(http.headers)
        status = int(http.get_statuscode())
    except (StatusAndHeadersParserException, ValueError, TypeError, IndexError, UnicodeError):
        stream.seek(0)
        status = _status(rec.block)
    body, problem = stored_payload(headers, stream.read(), MAX_BODY)
    return RawResponse(url=rec.header("WARC-Target-URI") or "", status=status, body=body, headers=headers,
                       fetched=rec.header("WARC-Date") or "", capture=rec.header(CAPTURE_HEADER), problem=problem)


def _read_at(path: Path, offset: int, part: int = 0) -> RawResponse | None:
    rec = read_record_at(path, offset, part)
    return None if rec is None else _response(rec)


def iter_records(path: str | Path) -> Iterator[RawResponse]:
    """Every stored response of a store directory or WARC file, superseded copies included, in file and record
    order (warcinfo and request records skipped; torn and damaged parts skipped and logged)."""
    files = _warc_files(Path(path))
    scans: list[Scan] = []
    for _, rec in _records(files, scans):
        if rec.type == "response":
            yield _response(rec)
    log_problems(scans)


def _iter_responses(files: list[Path], only: dict[int, set[int]] | None) -> Iterator[RawResponse]:
    """The response records of the files, in order; with `only`, the given ones (by ``Entry.seq``) of each file."""
    seq: dict[int, int] = {}
    for n, rec in _records(files, None, None if only is None else [i for i, s in only.items() if s]):
        if rec.type != "response":
            continue
        k = seq.setdefault(n, 0)
        seq[n] += 1
        if only is None or k in only[n]:
            yield _response(rec)


def _chosen(files: list[Path], scans: list[Scan] | None) -> tuple[dict[str, list[Entry]], dict[int, set[int]]]:
    """Every URL's entries, and the entries readers see (by file and ``Entry.seq``)."""
    by_url: dict[str, list[Entry]] = {}
    for e in _index(files, scans):
        by_url.setdefault(e.url, []).append(e)
    only: dict[int, set[int]] = {}
    for entries in by_url.values():
        if (w := newest(entries)) is not None:
            only.setdefault(w.file, set()).add(w.seq)
    return by_url, only


def iter_raw(path: str | Path, scans: list[Scan] | None = None) -> Iterator[RawResponse]:
    """The store as readers should see it: the newest stored response of each URL (see ``newest``), in file and
    record order. A page fetched again on an update run replaces its older copies; those stay in the WARC.

    The files are indexed before this returns: torn or damaged parts are logged then, and each file's ``Scan``
    goes to `scans` (how many whole records it held, what could not be read)."""
    files = _warc_files(Path(path))
    own: list[Scan] = []
    by_url, only = _chosen(files, own)
    log_problems(own)
    if scans is not None:
        scans += own
    superseded = sum(len(es) for es in by_url.values()) - sum(len(s) for s in only.values())
    if superseded:
        log.info("%s: %d older copies of re-fetched pages superseded by newer ones", path, superseded)
    return _iter_responses(files, only)


def iter_superseded(path: str | Path, want: Callable[[str], bool]) -> Iterator[RawResponse]:
    """The stored responses readers do not see (older copies of re-fetched pages) whose URL `want` accepts, in file
    and record order."""
    files = _warc_files(Path(path))
    by_url, newest_only = _chosen(files, None)
    only: dict[int, set[int]] = {}
    for url, entries in by_url.items():
        if len(entries) > 1 and want(url):
            for e in entries:
                if e.seq not in newest_only.get(e.file, ()):
                    only.setdefault(e.file, set()).add(e.seq)
    return _iter_responses(files, only) if only else iter(())


def live_statuses(path: str | Path) -> dict[str, int]:
    """The status of the newest live (not Wayback) response of each stored URL: 404 or 410 means the page is gone
    now, whatever older copies say."""
    heads: dict[str, Entry] = {}
    for e in _index(_warc_files(Path(path))):
        if not e.capture and (e.url not in heads or _order(e) >= _order(heads[e.url])):
            heads[e.url] = e
    return {url: e.status for url, e in heads.items()}


def _free_name(path: Path) -> Path:
    n = 1
    candidate = path
    while candidate.exists() or candidate.is_symlink():
        n += 1
        candidate = path.with_name(f"{path.name}.{n}")
    return candidate


def _write_durably(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    with tmp.open("wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def payload_digest(body: bytes) -> str:
    """The WARC-Payload-Digest of a body, as warcio writes it."""
    return "sha1:" + base64.b32encode(hashlib.sha1(body).digest()).decode("ascii")


def _record_id(*parts: str | bytes) -> str:
    h = hashlib.sha1()
    for p in parts:
        h.update(p if isinstance(p, bytes) else p.encode("utf-8"))
        h.update(b"\0")
    return f"<urn:uuid:{uuid.UUID(h.hexdigest()[:32])}>"


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"


def _request_line(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return target, parts.netloc


class RawStore:
    """A writable raw store; knows which URLs it holds (and when they were fetched) so a crawl can resume."""

    def __init__(self, path: str | Path, name: str = WARC_NAME, info: Mapping[str, str] | None = None) -> None:
        """`info`: fields of the warcinfo record that starts this session's records (crawl settings, a
        description of what the store is), after ``software``, ``format`` and ``conformsTo``."""
        self.path = Path(path)
        if self.path.exists() and not self.path.is_dir():
            raise InputError(f"{self.path}: raw store must be a directory")
        self.path.mkdir(parents=True, exist_ok=True)
        self.file = self.path / name
        self.info = dict(info or {})
        self._lock = threading.Lock()
        self._warcinfo_id: str | None = None
        if self.file.exists() and not self.file.is_file():
            raise InputError(f"{self.file}: exists and is not a regular file; the raw store cannot append to it")
        self._files = _warc_files(self.path)
        if self.file not in self._files:
            self._files.append(self.file)
        self._entries: dict[str, list[Entry]] = {}
        scans: list[Scan] = []
        for e in _index(self._files, scans):
            self._entries.setdefault(e.url, []).append(e)
        log_problems(s for s in scans if s.path != self.file)
        for scan in scans:
            if scan.path == self.file:
                self._repair(scan)

    def _repair(self, scan: Scan) -> None:
        """Make the end of the file a record boundary before anything is appended.

        A torn tail (the file ends inside a record: a write cut short) is cut off. Damage at the end (bytes that
        are no record, with no whole record after them) is cut off too, after its bytes are saved beside the
        file (``<name>.damaged-<offset>``, which readers do not read). Damage followed by whole records stays
        where it is: readers skip it, and appending after the last record harms nothing.
        """
        for p in scan.problems:
            if p.offset + p.size < scan.size:
                log.warning("%s; readers skip it and read the records after it; the file is left as it is",
                            p.describe(scan.path))
        tail = scan.torn_tail
        if tail is None:
            return
        saved = ""
        if not tail.torn:
            side = _free_name(self.file.with_name(f"{self.file.name}.damaged-{tail.offset}"))
            with self.file.open("rb") as src:
                src.seek(tail.offset)
                _write_durably(side, src.read(tail.size))
            saved = f"; the bytes are saved in {side.name}"
        with self.file.open("r+b") as fh:
            fh.truncate(tail.offset)
            fh.flush()
            os.fsync(fh.fileno())
        log.warning("%s; cut off: the file now ends after its last whole record%s", tail.describe(scan.path), saved)

    # -- what the store holds

    def __contains__(self, url: str) -> bool:
        return url in self._entries

    @property
    def status(self) -> dict[str, int]:
        """The status of the copy readers see, per stored URL."""
        return {url: w.status for url, es in self._entries.items() if (w := newest(es)) is not None}

    def live(self, url: str) -> Entry | None:
        """The newest live (not Wayback) response stored for a URL."""
        live = [e for e in self._entries.get(url, ()) if not e.capture]
        return max(live, key=_order) if live else None

    def captures(self, url: str) -> set[str]:
        """The capture times of the Wayback copies stored for a URL."""
        return {e.capture for e in self._entries.get(url, ()) if e.capture}

    def urls(self) -> list[str]:
        """Every URL with a stored response, in the order first stored."""
        return list(self._entries)

    def get(self, url: str) -> RawResponse | None:
        """The newest live response stored for a URL (else the copy readers see), read back from the WARC."""
        e = self.live(url) or newest(self._entries.get(url, ()))
        return None if e is None else _read_at(self._files[e.file], e.offset, e.part)

    def same_as_stored(self, resp: RawResponse) -> bool:
        """Does the newest live copy of this URL already hold this status and body? (Then storing it again adds
        nothing.)"""
        e = self.live(resp.url)
        return e is not None and e.status == resp.status and e.digest == payload_digest(resp.body)

    # -- writing

    def add(self, resp: RawResponse) -> None:
        """Append one response (and its request record, when known) durably."""
        self.add_chain([resp])

    def add_chain(self, chain: list[RawResponse]) -> None:
        """Append the responses of one fetch (every hop of a redirect, the final answer last) in one write."""
        if not chain:
            return
        chain = [r if r.fetched else replace(r, fetched=warc_now()) for r in chain]
        with self._lock:
            with self.file.open("ab") as fh:
                offset = fh.seek(0, os.SEEK_END)
                buf = io.BytesIO()
                writer = WARCWriter(buf, gzip=True)
                if self._warcinfo_id is None:
                    self._warcinfo_id = self._write_warcinfo(writer, buf, chain[0].fetched)
                placed = []
                for resp in chain:
                    start = offset + buf.tell()
                    self._write_response(writer, resp, start)
                    placed.append((resp, start))
                fh.write(buf.getvalue())
                fh.flush()
                os.fsync(fh.fileno())
            n = self._files.index(self.file)
            for resp, start in placed:
                e = Entry(url=resp.url, status=resp.status, fetched=resp.fetched, capture=resp.capture,
                          digest=payload_digest(resp.body), file=n, offset=start)
                self._entries.setdefault(resp.url, []).append(e)

    def _write_warcinfo(self, writer: WARCWriter, buf: io.BytesIO, date: str) -> str:
        fields = {"software": SOFTWARE, "format": "WARC File Format 1.0",
                  "conformsTo": "http://bibnum.bnf.fr/WARC/WARC_ISO_28500_version1_latestdraft.pdf", **self.info}
        payload = "".join(f"{k}: {v}\r\n" for k, v in fields.items() if v not in (None, "")).encode("utf-8")
        rec_id = _record_id("warcinfo", self.file.name, date, payload)
        record = writer.create_warc_record(
            "", "warcinfo", payload=io.BytesIO(payload), length=len(payload),
            warc_content_type="application/warc-fields",
            warc_headers_dict={"WARC-Date": date, "WARC-Record-ID": rec_id, "WARC-Filename": self.file.name})
        writer.write_record(record)
        return rec_id

    def _write_response(self, writer: WARCWriter, resp: RawResponse, offset: int) -> None:
        fetched = resp.fetched
        # Record ids derived from what the record holds and where it goes, so rebuilding a store from the same
        # responses gives the same bytes, and two fetches of one URL never share an id.
        resp_id = _record_id(resp.url, fetched, str(resp.status), resp.capture or "", str(offset), resp.body)
        headers = {"WARC-Date": fetched, "WARC-Record-ID": resp_id, "WARC-Warcinfo-ID": self._warcinfo_id or ""}
        if resp.capture:
            headers[CAPTURE_HEADER] = resp.capture
        http = StatusAndHeaders(f"{resp.status} {_reason(resp.status)}", list(resp.headers), protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(resp.url, "response", payload=io.BytesIO(resp.body),
                                                      length=len(resp.body), http_headers=http,
                                                      warc_headers_dict=headers))
        if resp.request is None:
            return
        req = resp.request
        target, host = _request_line(req.url)
        sent = list(req.headers)
        if not any(k.lower() == "host" for k, _ in sent):
            sent.insert(0, ("Host", host))
        req_http = StatusAndHeaders(f"{req.method} {target} HTTP/1.1", sent, is_http_request=True)
        req_headers = {"WARC-Date": fetched, "WARC-Record-ID": _record_id("request", resp_id),
                       "WARC-Concurrent-To": resp_id, "WARC-Warcinfo-ID": self._warcinfo_id or ""}
        writer.write_record(writer.create_warc_record(req.url, "request", payload=io.BytesIO(b""), length=0,
                                                      http_headers=req_http, warc_headers_dict=req_headers))

    def __iter__(self) -> Iterator[RawResponse]:
        return iter_raw(self.path)
