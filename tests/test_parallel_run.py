"""A whole run on workers parses on them too and writes every corpus file as a single-process run does."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.bench.synth import write_synth
from pipeline.parse import ParseReport, iter_post_lines, iter_posts, parse_responses
from pipeline.rawstore import iter_raw
from pipeline.run import run_chain
from pipeline.runner import ExecOptions, Runner
from pipeline.split import CorpusSplit, split_corpus

N = 30


def _digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    raw = tmp_path_factory.mktemp("prun") / "raw"
    write_synth(raw, N, seed=4)  # one post in ten Dutch: the split writes en and nl
    return raw


def test_pages_parsed_on_workers_give_the_posts_and_summary_of_a_serial_parse(store: Path) -> None:
    serial, parallel = ParseReport(), ParseReport()
    expected = [p.to_dict() for p in iter_posts(store, report=serial)]
    with Runner(ExecOptions(workers=2)) as runner:
        def reader(responses):  # type: ignore[no-untyped-def]
            for chunk in runner.map(parse_responses, responses, 3):
                yield from chunk

        lines = list(iter_post_lines(store, report=parallel, reader=reader))
    assert [line.post().to_dict() for line in lines] == expected
    assert vars(parallel) == vars(serial) and serial.posts == N  # the same end-of-run summary, every count
    assert sum(1 for _ in iter_raw(store)) == serial.responses


def test_run_on_two_workers_and_on_dask_writes_every_file_as_one_process(store: Path, tmp_path: Path) -> None:
    run_chain(store, tmp_path / "one", "test", options=ExecOptions(chunk_size=8), batch_size=4)
    run_chain(store, tmp_path / "two", "test", options=ExecOptions(workers=2, chunk_size=8), batch_size=4)
    one = _digest(tmp_path / "one")
    assert {"en/posts.jsonl", "nl/posts.jsonl", "en/records.jsonl", "nl/records.jsonl"} <= set(one)
    assert _digest(tmp_path / "two") == one
    distributed = pytest.importorskip("dask.distributed")
    with distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1, host="127.0.0.1",
                                  dashboard_address=None) as cluster:
        options = ExecOptions(executor="dask", scheduler=cluster.scheduler_address, chunk_size=8)
        run_chain(store, tmp_path / "dask", "test", options=options, batch_size=4)
    assert _digest(tmp_path / "dask") == one


def test_the_streamed_split_writes_what_the_split_of_finished_files_writes(tmp_path: Path) -> None:
    posts = [{"id": str(i), "language": lang, "flags": ["language_uncertain"] if i == 2 else [], "text": "\u2028x"}
             for i, lang in enumerate(["en", "nl", "de", "en", None])]
    # a record whose language differs from its post's: it waits for its folder's first post, in order
    records = [{"id": p["id"], "language": lang} for p, lang in zip(posts, ["fr", "nl", "de", "fr", "en"], strict=True)]
    (tmp_path / "old").mkdir()
    (tmp_path / "new").mkdir()
    pp, rp = tmp_path / "posts.jsonl", tmp_path / "records.jsonl"
    pp.write_text("".join(json.dumps(p, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"
                          for p in posts), encoding="utf-8")
    rp.write_text("".join(json.dumps(r, sort_keys=True, separators=(",", ":")) + "\n" for r in records))
    counts = split_corpus(pp, rp, tmp_path / "old")
    with CorpusSplit(tmp_path / "new") as split:
        for post_line, record_line, post, record in zip(pp.read_text(encoding="utf-8").split("\n"),
                                                        rp.read_text().split("\n"), posts, records, strict=False):
            split.post(post_line + "\n", {"en": "en", "nl": "nl"}.get(post["language"], "other"),
                       "language_uncertain" in post["flags"])
            split.record(record_line + "\n", {"en": "en", "nl": "nl", "fr": "fr"}.get(record["language"], "other"))
    assert split.counts == counts == {"en": 2, "nl": 1, "other": 2}
    assert split.flagged == 1
    assert _digest(tmp_path / "new") == _digest(tmp_path / "old")
    assert not (tmp_path / "new" / "fr").exists()  # fr has no post: its records are dropped, as before
    assert (tmp_path / "new" / "en" / "records.jsonl").read_text().count("\n") == 1


def test_english_posts_never_load_the_french_pipeline() -> None:
    code = ("import sys\nfrom pipeline.extract import Extractor\nfrom pipeline.records import Post\n"
            "e = Extractor()\n"
            "(r,) = e.extract([Post(id='1', url='', date='', title='', text='The ILO met 120 workers on C87.')])\n"
            "print(sorted(e.nlps), 'spacy.lang.fr' in sys.modules, len(r.figures) > 0)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["['en']", "False", "True"]
