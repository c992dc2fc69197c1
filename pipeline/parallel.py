"""Scale: stream posts in bounded memory and run the per-post stages on a process pool or a Dask cluster.

The per-post stages (language, then extraction) see one post at a time, so a corpus is cut into
chunks of posts that are processed anywhere and written back in input order. The chunks are whole
multiples of the extractor's batch size, so every spaCy batch holds exactly the posts it holds in a
single-process run, and each worker serialises its own results: the output files are the same, byte
for byte, whatever runs them. At most a few chunks per worker are in flight, so memory does not grow
with the corpus. Workers load the pipelines once and keep them for their life.

``iter_posts`` streams a raw store's posts as ``parse.parse_store`` returns them (deduplicated, the
fullest copy of each post wins, newest first) while holding only a few fields per post in memory:
page results are spilled to a temporary file and read back by offset.
"""

from __future__ import annotations

import argparse
import gc
import logging
import tempfile
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future
from dataclasses import dataclass, replace
from functools import cache
from itertools import islice
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from pipeline.errors import InputError, PipelineError
from pipeline.records import Post

if TYPE_CHECKING:
    from pipeline.extract import Extractor

log = logging.getLogger(__name__)

EXECUTORS = ("local", "dask")
IN_FLIGHT_PER_WORKER = 2  # chunks queued per worker: enough to hide the hand-over, little memory


