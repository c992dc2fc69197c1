"""The README's table of scores per language: seed posts (English), Dutch and French development texts.

    python tools/score_table.py [--eval ../shared/eval] [--halves]

Runs the extraction (language detection included) on ``<eval>/{seed,dev_nl,dev_fr}_posts.jsonl`` and scores it
against the gold files exactly as ``python -m pipeline evaluate`` does (GUIDELINES.md): F1 of conventions,
organisations and figures, unit agreement of the matched figures, language right per post. ``--halves`` adds a
row per half of each set by the parity of the number in the post id (odd, even), the split used to develop on
one half and measure on the other.
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

from pipeline.evaluate import Report, score
from pipeline.extract import Extractor
from pipeline.posts_io import post_from_row

REPO = Path(__file__).resolve().parent.parent
SETS = (("seed", "seed (en)"), ("dev_nl", "dev_nl"), ("dev_fr", "dev_fr"))


def parity(post_id: str) -> str:
    """'odd' or 'even' by the last number in the id."""
    digits = re.findall(r"\d+", post_id)
    return "even" if digits and int(digits[-1]) % 2 == 0 else "odd"


def row(name: str, r: Report) -> str:
    """One markdown row."""
    return (f"| {name} | {r.posts} | {r.conventions.f1:.3f} ({r.conventions.tp}/{r.conventions.tp + r.conventions.fn}"
            f", {r.conventions.fp} false) | {r.organisations.f1:.3f} | {r.figures.f1:.3f} | {r.unit_agreement:.3f} "
            f"| {r.language_correct}/{r.posts} |")


def main() -> None:
    """Print the table."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--eval", type=Path, default=REPO.parent / "shared" / "eval")
    ap.add_argument("--halves", action="store_true", help="add a row per half (odd and even post ids)")
    args = ap.parse_args()
    extractor = Extractor()
    print("| set | posts | conventions F1 (found/gold, false) | organisations F1 | figures F1 | units agree "
          "| language |")
    print("|---|---|---|---|---|---|---|")
    for stem, name in SETS:
        posts_path = args.eval / f"{stem}_posts.jsonl"
        if not posts_path.exists():
            continue
        rows = [json.loads(line) for line in posts_path.read_text(encoding="utf-8").splitlines()]
        gold_path = args.eval / f"{stem}_gold.jsonl"
        gold = [json.loads(line) for line in gold_path.read_text(encoding="utf-8").splitlines()]
        posts = [post_from_row(r, str(posts_path), n) for n, r in enumerate(rows, 1)]
        predictions = {r.id: r.to_dict() for r in extractor.extract(posts)}
        print(row(name, score(predictions, gold)))
        if args.halves:
            for half in ("odd", "even"):
                print(row(f"{name}, {half} ids", score(predictions, [g for g in gold if parity(str(g["id"])) == half])))


if __name__ == "__main__":
    main()
