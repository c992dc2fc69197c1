"""Rebuild corpus/raw/snapshot.warc.gz: the two seed pages as Blogger renders them.

The seeds are the label page /search/label/asia and the June 2017 month archive /2017/06/ of
rightspasia.blogspot.com. Their posts (../shared/eval/seed_posts.jsonl) are rendered with
pipeline.bench.render in the classic layout the blog uses, with fixed ids, times and WARC dates, so the
snapshot and everything parsed from it are byte-for-byte reproducible.

    python tools/build_snapshot.py [--seeds ../shared/eval/seed_posts.jsonl] [--out corpus/raw]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
from pathlib import Path

from pipeline.bench.render import BlogMeta, listing_page, slugify, text_to_html
from pipeline.rawstore import RawResponse, RawStore
from pipeline.records import Post

REPO = Path(__file__).resolve().parent.parent
BASE = "https://rightspasia.blogspot.com/"
LABEL_PAGE = BASE + "search/label/asia"
MONTH_PAGE = BASE + "2017/06/"
# Times of day (the blog's zone, +05:45); posts sharing a date keep their listing order.
TIMES = {"s001": "16:40", "s002": "12:10", "s003": "09:30", "s004": "18:05",
         "s005": "11:20", "s006": "15:45", "s007": "10:00", "s008": "08:30"}
LABELS = {"s001": ["asia", "INSP!R", "annual report"], "s002": ["asia", "Cambodia", "testimony"],
          "s003": ["asia", "advocacy"], "s004": ["asia", "results", "WSM"],
          "s005": ["Bangladesh", "garment"], "s006": ["ILO", "labour migration"],
          "s007": ["Cambodia", "campagne", "garment"], "s008": ["domestic workers", "ILO"]}
ARCHIVE = [(2024, 12, 3), (2023, 12, 1), (2017, 6, 4)]


def post_id(seed_id: str) -> str:
    """A stable 19-digit Blogger-like post id."""
    return str(int(hashlib.sha1(seed_id.encode()).hexdigest(), 16) % 10**18 + 10**18)


def seed_to_post(row: dict) -> Post:
    """A Post as the blog would hold it."""
    date = row["date"]
    return Post(
        id=post_id(row["id"]),
        url=f"{BASE}{date[:4]}/{date[5:7]}/{slugify(row['title'])}.html",
        date=date,
        published=f"{date}T{TIMES.get(row['id'], '12:00')}:00+05:45",
        title=row["title"],
        author="INSP!R Asia",
        labels=LABELS.get(row["id"], []),
        text=row["text"],
        html=text_to_html(row["text"]),
    )


def build(seeds: Path, out: Path) -> None:
    """Write the snapshot store."""
    rows = [json.loads(line) for line in seeds.read_text(encoding="utf-8").splitlines() if line.strip()]
    by_source: dict[str, list[Post]] = {}
    for row in rows:
        by_source.setdefault(row["source"], []).append(seed_to_post(row))
    meta = BlogMeta(base_url=BASE, labels=("asia", "Bangladesh", "Cambodia", "ILO", "garment"))
    label_posts = next(v for k, v in sorted(by_source.items()) if k.startswith("000_"))
    month_posts = next(v for k, v in sorted(by_source.items()) if k.startswith("004_"))
    pages = [
        (LABEL_PAGE, listing_page(meta, label_posts, label="asia", archive=ARCHIVE), "2025-01-15T10:00:00Z"),
        (MONTH_PAGE, listing_page(meta, month_posts, archive=ARCHIVE, newer_url=BASE + "2017/07/"),
         "2025-01-15T10:00:05Z"),
    ]
    if out.exists():
        shutil.rmtree(out)
    store = RawStore(out, name="snapshot.warc.gz")
    for url, html, when in pages:
        store.add(RawResponse(url=url, status=200, body=html.encode("utf-8"),
                              headers=[("Content-Type", "text/html; charset=UTF-8")], fetched=when))


def main() -> None:
    """Command line entry."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seeds", type=Path, default=REPO.parent / "shared" / "eval" / "seed_posts.jsonl")
    ap.add_argument("--out", type=Path, default=REPO / "corpus" / "raw")
    args = ap.parse_args()
    build(args.seeds, args.out)


if __name__ == "__main__":
    main()
