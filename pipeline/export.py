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
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.config import PIPELINE_VERSION, SCHEMA_DIR, SCHEMA_VERSION
from pipeline.jsonl import atomic_open, dumps, read_jsonl

log = logging.getLogger(__name__)

# Table name -> ordered columns and SQLite types; ids join: every table carries post_id.
TABLES: dict[str, list[tuple[str, str]]] = {
    "posts": [("post_id", "TEXT PRIMARY KEY"), ("url", "TEXT"), ("date", "TEXT"), ("published", "TEXT"),
              ("year", "INTEGER"), ("title", "TEXT"), ("author", "TEXT"), ("labels", "TEXT"), ("language", "TEXT"),
              ("mixed", "INTEGER"), ("n_figures", "INTEGER"), ("n_organisations", "INTEGER"),
              ("n_conventions", "INTEGER"), ("text", "TEXT")],
    "figures": [("figure_id", "TEXT PRIMARY KEY"), ("post_id", "TEXT"), ("value", "REAL"), ("unit", "TEXT"),
                ("subject", "TEXT"), ("approx", "INTEGER"), ("qualifier", "TEXT"), ("low", "REAL"),
                ("high", "REAL"), ("parent_id", "TEXT"), ("group_label", "TEXT"), ("share", "REAL"),
                ("field", "TEXT"), ("start", "INTEGER"), ("end", "INTEGER"), ("text", "TEXT"), ("sentence", "TEXT")],
    "organisations": [("organisation_key", "TEXT PRIMARY KEY"), ("post_id", "TEXT"), ("entity_id", "TEXT"),
                      ("name", "TEXT"), ("acronym", "TEXT"), ("canonical", "TEXT"), ("type", "TEXT"),
                      ("country", "TEXT"), ("kb", "INTEGER"), ("n_mentions", "INTEGER"), ("aliases", "TEXT")],
    "organisation_mentions": [("mention_id", "TEXT PRIMARY KEY"), ("organisation_key", "TEXT"), ("post_id", "TEXT"),
                              ("entity_id", "TEXT"), ("field", "TEXT"), ("start", "INTEGER"), ("end", "INTEGER"),
                              ("text", "TEXT"), ("language", "TEXT"), ("sentence", "TEXT")],
    "conventions": [("mention_id", "TEXT PRIMARY KEY"), ("post_id", "TEXT"), ("instrument_id", "TEXT"),
                    ("type", "TEXT"), ("number", "INTEGER"), ("unknown", "INTEGER"), ("field", "TEXT"),
                    ("start", "INTEGER"), ("end", "INTEGER"), ("text", "TEXT"), ("sentence", "TEXT")],
    "instruments": [("post_id", "TEXT"), ("instrument_id", "TEXT"), ("type", "TEXT"), ("number", "INTEGER"),
                    ("title", "TEXT"), ("year", "INTEGER"), ("fundamental", "INTEGER"), ("status", "TEXT")],
}
FOREIGN_KEYS = {
    "figures": ["FOREIGN KEY (post_id) REFERENCES posts(post_id)"],
    "organisations": ["FOREIGN KEY (post_id) REFERENCES posts(post_id)"],
    "organisation_mentions": ["FOREIGN KEY (organisation_key) REFERENCES organisations(organisation_key)",
                              "FOREIGN KEY (post_id) REFERENCES posts(post_id)"],
    "conventions": ["FOREIGN KEY (post_id) REFERENCES posts(post_id)"],
    "instruments": ["PRIMARY KEY (post_id, instrument_id)", "FOREIGN KEY (post_id) REFERENCES posts(post_id)"],
}
INDEXES = [("figures", "post_id"), ("figures", "unit"), ("organisations", "post_id"), ("organisations", "entity_id"),
           ("organisation_mentions", "organisation_key"), ("conventions", "post_id"),
           ("conventions", "instrument_id"), ("instruments", "instrument_id"), ("posts", "date"),
           ("posts", "language")]


