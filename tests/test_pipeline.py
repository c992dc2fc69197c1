"""End to end on the bundled snapshot: run, schema, exports opened with their natural readers, determinism."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path

import jsonschema
import pandas as pd
import pytest

from pipeline.cli import main
from pipeline.config import SCHEMA_DIR, SNAPSHOT_RAW
from pipeline.extract import Extractor
from pipeline.posts_io import post_from_row
from pipeline.records import Post


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("corpus")
    assert main(["-q", "run", "--out", str(out)]) == 0
    return out


def _digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_run_writes_posts_records_and_language_split(corpus: Path) -> None:
    posts = [json.loads(line) for line in (corpus / "posts.jsonl").open()]
    records = [json.loads(line) for line in (corpus / "records.jsonl").open()]
    assert len(posts) == len(records) == 8
    assert sum(p["language"] == "nl" for p in posts) == 1
    assert len((corpus / "en" / "posts.jsonl").read_text().splitlines()) == 7
    assert len((corpus / "nl" / "records.jsonl").read_text().splitlines()) == 1


def test_records_validate_against_the_published_schema(corpus: Path) -> None:
    schema = json.loads((SCHEMA_DIR / "record.schema.json").read_text())
    doc = json.loads((corpus / "records.json").read_text())
    validator = jsonschema.Draft202012Validator(schema)
    for rec in doc["records"]:
        validator.validate(rec)
    header = doc["header"]
    assert header["posts"] == 8 and header["posts_per_language"] == {"en": 7, "nl": 1}
    assert header["source"].startswith("bundled snapshot") and "not a capture" in header["source_note"]
    assert header["date_range"] == {"first": "2017-06-16", "last": "2024-12-20"}


def test_provenance_points_at_the_source_text(corpus: Path) -> None:
    posts = {p["id"]: p for p in map(json.loads, (corpus / "posts.jsonl").open())}
    n = 0
    for rec in map(json.loads, (corpus / "records.jsonl").open()):
        post = posts[rec["id"]]
        items = rec["figures"] + rec["conventions"] + [m for o in rec["organisations"] for m in o["mentions"]]
        items += [m for c in rec["countries"] for m in c["mentions"]]
        for item in items:
            assert post[item["field"]][item["start"]:item["end"]] == item["text"]
            n += 1
    assert n > 100


def test_exports_open_with_their_natural_readers(corpus: Path) -> None:
    records = json.loads((corpus / "records.json").read_text())["records"]
    n_figs = sum(len(r["figures"]) for r in records)
    n_orgs = sum(len(r["organisations"]) for r in records)
    n_mentions = sum(len(o["mentions"]) for r in records for o in r["organisations"])
    n_conv = sum(len(r["conventions"]) for r in records)
    n_countries = sum(len(r["countries"]) for r in records)
    assert n_countries > 0
    tables = corpus / "tables"
    for kind, reader in (("csv", pd.read_csv), ("parquet", pd.read_parquet)):
        assert len(reader(tables / f"posts.{kind}")) == 8
        figs = reader(tables / f"figures.{kind}")
        assert len(figs) == n_figs and set(figs.post_id) <= set(reader(tables / f"posts.{kind}").post_id)
        assert len(reader(tables / f"organisations.{kind}")) == n_orgs
        assert len(reader(tables / f"organisation_mentions.{kind}")) == n_mentions
        assert len(reader(tables / f"conventions.{kind}")) == n_conv
        assert len(reader(tables / f"post_countries.{kind}")) == n_countries
    con = sqlite3.connect(corpus / "corpus.sqlite")
    assert con.execute("SELECT count(*) FROM figures").fetchone()[0] == n_figs
    hits = con.execute("SELECT p.title FROM posts_fts f JOIN posts p ON p.rowid = f.rowid "
                       "WHERE posts_fts MATCH 'domestic AND workers'").fetchall()
    assert ("16 June: International Domestic Workers Day",) in hits
    orphans = con.execute("SELECT count(*) FROM organisation_mentions m LEFT JOIN organisations o "
                          "USING (organisation_key) WHERE o.organisation_key IS NULL").fetchone()[0]
    assert orphans == 0
    # Figures know the country of their sentence only where the post names one there.
    assert con.execute("SELECT count(*) FROM figures f LEFT JOIN post_countries c ON c.post_id = f.post_id "
                       "AND c.country = f.country WHERE f.country IS NOT NULL AND c.country IS NULL").fetchone()[0] == 0
    con.close()


def test_same_input_gives_the_same_bytes(corpus: Path, tmp_path: Path) -> None:
    assert main(["-q", "run", "--out", str(tmp_path)]) == 0
    assert _digest(corpus) == _digest(tmp_path)


def test_extract_command_keeps_input_order_and_accepts_minimal_posts(tmp_path: Path) -> None:
    posts = tmp_path / "posts.jsonl"
    posts.write_text(
        json.dumps({"id": "b", "text": "Over 900.000 people, of which 56% women, were reached by GEFONT."}) + "\n"
        + json.dumps({"id": "a", "title": "Verdrag", "text": "Het IAO-verdrag 189 beschermt huishoudpersoneel in "
                      "België en Nederland, zeggen ACV en de vakbonden."}) + "\n")
    out = tmp_path / "records.jsonl"
    assert main(["-q", "extract", str(posts), "-o", str(out)]) == 0
    b, a = (json.loads(line) for line in out.open())
    assert (b["id"], a["id"]) == ("b", "a")
    assert [f["value"] for f in b["figures"]] == [900000, 56] and b["figures"][1]["parent"] == "b:f1"
    assert a["language"] == "nl" and [i["id"] for i in a["instruments"]] == ["C189"]
    assert {o["id"] for o in b["organisations"]} == {"gefont"}


def test_a_dutch_posts_english_paragraph_goes_through_the_english_pipeline() -> None:
    nl = ("De vakbonden in Cambodja vragen de regering om sociale bescherming voor alle werknemers in de "
          "informele economie. Zij hebben vandaag geen toegang tot gezondheidszorg of een pensioen.")
    text = (f"{nl}\n\n{nl}\n\nOver 2,500 workers joined thousands of others in Phnom Penh to demand a "
            "living wage and the ratification of ILO Convention 189 by the government.")
    (rec,) = Extractor().extract([post_from_row({"id": "m", "text": text})])
    assert rec.language == "nl" and rec.mixed
    english = [f for f in rec.figures if f.start >= text.index("Over")]
    assert {f.language for f in english} == {"en"} and english[0].value == 2500


def test_empty_post_gives_an_empty_record() -> None:
    (rec,) = Extractor().extract([Post(id="e", url="", date="", title="", text="")])
    assert rec.figures == rec.organisations == rec.conventions == []


def test_snapshot_is_bundled() -> None:
    assert (SNAPSHOT_RAW / "snapshot.warc.gz").is_file()


def test_run_with_two_workers_writes_the_same_bytes(corpus: Path, tmp_path: Path) -> None:
    assert main(["-q", "run", "--out", str(tmp_path), "--workers", "2", "--chunk-size", "4", "--batch-size", "4"]) == 0
    assert _digest(corpus) == _digest(tmp_path)
