"""The streamed export: same files as building everything in memory, a fast schema check that agrees with
jsonschema, row groups for large tables, and nothing half-written on a bad record."""

from __future__ import annotations

import copy
import csv
import json
from pathlib import Path
from typing import Any

import jsonschema
import pandas as pd
import pyarrow.parquet as pq
import pytest

from pipeline import export
from pipeline.bench.synth import synth_posts
from pipeline.config import SCHEMA_DIR
from pipeline.errors import InputError
from pipeline.export import parquet as parquet_sink
from pipeline.export.validate import validator
from pipeline.extract import Extractor
from pipeline.jsonl import dumps, read_jsonl_offsets, row_at
from pipeline.language import split_corpus
from tests.exported import write_inputs


@pytest.fixture(scope="module")
def rows() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Annotated posts and their records for 40 synthetic posts, English and Dutch."""
    pairs = Extractor(batch_size=8).process(list(synth_posts(40, seed=3)))
    return [p.to_dict() for p, _ in pairs], [r.to_dict() for _, r in pairs]


def test_streamed_records_json_is_what_json_dump_writes(rows: tuple, tmp_path: Path) -> None:
    posts, records = rows
    pp, rp = write_inputs(tmp_path / "in", posts, records)
    summary = export.export_corpus(rp, pp, tmp_path / "out", source="test")
    ordered = sorted(records, key=lambda r: (r.get("date") or "", str(r["id"])), reverse=True)
    expected = json.dumps({"header": export.header(ordered, "test"), "records": ordered}, ensure_ascii=False,
                          sort_keys=True, separators=(",", ":")) + "\n"
    assert (tmp_path / "out" / "records.json").read_text(encoding="utf-8") == expected
    assert (tmp_path / "out" / "records.jsonl").read_text(encoding="utf-8") == "".join(
        dumps(r) + "\n" for r in ordered)
    assert summary.posts == 40 and summary.rows["posts"] == 40
    assert summary.rows["figures"] == sum(len(r["figures"]) for r in records) > 0


def test_an_empty_corpus_exports_valid_empty_files(tmp_path: Path) -> None:
    pp, rp = write_inputs(tmp_path / "in", [], [])
    export.export_corpus(rp, pp, tmp_path / "out")
    doc = json.loads((tmp_path / "out" / "records.json").read_text())
    assert doc["records"] == [] and doc["header"]["posts"] == 0
    assert pq.read_table(tmp_path / "out" / "tables" / "figures.parquet").num_rows == 0


def test_tables_match_the_in_memory_flattening_across_row_groups(rows: tuple, tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    posts, records = rows
    monkeypatch.setattr(parquet_sink, "PARQUET_ROWS", 7)
    pp, rp = write_inputs(tmp_path / "in", posts, records)
    export.export_corpus(rp, pp, tmp_path / "out")
    ordered = sorted(records, key=lambda r: (r.get("date") or "", str(r["id"])), reverse=True)
    by_id = {p["id"]: p for p in posts}
    tables: dict[str, list[dict[str, Any]]] = {name: [] for name in export.TABLES}
    for rec in ordered:
        for name, table_rows in export.flat_rows(rec, by_id.get(str(rec["id"]), {})).items():
            tables[name].extend(table_rows)
    for name, cols in export.TABLES.items():
        columns = [c.name for c in cols]
        with (tmp_path / "out" / "tables" / f"{name}.csv").open(encoding="utf-8", newline="") as fh:
            got = list(csv.DictReader(fh))
        assert len(got) == len(tables[name])
        assert [r[columns[0]] for r in got] == [str(r[columns[0]]) for r in tables[name]]
        parquet = pq.ParquetFile(tmp_path / "out" / "tables" / f"{name}.parquet")
        assert parquet.metadata.num_row_groups == max(1, -(-len(tables[name]) // 7))
        frame = parquet.read().to_pandas()
        expected = pd.DataFrame(tables[name], columns=columns)
        assert frame[columns[0]].tolist() == expected[columns[0]].tolist()


def _mutations(rec: dict[str, Any]) -> list[dict[str, Any]]:
    """Broken copies of a valid record, one fault each."""
    schema = json.loads((SCHEMA_DIR / "record.schema.json").read_text())
    out = []
    for key in schema["required"]:
        bad = copy.deepcopy(rec)
        del bad[key]
        out.append(bad)
    for key, value in (("surprise", 1), ("language", 5), ("mixed", "yes"), ("figures", {}), ("id", None)):
        bad = copy.deepcopy(rec)
        bad[key] = value
        out.append(bad)
    for part in ("figures", "conventions", "organisations", "instruments", "countries"):
        if rec.get(part):
            item = rec[part][0]
            for key in list(item):
                for value in (None, -1, "zzz-not-a-value", [], {"x": 1}):
                    bad = copy.deepcopy(rec)
                    bad[part][0][key] = value
                    out.append(bad)
                bad = copy.deepcopy(rec)
                del bad[part][0][key]
                out.append(bad)
    return out


def test_the_fast_schema_check_agrees_with_jsonschema(rows: tuple) -> None:
    _, records = rows
    reference = jsonschema.Draft202012Validator(json.loads((SCHEMA_DIR / "record.schema.json").read_text()))
    check = validator()
    rich = max(records, key=lambda r: len(r["figures"]) + len(r["organisations"]) + len(r["conventions"]))
    cases = records + _mutations(rich)
    disagreements = []
    rejected = 0
    for rec in cases:
        valid = reference.is_valid(rec)
        try:
            check(rec)
            accepted = True
        except InputError as exc:
            accepted = False
            assert "does not match the schema" in str(exc)
        rejected += not valid
        if accepted != valid:
            disagreements.append(rec)
    assert not disagreements
    assert rejected > 50  # the mutations do break records


def test_a_bad_record_stops_the_export_and_keeps_earlier_files(rows: tuple, tmp_path: Path) -> None:
    posts, records = rows
    pp, rp = write_inputs(tmp_path / "in", posts, records)
    out = tmp_path / "out"
    export.export_corpus(rp, pp, out)
    before = {p: p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}
    broken = copy.deepcopy(records)
    broken[5]["figures"] = "none"
    write_inputs(tmp_path / "in", posts, broken)
    with pytest.raises(InputError, match=rf"record '{broken[5]['id']}' does not have the shape of a record "
                       r"\(figures is str, not list\)"):
        export.export_corpus(rp, pp, out)
    with pytest.raises(InputError, match=rf"record '{broken[5]['id']}' does not match the schema at /figures"):
        export.export_corpus(rp, pp, out, validate=True)
    broken[5]["figures"] = [{"value": 1}]
    write_inputs(tmp_path / "in", posts, broken)
    with pytest.raises(InputError, match=rf"record '{broken[5]['id']}' does not have the shape of a record "
                       r"\(missing 'id'\)"):
        export.export_corpus(rp, pp, out)
    assert {p: p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()} == before


def test_a_record_without_id_is_named_by_line(rows: tuple, tmp_path: Path) -> None:
    posts, records = rows
    bad = [dict(r) for r in records[:3]]
    del bad[1]["id"]
    pp, rp = write_inputs(tmp_path / "in", posts, bad)
    with pytest.raises(InputError, match=r"records\.jsonl:2: record has no 'id'"):
        export.export_corpus(rp, pp, tmp_path / "out")


def test_a_post_without_id_or_a_record_with_a_bad_date_is_named(rows: tuple, tmp_path: Path) -> None:
    posts, records = rows
    pp, rp = write_inputs(tmp_path / "in", [{"text": "no id"}, *posts[:2]], records[:2])
    with pytest.raises(InputError, match=r"posts\.jsonl:1: post lacks an 'id'"):
        export.export_corpus(rp, pp, tmp_path / "out")
    bad = [dict(records[0], date=2017), records[1]]
    pp, rp = write_inputs(tmp_path / "in", posts[:2], bad)
    with pytest.raises(InputError, match=rf"record '{records[0]['id']}' does not have the shape .*date is int"):
        export.export_corpus(rp, pp, tmp_path / "out")
    pp, rp = write_inputs(tmp_path / "in", posts[:2], [dict(records[0], title=None), records[1]])
    with pytest.raises(InputError, match=rf"record '{records[0]['id']}' does not have the shape .*title is null"):
        export.export_corpus(rp, pp, tmp_path / "out")


def test_offsets_read_rows_back_and_name_broken_lines(tmp_path: Path) -> None:
    path = tmp_path / "rows.jsonl"
    path.write_text('{"a": 1}\n\n{"b": "é"}\r\n{"c": [1]}\n', encoding="utf-8")
    found = list(read_jsonl_offsets(path))
    assert [(n, row) for n, _, row in found] == [(1, {"a": 1}), (3, {"b": "é"}), (4, {"c": [1]})]
    with path.open("rb") as fh:
        assert [row_at(fh, off) for _, off, _ in reversed(found)] == [{"c": [1]}, {"b": "é"}, {"a": 1}]
    path.write_text('{"a": 1}\n{"b": \n', encoding="utf-8")
    with pytest.raises(InputError, match=r"rows\.jsonl:2: broken JSON line"):
        list(read_jsonl_offsets(path))
    with pytest.raises(InputError, match="no such file"):
        read_jsonl_offsets(tmp_path / "missing.jsonl")


def test_split_rewrites_a_stale_language_folder(rows: tuple, tmp_path: Path) -> None:
    posts, records = rows
    english = [p for p in posts if p["language"] == "en"]
    pp, rp = write_inputs(tmp_path / "in", english, [r for r in records if r["language"] == "en"])
    (tmp_path / "out" / "nl").mkdir(parents=True)
    (tmp_path / "out" / "nl" / "posts.jsonl").write_text('{"id": "stale"}\n')
    counts = split_corpus(pp, rp, tmp_path / "out")
    assert counts == {"en": len(english), "nl": 0}
    assert (tmp_path / "out" / "nl" / "posts.jsonl").read_text() == ""
    assert not (tmp_path / "out" / "other").exists()
    assert (tmp_path / "out" / "en" / "posts.jsonl").read_text(encoding="utf-8") == pp.read_text(encoding="utf-8")


def test_the_export_command_does_not_import_spacy() -> None:
    """Loading spaCy costs an export process about 2 s; cutting long posts must not pull it in (abbreviations)."""
    import subprocess
    import sys

    code = ("import sys; from pipeline.cli import build_parser; build_parser(); import pipeline.export.core; "
            "import pipeline.extract.chunks; print('spacy' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
