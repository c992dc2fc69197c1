"""Map a function over chunks of items: in this process, on a local process pool, or on a Dask cluster.

The items are cut into consecutive chunks and each chunk is handed to ``fn`` wherever the options say;
the results come back in input order, so what a caller writes from them does not depend on what ran
them. At most a few chunks per worker are in flight, so memory does not grow with the input. ``fn`` and
``setup`` must be picklable (module-level functions, or ``functools.partial`` of them) to leave this
process. The runner knows nothing of what the items are or what ``fn`` does with them.
"""

from __future__ import annotations

import argparse
import logging
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future
from dataclasses import dataclass, replace
from itertools import islice
from pathlib import Path
from typing import Any, TypeVar

from pipeline.errors import InputError, PipelineError
from pipeline.options import positive_int

log = logging.getLogger(__name__)

T = TypeVar("T")
R = TypeVar("R")

EXECUTORS = ("local", "dask")
IN_FLIGHT_PER_WORKER = 2  # chunks queued per worker: enough to hide the hand-over, little memory


@dataclass(frozen=True)
class ExecOptions:
    """Where and in what chunks the work runs."""

    workers: int = 1
    executor: str = "local"
    scheduler: str | None = None
    chunk_size: int = 256

    def __post_init__(self) -> None:
        if self.executor not in EXECUTORS:
            raise InputError(f"unknown executor {self.executor!r} (one of {', '.join(EXECUTORS)})")
        if self.workers < 1 or self.chunk_size < 1:
            raise InputError("--workers and --chunk-size must be at least 1")
        if self.executor == "dask" and not self.scheduler:
            raise InputError("--executor dask needs --scheduler ADDRESS (e.g. tcp://10.0.0.5:8786) "
                             "or a scheduler file (.json)")

    @property
    def parallel(self) -> bool:
        """True when items leave this process."""
        return self.executor == "dask" or self.workers > 1


def chunks(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Consecutive lists of `size` items (the last may be shorter)."""
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


def map_chunks(fn: Callable[[list[T]], R], items: Iterable[T], options: ExecOptions, size: int | None = None,
               setup: Callable[[], Any] | None = None) -> Iterator[R]:
    """``fn(chunk)`` for each chunk of `size` items (default: the options' chunk size), in input order.

    `setup` runs once in each worker before its first chunk (to load what every chunk needs); in this
    process it is not called, and `fn` is expected to load what it needs on first use.
    """
    with Runner(options, setup) as runner:
        yield from runner.map(fn, items, size)


class Runner:
    """One place to run chunks, started once for several maps: a process pool, a Dask client, or this process.

    A run that parses pages and then extracts posts maps twice over the same workers, so they start (and
    load their pipelines) once. Use as a context manager; the pool or client is closed on leaving it.
    """

    def __init__(self, options: ExecOptions, setup: Callable[[], Any] | None = None) -> None:
        self.options = options
        self.setup = setup
        self._pool: Any = None
        self._client: Any = None
        self._depth = 1

    def __enter__(self) -> Runner:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _start(self) -> None:
        """Start the pool or connect to the cluster, on the first map that needs it."""
        if self._pool is not None or self._client is not None or not self.options.parallel:
            return
        if self.options.executor == "dask":
            self._client, threads = _dask_client(self.options, self.setup)
            self._depth = IN_FLIGHT_PER_WORKER * threads
        else:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            # spawn: workers start clean (no inherited threads or half-loaded models) on every platform.
            ctx = multiprocessing.get_context("spawn")
            self._pool = ProcessPoolExecutor(self.options.workers, mp_context=ctx, initializer=self.setup)
            self._depth = IN_FLIGHT_PER_WORKER * self.options.workers

    def map(self, fn: Callable[[list[T]], R], items: Iterable[T], size: int | None = None) -> Iterator[R]:
        """``fn(chunk)`` for each chunk of `size` items (default: the options' chunk size), in input order."""
        parts = chunks(items, size or self.options.chunk_size)
        if not self.options.parallel:
            for part in parts:
                yield fn(part)
            return
        self._start()
        if self._client is not None:
            client = self._client
            yield from _ordered(lambda part: client.submit(fn, part, pure=False), parts, self._depth, client.cancel)
        else:
            pool = self._pool
            yield from _ordered(lambda part: pool.submit(fn, part), parts, self._depth,
                                lambda futures: [f.cancel() for f in futures])

    def close(self) -> None:
        """Shut the pool down or close the Dask client (its workers stay up)."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
        if self._client is not None:
            self._client.close()
            self._client = None


def _ordered(submit: Callable[[list[T]], Future], parts: Iterable[list[T]], depth: int,
             cancel: Callable[[list[Future]], None]) -> Iterator[Any]:
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


def _dask_client(options: ExecOptions, setup: Callable[[], Any] | None) -> tuple[Any, int]:
    """A connected client whose workers ran `setup`, and their number of threads."""
    client = connect_dask(options.scheduler or "")
    try:
        threads = sum(client.nthreads().values())
        if not threads:
            raise InputError(f"{options.scheduler}: the Dask cluster has no workers")
        try:
            if setup is not None:
                client.run(setup)
        except ModuleNotFoundError as exc:
            raise PipelineError(f"Dask workers cannot import {exc.name!r}: install this package in the workers' "
                                "environment (pip install -e . on every worker host)") from None
    except BaseException:
        client.close()
        raise
    log.info("dask: %d workers, %d threads at %s", len(client.nthreads()), threads, options.scheduler)
    return client, threads


# ---------------------------------------------------------------- command line


def add_executor_arguments(parser: argparse.ArgumentParser) -> None:
    """Add --workers, --executor, --scheduler and --chunk-size to a command."""
    g = parser.add_argument_group("parallel runs (output is identical to a single-process run)")
    g.add_argument("--workers", type=positive_int, default=1, metavar="N",
                   help="worker processes on this machine (default 1: in this process)")
    g.add_argument("--executor", choices=EXECUTORS, default="local",
                   help="local (this machine) or dask (a dask.distributed cluster; needs --scheduler)")
    g.add_argument("--scheduler", metavar="ADDRESS",
                   help="Dask scheduler address (tcp://host:8786) or scheduler file (.json)")
    g.add_argument("--chunk-size", type=positive_int, default=ExecOptions.chunk_size, metavar="POSTS",
                   help=f"posts per task sent to a worker (default {ExecOptions.chunk_size})")


def options_from_args(args: argparse.Namespace, **overrides: Any) -> ExecOptions:
    """ExecOptions from parsed arguments (missing ones take defaults)."""
    fields = {name: getattr(args, name) for name in ("workers", "executor", "scheduler", "chunk_size")
              if getattr(args, name, None) is not None}
    return replace(ExecOptions(**fields), **overrides) if overrides else ExecOptions(**fields)
