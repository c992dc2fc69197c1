"""Bad input at every command: one-line errors naming file and line (or the option), never a traceback, and no
output written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.errors import InputError
from pipeline.extract.batch import process_posts
from pipeline.posts_io import read_post_lines, read_posts

GOOD = {"id": "a", "title": "Wages", "text": "Workers in Jakarta asked for higher wages.", "labels": ["asia"]}


def _errors(caplog: pytest.LogCaptureFixture) -> list[str]:
    found = [r.getMessage() for r in caplog.records if r.levelname == "ERROR"]
    caplog.clear()
    return found


@pytest.mark.parametrize(("change", "field"), [
    ({"title": None}, "'title' must be a string, not null"),
    ({"labels": "asia"}, "'labels' must be a list of strings, not a string"),
    ({"flags": {"x": 1}}, "'flags' must be a list of strings, not an object"),
    ({"labels": ["asia", 3]}, "'labels' must be a list of strings"),
    ({"text": 12}, "'text' must be a string, not a number"),
    ({"complete": "yes"}, "'complete' must be true or false"),
    ({"author": ["x"]}, "'author' must be a string or null"),
    ({"paragraphs": [{"start": 0, "end": 999, "language": "en"}]}, "'paragraphs'[0]"),
    ({"id": None}, "post lacks an 'id'"),
    ({"id": ["a"]}, "post lacks an 'id'"),
])
def test_a_field_of_the_wrong_type_is_named_with_file_and_line(tmp_path: Path, change: dict, field: str,
                                                               caplog: pytest.LogCaptureFixture) -> None:
    posts = tmp_path / "posts.jsonl"
    bad = {**GOOD, "id": "b", **change}
    posts.write_text(json.dumps(GOOD) + "\n\n" + json.dumps(bad) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert main(["language", str(posts), "-o", str(out)]) == 2
    (message,) = _errors(caplog)
    assert message.startswith(f"{posts}:3: ") and field in message
    assert not out.exists()


def test_a_missing_text_and_invalid_utf8_are_named(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    posts = tmp_path / "posts.jsonl"
    posts.write_text(json.dumps({"id": "x", "title": "t"}) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"posts\.jsonl:1: post 'x' lacks a 'text'"):
        list(read_posts(posts))
    posts.write_bytes(json.dumps(GOOD).encode() + b"\n" + b'{"id": "b", "text": "caf\xe9"}\n')
    with pytest.raises(InputError, match=r"posts\.jsonl:2: not UTF-8"):
        list(read_posts(posts))
    assert main(["language", str(posts), "-o", str(tmp_path / "o.jsonl")]) == 2
    assert "posts.jsonl:2: not UTF-8" in _errors(caplog)[0]


def test_repeated_post_ids_are_refused_at_extract(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    posts = tmp_path / "posts.jsonl"
    rows = [GOOD, {**GOOD, "id": "c"}, {**GOOD, "text": "Another text."}]
    posts.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    out = tmp_path / "records.jsonl"
    assert main(["extract", str(posts), "-o", str(out)]) == 2
    (message,) = _errors(caplog)
    assert message.startswith(f"{posts}:3: ") and "'a'" in message and "line 1" in message
    assert not out.exists()
    # The path of parallel runs: lines parsed where they are processed, the ids checked as results come back.
    with pytest.raises(InputError, match=r"posts\.jsonl:3: post id 'a' repeats the post at line 1"):
        process_posts(read_post_lines(posts), out)
    assert not out.exists()


def test_repeated_record_ids_are_refused_at_export(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    records = tmp_path / "records.jsonl"
    records.write_text('{"id": "a"}\n{"id": "b"}\n{"id": "a"}\n', encoding="utf-8")
    posts = tmp_path / "posts.jsonl"
    posts.write_text('{"id": "a", "text": ""}\n{"id": "b", "text": ""}\n', encoding="utf-8")
    out = tmp_path / "corpus"
    assert main(["export", "--records", str(records), "--posts", str(posts), "--out", str(out)]) == 2
    (message,) = _errors(caplog)
    assert message.startswith(f"{records}:3: ") and "repeats line 1" in message
    assert not (out / "records.json").exists()


@pytest.mark.parametrize("argv", [
    ["extract", "p.jsonl", "-o", "r.jsonl", "--batch-size", "0"],
    ["run", "--batch-size", "-5"],
    ["run", "--workers", "-1"],
    ["extract", "p.jsonl", "-o", "r.jsonl", "--chunk-size", "0"],
    ["scrape", "https://x.blogspot.com/", "--out", "raw", "--delay", "-1"],
    ["scrape", "https://x.blogspot.com/", "--out", "raw", "--delay", "nan"],
    ["scrape", "https://x.blogspot.com/", "--out", "raw", "--timeout", "0"],
    ["scrape", "https://x.blogspot.com/", "--out", "raw", "--max-pages", "0"],
    ["scrape", "https://x.blogspot.com/", "--out", "raw", "--retries", "two"],
    ["orgs", "--unknown", "--top", "-1"],
])
def test_option_ranges_are_usage_errors(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and f"argument {argv[-2]}" in err.splitlines()[-1]
