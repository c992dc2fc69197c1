"""Topics per language: TF-IDF and NMF (scikit-learn), with English and Dutch stop words; saved in models/."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from pipeline.config import MODELS_DIR
from pipeline.jsonl import atomic_open
from pipeline.vocab import LANGUAGES, entries

SEED = 0


@dataclass(frozen=True)
class TopicParams:
    """How a topic model was fitted."""

    language: str
    n_topics: int
    n_documents: int
    max_features: int
    min_df: int
    max_df: float
    seed: int = SEED


def stop_words(lang: str) -> list[str]:
    """The language's stop words (``pipeline/data/<lang>/stopwords.txt``), in file order; English ones (the
    list of scikit-learn) for a language without a list."""
    listed = entries(lang, "stopwords") if lang in LANGUAGES else ()
    return list(listed or entries("en", "stopwords"))


def choose_n_topics(n_documents: int, wanted: int = 8) -> int:
    """Fewer topics for small corpora: at most one per two documents, at least one."""
    return max(1, min(wanted, n_documents // 2))


def fit_topics(texts: list[str], lang: str, wanted: int = 8, top_n: int = 10) -> dict[str, Any] | None:
    """Fit TF-IDF + NMF; return params, top terms per topic and the document-topic weights (None if too few)."""
    from sklearn.decomposition import NMF
    from sklearn.feature_extraction.text import TfidfVectorizer

    texts = [t for t in texts if t and t.strip()]
    if len(texts) < 2:
        return None
    min_df = 2 if len(texts) >= 20 else 1
    max_df = 0.9 if len(texts) >= 20 else 1.0
    vec = TfidfVectorizer(stop_words=stop_words(lang), max_features=5000, min_df=min_df, max_df=max_df,
                          token_pattern=r"(?u)\b[^\W\d_][^\W\d_]+\b")
    matrix = vec.fit_transform(texts)
    n_topics = min(choose_n_topics(len(texts), wanted), matrix.shape[1])
    model = NMF(n_components=n_topics, init="nndsvda", random_state=SEED, max_iter=400)
    weights = model.fit_transform(matrix)
    terms = vec.get_feature_names_out()
    top = [[str(terms[i]) for i in comp.argsort()[::-1][:top_n]] for comp in model.components_]
    params = TopicParams(lang, n_topics, len(texts), 5000, min_df, max_df)
    return {"params": params, "top_terms": top, "weights": weights, "vectorizer": vec, "model": model}


def save_topics(result: dict[str, Any], models_dir: Path = MODELS_DIR) -> Path:
    """Save the fitted vectorizer and model (joblib) and their parameters and top terms (JSON)."""
    import joblib

    lang = result["params"].language
    models_dir.mkdir(parents=True, exist_ok=True)
    path = models_dir / f"topics-{lang}.joblib"
    with atomic_open(path, "wb") as fh:
        joblib.dump({"vectorizer": result["vectorizer"], "model": result["model"]}, fh)
    meta = {**asdict(result["params"]), "top_terms": result["top_terms"]}
    with atomic_open(models_dir / f"topics-{lang}.json") as fh:
        fh.write(json.dumps(meta, indent=2, ensure_ascii=False) + "\n")
    return path
