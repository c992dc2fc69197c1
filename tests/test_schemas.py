"""The JSON Schemas of posts.jsonl, records.jsonl and records.json: real output (the bundled snapshot, a synthetic
blog) validates; they name exactly the fields of the dataclasses, with their types; they reject broken files."""

from __future__ import annotations

import copy
import json
import types
import typing
from dataclasses import fields
from pathlib import Path
from typing import Any

import pytest

from pipeline import flags, records
from pipeline.bench.synth import write_synth
from pipeline.cli import main
from pipeline.config import SCHEMA_VERSION, SNAPSHOT_RAW
from pipeline.schemas import SCHEMAS, load, validator

# Each dataclass and where the schema describes it: (schema, JSON pointer of the object schema).
DESCRIBED = {
    records.Post: ("post", ""),
    records.Paragraph: ("post", "/$defs/paragraph"),
    records.Record: ("record", ""),
    # records.Paragraph is also ("record", "/$defs/paragraph"): see PLACES
    records.Figure: ("record", "/$defs/figure"),
    records.Organisation: ("record", "/$defs/organisation"),
    records.OrganisationMention: ("record", "/$defs/mention"),
    records.ConventionMention: ("record", "/$defs/convention"),
    records.Instrument: ("record", "/$defs/instrument"),
    records.Country: ("record", "/$defs/country"),
    records.CountryMention: ("record", "/$defs/country_mention"),
}
PLACES = [(cls, *where) for cls, where in DESCRIBED.items()] + [(records.Paragraph, "record", "/$defs/paragraph")]
JSON_TYPES = {str: "string", int: "integer", float: "number", bool: "boolean", type(None): "null", list: "array"}


def _at(schema: dict[str, Any], pointer: str) -> dict[str, Any]:
    node = schema
    for part in filter(None, pointer.split("/")):
        node = node[part]
    return node


def _resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    ref = node.get("$ref", "")
    return _at(schema, ref[1:]) if ref.startswith("#") else node


def _expected_types(annotation: Any) -> set[str]:
    """JSON types a field of this annotation is written as."""
    args = typing.get_args(annotation) if isinstance(annotation, types.UnionType) else (annotation,)
    return {JSON_TYPES[typing.get_origin(a) or a] for a in args}


def _schema_types(node: dict[str, Any]) -> set[str]:
    if "enum" in node:
        return {JSON_TYPES[type(v)] if not isinstance(v, bool) else "boolean" for v in node["enum"]}
    kind = node["type"]
    return {kind} if isinstance(kind, str) else set(kind)


@pytest.mark.parametrize("cls, name, pointer", PLACES, ids=lambda c: getattr(c, "__name__", str(c)))
def test_each_schema_names_exactly_the_fields_of_its_dataclass_with_their_types(cls: type, name: str,
                                                                                 pointer: str) -> None:
    schema = load(name)
    obj = _at(schema, pointer)
    hints = typing.get_type_hints(cls)
    names = [f.name for f in fields(cls)]
    assert sorted(obj["properties"]) == sorted(names), f"{cls.__name__} fields and {name}{pointer} properties differ"
    # The pipeline writes every field of a dataclass (to_dict), so every one is required and nothing else allowed.
    assert sorted(obj["required"]) == sorted(names)
    assert obj["additionalProperties"] is False
    for field_name in names:
        prop = _resolve(schema, obj["properties"][field_name])
        assert _schema_types(prop) == _expected_types(hints[field_name]), f"{cls.__name__}.{field_name}"
        if typing.get_origin(hints[field_name]) is list:
            item = typing.get_args(hints[field_name])[0]
            items = _resolve(schema, prop["items"])
            if item in DESCRIBED:  # a list of records: the items are that record's schema (checked on its own)
                assert items in [_at(load(n), ptr) for c, n, ptr in PLACES if c is item and n == name]
            else:
                assert _schema_types(items) == {JSON_TYPES[item]}


def test_every_dataclass_of_the_records_module_is_described() -> None:
    classes = {c for c in vars(records).values()
               if isinstance(c, type) and c.__module__ == records.__name__ and hasattr(c, "__dataclass_fields__")}
    assert classes - {records.Span} == set(DESCRIBED)


def test_flags_are_the_ones_flags_py_defines_in_posts_and_records() -> None:
    for name in ("post", "record"):
        assert sorted(load(name)["properties"]["flags"]["items"]["enum"]) == sorted(flags.DESCRIPTIONS)


