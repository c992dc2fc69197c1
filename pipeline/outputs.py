"""Guards for every file the pipeline writes: only regular files are replaced, stale temporary files are
cleaned, and a command that would empty an output holding posts stops unless forced.

- ``check_target``: an output path may be missing or a regular file. A directory, FIFO, device or socket is
  refused, and so is a symbolic link (never written through: give the link's target instead), each with a
  one-line error naming the path. The directory it goes into must be a directory.
- ``clean_stale``: temporary files are named ``.<name>.<8 random characters>.tmp`` beside the file they become
  (``jsonl.atomic_open``); one left by a kill is removed the next time that file is written (or, for ``run``
  and ``export``, when the corpus directory is next published, see ``pipeline.generation``). Nothing else is.
- ``refuse_empty``: writing no row over a file that holds rows is what an empty or wrong input does, not a
  wish to empty a corpus: it stops (InputError, exit 2) unless ``--force``.
"""

from __future__ import annotations

import logging
import os
import re
import stat
from pathlib import Path

from pipeline.errors import InputError

log = logging.getLogger(__name__)

# tempfile.mkstemp(prefix=".<name>.", suffix=".tmp") names: eight characters of its alphabet in between.
TMP_NAME = re.compile(r"^\.(?P<name>.+)\.[a-z0-9_]{8}\.tmp$")


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    return "not a regular file"


def check_target(path: str | Path) -> None:
    """Refuse to replace anything but a regular file (or nothing) at `path`; its directory must be one."""
    p = Path(path)
    check_directory(p.parent)
    try:
        st = os.lstat(p)
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise InputError(f"{p}: cannot write there ({exc.strerror})") from None
    if st is not None and not stat.S_ISREG(st.st_mode):
        hint = " (write to the file it points to instead)" if stat.S_ISLNK(st.st_mode) else ""
        raise InputError(f"{p}: is {_kind(st.st_mode)}; outputs replace only regular files, refusing{hint}")


def check_directory(path: str | Path) -> None:
    """An output directory must be a directory (or not exist yet, with nothing but directories above it)."""
    p = Path(path)
    for q in (p, *p.parents):
        if q.exists() or q.is_symlink():
            if not q.is_dir():
                raise InputError(f"{q}: is not a directory; cannot write outputs into it")
            return


def clean_stale(directory: str | Path, name: str | None = None) -> int:
    """Remove this pipeline's temporary files left in `directory` (only those of `name` when given)."""
    d = Path(directory)
    if not d.is_dir():
        return 0
    removed = 0
    for entry in os.scandir(d):
        m = TMP_NAME.match(entry.name)
        if m is None or (name is not None and m.group("name") != name):
            continue
        if entry.is_file(follow_symlinks=False):
            size = entry.stat(follow_symlinks=False).st_size
            Path(entry.path).unlink(missing_ok=True)
            removed += 1
            log.info("%s: removed a temporary file left by an interrupted run (%d bytes)", entry.path, size)
    return removed


def has_rows(path: str | Path, skip: int = 0) -> bool:
    """Whether a regular file at `path` holds a non-blank line after its first `skip` lines (a header)."""
    p = Path(path)
    if not p.is_file():
        return False
    with p.open("rb") as fh:
        for n, line in enumerate(fh):
            if n >= skip and line.strip():
                return True
    return False


def refuse_empty(path: str | Path, written: int, what: str = "posts", skip: int = 0) -> None:
    """Stop before `path` (holding rows) is replaced by an output of no rows; ``--force`` skips this check."""
    if written == 0 and has_rows(path, skip):
        raise InputError(f"{path}: would be replaced by an output with no {what} (empty or wrong input?); "
                         "left as it was; use --force to write it anyway")
