"""spaCy pipelines per language, assembled from the configs in ``pipeline/models/`` (no downloads)."""

from __future__ import annotations

import importlib
from functools import cache
from pathlib import Path

import spacy
from spacy.language import Language

from pipeline.config import PIPELINE_CONFIGS_DIR
from pipeline.errors import InputError

# Importing these registers their spaCy factories ("conventions", "organisations", "figures", "countries").
EXTRACTOR_MODULES = {
    "sentences": "pipeline.extract.sentences",
    "conventions": "pipeline.extract.conventions",
    "organisations": "pipeline.extract.organisations",
    "figures": "pipeline.extract.figures",
    "countries": "pipeline.extract.countries",
}


def register_factories() -> None:
    """Import every extractor module so its factory is known to spaCy."""
    for module in EXTRACTOR_MODULES.values():
        importlib.import_module(module)


def config_path(lang: str, models_dir: Path = PIPELINE_CONFIGS_DIR) -> Path:
    """Where the config of a language's pipeline lives."""
    return models_dir / f"{lang}.cfg"


def build_pipeline(lang: str, models_dir: Path = PIPELINE_CONFIGS_DIR) -> Language:
    """Assemble a fresh pipeline for `lang` from ``pipeline/models/<lang>.cfg``."""
    path = config_path(lang, models_dir)
    if not path.is_file():
        raise InputError(f"{path}: no pipeline config for language {lang!r}")
    register_factories()
    config = spacy.util.load_config(path)
    return spacy.util.load_model_from_config(config, auto_fill=True, validate=True)


@cache
def load_pipeline(lang: str) -> Language:
    """The pipeline for `lang`, built once per process."""
    return build_pipeline(lang)
