"""The flat tables: their columns (kind, description) and one record's rows as tuples.

Kinds say how each format stores a column: ``text``, ``int``, ``real``, ``bool`` (0/1 in CSV and SQLite, bool in
Parquet), ``list`` (a JSON array in CSV and SQLite, list<string> in Parquet), ``date`` (ISO text; date32 in
Parquet), ``timestamp`` (the source's ISO text; a UTC timestamp in Parquet, the offset in a column beside it).
Rows are tuples in column order, built once per record and handed to every format: booleans as 0/1, lists as
Python lists (``json_lists`` turns a batch's lists into JSON text once for CSV and SQLite).
"""

from __future__ import annotations

import json
from typing import Any, NamedTuple

from pipeline.errors import InputError


class Column(NamedTuple):
    """One column of a flat table."""

    name: str
    kind: str
    description: str


def _cols(*spec: tuple[str, str, str]) -> list[Column]:
    return [Column(*c) for c in spec]


OFFSETS = "character offset in the post's `field` (0-based; end exclusive): post[field][start:end] == text"

# Table name -> ordered columns; ids join: every table carries post_id.
TABLES: dict[str, list[Column]] = {
    "posts": _cols(
        ("post_id", "text", "the post's id (Blogger's post id, or u + a hash of the permalink)"),
        ("url", "text", "the post's permalink"),
        ("date", "date", "the day the post was published (ISO date, the blog's own time zone)"),
        ("published", "timestamp", "when the post was published, as the source gave it (ISO 8601; Parquet: UTC)"),
        ("published_offset", "text", "the UTC offset the source gave with `published` (+05:45), empty if none"),
        ("year", "int", "the year of `date`"),
        ("title", "text", "the post's title"),
        ("author", "text", "the post's author, if the page names one"),
        ("labels", "list", "the post's Blogger labels (JSON array)"),
        ("language", "text", "the post's main language (ISO 639-1: en, nl, fr, ...)"),
        ("complete", "bool", "1 if the whole post was available, 0 if only a summary (see `flags`)"),
        ("flags", "list", "partial, uncertain or skipped things about this post (JSON array; pipeline/flags.py)"),
        ("mixed", "bool", "1 if the post has paragraphs in more than one language"),
        ("n_figures", "int", "number of figures extracted (rows in `figures`)"),
        ("n_organisations", "int", "number of organisations named (rows in `organisations`)"),
        ("n_conventions", "int", "number of ILO convention mentions (rows in `conventions`)"),
        ("text", "text", "the post's body as plain text; offsets of the other tables point into it"),
    ),
    "figures": _cols(
        ("figure_id", "text", "the figure's id (post id : f + number)"),
        ("post_id", "text", "the post it was found in"),
        ("value", "real", "the number, in the unit of `unit` (ranges: the low end; see `low`, `high`)"),
        ("unit", "text", "what is counted or measured: a noun (workers, members), a currency (USD) or %"),
        ("unit_text", "text", "the unit as written in the post"),
        ("subject", "text", "the subject the figure counts (people, money, ...)"),
        ("approx", "bool", "1 if the post says the number is approximate (about, over, nearly)"),
        ("qualifier", "text", "the qualifier word (over, about, at least, ...)"),
        ("low", "real", "low end of a range, in `unit`"),
        ("high", "real", "high end of a range, in `unit`"),
        ("parent_id", "text", "the figure this one is part of (56% of 900,000 workers)"),
        ("group_label", "text", "the group a part names (women, youth)"),
        ("share", "real", "the part's share of its parent (0 to 1)"),
        ("field", "text", "text or title: where `start` and `end` point"),
        ("start", "int", OFFSETS),
        ("end", "int", OFFSETS),
        ("text", "text", "the figure as written"),
        ("sentence", "text", "the sentence it was found in"),
        ("country", "text", "the one country its sentence names (ISO 3166-1 alpha-2), empty if none or several"),
    ),
    "organisations": _cols(
        ("organisation_key", "text", "post id : entity id, one row per organisation and post"),
        ("post_id", "text", "the post naming it"),
        ("entity_id", "text", "the organisation's id, the same across posts"),
        ("name", "text", "its name as first written in the post"),
        ("acronym", "text", "its acronym"),
        ("canonical", "text", "its name in the knowledge base"),
        ("type", "text", "its kind in the knowledge base (union, NGO, employer, ...)"),
        ("country", "text", "its country in the knowledge base (ISO 3166-1 alpha-2)"),
        ("parent", "text", "the organisation it belongs to"),
        ("kb", "bool", "1 if the knowledge base knows it"),
        ("n_mentions", "int", "mentions in the post (rows in `organisation_mentions`)"),
        ("aliases", "list", "other names the post uses for it (JSON array)"),
    ),
    "organisation_mentions": _cols(
        ("mention_id", "text", "organisation key : m + number"),
        ("organisation_key", "text", "the organisation (row of `organisations`)"),
        ("post_id", "text", "the post"),
        ("entity_id", "text", "the organisation's id"),
        ("field", "text", "text or title: where `start` and `end` point"),
        ("start", "int", OFFSETS),
        ("end", "int", OFFSETS),
        ("text", "text", "the mention as written"),
        ("language", "text", "the language of its paragraph"),
        ("sentence", "text", "the sentence it was found in"),
        ("country", "text", "the one country its sentence names (ISO 3166-1 alpha-2), empty if none or several"),
    ),
    "conventions": _cols(
        ("mention_id", "text", "post id : c + number"),
        ("post_id", "text", "the post"),
        ("instrument_id", "text", "the ILO instrument (C189, R204), empty if unknown"),
        ("type", "text", "convention or recommendation"),
        ("number", "int", "the instrument's number"),
        ("unknown", "bool", "1 if the number is no ILO instrument"),
        ("field", "text", "text or title: where `start` and `end` point"),
        ("start", "int", OFFSETS),
        ("end", "int", OFFSETS),
        ("text", "text", "the mention as written"),
        ("sentence", "text", "the sentence it was found in"),
    ),
    "instruments": _cols(
        ("post_id", "text", "the post citing it"),
        ("instrument_id", "text", "the ILO instrument (C189, R204)"),
        ("type", "text", "convention or recommendation"),
        ("number", "int", "the instrument's number"),
        ("title", "text", "its title"),
        ("year", "int", "the year the ILO adopted it"),
        ("fundamental", "bool", "1 if it is one of the fundamental conventions"),
        ("status", "text", "its status at the ILO (in force, withdrawn, ...)"),
    ),
    "post_countries": _cols(
        ("post_id", "text", "the post"),
        ("country", "text", "a country the post speaks of (ISO 3166-1 alpha-2)"),
        ("name", "text", "the country's English name"),
        ("n_mentions", "int", "how often the post names it (names and demonyms)"),
    ),
}
PRIMARY_KEYS = {"posts": ["post_id"], "figures": ["figure_id"], "organisations": ["organisation_key"],
                "organisation_mentions": ["mention_id"], "conventions": ["mention_id"],
                "instruments": ["post_id", "instrument_id"], "post_countries": ["post_id", "country"]}
