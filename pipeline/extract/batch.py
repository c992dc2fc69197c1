"""The per-post stages over a stream of posts: language and extraction, chunk by chunk, written in input order.

A chunk of posts is annotated, extracted and serialised as JSON Lines text where it runs (this process,
a pool worker or a Dask worker, see ``pipeline.runner``), and the texts are written back in input order.
Chunks are whole multiples of the extractor's batch size, so every spaCy batch holds exactly the posts
it holds in a single-process run: the output files are the same, byte for byte, whatever runs them.
Workers load the pipelines once and keep them for their life.
"""

from __future__ import annotations

import argparse
import gc
import logging
import threading
from collections.abc import Iterable
from contextlib import ExitStack
from functools import cache, partial
from pathlib import Path
from typing import IO

from pipeline.config import DEFAULT_LANGUAGE_BACKEND
from pipeline.errors import InputError
from pipeline.extract import Extractor
from pipeline.flags import CHUNKED, LANGUAGE_UNCERTAIN
from pipeline.jsonl import atomic_open, dumps, write_jsonl
from pipeline.options import positive_int
from pipeline.outputs import check_target, refuse_empty
from pipeline.posts_io import PostItem, PostLine, UniqueIds, read_post_lines, read_posts
from pipeline.progress import progress
from pipeline.runner import ExecOptions, Runner, add_executor_arguments, options_from_args
from pipeline.split import CorpusSplit, corpus_language

log = logging.getLogger(__name__)

# What a chunk gives back: records and annotated posts as JSON Lines text, ids of posts extracted in chunks,
# (id, file, line) of posts read from lines, and each post's corpus folders (see ``process_chunk``).
ChunkResult = tuple[str, str, list[str], list[tuple[str, str, int]], list[tuple[str, str, bool]]]

BATCH_SIZE = 64  # posts per spaCy batch


