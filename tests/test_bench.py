"""The benchmark runs end to end on tiny blogs and reports every stage and target (no timing asserted)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.bench.benchmark import run_bench
from pipeline.bench.realtext import real_entries, unique_posts
from pipeline.bench.report import README_END, README_START, ROWS, update_readme
from pipeline.errors import PipelineError
from pipeline.parse import parse_store


def test_a_tiny_benchmark_on_real_text_reports_every_stage_and_target(tmp_path: Path) -> None:
    out = tmp_path / "results.json"
    run_bench([8], out, seed=1, workers=2, work_dir=tmp_path, corpora=("real",))
    report = json.loads(out.read_text())
    assert set(report["results"]) == {"real"}
    real = report["results"]["real"]
    assert set(real) == {"8"}
    for size, res in real.items():
        for key, _ in ROWS:
            assert res[key]["items"] == int(size), key
            assert res[key]["peak_rss_mb"] > 0 and res[key]["seconds"] > 0 and res[key]["process_s"] > 0
            assert len(res[key]["load_average_at_start"]) == 3
        assert res["parse_floor"]["pages"] >= 1 and res["parse_floor"]["ratio"] > 0
    small = big = real["8"]
    # a first pass over the unique posts, and paragraphs/s per language backend, on the smallest size
    assert small["unique_extract"]["items"] == small["unique_tokenizer"]["items"] == small["corpus"]["unique_posts"]
    backends = small["language_backends"]
    assert backends["paragraphs"] > 0 and 0 <= backends["vote"]["settled_share"] <= 1
    assert backends["py3langid"]["installed"] and backends["py3langid"]["paragraphs_per_s"] > 0
    # the whole run on 1 and 2 workers (alternated, best kept) and on a Dask LocalCluster: the same corpus files
    for key in ("run_workers_1", "run_workers_2"):
        assert len(big[key]["runs_seconds"]) == 2 and big[key]["same_output_every_run"]
        assert big[key]["seconds"] == min(big[key]["runs_seconds"])
    assert big["run_workers_1"]["sha256"] == big["run_workers_2"]["sha256"] == big["run_dask_2"]["sha256"]
    verdicts = {t["target"].split(":")[-1].split("(")[0].strip(): t["pass"] for t in report["targets"]}
    assert {"extract / blank tokenizer", "whole run / parse+language+extract alone", "export time / extract time",
            "whole run, 2 workers / 1", "every corpus file identical, 1 and 2 workers"} <= set(verdicts)
    assert verdicts["every corpus file identical, 1 and 2 workers"] is True
    assert all(t["pass"] is None or isinstance(t["pass"], bool) for t in report["targets"])
    md = out.with_suffix(".md").read_text()
    assert "whole run, 2 local workers" in md and "| target |" in md and "py3langid" in md
    assert not list(tmp_path.glob("pipeline-bench-*"))  # the corpora are cleaned up


def test_the_real_text_corpus_is_real_posts_with_their_own_ids_urls_and_dates(tmp_path: Path) -> None:
    base, sources = unique_posts()
    assert len({p.text for p in base}) == len(base) and sum(sources.values()) >= len(base)
    entries = [e.post for e in real_entries(2 * len(base) + 3, base, seed=2)]
    assert len({p.id for p in entries}) == len({p.url for p in entries}) == len(entries)
    assert [p.text for p in entries[: len(base)]] == [p.text for p in base]  # copies of the real posts, in turn
    assert entries == sorted(entries, key=lambda p: p.published or "")  # oldest first, as the renderer wants


def test_the_readme_table_goes_between_its_markers_only(tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text(f"# T\n\nbefore\n{README_START}\nold\n{README_END}\nafter\n")
    assert update_readme(readme, "| new |\n")
    assert readme.read_text() == f"# T\n\nbefore\n{README_START}\n| new |\n{README_END}\nafter\n"
    plain = tmp_path / "plain.md"
    plain.write_text("no markers\n")
    assert not update_readme(plain, "| new |\n") and plain.read_text() == "no markers\n"


def test_bad_sizes_are_refused(tmp_path: Path) -> None:
    with pytest.raises(PipelineError, match="--sizes"):
        run_bench([0], tmp_path / "r.json")


def test_the_real_text_store_parses_back_to_every_copy(tmp_path: Path) -> None:
    from pipeline.bench.realtext import write_real

    summary, about = write_real(tmp_path / "raw", 45, seed=0)
    posts = parse_store(tmp_path / "raw")
    assert summary.posts == len(posts) == 45 and about["unique_posts"] >= 1
    assert len({p.id for p in posts}) == 45
