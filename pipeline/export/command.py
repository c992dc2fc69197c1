"""The ``export`` command."""

from __future__ import annotations

import argparse


def _run(args: argparse.Namespace) -> int:
    """The exports are written into a staging directory and published as a whole (``pipeline.generation``)."""
    from pathlib import Path

    from pipeline.export.core import export_corpus
    from pipeline.generation import generation
    from pipeline.outputs import refuse_empty

    # Records without an id or with a repeated one, and posts of the wrong shape, are named by file:line as
    # the export reads them (pipeline.export.core); nothing is published then.
    with generation(args.out) as stage:
        summary = export_corpus(args.records, args.posts, stage, args.source, validate=args.validate)
        if not args.force:
            refuse_empty(Path(args.out) / "records.jsonl", summary.posts, "records")
            refuse_empty(Path(args.out) / "tables" / "posts.csv", summary.posts, "posts", skip=1)
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
    p.add_argument("--force", action="store_true",
                   help="write the exports even when there is no record and the existing ones have posts")
    p.set_defaults(func=_run)
