"""Append-only raw store of HTTP responses as WARC (ISO 28500) files, read back offline.

A store is a directory of ``*.warc.gz`` files. Each record is its own gzip member, written with
one ``write`` and an ``fsync``, so a crawl killed at any point loses at most the record being
written; the torn tail is cut off the next time the store is opened for writing.
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from pipeline.errors import InputError

log = logging.getLogger(__name__)

WARC_NAME = "crawl.warc.gz"
CAPTURE_HEADER = "WARC-X-Wayback-Capture"


@dataclass
class RawResponse:
    """One stored HTTP response."""

    url: str
    status: int
    body: bytes
    headers: list[tuple[str, str]] = field(default_factory=list)
    fetched: str = ""
    capture: str | None = None  # Wayback timestamp when the body is an archived copy

    def header(self, name: str) -> str | None:
        """The first header of that name, case-insensitive."""
        low = name.lower()
        return next((v for k, v in self.headers if k.lower() == low), None)

    @property
    def content_type(self) -> str:
        """The media type without parameters, lower case."""
        return (self.header("Content-Type") or "").split(";")[0].strip().lower()


def _warc_files(path: Path) -> list[Path]:
    if path.is_file():
        return [path]
    if path.is_dir():
        return sorted(p for p in path.iterdir() if p.name.endswith((".warc.gz", ".warc")))
    raise InputError(f"{path}: raw store not found (expected a directory of .warc.gz files or one such file)")


def _valid_length(path: Path) -> int:
    """Offset just past the last complete record of a WARC file."""
    end = 0
    with path.open("rb") as fh:
        it = ArchiveIterator(fh)
        try:
            for record in it:
                record.content_stream().read()
                end = it.get_record_offset() + it.get_record_length()
        except (ArchiveLoadFailed, EOFError, OSError, ValueError) as exc:
            log.warning("%s: torn record after byte %d (%s); it will be cut off", path, end, exc)
    return end


def iter_raw(path: str | Path) -> Iterator[RawResponse]:
    """Yield every stored response of a store directory or WARC file, in file and record order."""
    for wf in _warc_files(Path(path)):
        with wf.open("rb") as fh:
            try:
                for record in ArchiveIterator(fh):
                    if record.rec_type != "response":
                        continue
                    http = record.http_headers
                    status = int(http.get_statuscode()) if http else 0
                    headers = list(http.headers) if http else []
                    yield RawResponse(
                        url=record.rec_headers.get_header("WARC-Target-URI"),
                        status=status,
                        body=record.content_stream().read(),
                        headers=headers,
                        fetched=record.rec_headers.get_header("WARC-Date") or "",
                        capture=record.rec_headers.get_header(CAPTURE_HEADER),
                    )
            except (ArchiveLoadFailed, EOFError, OSError, ValueError) as exc:
                log.warning("%s: stopped at a torn or malformed record (%s); earlier records kept", wf, exc)


class RawStore:
    """A writable raw store; knows which URLs it already holds so a crawl can resume."""

    def __init__(self, path: str | Path, name: str = WARC_NAME) -> None:
        self.path = Path(path)
        if self.path.exists() and not self.path.is_dir():
            raise InputError(f"{self.path}: raw store must be a directory")
        self.path.mkdir(parents=True, exist_ok=True)
        self.file = self.path / name
        self._lock = threading.Lock()
        self._repair()
        self.status: dict[str, int] = {}
        self._where: dict[str, tuple[Path, int]] = {}
        for wf in _warc_files(self.path):
            with wf.open("rb") as fh:
                it = ArchiveIterator(fh)
                try:
                    for record in it:
                        if record.rec_type == "response":
                            url = record.rec_headers.get_header("WARC-Target-URI")
                            http = record.http_headers
                            self.status[url] = int(http.get_statuscode()) if http else 0
                            self._where[url] = (wf, it.get_record_offset())
                except (ArchiveLoadFailed, EOFError, OSError, ValueError) as exc:
                    log.warning("%s: stopped at a torn record (%s)", wf, exc)

    def _repair(self) -> None:
        if not self.file.exists():
            return
        good = _valid_length(self.file)
        if good < self.file.stat().st_size:
            with self.file.open("r+b") as fh:
                fh.truncate(good)

    def __contains__(self, url: str) -> bool:
        return url in self.status

    def get(self, url: str) -> RawResponse | None:
        """The latest stored response for a URL, read back from the WARC file."""
        where = self._where.get(url)
        if where is None:
            return None
        wf, offset = where
        with wf.open("rb") as fh:
            fh.seek(offset)
            for record in ArchiveIterator(fh):
                http = record.http_headers
                return RawResponse(url=url, status=int(http.get_statuscode()) if http else 0,
                                   body=record.content_stream().read(), headers=list(http.headers) if http else [],
                                   fetched=record.rec_headers.get_header("WARC-Date") or "",
                                   capture=record.rec_headers.get_header(CAPTURE_HEADER))
        return None

    def add(self, resp: RawResponse) -> None:
        """Append one response as a WARC record, durably."""
        fetched = resp.fetched or datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        buf = io.BytesIO()
        writer = WARCWriter(buf, gzip=True)
        http = StatusAndHeaders(f"{resp.status} {_reason(resp.status)}", list(resp.headers), protocol="HTTP/1.1")
        # A record id derived from what the record holds, so rebuilding a store gives the same bytes.
        digest = hashlib.sha1(resp.url.encode() + b"\0" + fetched.encode() + b"\0" + resp.body).hexdigest()
        warc_headers = {"WARC-Date": fetched, "WARC-Record-ID": f"<urn:uuid:{uuid.UUID(digest[:32])}>"}
        if resp.capture:
            warc_headers[CAPTURE_HEADER] = resp.capture
        record = writer.create_warc_record(
            resp.url,
            "response",
            payload=io.BytesIO(resp.body),
            length=len(resp.body),
            http_headers=http,
            warc_headers_dict=warc_headers,
        )
        writer.write_record(record)
        data = buf.getvalue()
        with self._lock, self.file.open("ab") as fh:
            offset = fh.seek(0, os.SEEK_END)
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
            self.status[resp.url] = resp.status
            self._where[resp.url] = (self.file, offset)

    def __iter__(self) -> Iterator[RawResponse]:
        return iter_raw(self.path)


def _reason(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"
