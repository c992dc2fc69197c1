"""The README's pandas and duckdb examples ("Exports and how to query them") run on a built corpus and say
what the tables hold."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from tests.exported import build, extracted

README = Path(__file__).resolve().parents[1] / "README.md"


def examples() -> list[str]:
    """The python blocks between the README's query-examples markers."""
    text = README.read_text(encoding="utf-8")
    part = text[text.index("<!-- query-examples"):text.index("<!-- /query-examples -->")]
    return re.findall(r"```python\n(.*?)```", part, flags=re.S)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict[str, Any]], list[dict[str, Any]]]:
    posts, records = extracted()
    folder = tmp_path_factory.mktemp("examples")
    build(folder, posts, records)
    return folder, posts, records


def test_the_readme_has_a_pandas_and_a_duckdb_example() -> None:
    blocks = examples()
    assert len(blocks) == 2 and "import pandas" in blocks[0] and "import duckdb" in blocks[1]


def test_the_pandas_example(built: tuple, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture) -> None:
    folder, posts, records = built
    monkeypatch.chdir(folder)
    scope: dict[str, Any] = {}
    exec(compile(examples()[0], "README.md (pandas)", "exec"), scope)  # noqa: S102
    assert scope["per_month"].sum() == len(posts) and len(scope["per_month"]) > 1
    labels = Counter(label for p in posts for label in p["labels"])
    assert scope["by_label"].to_dict() == dict(labels)
    values = sorted((f["value"] for r in records for f in r["figures"]), reverse=True)[:5]
    assert scope["largest"]["value"].tolist() == values
    assert "sentence" in capfd.readouterr().out


def test_the_duckdb_example(built: tuple, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture) -> None:
    pytest.importorskip("duckdb", reason="duckdb is not installed (it is in the dev extra)")
    import duckdb  # what the example imports (the dev extra)

    assert duckdb.__version__
    folder, posts, records = built
    monkeypatch.chdir(folder)
    exec(compile(examples()[1], "README.md (duckdb)", "exec"), {})  # noqa: S102
    out = capfd.readouterr().out
    countries = Counter(c["code"] for r in records for c in r["countries"])
    top = min(countries.items(), key=lambda kv: (-kv[1], kv[0]))
    assert re.search(rf"\b{top[0]}\b\s*│\s*{top[1]}\b", out), out
    labels = Counter(label for p in posts for label in p["labels"])
    label, n = min(labels.items(), key=lambda kv: (-kv[1], kv[0]))
    assert re.search(rf"{re.escape(label)}\s*│\s*{n}\b", out), out
