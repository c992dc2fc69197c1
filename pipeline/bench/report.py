"""The benchmark's report: the issue's targets with pass/fail, Markdown tables, and the README's table."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

TARGETS = {
    "extract_vs_tokenizer_real": 0.25,  # extract rate >= 0.25 x the blank tokenizer's, whole processes, real text
    "run_vs_chain_real": 0.8,  # whole run rate >= 0.8 x parse + language + extract alone, real text
    "speedup_workers": 1.6,  # run --workers 2 >= 1.6 x a single-process run (idle 2-core machine)
    "export_vs_extract": 0.15,  # export time <= 0.15 x extract time, whole processes
    "rss_growth": 1.2,
}
ROWS = (
    ("parse", "parse (parse_store)"),
    ("language", "language"),
    ("extract", "extract"),
    ("end_to_end", "parse + language + extract (streamed)"),
    ("run", "whole run, 1 process: + split, exports"),
    ("export", "export alone"),
    ("tokenizer", "floor: spacy.blank('en') tokenizer"),
)
README_START = "<!-- bench:results -->"
README_END = "<!-- /bench:results -->"


def _load(r: dict[str, Any]) -> str:
    load = r.get("load_average_at_start")
    return f"{load[0]:.1f}" if load else ""


def _rate(n: int, seconds: float) -> float:
    return n / seconds if seconds else 0.0


def targets(report: dict[str, Any], workers: int) -> list[dict[str, Any]]:
    """The issue's targets (and figures kept as information, goal None), each with its measured value."""
    out: list[dict[str, Any]] = []

    def add(target: str, value: Any, goal: str | None, ok: bool | None) -> None:
        out.append({"target": target, "value": value, "goal": goal, "pass": ok})

    for corpus, results in report["results"].items():
        sizes = sorted(results, key=int)
        big, small = results[sizes[-1]], results[sizes[0]]
        n = sizes[-1]
        whole = big["tokenizer"]["process_s"] / big["extract"]["process_s"]
        stage = big["extract"]["posts_per_s"] / big["tokenizer"]["posts_per_s"]
        if corpus == "real":
            goal = TARGETS["extract_vs_tokenizer_real"]
            add(f"real text, {n} posts: extract / blank tokenizer (whole processes)", whole, f">= {goal}",
                whole >= goal)
            chain = big["end_to_end"]["seconds"] + big["end_to_end"].get("setup_s", 0.0)
            ratio = chain / big["run"]["seconds"]
            goal = TARGETS["run_vs_chain_real"]
            add(f"real text, {n} posts: whole run / parse+language+extract alone (rate, loading included)", ratio,
                f">= {goal}", ratio >= goal)
            ratio = big["export"]["process_s"] / big["extract"]["process_s"]
            goal = TARGETS["export_vs_extract"]
            add(f"real text, {n} posts: export time / extract time (whole processes)", ratio, f"<= {goal}",
                ratio <= goal)
            if "unique_extract" in small:
                first = small["unique_tokenizer"]["process_s"] / small["unique_extract"]["process_s"]
                add(f"real text, first pass over the {small['unique_extract']['items']} unique posts: extract / "
                    "blank tokenizer (whole processes)", first, None, None)
        else:
            add(f"{corpus}, {n} posts: extract / blank tokenizer (whole processes)", whole, None, None)
        add(f"{corpus}, {n} posts: extract / blank tokenizer (stage only, loading left out)", stage, None, None)
        add(f"{corpus}, {n} posts: parse time / bare lxml.html time (information; no target)",
            big["parse_floor"]["ratio"], None, None)
        if f"run_workers_{workers}" in big:
            one, many = big["run_workers_1"], big[f"run_workers_{workers}"]
            speedup = one["seconds"] / many["seconds"]
            goal = TARGETS["speedup_workers"]
            add(f"{corpus}, {n} posts: whole run, {workers} workers / 1 (speed-up; load at start "
                f"{_load(one)} / {_load(many)})", speedup, f">= {goal}", speedup >= goal)
            same = one["sha256"] == many["sha256"] and one["same_output_every_run"] and many["same_output_every_run"]
            add(f"{corpus}, {n} posts: every corpus file identical, 1 and {workers} workers", same, "true", same)
            dask = big.get(f"run_dask_{workers}", {})
            if "seconds" in dask:
                add(f"{corpus}, {n} posts: whole run, Dask LocalCluster of {workers} / 1 worker (speed-up)",
                    one["seconds"] / dask["seconds"], None, None)
                add(f"{corpus}, {n} posts: every corpus file identical, Dask and 1 worker",
                    dask["sha256"] == one["sha256"], "true", dask["sha256"] == one["sha256"])
        if len(sizes) > 1:
            for key, what in (("end_to_end", "parse+language+extract"), ("run", "whole run")):
                growth = big[key]["peak_rss_mb"] / small[key]["peak_rss_mb"]
                goal = TARGETS["rss_growth"]
                add(f"{corpus}: peak RSS {what}, {sizes[-1]} / {sizes[0]} posts", growth, f"<= {goal}",
                    growth <= goal)
    return out


def _value(v: Any) -> str:
    return str(v) if isinstance(v, bool) else f"{v:,.2f}"


def targets_table(report: dict[str, Any]) -> list[str]:
    """The targets as a Markdown table."""
    lines = ["| target | measured | goal | |", "|---|---:|---|---|"]
    for t in report["targets"]:
        verdict = "information" if t["pass"] is None else "pass" if t["pass"] else "FAIL"
        lines.append(f"| {t['target']} | {_value(t['value'])} | {t['goal'] or '—'} | {verdict} |")
    return lines