FOREIGN_KEYS = {
    "figures": [("post_id", "posts", "post_id")],
    "organisations": [("post_id", "posts", "post_id")],
    "organisation_mentions": [("organisation_key", "organisations", "organisation_key"),
                              ("post_id", "posts", "post_id")],
    "conventions": [("post_id", "posts", "post_id")],
    "instruments": [("post_id", "posts", "post_id")],
    "post_countries": [("post_id", "posts", "post_id")],
}
LIST_COLUMNS = {name: [i for i, c in enumerate(cols) if c.kind == "list"] for name, cols in TABLES.items()}
INDEXES = [("figures", "post_id"), ("figures", "unit"), ("organisations", "post_id"), ("organisations", "entity_id"),
           ("organisation_mentions", "organisation_key"), ("conventions", "post_id"),
           ("conventions", "instrument_id"), ("instruments", "instrument_id"), ("posts", "date"),
           ("posts", "language"), ("post_countries", "country")]


_encode_list = json.JSONEncoder(ensure_ascii=False).encode  # one encoder, not one per call as json.dumps makes


def json_lists(name: str, rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """The rows with their list columns as JSON arrays (text), for CSV and SQLite."""
    at = LIST_COLUMNS[name]
    if not at or not rows:
        return rows
    columns = list(zip(*rows, strict=True))
    for i in at:
        columns[i] = tuple(None if v is None else "[]" if not v else _encode_list(v) for v in columns[i])
    return list(zip(*columns, strict=True))


def _offset(ts: Any) -> str | None:
    """The UTC offset written at the end of an ISO timestamp ('+05:45'; 'Z' as '+00:00'), or None."""
    if not isinstance(ts, str) or len(ts) < 20:
        return None
    tail = ts[19:]
    if tail == "Z":
        return "+00:00"
    return tail if len(tail) == 6 and tail[0] in "+-" else None


# Top-level fields whose type the tables rely on: a record of another shape is named rather than exported wrong.
FIELD_TYPES: tuple[tuple[str, type], ...] = (
    ("url", str), ("date", str), ("title", str), ("language", str), ("complete", bool), ("mixed", bool),
    ("flags", list), ("figures", list), ("organisations", list), ("conventions", list), ("instruments", list),
    ("countries", list))


def _rows(rec: dict[str, Any], post: dict[str, Any]) -> dict[str, list[tuple[Any, ...]]]:
    for key, kind in FIELD_TYPES:
        value = rec.get(key)
        if value is None:
            if key in rec:  # absent fields are left empty; a null where the schema wants a value is refused
                raise ValueError(f"{key} is null, not {kind.__name__}")
        elif not isinstance(value, kind):
            raise ValueError(f"{key} is {type(value).__name__}, not {kind.__name__}")
    pid = str(rec["id"])
    date = rec.get("date")
    figures, orgs, conventions = rec.get("figures", []), rec.get("organisations", []), rec.get("conventions", [])
    published = post.get("published")
    out: dict[str, list[tuple[Any, ...]]] = {"posts": [(
        pid, rec.get("url"), date, published, _offset(published),
        int(date[:4]) if isinstance(date, str) and date[:4].isdigit() else None, rec.get("title"),
        post.get("author"), list(post.get("labels") or []), rec.get("language"), 1 if rec.get("complete", True) else 0,
        list(rec.get("flags") or []), 1 if rec.get("mixed") else 0, len(figures), len(orgs), len(conventions),
        post.get("text", ""),
    )]}
    out["figures"] = [(
        f["id"], pid, f["value"], f["unit"], f.get("unit_text", ""), f.get("subject"), 1 if f.get("approx") else 0,
        f.get("qualifier"), f.get("low"), f.get("high"), f.get("parent"), f.get("group"), f.get("share"),
        f.get("field", "text"), f["start"], f["end"], f["text"], f["sentence"], f.get("country"),
    ) for f in figures]
    organisations = out["organisations"] = []
    mentions = out["organisation_mentions"] = []
    for org in orgs:
        okey = f"{pid}:{org['id']}"
        org_mentions = org.get("mentions", [])
        organisations.append((
            okey, pid, org["id"], org["name"], org.get("acronym"), org.get("canonical"), org.get("type"),
            org.get("country"), org.get("parent"), 1 if org.get("kb") else 0, len(org_mentions),
            list(org.get("aliases", [])),
        ))
        mentions.extend((
            f"{okey}:m{n}", okey, pid, org["id"], m.get("field", "text"), m["start"], m["end"], m["text"],
            m.get("language"), m["sentence"], m.get("country"),
        ) for n, m in enumerate(org_mentions, 1))
    out["conventions"] = [(
        f"{pid}:c{n}", pid, c.get("id"), c.get("type"), c.get("number"), 1 if c.get("unknown") else 0,
        c.get("field", "text"), c["start"], c["end"], c["text"], c["sentence"],
    ) for n, c in enumerate(conventions, 1)]
    out["instruments"] = [(
        pid, i["id"], i["type"], i["number"], i["title"], i.get("year"), 1 if i.get("fundamental") else 0,
        i.get("status"),
    ) for i in rec.get("instruments", [])]
    out["post_countries"] = [(pid, c["code"], c["name"], len(c.get("mentions", []))) for c in rec.get("countries", [])]
    return out


def table_rows(rec: dict[str, Any], post: dict[str, Any]) -> dict[str, list[tuple[Any, ...]]]:
    """One record (and its post's text and metadata) as rows of every flat table, in column order.

    The run does not check each record against the schema (the tests do); a record whose shape does not fit
    the tables stops the export with one line naming it."""
    try:
        return _rows(rec, post)
    except (KeyError, TypeError, AttributeError, ValueError, IndexError) as exc:
        what = f"missing {exc}" if isinstance(exc, KeyError) else str(exc)
        raise InputError(f"record {rec.get('id')!r} does not have the shape of a record ({what}); check it "
                         f"with `python -m pipeline export --validate`") from None


def flat_rows(rec: dict[str, Any], post: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """The same rows as dicts (column name -> value): for readers and tests, not the export's hot path."""
    names = {table: [c.name for c in cols] for table, cols in TABLES.items()}
    return {table: [dict(zip(names[table], row, strict=True)) for row in rows]
            for table, rows in table_rows(rec, post).items()}
