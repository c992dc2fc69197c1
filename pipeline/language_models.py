"""The statistical language detectors behind the function-word vote, each restricted to a set of languages.

Every model answers ``detect(text) -> (ISO 639-1 code, confidence)`` or ``(None, None)`` when the text gives it
nothing to go on. Models are built on first use and kept for the process's life (loading costs 0.1-2 s).

- ``py3langid`` (the default): naive Bayes over byte n-grams, probabilities normalised over the allowed
  languages. Its confidence separates right from wrong answers on short text (README "Languages").
- ``lingua`` (high-accuracy mode, preloaded models): as accurate on paragraphs, twice the memory, slower.
- ``langdetect`` (the design card's choice): seeded per detection from its own factory and restricted by a
  prior; its probabilities do not tell right from wrong, so they are never trusted on short text.

The French/Dutch second opinion (``guard_model``) is another model restricted to nl and fr: lingua in
low-accuracy mode, or py3langid when lingua is the main detector (a model cannot contradict itself: py3langid's
nl and fr scores are the same whatever the language set).
"""

from __future__ import annotations

from functools import cached_property
from operator import itemgetter
from typing import Any

from pipeline.config import DETECT_LANGUAGES, LANGDETECT_SEED

# langdetect's prior: every allowed language has one, the others stay at zero. en and nl get most weight because
# that is what the blog publishes.
PRIORS = {"en": 0.4, "nl": 0.3, "fr": 0.06, "de": 0.06, "es": 0.05, "id": 0.05, "pt": 0.03, "it": 0.03,
          "tl": 0.02}
MAX_CHARS = 1200  # langdetect looks at no more than this; enough for a stable answer

Answer = tuple[str | None, float | None]
# Confidences are rounded: lingua's last bits vary with the order of its float sums, and an answer must not.
DIGITS = 6


class Py3langidModel:
    """py3langid restricted to `languages`, with normalised probabilities."""

    def __init__(self, languages: tuple[str, ...] = DETECT_LANGUAGES) -> None:
        self.languages = languages

    @cached_property
    def _identifier(self) -> Any:
        from py3langid.langid import MODEL_FILE, LanguageIdentifier

        identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
        identifier.set_languages(list(self.languages))
        return identifier

    def detect(self, text: str) -> Answer:
        """The most probable allowed language and its probability."""
        lang, prob = self._identifier.classify(text)
        return str(lang), round(float(prob), DIGITS)


class LinguaModel:
    """lingua restricted to `languages`; high-accuracy or low-accuracy mode, models preloaded."""

    def __init__(self, languages: tuple[str, ...] = DETECT_LANGUAGES, high_accuracy: bool = True) -> None:
        self.languages = languages
        self.high_accuracy = high_accuracy

    @cached_property
    def _detector(self) -> Any:
        from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

        langs = [Language.from_iso_code_639_1(getattr(IsoCode639_1, code.upper())) for code in self.languages]
        builder = LanguageDetectorBuilder.from_languages(*langs)
        if not self.high_accuracy:
            builder = builder.with_low_accuracy_mode()
        return builder.with_preloaded_language_models().build()

    def detect(self, text: str) -> Answer:
        """The most confident language and its confidence; (None, None) when lingua has nothing to go on."""
        values = self._detector.compute_language_confidence_values(text)
        if not values or values[0].value <= 0:
            return None, None
        return values[0].language.iso_code_639_1.name.lower(), round(float(values[0].value), DIGITS)


class LangdetectModel:
    """langdetect with a private seeded factory, cut to the languages of PRIORS."""

    def __init__(self, seed: int = LANGDETECT_SEED) -> None:
        self.seed = seed

    @cached_property
    def factory(self) -> Any:
        """The seeded factory with only the prior languages' probability columns."""
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

    def detect(self, text: str) -> Answer:
        """The most probable language and its probability; (None, None) when langdetect finds no feature."""
        from langdetect.lang_detect_exception import LangDetectException

        detector = self.factory.create()
        detector.set_prior_map(PRIORS)
        detector.set_max_text_length(MAX_CHARS)
        detector.append(text)
        try:
            probs = detector.get_probabilities()
        except LangDetectException:
            return None, None
        return (probs[0].lang, round(float(probs[0].prob), DIGITS)) if probs else (None, None)


def main_model(backend: str) -> Py3langidModel | LinguaModel | LangdetectModel:
    """The detector of a backend name (config.LANGUAGE_BACKENDS)."""
    if backend == "py3langid":
        return Py3langidModel()
    if backend == "lingua":
        return LinguaModel(high_accuracy=True)
    if backend == "langdetect":
        return LangdetectModel()
    raise ValueError(f"unknown language backend {backend!r} (py3langid, lingua or langdetect)")


def guard_model(backend: str) -> Py3langidModel | LinguaModel:
    """The French/Dutch second opinion for a backend: always a model other than the main one."""
    if backend == "lingua":
        return Py3langidModel(("nl", "fr"))
    return LinguaModel(("nl", "fr"), high_accuracy=False)
