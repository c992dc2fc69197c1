"""WARC files read record by record without trusting sizes: each record checked whole, damage skipped, a torn
tail found.

A ``.warc.gz`` file is a sequence of gzip members, one record each (some writers put several records, or a
whole file, in one member). A member counts only when it decompresses to its end marker with a good CRC and
holds whole WARC records: a ``WARC/`` version line, headers ending in a blank line, a block of exactly
``Content-Length`` bytes, then the two CRLFs that end a record. Offsets given by indexes or by warcio are
not trusted: a crawl killed mid-write leaves a member that stops short, which warcio reads as a short
record without a word.

What can be wrong, and what the reader does (``Problem``):

- **a torn tail**: the file ends inside a record (a write cut short by a kill or a full disk). Everything
  before it is read; the writer cuts it off (``rawstore.RawStore``).
- **damage**: bytes that are no record (a corrupted byte, a CRC error, garbage, a member that is no WARC
  record). The reader skips to the next gzip member that holds a whole record, so that records written after
  the damage are not lost.

Plain ``.warc`` files are read the same way, record by record (damage there ends the file: without member
boundaries there is nothing to resynchronise on).
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

GZIP_MAGIC = b"\x1f\x8b\x08"
CHUNK = 1 << 16
# A record bigger than this is skipped as damage (the crawler stores at most 20 MB a response).
MAX_RECORD = 256 << 20
MAX_HEADER = 1 << 20


@dataclass(frozen=True)
class Record:
    """One whole WARC record: where its gzip member (or, uncompressed, the record) is, its headers, its block."""

    offset: int
    end: int  # just past the member (or record)
    part: int  # the how-many-th record of its member (from 0; more than one only in files gzipped as a whole)
    headers: tuple[tuple[str, str], ...]
    block: bytes

    def header(self, name: str) -> str | None:
        """The first WARC header of that name, case-insensitive."""
        low = name.lower()
        return next((v for k, v in self.headers if k.lower() == low), None)

    @property
    def type(self) -> str:
        """``WARC-Type`` (``response``, ``request``, ``warcinfo``, ...), lower case."""
        return (self.header("WARC-Type") or "").lower()


@dataclass(frozen=True)
class Problem:
    """Bytes of a WARC file that hold no whole record."""

    offset: int
    size: int
    reason: str
    torn: bool  # the file ends inside this record (a write cut short), as opposed to damage

    def describe(self, path: Path) -> str:
        """One line naming the file, the place and what is wrong."""
        what = "torn record at the end (a write cut short)" if self.torn else "damaged bytes"
        return f"{path}: {what} at byte {self.offset}, {self.size} bytes not read ({self.reason})"


@dataclass
class Scan:
    """What a pass over a file found: its size, whole records, where the last whole record ends, problems."""

    path: Path
    size: int = 0
    records: int = 0
    good_end: int = 0  # just past the last whole record (0 when there is none)
    problems: list[Problem] = field(default_factory=list)

    @property
    def torn_tail(self) -> Problem | None:
        """The problem at the end of the file, if the file ends with bytes that hold no whole record."""
        if self.problems and self.problems[-1].offset + self.problems[-1].size >= self.size > self.good_end:
            return self.problems[-1]
        return None


class _Bad(Exception):
    """Bytes that are no whole record; `torn` when they stop at the end of the file."""

    def __init__(self, reason: str, torn: bool = False) -> None:
        super().__init__(reason)
        self.torn = torn


def read_records(path: str | Path, scan: Scan | None = None) -> Iterator[Record]:
    """The whole records of a WARC file, in order; problems go to `scan` (which the caller reports)."""
    path = Path(path)
    scan = scan if scan is not None else Scan(path)
    scan.path = path
    with path.open("rb") as fh:
        scan.size = fh.seek(0, 2)
        fh.seek(0)
        head = fh.read(2)
        fh.seek(0)
        if head == GZIP_MAGIC[:2] or (path.name.endswith(".gz") and scan.size):
            yield from _gzip_records(fh, scan)
        else:
            yield from _plain_records(fh, scan)


def _gzip_records(fh: BinaryIO, scan: Scan) -> Iterator[Record]:
    pos = 0
    while pos < scan.size:
        try:
            end, data = _member(fh, pos, scan.size)
            records = _split(data, pos, end)
        except _Bad as exc:
            # Even a member that runs to the end of the file may be followed by whole ones (a store appended to
            # after a torn write by older versions): look for them before calling it a tail.
            nxt = _resync(fh, pos + 1, scan.size)
            scan.problems.append(Problem(pos, nxt - pos, str(exc), torn=exc.torn and nxt >= scan.size))
            pos = nxt
            continue
        for rec in records:
            scan.records += 1
            yield rec
        scan.good_end = end
        pos = end


def _member(fh: BinaryIO, pos: int, size: int) -> tuple[int, bytes]:
    """The gzip member at `pos`: (offset just past it, its decompressed bytes)."""
    fh.seek(pos)
    d = zlib.decompressobj(16 + zlib.MAX_WBITS)
    out = bytearray()
    fed = 0
    while not d.eof:
        chunk = fh.read(CHUNK)
        if not chunk:
            raise _Bad("the file ends inside a gzip member", torn=True)
        fed += len(chunk)
        try:
            out += d.decompress(chunk, MAX_RECORD + 1 - len(out))
            while d.unconsumed_tail and len(out) <= MAX_RECORD:
                out += d.decompress(d.unconsumed_tail, MAX_RECORD + 1 - len(out))
        except zlib.error as exc:
            raise _Bad(f"gzip: {exc}") from None
        if len(out) > MAX_RECORD:
            raise _Bad(f"a record larger than {MAX_RECORD} bytes")
    return pos + fed - len(d.unused_data), bytes(out)


def _resync(fh: BinaryIO, start: int, size: int) -> int:
    """The offset of the next gzip member from `start` on that holds whole records (`size` when none)."""
    pos = start
    carry = b""
    while pos < size:
        fh.seek(pos)
        buf = carry + fh.read(CHUNK)
        base = pos - len(carry)
        i = buf.find(GZIP_MAGIC)
        while i >= 0:
            cand = base + i
            try:
                end, data = _member(fh, cand, size)
                _split(data, cand, end)
                return cand
            except _Bad:
                i = buf.find(GZIP_MAGIC, i + 1)
        pos = base + len(buf)
        carry = buf[-(len(GZIP_MAGIC) - 1):]
    return size


def _split(data: bytes, offset: int, end: int) -> list[Record]:
    """The whole records in a member's decompressed bytes; _Bad when they are anything else."""
    out = []
    pos = 0
    n = len(data)
    while pos < n:
        if n - pos <= 16 and data[pos:].strip(b"\r\n") == b"":  # blank lines after the last record
            break
        headers, block_start, length = _header_block(data, pos)
        block_end = block_start + length
        if block_end > n:
            raise _Bad("the record's block is shorter than its Content-Length")
        if data[block_end:block_end + 4] != b"\r\n\r\n":
            raise _Bad("the record does not end where its Content-Length says")
        out.append(Record(offset, end, len(out), headers, data[block_start:block_end]))
        pos = block_end + 4
    if not out:
        raise _Bad("a gzip member that holds no WARC record")
    return out


