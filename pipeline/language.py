"""Language per post and per paragraph: English, Dutch, or another language (ISO 639-1 code).

langdetect (the design card's choice) is seeded per detection and restricted by a prior to the
languages that matter, so short paragraphs are not labelled Afrikaans or Slovak. Because it costs
about 12 ms a post, a cheap function-word count settles the clear English/Dutch cases first and
langdetect only sees the rest. Very short paragraphs take the post's language.
"""

from __future__ import annotations

import argparse
import logging
import re
from collections.abc import Iterable
from functools import cache, cached_property
from operator import itemgetter
from pathlib import Path
from typing import IO, Any

from pipeline.config import LANGDETECT_SEED
from pipeline.records import Paragraph, Post, evolve
from pipeline.vocab import table, words

log = logging.getLogger(__name__)

PARAGRAPH_BREAK = re.compile(r"\n[ \t\u00a0]*\n")
WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?", re.UNICODE)

# Languages that langdetect may answer; everything else has zero prior. en and nl get most weight
# because that is what the blog publishes; the others exist so that a French or German paragraph
# is called what it is rather than forced into English or Dutch.
PRIORS = {"en": 0.4, "nl": 0.3, "fr": 0.06, "de": 0.06, "es": 0.05, "id": 0.05, "pt": 0.03, "it": 0.03,
          "tl": 0.02}
LINGUA_LANGUAGES = ("ENGLISH", "DUTCH", "FRENCH", "GERMAN", "SPANISH", "INDONESIAN", "PORTUGUESE", "ITALIAN",
                    "TAGALOG")

WEAK_MIN_HITS = 2
MIN_WORDS = 6  # below this a paragraph takes the post's language
MIN_MIXED_WORDS = 8  # a paragraph of another language shorter than this does not make a post mixed
FAST_MIN_HITS = 4
FAST_RATIO = 4.0
MAX_CHARS = 1200  # langdetect looks at no more than this; enough for a stable answer


@cache
def function_words() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """The English, the Dutch and the other languages' function words (pipeline/data/<lang>/function_words.txt,
    other_function_words.csv), read on first use: this module is imported while the command line is parsed,
    and a broken list must be the one-line error of the command that reads it, not a traceback of every command.

    English and Dutch: frequent function words that are rare in the other language (shared ones like "in",
    "is", "die" left out). Others: those of the other languages langdetect may answer (fr, de, es, pt, it, id,
    tl), less any English or Dutch one: any one of them leaves the decision to langdetect.
    """
    en, nl = words("function_words", "en"), words("function_words", "nl")
    other = (words("function_words", "fr") | {r["word"] for r in table("other_function_words")}) - en - nl
    return en, nl, other


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


def function_word_vote(words: list[str]) -> str | None:
    """'en' or 'nl' when function words make it obvious, else None."""
    en_words, nl_words, other_words = function_words()
    en = sum(map(en_words.__contains__, words))
    nl = sum(map(nl_words.__contains__, words))
    if en >= FAST_MIN_HITS and en >= FAST_RATIO * max(nl, 0.5):
        return "en"
    if nl >= FAST_MIN_HITS and nl >= FAST_RATIO * max(en, 0.5):
        return "nl"
    # Fewer hits settle it too when nothing speaks against them: neither the other language's function
    # words nor those of any other language ("The next meeting is planned for July 2026.").
    if (en >= WEAK_MIN_HITS and not nl or nl >= WEAK_MIN_HITS and not en) and not any(
            map(other_words.__contains__, words)):
        return "en" if en else "nl"
    return None