@dataclass(frozen=True)
class ExecOptions:
    """Where and how the per-post stages run."""

    workers: int = 1
    executor: str = "local"
    scheduler: str | None = None
    batch_size: int = 64
    chunk_size: int = 256
    language_backend: str = "langdetect"

    def __post_init__(self) -> None:
        if self.executor not in EXECUTORS:
            raise InputError(f"unknown executor {self.executor!r} (one of {', '.join(EXECUTORS)})")
        if self.workers < 1 or self.batch_size < 1 or self.chunk_size < 1:
            raise InputError("--workers, --batch-size and --chunk-size must be at least 1")
        if self.executor == "dask" and not self.scheduler:
            raise InputError("--executor dask needs --scheduler ADDRESS (e.g. tcp://10.0.0.5:8786) "
                             "or a scheduler file (.json)")

    @property
    def parallel(self) -> bool:
        """True when posts leave this process."""
        return self.executor == "dask" or self.workers > 1

    @property
    def chunk(self) -> int:
        """Posts per task: the chunk size rounded up to whole extractor batches."""
        return -(-self.chunk_size // self.batch_size) * self.batch_size


# ---------------------------------------------------------------- work done in the workers


@cache
def _worker(batch_size: int, language_backend: str) -> tuple[Extractor, threading.Lock]:
    """This process's extractor, built on first use and kept for the process's life."""
    from pipeline.extract import Extractor

    extractor = Extractor(batch_size=batch_size, language_backend=language_backend)
    # The pipelines, patterns and lookup tables live as long as the process: moved out of the cyclic
    # collector's reach, they are no longer traversed by every full collection (68 ms each, 2-5% of a run).
    # Frozen objects are still freed by reference counting.
    gc.freeze()
    # A Dask worker may run several threads; the spaCy pipelines are shared, so one chunk at a time.
    return extractor, threading.Lock()


def warm(batch_size: int, language_backend: str) -> None:
    """Load the pipelines now (pool initializer, Dask ``client.run``) so the first chunk is not slow."""
    _worker(batch_size, language_backend)


@dataclass(frozen=True)
class PostLine:
    """A post still as its line of posts.jsonl, to be parsed by the worker that processes it."""

    source: str
    lineno: int  # the line in the file, for messages
    number: int  # the post's number in the file, as read_posts counts them
    line: str

    def post(self) -> Post:
        """The post; a broken line or a post without id or text names file and line."""
        from pipeline.extract import post_from_row
        from pipeline.jsonl import parse_line

        return post_from_row(parse_line(self.source, self.lineno, self.line), self.source, self.number)


PostItem = Post | PostLine


def process_chunk(items: list[PostItem], batch_size: int, language_backend: str,
                  with_posts: bool) -> tuple[str, str]:
    """Annotate and extract a chunk; return its records and (optionally) annotated posts as JSON Lines text."""
    from pipeline.jsonl import dumps

    posts = [p.post() if isinstance(p, PostLine) else p for p in items]
    extractor, lock = _worker(batch_size, language_backend)
    with lock:
        pairs = extractor.process(posts)
    records = "".join(dumps(record.to_dict()) + "\n" for _, record in pairs)
    annotated = "".join(dumps(post.to_dict()) + "\n" for post, _ in pairs) if with_posts else ""
    return records, annotated


# ---------------------------------------------------------------- executors


def chunks(items: Iterable[PostItem], size: int) -> Iterator[list[PostItem]]:
    """Consecutive lists of `size` items (the last may be shorter)."""
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


def _ordered(submit: Callable[[list[PostItem]], Future], parts: Iterable[list[PostItem]], depth: int,
             cancel: Callable[[list[Future]], None]) -> Iterator[tuple[str, str]]:
    """Submit chunks keeping at most `depth` in flight; yield results in submission order."""
    pending: deque[Future] = deque()
    try:
        for part in parts:
            pending.append(submit(part))
            if len(pending) >= depth:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        if pending:
            cancel(list(pending))


def run_chunks(posts: Iterable[PostItem], options: ExecOptions, with_posts: bool = False) -> Iterator[tuple[str, str]]:
    """(records text, annotated posts text) per chunk, in input order, computed where `options` say."""
    parts = chunks(posts, options.chunk)
    args = (options.batch_size, options.language_backend, with_posts)
    if options.executor == "dask":
        yield from _run_dask(parts, options, with_posts)
    elif options.workers > 1:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        # spawn: workers start clean (no inherited threads or half-loaded models) on every platform.
        ctx = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(options.workers, mp_context=ctx, initializer=warm,
                                 initargs=(options.batch_size, options.language_backend)) as pool:
            yield from _ordered(lambda part: pool.submit(process_chunk, part, *args), parts,
                                IN_FLIGHT_PER_WORKER * options.workers,
                                lambda futures: [f.cancel() for f in futures])
    else:
        for part in parts:
            yield process_chunk(part, *args)


def connect_dask(scheduler: str, timeout: str = "20s") -> Any:
    """A Dask client for a scheduler address or scheduler file; a clear error when it cannot be reached."""
    try:
        from dask.distributed import Client
    except ImportError as exc:
        raise PipelineError(f"--executor dask needs dask[distributed] ({exc}); pip install -e '.[scale]'") from None
    try:
        if scheduler.endswith(".json") and Path(scheduler).is_file():
            return Client(scheduler_file=scheduler, timeout=timeout)
        return Client(scheduler, timeout=timeout)
    except (OSError, TimeoutError, ValueError) as exc:
        raise InputError(f"{scheduler}: cannot reach the Dask scheduler ({exc})") from None


def _run_dask(parts: Iterable[list[PostItem]], options: ExecOptions, with_posts: bool) -> Iterator[tuple[str, str]]:
    client = connect_dask(options.scheduler or "")
    try:
        threads = sum(client.nthreads().values())
        if not threads:
            raise InputError(f"{options.scheduler}: the Dask cluster has no workers")
        try:
            client.run(warm, options.batch_size, options.language_backend)
        except ModuleNotFoundError as exc:
            raise PipelineError(f"Dask workers cannot import {exc.name!r}: install this package in the workers' "
                                "environment (pip install -e . on every worker host)") from None
        log.info("dask: %d workers, %d threads at %s", len(client.nthreads()), threads, options.scheduler)
        args = (options.batch_size, options.language_backend, with_posts)
        yield from _ordered(lambda part: client.submit(process_chunk, part, *args, pure=False), parts,
                            IN_FLIGHT_PER_WORKER * threads, client.cancel)
    finally:
        client.close()


# ---------------------------------------------------------------- files


def process_posts(posts: Iterable[PostItem], records_out: str | Path, posts_out: str | Path | None = None,
                  options: ExecOptions | None = None) -> int:
    """Run language + extraction over a stream of posts; write records (and annotated posts) atomically."""
    from contextlib import ExitStack

    from pipeline.jsonl import atomic_open

    options = options or ExecOptions()
    n = 0
    with ExitStack() as stack:
        rec_fh: IO[str] = stack.enter_context(atomic_open(records_out))
        post_fh: IO[str] | None = stack.enter_context(atomic_open(posts_out)) if posts_out else None
        for records, annotated in run_chunks(posts, options, with_posts=post_fh is not None):
            rec_fh.write(records)
            if post_fh is not None:
                post_fh.write(annotated)
            n += records.count("\n")
    return n


def read_posts(posts_path: str | Path) -> Iterator[Post]:
    """Stream the posts of a posts.jsonl, naming file and line on bad input."""
    return (line.post() for line in read_post_lines(posts_path))


def read_post_lines(posts_path: str | Path) -> Iterator[PostLine]:
    """Stream the non-empty lines of a posts.jsonl unparsed, for workers to parse (a missing file fails at once)."""
    from pipeline.jsonl import read_lines

    lines = read_lines(posts_path)
    source = str(Path(posts_path))
    return (PostLine(source, lineno, number, line) for number, (lineno, line) in enumerate(lines, 1))


def extract_file_parallel(posts_path: str | Path, out_path: str | Path, options: ExecOptions) -> int:
    """``extract`` on a pool or a cluster: read posts.jsonl, write records.jsonl in input order."""
    from pipeline.progress import progress

    # Lines, not posts: parsing JSON and pickling Post objects in this process took about 1.3 s of CPU per
    # 10,000 posts, on the same cores as the workers; the workers parse their own chunks.
    n = process_posts(progress(read_post_lines(posts_path), "extract"), out_path, options=options)
    where = f"dask at {options.scheduler}" if options.executor == "dask" else f"{options.workers} workers"
    log.info("extracted %d records to %s (%s)", n, out_path, where)
    return n


# ---------------------------------------------------------------- streaming parse


def _line(obj: Any) -> bytes:
    from pipeline.jsonl import dumps

    return (dumps(obj) + "\n").encode("utf-8")


def iter_posts(raw: str | Path, tmp_dir: str | Path | None = None) -> Iterator[Post]:
    """The posts of a raw store exactly as ``parse_store`` returns them, holding a few fields per post in memory."""
    from pipeline.jsonl import row_at
    from pipeline.parse import Candidate, candidates_of, merge
    from pipeline.progress import progress
    from pipeline.rawstore import iter_raw

    path = Path(raw)
    if not path.exists():
        raise InputError(f"{path}: raw store not found")
    empty: list[str] = []
    with tempfile.TemporaryDirectory(prefix="pipeline-parse-", dir=tmp_dir) as tmp:
        copies: dict[str, list[int]] = {}
        with open(Path(tmp) / "candidates.jsonl", "w+b") as spill, open(Path(tmp) / "posts.jsonl", "w+b") as merged:
            for resp in progress(iter_raw(path), "parse", every=500):
                for cand in candidates_of(resp):
                    copies.setdefault(cand.post.id, []).append(spill.tell())
                    spill.write(_line([cand.completeness, cand.post.to_dict()]))
            # One post per id, merged by parse.merge itself so that the rules stay in one place.
            keys: list[tuple[str, str, str, int]] = []
            for offsets in copies.values():
                cands = [Candidate(Post.from_dict(d), c) for c, d in (row_at(spill, o) for o in offsets)]
                post = merge(cands)[0]
                merged.seek(0, 2)
                keys.append((post.date, post.published or "", post.id, merged.tell()))
                merged.write(_line(post.to_dict()))
            copies.clear()
            keys.sort(reverse=True)  # parse.sort_posts: newest first by date, timestamp, id
            for *_, offset in keys:
                post = Post.from_dict(row_at(merged, offset))
                if not post.text.strip():
                    empty.append(post.id)
                yield post
    if empty:
        log.warning("%d posts have an empty body: %s", len(empty), ", ".join(empty[:10]))


# ---------------------------------------------------------------- command line


def add_executor_arguments(parser: argparse.ArgumentParser) -> None:
    """Add --workers, --executor, --scheduler and --chunk-size to a command."""
    g = parser.add_argument_group("parallel runs (output is identical to a single-process run)")
    g.add_argument("--workers", type=int, default=1, metavar="N",
                   help="worker processes on this machine (default 1: in this process)")
    g.add_argument("--executor", choices=EXECUTORS, default="local",
                   help="local (this machine) or dask (a dask.distributed cluster; needs --scheduler)")
    g.add_argument("--scheduler", metavar="ADDRESS",
                   help="Dask scheduler address (tcp://host:8786) or scheduler file (.json)")
    g.add_argument("--chunk-size", type=int, default=ExecOptions.chunk_size, metavar="POSTS",
                   help=f"posts per task sent to a worker (default {ExecOptions.chunk_size})")


def options_from_args(args: argparse.Namespace, **overrides: Any) -> ExecOptions:
    """ExecOptions from parsed arguments (missing ones take defaults)."""
    fields = {name: getattr(args, name) for name in ("workers", "executor", "scheduler", "batch_size", "chunk_size",
                                                     "language_backend") if getattr(args, name, None) is not None}
    return replace(ExecOptions(**fields), **overrides) if overrides else ExecOptions(**fields)
