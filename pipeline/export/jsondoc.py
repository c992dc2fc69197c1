"""records.json: one compact JSON document, ``{"header": {...}, "records": [...]}``.

Written record by record with the same serialiser as records.jsonl (sorted keys, UTF-8, no spaces), so the
document is what ``json.dumps(doc, ensure_ascii=False, sort_keys=True, separators=(",", ":"))`` writes, plus
a final newline; each record is encoded once for both files.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import IO, Any

from pipeline.config import PIPELINE_VERSION, SCHEMA_VERSION, SNAPSHOT_NOTE, SNAPSHOT_SOURCE
from pipeline.jsonl import dumps


def header(records: Iterable[dict[str, Any]], source: str) -> dict[str, Any]:
    """The header of records.json: versions, source, posts per language, date range."""
    n = 0
    langs: Counter[str] = Counter()
    first = last = None
    for r in records:
        n += 1
        langs[r.get("language") or "unknown"] += 1
        if date := r.get("date"):
            first = date if first is None or date < first else first
            last = date if last is None or date > last else last
    head = {
        "schema_version": SCHEMA_VERSION, "pipeline_version": PIPELINE_VERSION, "source": source,
        "posts": n, "posts_per_language": dict(sorted(langs.items())), "date_range": {"first": first, "last": last},
    }
    if source.startswith(SNAPSHOT_SOURCE):  # run.py's name for the bundled snapshot: say what it is
        head["source_note"] = SNAPSHOT_NOTE
    return head


class RecordsDocument:
    """records.json written into an open text file, one record (already serialised) at a time."""

    def __init__(self, fh: IO[str], head: dict[str, Any]) -> None:
        self.fh = fh
        self.n = 0
        fh.write('{"header":' + dumps(head) + ',"records":[')

    def write(self, line: str) -> None:
        """One record as ``jsonl.dumps`` serialised it."""
        self.fh.write("," + line if self.n else line)
        self.n += 1

    def close(self) -> None:
        self.fh.write("]}\n")
