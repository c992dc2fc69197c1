"""Score extraction against a gold file exactly as the annotation guidelines say (GUIDELINES.md).

Per category, micro-averaged over posts: conventions (sets of ids), organisations (a prediction's name, acronym
or canonical name equal, once normalised, to a gold name, acronym or alias; one to one, optional ones neutral),
figures (values within 0.5 %, one to one, ranges as their two ends, optional ones neutral) plus unit agreement,
and language accuracy. Scoring is a set of pure functions over plain dicts, so it can be tested without running
the extractors.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from dataclasses import asdict, dataclass, field
from typing import Any

from pipeline.kb import normalise_name

log = logging.getLogger(__name__)

UNIT_SYNONYMS = {"young": "youth", "youths": "youth", "euro": "eur", "euros": "eur", "€": "eur", "hour": "hours",
                 "day": "days", "week": "weeks", "month": "months", "year": "years", "second": "seconds",
                 "percent": "%", "per cent": "%", "procent": "%", "uur": "hours", "dagen": "days",
                 "weken": "weeks", "seconden": "seconds"}


@dataclass
class Score:
    """Counts and rates of one category, with the misses and false hits listed."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    misses: list[str] = field(default_factory=list)
    false_hits: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        """Share of predictions that are right."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        """Share of gold items found."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def unit_key(unit: str | None) -> str:
    """Comparable form of a unit: case-folded, synonyms folded, a plural 's' dropped."""
    u = (unit or "").strip().casefold()
    u = UNIT_SYNONYMS.get(u, u)
    return u[:-1] if len(u) > 3 and u.endswith("s") and not u.endswith("ss") else u


def units_agree(pred: str | None, gold: str | None) -> bool:
    """Same unit, or the head noun of one is the other ('position papers' ~ 'papers', 'key topics' ~ 'topics')."""
    p, g = unit_key(pred), unit_key(gold)
    if p == g:
        return True
    return bool(p and g) and (p.endswith(" " + g) or g.endswith(" " + p))


def score_conventions(pred: dict[str, Any], gold: dict[str, Any], post_id: str, score: Score) -> None:
    """Compare the sets of instrument ids."""
    got = {i["id"] for i in pred.get("instruments", [])} | {c["id"] for c in pred.get("conventions", []) if c.get("id")}
    want = set(gold.get("conventions", []))
    score.tp += len(got & want)
    score.fp += len(got - want)
    score.fn += len(want - got)
    score.false_hits += [f"{post_id}: {i}" for i in sorted(got - want)]
    score.misses += [f"{post_id}: {i}" for i in sorted(want - got)]


def _org_keys(org: dict[str, Any]) -> set[str]:
    return {normalise_name(x) for x in (org.get("name"), org.get("acronym"), org.get("canonical")) if x} - {""}


def _gold_keys(org: dict[str, Any]) -> set[str]:
    """The gold name, acronym and aliases ("other names the same text gives it"), normalised."""
    aliases = org.get("aliases") or []
    if isinstance(aliases, str):
        aliases = [aliases]
    keys = {normalise_name(x) for x in (org.get("name"), org.get("acronym"), *aliases) if isinstance(x, str) and x}
    return keys - {""}


def score_organisations(pred: dict[str, Any], gold: dict[str, Any], post_id: str, score: Score) -> None:
    """One-to-one matching on normalised name, acronym or canonical name; optional ones are neutral."""
    remaining = list(gold.get("organisations", []))
    optional = list(gold.get("organisations_optional", []))
    for org in pred.get("organisations", []):
        keys = _org_keys(org)
        hit = next((g for g in remaining if _gold_keys(g) & keys), None)
        if hit is not None:
            remaining.remove(hit)
            score.tp += 1
        elif any(_gold_keys(g) & keys for g in optional):
            continue
        else:
            score.fp += 1
            score.false_hits.append(f"{post_id}: {org.get('name')} ({org.get('acronym')})")
    score.fn += len(remaining)
    score.misses += [f"{post_id}: {g['name']}" for g in remaining]


