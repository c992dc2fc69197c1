"""Notebooks: stored without outputs, reproducible from their sources, and they run on an exported corpus."""

from __future__ import annotations

import importlib.util
import json
import re
import subprocess
from html import escape as html_escape
from pathlib import Path

import lxml.html
import pandas as pd
import pytest

from pipeline.bench.synth import write_synth
from pipeline.cli import main
from pipeline.errors import InputError
from pipeline.notebooks import NOTEBOOKS_DIR, run_notebooks
from pipeline.reports import unit_kind

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


# Plots each notebook draws at least, whatever the corpus (a plot that says "nothing to show" counts).
MIN_PLOTS = {"01_overview": 4, "02_figures": 4, "03_organisations": 5, "04_conventions": 3, "05_topics": 2}
SYNTHETIC_POSTS = 2000


def _git_status() -> set[str]:
    """What git sees changed or new in the repository, ignored files included (byte-code caches aside)."""
    out = subprocess.run(["git", "status", "--porcelain", "--ignored", "--untracked-files=all"], cwd=REPO,
                         capture_output=True, text=True, check=True).stdout
    return {line for line in out.splitlines() if "__pycache__" not in line and ".pytest_cache" not in line}


def _source(cell: dict) -> str:
    """A cell's source, stored as one string or as a list of lines."""
    return cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])


@pytest.fixture(scope="module")
def corpora(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The bundled snapshot and a 2,000-post synthetic blog, each run through the whole chain once."""
    base = tmp_path_factory.mktemp("corpora")
    assert main(["-q", "run", "--out", str(base / "snapshot")]) == 0
    write_synth(base / "raw", SYNTHETIC_POSTS, seed=5)
    assert main(["-q", "run", "--raw", str(base / "raw"), "--out", str(base / "synthetic")]) == 0
    return {"snapshot": base / "snapshot", "synthetic": base / "synthetic"}


def _months(dates: pd.Series) -> tuple[int, int, str, str]:
    """Months from the first to the last date, how many of them have no post, computed here without helpers."""
    days = sorted({str(d)[:7] for d in dates.dropna() if str(d)[:4].isdigit()})
    (y0, m0), (y1, m1) = (map(int, days[0].split("-")), map(int, days[-1].split("-")))
    n = (y1 - y0) * 12 + (m1 - m0) + 1
    return n, n - len(days), days[0], days[-1]


@pytest.mark.parametrize("which", ["snapshot", "synthetic"])
def test_notebooks_render_on_the_snapshot_and_a_synthetic_corpus(corpora: dict[str, Path], tmp_path: Path,
                                                                  which: str) -> None:
    corpus = corpora[which]
    before = _git_status()
    reports = run_notebooks(corpus, tmp_path / "reports")
    assert _git_status() == before  # nothing written into the repository, not even ignored files
    assert [r.name for r in reports] == [p.stem + ".html" for p in sorted(NOTEBOOKS_DIR.glob("*.ipynb"))]
    html = {r.stem: r.read_text(encoding="utf-8") for r in reports}
    posts = pd.read_parquet(corpus / "tables" / "posts.parquet")
    for name, page in html.items():
        assert page.count("<img") >= MIN_PLOTS[name], name
        assert "Traceback" not in page, name
        assert 'data-mime-type="application/vnd.jupyter.stderr"' not in page, name  # no warnings in a report
        notebook = json.loads((NOTEBOOKS_DIR / f"{name}.ipynb").read_text())
        headings = [line[3:] for c in notebook["cells"] if c["cell_type"] == "markdown"
                    for line in _source(c).splitlines() if line.startswith("## ")]
        titles = [h.text_content().rstrip("¶").strip() for h in lxml.html.document_fromstring(page).iter("h2")]
        assert titles == headings and headings, name

    # Posts per month: every month from the first post to the last is a row, empty months included.
    n, empty, first, last = _months(posts["date"])
    assert f"{n} months from {first} to {last}, {empty} of them without posts" in html["01_overview"]
    # By year: every year of the span is a column, years without posts too.
    years = sorted(int(str(d)[:4]) for d in posts["date"].dropna())
    columns = [th.text_content().strip() for th in lxml.html.document_fromstring(html["01_overview"]).iter("th")]
    for year in range(years[0], years[-1] + 1):
        assert str(year) in columns, year

    # Figures: the largest count is shown with its sentence, and nothing adds values up.
    figures = pd.read_parquet(corpus / "tables" / "figures.parquet")
    counts = figures[figures["unit"].map(unit_kind) == "count"]
    largest = counts.sort_values("value", ascending=False).iloc[0]
    assert html_escape(" ".join(largest["sentence"].split()), quote=False) in html["02_figures"]
    for path in NOTEBOOKS_DIR.glob("*.ipynb"):
        source = "\n".join(_source(c) for c in json.loads(path.read_text())["cells"] if c["cell_type"] == "code")
        assert not re.search(r"\[\"value\"\]\s*\.sum\(|\.value\.sum\(|\"value\"\)\s*\.sum\(", source), path.name
        assert "sys.path" not in source, path.name
    assert "People reached" not in html["02_figures"]

    # Topic models go next to the reports.
    assert sorted(p.name for p in (tmp_path / "reports" / "models").glob("topics-*.joblib"))
