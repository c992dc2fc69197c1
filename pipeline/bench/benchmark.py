"""The benchmark: posts per second and peak memory per stage and end to end, on synthetic blogs.

Every configuration runs in a fresh Python process, so that its peak RSS (``getrusage``) is its own
and nothing is warm from an earlier one. Stage timings exclude interpreter start and pipeline
loading (reported apart as ``setup_s``); the worker comparison times the whole run, pool start
included, because that is what a user waits for. In the same run the floors are measured on the same
data: the ``spacy.blank("en")`` tokenizer over the same texts and bare ``lxml.html`` parsing of the
same pages. Results go to a JSON file (written atomically) and a Markdown table beside it.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pipeline.config import DEFAULT_LANGUAGE_BACKEND, HOME_DIR, REPO_DIR
from pipeline.errors import PipelineError

log = logging.getLogger(__name__)

DEFAULT_SIZES = (1000, 10000)
QUICK_SIZES = (100, 400)
DEFAULT_OUT = HOME_DIR / "bench" / "results.json"
QUICK_OUT = HOME_DIR / "bench" / "quick.json"
TARGETS = {
    "end_to_end_posts_per_s": 500.0,
    "end_to_end_vs_tokenizer": 0.25,
    "speedup_2_workers": 1.7,
    "rss_growth": 1.2,
    "parse_vs_lxml": 2.0,
}


# ---------------------------------------------------------------- configurations (run in a child process)


def peak_rss_mb() -> float:
    """This process's peak resident set size in MB.

    Linux's VmHWM belongs to the address space, so it starts afresh at exec; ``ru_maxrss`` would
    carry over the RSS of the forking parent.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return round(peak / (1024 * 1024 if sys.platform == "darwin" else 1024), 1)


class TreeSampler:
    """Samples the summed RSS of this process and its children (pool workers) a few times a second."""

    def __init__(self, interval: float = 0.2) -> None:
        import threading

        import psutil  # here, not in the thread: a missing psutil stops the measurement instead of zeroing it

        self._psutil = psutil
        self.interval = interval
        self.peak = 0
        self.worker_peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        psutil = self._psutil
        me = psutil.Process()
        while not self._stop.is_set():
            try:
                kids = [c.memory_info().rss for c in me.children(recursive=True)]
                self.peak = max(self.peak, me.memory_info().rss + sum(kids))
                self.worker_peak = max([self.worker_peak, *kids])
            except psutil.Error:
                pass  # a worker ended between listing and reading
            self._stop.wait(self.interval)

    def __enter__(self) -> TreeSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def _timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    t0 = time.perf_counter()
    result = fn()
    return time.perf_counter() - t0, result


def _synth(cfg: dict[str, Any]) -> dict[str, Any]:
    from pipeline.bench.synth import write_synth

    seconds, summary = _timed(lambda: write_synth(cfg["raw"], cfg["n"], cfg["seed"]))
    return {"seconds": seconds, "items": summary.posts, "pages": summary.pages, "bytes": summary.bytes,
            "dutch": summary.dutch, "mixed": summary.mixed, "truncated": summary.truncated,
            "words_per_post": round(summary.words / max(1, summary.posts), 1)}


def _parse(cfg: dict[str, Any]) -> dict[str, Any]:
    from pipeline.jsonl import write_jsonl
    from pipeline.parse import parse_store

    seconds, posts = _timed(lambda: parse_store(cfg["raw"]))
    write_jsonl(cfg["posts"], (p.to_dict() for p in posts))
    return {"seconds": seconds, "items": len(posts), "note": "parse_store: the list of iter_posts"}


def _parse_stream(cfg: dict[str, Any]) -> dict[str, Any]:
    from pipeline.parse import iter_posts

    seconds, n = _timed(lambda: sum(1 for _ in iter_posts(cfg["raw"])))
    return {"seconds": seconds, "items": n, "note": "parse.iter_posts: WARC read + parse + merge, streamed"}


PARSE_ROUNDS = 5  # alternations of bare lxml and our parse in the parse-floor comparison
E2E_ROUNDS = 2  # alternations of the end-to-end chain and the tokenizer floor, best of each kept
WORKERS_ROUNDS = 2  # alternations of one and N workers, best of each kept


