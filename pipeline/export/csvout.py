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
import re
from typing import IO, Any

from pipeline.export.tables import TABLES

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A formula-like start anywhere in a column joined by NUL (which no cell holds): one C-speed search per column.
_FORMULA_IN_COLUMN = re.compile("\x00[=+\\-@\t\r]")


def safe_text(value: Any) -> Any:
    """A text cell a spreadsheet will not run: a leading ' before a formula-like start."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class CsvTable:
    """Rows of one table into an open text file; rows hold lists already as JSON text (``json_lists``)."""

    def __init__(self, fh: IO[str], name: str) -> None:
        self.writer = csv.writer(fh, lineterminator="\r\n")
        cols = TABLES[name]
        self.writer.writerow([c.name for c in cols])
        # Lists are JSON arrays (they start with [), dates and numbers start with a digit or a sign that is
        # part of the number: only text columns need a look.
        self.text = [i for i, c in enumerate(cols) if c.kind in ("text", "timestamp")]

    def write(self, rows: list[tuple[Any, ...]]) -> None:
        if not rows:
            return
        columns = None
        for i in self.text:
            if columns is None:
                columns = list(zip(*rows, strict=True))
            try:
                joined = "\x00" + "\x00".join(filter(None, columns[i]))
            except TypeError:  # a cell of another type in a text column: look at the strings only
                joined = "\x00" + "\x00".join(v for v in columns[i] if isinstance(v, str))
            if _FORMULA_IN_COLUMN.search(joined):
                columns[i] = tuple(safe_text(v) for v in columns[i])
                rows = None  # type: ignore[assignment]
        if rows is None:
            rows = list(zip(*columns, strict=True))  # type: ignore[arg-type]
        self.writer.writerows(rows)
