"""Execute the analysts' notebooks on an exported corpus and write HTML copies (``make notebooks``)."""

from __future__ import annotations

import argparse
import logging
import os
from pathlib import Path

from pipeline.config import CORPUS_DIR, HOME_DIR
from pipeline.errors import InputError, PipelineError

log = logging.getLogger(__name__)

NOTEBOOKS_DIR = HOME_DIR / "notebooks"


def run_notebooks(corpus: Path = CORPUS_DIR, out: Path | None = None, notebooks: Path = NOTEBOOKS_DIR,
                  timeout: int = 600) -> list[Path]:
    """Execute every notebook top to bottom on `corpus`; write one HTML report each; return their paths."""
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError
    from nbconvert import HTMLExporter

    from pipeline.jsonl import atomic_open

    corpus = Path(corpus).resolve()
    out = Path(out) if out else corpus / "reports"
    if not (corpus / "tables" / "posts.parquet").is_file():
        raise InputError(f"{corpus}: no exported corpus here (run `make corpus` first)")
    paths = sorted(Path(notebooks).glob("*.ipynb"))
    if not paths:
        raise InputError(f"{notebooks}: no notebooks found")
    out = Path(out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    # The kernels inherit both: notebooks read only the exports and write only next to the reports, and they run
    # in the reports directory, so that nothing lands in the repository.
    os.environ["CORPUS_DIR"] = str(corpus)
    os.environ["REPORTS_DIR"] = str(out)
    reports = []
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        client = NotebookClient(nb, timeout=timeout, kernel_name="python3",
                                resources={"metadata": {"path": str(out)}})
        log.info("executing %s", path.name)
        try:
            client.execute()
        except CellExecutionError as exc:
            failing = next((i for i, c in enumerate(nb.cells) if any(
                o.get("output_type") == "error" for o in c.get("outputs", []))), "?")
            raise PipelineError(f"{path.name}: cell {failing} failed: {str(exc).strip().splitlines()[-1]}") from None
        html, _ = HTMLExporter().from_notebook_node(nb)
        report = out / (path.stem + ".html")
        with atomic_open(report) as fh:
            fh.write(html)
        reports.append(report)
        log.info("wrote %s", report)
    return reports


def add_cli(sub: argparse._SubParsersAction) -> None:
    """Register ``notebooks``."""
    p = sub.add_parser("notebooks", help="execute notebooks/ on the corpus and write HTML reports",
                       description="Run every notebook in notebooks/ top to bottom on an exported corpus "
                       "(nbclient) and write HTML copies with their plots (nbconvert).")
    p.add_argument("--corpus", default=str(CORPUS_DIR), help="exported corpus directory (default: corpus/)")
    p.add_argument("--out", help="where the HTML reports go (default: <corpus>/reports)")
    p.set_defaults(func=lambda a: run_notebooks(Path(a.corpus), Path(a.out) if a.out else None) and 0)
