"""The SQLite export as datasette serves it: full-text search finds only the matching posts, and labels (JSON
arrays) facet as arrays. datasette runs on 127.0.0.1, on a free port, started by the test."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest

from tests.exported import build, extracted

pytest.importorskip("datasette", reason="datasette is not installed (make test installs it: the explore extra)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    import datasette  # the server the test starts (the explore extra)

    posts, records = extracted()
    corpus = build(tmp_path_factory.mktemp("datasette"), posts, records)
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "datasette", "serve", str(corpus / "corpus.sqlite"), "-m",
                             str(corpus / "metadata.json"), "-h", "127.0.0.1", "-p", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(base + "/-/versions.json", timeout=5):
                    break
            except (urllib.error.URLError, ConnectionError):
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(f"datasette {datasette.__version__} did not start: "
                                         + proc.stderr.read().decode()[-2000:]) from None
                time.sleep(0.3)
        yield base, posts
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _get(url: str) -> dict[str, Any]:
    with urllib.request.urlopen(url, timeout=30) as resp:
        return json.loads(resp.read())


def test_full_text_search_returns_only_matching_posts(served: tuple) -> None:
    base, posts = served
    words = Counter(w for p in posts for w in set(p["title"].lower().split()) if w.isalpha() and len(w) > 4)
    word = next(w for w, n in words.most_common() if 1 < n < len(posts) // 2)
    url = f"{base}/corpus/posts.json?" + urllib.parse.urlencode({"_search": word, "_shape": "objects",
                                                                 "_size": "max", "_col": "title"})
    got = _get(url)
    found = {r["post_id"] for r in got["rows"]}
    in_title = {p["id"] for p in posts if word in p["title"].lower().split()}
    assert found and found >= in_title and len(found) < len(posts)
    by_id = {p["id"]: p for p in posts}
    for pid in found:
        assert word in (by_id[pid]["title"] + " " + by_id[pid]["text"]).lower(), pid
    assert "posts_fts" in got["query"]["sql"]


def test_labels_facet_as_arrays(served: tuple) -> None:
    base, posts = served
    got = _get(f"{base}/corpus/posts.json?_facet_array=labels&_size=0")
    facet = {r["value"]: r["count"] for r in got["facet_results"]["labels"]["results"]}
    expected = Counter(label for p in posts for label in p["labels"])
    assert facet and all(facet[label] == expected[label] for label in facet)
    assert set(facet) <= set(expected) and len(facet) == min(len(expected), 30)  # datasette shows 30 at most
    one = next(iter(facet))
    rows = _get(f"{base}/corpus/posts.json?" + urllib.parse.urlencode({"labels__arraycontains": one,
                                                                       "_shape": "objects", "_size": "max"}))
    assert len(rows["rows"]) == facet[one]
