"""Language per post and per paragraph: an ISO 639-1 code (en, nl, fr, de, es, id, ...), deterministic.

The chain, chosen by measurement (README "Languages"):
1. the function-word vote (``language_vote``) settles clear English, Dutch and French paragraphs, counting only
   words that belong to one language ("de", "en", "la" belong to several and count for none);
2. otherwise the backend's detector (``language_models``: py3langid by default, lingua or langdetect), restricted
   to ``config.DETECT_LANGUAGES``, answers with a confidence;
3. every ``nl`` answer is checked by a second model restricted to nl and fr; when it says fr, the answer is fr
   (French paragraphs full of "de" and "en" must never be filed as Dutch).

A paragraph of fewer than ``MIN_WORDS`` words keeps its own answer only when it is sure (the vote, or a confidence
of at least ``SHORT_MIN_CONFIDENCE``), else it takes the post's language. A longer paragraph answered with
confidence under ``UNCERTAIN_BELOW`` keeps its answer and the post gets the flag ``language_uncertain``. The
post's language is the length-weighted vote of its paragraphs of ``MIN_WORDS`` words or more (the whole text
when it has none); it is ``mixed`` when a paragraph of ``MIN_MIXED_WORDS`` words or more is in another language.
"""

from __future__ import annotations

import argparse
import logging
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from pipeline.config import DEFAULT_LANGUAGE_BACKEND, LANGDETECT_SEED, LANGUAGE_BACKENDS
from pipeline.flags import LANGUAGE_UNCERTAIN
from pipeline.language_models import PRIORS, guard_model, main_model
from pipeline.language_vote import vote
from pipeline.records import Paragraph, Post, evolve
from pipeline.split import CORPUS_FOLDERS, corpus_language, split_corpus

log = logging.getLogger(__name__)

PARAGRAPH_BREAK = re.compile(r"\n[ \t\u00a0]*\n")
WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?", re.UNICODE)

MIN_WORDS = 6  # below this a paragraph keeps its own answer only when the detector is sure of it
MIN_MIXED_WORDS = 8  # a paragraph of another language shorter than this does not make a post mixed
UNCERTAIN_BELOW = 0.5  # a paragraph of MIN_WORDS or more answered with less confidence flags the post
# Confidence a short paragraph's own answer needs, per backend (None: short paragraphs always take the post's
# language). Measured: py3langid and lingua at >= 0.5 on texts under six words were right every time; langdetect
# gives wrong answers at probability 1.0, so no threshold makes it safe.
SHORT_MIN_CONFIDENCE: dict[str, float | None] = {"py3langid": 0.5, "lingua": 0.5, "langdetect": None}
# langdetect's probabilities are not confidences either: never flag on them.
FLAGS_UNCERTAIN = {"py3langid": True, "lingua": True, "langdetect": False}

__all__ = ["CORPUS_FOLDERS", "PRIORS", "Detection", "LanguageDetector", "annotate_file", "corpus_language",
           "paragraph_spans", "split_corpus"]


@dataclass(frozen=True)
class Detection:
    """One answer: the language (None: nothing to go on), the detector's confidence (None: the function-word
    vote, which is sure by construction), and who gave it: vote, model, or guard (nl turned into fr)."""

    language: str | None
    confidence: float | None = None
    source: str = "model"

    def sure_at(self, threshold: float | None) -> bool:
        """Whether the answer is at least this sure (a vote always is; no threshold: never)."""
        if self.language is None or threshold is None:
            return self.language is not None and self.source == "vote"
        return self.confidence is None or self.confidence >= threshold


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """Offsets of the paragraphs of a text (split at blank lines), without surrounding whitespace."""
    spans = []
    pos = 0
    for m in [*PARAGRAPH_BREAK.finditer(text), None]:
        end = m.start() if m else len(text)
        chunk = text[pos:end]
        stripped = chunk.strip()
        if stripped:
            start = pos + (len(chunk) - len(chunk.lstrip()))
            spans.append((start, start + len(stripped)))
        if m:
            pos = m.end()
    return spans