def _parse_floor(cfg: dict[str, Any]) -> dict[str, Any]:
    """Our page parsing against bare lxml.html on the same pages, both from bodies already in memory."""
    import lxml.html

    from pipeline.parse import candidates_of, merge
    from pipeline.rawstore import iter_raw

    responses = list(iter_raw(cfg["raw"]))

    def bare_lxml() -> None:
        # Each tree is parsed and freed page by page, as our parse does. Keeping them all in a list (as this
        # did before) left the freeing out of the floor's time, or, on a cold heap, added the page faults of
        # holding every tree at once: 0.055 against 0.085 s, or 0.14 against 0.085 s, for the same 350 pages.
        for r in responses:
            lxml.html.document_fromstring(r.body)

    # The two alternate, PARSE_ROUNDS times, and the best of each is kept: on a shared host the same lxml pass
    # took anywhere from 0.07 to 0.21 s within one process, so timing all of one side first (as this did
    # before) compared a slow spell on one side with a fast one on the other.
    lxml_s = ours_s = float("inf")
    for _ in range(PARSE_ROUNDS):
        lxml_s = min(lxml_s, _timed(bare_lxml)[0])
        seconds, posts = _timed(lambda: merge(c for r in responses for c in candidates_of(r)))
        ours_s = min(ours_s, seconds)
    return {"seconds": ours_s, "items": len(posts), "pages": len(responses), "lxml_seconds": lxml_s,
            "rounds": PARSE_ROUNDS,
            "pages_per_s": len(responses) / ours_s, "lxml_pages_per_s": len(responses) / lxml_s,
            "ratio": ours_s / lxml_s, "page_kb": round(sum(len(r.body) for r in responses) / len(responses) / 1024, 1)}


def _language(cfg: dict[str, Any]) -> dict[str, Any]:
    from pipeline.jsonl import write_jsonl
    from pipeline.language import LanguageDetector
    from pipeline.posts_io import read_posts

    setup, detector = _timed(lambda: LanguageDetector())
    detector.warm()
    seconds, n = _timed(lambda: write_jsonl(cfg["out"], (detector.annotate(p).to_dict()
                                                         for p in read_posts(cfg["posts"]))))
    return {"seconds": seconds, "items": n, "setup_s": setup}


def _extract(cfg: dict[str, Any]) -> dict[str, Any]:
    from pipeline.extract import Extractor
    from pipeline.jsonl import write_jsonl
    from pipeline.posts_io import read_posts

    setup, extractor = _timed(lambda: Extractor())
    seconds, n = _timed(lambda: write_jsonl(cfg["out"], (r.to_dict() for r in extractor.extract(
        read_posts(cfg["posts"])))))
    return {"seconds": seconds, "items": n, "setup_s": setup}


def _tokenizer(cfg: dict[str, Any]) -> dict[str, Any]:
    import spacy

    from pipeline.posts_io import read_posts

    texts = [p.text for p in read_posts(cfg["posts"])]
    setup, nlp = _timed(lambda: spacy.blank("en"))
    seconds, n = _timed(lambda: sum(1 for _ in nlp.pipe(texts, batch_size=64)))
    return {"seconds": seconds, "items": n, "setup_s": setup}


def _end_to_end(cfg: dict[str, Any]) -> dict[str, Any]:
    from pipeline.extract.batch import BATCH_SIZE, process_posts, warm
    from pipeline.parse import iter_posts
    from pipeline.runner import ExecOptions

    options = ExecOptions()
    setup, _ = _timed(lambda: warm(BATCH_SIZE, DEFAULT_LANGUAGE_BACKEND))
    seconds, n = _timed(lambda: process_posts(iter_posts(cfg["raw"]), cfg["out"], cfg["annotated"], options))
    return {"seconds": seconds, "items": n, "setup_s": setup,
            "note": "raw store -> iter_posts -> language + extract -> posts + records, streamed"}


def _run(cfg: dict[str, Any]) -> dict[str, Any]:
    from pipeline.run import run_chain

    seconds, counts = _timed(lambda: run_chain(Path(cfg["raw"]), Path(cfg["out"]), "benchmark"))
    return {"seconds": seconds, "items": counts["posts"],
            "note": "run_chain, what `python -m pipeline run` does: the streamed chain, then split by language "
                    "and every export; pipeline loading included"}


def _workers(cfg: dict[str, Any]) -> dict[str, Any]:
    import hashlib

    from pipeline.extract.batch import extract_file_parallel
    from pipeline.runner import ExecOptions

    options = ExecOptions(workers=cfg["workers"])
    with TreeSampler() as sampler:  # what `extract --workers N` runs
        seconds, n = _timed(lambda: extract_file_parallel(cfg["posts"], cfg["out"], options))
    digest = hashlib.sha256(Path(cfg["out"]).read_bytes()).hexdigest()
    return {"seconds": seconds, "items": n, "sha256": digest, "worker_rss_mb": round(sampler.worker_peak / 2**20, 1),
            "total_rss_mb": round(sampler.peak / 2**20, 1),
            "note": "posts.jsonl -> language + extract -> records, wall time including pool start; "
                    "RSS of workers and total sampled every 0.2 s"}