def _header_block(data: bytes, pos: int) -> tuple[tuple[tuple[str, str], ...], int, int]:
    """(headers, where the block starts, Content-Length) of the record at `pos`."""
    if not data.startswith(b"WARC/", pos):
        raise _Bad("no WARC/ version line where a record should start")
    stop = data.find(b"\r\n\r\n", pos, pos + MAX_HEADER)
    if stop < 0:
        raise _Bad("the record's headers do not end")
    headers = _parse_headers(data[pos:stop])
    length = next((v for k, v in headers if k.lower() == "content-length"), "").strip()
    if not length.isdecimal() or len(length) > 12:
        raise _Bad(f"Content-Length {length!r} is no number")
    return headers, stop + 4, int(length)


def _parse_headers(raw: bytes) -> tuple[tuple[str, str], ...]:
    lines = raw.decode("utf-8", errors="replace").split("\r\n")[1:]  # the first line is the version
    out: list[tuple[str, str]] = []
    for line in lines:
        if line[:1] in (" ", "\t") and out:  # a continuation line
            out[-1] = (out[-1][0], out[-1][1] + " " + line.strip())
            continue
        name, sep, value = line.partition(":")
        if not sep or not name.strip():
            raise _Bad(f"a WARC header line without a name: {line[:60]!r}")
        out.append((name.strip(), value.strip()))
    return tuple(out)


def _plain_records(fh: BinaryIO, scan: Scan) -> Iterator[Record]:
    return _plain_from(fh, scan, 0)


def _plain_from(fh: BinaryIO, scan: Scan, pos: int) -> Iterator[Record]:
    while pos < scan.size:
        fh.seek(pos)
        head = fh.read(MAX_HEADER)
        if head.strip(b"\r\n") == b"":
            break
        try:
            stop = head.find(b"\r\n\r\n")
            if stop < 0:
                raise _Bad("the record's headers do not end", torn=pos + len(head) >= scan.size)
            headers, block_start, length = _header_block(head[:stop + 4], 0)
            end = pos + block_start + length + 4
            if end > scan.size:
                raise _Bad("the file ends inside a record", torn=True)
            fh.seek(pos + block_start)
            block = fh.read(length)
            if fh.read(4) != b"\r\n\r\n":
                raise _Bad("the record does not end where its Content-Length says")
        except _Bad as exc:
            scan.problems.append(Problem(pos, scan.size - pos, str(exc), torn=exc.torn))
            return
        scan.records += 1
        yield Record(pos, end, 0, headers, block)
        scan.good_end = end
        pos = end
        while pos < scan.size:  # the blank lines some writers put between records
            fh.seek(pos)
            if fh.read(1) not in (b"\r", b"\n"):
                break
            pos += 1


def read_record_at(path: str | Path, offset: int, part: int = 0) -> Record | None:
    """The `part`-th record of the member (or the record) at `offset`; None when there is no whole one."""
    path = Path(path)
    with path.open("rb") as fh:
        size = fh.seek(0, 2)
        fh.seek(offset)
        gz = fh.read(2) == GZIP_MAGIC[:2]
        try:
            if gz:
                end, data = _member(fh, offset, size)
                records = _split(data, offset, end)
                return records[part] if part < len(records) else None
        except _Bad:
            return None
        if part:
            return None
        scan = Scan(path, size=size)
        fh.seek(offset)
        return next(_plain_from(fh, scan, offset), None)
