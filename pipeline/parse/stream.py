"""A raw store's posts: streamed in bounded memory (``iter_posts``), as a list (``parse_store``), as a file.

``iter_posts`` yields every post of a raw store deduplicated (one copy of each post wins by the rule of
``candidate``: the most complete, then the newest), newest first, while holding only a few fields per post
in memory: page results are spilled to a temporary file and read back by offset. When some permalinks'
newest answer is 404/410, the older stored copies are read too, so that a post deleted from the blog stays
(flagged ``permalink_gone``). A store that holds bytes but no whole WARC record is refused (InputError).
``run`` streams it into the later stages; ``parse_store`` is its list, and the ``parse`` command writes that
list as posts.jsonl. The run's summary (``report``) is logged at the end.
"""

from __future__ import annotations

import argparse
import logging
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pipeline.errors import InputError
from pipeline.jsonl import dumps, row_at, write_jsonl
from pipeline.outputs import check_target
from pipeline.parse.candidate import Candidate, merge_copies
from pipeline.parse.gone import GONE, flag_gone, gone_permalinks
from pipeline.parse.report import ParseReport
from pipeline.parse.responses import read_response
from pipeline.parse.urls import ITEM_PATH, id_from_url, normalise_url
from pipeline.progress import progress
from pipeline.rawstore import iter_raw, iter_superseded
from pipeline.records import Post
from pipeline.warcscan import Scan

log = logging.getLogger(__name__)


def _line(obj: Any) -> bytes:
    return (dumps(obj) + "\n").encode("utf-8")


def iter_posts(raw: str | Path, tmp_dir: str | Path | None = None,
               report: ParseReport | None = None) -> Iterator[Post]:
    """The posts of a raw store, deduplicated and newest first, holding a few fields per post in memory.

    At the end the run's summary is logged (``report.ParseReport``); pass `report` to read its counts.
    """
    path = Path(raw)
    if not path.exists():  # at the call, not at the first post: nothing is opened for a store that is not there
        raise InputError(f"{path}: raw store not found")
    return _stream(path, tmp_dir, report if report is not None else ParseReport())


def _stream(path: Path, tmp_dir: str | Path | None, report: ParseReport) -> Iterator[Post]:
    scans: list[Scan] = []
    responses = iter_raw(path, scans)  # the files are indexed here: torn or damaged parts are known now
    report.store = [p.describe(scan.path) for scan in scans for p in scan.problems]
    if any(scan.size for scan in scans) and not any(scan.records for scan in scans):
        raise InputError(f"{path}: no WARC record could be read ({report.store[0] if report.store else 'empty'}); "
                         "not a raw store, or damaged from its first byte")
    with tempfile.TemporaryDirectory(prefix="pipeline-parse-", dir=tmp_dir) as tmp:
        copies: dict[str, list[int]] = {}
        blogger_ids: dict[str, str] = {}  # permalink -> Blogger id, for copies whose page gave none
        present: set[str] = set()  # permalinks of the posts the responses read show
        # Permalinks whose newest live answer is 404/410. Without Wayback copies, the responses read are each
        # URL's newest, so they tell; with them, the store is asked (rawstore.live_statuses, via parse.gone).
        gone: dict[str, int] = {}
        archived = False
        with open(Path(tmp) / "candidates.jsonl", "w+b") as spill, open(Path(tmp) / "posts.jsonl", "w+b") as merged:
            def keep(cand: Candidate) -> None:
                if not cand.post.id.startswith("u"):
                    blogger_ids.setdefault(cand.post.url, cand.post.id)
                copies.setdefault(cand.post.id, []).append(spill.tell())
                spill.write(_line([cand.completeness, cand.fetched, cand.post.to_dict()]))

            for resp in progress(responses, "parse", every=500):
                report.responses += 1
                archived = archived or resp.capture is not None
                if resp.status in GONE and not resp.capture:
                    gone[_key(resp.url)] = resp.status
                outcome = read_response(resp)
                if outcome.skipped:
                    report.skip(outcome.skipped, resp.url)
                    continue
                report.page(outcome.kind, resp.url, len(outcome.candidates), outcome.problems)
                for cand in outcome.candidates:
                    present.add(cand.post.url)
                    keep(cand)
            if archived:
                # A live 404/410 is hidden from readers by a Wayback copy of the same URL: ask the store.
                gone = gone_permalinks(path)
            # Nothing collected is lost: a post deleted from the blog is kept from the copies stored before.
            recovered = _deleted_posts(path, gone, present, set(copies), keep) if gone else set()
            _adopt_blogger_ids(copies, blogger_ids)
            # One post per id, merged by candidate.merge_copies itself so that the rules stay in one place.
            keys: list[tuple[str, str, str, int]] = []
            for pid, offsets in copies.items():
                cands = [Candidate(Post.from_dict(d), c, fetched=f) for c, f, d in (row_at(spill, o) for o in offsets)]
                for c in cands:
                    c.post.id = pid
                post = flag_gone(merge_copies(cands), gone)
                if not post.date:
                    report.undated.append(post.url)
                    continue
                merged.seek(0, 2)
                keys.append((post.date, post.published or "", post.id, merged.tell()))
                merged.write(_line(post.to_dict()))
            copies.clear()
            keys.sort(reverse=True)  # candidate.sort_posts: newest first by date, timestamp, id
            for *_, offset in keys:
                post = Post.from_dict(row_at(merged, offset))
                report.post(post.complete, post.capture, post.flags, None if post.text.strip() else post.id, post.url)
                if post.url in recovered:
                    report.recovered.append(post.url)
                yield post
    report.log(log)


