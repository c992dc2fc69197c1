"""The corpus split by language: posts and records of each language in out_dir/{en,nl,fr,other}/.

``CorpusSplit`` takes rows as they come (a run streams them in as chunks come back from the workers);
``split_corpus`` feeds it from finished posts.jsonl and records.jsonl. Either way the files hold the same
bytes: each row's line as written to posts.jsonl / records.jsonl, in input order. Every file is written to
a temporary name and renamed when the split closes without error.
"""

from __future__ import annotations

import logging
from contextlib import ExitStack
from pathlib import Path
from typing import IO

from pipeline.flags import LANGUAGE_UNCERTAIN
from pipeline.jsonl import atomic_open, dumps, read_jsonl

log = logging.getLogger(__name__)

CORPUS_FOLDERS = ("en", "nl", "fr", "other")


def corpus_language(lang: str | None) -> str:
    """The corpus folder of a language: en, nl, fr, or other."""
    return lang if lang in CORPUS_FOLDERS[:-1] else "other"


class CorpusSplit:
    """Writes rows into their language folders as they arrive; a context manager (files renamed on success).

    A folder is written when it has posts, or when an earlier run left it (rewritten, so that nothing stale
    stays). A record goes to its folder's records.jsonl when that folder is written; records of a folder that
    has no post (yet) wait, in order, for its first post, and are dropped if none comes.
    """

    def __init__(self, out_dir: str | Path, published: str | Path | None = None) -> None:
        """`published`: the corpus directory that out_dir (a staging directory) will replace, when it is not
        out_dir itself: its folders count as left by an earlier run."""
        self.out = Path(out_dir)
        self.existed = {f for f in CORPUS_FOLDERS if (self.out / f).exists()
                        or (published is not None and (Path(published) / f).exists())}
        self.counts: dict[str, int] = {}
        self.flagged = 0
        self._stack = ExitStack()
        self._files: dict[tuple[str, str], IO[str]] = {}
        self._waiting: dict[str, list[str]] = {}

    def __enter__(self) -> CorpusSplit:
        self._stack.__enter__()
        return self

    def __exit__(self, *exc: object) -> bool | None:
        if exc[0] is None:
            for folder in CORPUS_FOLDERS:
                if folder in self.counts or folder in self.existed:
                    self.counts.setdefault(folder, 0)
                    for kind in ("posts", "records"):
                        self._sink(folder, kind)
        return self._stack.__exit__(*exc)  # type: ignore[arg-type]

    def _sink(self, folder: str, kind: str) -> IO[str]:
        fh = self._files.get((folder, kind))
        if fh is None:
            fh = self._files[(folder, kind)] = self._stack.enter_context(
                atomic_open(self.out / folder / f"{kind}.jsonl"))
        return fh

    def post(self, line: str, folder: str, uncertain: bool) -> None:
        """One post's line (with its newline) into its folder."""
        self._sink(folder, "posts").write(line)
        self.counts[folder] = self.counts.get(folder, 0) + 1
        self.flagged += uncertain
        if folder in self._waiting:
            self._sink(folder, "records").write("".join(self._waiting.pop(folder)))

    def record(self, line: str, folder: str) -> None:
        """One record's line (with its newline) into its folder."""
        if folder in self.counts or folder in self.existed:
            self._sink(folder, "records").write(line)
        else:
            self._waiting.setdefault(folder, []).append(line)

    def log(self) -> None:
        """The run's split, in one line."""
        log.info("split by language: %s; %d posts flagged %s",
                 ", ".join(f"{k} {v}" for k, v in sorted(self.counts.items())), self.flagged, LANGUAGE_UNCERTAIN)


def split_corpus(posts_path: str | Path, records_path: str | Path, out_dir: str | Path,
                 published: str | Path | None = None) -> dict[str, int]:
    """Write posts and records of each language to out_dir/{en,nl,fr,other}/; return posts per folder.

    `published`: the corpus directory out_dir (a staging directory) will replace, when it is not out_dir itself.
    """
    with CorpusSplit(out_dir, published) as split:
        # Rows go straight through, one at a time: memory does not grow with the corpus.
        for row in read_jsonl(posts_path):
            split.post(dumps(row) + "\n", corpus_language(row.get("language")),
                       LANGUAGE_UNCERTAIN in (row.get("flags") or ()))
        for row in read_jsonl(records_path):
            split.record(dumps(row) + "\n", corpus_language(row.get("language")))
    split.log()
    return split.counts
