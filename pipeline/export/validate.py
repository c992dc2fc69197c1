"""The published JSON Schema as a check of one record: for the tests and ``export --validate``, not every run."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pipeline.config import SCHEMA_DIR
from pipeline.errors import InputError


def validator(schema_path: Path = SCHEMA_DIR / "record.schema.json") -> Callable[[dict[str, Any]], None]:
    """A check of one record against the published JSON Schema that raises naming the record."""
    import fastjsonschema
    import jsonschema

    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    # fastjsonschema compiles the schema to Python and checks a record about 15 times faster than jsonschema;
    # a record it rejects goes to jsonschema, the reference implementation, for the message. The schema keeps
    # to keywords both read alike (tested).
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
