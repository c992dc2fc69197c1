"""Checks of the WARC files a test made: ``warcio check`` and ``warcio index`` pass, and the records link up."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

WARCIO = [sys.executable, "-c", "import sys; from warcio.cli import main; main(sys.argv[1:])"]


def warc_files(raw: Path) -> list[Path]:
    return sorted(raw.glob("*.warc.gz")) if raw.is_dir() else [raw]


def assert_valid_warc(raw: Path, strict: bool = True) -> list[dict]:
    """Run ``warcio check`` and ``warcio index`` on every WARC file of a store, check that every response and
    request names a warcinfo record that exists (`strict`: none may lack one, as in a store written only by this
    code), and every request a response of the file; return the index rows."""
    rows: list[dict] = []
    for wf in warc_files(raw):
        check = subprocess.run([*WARCIO, "check", "-v", str(wf)], capture_output=True, text=True)
        assert check.returncode == 0, check.stdout + check.stderr
        assert "digest pass" in check.stdout and "fail" not in check.stdout.replace("digest pass", "")
        index = subprocess.run([*WARCIO, "index", "-f", "warc-type,warc-target-uri,warc-record-id,offset", str(wf)],
                               capture_output=True, text=True)
        assert index.returncode == 0, index.stderr
        rows += [json.loads(line) for line in index.stdout.splitlines() if line.strip()]
        infos, responses = set(), set()
        links: list[tuple[str, str | None, str | None]] = []
        with wf.open("rb") as fh:
            for rec in ArchiveIterator(fh):
                h = rec.rec_headers
                rec_id = h.get_header("WARC-Record-ID")
                if rec.rec_type == "warcinfo":
                    infos.add(rec_id)
                    fields = rec.content_stream().read().decode()
                    assert "software: rightspasia-pipeline/" in fields
                elif rec.rec_type == "response":
                    responses.add(rec_id)
                links.append((rec.rec_type, h.get_header("WARC-Warcinfo-ID"), h.get_header("WARC-Concurrent-To")))
        for rec_type, info, concurrent in links:
            if rec_type in ("response", "request") and (strict or info is not None):
                assert info in infos, f"{wf}: {rec_type} names a warcinfo record that is not there"
            if rec_type == "request":
                assert concurrent in responses, f"{wf}: a request record names no response of the file"
    return rows
