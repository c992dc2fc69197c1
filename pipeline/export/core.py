"""The export: records (and their posts) -> records.json, records.jsonl, tables (CSV, Parquet), SQLite, metadata.

Records are taken as an iterable consumed once (``export_records``) or from the JSON Lines files
(``export_corpus``). Only each record's sort key and file offset are held; the records are written newest first,
each encoded once, and each table's rows built once as tuples and handed to every format in batches, so memory
does not grow with the corpus. Every file is written to a temporary name and renamed; nothing in the content
depends on the clock, so the same records give the same bytes.
"""

from __future__ import annotations

import json
import logging
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from operator import itemgetter
from pathlib import Path
from typing import IO, Any

from pipeline.errors import InputError
from pipeline.export.csvout import CsvTable
from pipeline.export.jsondoc import RecordsDocument, header
from pipeline.export.metadata import metadata_json
from pipeline.export.parquet import ParquetTable
from pipeline.export.sqlite import SqliteDatabase
from pipeline.export.tables import TABLES, json_lists, table_rows
from pipeline.jsonl import atomic_open, dumps, read_jsonl_offsets, row_at
from pipeline.progress import progress

log = logging.getLogger(__name__)

# jsonl.dumps's settings in one encoder made once (json.dumps builds one per call with these arguments).
encode = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode
BATCH_ROWS = 4096  # rows of all tables gathered before they go to CSV and SQLite
POST_FIELDS = ("author", "labels", "published", "text")  # what the tables take from a post
FILES = (["records.json", "records.jsonl", "metadata.json"]
         + [f"tables/{n}.{kind}" for n in TABLES for kind in ("csv", "parquet")] + ["corpus.sqlite"])

# (date, id, language, record offset, post offset or -1)
Key = tuple[str, str, str | None, int, int]


@dataclass(frozen=True)
class ExportSummary:
    """What was exported."""

    posts: int
    rows: dict[str, int]
    files: list[str]


def _key(rec: dict[str, Any], offset: int, post_offset: int) -> Key:
    date = rec.get("date")
    # A date of the wrong type sorts as none.
    return (date if isinstance(date, str) else "", str(rec["id"]), rec.get("language"), offset, post_offset)


def _sort(keys: list[Key]) -> list[Key]:
    """Newest first; stable and reversed on (date, id) alone, as the export always sorted."""
    keys.sort(key=itemgetter(0, 1), reverse=True)
    return keys


def _refuse_duplicates(keys: list[Key], where: str) -> None:
    """Two records with one id would make two rows with one key: say which id, before anything is written."""
    seen: set[str] = set()
    for k in keys:
        if k[1] in seen:
            raise InputError(f"{where}: record id {k[1]!r} appears more than once")
        seen.add(k[1])


def export_corpus(records_path: str | Path, posts_path: str | Path, out_dir: str | Path, source: str = "",
                  validate: bool = False) -> ExportSummary:
    """Write the exports into out_dir from records.jsonl and posts.jsonl (matched by id)."""
    keys = []
    for lineno, offset, rec in read_jsonl_offsets(records_path):
        if "id" not in rec:
            raise InputError(f"{records_path}:{lineno}: record has no 'id'")
        keys.append(_key(rec, offset, -1))
    _refuse_duplicates(_sort(keys), str(records_path))
    post_at: dict[str, int] = {}
    for lineno, offset, post in read_jsonl_offsets(posts_path):
        if "id" not in post:
            raise InputError(f"{posts_path}:{lineno}: post has no 'id'")
        post_at[str(post["id"])] = offset  # the last copy of an id wins
    with open(records_path, "rb") as records_fh, open(posts_path, "rb") as posts_fh:

        def pairs() -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
            for _, pid, _, offset, _ in keys:
                yield row_at(records_fh, offset), (row_at(posts_fh, post_at[pid]) if pid in post_at else {})

        return _export(pairs(), keys, Path(out_dir), source, validate)


