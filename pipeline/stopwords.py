"""spaCy's stop words of a language, without importing that language's spaCy module.

``spacy.lang.fr`` compiles its tokenizer exceptions when imported (seconds), and the extractors' rule
modules need only its stop-word list: the list's own file (plain data, no imports) is read here instead,
so a run on English posts never pays for French. The values are spaCy's, whatever its version.
"""

from __future__ import annotations

import importlib.util
import sys
from functools import cache
from pathlib import Path


@cache
def spacy_stop_words(lang: str) -> frozenset[str]:
    """``spacy.lang.<lang>.stop_words.STOP_WORDS``, read without importing ``spacy.lang.<lang>``."""
    loaded = sys.modules.get(f"spacy.lang.{lang}.stop_words")
    if loaded is not None:
        return frozenset(loaded.STOP_WORDS)
    spec = importlib.util.find_spec("spacy")
    if spec is None or spec.origin is None:
        raise ModuleNotFoundError("spacy")
    path = Path(spec.origin).parent / "lang" / lang / "stop_words.py"
    module_spec = importlib.util.spec_from_file_location(f"_pipeline_spacy_stop_words_{lang}", path)
    if module_spec is None or module_spec.loader is None:
        raise ModuleNotFoundError(f"spacy.lang.{lang}.stop_words ({path})")
    module = importlib.util.module_from_spec(module_spec)
    module_spec.loader.exec_module(module)
    return frozenset(module.STOP_WORDS)