KINDS: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "synth": _synth, "parse": _parse, "parse_stream": _parse_stream, "parse_floor": _parse_floor,
    "language": _language, "extract": _extract, "tokenizer": _tokenizer, "end_to_end": _end_to_end,
    "workers": _workers, "run": _run,
}


def child_main(argv: list[str] | None = None) -> None:
    """Entry point of a measuring child process: run one configuration, print its result as JSON."""
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    cfg = json.loads((argv or sys.argv[1:])[0])
    result = KINDS[cfg["kind"]](cfg)
    result["peak_rss_mb"] = peak_rss_mb()
    if result.get("items") and result.get("seconds"):
        result["posts_per_s"] = result["items"] / result["seconds"]
    sys.stdout.write(json.dumps(result) + "\n")


def run_child(cfg: dict[str, Any]) -> dict[str, Any]:
    """Run one configuration in a fresh interpreter and return what it measured."""
    cmd = [sys.executable, "-c", "from pipeline.bench.benchmark import child_main; child_main()", json.dumps(cfg)]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False, cwd=REPO_DIR)
    if proc.returncode != 0:
        tail = "\n".join(proc.stderr.strip().splitlines()[-8:])
        raise PipelineError(f"benchmark configuration {cfg['kind']} (n={cfg.get('n')}) failed:\n{tail}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


# ---------------------------------------------------------------- the benchmark


def machine_info() -> dict[str, Any]:
    """What the numbers were measured on."""
    from importlib.metadata import PackageNotFoundError, version

    def installed(name: str) -> str | None:
        try:
            return version(name)
        except PackageNotFoundError:
            return None

    # Versions from package metadata: importing spaCy here would inflate this process, and every
    # child inherits the RSS of the process that forks it.
    info: dict[str, Any] = {
        "cpu_count": os.cpu_count(),
        "cpus_usable": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "machine": platform.machine(),
        "spacy": installed("spacy"),
        "lxml": installed("lxml"),
        "langdetect": installed("langdetect"),
        "py3langid": installed("py3langid"),
        "lingua": installed("lingua-language-detector"),
        "dask_distributed": installed("distributed"),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()] if hasattr(os, "getloadavg") else None,
    }
    return info


def _alternate(n: int, configs: dict[str, dict[str, Any]], rounds: int) -> dict[str, list[dict[str, Any]]]:
    """Run each configuration `rounds` times, taking turns, so that a slow spell of the host hits all of them."""
    results: dict[str, list[dict[str, Any]]] = {name: [] for name in configs}
    for _ in range(rounds):
        for name, cfg in configs.items():
            log.info("bench %d posts: %s", n, name)
            results[name].append(run_child(cfg))
    return results


def _best(results: list[dict[str, Any]]) -> dict[str, Any]:
    """The fastest of several runs of one configuration, with the seconds of every run."""
    return {**min(results, key=lambda r: r["seconds"]), "runs_seconds": [r["seconds"] for r in results]}


def bench_size(n: int, work: Path, seed: int, workers: int, compare_workers: bool) -> dict[str, Any]:
    """Every configuration on a synthetic blog of `n` posts."""
    d = work / str(n)
    d.mkdir(parents=True, exist_ok=True)
    base = {"n": n, "seed": seed, "raw": str(d / "raw"), "posts": str(d / "posts.jsonl")}
    res: dict[str, Any] = {}

    def step(name: str, **cfg: Any) -> None:
        log.info("bench %d posts: %s", n, name)
        res[name] = run_child({**base, **cfg})

    step("synth", kind="synth")
    step("parse", kind="parse")
    step("parse_stream", kind="parse_stream")
    step("parse_floor", kind="parse_floor")
    step("language", kind="language", out=str(d / "annotated.jsonl"))
    step("extract", kind="extract", posts=str(d / "annotated.jsonl"), out=str(d / "records-extract.jsonl"))
    # The end-to-end rate and its floor give the headline target and ratio: they alternate, and the best of
    # each is kept (RSS: the highest). Timed once each, the same code read 183 to 254 posts/s on this shared
    # host from one run to the next.
    for name, results in _alternate(n, {
        "tokenizer": {**base, "kind": "tokenizer"},
        "end_to_end": {**base, "kind": "end_to_end", "out": str(d / "records-e2e.jsonl"),
                       "annotated": str(d / "posts-e2e.jsonl")},
    }, E2E_ROUNDS).items():
        res[name] = {**_best(results), "peak_rss_mb": max(r["peak_rss_mb"] for r in results)}
    step("run", kind="run", out=str(d / "run"))
    if compare_workers:
        # Alternated and best of two: on a shared host one slow run of either side moved the speed-up by a
        # third (1.66 to 2.21 on the same code).
        for name, results in _alternate(n, {
            f"workers_{w}": {**base, "kind": "workers", "workers": w, "out": str(d / f"records-w{w}.jsonl")}
            for w in (1, workers)
        }, WORKERS_ROUNDS).items():
            res[name] = {**_best(results), "same_output_every_run": len({r["sha256"] for r in results}) == 1}
    return res


