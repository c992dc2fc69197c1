"""Organisations: recognise them in English and Dutch text and resolve each to one entity per post.

Recognition, most trusted first (each later rule only looks at text the earlier ones left free):
1. the knowledge base (pipeline/data/organisations.toml) through spaCy PhraseMatchers, acronyms
   case-sensitively, long names in any case, ambiguous forms ("IDEA", "WS", "UNI") only in context;
   a known organisation used as the modifier of an event or instrument ("ILO Convention", "UN Global
   Accelerator", "ASEAN People's Forum") is not a mention of the organisation;
2. acronym definitions both ways, "Cambodian Labour Confederation (CLC)" and "CLC (Cambodian Labour
   Confederation)"; the acronym is then recognised in the rest of the post, and an acronym defined as
   something else ("Least Developed Country (LDC)") is never taken for an organisation;
3. capitalised phrases headed by an organisation noun ("Ministry of Labour and Vocational Training",
   "Sindh Home Based Workers Union", "Konfederasi Serikat Buruh ..."), unless the phrase is an event,
   law, programme or a generic descriptor ("the Belgian Trade Union", "Continental Network");
4. a classifier noun followed by a name: "Reclamebureau Boondoggle", "the brand Joe Fresh";
5. upper-case acronyms used as actors ("GEFONT held ...", "(FEI)") that are not common words, units,
   currencies, country codes or the field's non-organisation jargon (SDG, OSH, MSME, ...).
Resolution (``finalize``) merges all mentions of one organisation in a post: acronym and long form,
aliases across languages, and links the entity to the knowledge base.
"""

from __future__ import annotations

import argparse
import logging
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

import spacy
from spacy.lang.en.stop_words import STOP_WORDS as EN_STOP
from spacy.lang.nl.stop_words import STOP_WORDS as NL_STOP
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc

from pipeline.extract.sentences import _sentence_bounds, sentence_of
from pipeline.kb import COUNTRY_NAMES, KBEntry, KnowledgeBase, is_acronym, load_kb, normalise_name
from pipeline.records import Organisation, OrganisationMention, Post, evolve

log = logging.getLogger(__name__)

if not Doc.has_extension("organisations"):
    Doc.set_extension("organisations", default=None)

# ---------------------------------------------------------------- vocabulary

def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Heads of names whose other words make the name specific even when they are only a nationality or
# "Labour": "Cambodian Labour Confederation", "Labour Court", "Belgian Embassy".
FORMAL_HEADS = _words(
    "Confederation Federation Congress Institute Institution Foundation Centre Center Council Court Ministry "
    "Department Embassy Consulate Commission Bank Fund University College School Academy Trust Society "
    "Association Corporation Company Authority Agency Bureau Secretariat Directorate Tribunal Inspectorate "
    "Administration Chamber Parliament Assembly Cooperative Co-operative Collective Guild Caucus "
    "Kendra Sangh Sangha Sangathan Sabha Samiti Samity Parishad Manch Morcha Jote Mahasangh Sangamaya Sangam "
    "Vakbond Vakverbond Vakcentrale Vakbeweging Beweging Stichting Ministerie Vereniging Federatie Confederatie "
    "Raad Hof Commissie Comité Organisatie Overheidsdienst Agentschap Rechtbank Ambassade Universiteit Hogeschool "
    "Instituut Centrum Fonds Partij Coalitie Alliantie Mutualiteit Ziekenfonds Koepel Parlement Netwerk "
    "Confédération Fédération Syndicat Centrale Mouvement Ministère Fondation Conseil Réseau Institut "
    "Confederación Federación Sindicato Central Movimiento Asociación Fundación Centro Consejo Ministerio "
    "Konfederasi Federasi Serikat Sarikat Kongres Aliansi Gabungan Persatuan Kesatuan Perkumpulan Yayasan "
    "Lembaga Jaringan Himpunan Dewan Kementerian Mahkamah Badan Universitas Partai "
    "Kilusan Kilusang Samahan Kalipunan Pederasyon Alyansa Katipunan Konfederasaun Sindikatu Partido Bangko "
    "Ombudsman"
)
# Heads that also make generic descriptors: a nationality does not turn "Belgian Trade Union" into a name.
INFORMAL_HEADS = _words(
    "Union Movement Network Alliance Coalition Committee Organisation Organization League Party Office Board "
    "Platform Group Club Mission"
)
HEADS = FORMAL_HEADS | INFORMAL_HEADS
# Dutch writes heads as compounds: "Arbeidsraad", "Planbureau", "Boudewijnstichting", "Vrouwenbeweging".
COMPOUND_HEAD = re.compile(
    r"^[A-Z][a-zà-ÿ]{2,}(?:raad|bureau|stichting|beweging|organisatie|vereniging|centrale|federatie|verbond|bond|"
    r"fonds|instituut|centrum|agentschap|commissie|partij|netwerk|koepel|universiteit|hogeschool|ministerie|"
    r"mutualiteit|vakbond)$"
)

COMPOUND_TYPES = {"ministerie": "government", "agentschap": "government", "universiteit": "school",
                  "hogeschool": "school", "instituut": "school", "federatie": "union_federation",
                  "centrale": "union_federation", "verbond": "union_federation", "vakbond": "trade_union",
                  "bond": "trade_union", "netwerk": "network", "koepel": "network", "stichting": "ngo",
                  "beweging": "ngo", "vereniging": "ngo", "organisatie": "ngo", "mutualiteit": "ngo",
                  "centrum": "ngo", "partij": "other", "raad": "other", "commissie": "other", "bureau": "other",
                  "fonds": "other"}


def is_head(word: str) -> bool:
    """An organisation noun: Union, Ministry, Kendra, Vakbond, or a Dutch compound such as Arbeidsraad."""
    return word in HEADS or bool(COMPOUND_HEAD.match(word))


PEOPLE = _words("Workers Workers' Women Employees Vendors Drivers Migrants Youth Farmers Fishers Peasants Teachers "
                "Nurses Journalists Arbeiders Werknemers Travailleurs Trabajadores Buruh Pekerja Manggagawa")
COLLECTIVE = _words("United Unity Solidarity Young Christian Progressive Organized Organised Federated Associated "
                    "Democratic Independent Free Kristelijke Christelijke Verenigde Nagkakaisa")
# Heads that come first and are followed by the name without "of": "Stichting Max Havelaar",
# "Konfederasi Serikat Buruh Sejahtera Indonesia", "Confédération Libre des Travailleurs".
HEAD_INITIAL = _words(
    "Stichting Vereniging Overheidsdienst Agentschap Universiteit Hogeschool Konfederasi Federasi Serikat Sarikat "
    "Kongres Aliansi Gabungan Persatuan Kesatuan Perkumpulan Yayasan Lembaga Jaringan Himpunan Dewan Kementerian "
    "Mahkamah Badan Universitas Partai Kilusan Kilusang Samahan Kalipunan Pederasyon Alyansa Katipunan "
    "Konfederasaun Confédération Fédération Syndicat Centrale Mouvement Confederación Federación Sindicato "
    "Movimiento Asociación Fundación Partido Bangko"
)
# Words that never make a name specific on their own.
NEVER_DISTINCTIVE = _words(
    "National International Regional Global Continental Local Central Federal Provincial District Municipal "
    "State Executive Steering Organizing Organising Advisory Youth Young Women Women's Womens Woman General "
    "Joint Standing Technical Working Special New Independent Free Country Head Main Partner Member Sister "
    "Umbrella Civil Social Trade Trades Union Unions Asian Asia "
    "Pacific Asia-Pacific European Europe African Africa American Americas Latin Arab World South North East "
    "West Southeast South-East Eastern Western Northern Southern Relevant Concerned Respective Various Other "
    "Several Different Major Big Large Small Many Some All Each Every Both Own Same First Second Third Last "
    "Next Former Current Our Their This That These Those Its His Her The A An Network Federation Confederation "
    "Organisation Organization Association Council Committee Movement Alliance Coalition Group Ministry "
    "Nationale Internationale Regionale Europese Aziatische Lokale Algemene Nieuwe Grote Onze"
)
# Nationalities and "Labour" make a name only with a formal head.
SOFT_GENERIC = frozenset(
    {w for names in COUNTRY_NAMES.values() for n in names for w in n.split()}
    | _words("Labour Labor Labour's Christian Catholic Muslim Buddhist Hindu Progressive Democratic United Worker "
             "Workers Workers' Employee Employees")
)
# Nationality adjectives (not country names): "the Mongolian Ministry of Labour" is the Ministry of Labour.
DEMONYMS = frozenset(n for names in COUNTRY_NAMES.values() for n in names[1:] if " " not in n) - frozenset(
    names[0] for names in COUNTRY_NAMES.values())
