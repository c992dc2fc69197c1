"""Shared fixtures."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import spacy
from spacy.language import Language

from pipeline.nlp import register_factories


@pytest.fixture(scope="session")
def blank_pipelines() -> Callable[..., dict[str, Language]]:
    """Build English, Dutch and French blank pipelines with sentences and the given project components."""
    register_factories()

    def build(*components: str) -> dict[str, Language]:
        out = {}
        for lang in ("en", "nl", "fr"):
            nlp = spacy.blank(lang)
            nlp.add_pipe("sentences")
            for name in components:
                nlp.add_pipe(name)
            out[lang] = nlp
        return out

    return build