def stages_table(report: dict[str, Any]) -> list[str]:
    """Every corpus, size and stage as one Markdown table."""
    lines = ["| corpus | posts | stage | posts/s | × tokenizer | whole process: posts/s | peak RSS (MB) | seconds "
             "| setup (s) | load at start |",
             "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|"]
    workers = report.get("workers", 2)
    for corpus, results in report["results"].items():
        for size, res in sorted(results.items(), key=lambda kv: int(kv[0])):
            n = int(size)
            tok = res["tokenizer"]["posts_per_s"]
            rows = list(ROWS) + [(f"run_workers_{workers}", f"whole run, {workers} local workers"),
                                 (f"run_dask_{workers}", f"whole run, Dask LocalCluster of {workers}")]
            for key, label in rows:
                r = res.get(key)
                if not r or "seconds" not in r:
                    continue
                rss = f"{r['peak_rss_mb']:.0f}" + (f" (tree {r['total_rss_mb']:.0f})" if r.get("total_rss_mb") and
                                                   r["total_rss_mb"] > r["peak_rss_mb"] else "")
                lines.append(f"| {corpus} | {n} | {label} | {r['posts_per_s']:,.0f} | {r['posts_per_s'] / tok:.2f} | "
                             f"{_rate(r['items'], r['process_s']):,.0f} | {rss} | {r['seconds']:.2f} | "
                             f"{r.get('setup_s', 0):.2f} | {_load(r)} |")
            for key, label in (("unique_language", "first pass, unique posts: language"),
                               ("unique_extract", "first pass, unique posts: extract"),
                               ("unique_tokenizer", "first pass, unique posts: tokenizer")):
                if key in res:
                    r = res[key]
                    ut = res["unique_tokenizer"]["posts_per_s"]
                    lines.append(f"| {corpus} | {r['items']} | {label} | {r['posts_per_s']:,.0f} | "
                                 f"{r['posts_per_s'] / ut:.2f} | {_rate(r['items'], r['process_s']):,.0f} | "
                                 f"{r['peak_rss_mb']:.0f} | {r['seconds']:.2f} | {r.get('setup_s', 0):.2f} | "
                                 f"{_load(r)} |")
    return lines


def language_table(report: dict[str, Any]) -> list[str]:
    """Paragraphs per second of language detection, per corpus and backend."""
    lines = ["| corpus | paragraphs | detector | paragraphs/s (vote, model, nl/fr guard) | model alone | setup (s) |",
             "|---|---:|---|---:|---:|---:|"]
    for corpus, results in report["results"].items():
        for res in results.values():
            lb = res.get("language_backends")
            if not lb:
                continue
            vote = lb["vote"]
            lines.append(f"| {corpus} | {lb['paragraphs']} | function-word vote alone (settles "
                         f"{vote['settled_share']:.0%}) | {vote['paragraphs_per_s']:,.0f} | | |")
            for name, r in lb.items():
                if isinstance(r, dict) and "installed" in r:
                    if not r["installed"]:
                        lines.append(f"| {corpus} | {lb['paragraphs']} | {name} | not installed | | |")
                    else:
                        lines.append(f"| {corpus} | {lb['paragraphs']} | {name} | {r['paragraphs_per_s']:,.0f} | "
                                     f"{r['model_alone_paragraphs_per_s']:,.0f} | {r['setup_s']:.2f} |")
    return lines


def parse_floor_table(report: dict[str, Any]) -> list[str]:
    """Our parse against bare lxml.html on the same pages (information)."""
    lines = ["| corpus | posts | pages | KB/page | our parse (pages/s) | bare lxml.html (pages/s) | time ratio |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    for corpus, results in report["results"].items():
        for size, res in sorted(results.items(), key=lambda kv: int(kv[0])):
            f = res["parse_floor"]
            lines.append(f"| {corpus} | {size} | {f['pages']} | {f['page_kb']} | {f['pages_per_s']:,.0f} | "
                         f"{f['lxml_pages_per_s']:,.0f} | {f['ratio']:.2f} |")
    return lines


def _head(report: dict[str, Any]) -> str:
    m = report["machine"]
    real = next(iter(report["results"].get("real", {}).values()), {}).get("corpus", {})
    about = (f" Real text: {real['unique_posts']} distinct posts from "
             f"{', '.join(f'{k} ({v})' for k, v in real['sources'].items())}, replicated.") if real else ""
    return (f"Measured on {m['cpus_usable']} CPUs ({m['machine']}), Python {m['python']}, spaCy {m['spacy']}, "
            f"lxml {m['lxml']}; load average at start {m['load_average_at_start']}, at end "
            f"{m.get('load_average_at_end')}.{about}")


def markdown(report: dict[str, Any]) -> str:
    """The whole report as Markdown."""
    lines = [_head(report), "", *stages_table(report), "", *language_table(report), "", *parse_floor_table(report),
             "", *targets_table(report)]
    return "\n".join(lines) + "\n"


def readme_table(report: dict[str, Any]) -> str:
    """What the README shows of a run: the stages and the targets."""
    return "\n".join([_head(report), "", *stages_table(report), "", *language_table(report), "",
                      *targets_table(report)]) + "\n"


def update_readme(path: Path, table: str) -> bool:
    """Put `table` between the README's bench markers (written atomically); False when the markers are missing."""
    from pipeline.jsonl import atomic_open

    text = path.read_text(encoding="utf-8")
    pattern = re.compile(re.escape(README_START) + r".*?" + re.escape(README_END), re.S)
    if not pattern.search(text):
        return False
    new = pattern.sub(lambda _: f"{README_START}\n{table}{README_END}", text, count=1)
    with atomic_open(path) as fh:
        fh.write(new)
    return True
