"""Core plumbing: JSON Lines I/O, atomic writes, the WARC raw store, language segments, the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.cli import build_parser, main
from pipeline.errors import InputError
from pipeline.extract import Segment, segments, shift
from pipeline.jsonl import atomic_open, dumps, read_jsonl, write_jsonl
from pipeline.posts_io import post_from_row
from pipeline.rawstore import RawResponse, RawStore, iter_raw
from pipeline.records import Figure, Paragraph, Post


def test_dumps_is_deterministic_and_keeps_unicode() -> None:
    assert dumps({"b": 1, "a": "€ é"}) == '{"a":"€ é","b":1}'


def test_read_jsonl_names_file_and_line_of_a_broken_line(tmp_path: Path) -> None:
    p = tmp_path / "posts.jsonl"
    p.write_text('{"id": "a"}\n\n{"id": \n', encoding="utf-8")
    rows = read_jsonl(p)
    assert next(rows) == {"id": "a"}
    with pytest.raises(InputError, match=r"posts\.jsonl:3: broken JSON"):
        next(rows)


def test_read_jsonl_rejects_non_objects_and_missing_files(tmp_path: Path) -> None:
    p = tmp_path / "x.jsonl"
    p.write_text("[1, 2]\n", encoding="utf-8")
    with pytest.raises(InputError, match="expected a JSON object"):
        list(read_jsonl(p))
    with pytest.raises(InputError, match="no such file"):
        list(read_jsonl(tmp_path / "missing.jsonl"))


def test_atomic_write_keeps_previous_file_when_interrupted(tmp_path: Path) -> None:
    p = tmp_path / "out.jsonl"
    write_jsonl(p, [{"n": 1}])

    def rows():  # fails half-way through
        yield {"n": 2}
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        write_jsonl(p, rows())
    assert p.read_text(encoding="utf-8") == '{"n":1}\n'
    assert [f.name for f in tmp_path.iterdir()] == ["out.jsonl"]  # no temp file left behind
    with atomic_open(p) as fh:
        fh.write("new\n")
    assert p.read_text(encoding="utf-8") == "new\n"


def test_written_files_get_the_mode_of_a_newly_created_file(tmp_path: Path) -> None:
    plain = tmp_path / "plain.txt"
    plain.write_text("x")  # what open() gives under this process's umask
    write_jsonl(tmp_path / "out.jsonl", [{"n": 1}])
    assert (tmp_path / "out.jsonl").stat().st_mode & 0o777 == plain.stat().st_mode & 0o777


def test_raw_store_round_trip_resume_and_torn_tail(tmp_path: Path) -> None:
    store = RawStore(tmp_path / "raw")
    store.add(RawResponse("https://b.example/", 200, b"<p>\xc3\xa9</p>", [("Content-Type", "text/html")],
                          fetched="2024-01-01T00:00:00Z"))
    store.add(RawResponse("https://b.example/x", 404, b"", capture="20190101000000"))
    good_size = store.file.stat().st_size
    with store.file.open("ab") as fh:  # what a SIGKILL in the middle of a write leaves behind
        fh.write(b"\x1f\x8b\x08\x00torn")
    reopened = RawStore(tmp_path / "raw")
    assert "https://b.example/" in reopened and reopened.status["https://b.example/x"] == 404
    assert reopened.file.stat().st_size == good_size
    got = list(iter_raw(tmp_path / "raw"))
    assert [(r.url, r.status, r.body) for r in got] == [
        ("https://b.example/", 200, "<p>é</p>".encode()),
        ("https://b.example/x", 404, b""),
    ]
    assert got[0].content_type == "text/html" and got[0].fetched == "2024-01-01T00:00:00Z"
    assert got[1].capture == "20190101000000"


def test_raw_store_errors_name_the_path(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="missing"):
        list(iter_raw(tmp_path / "missing"))
    f = tmp_path / "file"
    f.write_text("x")
    with pytest.raises(InputError, match="must be a directory"):
        RawStore(f)


def _post(text: str, paras: list[tuple[int, int, str]], lang: str = "nl") -> Post:
    return Post(id="p", url="", date="", title="", text=text, language=lang,
                paragraphs=[Paragraph(*p) for p in paras])


def test_segments_group_runs_of_one_language() -> None:
    text = "a" * 10 + "\n\n" + "b" * 10 + "\n\n" + "c" * 10 + "\n\n" + "d" * 5
    post = _post(text, [(0, 10, "nl"), (12, 22, "nl"), (24, 34, "fr"), (36, 41, "de")])
    # German is not a pipeline language: it falls back to the post's language; French has its own pipeline.
    assert segments(post) == [Segment(0, 22, "nl"), Segment(24, 34, "fr"), Segment(36, 41, "nl")]


def test_segments_without_paragraphs_cover_the_text() -> None:
    post = Post(id="p", url="", date="", title="", text="hello", language=None)
    assert segments(post) == [Segment(0, 5, "en")]


def test_shift_moves_offsets_only() -> None:
    f = Figure(text="4", start=1, end=2, sentence="s 4", value=4.0, unit="days")
    moved = shift(f, 10)
    assert (moved.start, moved.end, moved.value, moved.sentence) == (11, 12, 4.0, "s 4")


def test_post_from_row_accepts_minimal_posts_and_rejects_bad_ones() -> None:
    post = post_from_row({"id": 7, "text": "x"})
    assert post.id == "7" and post.title == "" and post.labels == []
    with pytest.raises(InputError, match=r"f\.jsonl:3: post lacks an 'id'"):
        post_from_row({"title": "no id"}, "f.jsonl", 3)


def test_post_round_trips_through_json() -> None:
    post = _post("ab\n\ncd", [(0, 2, "nl"), (4, 6, "en")])
    again = Post.from_dict(json.loads(dumps(post.to_dict())))
    assert again == post


def test_every_command_has_help(capsys: pytest.CaptureFixture[str]) -> None:
    parser = build_parser()
    commands = parser._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    assert {"run", "extract"} <= set(commands)
    for name in commands:
        with pytest.raises(SystemExit) as exc:
            main([name, "--help"])
        assert exc.value.code == 0
        assert "usage:" in capsys.readouterr().out


def test_cli_reports_a_wrong_path_clearly(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    missing = tmp_path / "nope.jsonl"
    assert main(["extract", str(missing), "-o", str(tmp_path / "r.jsonl")]) == 2
    assert "nope.jsonl: no such file" in caplog.text


def test_raw_store_bytes_are_reproducible(tmp_path: Path) -> None:
    for name in ("a", "b"):
        store = RawStore(tmp_path / name)
        store.add(RawResponse("https://b.example/", 200, b"<p>x</p>", [("Content-Type", "text/html")],
                              fetched="2024-01-01T00:00:00Z"))
    assert (tmp_path / "a" / "crawl.warc.gz").read_bytes() == (tmp_path / "b" / "crawl.warc.gz").read_bytes()


def test_to_dict_matches_asdict_and_evolve_copies_without_touching_the_original() -> None:
    from dataclasses import asdict, fields

    from pipeline.bench.synth import synth_posts
    from pipeline.extract import Extractor
    from pipeline.records import SCALAR_TYPES, evolve, plain

    pairs = Extractor(batch_size=4).process(list(synth_posts(6, seed=5)))
    for post, rec in pairs:
        assert rec.to_dict() == asdict(rec) and post.to_dict() == asdict(post)
    rec = next(r for _, r in pairs if r.figures)
    # A field typed as a scalar must hold one, or to_dict would hand out a shared mutable value.
    for item in (rec, rec.figures[0], *rec.paragraphs):
        for f in fields(item):
            if str(f.type) in SCALAR_TYPES:
                assert getattr(item, f.name) is None or isinstance(getattr(item, f.name), (str, int, float, bool))
    fig = rec.figures[0]
    moved = evolve(fig, unit="people", start=fig.start + 1)
    assert (moved.unit, moved.start, moved.end) == ("people", fig.start + 1, fig.end)
    assert type(moved) is type(fig) and moved is not fig and fig.start == moved.start - 1
    assert moved == type(fig)(**{**asdict(fig), "unit": "people", "start": fig.start + 1})
    # Keys in field order; an attribute that is not a field stays out of the dict.
    assert list(rec.to_dict()) == [f.name for f in fields(rec)]
    odd = evolve(fig)
    odd.note = "not a field"
    assert plain(odd) == asdict(fig) and "note" not in plain(odd)
