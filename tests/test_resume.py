"""kill -9 during a crawl, at several points, then resume: the same posts as an uninterrupted crawl."""

from __future__ import annotations

import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from pipeline.config import CrawlConfig
from pipeline.parse import parse_store
from pipeline.rawstore import iter_records
from pipeline.scrape import crawl
from pipeline.warcscan import read_records
from tests.blogserver import BLOGGER_ROBOTS, LiveBlog, LoopbackServer, make_posts
from tests.warcs import assert_valid_warc

REPO = Path(__file__).resolve().parents[1]
FAST = CrawlConfig(delay=0.0, timeout=2.0, max_retries=2, backoff=0.01, max_backoff=0.05)


def responses_written(raw: Path) -> int:
    """Response records in the store so far, read without opening it for writing (which would repair it)."""
    wf = raw / "crawl.warc.gz"
    return sum(rec.type == "response" for rec in read_records(wf)) if wf.exists() else 0


def test_sigkill_at_several_points_then_resume_gives_the_uninterrupted_posts(tmp_path: Path) -> None:
    base_box: dict = {}
    with LoopbackServer(lambda request: base_box["app"](request)) as srv:
        blog = LiveBlog(srv.url, make_posts(srv.url, 12), feed=False, robots=BLOGGER_ROBOTS, truncate=True)
        base_box["app"] = blog.handler
        ref = tmp_path / "reference"
        crawl([blog.base], ref, FAST)
        total = responses_written(ref)

        raw = tmp_path / "raw"
        killed_at = []
        for k in (1, 5, 10):
            proc = subprocess.Popen([sys.executable, "-m", "pipeline", "-q", "scrape", blog.base, "--out", str(raw),
                                     "--delay", "0.1"], cwd=REPO)
            deadline = time.monotonic() + 30
            while proc.poll() is None and time.monotonic() < deadline and responses_written(raw) < k:
                time.sleep(0.01)
            proc.kill()
            proc.wait()
            killed_at.append(responses_written(raw))
        assert killed_at[-1] < total  # every kill came mid-crawl (10 of about 18 records at the latest)
        assert killed_at == sorted(killed_at)  # nothing stored was lost by a kill

        stats = crawl([blog.base], raw, FAST)
        assert stats.failed == 0

    posts = [p.to_dict() for p in parse_store(raw)]
    assert posts == [p.to_dict() for p in parse_store(ref)]  # nothing lost, nothing doubled
    assert len(posts) == 12 and all(p["complete"] for p in posts)
    permalinks = Counter(r.url for r in iter_records(raw) if r.url.endswith(".html"))
    assert set(permalinks.values()) == {1}  # no permalink fetched twice across the runs
    assert_valid_warc(raw)
