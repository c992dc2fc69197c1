"""Typed Parquet tables, streamed in row groups so that memory stays flat.

``date`` is date32, ``published`` a UTC timestamp (the source's offset in ``published_offset``; a timestamp the
source gave without an offset is read as UTC), booleans bool, lists list<string>. The file metadata carries
the schema and pipeline versions and the source.
"""

from __future__ import annotations

import datetime as dt
import importlib.abc
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, Any

from pipeline.errors import InputError
from pipeline.export.csvout import CsvTable
from pipeline.export.tables import TABLES


class _NoPandas(importlib.abc.MetaPathFinder):
    """An import of pandas fails while installed (see ``without_pandas``)."""

    def find_spec(self, name: str, path: Any = None, target: Any = None) -> None:
        if name == "pandas" or name.startswith("pandas."):
            raise ImportError("pandas is not needed to write the export's Parquet files")
        return None


@contextmanager
def without_pandas() -> Iterator[None]:
    """pyarrow imports pandas (about 0.7 s and 60 MB) on its first conversion of a Python list, only to ask
    whether the list is a pandas object and to learn pandas' missing-value markers; the export converts plain
    lists only. So while the export writes, and only if nothing imported pandas before, that import fails and
    pyarrow goes on without it; afterwards pandas imports as usual (pyarrow's ``to_pandas`` tries again)."""
    if "pandas" in sys.modules:
        yield
        return
    finder = _NoPandas()
    sys.meta_path.insert(0, finder)
    try:
        yield
    finally:
        sys.meta_path.remove(finder)


PARQUET_ROWS = 2048  # rows per Parquet row group: at most this much of a table is held at once


def _date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _timestamp(value: Any) -> dt.datetime | None:
    if not isinstance(value, str):
        return None
    try:
        ts = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    if ts.tzinfo is None:
        ts = ts.replace(tzinfo=dt.UTC)
    return ts.astimezone(dt.UTC)


def arrow_schema(name: str, metadata: dict[str, str] | None = None) -> Any:
    """The Arrow schema of one table."""
    import pyarrow as pa

    types = {"text": pa.string(), "int": pa.int64(), "real": pa.float64(), "bool": pa.bool_(),
             "list": pa.list_(pa.string()), "date": pa.date32(), "timestamp": pa.timestamp("us", tz="UTC")}
    return pa.schema([pa.field(c.name, types[c.kind], metadata={"description": c.description})
                      for c in TABLES[name]], metadata=metadata)


class ParquetTable:
    """Rows of one table into an open binary file, PARQUET_ROWS rows per row group."""

    def __init__(self, fh: IO[bytes], name: str, metadata: dict[str, str], csv: CsvTable | None = None,
                 rows_per_group: int = 0) -> None:
        import pyarrow.parquet as pq

        self.name = name
        self.csv = csv  # the same row groups as CSV

        self.schema = arrow_schema(name, metadata)
        self.kinds = [c.kind for c in TABLES[name]]
        self.rows_per_group = rows_per_group or PARQUET_ROWS
        self.buffer: list[tuple[Any, ...]] = []
        self.groups = 0
        self.writer = pq.ParquetWriter(fh, self.schema, compression="zstd")

    def write(self, rows: list[tuple[Any, ...]]) -> None:
        self.buffer.extend(rows)
        n = self.rows_per_group
        while len(self.buffer) >= n:
            self._group(self.buffer[:n])
            del self.buffer[:n]

    def _group(self, rows: list[tuple[Any, ...]]) -> None:
        """Write one row group, column by column."""
        import pyarrow as pa

        columns = list(zip(*rows, strict=True)) if rows else [() for _ in self.kinds]
        arrays = []
        for kind, values, field in zip(self.kinds, columns, self.schema, strict=True):
            try:
                if kind == "date":
                    arrays.append(pa.array([_date(v) for v in values], type=field.type))
                elif kind == "timestamp":
                    arrays.append(pa.array([_timestamp(v) for v in values], type=field.type))
                elif kind == "bool":  # rows hold 0/1
                    arrays.append(pa.array(values, type=pa.int8()).cast(pa.bool_()))
                else:
                    arrays.append(pa.array(values, type=field.type))
            except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:  # a record of another shape than the schema's
                raise InputError(f"table {self.name}, column {field.name}: a value of the wrong type ({exc}); "
                                 "check the records with `python -m pipeline export --validate`") from None
        self.writer.write_table(pa.Table.from_arrays(arrays, schema=self.schema))
        if self.csv is not None:
            self.csv.write_group(columns, arrays)
        self.groups += 1

    def finish(self) -> None:
        """Write what is left (an empty table still gets its schema) and close the writer, not the file."""
        if self.buffer or not self.groups:
            self._group(self.buffer)
            self.buffer = []
        self.writer.close()