def whole_batches(chunk_size: int, batch_size: int) -> int:
    """Posts per chunk: the chunk size rounded up to whole extractor batches."""
    return -(-chunk_size // batch_size) * batch_size


def check_batch_size(batch_size: int) -> None:
    """A batch of no post would extract nothing: refuse it rather than write an empty file."""
    if batch_size < 1:
        raise InputError(f"--batch-size must be at least 1, not {batch_size}")


# ---------------------------------------------------------------- work done where the chunk runs


@cache
def _worker(batch_size: int, language_backend: str) -> tuple[Extractor, threading.Lock]:
    """This process's extractor, built on first use and kept for the process's life."""
    extractor = Extractor(batch_size=batch_size, language_backend=language_backend)
    # English is the fallback pipeline of every language without its own, so nearly every run needs it: loaded
    # now. Dutch and French load when a post first needs them.
    extractor.pipeline("en")
    # The pipelines, patterns and lookup tables live as long as the process: moved out of the cyclic
    # collector's reach, they are no longer traversed by every full collection (68 ms each, 2-5% of a run).
    # Frozen objects are still freed by reference counting. Pipelines loaded later are frozen as they load.
    gc.freeze()
    extractor.freeze_loaded = True
    # A Dask worker may run several threads; the spaCy pipelines are shared, so one chunk at a time.
    return extractor, threading.Lock()


def warm(batch_size: int, language_backend: str, all_languages: bool = False) -> None:
    """Load the extractor now (pool initializer, Dask ``client.run``) so the first chunk is not slow; with
    `all_languages`, every language's pipeline too (else Dutch and French load when first needed)."""
    extractor, _ = _worker(batch_size, language_backend)
    if all_languages:
        extractor.load_all()


def process_chunk(items: list[PostItem], batch_size: int, language_backend: str,
                  with_posts: bool, with_folders: bool = False) -> ChunkResult:
    """Annotate and extract a chunk; return its records and (optionally) annotated posts as JSON Lines text,
    the ids of the posts too long for one doc (extracted in chunks, flagged), (id, file, line) of the posts
    read from lines (for the reader to refuse repeated ids), and (optionally) each post's corpus folder, its
    record's, and whether the post is flagged language_uncertain."""
    posts = [p.post() if isinstance(p, PostLine) else p for p in items]
    lines = [(post.id, item.source, item.lineno) for post, item in zip(posts, items, strict=True)
             if isinstance(item, PostLine)]
    extractor, lock = _worker(batch_size, language_backend)
    with lock:
        pairs = extractor.process(posts)
        chunked, extractor.chunked = extractor.chunked, []
    records = "".join(dumps(record.to_dict()) + "\n" for _, record in pairs)
    annotated = "".join(dumps(post.to_dict()) + "\n" for post, _ in pairs) if with_posts else ""
    folders = [(corpus_language(post.language), corpus_language(record.language), LANGUAGE_UNCERTAIN in post.flags)
               for post, record in pairs] if with_folders else []
    return records, annotated, chunked, lines, folders


def log_chunked(ids: list[str]) -> None:
    """The end-of-run line on the posts extracted in chunks."""
    if ids:
        shown = ", ".join(ids[:10]) + (f" and {len(ids) - 10} more" if len(ids) > 10 else "")
        log.warning("%d posts longer than one doc holds were extracted in chunks and flagged %s: %s", len(ids),
                    CHUNKED, shown)


# ---------------------------------------------------------------- files


def process_posts(posts: Iterable[PostItem], records_out: str | Path, posts_out: str | Path | None = None,
                  options: ExecOptions | None = None, batch_size: int = BATCH_SIZE,
                  language_backend: str = DEFAULT_LANGUAGE_BACKEND, force: bool = True, runner: Runner | None = None,
                  split: CorpusSplit | None = None) -> int:
    """Run language + extraction over a stream of posts; write records (and annotated posts) atomically.

    Without `force`, no post over a `records_out` that holds records leaves it as it was (InputError).
    With `runner` the chunks run there (a run shares its workers between parsing and extraction); with `split`
    (and `posts_out`) each post and record also goes to its language folder as its chunk comes back.
    """
    check_batch_size(batch_size)
    options = options or ExecOptions()
    if split is not None and posts_out is None:
        raise ValueError("a streamed split needs the annotated posts (posts_out)")
    work = partial(process_chunk, batch_size=batch_size, language_backend=language_backend,
                   with_posts=posts_out is not None, with_folders=split is not None)
    n = 0
    chunked: list[str] = []
    unique = UniqueIds()
    with ExitStack() as stack:
        rec_fh: IO[str] = stack.enter_context(atomic_open(records_out))
        post_fh: IO[str] | None = stack.enter_context(atomic_open(posts_out)) if posts_out else None
        if runner is None:
            runner = stack.enter_context(Runner(options, setup=partial(warm, batch_size, language_backend)))
        for records, annotated, long_posts, lines, folders in runner.map(
                work, posts, whole_batches(options.chunk_size, batch_size)):
            for pid, source, lineno in lines:  # a repeated id stops the run before anything is published
                unique.check(pid, source, lineno)
            rec_fh.write(records)
            if post_fh is not None:
                post_fh.write(annotated)
            if split is not None:
                # split("\n"), not splitlines(): a JSON string may hold U+2028 and other line breaks unescaped.
                for post_line, record_line, (post_folder, record_folder, uncertain) in zip(
                        annotated.split("\n")[:-1], records.split("\n")[:-1], folders, strict=True):
                    split.post(post_line + "\n", post_folder, uncertain)
                    split.record(record_line + "\n", record_folder)
            n += records.count("\n")
            chunked.extend(long_posts)
        if not force:
            refuse_empty(records_out, n, "records")
    log_chunked(chunked)
    return n


def extract_file(posts_path: str | Path, out_path: str | Path, batch_size: int = BATCH_SIZE,
                 options: ExecOptions | None = None, force: bool = True) -> int:
    """Read posts.jsonl, write records.jsonl (atomically, in input order); return the count.

    With options asking for workers or a Dask cluster the posts are processed there (see
    ``pipeline.runner``); the output is the same, byte for byte.
    """
    check_batch_size(batch_size)
    check_target(out_path)  # before the pipelines load: a bad output path fails at once
    options = options or ExecOptions()
    if options.parallel:
        return extract_file_parallel(posts_path, out_path, options, batch_size, force)
    posts = read_posts(posts_path, unique=True)
    extractor = Extractor(batch_size=batch_size)
    records = (r.to_dict() for r in extractor.extract(progress(posts, "extract")))
    n = write_jsonl(out_path, records, force=force)
    log_chunked(extractor.chunked)
    log.info("extracted %d records to %s", n, out_path)
    return n


def extract_file_parallel(posts_path: str | Path, out_path: str | Path, options: ExecOptions,
                          batch_size: int = BATCH_SIZE, force: bool = True) -> int:
    """``extract`` on a pool or a cluster: read posts.jsonl, write records.jsonl in input order."""
    # Lines, not posts: parsing JSON and pickling Post objects in this process took about 1.3 s of CPU per
    # 10,000 posts, on the same cores as the workers; the workers parse their own chunks.
    n = process_posts(progress(read_post_lines(posts_path), "extract"), out_path, options=options,
                      batch_size=batch_size, force=force)
    where = f"dask at {options.scheduler}" if options.executor == "dask" else f"{options.workers} workers"
    log.info("extracted %d records to %s (%s)", n, out_path, where)
    return n


def add_cli(sub: argparse._SubParsersAction) -> None:
    """Register ``extract``."""
    p = sub.add_parser("extract", help="extract figures, organisations and ILO conventions from posts.jsonl",
                       description="Read posts (JSON Lines: id, title, text, optional date, url, language) "
                       "and write one record a line, in input order.")
    p.add_argument("posts", help="posts.jsonl")
    p.add_argument("-o", "--out", required=True, help="records.jsonl to write")
    p.add_argument("--batch-size", type=positive_int, default=BATCH_SIZE,
                   help="posts per spaCy batch (default %(default)s)")
    add_executor_arguments(p)
    p.add_argument("--force", action="store_true", help="write even no record over a file that holds records")
    p.set_defaults(func=lambda a: extract_file(a.posts, a.out, a.batch_size, options_from_args(a), a.force) and 0)
