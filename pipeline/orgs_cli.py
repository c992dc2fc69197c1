"""The ``orgs`` command: list the organisations of a corpus that the knowledge base does not know.

Apart from the organisations package because it may run the extraction (``--posts``), and the extraction
loads the organisations package: a handler inside it would close an import cycle.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Iterable
from typing import Any

from pipeline.options import non_negative_int

log = logging.getLogger(__name__)


def orgs_command(args: argparse.Namespace) -> int:
    """Print the unknown organisations of --records (or of the extraction of --posts), most mentioned first."""
    # Imported here: building the parser must not load spaCy and the knowledge base.
    from pipeline.extract.organisations.report import unknown_organisations
    from pipeline.jsonl import read_jsonl

    if not args.unknown:
        log.error("nothing to do: give --unknown to list organisations missing from the knowledge base")
        return 2
    if args.posts:
        from pipeline.extract import Extractor
        from pipeline.posts_io import read_posts
        from pipeline.progress import progress

        posts = read_posts(args.posts)
        records: Iterable[dict[str, Any]] = (r.to_dict() for r in Extractor().extract(progress(posts, "orgs")))
    else:
        records = read_jsonl(args.records)
    rows = unknown_organisations(records, args.top)
    out = sys.stdout
    out.write(f"{'mentions':>8}  {'posts':>5}  organisation\n")
    for row in rows:
        label = row.name + (f" ({row.acronym})" if row.acronym and row.acronym != row.name else "")
        out.write(f"{row.mentions:8d}  {row.posts:5d}  {label}\n")
        if row.example:
            out.write(f"{'':17}e.g. {row.example}\n")
    log.info("%d organisations not in the knowledge base", len(rows))
    return 0


def add_cli(sub: argparse._SubParsersAction) -> None:
    """Register ``orgs``."""
    p = sub.add_parser(
        "orgs", help="organisations in the corpus; --unknown lists those missing from the knowledge base",
        description="List, most mentioned first, the candidate organisations found in the corpus that the "
        "knowledge base (pipeline/data/organisations.toml) does not know, with mention and post counts and "
        "an example sentence each, so that a researcher can grow the knowledge base. Reads extracted records "
        "(--records), or runs the extraction on posts (--posts).")
    p.add_argument("--unknown", action="store_true", help="list organisations not in the knowledge base")
    p.add_argument("--records", default="corpus/records.jsonl",
                   help="records.jsonl written by 'extract' (default: corpus/records.jsonl)")
    p.add_argument("--posts", help="posts.jsonl: run the extraction on these posts instead of reading records")
    p.add_argument("--top", type=non_negative_int, default=50, help="how many to list (default 50; 0 for all)")
    p.set_defaults(func=orgs_command)
