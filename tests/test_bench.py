"""The benchmark runs end to end on tiny synthetic blogs and reports every stage and target (no timing asserted)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.bench.benchmark import ROWS, run_bench
from pipeline.errors import PipelineError


def test_a_tiny_benchmark_reports_every_stage_and_target(tmp_path: Path) -> None:
    out = tmp_path / "results.json"
    run_bench([6, 12], out, seed=1, workers=2, work_dir=tmp_path)
    report = json.loads(out.read_text())
    assert set(report["results"]) == {"6", "12"}
    for size, res in report["results"].items():
        for key, _ in ROWS:
            assert res[key]["items"] == int(size), key
            assert res[key]["peak_rss_mb"] > 0 and res[key]["seconds"] > 0
        assert res["parse_floor"]["pages"] >= 1 and res["parse_floor"]["ratio"] > 0
    big = report["results"]["12"]
    assert big["workers_1"]["sha256"] == big["workers_2"]["sha256"]
    for key in ("workers_1", "workers_2"):
        assert len(big[key]["runs_seconds"]) == 2 and big[key]["same_output_every_run"]
        assert big[key]["seconds"] == min(big[key]["runs_seconds"])
    for key in ("tokenizer", "end_to_end"):  # the headline pair alternates too, best of each kept
        assert len(big[key]["runs_seconds"]) == 2 and big[key]["seconds"] == min(big[key]["runs_seconds"])
    assert {t["target"].split(",")[0] for t in report["targets"]} >= {
        "end to end", "end to end / blank tokenizer", "parse time / bare lxml.html time", "peak RSS end to end",
        "peak RSS whole run", "2 workers / 1 worker", "2 workers output identical to 1 worker"}
    assert all(isinstance(t["pass"], bool) for t in report["targets"])
    md = out.with_suffix(".md").read_text()
    assert "whole run" in md and "| target |" in md
    assert not list(tmp_path.glob("pipeline-bench-*"))  # the synthetic blogs are cleaned up


def test_bad_sizes_are_refused(tmp_path: Path) -> None:
    with pytest.raises(PipelineError, match="--sizes"):
        run_bench([0], tmp_path / "r.json")
