"""HTTP payloads decoded: content codings (gzip, deflate) and the chunked transfer coding, with a size cap.

Two readers of one job. ``decode_payload`` is the fetcher's: a body as received, decoded strictly (a stream cut
short or damaged raises ``Truncated``, so that the fetch is retried and nothing short is stored), with the
headers rewritten to describe the decoded bytes. ``stored_payload`` is the raw store's: a payload as some WARC
holds it (this crawler stores it decoded; older versions kept the received headers over decoded bytes; other
tools store it as received), decoded where it is still encoded, and what is wrong with it said instead of
raised (a gzip stream cut short: the bytes up to the cut and the reason), so that a reader can flag the page
rather than take a cut body for a whole one.
"""

from __future__ import annotations

import re
import zlib

from pipeline.errors import FetchError

GZIP_WBITS = 16 + zlib.MAX_WBITS
UNDECODED = "content coding"  # how ``stored_payload`` begins the problem of a payload it could not decode at all
CHUNK_SIZE_LINE = re.compile(rb"([0-9A-Fa-f]{1,16})[ \t]*(?:;[^\r\n]*)?\r\n")


class Truncated(Exception):
    """The body ended before Content-Length (or its compressed stream) said it would, or was damaged."""


def _inflate(data: bytes, wbits: int, cap: int) -> bytes:
    """Decompress a zlib/gzip stream (gzip members may follow each other), stopping at `cap` bytes."""
    out, problem = _inflate_lenient(data, wbits, cap)
    if problem == "cap":
        raise FetchError(f"larger than {cap} bytes once decompressed; not stored")
    if problem:
        raise Truncated(problem)
    return out


def _inflate_lenient(data: bytes, wbits: int, cap: int) -> tuple[bytes, str | None]:
    """(What decompresses, what went wrong: None, "cap", or a reason); trailing bytes that are no gzip member are
    ignored, as browsers do."""
    out = bytearray()
    while True:
        d = zlib.decompressobj(wbits)
        try:
            out += d.decompress(data, cap + 1 - len(out))
        except zlib.error as exc:
            return bytes(out), f"damaged compressed body ({exc})"
        if len(out) > cap:
            return bytes(out[:cap]), "cap"
        if not d.eof:
            return bytes(out), "the compressed body ends before its end marker"
        data = d.unused_data
        if not data.startswith(b"\x1f\x8b") or wbits != GZIP_WBITS:
            return bytes(out), None


def _codings(headers: list[tuple[str, str]]) -> list[str]:
    return [c.strip().lower() for k, v in headers if k.lower() == "content-encoding" for c in v.split(",")
            if c.strip() and c.strip().lower() != "identity"]


def decode_payload(headers: list[tuple[str, str]], wire: bytes, cap: int) -> tuple[bytes, list[tuple[str, str]]]:
    """The payload to store and the headers that describe it, from the headers and bytes received.

    Content codings gzip and deflate are decoded; a coding not known here leaves body and headers as received.
    """
    low = [(k.lower(), v) for k, v in headers]
    codings = _codings(headers) if wire else []  # an empty body has nothing to decode
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
            body = _inflate(body, GZIP_WBITS, cap)
    if not codings and not chunked:
        return body, headers
    drop = {"transfer-encoding"} | ({"content-encoding", "content-length"} if codings else set())
    kept = [(k, v) for k, v in headers if k.lower() not in drop and k.lower() != "content-length"]
    original = [(f"X-Original-{k}", v) for k, v in headers if k.lower() in drop]
    return body, [*kept, ("Content-Length", str(len(body))), *original]


def _dechunk(data: bytes) -> tuple[bytes | None, str | None]:
    """A chunked payload's data and what is wrong with its framing; (None, None) when it is not chunked at all
    (a payload stored decoded under the received Transfer-Encoding header)."""
    out = bytearray()
    pos = 0
    first = True
    while True:
        m = CHUNK_SIZE_LINE.match(data, pos)
        if m is None:
            if first:
                return None, None
            return bytes(out), "the chunked payload ends before its last chunk"
        first = False
        size = int(m.group(1), 16)
        pos = m.end()
        if size == 0:
            return bytes(out), None
        if pos + size > len(data):
            out += data[pos:]
            return bytes(out), "the chunked payload ends inside a chunk"
        out += data[pos:pos + size]
        pos += size
        if data[pos:pos + 2] != b"\r\n":
            return bytes(out), "the chunked payload's framing is broken"
        pos += 2


def stored_payload(headers: list[tuple[str, str]], payload: bytes, cap: int) -> tuple[bytes, str | None]:
    """The body of a stored response, decoded where it is still encoded, and what is wrong with it (None: whole).

    A payload under a ``Transfer-Encoding: chunked`` or ``Content-Encoding`` header that is not framed or
    compressed so (from the very first byte) was stored decoded, and is taken as it is.
    """
    problem = None
    if any(k.lower() == "transfer-encoding" and "chunked" in v.lower() for k, v in headers):
        body, problem = _dechunk(payload)
        if body is not None:
            payload = body
    for coding in reversed(_codings(headers) if payload else []):
        if coding in ("gzip", "x-gzip"):
            if not payload.startswith(b"\x1f\x8b"):
                break  # stored decoded
            payload, why = _inflate_lenient(payload, GZIP_WBITS, cap)
        elif coding == "deflate":
            body, why = _inflate_lenient(payload, zlib.MAX_WBITS, cap)
            if why and not body:
                body, why = _inflate_lenient(payload, -zlib.MAX_WBITS, cap)
            if why and not body:
                break  # not deflate from the first byte: stored decoded
            payload = body
        else:
            return payload, f"{UNDECODED} {coding!r} is not decoded here"
        if why:
            why = f"larger than {cap} bytes once decompressed; read up to there" if why == "cap" else why
            return payload, f"{coding} payload: {why}"
    return payload, problem