def test_versions_and_ids_agree() -> None:
    for name in SCHEMAS:
        schema = load(name)
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        assert schema["version"] == SCHEMA_VERSION
        assert schema["$id"].endswith(f"/{name}-{SCHEMA_VERSION}.schema.json")
    assert load("records-document")["properties"]["records"]["items"]["$ref"] == load("record")["$id"]


def _validate_corpus(out: Path) -> int:
    """Validate every posts.jsonl, records.jsonl and records.json under `out`; return the lines checked."""
    post, record, document = validator("post"), validator("record"), validator("records-document")
    n = 0
    for path in sorted(out.rglob("*.jsonl")):
        check = post if path.name == "posts.jsonl" else record
        for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            errors = [f"{path}:{lineno}: /{'/'.join(map(str, e.path))}: {e.message}"
                      for e in check.iter_errors(json.loads(line))]
            assert not errors, errors[:3]
            n += 1
    document.validate(json.loads((out / "records.json").read_text(encoding="utf-8")))
    return n


def test_the_bundled_corpus_validates(tmp_path: Path) -> None:
    assert main(["-q", "run", "--raw", str(SNAPSHOT_RAW), "--out", str(tmp_path)]) == 0
    assert _validate_corpus(tmp_path) == 4 * 8  # posts and records, whole and split by language


def test_a_synthetic_corpus_validates(tmp_path: Path) -> None:
    write_synth(tmp_path / "raw", 120, seed=3)
    assert main(["-q", "run", "--raw", str(tmp_path / "raw"), "--out", str(tmp_path / "out")]) == 0
    assert _validate_corpus(tmp_path / "out") == 4 * 120
    recs = [json.loads(line) for line in (tmp_path / "out" / "records.jsonl").open(encoding="utf-8")]
    # The synthetic blog is rich enough to exercise the nested parts of the schema.
    assert all(any(r[part] for r in recs) for part in ("figures", "organisations", "conventions", "countries"))


def _full_post() -> dict[str, Any]:
    """A post with every optional field set and every flag, as the dataclass writes it."""
    return records.Post(
        id="123", url="https://x.blogspot.com/2020/01/a.html", date="2020-01-02", title="T", text="Some text.",
        published="2020-01-02T10:00:00+05:45", author="A", labels=["asia"], html="<p>Some text.</p>",
        source="https://x.blogspot.com/", capture="20200102030405", complete=False, flags=sorted(flags.DESCRIPTIONS),
        language="en", mixed=True, paragraphs=[records.Paragraph(0, 10, "en")]).to_dict()


def test_a_post_with_every_field_and_flag_is_valid_and_each_fault_is_caught() -> None:
    check = validator("post")
    post = _full_post()
    check.validate(post)
    check.validate(records.Post(id="1", url="", date="", title="", text="").to_dict())  # the minimal post
    faults = [("surprise", 1), ("flags", ["not_a_flag"]), ("flags", ["summary", "summary"]), ("date", "2 Jan 2020"),
              ("published", "2020-01-02"), ("capture", "2020"), ("language", "english"), ("complete", "no"),
              ("labels", "asia"), ("paragraphs", [{"start": 0, "end": 1}]), ("id", ""), ("text", None)]
    for key, value in faults:
        bad = copy.deepcopy(post)
        bad[key] = value
        assert not check.is_valid(bad), (key, value)
    for key in post:
        bad = copy.deepcopy(post)
        del bad[key]
        assert not check.is_valid(bad), key


def test_the_document_schema_checks_the_records_it_holds() -> None:
    rec = records.Record(id="1", url="u", date="2020-01-02", title="t", language="en",
                         flags=["summary"], complete=False).to_dict()
    doc = {"header": {"schema_version": SCHEMA_VERSION, "pipeline_version": "0", "source": "s", "posts": 1,
                      "posts_per_language": {"en": 1}, "date_range": {"first": "2020-01-02", "last": "2020-01-02"}},
           "records": [rec]}
    check = validator("records-document")
    check.validate(doc)
    for bad_record in ({**rec, "flags": ["nope"]}, {**rec, "figures": [{}]}, {k: v for k, v in rec.items()
                                                                           if k != "countries"}):
        assert not check.is_valid({**doc, "records": [bad_record]})
    assert not check.is_valid({**doc, "header": {**doc["header"], "extra": 1}})
    assert not check.is_valid({"header": doc["header"]})
