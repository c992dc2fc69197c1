"""Publishing a corpus directory as a whole: staged, committed, moved into place, named by a manifest.

``run`` and ``export`` write every output into ``<out>/.pipeline-staging/`` first. When all are written:
1. the sha256 of each staged file goes into a new ``manifest.json`` (in the staging directory), with a
   generation id made from those hashes (the same outputs give the same manifest, byte for byte);
2. the staging directory is renamed ``<out>/.pipeline-publishing/``: the commit point (one ``rename``);
3. its files are moved into place one by one (``rename``, in sorted order, ``manifest.json`` last), and the
   emptied directory is removed.

A kill before step 2 leaves the old generation as it was, plus a staging directory that the next ``run`` or
``export`` on that directory removes. A kill during step 3 leaves a ``.pipeline-publishing/`` directory that
the next ``run`` or ``export`` (or ``recover``) finishes before doing anything else: the corpus is then wholly
the new generation. Until then ``manifest.json`` still names the old one, so a reader can tell. The paths users
open (``corpus/posts.jsonl``, ...) never change. Only one ``run``/``export`` writes a directory at a time (a lock
file, ``.pipeline.lock``); a second one stops with a one-line error.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from pipeline.errors import InputError
from pipeline.jsonl import NEW_FILE_MODE
from pipeline.outputs import check_directory, check_target, clean_stale

log = logging.getLogger(__name__)

STAGING = ".pipeline-staging"
PUBLISHING = ".pipeline-publishing"
LOCK = ".pipeline.lock"
MANIFEST = "manifest.json"
# Where run and export write: the temporary files of a killed run are looked for here only.
OUTPUT_DIRS = ("", "tables", "en", "nl", "fr", "other")


def sha256(path: Path) -> str:
    """The sha256 of a file, hex."""
    h = hashlib.sha256()
    with path.open("rb") as fh:
        while block := fh.read(1 << 20):
            h.update(block)
    return h.hexdigest()


def read_manifest(out: Path) -> dict[str, str]:
    """The files (relative path -> sha256) the published manifest names; none when there is no readable one."""
    p = out / MANIFEST
    if not p.is_file():
        return {}
    try:
        files = json.loads(p.read_text(encoding="utf-8")).get("files", {})
    except (ValueError, UnicodeDecodeError, AttributeError):
        log.warning("%s: not a manifest this pipeline wrote; it will be replaced", p)
        return {}
    return {str(k): str(v) for k, v in files.items()} if isinstance(files, dict) else {}


def _staged_files(root: Path) -> list[str]:
    """Relative paths of the regular files under `root`, sorted (the order they are moved in), manifest last."""
    rels = sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file() and not p.is_symlink())
    return [r for r in rels if r != MANIFEST] + ([MANIFEST] if MANIFEST in rels else [])


def _roll_forward(out: Path) -> None:
    """Move every file still in the publishing directory into place (manifest last), then remove the directory."""
    pub = out / PUBLISHING
    for rel in _staged_files(pub):
        target = out / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(pub / rel, target)
    shutil.rmtree(pub)


def recover(out: str | Path) -> None:
    """Finish a publication a kill cut short, drop an unfinished staging directory and stale temporary files,
    and report files that differ from the manifest. Run by ``run`` and ``export`` before they write."""
    o = Path(out)
    if not o.is_dir():
        return
    if (o / PUBLISHING).is_dir():
        left = _staged_files(o / PUBLISHING)
        log.warning("%s: the publication of a new generation was cut short (%d files not yet in place); finishing "
                    "it, so that the corpus is wholly the new generation", o, len(left))
        _roll_forward(o)
    if (o / STAGING).is_dir():
        size = sum(p.stat().st_size for p in (o / STAGING).rglob("*") if p.is_file())
        log.warning("%s: removing the outputs of a run that did not finish (%d bytes); the corpus is as the last "
                    "finished run left it", o / STAGING, size)
        shutil.rmtree(o / STAGING)
    for d in OUTPUT_DIRS:
        clean_stale(o / d)
    for rel, digest in read_manifest(o).items():
        p = o / rel
        if not p.is_file():
            log.warning("%s: named by %s but missing", p, MANIFEST)
        elif sha256(p) != digest:
            log.warning("%s: changed since it was published (by another command or by hand); the next "
                        "run replaces it", p)


@contextmanager
def _locked(out: Path) -> Iterator[None]:
    try:
        import fcntl
    except ImportError:  # not POSIX: no lock
        yield
        return
    fh: IO[bytes] = open(out / LOCK, "ab")  # noqa: SIM115 (held for the block)
    try:
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            raise InputError(f"{out}: another run or export is writing into this directory (lock "
                             f"{out / LOCK}); wait for it to finish") from None
        yield
    finally:
        fh.close()


@contextmanager
def generation(out: str | Path) -> Iterator[Path]:
    """A staging directory to write a new generation of `out` into; published as a whole if the block succeeds.

    If the block raises (or a target is no regular file), nothing in `out` changes and the staging is removed.
    """
    o = Path(out)
    check_directory(o)
    o.mkdir(parents=True, exist_ok=True)
    with _locked(o):
        recover(o)
        staging = o / STAGING
        staging.mkdir()
        try:
            yield staging
            _commit(o, staging)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise


def _commit(out: Path, staging: Path) -> None:
    rels = _staged_files(staging)
    for rel in rels:  # refuse before anything moves: the old generation stays whole
        check_target(out / rel)
    files = {rel: sha256(staging / rel) for rel in rels}
    old = {rel: digest for rel, digest in read_manifest(out).items() if rel not in files and (out / rel).is_file()}
    entries = dict(sorted({**old, **files}.items()))
    gen = hashlib.sha256("".join(f"{k} {v}\n" for k, v in entries.items()).encode()).hexdigest()[:16]
    manifest = staging / MANIFEST
    manifest.write_text(json.dumps({"generation": gen, "files": entries}, indent=1, sort_keys=True) + "\n",
                        encoding="utf-8")
    os.chmod(manifest, NEW_FILE_MODE)
    with manifest.open("rb") as fh:
        os.fsync(fh.fileno())
    os.rename(staging, out / PUBLISHING)  # the commit point
    _roll_forward(out)
    log.info("%s: generation %s published (%d files)", out, gen, len(files))
