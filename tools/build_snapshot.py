"""Rebuild corpus/raw/snapshot.warc.gz: a rendering of the seed posts' text as two Blogger pages, not a capture.

The seeds are eight posts of rightspasia.blogspot.com as they appeared on the label page /search/label/asia
and the June 2017 month archive /2017/06/ (../shared/eval/seed_posts.jsonl: title, date and text of each).
They are drawn with pipeline.bench.render in the classic layout the blog uses. The snapshot invents nothing
the seed text does not give: no labels, authors or times of day, and no Blogger post ids (a post's id is
'u' + a hash of its permalink, the form the parser gives posts without a Blogger id); a post's date is the
seed's date, and its permalink follows Blogger's default slug rule from the title (the blog's own permalink
may differ). The WARC file starts with a warcinfo record that says so (config.SNAPSHOT_NOTE); record dates
and ids are fixed, so the file is byte-for-byte reproducible.

    python tools/build_snapshot.py [--seeds ../shared/eval/seed_posts.jsonl] [--out corpus/raw]
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import uuid
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from pipeline.bench.render import BlogMeta, listing_page, slugify, text_to_html
from pipeline.config import SNAPSHOT_NOTE
from pipeline.parse.urls import id_from_url
from pipeline.records import Post

REPO = Path(__file__).resolve().parent.parent
BASE = "https://rightspasia.blogspot.com/"
LABEL_PAGE = BASE + "search/label/asia"
MONTH_PAGE = BASE + "2017/06/"
NAME = "snapshot.warc.gz"
DEFINED = "2025-01-15T10:00:00Z"  # when this rendering was defined: the WARC-Date of every record


def seed_to_post(row: dict) -> Post:
    """A Post holding only what the seed gives: title, date, text (and a permalink derived from them)."""
    date = row["date"]
    url = f"{BASE}{date[:4]}/{date[5:7]}/{slugify(row['title'])}.html"
    return Post(id=id_from_url(url), url=url, date=date, published=None, title=row["title"], author=None,
                labels=[], text=row["text"], html=text_to_html(row["text"]))


def _record_id(*parts: bytes) -> str:
    digest = hashlib.sha1(b"\0".join(parts)).hexdigest()
    return f"<urn:uuid:{uuid.UUID(digest[:32])}>"


def build(seeds: Path, out: Path) -> Path:
    """Write the snapshot WARC (warcinfo, then one response a page); return its path."""
    rows = [json.loads(line) for line in seeds.read_text(encoding="utf-8").splitlines() if line.strip()]
    by_source: dict[str, list[Post]] = {}
    for row in rows:
        by_source.setdefault(row["source"], []).append(seed_to_post(row))
    meta = BlogMeta(base_url=BASE)
    label_posts = next(v for k, v in sorted(by_source.items()) if k.startswith("000_"))
    month_posts = next(v for k, v in sorted(by_source.items()) if k.startswith("004_"))
    pages = [(LABEL_PAGE, listing_page(meta, label_posts, label="asia")),
             (MONTH_PAGE, listing_page(meta, month_posts, newer_url=BASE + "2017/07/"))]
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=True)
    info = {"software": "rightspasia-pipeline tools/build_snapshot.py (pipeline.bench.render)",
            "format": "WARC File Format 1.0", "description": SNAPSHOT_NOTE,
            "source": f"{seeds.name}: {len(rows)} seed posts (title, date, text)",
            "isPartOf": "rightspasia-pipeline bundled snapshot"}
    warcinfo = writer.create_warcinfo_record(NAME, info)
    warcinfo.rec_headers.replace_header("WARC-Date", DEFINED)  # fixed: the same bytes on every build
    warcinfo.rec_headers.replace_header("WARC-Record-ID", _record_id(b"warcinfo", SNAPSHOT_NOTE.encode()))
    writer.write_record(warcinfo)
    for url, html in pages:
        body = html.encode("utf-8")
        http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=UTF-8"),
                                           ("Content-Length", str(len(body)))], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(
            url, "response", payload=io.BytesIO(body), length=len(body), http_headers=http,
            warc_headers_dict={"WARC-Date": DEFINED, "WARC-Record-ID": _record_id(url.encode(), body)}))
    out.mkdir(parents=True, exist_ok=True)
    path = out / NAME
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(buf.getvalue())
    os.replace(tmp, path)
    return path


def main() -> None:
    """Command line entry."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seeds", type=Path, default=REPO.parent / "shared" / "eval" / "seed_posts.jsonl")
    ap.add_argument("--out", type=Path, default=REPO / "corpus" / "raw")
    args = ap.parse_args()
    build(args.seeds, args.out)


if __name__ == "__main__":
    main()