class LanguageDetector:
    """The vote, the backend's detector and the nl/fr guard; holds its models for the process's life.

    ``stats`` counts what it did (answers per source, nl answers turned into fr, uncertain paragraphs) for the
    end-of-run summary.
    """

    def __init__(self, backend: str = DEFAULT_LANGUAGE_BACKEND, seed: int = LANGDETECT_SEED, fast: bool = True) -> None:
        if backend not in LANGUAGE_BACKENDS:
            raise ValueError(f"unknown language backend {backend!r} ({', '.join(LANGUAGE_BACKENDS)})")
        self.backend = backend
        self.seed = seed
        self.fast = fast  # the function-word vote first (switch off only to measure the detector alone)
        self.model = main_model(backend)
        if backend == "langdetect":
            self.model.seed = seed  # type: ignore[union-attr]
        self.guard = guard_model(backend)
        self.short_min_confidence = SHORT_MIN_CONFIDENCE[backend]
        self.flags_uncertain = FLAGS_UNCERTAIN[backend]
        self.stats: Counter[str] = Counter()

    def warm(self) -> None:
        """Load the detector and the second model now, so that the first post is not slow."""
        self.model.detect("Load the models with a sentence in English.")
        self.guard.detect("Laad de modellen met een zin in het Nederlands.")

    @cached_property
    def _langdetect_factory(self) -> Any:
        return self.model.factory  # type: ignore[union-attr]

    def detect(self, text: str, fast: bool | None = None) -> str:
        """The language of one text: 'en', 'nl', 'fr' or another ISO 639-1 code ('en' when there is nothing to
        go on)."""
        return self.detect_scored(text, fast=fast).language or "en"

    def detect_paragraphs(self, texts: Iterable[str]) -> list[Detection]:
        """Each text detected alone (the per-paragraph path the benchmark times)."""
        return [self.detect_scored(t) for t in texts]

    def detect_scored(self, text: str, tokens: Sequence[str] | None = None, fast: bool | None = None) -> Detection:
        """The vote, else the detector, then the nl/fr guard; `tokens` are the text's WORD matches if known."""
        words = [w.lower() for w in (WORD.findall(text) if tokens is None else tokens)]
        if not words:
            return Detection(None)
        if self.fast if fast is None else fast:
            voted = vote(words)
            if voted:
                self.stats["vote"] += 1
                return self._guarded(text, Detection(voted, None, "vote"))
        lang, confidence = self.model.detect(text)
        self.stats["model"] += 1
        return self._guarded(text, Detection(lang, confidence, "model"))

    def _guarded(self, text: str, found: Detection) -> Detection:
        if found.language != "nl":
            return found
        second, _ = self.guard.detect(text)
        if second == "fr":
            self.stats["nl_turned_fr"] += 1
            log.debug("nl answer turned into fr by the second model: %.60r", text)
            return Detection("fr", found.confidence, "guard")
        return found

    def annotate(self, post: Post) -> Post:
        """A copy of the post with `language`, `mixed`, per-paragraph languages, and the flag
        ``language_uncertain`` when a long paragraph's answer was unsure."""
        spans = paragraph_spans(post.text)
        tokens = [WORD.findall(post.text, s, e) for s, e in spans]
        found: list[Detection | None] = []
        weight: Counter[str] = Counter()
        uncertain: list[tuple[int, int]] = []
        for (s, e), words in zip(spans, tokens, strict=True):
            if len(words) >= MIN_WORDS:
                d = self.detect_scored(post.text[s:e], words)
                if d.language:
                    weight[d.language] += e - s
                if self._unsure(d):
                    uncertain.append((s, e))
            elif words and self.short_min_confidence is not None:
                d = self.detect_scored(post.text[s:e], words)
            else:
                d = None
            found.append(d)
        if weight:
            language = max(sorted(weight), key=lambda k: weight[k])
        else:
            whole = f"{post.title}\n{post.text}"
            d = self.detect_scored(whole)
            language = d.language or "en"
            if len(WORD.findall(whole)) >= MIN_WORDS and self._unsure(d):
                uncertain.append((0, len(post.text)))
        paragraphs = []
        mixed = False
        for (s, e), words, d in zip(spans, tokens, found, strict=True):
            if d is None or d.language is None:
                lang = language
            elif len(words) >= MIN_WORDS:
                lang = d.language
                mixed = mixed or (lang != language and len(words) >= MIN_MIXED_WORDS)
            else:
                lang = d.language if d.sure_at(self.short_min_confidence) else language
            paragraphs.append(Paragraph(s, e, lang))
        flags = list(post.flags)
        if uncertain:
            self.stats["uncertain_paragraphs"] += len(uncertain)
            self.stats["uncertain_posts"] += 1
            log.warning("%s: language of %d paragraph(s) uncertain (%s), kept and flagged %s", post.id,
                        len(uncertain), ", ".join(f"{s}-{e}" for s, e in uncertain[:5]), LANGUAGE_UNCERTAIN)
            if LANGUAGE_UNCERTAIN not in flags:
                flags.append(LANGUAGE_UNCERTAIN)
        return evolve(post, language=language, mixed=mixed, paragraphs=paragraphs, flags=flags)

    def _unsure(self, d: Detection) -> bool:
        return (self.flags_uncertain and d.language is not None and d.confidence is not None
                and d.confidence < UNCERTAIN_BELOW)

    def summary(self) -> str:
        """One line for the end of a run."""
        s = self.stats
        return (f"language: {s['vote']} answers by function words, {s['model']} by {self.backend}, "
                f"{s['nl_turned_fr']} nl answers turned into fr by the second model; {s['uncertain_posts']} posts "
                f"flagged {LANGUAGE_UNCERTAIN} ({s['uncertain_paragraphs']} paragraphs)")


