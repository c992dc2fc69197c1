"""Packaging: the wheel holds every file the code reads at run time and, installed (not editable), runs the chain
on the snapshot to the same bytes as the checkout; every declared dependency is imported, every import declared."""

from __future__ import annotations

import ast
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
import zipfile
from functools import cache
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest

from pipeline import cli
from pipeline.config import DATA_DIR, PACKAGE_DIR, PIPELINE_CONFIGS_DIR, REPO_DIR, SCHEMA_DIR, SNAPSHOT_RAW

PYPROJECT = tomllib.loads((REPO_DIR / "pyproject.toml").read_text(encoding="utf-8"))
# The directories of files the code reads at run time (pipeline/config.py).
RUNTIME_DIRS = (DATA_DIR, PIPELINE_CONFIGS_DIR, SCHEMA_DIR)
# Which extra a module of the package may import beyond the core dependencies.
OPTIONAL_USERS = {"pipeline/notebooks.py": "notebooks", "pipeline/topics.py": "notebooks",
                  "pipeline/reports.py": "notebooks", "pipeline/runner.py": "scale",
                  "pipeline/bench/benchmark.py": "bench",
                  # the bench's Dask LocalCluster run: without dask it is reported as not run
                  "pipeline/bench/configs.py": "scale"}
# Declared, not imported, for a reason: the kernel nbclient starts; tools run by make and by the tests.
NOT_IMPORTED = {"ipykernel": "notebooks", "ruff": "dev", "setuptools": "dev", "wheel": "dev"}


