"""Notebooks: stored without outputs, reproducible from their sources, and they run on an exported corpus."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.errors import InputError
from pipeline.notebooks import NOTEBOOKS_DIR, run_notebooks

REPO = Path(__file__).resolve().parents[1]


def _generator():
    spec = importlib.util.spec_from_file_location("make_notebooks", REPO / "tools" / "make_notebooks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_five_notebooks_without_outputs() -> None:
    paths = sorted(NOTEBOOKS_DIR.glob("*.ipynb"))
    assert len(paths) == 5
    for path in paths:
        nb = json.loads(path.read_text())
        for cell in nb["cells"]:
            if cell["cell_type"] == "code":
                assert cell["outputs"] == [] and cell["execution_count"] is None, path.name


def test_notebooks_are_regenerated_identically(tmp_path: Path) -> None:
    _generator().build(tmp_path)
    for path in sorted(NOTEBOOKS_DIR.glob("*.ipynb")):
        assert (tmp_path / path.name).read_bytes() == path.read_bytes(), f"{path.name}: run tools/make_notebooks.py"


def test_notebooks_need_an_exported_corpus(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no exported corpus"):
        run_notebooks(tmp_path)


def test_notebooks_run_on_the_bundled_corpus_and_draw_plots(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    assert main(["-q", "run", "--out", str(corpus)]) == 0
    reports = run_notebooks(corpus, tmp_path / "reports")
    assert [r.name for r in reports] == [p.stem + ".html" for p in sorted(NOTEBOOKS_DIR.glob("*.ipynb"))]
    for report in reports:
        html = report.read_text()
        assert html.count("<img") >= 2, report.name
        assert "Traceback" not in html
