"""Parallel runs give the bytes of a single-process run: a local process pool, a Dask cluster, streaming parse."""

from __future__ import annotations

import importlib
import inspect
from pathlib import Path

import pytest

from pipeline.bench.synth import write_synth
from pipeline.cli import main
from pipeline.errors import InputError
from pipeline.extract.batch import extract_file, process_posts, whole_batches
from pipeline.language import annotate_file
from pipeline.parse import iter_posts, parse_file, parse_store
from pipeline.posts_io import read_post_lines, read_posts
from pipeline.runner import ExecOptions, connect_dask, map_chunks

N = 40


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A small synthetic blog parsed to posts.jsonl, and the single-process outputs to compare against."""
    d = tmp_path_factory.mktemp("parallel")
    write_synth(d / "raw", N, seed=11)
    parse_file(d / "raw", d / "posts.jsonl")
    assert extract_file(str(d / "posts.jsonl"), str(d / "records.jsonl")) == N
    annotate_file(d / "posts.jsonl", d / "annotated.jsonl")
    return {name: d / f"{name}.jsonl" for name in ("posts", "records", "annotated")} | {"dir": d, "raw": d / "raw"}


def test_two_local_workers_write_the_same_bytes(corpus: dict[str, Path]) -> None:
    out = corpus["dir"] / "records-w2.jsonl"
    # Small chunks so that both workers get several of them and results come back out of order.
    args = ["-q", "extract", str(corpus["posts"]), "-o", str(out), "--workers", "2", "--batch-size", "4",
            "--chunk-size", "4"]
    assert main(args) == 0
    assert out.read_bytes() == corpus["records"].read_bytes()


def test_dask_cluster_writes_the_same_bytes(corpus: dict[str, Path]) -> None:
    distributed = pytest.importorskip("dask.distributed")
    records = corpus["dir"] / "records-dask.jsonl"
    annotated = corpus["dir"] / "annotated-dask.jsonl"
    with distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1, host="127.0.0.1",
                                  dashboard_address=None) as cluster:
        options = ExecOptions(executor="dask", scheduler=cluster.scheduler_address, chunk_size=8)
        assert process_posts(read_posts(corpus["posts"]), records, annotated, options, batch_size=4) == N
        with distributed.Client(cluster) as client:
            # Both workers loaded the pipelines, i.e. both took part.
            loaded = client.run(lambda: importlib.import_module("pipeline.extract.batch")._worker.cache_info().currsize)
            assert sorted(loaded.values()) == [1, 1]
    assert records.read_bytes() == corpus["records"].read_bytes()
    assert annotated.read_bytes() == corpus["annotated"].read_bytes()


def test_in_process_streaming_path_matches_language_then_extract(corpus: dict[str, Path]) -> None:
    records = corpus["dir"] / "records-1.jsonl"
    annotated = corpus["dir"] / "annotated-1.jsonl"
    assert process_posts(read_posts(corpus["posts"]), records, annotated, ExecOptions(chunk_size=7)) == N
    assert records.read_bytes() == corpus["records"].read_bytes()
    assert annotated.read_bytes() == corpus["annotated"].read_bytes()


def test_iter_posts_streams_what_parse_store_returns(corpus: dict[str, Path]) -> None:
    stream = iter_posts(corpus["raw"])
    assert inspect.isgenerator(stream)
    assert [p.to_dict() for p in stream] == [p.to_dict() for p in parse_store(corpus["raw"])]
    with pytest.raises(InputError, match="not found"):
        next(iter_posts(corpus["dir"] / "missing"))


def test_options_are_checked_and_chunks_are_whole_batches(tmp_path: Path) -> None:
    assert whole_batches(100, 64) == 128
    assert whole_batches(8, 4) == 8
    with pytest.raises(InputError, match="--scheduler"):
        ExecOptions(executor="dask")
    with pytest.raises(InputError, match="at least 1"):
        ExecOptions(workers=0)
    with pytest.raises(InputError, match="at least 1"):
        ExecOptions(chunk_size=0)
    # A batch of no post would extract nothing: refused before anything is written, in every path.
    posts = tmp_path / "posts.jsonl"
    posts.write_text('{"id": "1", "text": "ILO Convention 189."}\n', encoding="utf-8")
    with pytest.raises(InputError, match="--batch-size"):
        extract_file(posts, tmp_path / "records.jsonl", batch_size=0)
    with pytest.raises(InputError, match="--batch-size"):
        process_posts(read_posts(posts), tmp_path / "records.jsonl", batch_size=0)
    assert not (tmp_path / "records.jsonl").exists()


def test_the_runner_keeps_input_order_in_process_and_on_a_pool() -> None:
    items = list(range(103))
    expected = [sum(items[k : k + 7]) for k in range(0, len(items), 7)]
    assert list(map_chunks(sum, items, ExecOptions(chunk_size=7))) == expected
    # More chunks than in-flight slots, so that results are collected while later chunks are still queued.
    assert list(map_chunks(sum, items, ExecOptions(workers=2, chunk_size=100), size=3)) == [
        sum(items[k : k + 3]) for k in range(0, len(items), 3)]
    assert list(map_chunks(sum, [], ExecOptions(workers=2))) == []


def test_unreachable_scheduler_is_named() -> None:
    pytest.importorskip("dask.distributed")
    with pytest.raises(InputError, match="127.0.0.1:9"):
        connect_dask("tcp://127.0.0.1:9", timeout="1s")


def test_a_broken_posts_line_is_named_in_parallel_runs(tmp_path: Path) -> None:
    bad = tmp_path / "posts.jsonl"
    bad.write_text('{"id": "1", "text": "ILO Convention 189."}\n{"id": 2\n', encoding="utf-8")
    out = tmp_path / "records.jsonl"
    assert main(["-q", "extract", str(bad), "-o", str(out), "--workers", "2"]) == 2
    assert not out.exists()


def test_post_lines_give_the_posts_read_posts_gives_and_name_a_broken_line(tmp_path: Path) -> None:
    """Workers parse their own lines; the posts and the messages must be those of read_posts."""
    good = tmp_path / "posts.jsonl"
    good.write_text('{"id": "1", "text": "ILO Convention 189."}\n\n{"id": 2, "text": "Tweede."}\n', encoding="utf-8")
    assert [line.post() for line in read_post_lines(good)] == list(read_posts(good))
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "1", "text": "a"}\n\n{"id": 2\n{"text": "no id"}\n', encoding="utf-8")
    lines = list(read_post_lines(bad))
    with pytest.raises(InputError, match=r"bad\.jsonl:3: broken JSON line"):
        lines[1].post()
    with pytest.raises(InputError, match=r"bad\.jsonl:4: post lacks an 'id'"):
        lines[2].post()
    with pytest.raises(InputError, match="no such file"):
        read_post_lines(tmp_path / "missing.jsonl")