def _name(requirement: str) -> str:
    return re.split(r"[\s<>=!~;\[]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def _names(requirement: str) -> set[str]:
    """The distribution a requirement names, and those its extras bring ('dask[distributed]': distributed)."""
    extras = re.search(r"\[([^\]]*)\]", requirement.split(";")[0])
    brought = {e.strip().lower() for e in extras.group(1).split(",")} if extras else set()
    return {_name(requirement)} | brought


def _runtime_files() -> list[str]:
    """Every file under the run-time directories, as a path inside the wheel."""
    files = []
    for folder in RUNTIME_DIRS:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                files.append(path.relative_to(PACKAGE_DIR.parent).as_posix())
    return files


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel, built from a copy of the sources (nothing is written into the checkout), without network."""
    src = tmp_path_factory.mktemp("src")
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(REPO_DIR / name, src / name)
    shutil.copytree(PACKAGE_DIR, src / "pipeline", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    out = tmp_path_factory.mktemp("dist")
    proc = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
                           "-q", "-w", str(out), str(src)], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr[-2000:]
    (built,) = out.glob("*.whl")
    return built


@pytest.mark.slow
def test_the_wheel_holds_every_module_and_every_file_read_at_run_time(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    needed = _runtime_files()
    assert any(f.endswith(".cfg") for f in needed) and any(f.endswith(".schema.json") for f in needed)
    assert len([f for f in needed if f.startswith("pipeline/data/")]) > 100
    modules = [p.relative_to(PACKAGE_DIR.parent).as_posix() for p in PACKAGE_DIR.rglob("*.py")]
    assert sorted(set(needed + modules) - names) == []
    assert not [n for n in names if n.startswith(("tests/", "corpus/", "notebooks/"))]
    entry = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
    assert "rightspasia = pipeline.cli:main" in zipfile.ZipFile(wheel).read(entry).decode()


def _digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.slow
def test_the_installed_wheel_runs_the_chain_on_the_snapshot_as_the_checkout_does(wheel: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    proc = subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-index", "--target",
                           str(site), str(wheel)], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr[-2000:]
    # Installed, the package is no checkout: run looks for corpus/raw under the working directory.
    work = tmp_path / "work"
    (work / "corpus").mkdir(parents=True)
    env = {**os.environ, "PYTHONPATH": str(site)}
    where = subprocess.run([sys.executable, "-c", "import pipeline; print(pipeline.__file__)"], cwd=work, env=env,
                           capture_output=True, text=True, check=True).stdout
    assert Path(where.strip()).is_relative_to(site)  # the wheel's copy, not the checkout's
    lost = subprocess.run([sys.executable, "-m", "pipeline", "run"], cwd=work, env=env, capture_output=True,
                          text=True, check=False)
    assert lost.returncode == 2 and "Traceback" not in lost.stderr
    assert "corpus/raw: no raw store here" in lost.stderr and "--raw PATH" in lost.stderr
    (work / "corpus" / "raw").symlink_to(SNAPSHOT_RAW.resolve(), target_is_directory=True)
    script = site / "bin" / "rightspasia"
    for command in ("run", "bench", "notebooks", "export"):  # every default path makes sense installed
        usage = subprocess.run([sys.executable, str(script), command, "--help"], cwd=work, env=env,
                               capture_output=True, text=True, check=False)
        assert usage.returncode == 0 and usage.stdout.startswith(f"usage: rightspasia {command} "), usage.stderr
    proc = subprocess.run([sys.executable, str(script), "run", "-q"], cwd=work, env=env, capture_output=True,
                          text=True, check=False)
    assert proc.returncode == 0, proc.stderr[-2000:]
    installed = _digest(work / "corpus")
    assert {"records.json", "records.jsonl", "posts.jsonl", "corpus.sqlite"} <= set(installed)
    assert cli.main(["-q", "run", "--out", str(tmp_path / "checkout")]) == 0
    checkout = _digest(tmp_path / "checkout")
    assert {k: v for k, v in installed.items() if not k.startswith("raw/")} == checkout
    header = json.loads((work / "corpus" / "records.json").read_text(encoding="utf-8"))["header"]
    assert header["source"].startswith("bundled snapshot") and header["posts"] == 8


def _imports(tree: ast.AST) -> set[str]:
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.update(a.name.partition(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            out.add(node.module.partition(".")[0])
    return out


@cache
def _distributions() -> dict[str, list[str]]:
    return packages_distributions()


def _third_party(names: set[str]) -> dict[str, set[str]]:
    """Import name -> distribution names, for the imports that are neither stdlib nor the project."""
    dists = _distributions()
    out = {}
    for name in names - set(sys.stdlib_module_names) - {"pipeline", "tests", "__future__"}:
        assert name in dists, f"{name} is imported but no installed distribution provides it"
        out[name] = {_name(d) for d in dists[name]}
    return out


def _imports_by_file() -> dict[str, set[str]]:
    files = {p.relative_to(REPO_DIR).as_posix(): ast.parse(p.read_text(encoding="utf-8"))
             for folder in ("pipeline", "tests") for p in (REPO_DIR / folder).rglob("*.py")}
    out = {name: _imports(tree) for name, tree in files.items()}
    for nb in (REPO_DIR / "notebooks").glob("*.ipynb"):
        cells = json.loads(nb.read_text(encoding="utf-8"))["cells"]
        code = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
        code = "\n".join(line for line in code.splitlines() if not line.lstrip().startswith(("%", "!")))
        out[f"notebooks/{nb.name}"] = _imports(ast.parse(code))
    return out


def test_every_declared_dependency_is_imported_and_every_import_declared() -> None:
    project = PYPROJECT["project"]
    core = set().union(*map(_names, project["dependencies"]))
    extras = {extra: set().union(*map(_names, reqs)) for extra, reqs in project["optional-dependencies"].items()}
    used: dict[str, set[str]] = {}  # distribution -> files importing it
    for path, names in _imports_by_file().items():
        for module, dists in _third_party(names).items():
            allowed = set(core)
            if path.startswith("pipeline/"):
                allowed |= extras.get(OPTIONAL_USERS.get(path, "") or "", set())
                if path.startswith("pipeline/bench/"):
                    allowed |= extras["bench"]
            else:  # tests, tools, notebooks: anything declared
                allowed |= set().union(*extras.values())
            assert dists & allowed, f"{path} imports {module} ({', '.join(dists)}), not declared for it"
            for d in dists:
                used.setdefault(d, set()).add(path)
    # Core dependencies are imported by the package itself; each extra by what it serves.
    assert sorted(d for d in core if not any(f.startswith("pipeline/") for f in used.get(d, ()))) == []
    for extra, reqs in project["optional-dependencies"].items():
        unused = sorted(n for n in map(_name, reqs) if n not in used and NOT_IMPORTED.get(n) != extra)
        assert unused == [], f"extra {extra!r} declares {unused}, which nothing imports"
    assert "beautifulsoup4" not in core | set().union(*extras.values())


def test_the_cli_names_the_extra_of_a_missing_optional_module() -> None:
    dists = _distributions()
    optional = PYPROJECT["project"]["optional-dependencies"]
    extras = {extra: set().union(*map(_names, reqs)) for extra, reqs in optional.items()}
    for module, extra in cli.OPTIONAL_MODULES.items():
        assert {_name(d) for d in dists[module]} & extras[extra], (module, extra)


def test_a_missing_extra_is_one_line_naming_it(monkeypatch: pytest.MonkeyPatch,
                                               caplog: pytest.LogCaptureFixture, tmp_path: Path) -> None:
    monkeypatch.setitem(sys.modules, "nbformat", None)  # as if the notebooks extra were not installed
    assert cli.main(["notebooks", "--corpus", str(tmp_path)]) == 2
    assert "notebooks needs nbformat, from the 'notebooks' extra: pip install 'rightspasia-pipeline[notebooks]'" \
        in caplog.text
