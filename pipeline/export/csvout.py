"""CSV tables, written by Arrow's CSV writer from the row groups built for Parquet, safe in a spreadsheet.

- Text cells that a spreadsheet would read as a formula (starting with ``=``, ``+``, ``-``, ``@``, a tab or a
  carriage return) get a leading ``'``, as OWASP advises; numbers stay numbers (a negative value in a number
  column is not text and is written as it is).
- Every text cell is quoted, so a newline or a bare carriage return in it stays inside its cell and every row
  stays one row for any CSV reader; missing values are empty, unquoted cells.
- Lists are JSON arrays, booleans 0/1, dates and timestamps as the records give them.
"""

from __future__ import annotations

import json
from typing import IO, Any

from pipeline.export.tables import TABLES

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FORMULA_REGEX = "^[=+\\-@\\t\\r]"
_encode_list = json.JSONEncoder(ensure_ascii=False).encode


def safe_text(value: Any) -> Any:
    """A text cell a spreadsheet will not run: a leading ' before a formula-like start."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_array(arr: Any) -> Any:
    """`safe_text` over an Arrow string array, in Arrow's compute kernels."""
    import pyarrow.compute as pc

    risky = pc.match_substring_regex(arr, FORMULA_REGEX)
    if not pc.any(risky).as_py():
        return arr
    return pc.if_else(risky, pc.binary_join_element_wise("'", arr, ""), arr)


class CsvTable:
    """One table's CSV, a row group at a time, into an open binary file."""

    def __init__(self, fh: IO[bytes], name: str) -> None:
        import pyarrow as pa
        import pyarrow.csv as pcsv

        cols = TABLES[name]
        self.kinds = [c.kind for c in cols]
        types = {"int": pa.int64(), "real": pa.float64(), "bool": pa.int8()}
        self.schema = pa.schema([(c.name, types.get(c.kind, pa.string())) for c in cols])
        self.writer = pcsv.CSVWriter(fh, self.schema, write_options=pcsv.WriteOptions(quoting_header="none"))

    def write_group(self, columns: list[tuple[Any, ...]], arrays: list[Any]) -> None:
        """One row group: its columns as Python values and as the Arrow arrays made for Parquet."""
        import pyarrow as pa

        out = []
        for kind, values, arr in zip(self.kinds, columns, arrays, strict=True):
            if kind == "text":
                arr = safe_array(arr)
            elif kind == "list":
                arr = pa.array([None if v is None else "[]" if not v else _encode_list(v) for v in values],
                               type=pa.string())
            elif kind == "bool":
                arr = arr.cast(pa.int8())
            elif kind in ("date", "timestamp"):  # as the records give them (Parquet has them typed)
                arr = safe_array(pa.array(values, type=pa.string()))
            out.append(arr)
        self.writer.write_table(pa.Table.from_arrays(out, schema=self.schema))

    def close(self) -> None:
        self.writer.close()
