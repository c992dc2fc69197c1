"""The SQLite database, shaped for datasette: keys, indexes, JSON arrays for lists, FTS5 over the posts.

Rows go in with ``executemany`` in one transaction; indexes and the full-text index are built after the rows;
no VACUUM (a new database built in one go has nothing to reclaim). The full-text table is declared with
``content="posts"`` in double quotes, the form datasette recognises, so that it shows a search box and
``?_search=`` searches only the matching posts.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from pathlib import Path
from typing import Any

from pipeline.errors import InputError
from pipeline.export.tables import FOREIGN_KEYS, INDEXES, PRIMARY_KEYS, TABLES
from pipeline.jsonl import publish

SQL_TYPES = {"text": "TEXT", "int": "INTEGER", "real": "REAL", "bool": "INTEGER", "list": "TEXT", "date": "TEXT",
             "timestamp": "TEXT"}
FTS_TABLE = "posts_fts"
FTS_SQL = (f'CREATE VIRTUAL TABLE "{FTS_TABLE}" USING fts5(title, text, content="posts", content_rowid="rowid", '
           "tokenize='unicode61 remove_diacritics 2')")


def create_sql(name: str) -> str:
    """CREATE TABLE for one table, with its keys."""
    defs = [f'"{c.name}" {SQL_TYPES[c.kind]}' for c in TABLES[name]]
    defs.append("PRIMARY KEY (" + ", ".join(f'"{k}"' for k in PRIMARY_KEYS[name]) + ")")
    defs += [f'FOREIGN KEY ("{col}") REFERENCES "{table}"("{ref}")' for col, table, ref in FOREIGN_KEYS.get(name, [])]
    return f'CREATE TABLE "{name}" ({", ".join(defs)})'


class SqliteDatabase:
    """A new database built in a temporary file beside `path`; ``close`` publishes it, ``abort`` drops it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        fd, self.tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        os.close(fd)
        self.con = sqlite3.connect(self.tmp, isolation_level=None)
        # A temporary file published only when complete: no journal needed to protect it.
        self.con.execute("PRAGMA journal_mode = OFF")
        self.con.execute("PRAGMA synchronous = OFF")
        self.con.execute("BEGIN")
        self.inserts: dict[str, str] = {}
        for name, cols in TABLES.items():
            self.con.execute(create_sql(name))
            self.inserts[name] = f'INSERT INTO "{name}" VALUES ({", ".join("?" for _ in cols)})'

    def write(self, name: str, rows: list[tuple[Any, ...]]) -> None:
        """Rows with their lists already as JSON text (``tables.json_lists``)."""
        try:
            self.con.executemany(self.inserts[name], rows)
        except sqlite3.IntegrityError as exc:  # a second row with the same key: two records with one id
            raise InputError(f"{name}: two rows with the same key ({exc}); are there duplicate record ids?") from None

    def close(self) -> None:
        """Indexes and full-text index after the rows, commit, publish."""
        con = self.con
        for table, col in INDEXES:
            con.execute(f'CREATE INDEX "idx_{table}_{col}" ON "{table}" ("{col}")')
        con.execute(FTS_SQL)
        con.execute(f"INSERT INTO \"{FTS_TABLE}\"(\"{FTS_TABLE}\") VALUES ('rebuild')")
        con.execute("COMMIT")
        con.close()
        with open(self.tmp, "rb") as fh:  # synchronous = OFF: make the file durable before it is published
            os.fsync(fh.fileno())
        publish(self.tmp, self.path)

    def abort(self) -> None:
        """Drop the temporary database."""
        self.con.close()
        Path(self.tmp).unlink(missing_ok=True)