def export_records(pairs: Iterable[tuple[dict[str, Any], dict[str, Any]]], out_dir: str | Path, source: str = "",
                   validate: bool = False) -> ExportSummary:
    """Write the exports into out_dir from (record, post) pairs in any order, consumed once.

    Each pair is kept in an anonymous temporary file (gone with the process, whatever ends it) until all are
    in, then the files are written newest first, as ``export_corpus`` writes them."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryFile(dir=out, prefix=".export-spill.") as spill:
        keys = []
        for rec, post in pairs:
            if "id" not in rec:
                raise InputError(f"record number {len(keys) + 1} has no 'id'")
            offset = spill.tell()
            spill.write((dumps(rec) + "\n").encode("utf-8"))
            post_offset = spill.tell()
            spill.write((dumps({k: post[k] for k in POST_FIELDS if k in post}) + "\n").encode("utf-8"))
            keys.append(_key(rec, offset, post_offset))
        _refuse_duplicates(_sort(keys), "export")
        spill.flush()
        read: IO[bytes] = spill
        return _export(((row_at(read, k[3]), row_at(read, k[4])) for k in keys), keys, out, source, validate)


class _Batches:
    """Rows of every table gathered until BATCH_ROWS, then written to the CSV and SQLite sinks."""

    def __init__(self, sinks: list[Callable[[str, list[tuple[Any, ...]]], None]]) -> None:
        self.sinks = sinks
        self.rows: dict[str, list[tuple[Any, ...]]] = {name: [] for name in TABLES}
        self.held = 0
        self.counts = dict.fromkeys(TABLES, 0)

    def add(self, tables: dict[str, list[tuple[Any, ...]]]) -> None:
        for name, rows in tables.items():
            if rows:
                self.rows[name].extend(rows)
                self.held += len(rows)
                self.counts[name] += len(rows)
        if self.held >= BATCH_ROWS:
            self.flush()

    def flush(self) -> None:
        for name, rows in self.rows.items():
            if rows:
                rows = json_lists(name, rows)
                for sink in self.sinks:
                    sink(name, rows)
                self.rows[name] = []
        self.held = 0


def _export(pairs: Iterable[tuple[dict[str, Any], dict[str, Any]]], keys: list[Key], out: Path, source: str,
            validate: bool) -> ExportSummary:
    """Write every file from the pairs, in the order of `keys` (which they follow)."""
    from pipeline.export.validate import validator

    check = validator() if validate else None
    head = header(({"date": k[0], "language": k[2]} for k in keys), source)
    meta = {"schema_version": head["schema_version"], "pipeline_version": head["pipeline_version"],
            "source": source}
    guessed = 0  # country mentions marked ambiguous, for the summary
    (out / "tables").mkdir(parents=True, exist_ok=True)
    with ExitStack() as stack:
        doc = RecordsDocument(stack.enter_context(atomic_open(out / "records.json")), head)
        jsonl_fh = stack.enter_context(atomic_open(out / "records.jsonl"))
        with atomic_open(out / "metadata.json") as fh:
            fh.write(metadata_json(source))
        csvs = {name: CsvTable(stack.enter_context(atomic_open(out / "tables" / f"{name}.csv")), name)
                for name in TABLES}
        parquets = {}
        for name in TABLES:
            parquets[name] = ParquetTable(stack.enter_context(atomic_open(out / "tables" / f"{name}.parquet", "wb")),
                                          name, meta)
            stack.callback(parquets[name].writer.close)  # on failure too, before its file is dropped
        db = SqliteDatabase(out / "corpus.sqlite")
        stack.push(lambda exc_type, *_: db.abort() if exc_type is not None else None)
        batches = _Batches([lambda n, rows: csvs[n].write(rows), db.write])
        for rec, post in progress(pairs, "export", total=len(keys), every=1000):
            if check is not None:
                check(rec)
            line = encode(rec)
            doc.write(line)
            jsonl_fh.write(line + "\n")
            tables = table_rows(rec, post)
            for name, rows in tables.items():
                if rows:
                    parquets[name].write(rows)
            batches.add(tables)
            guessed += sum(bool(m.get("ambiguous")) for c in rec.get("countries", []) for m in c.get("mentions", []))
        batches.flush()
        doc.close()
        for table in parquets.values():
            table.finish()
        db.close()
    log.info("exported %d posts to %s (%s)", len(keys), out, ", ".join(f"{k} {v}" for k, v in batches.counts.items()))
    if guessed:
        log.warning("%d country mentions name several countries (Congo, Korea) and nothing in their post told "
                    "which: they got the usual one and are marked ambiguous", guessed)
    return ExportSummary(posts=len(keys), rows=batches.counts, files=list(FILES))
