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
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import urlsplit

from pipeline.errors import InputError
from pipeline.jsonl import dumps, row_at, write_jsonl
from pipeline.outputs import check_target
from pipeline.parse.candidate import Candidate, merge_copies
from pipeline.parse.gone import GONE, flag_gone, gone_permalinks
from pipeline.parse.report import ParseReport
from pipeline.parse.responses import read_response
from pipeline.parse.urls import ITEM_PATH, id_from_url, normalise_url
from pipeline.posts_io import PostLine
from pipeline.progress import progress
from pipeline.rawstore import RawResponse, iter_raw, iter_superseded
from pipeline.records import Post
from pipeline.warcscan import Scan

log = logging.getLogger(__name__)


def _line(obj: Any) -> bytes:
    return (dumps(obj) + "\n").encode("utf-8")


class Parsed(NamedTuple):
    """What one stored response gave, ready to spill: its copies of posts as (id, permalink, spill line)."""

    url: str
    status: int
    archived: bool  # a Wayback copy
    kind: str
    skipped: str | None
    problems: list[str]
    copies: list[tuple[str, str, bytes]]


def parse_response(resp: RawResponse) -> Parsed:
    """One stored response parsed and its posts serialised, here or in a worker (``parse_responses``)."""
    outcome = read_response(resp)
    return Parsed(resp.url, resp.status, resp.capture is not None, outcome.kind, outcome.skipped, outcome.problems,
                  [(c.post.id, c.post.url, _line([c.completeness, c.fetched, c.post.to_dict()]))
                   for c in outcome.candidates])


def parse_responses(chunk: list[RawResponse]) -> list[Parsed]:
    """A chunk of stored responses parsed (the unit of work a parallel run sends to a worker)."""
    return [parse_response(r) for r in chunk]


# How a stream of stored responses becomes a stream of parsed ones: in this process by default; a parallel run
# passes a function that maps ``parse_responses`` over chunks on its workers, results in input order.
Reader = Callable[[Iterator[RawResponse]], Iterable[Parsed]]


def _serial(responses: Iterator[RawResponse]) -> Iterator[Parsed]:
    return map(parse_response, responses)


class _Merged(NamedTuple):
    """A merged post's place in the merged file, and what the summary counts of it."""

    date: str
    published: str
    id: str
    offset: int
    complete: bool
    capture: str | None
    flags: list[str]
    empty_id: str | None
    url: str


def iter_posts(raw: str | Path, tmp_dir: str | Path | None = None,
               report: ParseReport | None = None) -> Iterator[Post]:
    """The posts of a raw store, deduplicated and newest first, holding a few fields per post in memory.

    At the end the run's summary is logged (``report.ParseReport``); pass `report` to read its counts.
    """
    path = _store(raw)
    return (Post.from_dict(row) for row in _rows(path, tmp_dir, report, _serial, parse=True))


def iter_post_lines(raw: str | Path, tmp_dir: str | Path | None = None, report: ParseReport | None = None,
                    reader: Reader | None = None) -> Iterator[PostLine]:
    """``iter_posts`` as unparsed JSON lines (for workers to parse), the pages parsed by `reader` (default: here).

    ``PostLine.post()`` gives the same ``Post`` that ``iter_posts`` yields at that place."""
    path = _store(raw)
    source = f"{path} (merged posts)"
    return (PostLine(source, k, k, line) for k, line in enumerate(_rows(path, tmp_dir, report, reader or _serial,
                                                                        parse=False), 1))


def _store(raw: str | Path) -> Path:
    path = Path(raw)
    if not path.exists():  # at the call, not at the first post: nothing is opened for a store that is not there
        raise InputError(f"{path}: raw store not found")
    return path


def _rows(path: Path, tmp_dir: str | Path | None, report: ParseReport | None, reader: Reader,
          parse: bool) -> Iterator[Any]:
    report = report if report is not None else ParseReport()
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
            def keep(pid: str, url: str, line: bytes) -> None:
                if not pid.startswith("u"):
                    blogger_ids.setdefault(url, pid)
                copies.setdefault(pid, []).append(spill.tell())
                spill.write(line)

            for parsed in progress(reader(responses), "parse", every=500):
                report.responses += 1
                archived = archived or parsed.archived
                if parsed.status in GONE and not parsed.archived:
                    gone[_key(parsed.url)] = parsed.status
                if parsed.skipped:
                    report.skip(parsed.skipped, parsed.url)
                    continue
                report.page(parsed.kind, parsed.url, len(parsed.copies), parsed.problems)
                for pid, url, line in parsed.copies:
                    present.add(url)
                    keep(pid, url, line)
            if archived:
                # A live 404/410 is hidden from readers by a Wayback copy of the same URL: ask the store.
                gone = gone_permalinks(path)
            # Nothing collected is lost: a post deleted from the blog is kept from the copies stored before.
            recovered = _deleted_posts(path, gone, present, set(copies), keep) if gone else set()
            _adopt_blogger_ids(copies, blogger_ids)
            # One post per id, merged by candidate.merge_copies itself so that the rules stay in one place.
            keys: list[_Merged] = []
            for pid, offsets in copies.items():
                cands = [Candidate(Post.from_dict(d), c, fetched=f) for c, f, d in (row_at(spill, o) for o in offsets)]
                for c in cands:
                    c.post.id = pid
                post = flag_gone(merge_copies(cands), gone)
                if not post.date:
                    report.undated.append(post.url)
                    continue
                merged.seek(0, 2)
                keys.append(_Merged(post.date, post.published or "", post.id, merged.tell(), post.complete,
                                    post.capture, post.flags, None if post.text.strip() else post.id, post.url))
                merged.write(_line(post.to_dict()))
            copies.clear()
            keys.sort(reverse=True)  # candidate.sort_posts: newest first by date, timestamp, id (offsets unique)
            for key in keys:
                report.post(key.complete, key.capture, key.flags, key.empty_id, key.url)
                if key.url in recovered:
                    report.recovered.append(key.url)
                if parse:
                    yield row_at(merged, key.offset)
                else:
                    merged.seek(key.offset)
                    yield merged.readline().decode("utf-8")
    report.log(log)


def _key(url: str) -> str:
    """A stored URL as a permalink key (as written when it is no URL a parser accepts)."""
    try:
        return normalise_url(url)
    except ValueError:
        return url


def _deleted_posts(path: Path, gone: dict[str, int], present: set[str], ids: set[str],
                   keep: Callable[[str, str, bytes], None]) -> set[str]:
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
        for pid, url, line in parse_response(resp).copies:
            if url in gone and url not in present and pid not in ids:
                keep(pid, url, line)
                found.add(url)
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