def targets(results: dict[str, dict[str, Any]], workers: int) -> list[dict[str, Any]]:
    """The issue's targets, each with its measured value and pass/fail."""
    sizes = sorted(results, key=int)
    big, small = results[sizes[-1]], results[sizes[0]]
    e2e = big["end_to_end"]["posts_per_s"]
    out = [
        {"target": f"end to end, one core, {sizes[-1]} posts (posts/s)", "value": e2e,
         "goal": f">= {TARGETS['end_to_end_posts_per_s']:.0f}", "pass": e2e >= TARGETS["end_to_end_posts_per_s"]},
        {"target": "end to end / blank tokenizer", "value": e2e / big["tokenizer"]["posts_per_s"],
         "goal": f">= {TARGETS['end_to_end_vs_tokenizer']}",
         "pass": e2e / big["tokenizer"]["posts_per_s"] >= TARGETS["end_to_end_vs_tokenizer"]},
        {"target": "parse time / bare lxml.html time, same pages", "value": big["parse_floor"]["ratio"],
         "goal": f"<= {TARGETS['parse_vs_lxml']}", "pass": big["parse_floor"]["ratio"] <= TARGETS["parse_vs_lxml"]},
    ]
    if f"workers_{workers}" in big:
        speedup = big["workers_1"]["seconds"] / big[f"workers_{workers}"]["seconds"]
        same = big["workers_1"]["sha256"] == big[f"workers_{workers}"]["sha256"] and all(
            big[k].get("same_output_every_run", True) for k in ("workers_1", f"workers_{workers}"))
        out.append({"target": f"{workers} workers / 1 worker, {sizes[-1]} posts (speedup)", "value": speedup,
                    "goal": f">= {TARGETS['speedup_2_workers']}", "pass": speedup >= TARGETS["speedup_2_workers"]})
        out.append({"target": f"{workers} workers output identical to 1 worker", "value": same, "goal": "true",
                    "pass": same})
    if len(sizes) > 1:
        growth = big["end_to_end"]["peak_rss_mb"] / small["end_to_end"]["peak_rss_mb"]
        out.append({"target": f"peak RSS end to end, {sizes[-1]} / {sizes[0]} posts", "value": growth,
                    "goal": f"<= {TARGETS['rss_growth']}", "pass": growth <= TARGETS["rss_growth"]})
        if "run" in big and "run" in small:
            growth = big["run"]["peak_rss_mb"] / small["run"]["peak_rss_mb"]
            out.append({"target": f"peak RSS whole run, {sizes[-1]} / {sizes[0]} posts", "value": growth,
                        "goal": f"<= {TARGETS['rss_growth']}", "pass": growth <= TARGETS["rss_growth"]})
    return out


ROWS = (
    ("parse", "parse (parse_store)"),
    ("parse_stream", "parse, streamed (iter_posts)"),
    ("language", "language"),
    ("extract", "extract"),
    ("end_to_end", "end to end (streamed)"),
    ("run", "whole run: + split, exports"),
    ("tokenizer", "floor: spacy.blank('en') tokenizer"),
)


