"""The vocabulary of the organisation rules: word lists read from ``pipeline/data/<lang>/org_*.txt``, and the
patterns built from them, once per process at import.

The only module of the package that reads data files; the rules import the names defined here. Every list
but the classifiers is the union over all languages, because names cross languages (a Dutch post names
"the International Trade Union Confederation", an English one "Konfederasi Serikat Buruh ..."). What each
list is for: ``pipeline/data/README.md``, section Organisations.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from pipeline.errors import InputError
from pipeline.kb import TYPES, load_countries, normalise_name
from pipeline.stopwords import spacy_stop_words
from pipeline.vocab import LANGUAGES, entries, table, vocab_path, words


def sorted_by_length(items: Iterable[str]) -> list[str]:
    """Longest first, so that regex alternations prefer the longest form."""
    return sorted(set(items), key=lambda w: (-len(w), w))


def alternation(items: Iterable[str]) -> str:
    """A regex group matching any of the items literally, longest first (a fixed order: same input, same pattern)."""
    return "(?:" + "|".join(re.escape(w) for w in sorted_by_length(items)) + ")"


def typed_entries(name: str) -> list[tuple[str, str, str]]:
    """Entries 'word type' of a list over all languages: (language, word, type); the type must be a KB type."""
    out = []
    for lang in LANGUAGES:
        for entry in entries(lang, name):
            parts = entry.split()
            if len(parts) != 2 or parts[1] not in TYPES:
                raise InputError(f"{vocab_path(lang, name)}: entry {entry!r} is not 'word type' with a type of "
                                 f"the knowledge base ({', '.join(sorted(TYPES))})")
            out.append((lang, parts[0], parts[1]))
    return out


# ---------------------------------------------------------------- heads

# Heads of names whose other words make the name specific even when they are only a nationality or
# "Labour": "Cambodian Labour Confederation", "Labour Court", "Belgian Embassy".
FORMAL_HEADS = words("org_heads_formal")
# Heads that also make generic descriptors: a nationality does not turn "Belgian Trade Union" into a name.
INFORMAL_HEADS = words("org_heads_informal")
HEADS = FORMAL_HEADS | INFORMAL_HEADS
# Heads that come first and are followed by the name without "of": "Stichting Max Havelaar".
HEAD_INITIAL = words("org_heads_initial")
GOVERNMENT_HEADS = words("org_heads_government")
# "Directorate General of ...": a word after the head that stays in the name.
HEAD_FOLLOWERS = words("org_head_followers")
# "Friedrich-Ebert-Stiftung Office for ...": a branch of the organisation just named.
BRANCH_HEADS = words("org_branch_heads")



def _compound_types() -> dict[str, str]:
    out: dict[str, str] = {}
    for lang, ending, kind in typed_entries("org_compound_heads"):
        if out.setdefault(ending, kind) != kind:
            raise InputError(f"{vocab_path(lang, 'org_compound_heads')}: {ending!r} is given two types")
    return out


# Dutch writes heads as compounds: "Arbeidsraad", "Planbureau", "Boudewijnstichting", "Vrouwenbeweging".
# Endings and the type each gives; the pattern is anchored at both ends, so the order of endings is immaterial.
COMPOUND_TYPES = _compound_types()
COMPOUND_HEAD = re.compile(r"^[A-Z][a-zà-ÿ]{2,}" + alternation(COMPOUND_TYPES) + "$")

# Type of an organisation outside the knowledge base by head word; the first type (in this order) that one
# of the name's words gives wins: a "Union Federation" is a federation, a "Centre ... Council" is "other".
TYPE_PRECEDENCE = ("government", "school", "union_federation", "trade_union", "network", "company", "media",
                   "intergovernmental", "other", "ngo")
_HEAD_TYPES = typed_entries("org_head_types")
HEAD_TYPES: dict[str, frozenset[str]] = {
    kind: frozenset(w for _, w, k in _HEAD_TYPES if k == kind) for kind in TYPE_PRECEDENCE}

# ---------------------------------------------------------------- words that make or unmake a name

# Forms of each country (pipeline/data/countries.csv), English name first.
COUNTRY_NAMES = load_countries()

PEOPLE = words("org_people_nouns")
# "Migrant Workers Protection (MWP)": a name without a head ending in one of these is a concept.
CONCEPT_WORDS = words("org_concept_words")
COLLECTIVE = words("org_collective_words")
# Words that never make a name specific on their own.
NEVER_DISTINCTIVE = words("org_never_distinctive")
# Nationalities and "Labour" make a name only with a formal head.
SOFT_GENERIC = frozenset({w for names in COUNTRY_NAMES.values() for n in names for w in n.split()}
                         | words("org_soft_generic"))
# Every form of a country but the first (English) name, one word long, and no country's first name:
# "the Mongolian Ministry of Labour" is the Ministry of Labour.
DEMONYMS = frozenset(n for names in COUNTRY_NAMES.values() for n in names[1:] if " " not in n) - frozenset(
    names[0] for names in COUNTRY_NAMES.values())
# Event, instrument, law, programme and prize words: a phrase containing one is not an organisation.
NOT_ORG_WORDS = words("org_not_org_words")
# Events: a phrase with one of these is not an organisation, wherever the word stands.
EVENT_WORDS = words("org_event_words")
# "Mekong Workers Forum" is an organisation, "the 3rd Mekong Forum, which took place in ..." an event.
EVENT_HEADS = words("org_event_heads")
EVENT_CUE_BEFORE = re.compile(r"(?:(?<![\w-])" + alternation(words("org_event_cues_before"))
                              + r"|\b\d+(?:st|nd|rd|th|e|de|ème)|\b(?:19|20)\d\d)[ \t]+$", re.IGNORECASE)
EVENT_CUE_AFTER = re.compile(r"[ \t]*,?[ \t]*(?:(?:which|that|die|dat|qui)[ \t]+)?"
                             + alternation(words("org_event_cues_after")) + r"(?!\w)", re.IGNORECASE)
# "Delta Policy Institute": a topic word before a formal head.
TOPIC_WORDS = words("org_topic_words")
# After a known organisation, these turn "ILO Convention", "UN Global Accelerator" into something else.
SUPPRESS_AFTER_KB = frozenset(w.casefold() for w in words("org_suppress_after_kb"))
EVENT_LINKS = frozenset(w.casefold() for w in words("org_event_links"))
# After an unknown acronym these say it names a thing, not an actor: "the ASEM summit", "SDG targets".
EVENT_NOUNS = words("org_event_nouns")
ACRONYM_EVENT_LINKS = words("org_acronym_event_links")
# Multi-word phrases that look like names but are not organisations.
NOT_ORG_PHRASES = frozenset(normalise_name(p) for p in words("org_not_org_phrases"))
ROLE_WORDS = words("org_role_words")
# spaCy's stop words of the three languages ("La Fédération ..." starts with an article, not a name); the French
# ones are a copy in fr/org_lead_trim.txt.
STOP_WORDS = (spacy_stop_words("en") | spacy_stop_words("nl")
              | frozenset(w.casefold() for w in entries("fr", "org_lead_trim")))
LEAD_TRIM = frozenset(w.casefold() for w in words("org_lead_trim")) | STOP_WORDS
TITLE_BEFORE = re.compile(r"\b" + alternation(words("org_titles")) + r"\.?\s*$")
# Upper-case tokens that are not organisations: units, currencies, country codes, titles, emphasis, and the
# field's jargon (programmes, instruments, categories of workers).
NOT_ACRONYMS = words("org_not_acronyms")
# Common words of every language (lower case, four letters or more): written in capitals ("CONTACT:", "FIVE
# HUNDRED LEAFLETS") they are labels or emphasis, not an organisation nobody defined.
DICTIONARY_WORDS = words("dictionary_words")
# Towns and cities (pipeline/data/places.csv) and countries, case-folded: "BRUSSEL (tijd) -", "KAMPONG CHAM".
PLACES = frozenset(row["form"].casefold() for row in table("places")) | frozenset(
    n.casefold() for names in COUNTRY_NAMES.values() for n in names)
# Continents and regions of the gazetteer: "HomeNet South Asia" is a chapter like "HomeNet Thailand".
REGIONS = frozenset(row["form"] for row in table("places") if row["country"] == "*")
# Last words of an international network's name that its chapters drop: "HomeNet International" ->
# "HomeNet Thailand".
CHAPTER_SUFFIXES = frozenset(w.casefold() for w in words("org_chapter_suffixes"))
# "we demand a Global Social Protection Fund": not (yet) an organisation.
INDEFINITE_BEFORE = re.compile(r"(?<![\w-])" + alternation(words("org_indefinites")) + r"\s+$", re.IGNORECASE)
LONG_FORM_SKIP = frozenset(w.casefold() for w in words("org_long_form_skip"))
CONTINUES_CAPITALISED = re.compile(r"[ \t]+" + alternation(words("org_continuation_words")) + r"?[ \t]*[A-Z]")
NAME_ARTICLES = words("org_name_articles")


# ---------------------------------------------------------------- names written head first (French)

# Per language that writes them: the connectors that open a complement; without them the rule does not run.
HEAD_FIRST_CONNECTORS = {lang: frozenset(entries(lang, "org_head_first_connectors")) for lang in LANGUAGES}
HEAD_FIRST_ENDINGS = {lang: frozenset(entries(lang, "org_adjective_endings")) for lang in LANGUAGES}
# A language whose names take adjectives after the head (French) reads its capitalised heads head first; one
# that only lists heads in small letters (Dutch "het ministerie van Arbeid") reads only those.
HEAD_FIRST = {lang: frozenset(entries(lang, "org_heads_formal") + entries(lang, "org_heads_informal"))
              if HEAD_FIRST_CONNECTORS[lang] and HEAD_FIRST_ENDINGS[lang] else frozenset() for lang in LANGUAGES}
HEAD_FIRST_ADJECTIVES = {lang: frozenset(entries(lang, "org_adjectives")) for lang in LANGUAGES}
# Participles that follow a complement's noun but not a head: "Forum des travailleurs migrants".
COMPLEMENT_ENDINGS = {lang: frozenset(entries(lang, "org_complement_endings")) for lang in LANGUAGES}
# Heads written in small letters that a capitalised complement makes a name: "le ministère du Travail".
HEAD_FIRST_LOWER = {lang: frozenset(entries(lang, "org_heads_lower")) for lang in LANGUAGES}

# ---------------------------------------------------------------- lower-case heads made specific

# "the Thai embassies", "ambassade van Cambodja"; "Embassy of Japan in Osaka" keeps its city.
MISSION_HEADS = words("org_mission_heads")
# "our regional staff union": the writer's own organisation.
POSSESSIVES = words("org_possessives")
POSSESSIVE_HEADS = words("org_possessive_heads")

# ---------------------------------------------------------------- companies

# Legal forms after a name ("Lumo Apparel Ltd") and before it ("PT Sinar Maju Garment").
COMPANY_FORMS_AFTER = words("org_company_forms")
COMPANY_FORMS_BEFORE = words("org_company_prefixes")
# "brands such as", "owned by", "filiale de": the names after them are companies.
COMPANY_CUES = words("org_company_cues")
# Words that join the names of a list: "Adidas, Puma and Korvex".
LIST_JOINERS = words("org_list_joiners")

# ---------------------------------------------------------------- classifier nouns followed by a name


def _compound_classifier(nouns: tuple[str, ...]) -> re.Pattern[str]:
    # Dutch: the noun may end a compound ("Reclamebureau Boondoggle"), at the start of a word.
    return re.compile(
        r"(?:(?<=[.!?]\s)|(?<=^)|(?<=\n)|(?<=\s))(?:[A-Za-z]*?(?:" + "|".join(re.escape(n) for n in nouns) + r"))\s+"
        r"(?P<name>[A-Z](?:[\w&'’-]|\.(?=\w))*(?:\s+[A-Z][\w&'’-]*){0,2})")


def _word_classifier(nouns: tuple[str, ...], endings: tuple[str, ...], words_: tuple[str, ...]) -> re.Pattern[str]:
    # Where adjectives follow nouns (French), up to two may stand between: "la marque suédoise H&M".
    adjectives = (r"(?:\s+(?:[a-zà-ÿ-]+" + alternation(endings) + "|" + alternation(words_) + r")(?![\w-])){0,2}"
                  if endings else "")
    return re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(n) for n in nouns) + r")" + adjectives + r"\s+"
                      r"(?P<name>[A-Z](?:[\w&'’-]|\.(?=\w))*(?:\s+[A-Z][\w&'’-]*){0,2})")


def _classifier(lang: str) -> re.Pattern[str] | None:
    nouns = entries(lang, "org_classifiers")
    if not nouns:
        return None  # an empty alternation would match everywhere
    if lang in COMPOUNDING:
        return _compound_classifier(nouns)
    return _word_classifier(nouns, entries(lang, "org_adjective_endings"), entries(lang, "org_adjectives"))


# Languages that write a classifier and its modifier as one word.
COMPOUNDING = frozenset({"nl"})
# Per language, in the order of its file; None where the language has no classifier nouns yet.
CLASSIFIERS = {lang: _classifier(lang) for lang in LANGUAGES}

# ---------------------------------------------------------------- capitalised runs

CAP_WORD = r"[A-ZÀ-ÖØ-Þ][\w&-]*(?<!-)(?:['’]s\b|(?<=s)['’](?!\w))?"
# Title-case titles capitalise connectors too ("Statement Of The Cambodian Labour Confederation"); every
# connector is followed by white space or a non-word character, so the order of alternatives is immaterial.
CONNECTOR = alternation(words("org_connectors"))
RUN = re.compile(rf"{CAP_WORD}(?:(?:[ \t]+|[ \t]*,[ \t]*)(?:{CONNECTOR}[ \t]+)*{CAP_WORD})*")
CAP_WORDS = re.compile(CAP_WORD)
RUN_TOKEN = re.compile(rf"(?P<c>(?<!\w){CONNECTOR}(?![\w'’-]))|(?P<w>{CAP_WORD})|(?P<comma>,)")
EXTEND = words("org_name_extenders")
ARTICLES = frozenset(w.casefold() for w in words("org_articles"))
AND = words("org_and_words")
