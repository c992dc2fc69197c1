"""metadata.json for datasette: title, source, licence, and a description of every table and column.

``datasette corpus/corpus.sqlite -m corpus/metadata.json`` shows it. Deterministic: it depends only on the
source and the table definitions. Units are given in the column descriptions (a figure's unit varies by row and
is a column of its own, offsets count characters), not as datasette ``units``, which must be units that Pint
knows.
"""

from __future__ import annotations

import json
from typing import Any

from pipeline.config import PIPELINE_VERSION, SCHEMA_VERSION, SNAPSHOT_NOTE, SNAPSHOT_SOURCE
from pipeline.export.tables import TABLES

TITLE = "rightspasia corpus: posts, figures, organisations, ILO conventions, countries"
LICENCE = ("Texts: copyright their authors (the blog's posts), quoted for research; extraction and code: MIT. "
           "Cite the post's url when quoting.")
TABLE_DESCRIPTIONS = {
    "posts": "One row per post, with its plain text; search it with the box (full-text over title and text).",
    "figures": "Numbers the posts report (counts of people, money, shares), with unit, sentence and offsets.",
    "organisations": "Organisations named, one row per organisation and post.",
    "organisation_mentions": "Each place a post names an organisation.",
    "conventions": "Each mention of an ILO convention or recommendation.",
    "instruments": "The ILO instruments each post cites, one row per post and instrument.",
    "post_countries": "The countries each post speaks of, from names and demonyms.",
}


def metadata(source: str) -> dict[str, Any]:
    """The metadata document for the corpus database."""
    description = (f"Made by the rightspasia pipeline {PIPELINE_VERSION} (record schema {SCHEMA_VERSION}). "
                   "Tables join on post_id.")
    if source.startswith(SNAPSHOT_SOURCE):
        description += " " + SNAPSHOT_NOTE
    tables: dict[str, Any] = {}
    for name, cols in TABLES.items():
        tables[name] = {"description": TABLE_DESCRIPTIONS[name],
                        "columns": {c.name: c.description for c in cols}}
    tables["posts"]["facets"] = ["language", "year", {"array": "labels"}]
    tables["posts"]["sort_desc"] = "date"
    doc = {"title": TITLE, "description": description, "source": source or "unknown", "license": LICENCE,
           "databases": {"corpus": {"tables": tables}}}
    if source.startswith(("http://", "https://")):
        doc["source_url"] = source.split()[0]
    return doc


def metadata_json(source: str) -> str:
    """metadata.json's text."""
    return json.dumps(metadata(source), ensure_ascii=False, sort_keys=True, indent=2) + "\n"
