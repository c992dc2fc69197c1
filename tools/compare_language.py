"""Compare the language backends on real posts: accuracy per post and per paragraph, French filed as Dutch, speed.

    python tools/compare_language.py [--eval ../shared/eval] [--backends py3langid lingua langdetect] [--seconds 2]

Reads the seed posts and the Dutch and French development texts (``<eval>/{seed,dev_nl,dev_fr}_posts.jsonl`` with
their ``*_gold.jsonl``) and prints the README's table (markdown). Each backend runs with the function-word vote in
front and the nl/fr second opinion behind (as the pipeline does), and once more without the vote (``no vote``).

- posts: the post's language as ``LanguageDetector.annotate`` gives it, against the gold ``language``; mixed: the
  ``mixed`` flag against the gold one.
- paragraphs: each paragraph's language as ``annotate`` gives it (short ones included), against the post's gold
  language, except the paragraphs listed in PARAGRAPH_LANG (read by hand); one paragraph with no language a
  reader can name is left out (AMBIGUOUS).
- fr as nl: French paragraphs and posts labelled ``nl`` (must be 0).
- speed: paragraphs per second of CPU time through ``detect_paragraphs`` (every paragraph detected alone, the
  per-paragraph path), after a warm-up, over at least ``--seconds`` of CPU time; load: seconds to build the
  models. One process, the backends one after the other: on a shared machine, read ratios, not exact figures.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from pipeline.config import LANGUAGE_BACKENDS
from pipeline.language import WORD, LanguageDetector, paragraph_spans
from pipeline.posts_io import post_from_row
from pipeline.records import Post

REPO = Path(__file__).resolve().parent.parent
SETS = ("seed", "dev_nl", "dev_fr")
# (post id, paragraph index) -> language, where a paragraph is not in its post's gold language (read by hand).
PARAGRAPH_LANG = {
    ("s007", 2): "en", ("s007", 5): "en", ("s007", 6): "en",
    ("dn04", 6): "en",  # a pull quote
    ("dn15", 5): "en", ("dn15", 6): "en",  # the SDG goal texts
}
AMBIGUOUS = {("dn04", 7)}  # a name, an organisation and "ILO conferentie 2010"


def load(eval_dir: Path) -> list[tuple[Post, dict]]:
    """(post, gold row) of every set that exists."""
    out = []
    for name in SETS:
        posts_path, gold_path = eval_dir / f"{name}_posts.jsonl", eval_dir / f"{name}_gold.jsonl"
        if not posts_path.exists():
            continue
        gold = {str(g["id"]): g for g in map(json.loads, gold_path.read_text(encoding="utf-8").splitlines())}
        for n, line in enumerate(posts_path.read_text(encoding="utf-8").splitlines(), 1):
            post = post_from_row(json.loads(line), str(posts_path), n)
            out.append((post, gold[post.id]))
    return out


def score(det: LanguageDetector, data: list[tuple[Post, dict]]) -> dict:
    """Accuracy of one detector."""
    r = {"posts": 0, "mixed": 0, "paras": 0, "paras_total": 0, "long": 0, "long_total": 0, "fr_as_nl": 0,
         "errors": []}
    for post, gold in data:
        a = det.annotate(post)
        r["posts"] += a.language == gold["language"]
        r["mixed"] += bool(a.mixed) == bool(gold.get("mixed"))
        r["fr_as_nl"] += gold["language"] == "fr" and a.language == "nl"
        if a.language != gold["language"]:
            r["errors"].append(f"{post.id}: post {a.language} (gold {gold['language']})")
        for i, para in enumerate(a.paragraphs):
            if (post.id, i) in AMBIGUOUS:
                continue
            want = PARAGRAPH_LANG.get((post.id, i), gold["language"])
            ok = para.language == want
            r["paras"] += ok
            r["paras_total"] += 1
            if len(WORD.findall(post.text, para.start, para.end)) >= 6:
                r["long"] += ok
                r["long_total"] += 1
            r["fr_as_nl"] += want == "fr" and para.language == "nl"
            if not ok:
                r["errors"].append(f"{post.id} #{i}: {para.language} (want {want}): "
                                   f"{post.text[para.start:para.end][:60]!r}")
    return r


def speed(det: LanguageDetector, texts: list[str], seconds: float) -> float:
    """Paragraphs per second of CPU time, each detected alone."""
    det.detect_paragraphs(texts)  # warm-up: caches, lazy tables
    n, start = 0, time.process_time()
    while (elapsed := time.process_time() - start) < seconds:
        det.detect_paragraphs(texts)
        n += len(texts)
    return n / elapsed


def main() -> None:
    """Print the markdown table (and the errors with --errors)."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--eval", type=Path, default=REPO.parent / "shared" / "eval")
    ap.add_argument("--backends", nargs="+", choices=LANGUAGE_BACKENDS, default=list(LANGUAGE_BACKENDS))
    ap.add_argument("--seconds", type=float, default=2.0, help="CPU seconds of detection per speed measurement")
    ap.add_argument("--no-vote", action="store_true", help="also measure each detector without the vote")
    ap.add_argument("--errors", action="store_true", help="list every wrong post and paragraph")
    args = ap.parse_args()
    data = load(args.eval)
    if not data:
        raise SystemExit(f"{args.eval}: no seed_posts.jsonl, dev_nl_posts.jsonl or dev_fr_posts.jsonl")
    texts = [p.text[s:e] for p, _ in data for s, e in paragraph_spans(p.text)]
    print(f"{len(data)} posts, {len(texts)} paragraphs (average {sum(map(len, texts)) / len(texts):.0f} characters)\n")
    print("| backend | posts right | mixed right | paragraphs right | of them ≥ 6 words | French as Dutch "
          "| paragraphs/s | load (s) |")
    print("|---|---|---|---|---|---|---|---|")
    for backend in args.backends:
        for fast in (True, False) if args.no_vote else (True,):
            start = time.process_time()
            det = LanguageDetector(backend=backend, fast=fast)
            det.warm()
            load_s = time.process_time() - start
            r = score(det, data)
            rate = speed(det, texts, args.seconds)
            name = f"{backend}{'' if fast else ' (no vote)'}"
            # The models of a backend are loaded once per process: only the first row of a backend shows the load.
            load_cell = f"{load_s:.2f}" if fast else "–"
            print(f"| {name} | {r['posts']}/{len(data)} | {r['mixed']}/{len(data)} | {r['paras']}/{r['paras_total']} "
                  f"| {r['long']}/{r['long_total']} | {r['fr_as_nl']} | {rate:,.0f} | {load_cell} |")
            if args.errors:
                for e in r["errors"]:
                    print(f"    {e}")


if __name__ == "__main__":
    main()
