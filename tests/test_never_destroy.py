"""Never destroy: outputs replace only regular files, an empty result never replaces posts unless forced,
temporary files of a killed run are cleaned, and run/export publish a whole generation even under kill -9."""

from __future__ import annotations

import hashlib
import os
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from pipeline.bench.synth import synth_posts
from pipeline.cli import main
from pipeline.extract import Extractor
from pipeline.generation import MANIFEST, PUBLISHING, STAGING, generation, read_manifest, recover
from pipeline.jsonl import atomic_open, dumps
from pipeline.outputs import TMP_NAME

POST = '{"id": "a", "title": "Wages", "text": "Workers in Jakarta asked for higher wages."}\n'


def _one_line_error(caplog: pytest.LogCaptureFixture, *needles: str) -> str:
    """The one error logged since the last call: one line, naming what it should."""
    errors = [r.getMessage() for r in caplog.records if r.levelname == "ERROR"]
    caplog.clear()
    assert len(errors) == 1 and "\n" not in errors[0], errors
    for needle in needles:
        assert needle in errors[0]
    return errors[0]


@pytest.fixture()
def posts_file(tmp_path: Path) -> Path:
    p = tmp_path / "in.jsonl"
    p.write_text(POST, encoding="utf-8")
    return p


def test_a_fifo_a_directory_and_a_symlink_are_refused_and_left_as_they_were(
        tmp_path: Path, posts_file: Path, caplog: pytest.LogCaptureFixture) -> None:
    fifo = tmp_path / "fifo.jsonl"
    os.mkfifo(fifo)
    folder = tmp_path / "dir.jsonl"
    folder.mkdir()
    (folder / "kept").write_text("x")
    real = tmp_path / "real.jsonl"
    real.write_text("precious\n")
    link = tmp_path / "link.jsonl"
    link.symlink_to(real)
    for target, kind in ((fifo, "FIFO"), (folder, "directory"), (link, "symbolic link")):
        assert main(["language", str(posts_file), "-o", str(target)]) == 2
        _one_line_error(caplog, str(target), kind)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert (folder / "kept").read_text() == "x"
    assert link.is_symlink() and os.readlink(link) == str(real) and real.read_text() == "precious\n"
    assert not [p for p in tmp_path.iterdir() if TMP_NAME.match(p.name)]


