"""The JSON Schemas (draft 2020-12) of the files the pipeline writes, shipped with the package.

``post.schema.json`` is one line of posts.jsonl, ``record.schema.json`` one line of records.jsonl (and one
record of records.json), ``records-document.schema.json`` the whole records.json document (its records refer
to the record schema by its ``$id``). `validator` gives a jsonschema validator that resolves that reference.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from pipeline.config import SCHEMA_DIR

SCHEMAS = {
    "post": "post.schema.json",  # a line of posts.jsonl
    "record": "record.schema.json",  # a line of records.jsonl
    "records-document": "records-document.schema.json",  # corpus/records.json
}


@cache
def load(name: str) -> dict[str, Any]:
    """The schema called `name` (a key of SCHEMAS) as a dict."""
    return json.loads((SCHEMA_DIR / SCHEMAS[name]).read_text(encoding="utf-8"))


def validator(name: str) -> Any:
    """A ``jsonschema.Draft202012Validator`` for schema `name` that knows the other bundled schemas."""
    import jsonschema
    from referencing import Registry, Resource

    registry = Registry().with_resources(
        (load(other)["$id"], Resource.from_contents(load(other))) for other in SCHEMAS)
    return jsonschema.Draft202012Validator(load(name), registry=registry)
