"""Exports for analysts and other tools: one JSON document, JSON Lines, flat tables (CSV, Parquet), SQLite.

Every file is written to a temporary name and renamed, and nothing in the content depends on the
clock, so the same records give the same bytes.
"""

from __future__ import annotations

import argparse
import csv
import json
import logging
import os
import sqlite3
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from operator import itemgetter
from pathlib import Path
from typing import Any

from pipeline.config import PIPELINE_VERSION, SCHEMA_DIR, SCHEMA_VERSION, SNAPSHOT_NOTE, SNAPSHOT_SOURCE
from pipeline.errors import InputError
from pipeline.jsonl import atomic_open, dumps, publish, read_jsonl_offsets, row_at
from pipeline.progress import progress

log = logging.getLogger(__name__)

PARQUET_ROWS = 2048  # rows per Parquet row group: what an export holds of a table at once

# Table name -> ordered columns and SQLite types; ids join: every table carries post_id.
TABLES: dict[str, list[tuple[str, str]]] = {
    "posts": [("post_id", "TEXT PRIMARY KEY"), ("url", "TEXT"), ("date", "TEXT"), ("published", "TEXT"),
              ("year", "INTEGER"), ("title", "TEXT"), ("author", "TEXT"), ("labels", "TEXT"), ("language", "TEXT"),
              ("complete", "INTEGER"), ("flags", "TEXT"), ("mixed", "INTEGER"), ("n_figures", "INTEGER"),
              ("n_organisations", "INTEGER"),
              ("n_conventions", "INTEGER"), ("text", "TEXT")],
    "figures": [("figure_id", "TEXT PRIMARY KEY"), ("post_id", "TEXT"), ("value", "REAL"), ("unit", "TEXT"),
                ("unit_text", "TEXT"), ("subject", "TEXT"), ("approx", "INTEGER"), ("qualifier", "TEXT"),
                ("low", "REAL"), ("high", "REAL"), ("parent_id", "TEXT"), ("group_label", "TEXT"), ("share", "REAL"),
                ("field", "TEXT"), ("start", "INTEGER"), ("end", "INTEGER"), ("text", "TEXT"), ("sentence", "TEXT"),
                ("country", "TEXT")],
    "organisations": [("organisation_key", "TEXT PRIMARY KEY"), ("post_id", "TEXT"), ("entity_id", "TEXT"),
                      ("name", "TEXT"), ("acronym", "TEXT"), ("canonical", "TEXT"), ("type", "TEXT"),
                      ("country", "TEXT"), ("parent", "TEXT"), ("kb", "INTEGER"), ("n_mentions", "INTEGER"),
                      ("aliases", "TEXT")],
    "organisation_mentions": [("mention_id", "TEXT PRIMARY KEY"), ("organisation_key", "TEXT"), ("post_id", "TEXT"),
                              ("entity_id", "TEXT"), ("field", "TEXT"), ("start", "INTEGER"), ("end", "INTEGER"),
                              ("text", "TEXT"), ("language", "TEXT"), ("sentence", "TEXT"), ("country", "TEXT")],
    "conventions": [("mention_id", "TEXT PRIMARY KEY"), ("post_id", "TEXT"), ("instrument_id", "TEXT"),
                    ("type", "TEXT"), ("number", "INTEGER"), ("unknown", "INTEGER"), ("field", "TEXT"),
                    ("start", "INTEGER"), ("end", "INTEGER"), ("text", "TEXT"), ("sentence", "TEXT")],
    "instruments": [("post_id", "TEXT"), ("instrument_id", "TEXT"), ("type", "TEXT"), ("number", "INTEGER"),
                    ("title", "TEXT"), ("year", "INTEGER"), ("fundamental", "INTEGER"), ("status", "TEXT")],
    "post_countries": [("post_id", "TEXT"), ("country", "TEXT"), ("name", "TEXT"), ("n_mentions", "INTEGER")],
}
FOREIGN_KEYS = {
    "figures": ["FOREIGN KEY (post_id) REFERENCES posts(post_id)"],
    "organisations": ["FOREIGN KEY (post_id) REFERENCES posts(post_id)"],
    "organisation_mentions": ["FOREIGN KEY (organisation_key) REFERENCES organisations(organisation_key)",
                              "FOREIGN KEY (post_id) REFERENCES posts(post_id)"],
    "conventions": ["FOREIGN KEY (post_id) REFERENCES posts(post_id)"],
    "instruments": ["PRIMARY KEY (post_id, instrument_id)", "FOREIGN KEY (post_id) REFERENCES posts(post_id)"],
    "post_countries": ["PRIMARY KEY (post_id, country)", "FOREIGN KEY (post_id) REFERENCES posts(post_id)"],
}
INDEXES = [("figures", "post_id"), ("figures", "unit"), ("organisations", "post_id"), ("organisations", "entity_id"),
           ("organisation_mentions", "organisation_key"), ("conventions", "post_id"),
           ("conventions", "instrument_id"), ("instruments", "instrument_id"), ("posts", "date"),
           ("posts", "language"), ("post_countries", "country")]