@dataclass(frozen=True)
class ExportSummary:
    """What was exported."""

    posts: int
    rows: dict[str, int]
    files: list[str]


def flatten(records: list[dict[str, Any]], posts: dict[str, dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Records (and post texts) as rows of the flat tables, sorted and joinable by ids."""
    tables: dict[str, list[dict[str, Any]]] = {name: [] for name in TABLES}
    for rec in records:
        pid = str(rec["id"])
        post = posts.get(pid, {})
        tables["posts"].append({
            "post_id": pid, "url": rec.get("url"), "date": rec.get("date"), "published": post.get("published"),
            "year": int(rec["date"][:4]) if rec.get("date", "")[:4].isdigit() else None, "title": rec.get("title"),
            "author": post.get("author"), "labels": "; ".join(post.get("labels") or []),
            "language": rec.get("language"), "mixed": int(bool(rec.get("mixed"))),
            "n_figures": len(rec.get("figures", [])), "n_organisations": len(rec.get("organisations", [])),
            "n_conventions": len(rec.get("conventions", [])), "text": post.get("text", ""),
        })
        for f in rec.get("figures", []):
            tables["figures"].append({
                "figure_id": f["id"], "post_id": pid, "value": f["value"], "unit": f["unit"],
                "subject": f.get("subject"), "approx": int(bool(f.get("approx"))), "qualifier": f.get("qualifier"),
                "low": f.get("low"), "high": f.get("high"), "parent_id": f.get("parent"),
                "group_label": f.get("group"), "share": f.get("share"), "field": f.get("field", "text"),
                "start": f["start"], "end": f["end"], "text": f["text"], "sentence": f["sentence"],
            })
        for org in rec.get("organisations", []):
            okey = f"{pid}:{org['id']}"
            tables["organisations"].append({
                "organisation_key": okey, "post_id": pid, "entity_id": org["id"], "name": org["name"],
                "acronym": org.get("acronym"), "canonical": org.get("canonical"), "type": org.get("type"),
                "country": org.get("country"), "kb": int(bool(org.get("kb"))),
                "n_mentions": len(org.get("mentions", [])), "aliases": "; ".join(org.get("aliases", [])),
            })
            for n, m in enumerate(org.get("mentions", []), 1):
                tables["organisation_mentions"].append({
                    "mention_id": f"{okey}:m{n}", "organisation_key": okey, "post_id": pid, "entity_id": org["id"],
                    "field": m.get("field", "text"), "start": m["start"], "end": m["end"], "text": m["text"],
                    "language": m.get("language"), "sentence": m["sentence"],
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
    return tables


def header(records: list[dict[str, Any]], source: str) -> dict[str, Any]:
    """The header of records.json: versions, source, posts per language, date range."""
    dates = sorted(r["date"] for r in records if r.get("date"))
    langs = Counter(r.get("language") or "unknown" for r in records)
    return {
        "schema_version": SCHEMA_VERSION, "pipeline_version": PIPELINE_VERSION, "source": source,
        "posts": len(records), "posts_per_language": dict(sorted(langs.items())),
        "date_range": {"first": dates[0] if dates else None, "last": dates[-1] if dates else None},
    }


def validate(records: Iterable[dict[str, Any]], schema_path: Path = SCHEMA_DIR / "record.schema.json") -> int:
    """Validate records against the published JSON Schema; raise naming the first bad record."""
    import jsonschema

    from pipeline.errors import InputError

    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    n = 0
    for rec in records:
        errors = sorted(validator.iter_errors(rec), key=lambda e: list(e.path))
        if errors:
            e = errors[0]
            where = "/".join(str(p) for p in e.path)
            raise InputError(f"record {rec.get('id')!r} does not match the schema at /{where}: {e.message}")
        n += 1
    return n


def _write_csv(path: Path, columns: list[str], rows: list[dict[str, Any]]) -> None:
    with atomic_open(path) as fh:
        w = csv.DictWriter(fh, fieldnames=columns, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


def _write_parquet(path: Path, name: str, rows: list[dict[str, Any]]) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    types = {"TEXT": pa.string(), "INTEGER": pa.int64(), "REAL": pa.float64()}
    schema = pa.schema([(col, types[kind.split()[0]]) for col, kind in TABLES[name]])
    table = pa.Table.from_pylist(rows, schema=schema)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        pq.write_table(table, tmp, compression="zstd")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _write_sqlite(path: Path, tables: dict[str, list[dict[str, Any]]]) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        con = sqlite3.connect(tmp)
        with con:
            for name, cols in TABLES.items():
                defs = [f'"{c}" {kind}' for c, kind in cols]
                con.execute(f'CREATE TABLE "{name}" ({", ".join(defs + FOREIGN_KEYS.get(name, []))})')
                placeholders = ", ".join("?" for _ in cols)
                con.executemany(f'INSERT INTO "{name}" VALUES ({placeholders})',
                                ([row[c] for c, _ in cols] for row in tables[name]))
            for table, col in INDEXES:
                con.execute(f'CREATE INDEX "idx_{table}_{col}" ON "{table}" ("{col}")')
            # Full-text search over title and text; content table keeps one copy of the text.
            con.execute("CREATE VIRTUAL TABLE posts_fts USING fts5(title, text, content='posts', "
                        "content_rowid='rowid', tokenize='unicode61 remove_diacritics 2')")
            con.execute("INSERT INTO posts_fts(rowid, title, text) SELECT rowid, title, text FROM posts")
        con.execute("VACUUM")
        con.close()
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def export_corpus(records_path: str | Path, posts_path: str | Path, out_dir: str | Path,
                  source: str = "") -> ExportSummary:
    """Write records.json, records.jsonl, tables/*.csv|parquet and corpus.sqlite into out_dir."""
    out = Path(out_dir)
    records = sorted(read_jsonl(records_path), key=lambda r: (r.get("date") or "", str(r["id"])), reverse=True)
    posts = {str(p["id"]): p for p in read_jsonl(posts_path)}
    if (SCHEMA_DIR / "record.schema.json").is_file():
        validate(records)
    files = []
    with atomic_open(out / "records.json") as fh:
        json.dump({"header": header(records, source), "records": records}, fh, ensure_ascii=False, sort_keys=True,
                  indent=1)
        fh.write("\n")
    files.append("records.json")
    with atomic_open(out / "records.jsonl") as fh:
        for rec in records:
            fh.write(dumps(rec) + "\n")
    files.append("records.jsonl")
    tables = flatten(records, posts)
    (out / "tables").mkdir(parents=True, exist_ok=True)
    for name, rows in tables.items():
        _write_csv(out / "tables" / f"{name}.csv", [c for c, _ in TABLES[name]], rows)
        _write_parquet(out / "tables" / f"{name}.parquet", name, rows)
        files += [f"tables/{name}.csv", f"tables/{name}.parquet"]
    _write_sqlite(out / "corpus.sqlite", tables)
    files.append("corpus.sqlite")
    rows = {name: len(r) for name, r in tables.items()}
    log.info("exported %d posts to %s (%s)", len(records), out, ", ".join(f"{k} {v}" for k, v in rows.items()))
    return ExportSummary(posts=len(records), rows=rows, files=files)


def add_cli(sub: argparse._SubParsersAction) -> None:
    """Register ``export``."""
    p = sub.add_parser("export", help="write records.json, flat tables (CSV, Parquet) and corpus.sqlite",
                       description="Export records and posts for analysts and other tools. Files are written "
                       "atomically and deterministically.")
    p.add_argument("--records", default="corpus/records.jsonl")
    p.add_argument("--posts", default="corpus/posts.jsonl")
    p.add_argument("--out", default="corpus")
    p.add_argument("--source", default="", help="where the corpus came from (for the header)")
    p.set_defaults(func=lambda a: export_corpus(a.records, a.posts, a.out, a.source) and 0)
