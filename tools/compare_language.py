"""Compare language backends per paragraph on the seed posts: accuracy and speed (README table).

    python tools/compare_language.py [--seeds ../shared/eval/seed_posts.jsonl]

Every seed paragraph is English except, in the Dutch post s007, those listed in DUTCH below (read by
hand). Paragraphs of fewer than six words take the post's language in the pipeline, so they are
scored as the pipeline uses them.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from pipeline.language import LanguageDetector
from pipeline.posts_io import post_from_row

REPO = Path(__file__).resolve().parent.parent
# (post id, paragraph index) of the Dutch paragraphs; s007 paragraphs 2, 5 and 6 are English.
DUTCH = {("s007", 0), ("s007", 1), ("s007", 3), ("s007", 4)}


def main() -> None:
    """Print a markdown table."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seeds", type=Path, default=REPO.parent / "shared" / "eval" / "seed_posts.jsonl")
    args = ap.parse_args()
    posts = [post_from_row(json.loads(line)) for line in args.seeds.read_text(encoding="utf-8").splitlines()]
    rows = []
    for name, backend, fast in (("langdetect + function words (default)", "langdetect", True),
                                ("langdetect only", "langdetect", False), ("lingua", "lingua", False)):
        det = LanguageDetector(backend=backend, fast=fast)
        det.detect("warm up the models")
        correct = total = 0
        start = time.perf_counter()
        for post in posts:
            for i, para in enumerate(det.annotate(post).paragraphs):
                want = "nl" if (post.id, i) in DUTCH else "en"
                correct += para.language == want
                total += 1
        elapsed = time.perf_counter() - start
        rows.append((name, correct, total, total / elapsed))
    print("| backend | paragraphs right | paragraphs/s |")
    print("|---|---|---|")
    for name, c, t, rate in rows:
        print(f"| {name} | {c}/{t} | {rate:,.0f} |")


if __name__ == "__main__":
    main()
