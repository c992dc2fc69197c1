"""Each export format as its readers see it: typed Parquet, spreadsheet-safe CSV, SQLite with JSON arrays and
FTS5, metadata.json; the streaming API writes what the file API writes."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import random
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipeline import export
from pipeline.config import PIPELINE_VERSION, SCHEMA_VERSION
from pipeline.errors import InputError
from pipeline.export.csvout import CsvTable, safe_text
from pipeline.export.parquet import ParquetTable
from pipeline.export.tables import TABLES
from tests.exported import CR_TEXT, HOSTILE_TITLE, build, extracted


@pytest.fixture(scope="module")
def data() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    return extracted()


@pytest.fixture(scope="module")
def corpus(data: tuple, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("formats"), *data)


ARROW = {"text": pa.string(), "int": pa.int64(), "real": pa.float64(), "bool": pa.bool_(),
         "list": pa.list_(pa.string()), "date": pa.date32(), "timestamp": pa.timestamp("us", tz="UTC")}


def test_every_parquet_table_is_typed(corpus: Path) -> None:
    for name, cols in TABLES.items():
        pfile = pq.ParquetFile(corpus / "tables" / f"{name}.parquet")
        schema = pfile.schema_arrow
        assert [(f.name, f.type) for f in schema] == [(c.name, ARROW[c.kind]) for c in cols], name
        meta = {k.decode(): v.decode() for k, v in schema.metadata.items()}
        assert meta == {"schema_version": SCHEMA_VERSION, "pipeline_version": PIPELINE_VERSION,
                        "source": "synthetic test corpus"}
    kinds = {c.kind for cols in TABLES.values() for c in cols}
    assert kinds == set(ARROW)  # every kind is checked on some column


def test_parquet_values_keep_dates_zones_booleans_and_lists(corpus: Path, data: tuple) -> None:
    posts, records = data
    table = pq.read_table(corpus / "tables" / "posts.parquet").to_pylist()
    by_id = {r["post_id"]: r for r in table}
    zoned = next(p for p in posts if (p.get("published") or "")[19:].startswith(("+", "-")))
    row = by_id[zoned["id"]]
    local = dt.datetime.fromisoformat(zoned["published"])
    assert row["published"] == local.astimezone(dt.UTC) and row["published"].tzinfo is not None
    assert row["published_offset"] == zoned["published"][19:]
    assert row["date"] == dt.date.fromisoformat(zoned["date"])
    naive = by_id[posts[1]["id"]]
    assert naive["published"] == dt.datetime(2019, 3, 4, 10, 15, tzinfo=dt.UTC) and naive["published_offset"] is None
    assert by_id[posts[0]["id"]]["labels"] == ["+plus", "-minus", "asia"]
    assert all(isinstance(r["complete"], bool) and isinstance(r["flags"], list) for r in table)
    figures = pq.read_table(corpus / "tables" / "figures.parquet").to_pylist()
    assert figures and all(isinstance(f["approx"], bool) for f in figures)


def _csv_rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


def test_csv_neutralises_formulas_in_text_cells_only(corpus: Path, data: tuple) -> None:
    posts, records = data
    rows = _csv_rows(corpus / "tables" / "posts.csv")
    head = rows[0]
    row = next(r for r in rows[1:] if r[0] == posts[0]["id"])
    cell = dict(zip(head, row, strict=True))
    assert cell["title"] == "'" + HOSTILE_TITLE and cell["author"] == "'@admin"
    assert json.loads(cell["labels"]) == ["+plus", "-minus", "asia"]  # a JSON array starts with [: safe as it is
    for value in ("=1+1", "+1", "-1 workers", "@SUM(A1)", "\tx", "\rx"):
        assert safe_text(value) == "'" + value
    assert safe_text("1 - 2") == "1 - 2" and safe_text(-3.5) == -3.5 and safe_text(None) is None


def test_negative_numbers_stay_numbers(data: tuple, tmp_path: Path) -> None:
    posts, records = data
    records = json.loads(json.dumps(records))
    fig = next(f for r in records for f in r["figures"])
    fig["value"], fig["text"] = -3.0, "-3 degrees"
    out = build(tmp_path, posts, records)
    rows = _csv_rows(out / "tables" / "figures.csv")
    cell = dict(zip(rows[0], next(r for r in rows[1:] if r[0] == fig["id"]), strict=True))
    assert float(cell["value"]) == -3.0 and cell["text"] == "'-3 degrees"
    raw = (out / "tables" / "figures.csv").read_text(encoding="utf-8")
    assert f',{cell["value"]},' in raw  # unquoted: a number
    con = sqlite3.connect(out / "corpus.sqlite")
    try:
        assert con.execute("SELECT value, typeof(value) FROM figures WHERE figure_id = ?", (fig["id"],)).fetchone() \
            == (-3.0, "real")
    finally:
        con.close()


def test_every_csv_row_stays_one_row(corpus: Path, data: tuple) -> None:
    posts, records = data
    for name in TABLES:
        rows = _csv_rows(corpus / "tables" / f"{name}.csv")
        assert len(rows) - 1 == pq.ParquetFile(corpus / "tables" / f"{name}.parquet").metadata.num_rows, name
        assert all(len(r) == len(TABLES[name]) for r in rows), name
    rows = _csv_rows(corpus / "tables" / "posts.csv")
    cr = [r for r in rows if r[0] == posts[1]["id"]]
    assert len(cr) == 1 and cr[0][-1].startswith(CR_TEXT)
    raw = (corpus / "tables" / "posts.csv").read_bytes().decode("utf-8")
    assert '"' + CR_TEXT in raw  # quoted: the carriage returns stay inside the cell


def test_sqlite_lists_are_json_arrays_and_fts_is_declared_for_datasette(corpus: Path, data: tuple) -> None:
    posts, _ = data
    con = sqlite3.connect(corpus / "corpus.sqlite")
    try:
        labels = dict(con.execute("SELECT post_id, labels FROM posts"))
        assert json.loads(labels[posts[0]["id"]]) == ["+plus", "-minus", "asia"]
        assert all(isinstance(json.loads(v), list) for v in labels.values())
        sql = con.execute("SELECT sql FROM sqlite_master WHERE name = 'posts_fts'").fetchone()[0]
        assert 'content="posts"' in sql
        word = "asia"
        hits = {r[0] for r in con.execute(
            "SELECT p.post_id FROM posts_fts JOIN posts p ON p.rowid = posts_fts.rowid WHERE posts_fts MATCH ?",
            (word,))}
        expected = {p["id"] for p in posts if word in (p["title"] + " " + p["text"]).lower()}
        assert hits and hits <= expected
    finally:
        con.close()


def test_metadata_describes_every_column_and_is_deterministic(corpus: Path, data: tuple, tmp_path: Path) -> None:
    meta = json.loads((corpus / "metadata.json").read_text(encoding="utf-8"))
    assert meta["title"] and meta["license"] and meta["source"] == "synthetic test corpus"
    tables = meta["databases"]["corpus"]["tables"]
    for name, cols in TABLES.items():
        assert tables[name]["description"]
        assert sorted(tables[name]["columns"]) == sorted(c.name for c in cols)
        assert all(tables[name]["columns"].values())
    again = build(tmp_path, *data)
    for path in sorted(p.relative_to(corpus) for p in corpus.rglob("*") if p.is_file()):
        assert (again / path).read_bytes() == (corpus / path).read_bytes(), path


def test_the_streaming_api_writes_the_same_bytes_from_pairs_in_any_order(corpus: Path, data: tuple,
                                                                        tmp_path: Path) -> None:
    posts, records = data
    by_id = {p["id"]: p for p in posts}
    pairs = [(r, by_id[r["id"]]) for r in records]
    random.Random(7).shuffle(pairs)
    summary = export.export_records(iter(pairs), tmp_path / "out", source="synthetic test corpus")
    assert summary.posts == len(records)
    got = sorted(p.relative_to(tmp_path / "out") for p in (tmp_path / "out").rglob("*"))
    assert [p for p in got if p.name.startswith(".")] == []  # nothing left behind
    for path in sorted(p.relative_to(corpus) for p in corpus.rglob("*") if p.is_file()):
        assert (tmp_path / "out" / path).read_bytes() == (corpus / path).read_bytes(), path


def test_csv_cells_and_a_value_of_the_wrong_type() -> None:
    buf = io.BytesIO()
    table = ParquetTable(io.BytesIO(), "post_countries", {}, CsvTable(buf, "post_countries"))
    table.write([("p1", "=XX", "Nepal", 1), ("p2", "NP", "-Nepal", -2), ("p3", None, "@x", 0)])
    table.finish()
    table.csv.close()
    rows = list(csv.reader(io.StringIO(buf.getvalue().decode("utf-8"), newline="")))
    assert rows == [["post_id", "country", "name", "n_mentions"], ["p1", "'=XX", "Nepal", "1"],
                    ["p2", "NP", "'-Nepal", "-2"], ["p3", "", "'@x", "0"]]
    table = ParquetTable(io.BytesIO(), "post_countries", {}, CsvTable(io.BytesIO(), "post_countries"))
    table.write([("p1", "NP", 5, 1)])
    with pytest.raises(InputError, match="table post_countries, column name: a value of the wrong type"):
        table.finish()


def test_the_export_does_not_import_pandas_and_pandas_works_after_it(corpus: Path, tmp_path: Path) -> None:
    script = f"""
import sys
from pipeline import export
export.export_corpus({str(corpus.parent / "in" / "records.jsonl")!r}, {str(corpus.parent / "in" / "posts.jsonl")!r},
                     {str(tmp_path / "out")!r}, source="synthetic test corpus")
assert "pandas" not in sys.modules, "pandas imported during the export"
import pyarrow.parquet as pq
frame = pq.read_table({str(tmp_path / "out" / "tables" / "figures.parquet")!r}).to_pandas()
import pandas as pd
assert isinstance(frame, pd.DataFrame) and len(frame) > 0
print(len(frame))
"""
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert int(proc.stdout) == pq.ParquetFile(corpus / "tables" / "figures.parquet").metadata.num_rows
    for path in sorted(p.relative_to(corpus) for p in corpus.rglob("*") if p.is_file()):
        assert (tmp_path / "out" / path).read_bytes() == (corpus / path).read_bytes(), path