def markdown(report: dict[str, Any]) -> str:
    """The results as Markdown tables for the README."""
    m = report["machine"]
    lines = [f"Measured on {m['cpus_usable']} CPUs ({m['machine']}), Python {m['python']}, spaCy {m['spacy']}, "
             f"lxml {m['lxml']}; load average at start {m['load_average_at_start']}.", "",
             "| posts | stage | posts/s | × tokenizer | peak RSS (MB) | seconds | setup (s) |",
             "|---:|---|---:|---:|---:|---:|---:|"]
    for size, res in sorted(report["results"].items(), key=lambda kv: int(kv[0])):
        tok = res["tokenizer"]["posts_per_s"]
        for key, label in ROWS:
            r = res[key]
            lines.append(f"| {size} | {label} | {r['posts_per_s']:,.0f} | {r['posts_per_s'] / tok:.2f} | "
                         f"{r['peak_rss_mb']:.0f} | {r['seconds']:.2f} | {r.get('setup_s', 0):.2f} |")
        for key in sorted(k for k in res if k.startswith("workers_")):
            r = res[key]
            rss = f"{r['peak_rss_mb']:.0f}" + (f" + {r['worker_rss_mb']:.0f}/worker" if r["worker_rss_mb"] else "")
            lines.append(f"| {size} | {key.replace('_', ' ')} (wall, incl. start) | {r['posts_per_s']:,.0f} | "
                         f"{r['posts_per_s'] / tok:.2f} | {rss} | {r['seconds']:.2f} | |")
    lines += ["", "| posts | pages | KB/page | our parse (pages/s) | bare lxml.html (pages/s) | time ratio |",
              "|---:|---:|---:|---:|---:|---:|"]
    for size, res in sorted(report["results"].items(), key=lambda kv: int(kv[0])):
        f = res["parse_floor"]
        lines.append(f"| {size} | {f['pages']} | {f['page_kb']} | {f['pages_per_s']:,.0f} | "
                     f"{f['lxml_pages_per_s']:,.0f} | {f['ratio']:.2f} |")
    lines += ["", "| target | measured | goal | |", "|---|---:|---|---|"]
    for t in report["targets"]:
        value = t["value"] if isinstance(t["value"], bool) else f"{t['value']:,.2f}"
        lines.append(f"| {t['target']} | {value} | {t['goal']} | {'pass' if t['pass'] else 'FAIL'} |")
    return "\n".join(lines) + "\n"


def run_bench(sizes: list[int], out: Path, seed: int = 0, workers: int = 2, work_dir: Path | None = None) -> dict:
    """Run every configuration for every size; write JSON and Markdown atomically; return the report."""
    from pipeline.jsonl import atomic_open

    if not sizes or min(sizes) < 1:
        raise PipelineError("--sizes needs at least one positive number of posts")
    if workers < 2:
        raise PipelineError("--workers must be at least 2 (it is compared with one worker)")
    sizes = sorted(set(sizes))
    report: dict[str, Any] = {"machine": machine_info(), "seed": seed, "sizes": sizes, "targets_goals": TARGETS,
                              "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "results": {}}
    with tempfile.TemporaryDirectory(prefix="pipeline-bench-", dir=work_dir) as tmp:
        for n in sizes:
            report["results"][str(n)] = bench_size(n, Path(tmp), seed, workers, compare_workers=n == sizes[-1])
    report["machine"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()] if hasattr(os, "getloadavg") \
        else None
    report["targets"] = targets(report["results"], workers)
    md = markdown(report)
    with atomic_open(out) as fh:
        fh.write(json.dumps(report, indent=2, sort_keys=True) + "\n")
    with atomic_open(out.with_suffix(".md")) as fh:
        fh.write(md)
    sys.stdout.write(md)
    log.info("benchmark written to %s and %s", out, out.with_suffix(".md"))
    return report


def _handler(args: argparse.Namespace) -> int:
    import psutil  # noqa: F401  (the bench extra; missing, the CLI says which extra before any child runs)

    sizes = args.sizes or list(QUICK_SIZES if args.quick else DEFAULT_SIZES)
    out = Path(args.out) if args.out else QUICK_OUT if args.quick else DEFAULT_OUT
    run_bench(sizes, out, args.seed, args.workers, Path(args.work_dir) if args.work_dir else None)
    return 0


def add_cli(sub: argparse._SubParsersAction) -> None:
    """Register ``bench``."""
    p = sub.add_parser("bench", help="benchmark each stage and the whole chain on synthetic blogs",
                       description="Posts/s and peak RSS per stage (parse, language, extract) and end to end on "
                       "synthetic blogs, each configuration in a fresh process; in the same run the floors "
                       "(spacy.blank tokenizer, bare lxml.html) and 1 vs N workers. Writes JSON and a Markdown "
                       "table; targets are reported as pass/fail, never asserted.")
    p.add_argument("--sizes", type=int, nargs="+", metavar="N", help=f"corpus sizes (default {DEFAULT_SIZES})")
    p.add_argument("--quick", action="store_true",
                   help=f"smoke run on {QUICK_SIZES} posts, written to {QUICK_OUT.relative_to(HOME_DIR)} by default")
    p.add_argument("--out", help=f"results JSON (default {DEFAULT_OUT.relative_to(HOME_DIR)}; .md beside it)")
    p.add_argument("--seed", type=int, default=0, help="synthetic corpus seed")
    p.add_argument("--workers", type=int, default=2, help="workers compared with one worker (default 2)")
    p.add_argument("--work-dir", help="where the temporary corpora go (default: the system temp dir)")
    p.set_defaults(func=_handler)
