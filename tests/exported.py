"""A small exported corpus for the export tests: synthetic posts (English and Dutch, with labels, authors and
published times with offsets), extracted, then a few hostile cells planted for the CSV checks."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pipeline import export
from pipeline.bench.synth import synth_posts
from pipeline.extract import Extractor
from pipeline.jsonl import dumps

HOSTILE_TITLE = '=HYPERLINK("http://127.0.0.1/x","click")'
CR_TEXT = "A first line\ra second after a bare carriage return\r\nand a third. "


def extracted(n: int = 40, seed: int = 3) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Posts and their records as dicts, with hostile cells in the first two posts."""
    pairs = Extractor(batch_size=8).process(list(synth_posts(n, seed=seed)))
    posts, records = [p.to_dict() for p, _ in pairs], [r.to_dict() for _, r in pairs]
    posts[0]["title"] = records[0]["title"] = HOSTILE_TITLE
    posts[0]["author"] = "@admin"
    posts[0]["labels"] = ["+plus", "-minus", "asia"]
    posts[1]["text"] = CR_TEXT + posts[1]["text"]
    posts[1]["published"] = "2019-03-04T10:15:00"  # no offset: read as UTC
    return posts, records


def write_inputs(folder: Path, posts: list[dict[str, Any]], records: list[dict[str, Any]]) -> tuple[Path, Path]:
    """posts.jsonl and records.jsonl in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    pp, rp = folder / "posts.jsonl", folder / "records.jsonl"
    pp.write_text("".join(dumps(p) + "\n" for p in posts), encoding="utf-8")
    rp.write_text("".join(dumps(r) + "\n" for r in records), encoding="utf-8")
    return pp, rp


def build(folder: Path, posts: list[dict[str, Any]], records: list[dict[str, Any]]) -> Path:
    """The exports of posts and records in folder/corpus; returns that folder."""
    pp, rp = write_inputs(folder / "in", posts, records)
    export.export_corpus(rp, pp, folder / "corpus", source="synthetic test corpus")
    return folder / "corpus"