def _values(fig: dict[str, Any]) -> list[float]:
    if fig.get("low") is not None and fig.get("high") is not None:
        return [float(fig["low"]), float(fig["high"])]
    return [float(fig["value"])]


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= 0.005 * max(abs(b), 1e-9)


def score_figures(pred: dict[str, Any], gold: dict[str, Any], post_id: str, score: Score,
                  units: list[bool]) -> None:
    """One-to-one value matching within 0.5 %; ranges give two values; optional ones are neutral."""
    remaining = list(gold.get("figures", []))
    optional = list(gold.get("figures_optional", []))
    for fig in pred.get("figures", []):
        for value in _values(fig):
            hit = next((g for g in remaining if _close(value, float(g["value"]))), None)
            if hit is not None:
                remaining.remove(hit)
                score.tp += 1
                units.append(units_agree(fig.get("unit"), hit.get("unit")))
                if not units[-1]:
                    score.false_hits.append(f"{post_id}: unit {fig.get('unit')!r} for {hit['text']!r} "
                                            f"(gold {hit.get('unit')!r})")
                continue
            opt = next((g for g in optional if _close(value, float(g["value"]))), None)
            if opt is not None:
                optional.remove(opt)
                continue
            score.fp += 1
            score.false_hits.append(f"{post_id}: {fig.get('text')!r} = {value:g} {fig.get('unit')}")
    score.fn += len(remaining)
    score.misses += [f"{post_id}: {g['text']!r} = {g['value']:g} {g.get('unit')}" for g in remaining]


