"""Progress reporting: a tqdm bar on a terminal, plain log lines every N items otherwise."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")


def progress(items: Iterable[T], desc: str, total: int | None = None, every: int = 100,
             logger: logging.Logger | None = None) -> Iterator[T]:
    """Wrap an iterable with a progress bar (tty) or periodic log lines (no tty)."""
    log = logger or logging.getLogger("pipeline.progress")
    if sys.stderr.isatty():
        from tqdm import tqdm

        yield from tqdm(items, desc=desc, total=total, unit="item", leave=False)
        return
    n = 0
    for n, item in enumerate(items, 1):
        if n % every == 0:
            log.info("%s: %d%s done", desc, n, f"/{total}" if total else "")
        yield item
    log.info("%s: %d done", desc, n)
