"""CSV tables: one csv.writer per table, safe to open in a spreadsheet.

- Text cells that a spreadsheet would read as a formula (starting with ``=``, ``+``, ``-``, ``@``, a tab or a
  carriage return) get a leading ``'``, as OWASP advises; numbers stay numbers (a negative value in a number
  column is not text and is written as it is).
- Lines end with CRLF (RFC 4180), so a cell holding a newline or a bare carriage return is quoted and every
  row stays one row for any CSV reader.
- Lists are JSON arrays, booleans 0/1, missing values empty cells.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from typing import IO, Any

from pipeline.export.tables import TABLES

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_text(value: Any) -> Any:
    """A text cell a spreadsheet will not run: a leading ' before a formula-like start."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _cell(kind: str) -> Callable[[Any], Any] | None:
    """How one column's values become cells; None for values written as they are."""
    if kind == "text":
        return safe_text
    if kind == "list":
        return lambda v: safe_text(json.dumps(v, ensure_ascii=False)) if v is not None else None
    if kind == "bool":
        return lambda v: None if v is None else int(v)
    if kind == "timestamp":
        return safe_text
    return None


class CsvTable:
    """Rows of one table into an open text file (opened with newline='')."""

    def __init__(self, fh: IO[str], name: str) -> None:
        self.writer = csv.writer(fh, lineterminator="\r\n")
        cols = TABLES[name]
        self.writer.writerow([c.name for c in cols])
        self.convert = [(i, f) for i, c in enumerate(cols) if (f := _cell(c.kind)) is not None]

    def write(self, rows: list[tuple[Any, ...]]) -> None:
        convert = self.convert
        out = []
        for row in rows:
            cells = list(row)
            for i, f in convert:
                cells[i] = f(cells[i])
            out.append(cells)
        self.writer.writerows(out)