def test_a_device_is_refused(tmp_path: Path, posts_file: Path, caplog: pytest.LogCaptureFixture) -> None:
    # A private node of the null device, not /dev/null itself: were the guard ever broken, a test run as root
    # would replace the system's /dev/null with a regular file.
    null = tmp_path / "null"
    try:
        os.mknod(null, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    except (PermissionError, OSError):
        pytest.skip("device nodes cannot be made here")
    assert main(["language", str(posts_file), "-o", str(null)]) == 2
    _one_line_error(caplog, str(null), "device")
    assert stat.S_ISCHR(os.lstat(null).st_mode)


def test_an_output_directory_that_is_a_file_is_refused(tmp_path: Path, posts_file: Path,
                                                       caplog: pytest.LogCaptureFixture) -> None:
    blocker = tmp_path / "corpus"
    blocker.write_text("not a folder")
    assert main(["language", str(posts_file), "-o", str(blocker / "posts.jsonl")]) == 2
    _one_line_error(caplog, str(blocker), "not a directory")
    assert main(["export", "--records", str(posts_file), "--posts", str(posts_file), "--out", str(blocker)]) == 2
    _one_line_error(caplog, str(blocker), "not a directory")
    assert blocker.read_text() == "not a folder"


def test_an_empty_input_never_empties_an_output_with_posts_unless_forced(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    out = tmp_path / "posts.jsonl"
    out.write_text(POST, encoding="utf-8")
    empty = tmp_path / "empty.warc.gz"
    empty.write_bytes(b"")
    garbage = tmp_path / "garbage.warc.gz"
    garbage.write_bytes(b"this is no WARC file\n" * 10)
    assert main(["parse", str(empty), "-o", str(out)]) == 2
    _one_line_error(caplog, str(out), "--force")
    assert main(["parse", str(garbage), "-o", str(out)]) == 2
    _one_line_error(caplog, str(garbage))
    assert out.read_text(encoding="utf-8") == POST
    nothing = tmp_path / "nothing.jsonl"
    nothing.write_text("\n")
    assert main(["language", str(nothing), "-o", str(out)]) == 2
    _one_line_error(caplog, str(out), "--force")
    assert out.read_text(encoding="utf-8") == POST
    assert main(["parse", str(empty), "-o", str(out), "--force"]) == 0
    assert out.read_text(encoding="utf-8") == ""


def test_run_on_an_empty_raw_store_leaves_the_corpus(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "posts.jsonl").write_text(POST, encoding="utf-8")
    (corpus / "records.json").write_text("{}\n")
    raw = tmp_path / "raw"
    raw.mkdir()
    assert main(["run", "--raw", str(raw), "--out", str(corpus)]) == 2
    _one_line_error(caplog, "posts.jsonl", "--force")
    assert sorted(p.name for p in corpus.iterdir()) == [".pipeline.lock", "posts.jsonl", "records.json"]
    assert (corpus / "posts.jsonl").read_text(encoding="utf-8") == POST


def test_temporary_files_of_a_killed_write_are_cleaned_and_only_those(tmp_path: Path) -> None:
    ours = tmp_path / ".posts.jsonl.k3j_9x0a.tmp"
    other_file = tmp_path / ".records.jsonl.ab12cd34.tmp"
    not_ours = [tmp_path / ".posts.jsonl.tmp", tmp_path / "posts.jsonl.k3j_9x0a.tmp", tmp_path / ".posts.jsonl.X.tmp"]
    for p in [ours, other_file, *not_ours]:
        p.write_text("left over")
    with atomic_open(tmp_path / "posts.jsonl") as fh:
        fh.write(POST)
    assert not ours.exists()
    assert other_file.exists() and all(p.exists() for p in not_ours)
    recover(tmp_path)  # what run and export do first: every temporary file of ours in their directories
    assert not other_file.exists() and all(p.exists() for p in not_ours)


# ---------------------------------------------------------------- kill -9 during export

KILLER = """
import os, signal, sys
phase, k = sys.argv[1], int(sys.argv[2])
seen = [0]
def wrap(real):
    def moved(src, dst, *a, **kw):
        src, dst = str(src), str(dst)
        hit = {"stage": "/.pipeline-staging/" in dst, "commit": dst.endswith("/.pipeline-publishing"),
               "move": "/.pipeline-publishing/" in src and (k >= 0 or src.endswith("/manifest.json"))}[phase]
        if hit:
            if seen[0] == max(k, 0):
                os.kill(os.getpid(), signal.SIGKILL)
            seen[0] += 1
        return real(src, dst, *a, **kw)
    return moved
os.replace, os.rename = wrap(os.replace), wrap(os.rename)
from pipeline.cli import main
sys.exit(main(sys.argv[3:]))
"""


def _visible(folder: Path) -> dict[str, str]:
    """sha256 of every file a reader opens (not hidden ones)."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and not any(part.startswith(".")
                                                                        for part in p.relative_to(folder).parts)}


def _hidden_leftovers(folder: Path) -> list[str]:
    return [p.name for p in folder.rglob("*") if TMP_NAME.match(p.name) or p.name in (STAGING, PUBLISHING)]


@pytest.fixture(scope="module")
def two_sets(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Posts and records of two different corpora (an old and a new generation)."""
    pairs = Extractor(batch_size=8).process(list(synth_posts(10, seed=5)))
    root = tmp_path_factory.mktemp("sets")
    sets = []
    for name, chosen in (("old", pairs[:6]), ("new", pairs[4:])):
        d = root / name
        d.mkdir()
        (d / "posts.jsonl").write_text("".join(dumps(p.to_dict()) + "\n" for p, _ in chosen), encoding="utf-8")
        (d / "records.jsonl").write_text("".join(dumps(r.to_dict()) + "\n" for _, r in chosen), encoding="utf-8")
        sets.append(d)
    return sets[0], sets[1]


def _export(src: Path, out: Path, *argv: str,
            kill_at: tuple[str, int] | None = None) -> subprocess.CompletedProcess[Any]:
    args = ["export", "--records", str(src / "records.jsonl"), "--posts", str(src / "posts.jsonl"), "--out", str(out),
            *argv]
    cmd = ([sys.executable, "-c", KILLER, kill_at[0], str(kill_at[1])] if kill_at is not None
           else [sys.executable, "-m", "pipeline"])
    return subprocess.run([*cmd, *args], capture_output=True, text=True, check=False, timeout=300)


def test_kill_9_during_export_leaves_the_old_or_the_new_generation(two_sets: tuple[Path, Path],
                                                                   tmp_path: Path) -> None:
    old, new = two_sets
    reference = tmp_path / "reference"
    assert _export(old, reference / "old").returncode == 0
    assert _export(new, reference / "new").returncode == 0
    old_files, new_files = _visible(reference / "old"), _visible(reference / "new")
    assert old_files.keys() == new_files.keys() and old_files != new_files
    # Kill (SIGKILL) at the 4th file written into the staging directory, at the commit (the staging directory
    # renamed), before the first file is moved into place, before the 6th, and before the manifest (the last).
    points = {"stage 3": ("stage", 3), "commit": ("commit", 0), "move 0": ("move", 0), "move 5": ("move", 5),
              "manifest": ("move", -1)}
    outcomes = {}
    for label, kill_at in points.items():
        out = tmp_path / label.replace(" ", "_")
        assert _export(old, out).returncode == 0
        done = _export(new, out, kill_at=kill_at)
        assert done.returncode == -9, done.stderr
        if _visible(out) not in (old_files, new_files):  # mixed only while a publication is visibly unfinished
            assert (out / PUBLISHING).is_dir()
            assert read_manifest(out) == read_manifest(reference / "old")
        recover(out)  # what the next run or export does first
        outcomes[label] = "old" if _visible(out) == old_files else "new" if _visible(out) == new_files else "mixed"
        assert _hidden_leftovers(out) == []
        assert _export(new, out).returncode == 0  # and the next export runs as usual
        assert _visible(out) == new_files and _hidden_leftovers(out) == []
    assert outcomes == {"stage 3": "old", "commit": "old", "move 0": "new", "move 5": "new", "manifest": "new"}


def test_a_failing_stage_publishes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "corpus"
    out.mkdir()
    (out / "posts.jsonl").write_text(POST, encoding="utf-8")
    with pytest.raises(RuntimeError), generation(out) as stage:
        (stage / "posts.jsonl").write_text("new\n")
        raise RuntimeError("stage failed")
    assert (out / "posts.jsonl").read_text(encoding="utf-8") == POST and not (out / STAGING).exists()
    with generation(out) as stage:
        (stage / "posts.jsonl").write_text("new\n")
    assert (out / "posts.jsonl").read_text() == "new\n" and list(read_manifest(out)) == ["posts.jsonl"]
    assert (out / MANIFEST).is_file()
