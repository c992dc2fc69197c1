"""The export: records (and their posts) -> records.json, records.jsonl, tables (CSV, Parquet), SQLite, metadata.

Two passes, each record read once:

1. every (record, post) pair, in the order it comes, is encoded once (its records.jsonl line) and flattened
   once (its rows of every table, as tuples); both go to an anonymous temporary file (``marshal``), and only
   the record's sort key and its place in that file stay in memory;
2. newest first, each record's line and rows are read back and handed to every format: records.json and
   records.jsonl, SQLite in batches, Parquet and CSV in row groups; so memory does not grow with the corpus.

Records come as an iterable consumed once (``export_records``) or from the JSON Lines files (``export_corpus``).
Every file is written to a temporary name and renamed; nothing in the content depends on the clock, so the
same records give the same bytes.
"""

from __future__ import annotations

import json
import logging
import marshal
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
from pipeline.export.parquet import ParquetTable, without_pandas
from pipeline.export.sqlite import SqliteDatabase
from pipeline.export.tables import TABLES, json_lists, table_rows
from pipeline.jsonl import atomic_open, read_jsonl_offsets, row_at
from pipeline.posts_io import check_post_row
from pipeline.progress import progress

log = logging.getLogger(__name__)

# jsonl.dumps's settings in one encoder made once (json.dumps builds one per call with these arguments).
encode = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode
BATCH_ROWS = 4096  # rows of all tables gathered before they go to SQLite
FILES = (["records.json", "records.jsonl", "metadata.json"]
         + [f"tables/{n}.{kind}" for n in TABLES for kind in ("csv", "parquet")] + ["corpus.sqlite"])

Key = tuple[str, str, str | None, int, int]  # (date, id, language, offset and size in the spill file)
Pairs = Iterable[tuple[dict[str, Any], dict[str, Any]]]


@dataclass(frozen=True)
class ExportSummary:
    """What was exported."""

    posts: int
    rows: dict[str, int]
    files: list[str]


class _NotInStep(Exception):
    """posts.jsonl does not hold the records' posts line for line: match them by id instead."""


def export_corpus(records_path: str | Path, posts_path: str | Path, out_dir: str | Path, source: str = "",
                  validate: bool = False) -> ExportSummary:
    """Write the exports into out_dir from records.jsonl and posts.jsonl (a record's post: the one with its id)."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryFile(dir=out, prefix=".export-spill.") as spill:
        try:  # the usual case, one post a record in the same order (extract keeps it): each file read once
            keys = _spill(_in_step(records_path, posts_path), spill, validate, str(records_path))
        except _NotInStep:
            spill.seek(0)
            spill.truncate()
            keys = _spill(_by_id(records_path, posts_path), spill, validate, str(records_path))
        return _export(spill, keys, out, source)


def export_records(pairs: Pairs, out_dir: str | Path, source: str = "", validate: bool = False) -> ExportSummary:
    """Write the exports into out_dir from (record, post) pairs in any order, consumed once.

    Written newest first, as ``export_corpus`` writes them; the pairs wait in an anonymous temporary file in
    out_dir (gone with the process, whatever ends it)."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryFile(dir=out, prefix=".export-spill.") as spill:
        return _export(spill, _spill(pairs, spill, validate, "export"), out, source)


def _records(records_path: str | Path) -> Iterator[dict[str, Any]]:
    """Records by line; one without an id, or with an id an earlier line has, is refused by file:line (rows are
    joined by id: two records of one id would break every table). Checked in the pass that reads them anyway."""
    seen: dict[str, int] = {}
    for lineno, _, rec in read_jsonl_offsets(records_path):
        pid = rec.get("id")
        if pid is None or isinstance(pid, dict | list | bool):
            raise InputError(f"{records_path}:{lineno}: record has no 'id' (a string or a number)")
        first = seen.setdefault(str(pid), lineno)
        if first != lineno:
            raise InputError(f"{records_path}:{lineno}: record id {pid!r} repeats line {first}; ids must be unique")
        yield rec