@dataclass
class Report:
    """All scores of one evaluation."""

    conventions: Score
    organisations: Score
    figures: Score
    unit_agreement: float
    language_correct: int
    mixed_correct: int
    posts: int
    language_errors: list[str]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form with rates."""
        out: dict[str, Any] = {"posts": self.posts, "unit_agreement": round(self.unit_agreement, 4),
                               "language_accuracy": round(self.language_correct / max(self.posts, 1), 4),
                               "mixed_accuracy": round(self.mixed_correct / max(self.posts, 1), 4),
                               "language_errors": self.language_errors}
        for name in ("conventions", "organisations", "figures"):
            s: Score = getattr(self, name)
            out[name] = {**asdict(s), "precision": round(s.precision, 4), "recall": round(s.recall, 4),
                         "f1": round(s.f1, 4)}
        return out


def score(predictions: dict[str, dict[str, Any]], gold: list[dict[str, Any]]) -> Report:
    """Score predicted records (by post id) against gold annotations."""
    conv, orgs, figs = Score(), Score(), Score()
    units: list[bool] = []
    lang_ok = mixed_ok = 0
    lang_errors = []
    for g in gold:
        pid = str(g["id"])
        pred = predictions.get(pid, {})
        score_conventions(pred, g, pid, conv)
        score_organisations(pred, g, pid, orgs)
        score_figures(pred, g, pid, figs, units)
        if pred.get("language") == g.get("language"):
            lang_ok += 1
        else:
            lang_errors.append(f"{pid}: {pred.get('language')} (gold {g.get('language')})")
        mixed_ok += bool(pred.get("mixed")) == bool(g.get("mixed"))
    return Report(conv, orgs, figs, sum(units) / len(units) if units else 1.0, lang_ok, mixed_ok, len(gold),
                  lang_errors)


def format_report(report: Report) -> str:
    """Readable report: misses and false hits first, the summary in the last lines."""
    lines = []
    for name in ("conventions", "organisations", "figures"):
        s: Score = getattr(report, name)
        for m in s.misses:
            lines.append(f"miss      {name:13s} {m}")
        for f in s.false_hits:
            lines.append(f"false hit {name:13s} {f}")
    for e in report.language_errors:
        lines.append(f"language  {e}")
    lines.append("")
    lines.append(f"{'category':14s} {'P':>6s} {'R':>6s} {'F1':>6s}   tp  fp  fn")
    for name in ("conventions", "organisations", "figures"):
        s = getattr(report, name)
        lines.append(f"{name:14s} {s.precision:6.3f} {s.recall:6.3f} {s.f1:6.3f} {s.tp:4d} {s.fp:3d} {s.fn:3d}")
    lines.append(f"unit agreement {report.unit_agreement:.3f}; language {report.language_correct}/{report.posts} "
                 f"posts; mixed {report.mixed_correct}/{report.posts}")
    return "\n".join(lines)


def check_gold_row(row: dict[str, Any], where: str) -> None:
    """Refuse a gold annotation of the wrong shape, naming `where` (file:line) and the field."""
    from pipeline.errors import InputError

    def number(v: Any) -> bool:
        return isinstance(v, int | float) and not isinstance(v, bool)

    if not isinstance(row.get("id"), str | int) or isinstance(row.get("id"), bool):
        raise InputError(f"{where}: gold annotation has no 'id' (a string or a number)")
    shapes: dict[str, tuple[str, Any]] = {
        "conventions": ("a list of instrument ids", lambda v: isinstance(v, str)),
        "organisations": ("a list of objects with a 'name' string",
                          lambda v: isinstance(v, dict) and isinstance(v.get("name"), str)),
        "figures": ("a list of objects with a numeric 'value' and a 'text' string",
                    lambda v: isinstance(v, dict) and number(v.get("value")) and isinstance(v.get("text"), str)),
    }
    for name, (wanted, ok) in shapes.items():
        for key in (name, f"{name}_optional"):
            value = row.get(key, [])
            if not isinstance(value, list) or not all(ok(v) for v in value):
                raise InputError(f"{where}: '{key}' must be {wanted}")


def _run(args: argparse.Namespace) -> int:
    from pipeline.errors import InputError
    from pipeline.jsonl import parse_line, read_lines

    gold = []
    for lineno, line in read_lines(args.gold):
        row = parse_line(args.gold, lineno, line)
        check_gold_row(row, f"{args.gold}:{lineno}")
        gold.append(row)
    if args.records:
        predictions = {}
        for lineno, line in read_lines(args.records):
            rec = parse_line(args.records, lineno, line)
            if not isinstance(rec.get("id"), str | int) or isinstance(rec.get("id"), bool):
                raise InputError(f"{args.records}:{lineno}: record has no 'id' (a string or a number)")
            predictions[str(rec["id"])] = rec
    else:
        if not args.posts:
            raise InputError("give --posts (to run the extraction) or --records (to score existing records)")
        from pipeline.extract import Extractor
        from pipeline.posts_io import read_posts

        posts = list(read_posts(args.posts))
        predictions = {r.id: r.to_dict() for r in Extractor().extract(posts)}
    report = score(predictions, gold)
    if args.json:
        from pipeline.jsonl import atomic_open

        with atomic_open(args.json) as fh:
            json.dump(report.to_dict(), fh, indent=2, sort_keys=True, ensure_ascii=False)
    sys.stdout.write(format_report(report) + "\n")
    return 0


def add_cli(sub: argparse._SubParsersAction) -> None:
    """Register ``evaluate``."""
    p = sub.add_parser("evaluate", help="score extraction against gold annotations (GUIDELINES.md)",
                       description="Run the extraction on --posts (or read --records) and score it against --gold: "
                       "precision, recall and F1 per category, unit agreement, language accuracy; then every miss "
                       "and false hit with its post id.")
    p.add_argument("--posts", help="posts.jsonl (id, title, text, ...)")
    p.add_argument("--records", help="score an existing records.jsonl instead of running the extraction")
    p.add_argument("--gold", required=True, help="gold annotations (JSON Lines)")
    p.add_argument("--json", help="also write the scores as JSON to this file")
    p.set_defaults(func=_run)