class LanguageDetector:
    """Detects languages with a seeded, restricted backend; holds its models for the process's life."""

    def __init__(self, backend: str = "langdetect", seed: int = LANGDETECT_SEED, fast: bool = True) -> None:
        if backend not in ("langdetect", "lingua"):
            raise ValueError(f"unknown language backend {backend!r} (langdetect or lingua)")
        self.backend = backend
        self.seed = seed
        self.fast = fast

    @cached_property
    def _langdetect_factory(self) -> Any:
        from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory

        factory = DetectorFactory()
        factory.load_profile(PROFILES_DIRECTORY)
        factory.set_seed(self.seed)
        # Languages without prior stay at probability zero, yet langdetect updates all 55 of them for
        # every n-gram it samples. Dropping them from the vectors (keeping every n-gram, so the seeded
        # sampling draws the same n-grams) gives the same answers several times faster.
        keep = [i for i, lang in enumerate(factory.langlist) if PRIORS.get(lang, 0) > 0]
        pick = itemgetter(*keep)
        factory.langlist = [factory.langlist[i] for i in keep]
        # Tuples, not lists: a tuple of floats leaves the cyclic collector's view at its first pass, whereas
        # 87,000 lists were traversed by every full collection for the rest of the run.
        factory.word_lang_prob_map = {w: tuple(pick(probs)) for w, probs in factory.word_lang_prob_map.items()}
        return factory

    @cached_property
    def _lingua(self) -> Any:
        from lingua import Language, LanguageDetectorBuilder

        langs = [getattr(Language, name) for name in LINGUA_LANGUAGES]
        return LanguageDetectorBuilder.from_languages(*langs).build()

    def _slow(self, text: str) -> str:
        if self.backend == "lingua":
            found = self._lingua.detect_language_of(text)
            return found.iso_code_639_1.name.lower() if found else "en"
        from langdetect.lang_detect_exception import LangDetectException

        detector = self._langdetect_factory.create()
        detector.set_prior_map(PRIORS)
        detector.set_max_text_length(MAX_CHARS)
        detector.append(text)
        try:
            return detector.detect()
        except LangDetectException:
            return "en"

    def detect(self, text: str, fast: bool | None = None) -> str:
        """The language of one text: 'en', 'nl' or another ISO 639-1 code."""
        return self._detect(text, WORD.findall(text), fast)

    def _detect(self, text: str, words: list[str], fast: bool | None = None) -> str:
        words = [w.lower() for w in words]
        if (self.fast if fast is None else fast) and self.backend == "langdetect":
            vote = function_word_vote(words)
            if vote:
                return vote
        return self._slow(text) if words else "en"

    def annotate(self, post: Post) -> Post:
        """A copy of the post with `language`, `mixed` and per-paragraph languages."""
        spans = paragraph_spans(post.text)
        words = [WORD.findall(post.text, s, e) for s, e in spans]
        sized = [(s, e, len(w)) for (s, e), w in zip(spans, words, strict=True)]
        labels: dict[tuple[int, int], str] = {}
        weight: dict[str, int] = {}
        for (s, e, n), para_words in zip(sized, words, strict=True):
            if n >= MIN_WORDS:
                lang = self._detect(post.text[s:e], para_words)
                labels[(s, e)] = lang
                weight[lang] = weight.get(lang, 0) + (e - s)
        if weight:
            language = max(sorted(weight), key=lambda k: weight[k])
        else:
            language = self.detect(f"{post.title}\n{post.text}") if (post.title or post.text).strip() else "en"
        paragraphs = [Paragraph(s, e, labels.get((s, e), language)) for s, e, _ in sized]
        mixed = any(
            labels.get((s, e), language) != language and n >= MIN_MIXED_WORDS for s, e, n in sized
        )
        return evolve(post, language=language, mixed=mixed, paragraphs=paragraphs)


def corpus_language(lang: str | None) -> str:
    """The corpus folder of a language: en, nl, or other."""
    return lang if lang in ("en", "nl") else "other"


def split_corpus(posts_path: str | Path, records_path: str | Path, out_dir: str | Path) -> dict[str, int]:
    """Write posts and records of each language to out_dir/{en,nl,other}/; return posts per folder."""
    from contextlib import ExitStack

    from pipeline.jsonl import atomic_open, dumps, read_jsonl

    out = Path(out_dir)
    folders = ("en", "nl", "other")
    # A folder left by an earlier run is rewritten even when it has no posts now, so nothing stale stays.
    existed = {f for f in folders if (out / f).exists()}
    counts: dict[str, int] = {}
    with ExitStack() as stack:
        files: dict[tuple[str, str], IO[str]] = {}

        def sink(folder: str, kind: str) -> IO[str]:
            if (folder, kind) not in files:
                files[(folder, kind)] = stack.enter_context(atomic_open(out / folder / f"{kind}.jsonl"))
            return files[(folder, kind)]

        # Rows go straight through, one at a time: memory does not grow with the corpus.
        for row in read_jsonl(posts_path):
            folder = corpus_language(row.get("language"))
            sink(folder, "posts").write(dumps(row) + "\n")
            counts[folder] = counts.get(folder, 0) + 1
        for row in read_jsonl(records_path):
            folder = corpus_language(row.get("language"))
            if folder in counts or folder in existed:
                sink(folder, "records").write(dumps(row) + "\n")
        for folder in folders:
            if folder in counts or folder in existed:
                counts.setdefault(folder, 0)
                for kind in ("posts", "records"):
                    sink(folder, kind)
    log.info("split by language: %s", ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    return counts


def annotate_file(posts_path: str | Path, out: str | Path, backend: str = "langdetect") -> int:
    """Annotate every post of a posts.jsonl with languages; write atomically; return the count."""
    from pipeline.jsonl import read_jsonl, write_jsonl
    from pipeline.posts_io import post_from_row
    from pipeline.progress import progress

    detector = LanguageDetector(backend=backend)
    rows: Iterable[dict[str, Any]] = read_jsonl(posts_path)
    posts = (post_from_row(r, str(posts_path), n) for n, r in enumerate(rows, 1))
    return write_jsonl(out, (detector.annotate(p).to_dict() for p in progress(posts, "language")))


def add_cli(sub: argparse._SubParsersAction) -> None:
    """Register ``language``."""
    p = sub.add_parser("language", help="detect the language of each post and paragraph",
                       description="Add language, mixed and per-paragraph languages to each post of posts.jsonl.")
    p.add_argument("posts", help="posts.jsonl")
    p.add_argument("-o", "--out", required=True, help="annotated posts.jsonl to write")
    p.add_argument("--backend", choices=("langdetect", "lingua"), default="langdetect")
    p.set_defaults(func=lambda a: annotate_file(a.posts, a.out, a.backend) and 0)
