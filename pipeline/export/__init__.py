"""Exports for analysts and other tools: one JSON document, JSON Lines, flat tables (CSV, Parquet), SQLite.

Modules: ``tables`` (columns and one record's rows), ``csvout``, ``parquet``, ``sqlite`` (one a format),
``jsondoc`` (records.json and its header), ``metadata`` (datasette's metadata.json), ``validate`` (the schema
check), ``core`` (the export itself), ``command`` (the CLI).
"""

from pipeline.export.command import add_cli
from pipeline.export.core import ExportSummary, export_corpus, export_records
from pipeline.export.jsondoc import header
from pipeline.export.tables import TABLES, flat_rows, table_rows

__all__ = ["TABLES", "ExportSummary", "add_cli", "export_corpus", "export_records", "flat_rows", "header",
           "table_rows"]