def _post_lines(posts_path: str | Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """Posts by line, each checked for the JSON types of its fields (named by file:line) as it is read."""
    for lineno, offset, post in read_jsonl_offsets(posts_path):
        check_post_row(post, f"{posts_path}:{lineno}")
        yield offset, post


def _in_step(records_path: str | Path, posts_path: str | Path) -> Pairs:
    """Records and posts read side by side; _NotInStep as soon as a post is not its record's."""
    posts = _post_lines(posts_path)
    for rec in _records(records_path):
        _, post = next(posts, (0, None))
        if post is None or str(post["id"]) != str(rec["id"]):
            raise _NotInStep
        yield rec, post
    if next(posts, None) is not None:  # more posts (another copy of one?): the last copy of an id must win
        raise _NotInStep


def _by_id(records_path: str | Path, posts_path: str | Path) -> Pairs:
    """Records with their posts looked up by id (the last copy of an id wins; none: an empty post)."""
    post_at = {str(post["id"]): offset for offset, post in _post_lines(posts_path)}
    with open(posts_path, "rb") as fh:
        for rec in _records(records_path):
            pid = str(rec["id"])
            yield rec, (row_at(fh, post_at[pid]) if pid in post_at else {})


def _spill(pairs: Pairs, spill: IO[bytes], validate: bool, where: str) -> list[Key]:
    """Pass 1: each record's line, rows and ambiguous-country count into `spill`; the sorted keys back."""
    from pipeline.export.validate import validator

    check = validator() if validate else None
    keys: list[Key] = []
    for rec, post in pairs:
        if "id" not in rec:
            raise InputError(f"{where}: record number {len(keys) + 1} has no 'id'")
        if check is not None:
            check(rec)
        rows = table_rows(rec, post)
        guessed = sum(bool(m.get("ambiguous")) for c in rec.get("countries", []) for m in c.get("mentions", []))
        date = rec.get("date")
        blob = marshal.dumps((encode(rec), rows, guessed))
        keys.append((date if isinstance(date, str) else "", str(rec["id"]), rec.get("language"), spill.tell(),
                     len(blob)))
        spill.write(blob)
    # Newest first; stable and reversed on (date, id) alone, as the export always sorted.
    keys.sort(key=itemgetter(0, 1), reverse=True)
    seen: set[str] = set()
    for k in keys:  # two records with one id would make two rows with one key: say which, before writing
        if k[1] in seen:
            raise InputError(f"{where}: record id {k[1]!r} appears more than once")
        seen.add(k[1])
    spill.flush()
    return keys


class _Batches:
    """Rows of every table gathered until BATCH_ROWS, then written to SQLite."""

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


def _export(spill: IO[bytes], keys: list[Key], out: Path, source: str) -> ExportSummary:
    """Pass 2: every file, newest first, from the spilled lines and rows."""
    head = header(({"date": k[0], "language": k[2]} for k in keys), source)
    meta = {"schema_version": head["schema_version"], "pipeline_version": head["pipeline_version"],
            "source": source}
    guessed = 0  # country mentions marked ambiguous, for the summary
    (out / "tables").mkdir(parents=True, exist_ok=True)
    with ExitStack() as stack:
        stack.enter_context(without_pandas())
        doc = RecordsDocument(stack.enter_context(atomic_open(out / "records.json")), head)
        jsonl_fh = stack.enter_context(atomic_open(out / "records.jsonl"))
        with atomic_open(out / "metadata.json") as fh:
            fh.write(metadata_json(source))
        parquets = {}
        for name in TABLES:  # Parquet and CSV from the same Arrow row groups
            csv = CsvTable(stack.enter_context(atomic_open(out / "tables" / f"{name}.csv", "wb")), name)
            stack.callback(csv.close)  # on failure too, before its file is dropped
            parquets[name] = ParquetTable(stack.enter_context(atomic_open(out / "tables" / f"{name}.parquet", "wb")),
                                          name, meta, csv)
            stack.callback(parquets[name].writer.close)
        db = SqliteDatabase(out / "corpus.sqlite")
        stack.push(lambda exc_type, *_: db.abort() if exc_type is not None else None)
        batches = _Batches([db.write])
        for key in progress(keys, "export", total=len(keys), every=1000):
            spill.seek(key[3])
            line, tables, ambiguous = marshal.loads(spill.read(key[4]))
            doc.write(line)
            jsonl_fh.write(line + "\n")
            for name, rows in tables.items():
                if rows:
                    parquets[name].write(rows)
            batches.add(tables)
            guessed += ambiguous
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
