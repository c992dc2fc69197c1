"""Time `export` against `extract` on the same real-text posts, as whole processes (issue 20, item 1).

The bundled snapshot's posts (corpus/posts.jsonl, after `python -m pipeline run`) are replicated with distinct
ids and urls to --posts posts; then `python -m pipeline extract` and `python -m pipeline export` run on them in
fresh processes, each --repeat times, and the best wall-clock and CPU times and their ratios are printed
(target: <= 0.15), with the load average at the start.

    .venv/bin/python tools/bench_export.py [--posts 3000] [--repeat 3] [--src corpus/posts.jsonl]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def replicate(src: Path, n: int, dest: Path) -> int:
    """Write `n` posts cycling over the posts of `src`, each copy with its own id and url."""
    base = [json.loads(line) for line in src.open(encoding="utf-8") if line.strip()]
    if not base:
        raise SystemExit(f"{src}: no posts (run `python -m pipeline run` first)")
    with dest.open("w", encoding="utf-8") as fh:
        for i in range(n):
            post = dict(base[i % len(base)])
            copy = i // len(base)
            post["id"] = f"{post['id']}-r{copy}"
            post["url"] = f"{post['url']}?copy={copy}"
            fh.write(json.dumps(post, ensure_ascii=False, sort_keys=True) + "\n")
    return n


def timed(cmd: list[str]) -> tuple[float, float]:
    """Wall-clock and CPU (user + system) seconds one whole process takes; fails loudly if it fails."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(cmd, check=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--posts", type=int, default=3000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--src", type=Path, default=Path("corpus/posts.jsonl"))
    args = ap.parse_args(argv)
    py = [sys.executable, "-m", "pipeline", "-q"]
    load = os.getloadavg()[0]  # a busy machine stretches both, not always alike: say how busy it was
    with tempfile.TemporaryDirectory(prefix="bench-export-") as tmp:
        work = Path(tmp)
        posts, records = work / "posts.jsonl", work / "records.jsonl"
        replicate(args.src, args.posts, posts)
        extract = [timed([*py, "extract", str(posts), "-o", str(records)]) for _ in range(args.repeat)]
        export = [timed([*py, "export", "--records", str(records), "--posts", str(posts), "--out",
                         str(work / "out")]) for _ in range(args.repeat)]
    best = {name: (min(w for w, _ in runs), min(c for _, c in runs)) for name, runs in
            (("extract", extract), ("export", export))}
    print(json.dumps({"posts": args.posts, "load_at_start": round(load, 2),
                      "extract_s": round(best["extract"][0], 2), "export_s": round(best["export"][0], 2),
                      "ratio": round(best["export"][0] / best["extract"][0], 3),
                      "extract_cpu_s": round(best["extract"][1], 2), "export_cpu_s": round(best["export"][1], 2),
                      "cpu_ratio": round(best["export"][1] / best["extract"][1], 3), "target": 0.15}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
