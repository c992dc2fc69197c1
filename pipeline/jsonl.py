"""Reading and atomically writing JSON Lines files."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from pipeline.errors import InputError
from pipeline.outputs import check_target, clean_stale, refuse_empty


def dumps(obj: Any) -> str:
    """Serialise deterministically: sorted keys, UTF-8 kept, no spaces after separators."""
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def read_jsonl(path: str | Path) -> Iterator[dict[str, Any]]:
    """Iterate one dict per non-empty line; a missing file fails at once, bad JSON names file and line."""
    return (parse_line(Path(path), lineno, line) for lineno, line in read_lines(path))


def read_lines(path: str | Path) -> Iterator[tuple[int, str]]:
    """(line number, line) per non-empty line, unparsed; a missing file fails at once."""
    p = Path(path)
    if not p.is_file():
        raise InputError(f"{p}: no such file")
    return _lines(p)


def _lines(p: Path) -> Iterator[tuple[int, str]]:
    with p.open("rb") as fh:
        for lineno, raw in enumerate(fh, 1):
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise InputError(f"{p}:{lineno}: not UTF-8 (byte {exc.start + 1} of the line)") from None
            if line.strip():
                yield lineno, line


def parse_line(p: str | Path, lineno: int, line: str | bytes) -> dict[str, Any]:
    """One JSON Lines row as a dict; bad JSON names file and line."""
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        raise InputError(f"{p}:{lineno}: broken JSON line ({exc.msg} at column {exc.colno})") from None
    except UnicodeDecodeError:
        raise InputError(f"{p}:{lineno}: not UTF-8") from None
    if not isinstance(obj, dict):
        raise InputError(f"{p}:{lineno}: expected a JSON object, got {type(obj).__name__}")
    return obj


def _new_file_mode() -> int:
    # Read once at import, before any thread could create files meanwhile: umask can only be read by setting it.
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


NEW_FILE_MODE = _new_file_mode()


def publish(tmp: str | Path, path: str | Path) -> None:
    """Move a finished temporary file into place with the permissions a newly created file would have.

    Only a regular file (or nothing) is replaced: see ``outputs.check_target``.
    """
    check_target(path)  # again: what is there may have changed while the file was written
    # mkstemp makes files only their owner can read; a corpus is meant to be shared.
    os.chmod(tmp, NEW_FILE_MODE)
    os.replace(tmp, path)


@contextmanager
def atomic_open(path: str | Path, mode: str = "w") -> Iterator[IO[Any]]:
    """Open a temporary file beside `path` and rename it into place only if the block succeeds.

    Refuses at once a `path` that is not a regular file (``outputs.check_target``), and removes the temporary
    files of `path` an earlier, killed, run left.
    """
    p = Path(path)
    check_target(p)
    p.parent.mkdir(parents=True, exist_ok=True)
    clean_stale(p.parent, p.name)
    fd, tmp = tempfile.mkstemp(prefix=f".{p.name}.", suffix=".tmp", dir=p.parent)
    try:
        kwargs: dict[str, Any] = {} if "b" in mode else {"encoding": "utf-8", "newline": "\n"}
        with os.fdopen(fd, mode, **kwargs) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        publish(tmp, p)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_jsonl(path: str | Path, rows: Iterable[dict[str, Any]], force: bool = True) -> int:
    """Write rows atomically, one JSON object per line; return the number written.

    Without `force`, no row written over a file that holds rows stops (``outputs.refuse_empty``) and leaves it.
    """
    n = 0
    with atomic_open(path) as fh:
        for row in rows:
            fh.write(dumps(row) + "\n")
            n += 1
        if not force:
            refuse_empty(path, n)
    return n


def read_jsonl_offsets(path: str | Path) -> Iterator[tuple[int, int, dict[str, Any]]]:
    """(line number, byte offset, row) per non-empty line, so that a row can be read again with ``row_at``."""
    p = Path(path)
    if not p.is_file():
        raise InputError(f"{p}: no such file")
    return _offset_rows(p)


def _offset_rows(p: Path) -> Iterator[tuple[int, int, dict[str, Any]]]:
    with p.open("rb") as fh:
        offset = 0
        for lineno, line in enumerate(fh, 1):
            if line.strip():
                yield lineno, offset, parse_line(p, lineno, line)
            offset += len(line)


def row_at(fh: IO[bytes], offset: int) -> Any:
    """The JSON value whose line starts at `offset` of a JSON Lines file opened in binary mode."""
    fh.seek(offset)
    return json.loads(fh.readline())