GOVERNMENT_HEADS = _words("Ministry Ministerie Ministère Ministerio Department Directorate Kementerian")
# Event, instrument, law, programme and prize words: a phrase containing one is not an organisation.
NOT_ORG_WORDS = _words(
    "Conference Conferences Day Days Summit Forum Declaration Convention Conventions Recommendation Protocol "
    "Strategy Programme Programmes Program Law Laws Act Bill Code Award Awards Prize Week Year Pact Accelerator "
    "Agenda Plan Policy Decade Report Session Meeting Meetings Workshop Webinar Seminar Festival "
    "Statement Charter Framework Initiative Project Campaign Goals Goal Principle Principles Roadmap "
    "Compact Index Budget Scheme Floor Floors Guidelines Treaty Agreement "
    "Accord Directive Regulation Resolution Amendment Ordinance Decree Fair Expo Exhibition Tour "
    "March Rally Strike Congres Dag Wet Verdrag Campagne Conferentie Top Verklaring Plan Beleid Decreet "
    "Crisis Pandemic Disaster Collapse Fire Plaza Road Street Avenue Hall Hotel Building Tower Zone Zones Park"
)
# Events: a phrase with one of these is not an organisation, wherever the word stands.
EVENT_WORDS = _words(
    "Conference Conferences Day Days Summit Forum Meeting Meetings Workshop Webinar Seminar Festival Session "
    "Week Decade Expo Exhibition Tour Rally Strike Award Awards Prize Congres Dag Conferentie Top"
)
# After a known organisation, these turn "ILO Convention", "UN Global Accelerator" into something else.
SUPPRESS_AFTER_KB = frozenset(w.casefold() for w in _words(
    "Convention Conventions Declaration Recommendation Recommendations Protocol Conference Forum Summit "
    "Accelerator Day Pact Decade Week Award Awards Prize Verdrag Verdragen Conventie Conventies Aanbeveling "
    "Verklaring Conferentie Top Dag Forum"
))
# After an unknown acronym these say it names a thing, not an actor: "the ASEM summit", "the EIS pilot",
# "SDG targets", "the RMG sector", "LDC status".
EVENT_NOUNS = _words(
    "summit conference forum meeting meetings session declaration convention congress festival week day award "
    "programme program project scheme law act pilot initiative policy strategy framework plan card benefit "
    "benefits coverage contributions package standard standards target targets goal goals indicator indicators "
    "sector sectors status zone zones index model approach fund top conferentie verdrag wet regeling sector"
)
# Multi-word phrases that look like names but are not organisations.
NOT_ORG_PHRASES = frozenset(normalise_name(p) for p in (
    "Freedom of Association", "Civil Society", "Soviet Union", "West Bank", "Rana Plaza", "Global South",
    "Global North", "Pentagonal Strategy", "Job Creation Law", "Omnibus Law", "Trade Union Act",
    "Social Security Law", "Labour Law", "Labour Code", "Supply Chain", "Working Group", "Task Force",
    "Round Table", "Focus Group", "Steering Group", "Private Sector", "Public Sector", "General Assembly",
    "Annual General Assembly", "Human Rights Day",
))
ROLE_WORDS = _words(
    "President Vice Vice-President Secretary Secretary-General Deputy Chair Chairperson Chairman Chairwoman "
    "Director Director-General Coordinator Co-ordinator Officer Head Leader Leaders Member Members "
    "Representative Representatives Minister Ministers Spokesperson Staff Advisor Adviser Consultant Founder "
    "Chief Commissioner Ambassador Judge Mayor Governor Senator Professor Prof Dr Mr Mrs Ms Miss Sister Brother "
    "Father Bishop Comrade Voorzitter Secretaris Minister Directeur Dhr Mevr Mme Madame Monsieur Sri Smt Shri"
)
LEAD_TRIM = frozenset(w.casefold() for w in _words(
    "Today Yesterday Tomorrow Meanwhile Recently Currently Last Next Also However Moreover Furthermore "
    "Additionally Finally Dear Congratulations Thanks Welcome Join Meet Read Watch Sign Support According "
    "January February March April May June July August September October November December Monday Tuesday "
    "Wednesday Thursday Friday Saturday Sunday Vandaag Gisteren Morgen Ook Lees Teken Steun Both Several"
)) | frozenset(EN_STOP) | frozenset(NL_STOP)
TITLE_BEFORE = re.compile(r"\b(?:Mr|Mrs|Ms|Miss|Dr|Prof|Sir|Dhr|Mevr|Mme|Sister|Brother|Fr|Father)\.?\s*$")
# Upper-case tokens that are not organisations: units, currencies, country codes, titles, emphasis, and the
# field's jargon (programmes, instruments, categories of workers).
NOT_ACRONYMS = _words(
    """AM PM TV OK ID IT HR PR FAQ PDF URL TBC TBA NA NB PS RSVP ASAP FYI DIY CEO CFO COO CTO HQ GMT UTC ETA DOB
    CV BA MA MBA MSC PHD LLB LLM MP MPS VIP QA ICT IOT SMS MMS GPS DNA USB DVD RAM WIFI LAN WWW HTTP HTML API APP
    USD EUR GBP JPY CNY RMB CHF AUD CAD SGD HKD KRW BDT NPR INR PKR LKR KHR IDR PHP MYR THB VND MMK LAK BTN MVR
    TWD MNT USA UAE BGD KHM NPL PHL IDN IND PAK LKA VNM THA MYS MMR LAO CHN JPN KOR TWN HKG SGP BEL NLD FRA DEU
    GBR HIV AIDS COVID SARS MERS NCD NCDS UHC PHC OOP WASH SRHR MCH MNCH IMR ECD ECCD ECE ICU OPD SDG SDGS MDG
    LDC LMIC MIC ODA FDI GDP GNP GNI PPP HDI NGO INGO CSO CBO FBO NPO TUS MSME MSMES SME SMES MSE CSR HRDD ESG
    KPI MOU MOA MOUS TOR TOT EIS EII FGD KII MEL IEC BCC CBA FOA FACB OSH OHS EHS PPE RMG EPZ SEZ FTZ GSP EBA FTA RCEP
    CPTPP TPP BRI IFI MDB DFI NAP NDC COP UNGP UNGPS CEDAW CRC CRPD ICESCR ICCPR UDHR UPR SPF USP UBI CCT UCT
    NSPS NSPPF NSPF DWCP DWA GBV VAW VAWG SGBV OFW MDW HBW PWD LGBT LGBTQ LGBTI LGBTQI LGBTIQ SOGIE SOGI IDP BPO
    KPO GVC OEM ODM TVET VET STEM RPL NQF ILS ILC ISO ETF EPF CPF ESI TFR JKN KIS PKH BLT BSU KUR MGNREGA
    MGNREGS NREGA NREGS PMJAY RSBY PMSYM PDS ICDS NFSA BOCW IDPOOR CFW NCR GHG CO KM KG KWH MWH ASPAC APAC MENA
    LAC SSA EAP ECA SEA AD BC BCE CE EST CET CEST IST MR MRS MS DR PROF ST FB IG YT WA RT DM FM CCTV SIM QR IVR
    VAT GST PIT CIT IPO ROI OT HRM HRD SWOT PESTLE TOC LFA LMC EEZ AGM EGM GA BTW KMO VZW ASBL NV BV
    CVBA LTD INC PLC PVT DIY CSOS NGOS INGOS CBOS LDCS MDGS KPIS CBAS FGDS KIIS OFWS MDWS PWDS IDPS
    NOTE READ MORE NEWS UPDATE PRESS RELEASE BREAKING URGENT STATEMENT JOIN STOP FREE LIVE DAY WEEK YEAR
    ANNUAL REPORT HELP SAVE LIFE WORK WORKERS RIGHTS LABOUR LABOR UNION UNIONS SOCIAL PROTECTION JUSTICE
    DECENT FAIR WAGE WAGES JOBS PEOPLE WOMEN YOUTH CHILD CHILDREN MIGRANT MIGRANTS DOMESTIC HEALTH SAFETY
    DIGNITY SOLIDARITY PEACE ACTION ACT CALL DEMAND POWER VOICE TOGETHER NEVER AGAIN GOOD GREAT BIG SMALL
    NEW NOW YES ALL END WHY HOW WHAT WHEN WHERE OPROEP ACTIE NIEUWS NIEUW PETITIE TEKEN OOK NIET"""
)
# Classifier nouns followed by a name: the name is the organisation ("Reclamebureau Boondoggle").
NL_CLASSIFIER = re.compile(
    r"(?:(?<=[.!?]\s)|(?<=^)|(?<=\n)|(?<=\s))(?:[A-Za-z]*?(?:reclamebureau|adviesbureau|bureau|bedrijf|merk|keten|"
    r"krant|dagblad|weekblad|omroep|zender|vakbond|vakcentrale|ngo|ziekenfonds|mutualiteit|koepel|producent|"
    r"fabrikant|multinational|webshop|uitgeverij|vzw|organisatie|vereniging|beweging|netwerk|federatie|"
    r"stichting|discounter|supermarkt|fabriek))\s+"
    r"(?P<name>[A-Z][\w&'’-]*(?:\s+[A-Z][\w&'’-]*){0,2})",
)
EN_CLASSIFIER = re.compile(
    r"(?<![\w-])(?:brand|retailer|company|firm|manufacturer|supplier|multinational|newspaper|broadcaster|"
    r"magazine|charity|NGO|ngo|agency|platform|app|giant|chain|union|federation|confederation|network|"
    r"discounter|supermarket|factory|label|producer|daily)\s+"
    r"(?P<name>[A-Z][\w&'’-]*(?:\s+[A-Z][\w&'’-]*){0,2})"
)