def annotate_file(posts_path: str | Path, out: str | Path, backend: str = DEFAULT_LANGUAGE_BACKEND,
                  force: bool = True) -> int:
    """Annotate every post of a posts.jsonl with languages; write atomically; return the count."""
    from pipeline.jsonl import write_jsonl
    from pipeline.outputs import check_target
    from pipeline.posts_io import read_posts
    from pipeline.progress import progress

    check_target(out)  # before the models load: a bad output path fails at once
    detector = LanguageDetector(backend=backend)
    posts = read_posts(posts_path)
    langs: Counter[str] = Counter()

    def annotated() -> Iterable[dict[str, Any]]:
        for p in progress(posts, "language"):
            a = detector.annotate(p)
            langs[a.language or "en"] += 1
            yield a.to_dict()

    n = write_jsonl(out, annotated(), force=force)
    log.info("%d posts: %s", n, ", ".join(f"{k} {v}" for k, v in sorted(langs.items())))
    log.info(detector.summary())
    return n


def add_cli(sub: argparse._SubParsersAction) -> None:
    """Register ``language``."""
    p = sub.add_parser("language", help="detect the language of each post and paragraph",
                       description="Add language, mixed and per-paragraph languages to each post of posts.jsonl.")
    p.add_argument("posts", help="posts.jsonl")
    p.add_argument("-o", "--out", required=True, help="annotated posts.jsonl to write")
    p.add_argument("--backend", choices=LANGUAGE_BACKENDS, default=DEFAULT_LANGUAGE_BACKEND,
                   help="the detector behind the function-word vote (default: %(default)s)")
    p.add_argument("--force", action="store_true", help="write even no post over a file that holds posts")
    p.set_defaults(func=lambda a: annotate_file(a.posts, a.out, a.backend, a.force) and 0)
