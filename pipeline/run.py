"""The whole chain: (scrape) -> parse -> language -> extract -> split by language -> export."""

from __future__ import annotations

import argparse
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from pipeline.config import CORPUS_DIR, DEFAULT_LANGUAGE_BACKEND, LANGUAGE_BACKENDS, SNAPSHOT_RAW, SNAPSHOT_SOURCE
from pipeline.errors import FetchError, InputError
from pipeline.extract.batch import BATCH_SIZE
from pipeline.options import positive_int
from pipeline.runner import ExecOptions, add_executor_arguments, options_from_args
from pipeline.scrape.command import add_crawl_arguments, config_from_args

if TYPE_CHECKING:
    from pipeline.parse import Parsed
    from pipeline.rawstore import RawResponse

log = logging.getLogger(__name__)


def scraped_raw_dir(out_dir: Path, url: str) -> Path:
    """Where a scraped blog's raw store lives: one directory per host, kept across runs (resumable)."""
    host = urlsplit(url if "://" in url else f"https://{url}").hostname or "blog"
    return out_dir / "scraped" / host


PAGES_PER_TASK = 8  # stored responses sent to a worker at a time in a parallel run (about 20-50 KB each)


def run_chain(raw: Path, out_dir: Path, source: str, language_backend: str = DEFAULT_LANGUAGE_BACKEND,
              options: ExecOptions | None = None, batch_size: int = BATCH_SIZE, force: bool = True) -> dict[str, int]:
    """Parse the raw store and run every later stage, writing into `out_dir`; return counts.

    Posts stream through the chain in chunks; with `options` asking for workers or a Dask cluster, the
    pages are parsed there (chunks of stored responses) and so are language and extraction (chunks of
    merged posts), on the same workers; the split by language is written as results come back. The files
    written are the same, byte for byte, whatever runs the chunks. Every file is written into a staging
    directory and the whole is published at the end (``pipeline.generation``); a run that finds no post
    where `out_dir` holds posts stops and changes nothing, unless `force`.
    """
    from functools import partial

    from pipeline.export import export_corpus
    from pipeline.extract.batch import process_posts, warm
    from pipeline.generation import generation
    from pipeline.outputs import refuse_empty
    from pipeline.parse import iter_post_lines, parse_responses
    from pipeline.progress import progress
    from pipeline.runner import Runner
    from pipeline.split import CorpusSplit

    options = options or ExecOptions()
    out_dir = Path(out_dir)
    with generation(out_dir) as stage:
        posts_path = stage / "posts.jsonl"
        records_path = stage / "records.jsonl"
        with Runner(options, setup=partial(warm, batch_size, language_backend)) as runner:
            def reader(responses: Iterator[RawResponse]) -> Iterator[Parsed]:
                for parsed in runner.map(parse_responses, responses, PAGES_PER_TASK):
                    yield from parsed

            posts = iter_post_lines(raw, reader=reader if options.parallel else None)
            # One streamed path whatever runs the per-post stages: posts are parsed, annotated, extracted and
            # written in chunks, so memory does not grow with the corpus.
            with CorpusSplit(stage, published=out_dir) as split:
                n = process_posts(progress(posts, "posts", every=500), records_path, posts_path, options,
                                  batch_size, language_backend, runner=runner, split=split)
                if not force:  # before the split's files are written: nothing is published
                    refuse_empty(out_dir / "posts.jsonl", n)
            split.log()
        log.info("%d posts from %s annotated and extracted", n, raw)
        if n == 0:
            log.warning("%s: no post found; the corpus written is empty", raw)
        export_corpus(records_path, posts_path, stage, source=source)
    return {"posts": n, "records": n}


def run(args: argparse.Namespace) -> int:
    """Handler of ``run``."""
    out_dir = Path(args.out)
    if args.source:
        from pipeline.scrape import crawl, log_summary

        raw = Path(args.raw) if args.raw else scraped_raw_dir(out_dir, args.source[0])
        stats = crawl(list(args.source), raw, config_from_args(args))
        log_summary(stats)
        if stats.empty:
            why = "; ".join(stats.unreachable or stats.errors[:3]) or "no page could be fetched"
            raise FetchError(f"nothing could be crawled from {', '.join(stats.empty)} ({why}); the corpus in "
                             f"{out_dir} is left as it was")
        source = " ".join(args.source)
    else:
        raw = Path(args.raw) if args.raw else SNAPSHOT_RAW
        if not args.raw and not raw.is_dir():
            # Installed from a wheel: the snapshot is in the repository, not the package.
            raise InputError(f"{raw}: no raw store here (the bundled snapshot is corpus/raw of the repository, "
                             "not part of the package): run in a clone, or give --raw PATH or --source URL")
        source = f"{SNAPSHOT_SOURCE} ({raw.name})" if raw.resolve() == SNAPSHOT_RAW.resolve() else str(raw)
    counts = run_chain(raw, out_dir, source, args.language_backend, options_from_args(args), args.batch_size,
                       args.force)
    log.info("corpus ready in %s: %d posts, %d records", out_dir, counts["posts"], counts["records"])
    return 0


def add_cli(sub: argparse._SubParsersAction) -> None:
    """Register ``run``."""
    p = sub.add_parser(
        "run",
        help="the whole chain: (scrape) parse, language, extract, split, export",
        description="Without --source, runs on the bundled snapshot (corpus/raw), offline. With --source URL, "
        "scrapes that Blogger blog into corpus/scraped/<host>/ first (resumable; run again to update: new and "
        "changed posts are fetched, the rest kept), then runs the chain.",
    )
    p.add_argument("--source", nargs="+", metavar="URL", help="Blogger blog base URL(s) to scrape first")
    p.add_argument("--raw", help="raw store directory (default: the bundled snapshot corpus/raw, or with --source "
                   "<out>/scraped/<host>)")
    p.add_argument("--out", default=str(CORPUS_DIR), help="output directory (default: corpus/ of the checkout, or "
                   "./corpus when installed)")
    add_crawl_arguments(p)
    p.add_argument("--language-backend", choices=LANGUAGE_BACKENDS, default=DEFAULT_LANGUAGE_BACKEND,
                   help="the detector behind the function-word vote (default: %(default)s)")
    p.add_argument("--batch-size", type=positive_int, default=BATCH_SIZE, help="posts per spaCy batch")
    add_executor_arguments(p)
    p.add_argument("--force", action="store_true",
                   help="write the corpus even when no post is found and the existing corpus has posts")
    p.set_defaults(func=run)