CAP_WORD = r"[A-ZÀ-ÖØ-Þ][\w&-]*(?<!-)(?:['’]s\b|(?<=s)['’](?!\w))?"
# Title-case titles capitalise connectors too ("Statement Of The Cambodian Labour Confederation").
CONNECTOR = (r"(?:[Oo]f|[Ff]or|[Aa]nd|[Oo]n|[Tt]he|[Tt]o|[Vv]an|[Vv]oor|en|[Dd]e|der|des|du|[Hh]et|la|le|l'|ng|mga|&|"
             r"pour|et|para|del|y|dan|di)")
RUN = re.compile(rf"{CAP_WORD}(?:(?:[ \t]+|[ \t]*,[ \t]*)(?:{CONNECTOR}[ \t]+)*{CAP_WORD})*")
CAP_WORDS = re.compile(CAP_WORD)
RUN_TOKEN = re.compile(rf"(?P<c>(?<!\w){CONNECTOR}(?![\w'’-]))|(?P<w>{CAP_WORD})|(?P<comma>,)")
EXTEND = _words("of for on van voor de du des der ng mga pour para del di to")
ARTICLES = _words("the de het la le l' des du")
AND = _words("and & en et y dan")
ACRONYM_TOKEN = re.compile(r"(?<![\w&@#/.’'!-])([A-Z][A-Z&]*(?:-[A-Z&]+)*[A-Z])(?![\w@&’'!]|-\w|\.\w)")
PAREN_ACRONYM = re.compile(r"\(\s*([A-Z][A-Za-z0-9&!./-]*[A-Za-z0-9!])\s*\)")
ACRONYM_THEN_PAREN = re.compile(r"(?<![\w-])([A-Z][A-Za-z0-9&!/-]*[A-Z0-9!])\s*\(\s*([A-Z][^()\n]{2,160}?)\s*\)")
WORD_BEFORE = re.compile(r"[\w&'’!.-]+")
SENTINEL = "\x00"
LETTER = re.compile(r"[^\W\d_]")
UPPER = re.compile(r"[A-ZÀ-ÖØ-Þ]")
# Blog HTML leaves no-break and narrow spaces ("INSP!R\u202fAsia") and non-breaking hyphens; rules and
# matchers see plain ones (one character for one, so offsets stay those of the doc).
PLAIN = str.maketrans({**{c: " " for c in "\xa0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009"
                                          "\u200a\u202f\u205f\u3000"}, "\u2010": "-", "\u2011": "-"})
MAX_LONG_WORDS = 14


def sorted_by_length(words: Iterable[str]) -> list[str]:
    """Longest first, so that regex alternations prefer the longest form."""
    return sorted(set(words), key=lambda w: (-len(w), w))


# ---------------------------------------------------------------- small helpers

@dataclass(frozen=True)
class Candidate:
    """A recognised span of the doc with the entity key it resolves to."""

    start: int
    end: int
    key: str
    acronym: bool


