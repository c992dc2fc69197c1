"""The ``export`` command."""

from __future__ import annotations

import argparse


def _run(args: argparse.Namespace) -> int:
    from pipeline.export.core import export_corpus

    export_corpus(args.records, args.posts, args.out, args.source, validate=args.validate)
    return 0


def add_cli(sub: argparse._SubParsersAction) -> None:
    """Register ``export``."""
    p = sub.add_parser("export", help="write records.json, flat tables (CSV, Parquet), corpus.sqlite, metadata.json",
                       description="Export records and posts for analysts and other tools. Files are written "
                       "atomically and deterministically.")
    p.add_argument("--records", default="corpus/records.jsonl", help="records.jsonl to export (default: %(default)s)")
    p.add_argument("--posts", default="corpus/posts.jsonl", help="posts.jsonl of the same posts (default: %(default)s)")
    p.add_argument("--out", default="corpus", help="directory to write into (default: %(default)s)")
    p.add_argument("--source", default="", help="where the corpus came from (for the header)")
    p.add_argument("--validate", action="store_true",
                   help="check every record against the record schema first (slower; the tests do it)")
    p.set_defaults(func=_run)