@dataclass(frozen=True)
class ExportSummary:
    """What was exported."""

    posts: int
    rows: dict[str, int]
    files: list[str]


def flat_rows(rec: dict[str, Any], post: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """One record (and its post's text and metadata) as rows of the flat tables, joinable by ids."""
    tables: dict[str, list[dict[str, Any]]] = {name: [] for name in TABLES}
    pid = str(rec["id"])
    tables["posts"].append({
        "post_id": pid, "url": rec.get("url"), "date": rec.get("date"), "published": post.get("published"),
        "year": int(rec["date"][:4]) if rec.get("date", "")[:4].isdigit() else None, "title": rec.get("title"),
        "author": post.get("author"), "labels": "; ".join(post.get("labels") or []),
        "language": rec.get("language"), "complete": int(rec.get("complete", True)),
        "flags": "; ".join(rec.get("flags") or []), "mixed": int(bool(rec.get("mixed"))),
        "n_figures": len(rec.get("figures", [])), "n_organisations": len(rec.get("organisations", [])),
        "n_conventions": len(rec.get("conventions", [])), "text": post.get("text", ""),
    })
    for f in rec.get("figures", []):
        tables["figures"].append({
            "figure_id": f["id"], "post_id": pid, "value": f["value"], "unit": f["unit"],
            "unit_text": f.get("unit_text", ""), "subject": f.get("subject"), "approx": int(bool(f.get("approx"))),
            "qualifier": f.get("qualifier"),
            "low": f.get("low"), "high": f.get("high"), "parent_id": f.get("parent"),
            "group_label": f.get("group"), "share": f.get("share"), "field": f.get("field", "text"),
            "start": f["start"], "end": f["end"], "text": f["text"], "sentence": f["sentence"],
            "country": f.get("country"),
        })
    for org in rec.get("organisations", []):
        okey = f"{pid}:{org['id']}"
        tables["organisations"].append({
            "organisation_key": okey, "post_id": pid, "entity_id": org["id"], "name": org["name"],
            "acronym": org.get("acronym"), "canonical": org.get("canonical"), "type": org.get("type"),
            "country": org.get("country"), "parent": org.get("parent"), "kb": int(bool(org.get("kb"))),
            "n_mentions": len(org.get("mentions", [])), "aliases": "; ".join(org.get("aliases", [])),
        })
        for n, m in enumerate(org.get("mentions", []), 1):
            tables["organisation_mentions"].append({
                "mention_id": f"{okey}:m{n}", "organisation_key": okey, "post_id": pid, "entity_id": org["id"],
                "field": m.get("field", "text"), "start": m["start"], "end": m["end"], "text": m["text"],
                "language": m.get("language"), "sentence": m["sentence"], "country": m.get("country"),
            })
    for n, c in enumerate(rec.get("conventions", []), 1):
        tables["conventions"].append({
            "mention_id": f"{pid}:c{n}", "post_id": pid, "instrument_id": c.get("id"), "type": c.get("type"),
            "number": c.get("number"), "unknown": int(bool(c.get("unknown"))), "field": c.get("field", "text"),
            "start": c["start"], "end": c["end"], "text": c["text"], "sentence": c["sentence"],
        })
    for i in rec.get("instruments", []):
        tables["instruments"].append({
            "post_id": pid, "instrument_id": i["id"], "type": i["type"], "number": i["number"],
            "title": i["title"], "year": i.get("year"), "fundamental": int(bool(i.get("fundamental"))),
            "status": i.get("status"),
        })
    for c in rec.get("countries", []):
        tables["post_countries"].append({"post_id": pid, "country": c["code"], "name": c["name"],
                                         "n_mentions": len(c.get("mentions", []))})
    return tables


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


def _validator(schema_path: Path = SCHEMA_DIR / "record.schema.json") -> Callable[[dict[str, Any]], None]:
    """A check of one record against the published JSON Schema that raises naming the record."""
    import fastjsonschema
    import jsonschema


    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    # fastjsonschema compiles the schema to Python and checks a record about 15 times faster than jsonschema,
    # which took longer than the extraction itself; a record it rejects goes to jsonschema, the reference
    # implementation, for the message. The schema keeps to keywords both read alike (tested).
    fast = fastjsonschema.compile(schema)
    reference = jsonschema.Draft202012Validator(schema)

    def check(rec: dict[str, Any]) -> None:
        try:
            fast(rec)
            return
        except fastjsonschema.JsonSchemaException as exc:
            fallback = f"record {rec.get('id')!r} does not match the schema: {exc.message}"
        errors = sorted(reference.iter_errors(rec), key=lambda e: list(e.path))
        if errors:
            e = errors[0]
            where = "/".join(str(p) for p in e.path)
            raise InputError(f"record {rec.get('id')!r} does not match the schema at /{where}: {e.message}")
        raise InputError(fallback)

    return check


def _json_in(value: Any, depth: int) -> str:
    """`value` as ``json.dump(..., indent=1)`` writes it `depth` levels down (the first line not indented)."""
    # JSON strings hold no raw newlines, so every newline of the dump starts a line to indent.
    return json.dumps(value, ensure_ascii=False, sort_keys=True, indent=1).replace("\n", "\n" + " " * depth)


@contextmanager
def _parquet_sink(path: Path, name: str) -> Iterator[Callable[[list[dict[str, Any]]], None]]:
    """Stream one table's rows into a Parquet file, PARQUET_ROWS rows per row group; atomic."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    types = {"TEXT": pa.string(), "INTEGER": pa.int64(), "REAL": pa.float64()}
    schema = pa.schema([(col, types[kind.split()[0]]) for col, kind in TABLES[name]])
    columns = [col for col, _ in TABLES[name]]
    # Column lists rather than row dicts: a buffered row costs its values only.
    buffer: dict[str, list[Any]] = {col: [] for col in columns}
    groups = 0
    with atomic_open(path, "wb") as fh, pq.ParquetWriter(fh, schema, compression="zstd") as writer:

        def flush(n: int) -> None:
            nonlocal groups
            writer.write_table(pa.Table.from_pydict({col: values[:n] for col, values in buffer.items()},
                                                    schema=schema))
            for values in buffer.values():
                del values[:n]
            groups += 1

        def add(rows: list[dict[str, Any]]) -> None:
            for col, values in buffer.items():
                values.extend(row[col] for row in rows)
            while len(buffer[columns[0]]) >= PARQUET_ROWS:
                flush(PARQUET_ROWS)

        yield add
        if buffer[columns[0]] or not groups:  # an empty table still gets its schema
            flush(len(buffer[columns[0]]))


@contextmanager
def _sqlite_sink(path: Path) -> Iterator[Callable[[str, list[dict[str, Any]]], None]]:
    """Stream rows into the tables of a new SQLite database; indexes and full-text search at the end; atomic."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    con = sqlite3.connect(tmp)
    try:
        inserts = {}
        for name, cols in TABLES.items():
            defs = [f'"{c}" {kind}' for c, kind in cols]
            con.execute(f'CREATE TABLE "{name}" ({", ".join(defs + FOREIGN_KEYS.get(name, []))})')
            inserts[name] = f'INSERT INTO "{name}" VALUES ({", ".join("?" for _ in cols)})'

        def add(name: str, rows: list[dict[str, Any]]) -> None:
            con.executemany(inserts[name], ([row[c] for c, _ in TABLES[name]] for row in rows))

        yield add
        for table, col in INDEXES:
            con.execute(f'CREATE INDEX "idx_{table}_{col}" ON "{table}" ("{col}")')
        # Full-text search over title and text; content table keeps one copy of the text.
        con.execute("CREATE VIRTUAL TABLE posts_fts USING fts5(title, text, content='posts', "
                    "content_rowid='rowid', tokenize='unicode61 remove_diacritics 2')")
        con.execute("INSERT INTO posts_fts(rowid, title, text) SELECT rowid, title, text FROM posts")
        con.commit()
        con.execute("VACUUM")
        con.close()
        publish(tmp, path)
    except BaseException:
        con.close()
        Path(tmp).unlink(missing_ok=True)
        raise


def _rows_with_ids(path: str | Path, what: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """(byte offset, row) of each row of a JSON Lines file, naming the line of a row without an id."""
    for lineno, offset, row in read_jsonl_offsets(path):
        if "id" not in row:
            raise InputError(f"{path}:{lineno}: {what} has no 'id'")
        yield offset, row


def _sorted_records(records_path: str | Path) -> list[tuple[str, str, str | None, int]]:
    """(date, id, language, byte offset) of every record, newest first; the records stay on disk."""
    keys = []
    for offset, rec in _rows_with_ids(records_path, "record"):
        date = rec.get("date")
        # A date of the wrong type sorts as none; the schema check then names the record.
        keys.append((date if isinstance(date, str) else "", str(rec["id"]), rec.get("language"), offset))
    # Stable and reversed on (date, id) alone: records with the same key keep their order, as before.
    keys.sort(key=itemgetter(0, 1), reverse=True)
    return keys


def _post_offsets(posts_path: str | Path) -> dict[str, int]:
    """Byte offset of each post in posts.jsonl by id (the last copy of an id wins)."""
    return {str(post["id"]): offset for offset, post in _rows_with_ids(posts_path, "post")}


def export_corpus(records_path: str | Path, posts_path: str | Path, out_dir: str | Path,
                  source: str = "") -> ExportSummary:
    """Write records.json, records.jsonl, tables/*.csv|parquet and corpus.sqlite into out_dir.

    Streams: only each record's sort key and each post's file offset are held in memory, so an
    export of a large corpus takes no more memory than one of a small corpus.
    """
    out = Path(out_dir)
    keys = _sorted_records(records_path)
    post_at = _post_offsets(posts_path)
    schema = SCHEMA_DIR / "record.schema.json"
    check = _validator(schema) if schema.is_file() else None
    head = header(({"date": date, "language": lang} for date, _, lang, _ in keys), source)
    files = ["records.json", "records.jsonl"] + [f"tables/{n}.{kind}" for n in TABLES for kind in ("csv", "parquet")]
    files.append("corpus.sqlite")
    rows = dict.fromkeys(TABLES, 0)
    guessed = 0  # country mentions marked ambiguous, for the summary
    (out / "tables").mkdir(parents=True, exist_ok=True)
    with ExitStack() as stack:
        records_fh = stack.enter_context(open(records_path, "rb"))
        posts_fh = stack.enter_context(open(posts_path, "rb"))
        json_fh = stack.enter_context(atomic_open(out / "records.json"))
        jsonl_fh = stack.enter_context(atomic_open(out / "records.jsonl"))
        csvs = {}
        for name, cols in TABLES.items():
            csvs[name] = csv.DictWriter(stack.enter_context(atomic_open(out / "tables" / f"{name}.csv")),
                                        fieldnames=[c for c, _ in cols], lineterminator="\n")
            csvs[name].writeheader()
        parquets = {name: stack.enter_context(_parquet_sink(out / "tables" / f"{name}.parquet", name))
                    for name in TABLES}
        sqlite = stack.enter_context(_sqlite_sink(out / "corpus.sqlite"))
        # records.json as json.dump(..., indent=1, sort_keys=True) writes it, one record at a time.
        json_fh.write('{\n "header": ' + _json_in(head, 1) + ',\n "records": ' + ("[" if keys else "[]"))
        for n, (_, pid, _, offset) in enumerate(progress(keys, "export", total=len(keys), every=1000)):
            rec = row_at(records_fh, offset)
            if check is not None:
                check(rec)
            json_fh.write(("\n  " if n == 0 else ",\n  ") + _json_in(rec, 2))
            jsonl_fh.write(dumps(rec) + "\n")
            post = row_at(posts_fh, post_at[pid]) if pid in post_at else {}
            for name, table_rows in flat_rows(rec, post).items():
                if table_rows:
                    csvs[name].writerows(table_rows)
                    parquets[name](table_rows)
                    sqlite(name, table_rows)
                    rows[name] += len(table_rows)
            guessed += sum(bool(m.get("ambiguous")) for c in rec.get("countries", []) for m in c.get("mentions", []))
        json_fh.write(("\n ]" if keys else "") + "\n}\n")
    log.info("exported %d posts to %s (%s)", len(keys), out, ", ".join(f"{k} {v}" for k, v in rows.items()))
    if guessed:
        log.warning("%d country mentions name several countries (Congo, Korea) and nothing in their post told "
                    "which: they got the usual one and are marked ambiguous", guessed)
    return ExportSummary(posts=len(keys), rows=rows, files=files)


def add_cli(sub: argparse._SubParsersAction) -> None:
    """Register ``export``."""
    p = sub.add_parser("export", help="write records.json, flat tables (CSV, Parquet) and corpus.sqlite",
                       description="Export records and posts for analysts and other tools. Files are written "
                       "atomically and deterministically.")
    p.add_argument("--records", default="corpus/records.jsonl", help="records.jsonl to export (default: %(default)s)")
    p.add_argument("--posts", default="corpus/posts.jsonl", help="posts.jsonl of the same posts (default: %(default)s)")
    p.add_argument("--out", default="corpus", help="directory to write into (default: %(default)s)")
    p.add_argument("--source", default="", help="where the corpus came from (for the header)")
    p.set_defaults(func=lambda a: export_corpus(a.records, a.posts, a.out, a.source) and 0)