def _key(url: str) -> str:
    """A stored URL as a permalink key (as written when it is no URL a parser accepts)."""
    try:
        return normalise_url(url)
    except ValueError:
        return url


def _deleted_posts(path: Path, gone: dict[str, int], present: set[str], ids: set[str],
                   keep: Callable[[Candidate], None]) -> set[str]:
    """Keep the posts whose permalink is gone and that no response read shows, from the older stored copies
    (the permalink page's last good copy, feed and listing pages as they were); their permalinks.

    Read only when some permalink is gone, so a store without deletions costs nothing more."""
    def older_copy_may_show(url: str) -> bool:
        key = _key(url)
        return key in gone or not ITEM_PATH.match(urlsplit(key).path)

    found: set[str] = set()
    n = 0
    for resp in iter_superseded(path, older_copy_may_show):
        n += 1
        for cand in read_response(resp).candidates:
            if cand.post.url in gone and cand.post.url not in present and cand.post.id not in ids:
                keep(cand)
                found.add(cand.post.url)
    log.info("%s: %d permalinks answer 404/410; %d older copies read, %d deleted posts found in them", path,
             len(gone), n, len(found))
    return found


def _adopt_blogger_ids(copies: dict[str, list[int]], blogger_ids: dict[str, str]) -> None:
    """Copies known only by a permalink-derived id (a mobile listing, a theme without ids) join the copies of
    the same permalink that carry the Blogger id, so that no post is counted twice."""
    for url, pid in blogger_ids.items():
        derived = id_from_url(url)
        if derived in copies and derived != pid:
            copies.setdefault(pid, []).extend(copies.pop(derived))


def parse_store(raw: str | Path) -> list[Post]:
    """Parse every response of a raw store into deduplicated posts, newest first."""
    return list(iter_posts(raw))


def parse_file(raw: str | Path, out: str | Path, force: bool = True) -> int:
    """Parse a raw store and write posts.jsonl atomically; return the number of posts.

    Without `force`, a store that gives no post leaves an `out` that holds posts as it was (InputError).
    """
    check_target(out)  # before the store is read: a bad output path fails at once
    # Streamed straight into the file: memory does not grow with the store.
    n = write_jsonl(out, (p.to_dict() for p in iter_posts(raw)), force=force)
    log.info("wrote %d posts to %s", n, out)
    return n


def add_cli(sub: argparse._SubParsersAction) -> None:
    """Register ``parse``."""
    p = sub.add_parser("parse", help="parse a raw store (WARC) into posts.jsonl",
                       description="Turn stored listing pages, feeds and permalink pages into one record per "
                       "post (deduplicated: the most complete copy wins, then the newest), newest first.")
    p.add_argument("raw", help="raw store directory or .warc.gz file")
    p.add_argument("-o", "--out", required=True, help="posts.jsonl to write")
    p.add_argument("--force", action="store_true", help="write even no post over a file that holds posts")
    p.set_defaults(func=lambda a: parse_file(a.raw, a.out, a.force) and 0)