def unknown_key(name: str) -> str:
    """Entity id of an organisation the knowledge base does not know: 'x-' + slug of its name."""
    return "x-" + (re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-") or "unnamed")


def acronym_letters(acronym: str) -> str:
    """The letters and digits of an acronym, lower-cased, without a plural 's' (SDGs -> sdg)."""
    a = acronym[:-1] if len(acronym) > 2 and acronym.endswith("s") and acronym[:-1].isupper() else acronym
    return "".join(c for c in a.casefold() if c.isalnum())


def abbreviates(acronym: str, long_form: str) -> bool:
    """Schwartz-Hearst test: the acronym's characters occur in order in the long form, the first at a word start."""
    s = acronym_letters(acronym)
    if len(s) < 2:
        return False
    lf = long_form.casefold()
    if not lf or lf[0] != s[0]:
        return False
    si, li = len(s) - 1, len(lf) - 1
    while si >= 0:
        c = s[si]
        while li >= 0 and (lf[li] != c or (si == 0 and li > 0 and lf[li - 1].isalnum())):
            li -= 1
        if li < 0:
            return False
        li -= 1
        si -= 1
    return True


def is_plural_acronym(token: str) -> bool:
    """'CSOs', 'SDGs': an acronym in the plural names a category, not an organisation."""
    return len(token) > 2 and token.endswith("s") and token[:-1].isupper()


def has_head(words: list[str]) -> bool:
    """Does a capitalised long form contain an organisation noun in a head position?"""
    for i, w in enumerate(words):
        if is_head(w) and (i == len(words) - 1 or words[i + 1] in EXTEND or w in HEAD_INITIAL or i == 0):
            return True
    return False


def looks_like_org_name(long_form: str) -> bool:
    """A long form that names an organisation: capitalised, headed by an organisation noun, not an event or law.

    Movements named after their members count too when a collective word says so: "United Domestic Workers
    of the Philippines", "International Young Christian Workers" (not "Migrant Domestic Workers").
    """
    words = [w.strip(",") for w in long_form.split()]
    if not words or not words[0][:1].isupper():
        return False
    first_head = next((i for i, w in enumerate(words) if is_head(w)), len(words))
    if (words[-1] in NOT_ORG_WORDS or any(w in NOT_ORG_WORDS for w in words[:first_head])
            or any(w in EVENT_WORDS for w in words) or normalise_name(long_form) in NOT_ORG_PHRASES):
        return False
    if has_head(words):
        return True
    content = [w for w in words if w not in EXTEND and w not in AND and w.casefold() not in ARTICLES]
    return (len(content) >= 3 and any(w in PEOPLE for w in content) and any(w in COLLECTIVE for w in content)
            and all(w[:1].isupper() for w in content))


def in_caps_line(text: str, pos: int) -> bool:
    """Inside a heading written in capitals every word looks like an acronym."""
    ls = text.rfind("\n", 0, pos) + 1
    le = text.find("\n", pos)
    line = text[ls:le if le >= 0 else len(text)]
    letters = len(LETTER.findall(line))
    return letters > 12 and len(UPPER.findall(line)) / letters > 0.75


@lru_cache(maxsize=4096)
def guess_type(name: str) -> str | None:
    """Type of an organisation outside the knowledge base, from its head noun."""
    words = set(re.findall(r"[\w-]+", name))
    for w in words:
        if COMPOUND_HEAD.match(w):
            return next(kind for suffix, kind in COMPOUND_TYPES.items() if w.endswith(suffix))
    for heads, kind in (
        ("Ministry Ministerie Ministère Ministerio Department Court Embassy Consulate Tribunal Parliament "
         "Inspectorate Directorate Administration Authority Kementerian Mahkamah Badan Overheidsdienst Rechtbank "
         "Ambassade Parlement", "government"),
        ("University College School Academy Universiteit Hogeschool Universitas Institute", "school"),
        ("Confederation Federation Congress Konfederasi Federasi Kongres Confédération Fédération Mahasangh "
         "Vakcentrale Federatie Confederatie Confederación Federación Konfederasaun", "union_federation"),
        ("Union Serikat Sarikat Syndicat Sindicato Vakbond Vakverbond Sindikatu", "trade_union"),
        ("Network Alliance Coalition Netwerk Jaringan Aliansi Platform Koepel Alliantie Coalitie Réseau",
         "network"),
        ("Company Corporation Ltd Inc", "company"),
        ("Commission Council Committee Board Office Fund Agency Bureau Secretariat Assembly", "other"),
        ("Foundation Trust Society Centre Center Association Movement Kendra Stichting Vereniging Beweging "
         "Yayasan Perkumpulan Lembaga Fondation Fundación", "ngo"),
    ):
        if words & set(heads.split()):
            return kind
    return None


# Any country name at all: most names have none, and one search settles that.
ANY_COUNTRY = re.compile(r"(?<!\w)(?:" + "|".join(
    re.escape(n) for n in sorted({n for names in COUNTRY_NAMES.values() for n in names if len(n) > 3},
                                 key=lambda n: (-len(n), n))) + r")(?!\w)")


@lru_cache(maxsize=4096)
def guess_country(name: str) -> str | None:
    """Country of an organisation outside the knowledge base, when its name says it ("Nepal ...", "Cambodian ...")."""
    if ANY_COUNTRY.search(name) is None:
        return None
    for code, names in COUNTRY_NAMES.items():
        for n in names:
            if len(n) > 3 and re.search(rf"(?<!\w){re.escape(n)}(?!\w)", name):
                return code
    return None


# ---------------------------------------------------------------- knowledge base matching

class KBMatcher:
    """PhraseMatchers over the knowledge base, built once per pipeline (vocabulary) and reused for every doc."""

    def __init__(self, nlp: Language, kb: KnowledgeBase) -> None:
        self.kb = kb
        # Dutch spaCy keeps "WSM-partners" and "WSM's" as one token; matching runs on English tokens
        # (which split hyphens and clitics) so every language sees the same forms.
        self.same_tokens = nlp.lang == "en"
        if self.same_tokens:
            self.tokenizer = nlp.tokenizer
            make = nlp.make_doc
        else:
            en = spacy.blank("en").tokenizer
            self.tokenizer = Tokenizer(nlp.vocab, rules=en.rules, prefix_search=en.prefix_search,
                                       suffix_search=en.suffix_search, infix_finditer=en.infix_finditer,
                                       token_match=en.token_match, url_match=en.url_match)
            make = self.tokenizer
        self.exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.labels: dict[int, tuple[str, ...]] = {}
        exact: dict[str, list[Doc]] = {}
        lower: dict[str, list[Doc]] = {}
        for form, ids in self._forms():
            label = "kb:" + "|".join(ids)
            pattern = make(form)
            words = [t.text for t in pattern if not t.is_punct]
            (exact if is_acronym(form) or not self._any_case(words) else lower).setdefault(label, []).append(pattern)
            if not is_acronym(form) and len(words) == 1 and len(form) >= 5 and form != form.upper():
                exact.setdefault(label, []).append(make(form.upper()))
        for table, matcher in ((exact, self.exact), (lower, self.lower)):
            for label, docs in table.items():
                matcher.add(label, docs)
                self.labels[nlp.vocab.strings[label]] = tuple(label[3:].split("|"))
        self.context = {e.id: self._context_patterns(e) for e in kb if e.ambiguous or e.shared}
        # Per entry with ambiguous forms: those matched as written, and the case-folded ones matched in any case.
        self.ambiguous = {e.id: (e.ambiguous, frozenset(a.casefold() for a in e.ambiguous if not is_acronym(a)))
                          for e in kb if e.ambiguous}

    def _forms(self) -> list[tuple[str, tuple[str, ...]]]:
        owners: dict[str, list[str]] = {}
        for e in self.kb:
            for form in e.surfaces():
                variants = [form]
                for article, lower_article in (("The ", "the "), ("De ", "de "), ("Het ", "het ")):
                    if form.startswith(article):
                        variants.append(lower_article + form[len(article):])
                for v in variants:
                    ids = owners.setdefault(v, [])
                    if e.id not in ids:
                        ids.append(e.id)
        return [(form, tuple(ids)) for form, ids in owners.items()]

    @staticmethod
    def _any_case(words: list[str]) -> bool:
        # Lower-cased, short names are ordinary phrases ("social protection for all"); only names of three
        # words or more with an organisation noun are matched in any case.
        return (len(words) >= 3 and any(w in HEADS for w in words)) or len(words) >= 6

    @staticmethod
    def _context_patterns(entry: KBEntry) -> tuple[re.Pattern[str] | None, re.Pattern[str] | None]:
        terms = entry.context_terms()
        exact = [t for t in terms if is_acronym(t)]
        loose = [t for t in terms if not is_acronym(t)]
        exact_rx = re.compile("|".join(rf"(?<![\w-]){re.escape(t)}(?![\w])" for t in sorted_by_length(exact))) \
            if exact else None
        loose_rx = re.compile("|".join(rf"(?<!\w){re.escape(t)}" for t in sorted_by_length(loose)), re.IGNORECASE) \
            if loose else None
        return exact_rx, loose_rx

    def context_hits(self, entry_id: str, text: str, start: int, end: int, limit: int = 1000) -> int:
        """How many context terms of the entry occur in the text outside [start, end), counting up to `limit`."""
        hits = 0
        for rx in self.context.get(entry_id, (None, None)):
            if rx is None:
                continue
            for m in rx.finditer(text):
                if m.end() <= start or m.start() >= end:
                    hits += 1
                    if hits >= limit:
                        return hits
        return hits

    def resolve(self, ids: tuple[str, ...], form: str, text: str, start: int, end: int) -> str | None:
        """The entry a matched form names here, or None when an ambiguous form lacks context."""
        best, best_hits = None, -1
        for entry_id in ids:
            forms = self.ambiguous.get(entry_id)
            ambiguous = forms is not None and (form in forms[0] or form.casefold() in forms[1])
            if ambiguous and in_caps_line(text, start):
                continue
            hits = (self.context_hits(entry_id, text, start, end, limit=1 if len(ids) == 1 else 1000)
                    if ambiguous or len(ids) > 1 else 0)
            if ambiguous and hits == 0:
                continue
            if hits > best_hits:
                best, best_hits = entry_id, hits
        return best

    def find(self, doc: Doc, text: str, doc_text: str) -> tuple[list[Candidate], list[tuple[int, int]]]:
        """Knowledge-base mentions (longest first where they overlap) and the spans of suppressed ones.

        `text` is the doc's text (`doc_text`) with plain spaces and hyphens, of the same length.
        """
        mdoc = doc if self.same_tokens and text == doc_text else self.tokenizer(text)
        raw = []
        for matcher in (self.exact, self.lower):
            for match_id, s, e in matcher(mdoc):
                raw.append((mdoc[s].idx, mdoc[e - 1].idx + len(mdoc[e - 1]), match_id, e))
        raw.sort(key=lambda x: (x[0], -(x[1] - x[0])))
        out: list[Candidate] = []
        blocked: list[tuple[int, int]] = []
        last_end = -1
        for s, e, match_id, tok_end in raw:
            if s < last_end:
                continue
            form = text[s:e]
            entry_id = self.resolve(self.labels[match_id], form, text, s, e)
            if entry_id is None:
                continue
            acronym = is_acronym(form)
            if acronym and self._inside_compound(text, s, e):
                continue
            last_end = e
            if self._modifies_event(mdoc, tok_end):
                blocked.append((s, e))
                continue
            out.append(Candidate(s, e, entry_id, acronym))
        return out, blocked

    def _inside_compound(self, text: str, s: int, e: int) -> bool:
        """Is the acronym one part of a hyphenated acronym whose other part is unknown ("PAMANTIK-KMU")?"""
        if text[e:e + 1] != "-" and text[s - 1:s] != "-" and text[s - 2:s] != "-\n":
            return False  # no hyphen for either pattern to start from ('$' also matches before a final newline)
        before = re.search(r"([A-Z][A-Z0-9&]+)-$", text[max(0, s - 16):s])
        after = re.match(r"-([A-Z][A-Z0-9&]+)(?![\w-])", text[e:e + 16])
        return any(m is not None and not self.kb.lookup(m.group(1)) for m in (before, after))

    @staticmethod
    def _modifies_event(mdoc: Doc, i: int) -> bool:
        """Is the match at token i the modifier of an instrument or event ("ILO Convention", "IAO-verdrag")?"""
        if i < len(mdoc) and mdoc[i].text == "-" and i + 1 < len(mdoc):
            return mdoc[i + 1].lower_ in SUPPRESS_AFTER_KB
        for j in range(i, min(i + 6, len(mdoc))):  # indexing, as a slice builds a Span first
            tok = mdoc[j]
            if tok.lower_ in SUPPRESS_AFTER_KB and tok.text[:1].isupper():
                return True
            if not (tok.text[:1].isupper() or tok.lower_ in ("'s", "’s", "of", "on", "for", "the")):
                return False
        return False


# ---------------------------------------------------------------- rules for organisations outside the knowledge base

@dataclass
class DocState:
    """What the rules learn about one doc: spans taken, acronyms defined (as organisations or not)."""

    text: str
    taken: list[tuple[int, int]]
    acronyms: dict[str, str]
    not_org: set[str]
    found: list[Candidate]

    def free(self, s: int, e: int) -> bool:
        """True when no recognised span overlaps [s, e)."""
        return not any(s < te and ts < e for ts, te in self.taken)

    def add(self, c: Candidate) -> None:
        """Record a mention."""
        self.found.append(c)
        self.taken.append((c.start, c.end))

    def kb_at(self, s: int, e: int) -> Candidate | None:
        """The knowledge-base mention covering [s, e), if any."""
        return next((c for c in self.found if c.start <= s and e <= c.end and not c.key.startswith("x-")), None)


def long_form_before(text: str, paren: int, acronym: str) -> tuple[int, int] | None:
    """The shortest run of words ending before the parenthesis that the acronym abbreviates."""
    window_start = max(0, paren - 240)
    window = text[window_start:paren]
    cut = max(window.rfind(ch) for ch in ".;:!?()\n\"“”")
    words = list(WORD_BEFORE.finditer(window, cut + 1))
    letters = acronym_letters(acronym)
    if len(letters) < 2:
        return None  # nothing abbreviates a single letter
    for k in range(1, min(len(words), MAX_LONG_WORDS, len(letters) + 6) + 1):
        first = words[-k]
        if first.group().casefold() in ("of", "for", "and", "the", "on", "van", "voor", "en", "de", "het"):
            continue
        if first.group()[:1].casefold()[:1] != letters[0]:
            continue  # the long form starts with the acronym's first letter (abbreviates' own first test)
        s, e = window_start + first.start(), window_start + words[-1].end()
        if abbreviates(acronym, text[s:e]):
            return s, e
    return None


def find_definitions(state: DocState) -> list[tuple[int, int, str]]:
    """Acronym definitions both ways; returns unexplained '(ACR)' parentheses for the later rules."""
    text = state.text
    leftovers: list[tuple[int, int, str]] = []
    for m in PAREN_ACRONYM.finditer(text):
        acr, (a_s, a_e) = m.group(1), m.span(1)
        if not _acronym_shaped(acr):
            continue
        span = long_form_before(text, m.start(), acr)
        if span is None:
            leftovers.append((a_s, a_e, acr))
            continue
        _define(state, acr, a_s, a_e, *span)
    for m in ACRONYM_THEN_PAREN.finditer(text):
        acr, (a_s, a_e) = m.group(1), m.span(1)
        inner = m.group(2).rstrip(" ,;")
        if not _acronym_shaped(acr) or "(" in inner:
            continue
        l_s = m.start(2)
        l_e = l_s + len(inner)
        first = inner.split()[0]
        if first in ROLE_WORDS or first.casefold() in LEAD_TRIM:
            continue  # "KSBSI (President of ...)", "ILO (the ...)": not a definition
        if abbreviates(acr, inner) or looks_like_org_name(inner):
            _define(state, acr, a_s, a_e, l_s, l_e)
    return leftovers


def _acronym_shaped(token: str) -> bool:
    letters = [c for c in token if c.isalpha()]
    upper = sum(c.isupper() for c in letters)
    return upper >= 2 and upper * 2 >= len(letters) and len(token) <= 15


def _define(state: DocState, acr: str, a_s: int, a_e: int, l_s: int, l_e: int) -> None:
    text = state.text
    long_form = text[l_s:l_e]
    kb_long = state.kb_at(l_s, l_e) or next(
        (c for c in state.found if l_s <= c.start and c.end == l_e and not c.key.startswith("x-")
         and not c.acronym), None)
    kb_acr = state.kb_at(a_s, a_e)
    if is_plural_acronym(acr) and kb_acr is None:
        state.not_org.add(acr)
        return
    if kb_acr is not None and kb_long is None and not looks_like_org_name(long_form):
        return  # "Rosa Cruz (RC)": the known acronym stands alone, the words before it are not its name
    if kb_long is not None or kb_acr is not None:
        key = (kb_acr or kb_long).key  # type: ignore[union-attr]
    elif looks_like_org_name(long_form):
        key = unknown_key(long_form)
    else:
        if kb_acr is None:
            state.not_org.add(acr)  # "Least Developed Country (LDC)": defined, but not an organisation
        return
    state.acronyms.setdefault(acr, key)
    if kb_long is None and state.free(l_s, l_e):
        state.add(Candidate(l_s, l_e, key, False))
    if kb_acr is None and state.free(a_s, a_e):
        state.add(Candidate(a_s, a_e, key, True))


def _masked(state: DocState) -> str:
    """The doc's text with every recognised span blanked out by SENTINEL characters (same offsets)."""
    # Cut and joined by slices: a list of every character of the text cost more than the spans are worth.
    text = state.text
    parts = []
    pos = 0
    for s, e in sorted(state.taken):
        s, e = max(s, pos), min(e, len(text))
        if s < e:
            parts.append(text[pos:s])
            parts.append(SENTINEL * (e - s))
            pos = e
    parts.append(text[pos:])
    return "".join(parts)


def find_phrases(state: DocState) -> None:
    """Capitalised phrases headed by an organisation noun, outside the spans already recognised."""
    masked = _masked(state)
    for run in RUN.finditer(masked):
        # Most runs are a name or a sentence's first word: without an organisation noun there is no phrase.
        if not any(w in HEAD_INITIAL or is_head(w) for w in CAP_WORDS.findall(run.group())):
            continue
        tokens = [(t.lastgroup, t.group(), run.start() + t.start(), run.start() + t.end())
                  for t in RUN_TOKEN.finditer(run.group())]
        for s, e, head, complement in _phrases_in_run(tokens):
            phrase = state.text[s:e]
            if state.free(s, e) and _is_name(phrase, state.text, s, e, masked, head, complement):
                state.add(Candidate(s, e, unknown_key(phrase), False))


def _chunks(tokens: list[tuple[str | None, str, int, int]]) -> list[tuple[list[str], list[tuple[str, int, int]]]]:
    """Group a run into chunks of capitalised words, each with the connectors that precede it."""
    chunks: list[tuple[list[str], list[tuple[str, int, int]]]] = []
    links: list[str] = []
    for kind, tok, s, e in tokens:
        if kind == "w":
            if chunks and not links:
                chunks[-1][1].append((tok, s, e))
            else:
                chunks.append((links, [(tok, s, e)]))
                links = []
        else:
            links.append(tok.casefold())
    return chunks


def _head_chunk(words: list[tuple[str, int, int]]) -> int | None:
    """Index of the first word of the organisation name in a chunk that carries a head, or None."""
    texts = [w for w, _, _ in words]
    start = 0
    while start < len(texts) - 1 and (texts[start].casefold() in LEAD_TRIM or texts[start] in ROLE_WORDS
                                      or _possessive_of_place(texts[start])):
        start += 1
    if is_head(texts[-1]) or (len(texts) > 1 and texts[-1] == "General" and is_head(texts[-2])):
        # "Directorate General of Health Services", "Consulate General of the Philippines"
        return start
    if any(w in HEAD_INITIAL for w in texts[start:]):
        return start
    return None


def _possessive_of_place(word: str) -> bool:
    stem = re.sub(r"['’]s$", "", word)
    return stem != word and (stem in SOFT_GENERIC or stem in NEVER_DISTINCTIVE)


def _phrases_in_run(tokens: list[tuple[str | None, str, int, int]]) -> list[tuple[int, int, str, bool]]:
    """Organisation-headed phrases of a run: (start, end, head word, has an 'of' complement)."""
    chunks = _chunks(tokens)
    out = []
    i = 0
    while i < len(chunks):
        words = chunks[i][1]
        first = _head_chunk(words)
        if first is None:
            i += 1
            continue
        start, end = words[first][1], words[-1][2]
        texts = [w for w, _, _ in words[first:]]
        if (texts[-1] in GOVERNMENT_HEADS and len(texts) > 1 and all(w in DEMONYMS for w in texts[:-1])
                and i + 1 < len(chunks) and chunks[i + 1][0][:1] and chunks[i + 1][0][0] in EXTEND):
            start = words[-1][1]  # "Mongolian Ministry of Labour": the name is "Ministry of Labour"
        j = i
        in_complement = False
        while j + 1 < len(chunks):
            links, nxt = chunks[j + 1]
            main = [x for x in links if x.casefold() not in ARTICLES or x in EXTEND]
            nxt_words = [w for w, _, _ in nxt]
            if (any(w in EVENT_WORDS for w in nxt_words) or nxt_words[-1] in NOT_ORG_WORDS
                    or all(w.casefold() in LEAD_TRIM for w in nxt_words)):
                break  # "... Federation On The Budget", "Ministry of Manpower on Tuesday"
            if "," in links:
                if not (in_complement and _head_chunk(nxt) is None and _and_follows(chunks, j + 2)):
                    break
            elif main and main[0] in EXTEND:
                in_complement = True
            elif main and main[0] in AND:
                if not in_complement or _head_chunk(nxt) is not None:
                    break
            elif not main and links and all(x.casefold() in ARTICLES for x in links):
                break
            else:
                break
            j += 1
            end = nxt[-1][2]
        texts = [w for w, _, _ in words[first:]]
        head = (texts[-1] if is_head(texts[-1]) else texts[-2] if texts[-1] == "General" and len(texts) > 1
                else next((w for w in texts if w in HEAD_INITIAL), texts[-1]))
        out.append((start, end, head, in_complement))
        i = j + 1
    return out


def _and_follows(chunks: list[tuple[list[str], list[tuple[str, int, int]]]], k: int) -> bool:
    for links, nxt in chunks[k:]:
        if "," in links:
            continue
        return bool(links) and links[0] in AND and _head_chunk(nxt) is None
    return False


def _is_name(phrase: str, text: str, s: int, e: int, masked: str, head: str, complement: bool) -> bool:
    """Is a capitalised phrase with an organisation head a name (not generic, an event, a person)?

    A generic descriptor has no distinctive word: "the Belgian Trade Union", "Continental Network",
    "Youth Committee". Nationalities, countries and "Labour"/"Workers" count as distinctive only with a
    formal head ("Cambodian Labour Confederation"), an "of" complement ("Women Workers Organisation of
    Nepal") or at least three modifiers.
    """
    words = re.findall(r"[\w&'’-]+", phrase)
    caps = [w for w in words if w[:1].isupper()]
    if len(caps) < 2 or len(caps) > MAX_LONG_WORDS:
        return False
    pre_head = caps[:caps.index(head)] if head in caps else caps
    # "Trade Union Law", "Budget Committee", "Summit Organising Committee" are not names; a topic inside the
    # complement is fine: "Centre for Policy Dialogue", "Committee on the Application of Standards".
    if caps[-1] in NOT_ORG_WORDS or any(w in NOT_ORG_WORDS for w in pre_head) or any(w in EVENT_WORDS for w in caps):
        return False
    if normalise_name(phrase) in NOT_ORG_PHRASES:
        return False
    if TITLE_BEFORE.search(text[max(0, s - 12):s]):
        return False
    if re.search(r"(?<![\w-])(?:a|an|een|any|every|each|no)\s+$", text[max(0, s - 6):s], re.IGNORECASE):
        return False  # "we demand a Global Social Protection Fund": not (yet) an organisation
    if re.match(r"[ \t]+" + SENTINEL, masked[e:e + 3]):
        return False  # descriptor in apposition: "the Belgian Trade Union ACV-CSC"
    if head == "Office" and re.search(SENTINEL + r"[ \t]+$", masked[max(0, s - 3):s]):
        return False  # an office of the organisation just named: "Friedrich-Ebert-Stiftung Office for ..."
    modifiers = list(caps)
    if head in modifiers:
        modifiers.remove(head)
    soft_ok = head in FORMAL_HEADS or complement or len(modifiers) >= 3
    distinctive = [w for w in modifiers if w not in NEVER_DISTINCTIVE
                   and (soft_ok or (w not in SOFT_GENERIC and re.sub(r"['’]s$", "", w) not in SOFT_GENERIC))]
    return bool(distinctive) or (head not in HEADS and is_head(head))  # "Federaal Planbureau"


def find_classified(state: DocState, lang: str) -> None:
    """A classifier noun followed by a name: "Reclamebureau Boondoggle", "the retailer Joe Fresh"."""
    masked = _masked(state)
    for rx in (NL_CLASSIFIER,) if lang == "nl" else (EN_CLASSIFIER,):
        for m in rx.finditer(masked):
            s, e = m.span("name")
            words = m.group("name").split()
            # Keep the name up to the first word that is not part of it.
            keep = []
            for w in words:
                if w.casefold() in LEAD_TRIM or w in ROLE_WORDS or SENTINEL in w or (not keep and (
                        w in NEVER_DISTINCTIVE or w in SOFT_GENERIC or w in HEADS or w in NOT_ORG_WORDS)):
                    break
                keep.append(w)
            if not keep:
                continue
            e = s + len(" ".join(keep))
            name = state.text[s:e]
            if m.start("name") > 0 and _sentence_start(state.text, m.start()) and lang == "en":
                continue
            if state.free(s, e) and not _continues_capitalised(masked, e):
                state.add(Candidate(s, e, unknown_key(name), False))


def _sentence_start(text: str, pos: int) -> bool:
    before = text[:pos].rstrip()
    return not before or before[-1] in ".!?:\n"


def _continues_capitalised(masked: str, e: int) -> bool:
    return bool(re.match(r"[ \t]+(?:of|for|van|voor)?[ \t]*[A-Z]", masked[e:e + 12]))


def find_acronyms(state: DocState, parens: list[tuple[int, int, str]], matcher: KBMatcher) -> None:
    """Defined acronyms anywhere in the doc, and unknown upper-case acronyms used as actors."""
    text = state.text
    paren_starts = {s for s, _, _ in parens}
    for m in ACRONYM_TOKEN.finditer(text):
        tok, (s, e) = m.group(1), m.span(1)
        if not state.free(s, e):
            continue
        if tok in state.acronyms:
            state.add(Candidate(s, e, state.acronyms[tok], True))
            continue
        ids = tuple(entry.id for entry in matcher.kb.lookup(tok))
        if ids:
            # A known acronym the phrase matcher missed because of tokenization ("WSM-", "ILO/UN").
            key = matcher.resolve(ids, tok, text, s, e)
            if key is not None:
                state.add(Candidate(s, e, key, True))
            continue
        letters = sum(c.isalpha() for c in tok)
        if tok in state.not_org or tok in NOT_ACRONYMS or tok.casefold() in EN_STOP or tok.casefold() in NL_STOP:
            continue
        if letters < (2 if s in paren_starts else 3) or re.fullmatch(r"[IVXLCDM]+", tok):
            continue
        if in_caps_line(text, s) or re.match(r"\s?\d", text[e:e + 2]) or _shouting(text, s, e):
            continue
        after = re.match(r"(?:[ \t]+(?:in|of|on|for|[A-Z][\w-]*)){0,3}[ \t]+([a-z]+)", text[e:e + 40])
        if after and after.group(1) in EVENT_NOUNS:
            continue  # "the ASEM summit", "the TRIANGLE in ASEAN programme": an event or programme
        state.acronyms[tok] = unknown_key(tok)
        state.add(Candidate(s, e, state.acronyms[tok], True))


def _shouting(text: str, s: int, e: int) -> bool:
    """Part of a run of capitalised words ("WE DEMAND DECENT WORK"), not an acronym used as a name."""
    before = re.search(r"([A-Z]{2,})[ \t]+$", text[max(0, s - 20):s])
    after = re.match(r"[ \t]+([A-Z]{2,})\b", text[e:e + 20])
    return any(m is not None and m.group(1) in NOT_ACRONYMS for m in (before, after))


def recognise(doc: Doc, doc_text: str, matcher: KBMatcher, lang: str) -> list[Candidate]:
    """All organisation mentions of a doc (whose text is `doc_text`), with their entity keys, in text order."""
    text = doc_text.translate(PLAIN)
    kb_found, blocked = matcher.find(doc, text, doc_text)
    state = DocState(text, [(c.start, c.end) for c in kb_found] + blocked, {}, set(), list(kb_found))
    parens = find_definitions(state)
    find_phrases(state)
    _merge_parenthesised(state)
    # An unexplained "(ACR)" right after an organisation phrase is that organisation's acronym.
    for s, e, acr in parens:
        prev = next((c for c in state.found if not c.acronym and 0 <= s - c.end <= 3
                     and state.text[c.end:s].strip() == "("), None)
        if prev is not None and state.free(s, e) and acr not in state.not_org:
            state.acronyms.setdefault(acr, prev.key)
            state.add(Candidate(s, e, prev.key, True))
    find_classified(state, lang)
    find_acronyms(state, parens, matcher)
    return sorted(state.found, key=lambda c: (c.start, c.end))


def _merge_parenthesised(state: DocState) -> None:
    """'X (Y)' where both are recognised names one organisation: "National Commission on Human Rights (Komnas HAM)"."""
    found = sorted(state.found, key=lambda c: (c.start, c.end))
    rekey: dict[str, str] = {}
    for x, y in zip(found, found[1:], strict=False):
        if not (re.fullmatch(r"\s*\(\s*", state.text[x.end:y.start]) and re.match(r"\s*\)", state.text[y.end:])):
            continue
        if x.key == y.key:
            continue
        if x.key.startswith("x-"):
            rekey[x.key] = y.key
        elif y.key.startswith("x-"):
            rekey[y.key] = x.key
    if rekey:
        state.found = [replace(c, key=rekey.get(c.key, c.key)) for c in state.found]
        state.acronyms = {a: rekey.get(k, k) for a, k in state.acronyms.items()}


class OrganisationsComponent:
    """spaCy component: sets ``doc._.organisations`` to OrganisationMention items (doc offsets)."""

    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name
        self.lang = nlp.lang if nlp.lang in ("en", "nl") else "en"
        self.matcher = KBMatcher(nlp, load_kb())

    def __call__(self, doc: Doc) -> Doc:
        # Doc.text joins the tokens on every access; the sentence helper caches it per doc for all extractors.
        text = _sentence_bounds(doc)[0]
        found = recognise(doc, text, self.matcher, self.lang)
        doc._.organisations = [
            OrganisationMention(text=text[c.start:c.end], start=c.start, end=c.end,
                                sentence=sentence_of(doc, c.start, c.end), language=self.lang, entity=c.key,
                                acronym=c.acronym)
            for c in found
        ]
        return doc


@Language.factory("organisations")
def make_organisations(nlp: Language, name: str) -> OrganisationsComponent:
    """Factory of the organisations component (reads nlp.lang; builds its matchers once)."""
    return OrganisationsComponent(nlp, name)


# ---------------------------------------------------------------- resolution per post

def sentence_around(text: str, start: int, end: int) -> str:
    """The sentence of the post text around [start, end) (for mentions found by finalize itself)."""
    s = max(text.rfind(p, 0, start) for p in (". ", "! ", "? ", "\n"))
    s = 0 if s < 0 else s + (1 if text[s] == "\n" else 2)
    stops = [i for i in (text.find(". ", end), text.find("! ", end), text.find("? ", end), text.find("\n", end))
             if i >= 0]
    e = min(stops) + 1 if stops else len(text)
    return text[s:e].strip()


def _rescan(post: Post, mentions: list[OrganisationMention]) -> list[OrganisationMention]:
    """Acronyms defined in one language segment are recognised in the others (and in the title) too."""
    defined = {m.text: m.entity for m in mentions if m.acronym and m.entity and m.entity.startswith("x-")}
    if not defined:
        return mentions
    rx = re.compile(r"(?<![\w&-])(" + "|".join(re.escape(a) for a in sorted_by_length(defined)) + r")(?![\w&]|-\w)")
    out = list(mentions)
    for fld in ("title", "text"):
        text = getattr(post, fld) or ""
        covered = [(m.start, m.end) for m in out if m.field == fld]
        for m in rx.finditer(text):
            if any(s < m.end() and m.start() < e for s, e in covered):
                continue
            out.append(OrganisationMention(text=m.group(1), start=m.start(), end=m.end(), field=fld,
                                           sentence=sentence_around(text, m.start(), m.end()),
                                           language=post.language or "en", entity=defined[m.group(1)],
                                           acronym=True))
            covered.append(m.span())
    return out


def _merge_keys(mentions: list[OrganisationMention], kb: KnowledgeBase) -> dict[str, str]:
    """Entity keys to rewrite: unknown acronyms into unknown long forms they abbreviate, umbrella into child."""
    remap: dict[str, str] = {}
    long_forms: dict[str, str] = {}
    for m in mentions:
        if not m.acronym and m.entity and m.entity.startswith("x-"):
            long_forms.setdefault(m.entity, m.text)
    acronym_only = {m.entity for m in mentions if m.entity and m.entity.startswith("x-")} - set(long_forms)
    for key in sorted(acronym_only):
        text = next(m.text for m in mentions if m.entity == key)
        target = next((k for k, lf in long_forms.items() if len(acronym_letters(text)) >= 3 and abbreviates(text, lf)
                       and _initials_cover(text, lf)), None)
        if target is not None:
            remap[key] = target
    present = [m.entity for m in mentions if m.entity]
    for key in dict.fromkeys(present):
        entry = kb.get(key)
        if entry is not None and entry.merge_into_child:
            child = next((k for k in dict.fromkeys(present) if (c := kb.get(k)) is not None and c.parent == key), None)
            if child is not None:
                remap[key] = child
    return remap


def _initials_cover(acronym: str, long_form: str) -> bool:
    """Without a definition, ask more than Schwartz-Hearst: most content words of the long form give a letter."""
    content = [w for w in re.findall(r"[\w'’-]+", long_form) if w.casefold() not in EXTEND | AND | ARTICLES]
    initials = "".join(w[0].casefold() for w in content)
    letters = acronym_letters(acronym)
    return len(content) >= 2 and (initials == letters or (len(initials) >= len(letters) - 1 and
                                                           initials[:2] == letters[:2]))


def finalize(post: Post, mentions: list[OrganisationMention]) -> dict[str, list[Organisation]]:
    """Merge a post's mentions into entities (acronyms, long forms, languages), linked to the knowledge base."""
    kb = load_kb()
    ms = _rescan(post, [m for m in mentions if m.entity])
    remap = _merge_keys(ms, kb)
    ms = sorted((evolve(m, entity=remap[m.entity]) if m.entity in remap else m for m in ms),
                key=lambda m: (m.field != "title", m.start, m.end))
    groups: dict[str, list[OrganisationMention]] = {}
    for m in ms:
        groups.setdefault(m.entity or unknown_key(m.text), []).append(m)
    return {"organisations": [_entity(key, group, kb) for key, group in groups.items()]}


def _plain(surface: str) -> str:
    """A surface form for names and aliases: no-break and narrow spaces and line breaks as single spaces."""
    return " ".join(surface.translate(PLAIN).split())


def _entity(key: str, group: list[OrganisationMention], kb: KnowledgeBase) -> Organisation:
    """One entity from its mentions: the name as the post writes it (longest long form), the first acronym used."""
    entry = kb.get(key)
    surfaces = [_plain(m.text) for m in group]
    longs = [s for s, m in zip(surfaces, group, strict=True) if not m.acronym]
    acrs = [s for s, m in zip(surfaces, group, strict=True) if m.acronym]
    aliases = list(dict.fromkeys(surfaces))
    if entry is not None:
        # Mentions of an umbrella read as this entry ("INSP!R network" in a post on INSP!R Asia) do not name it.
        own_longs = [s for s in longs if s.casefold() in entry.folded_surfaces]
        return Organisation(id=key, name=max(own_longs, key=len) if own_longs else entry.name,
                            acronym=acrs[0] if acrs else entry.acronym, canonical=entry.name, aliases=aliases,
                            type=entry.type, country=entry.country, kb=True, mentions=group)
    name = max(longs, key=len) if longs else acrs[0]
    return Organisation(id=key, name=name, acronym=acrs[0] if acrs else None, canonical=None, aliases=aliases,
                        type=guess_type(name) if longs else None, country=guess_country(name) if longs else None,
                        kb=False, mentions=group)


# ---------------------------------------------------------------- growing the knowledge base: orgs --unknown

@dataclass
class UnknownOrganisation:
    """A candidate organisation the knowledge base does not know, over the whole corpus."""

    name: str
    acronym: str | None
    mentions: int
    posts: int
    example: str


def snippet(sentence: str, surface: str, width: int = 160) -> str:
    """The sentence on one line, cut to about `width` characters around the first occurrence of `surface`."""
    s = " ".join(sentence.split())
    if len(s) <= width:
        return s
    at = max(s.find(surface), 0)
    start = max(0, min(at - width // 3, len(s) - width))
    return ("…" if start else "") + s[start:start + width].strip() + ("…" if start + width < len(s) else "")


def unknown_organisations(records: Iterable[dict[str, Any]], top: int | None = None) -> list[UnknownOrganisation]:
    """Organisations of the records that are not in the knowledge base, most mentioned first."""
    mentions: Counter[str] = Counter()
    posts: dict[str, set[str]] = {}
    names: dict[str, Counter[str]] = {}
    acronyms: dict[str, str] = {}
    examples: dict[str, str] = {}
    by_acronym: dict[str, str] = {}
    pending: list[tuple[str, dict[str, Any]]] = []
    for rec in records:
        for org in rec.get("organisations") or []:
            if org.get("kb"):
                continue
            pending.append((str(rec.get("id", "")), org))
            if org.get("acronym") and org.get("name") != org.get("acronym"):
                by_acronym.setdefault(org["acronym"], normalise_name(org["name"]))
    for post_id, org in pending:
        name = org.get("name") or org.get("acronym") or ""
        acr = org.get("acronym")
        # A bare acronym in one post and "Long Form (ACR)" in another are the same organisation.
        key = by_acronym.get(acr or "", normalise_name(name)) if acr and name == acr else normalise_name(name)
        if not key:
            continue
        n = len(org.get("mentions") or []) or 1
        mentions[key] += n
        posts.setdefault(key, set()).add(post_id)
        names.setdefault(key, Counter())[name] += n
        if acr:
            acronyms.setdefault(key, acr)
        if key not in examples and org.get("mentions"):
            first = org["mentions"][0]
            examples[key] = snippet(first.get("sentence") or "", first.get("text") or name)
    ranked = sorted(mentions, key=lambda k: (-mentions[k], -len(posts[k]), k))
    out = []
    for key in ranked[:top] if top else ranked:
        longs = [n for n, _ in names[key].most_common() if n != acronyms.get(key)]
        out.append(UnknownOrganisation(name=longs[0] if longs else names[key].most_common(1)[0][0],
                                       acronym=acronyms.get(key), mentions=mentions[key], posts=len(posts[key]),
                                       example=examples.get(key, "")))
    return out


def _orgs_cli(args: argparse.Namespace) -> int:
    import sys

    from pipeline.jsonl import read_jsonl

    if not args.unknown:
        log.error("nothing to do: give --unknown to list organisations missing from the knowledge base")
        return 2
    if args.posts:
        from pipeline.extract import Extractor, post_from_row
        from pipeline.progress import progress

        posts = (post_from_row(row, args.posts, n) for n, row in enumerate(read_jsonl(args.posts), 1))
        records: Iterable[dict[str, Any]] = (r.to_dict() for r in Extractor().extract(progress(posts, "orgs")))
    else:
        records = read_jsonl(args.records)
    rows = unknown_organisations(records, args.top)
    out = sys.stdout
    out.write(f"{'mentions':>8}  {'posts':>5}  organisation\n")
    for row in rows:
        label = row.name + (f" ({row.acronym})" if row.acronym and row.acronym != row.name else "")
        out.write(f"{row.mentions:8d}  {row.posts:5d}  {label}\n")
        if row.example:
            out.write(f"{'':17}e.g. {row.example}\n")
    log.info("%d organisations not in the knowledge base", len(rows))
    return 0


def add_cli(sub: argparse._SubParsersAction) -> None:
    """Register ``orgs``."""
    p = sub.add_parser(
        "orgs", help="organisations in the corpus; --unknown lists those missing from the knowledge base",
        description="List, most mentioned first, the candidate organisations found in the corpus that the "
        "knowledge base (pipeline/data/organisations.toml) does not know, with mention and post counts and "
        "an example sentence each, so that a researcher can grow the knowledge base. Reads extracted records "
        "(--records), or runs the extraction on posts (--posts).")
    p.add_argument("--unknown", action="store_true", help="list organisations not in the knowledge base")
    p.add_argument("--records", default="corpus/records.jsonl",
                   help="records.jsonl written by 'extract' (default: corpus/records.jsonl)")
    p.add_argument("--posts", help="posts.jsonl: run the extraction on these posts instead of reading records")
    p.add_argument("--top", type=int, default=50, help="how many to list (default 50; 0 for all)")
    p.set_defaults(func=_orgs_cli)
