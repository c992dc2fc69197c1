"""Organisations: recognise them in English and Dutch and resolve each to one entity per post.

Recognition, in order of trust: the knowledge base (PhraseMatcher; case-insensitive for names,
case-sensitive for acronyms), acronym definitions both ways ("Cambodian Labour Confederation (CLC)",
"CLC (Cambodian Labour Confederation)"), capitalised phrases headed by an organisation noun, and
upper-case acronyms used as actors. Resolution merges every mention of one organisation in a post
(acronym and long form, aliases across languages) into one entity linked to the knowledge base.
"""

from __future__ import annotations

import argparse
import logging
import re
from collections import Counter
from dataclasses import dataclass, replace

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from pipeline.extract.sentences import sentence_of
from pipeline.kb import KBEntry, is_acronym, load_kb, normalise_name
from pipeline.records import Organisation, OrganisationMention, Post

log = logging.getLogger(__name__)

if not Doc.has_extension("organisations"):
    Doc.set_extension("organisations", default=None)

HEADS = (
    "Confederation|Federation|Union|Unions|Congress|Network|Alliance|Association|Council|Committee|Ministry|"
    "Department|Court|Embassy|Foundation|Organisation|Organization|Kendra|Sangh|Sangathan|Sabha|Serikat|Sarikat|"
    "Movement|Centre|Center|Institute|Trust|Society|Coalition|Commission|Agency|Bank|Fund|Office|Bureau|"
    "University|School|College|Cooperative|Co-operative|League|Secretariat|Parliament|Authority|Board|"
    "Vakbond|Vakcentrale|Beweging|Stichting|Ministerie|Vereniging|Federatie|Bond|Unie|Raad|Commissie|"
    "Mutualiteit|Ziekenfonds|Universiteit|Hogeschool|Koepel|Platform|Campaign"
)
NOT_ORG_WORDS = frozenset(
    "Conference Day Summit Forum Declaration Convention Conventions Recommendation Protocol Strategy Programme "
    "Program Law Act Award Week Year Pact Accelerator Agenda Plan Policy Decade Report Session Meeting Workshop "
    "Festival Dialogue Statement Charter Framework Initiative Project Campaign Goals Goal Principle Principles "
    "Right Rights Accord Code Roadmap Road Map Compact Fair Congres Dag Wet Verdrag Campagne".split()
)
GENERIC = frozenset(
    "The the Trade Trades Labour Labor Workers Worker National International Continental Regional Global Asian Asia "
    "European Belgian Dutch Flemish Local Central Federal General New Our Their This That These Those Its Their "
    "Government Union Unions Network Committee Council Association Federation Confederation Movement Organisation "
    "Organization Ministry Department Court Office Board Fund Bank Platform Coalition Alliance".split()
)
CONNECTORS = r"(?:of|for|and|on|in|the|&|van|voor|en|de|der|des|du|het|pour|et|la|le|ng|mga|-)"
CAP_WORD = r"(?:[A-Z][\w'’&!-]*|[A-Z]{2,}[\w-]*)"
ORG_PHRASE = re.compile(
    rf"\b{CAP_WORD}(?:\s+(?:{CONNECTORS}\s+)*{CAP_WORD})*"
)
HEAD_RE = re.compile(rf"\b(?:{HEADS})\b")
# Government bodies named by their remit: "Ministry of Labour, Employment and Social Security".
MINISTRY = re.compile(
    r"\b(?:Ministry|Ministerie|Department|Embassy|Ambassade|Directorate|Secretariat)\s+(?:of|for|van|voor)\s+"
    r"(?:the\s+|de\s+|het\s+)?[A-Z][\w'’-]*(?:(?:\s+|,\s+|\s+and\s+|\s+&\s+|\s+en\s+|\s+of\s+)[A-Z][\w'’-]*)*"
)
ACRONYM = re.compile(r"(?<![\w@#/.-])([A-Z][A-Z0-9&!]*(?:-[A-Z0-9]+)*[A-Z0-9!])(?![\w@-]|!\w)")
DEF_LONG_FIRST = re.compile(
    rf"({CAP_WORD}(?:\s+(?:{CONNECTORS}\s+)*{CAP_WORD}){{1,11}})\s*\(\s*([A-Z][A-Za-z0-9&!-]{{1,11}})\s*\)"
)
DEF_ACR_FIRST = re.compile(
    rf"(?<![\w-])([A-Z][A-Z0-9&!-]{{1,11}})\s*\(\s*({CAP_WORD}(?:\s+(?:{CONNECTORS}\s+)*{CAP_WORD}){{1,11}})\s*\)"
)
# Upper-case tokens that are not organisations: units, currencies, countries, common abbreviations.
NOT_ACRONYMS = frozenset(
    """COVID SDG SDGS SDGs LDC LDCs GDP GNP USD EUR BDT NPR INR PHP IDR KHR MYR THB VND CHF GBP ILC CSO CSOs NGO NGOs
    INGO INGOs MSME MSMEs SME SMEs CEO CEOs HIV AIDS PHD TV OK AM PM ID IT UK USA US UAE HR PR FAQ PDF URL TBC NA
    II III IV VI VII VIII IX XI XII XIII XIV XV XX RMG EPZ EPZs FDI DWCP DWCPs CBA CBAs FOA OSH UHC TVET NAP COP
    CSR HRDD ESG KPI KPIs ICT AI NB PS RSVP ASAP FYI DIY ACT EN NL FR DE ES BE IN BD KH NP PH LK PK VN MY MM TH HK
    JP KR CN AU NZ SG TW ID UN_ LGBT LGBTQ LGBTI LGBTQI SOGIE GBV SRHR WASH MDG MDGs UBI CCT CCTs SPF SPFs NHI SHI
    PWD PWDs CEDAW CRC UNCRC ICESCR ICCPR UDHR SOP SOPs MOU MoU MOA PPE PPP PPPs EU_ VAT GST ATM SMS QR DNA OK
    ASPAC APAC MENA LAC SSA WWII WW BC AD CE KM KG MW KW GW CO PM2 THE AND FOR OF IN TO A I ON BY WITH WE OUR NO
    YES NOT STOP JOIN NOW NEW ALL FREE LIVE DAY WEEK YEAR ANNUAL REPORT NEWS UPDATE PRESS RELEASE""".split()
)
TITLE_BEFORE = re.compile(r"\b(?:Mr|Mrs|Ms|Miss|Dr|Prof|Sir|Dhr|Mevr|Sister|Brother|Fr|Father)\.?\s+$")


@dataclass(frozen=True)
class Candidate:
    """A recognised span with the entity key it resolves to."""

    start: int
    end: int
    key: str
    acronym: bool


class KBIndex:
    """PhraseMatchers over the knowledge base for one language's tokenizer."""

    def __init__(self, nlp: Language, entries: tuple[KBEntry, ...]) -> None:
        self.entries = {e.id: e for e in entries}
        self.exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        exact: dict[str, list] = {}
        lower: dict[str, list] = {}
        for e in entries:
            for form in e.surfaces():
                # Names are matched as written ("CLC", "Oxfam", "Cambodian Labour Confederation"): lower-cased
                # they are ordinary words too often ("idea", "grab"). Only long official names match in any case.
                # Shorter names are common phrases in lower case ("social protection for all").
                target = lower if len(form.split()) >= 5 and not is_acronym(form) else exact
                target.setdefault(e.id, []).append(nlp.make_doc(form))
        for key, docs in exact.items():
            self.exact.add(key, docs)
        for key, docs in lower.items():
            self.lower.add(key, docs)

    def find(self, doc: Doc) -> list[Candidate]:
        """Knowledge-base matches, longest first where they overlap."""
        spans = []
        for matcher in (self.exact, self.lower):
            for match_id, s, e in matcher(doc):
                span = doc[s:e]
                key = doc.vocab.strings[match_id]
                spans.append((span.start_char, span.end_char, key, is_acronym(span.text)))
        spans.sort(key=lambda x: (x[0], -(x[1] - x[0])))
        out: list[Candidate] = []
        for s, e, key, acr in spans:
            if out and s < out[-1].end:
                continue
            out.append(Candidate(s, e, key, acr))
        return out


def unknown_key(name: str) -> str:
    """Entity id of an organisation the knowledge base does not know."""
    return "x-" + re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-")


def initials_match(acronym: str, long_form: str) -> bool:
    """Does the acronym plausibly abbreviate the long form (letters in order among its words' initials)?"""
    letters = [c for c in acronym.upper() if c.isalpha()]
    words = [w for w in re.findall(r"[\w']+", long_form) if w.lower() not in {"of", "for", "and", "the", "on", "in",
                                                                                 "van", "voor", "en", "de", "der"}]
    initials = "".join(w[0].upper() for w in words)
    if not letters or not initials or letters[0] != initials[0]:
        return False
    it = iter(long_form.upper())
    return all(ch in it for ch in letters)


def is_org_phrase(phrase: str) -> bool:
    """A capitalised phrase headed by an organisation noun, not an event, law or generic phrase."""
    words = phrase.split()
    if len(words) < 2 or not HEAD_RE.search(phrase):
        return False
    if any(w.strip(".,") in NOT_ORG_WORDS for w in words):
        return False
    content = [w for w in words if w not in GENERIC and not re.fullmatch(CONNECTORS, w)]
    return bool(content)


def _trim_phrase(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop a leading article and trailing connectors from a phrase span."""
    m = re.match(r"(?:(?:The|De|Het|La|Le|Les)\s+)?(?:\w+['’]s\s+)?", text[start:end])
    if m:
        start += m.end()
    while True:
        m = re.search(rf"\s+{CONNECTORS}$", text[start:end])
        if not m:
            break
        end = start + m.start()
    return start, end


class OrganisationsComponent:
    """spaCy component: sets ``doc._.organisations`` to OrganisationMention items (doc offsets)."""

    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name
        self.lang = nlp.lang if nlp.lang in ("en", "nl") else "en"
        self.index = KBIndex(nlp, load_kb())

    def __call__(self, doc: Doc) -> Doc:
        doc._.organisations = [
            OrganisationMention(text=doc.text[c.start:c.end], start=c.start, end=c.end,
                                sentence=sentence_of(doc, c.start, c.end), language=self.lang, entity=c.key,
                                acronym=c.acronym)
            for c in candidates(doc, self.index)
        ]
        return doc


def candidates(doc: Doc, index: KBIndex) -> list[Candidate]:
    """All organisation spans of a doc with their entity keys."""
    text = doc.text
    found = index.find(doc)
    taken = [(c.start, c.end) for c in found]

    def free(s: int, e: int) -> bool:
        return not any(s < te and ts < e for ts, te in taken)

    def add(c: Candidate) -> None:
        found.append(c)
        taken.append((c.start, c.end))

    aliases: dict[str, str] = {}  # acronym -> entity key, from definitions
    for rx, long_group, acr_group in ((DEF_LONG_FIRST, 1, 2), (DEF_ACR_FIRST, 2, 1)):
        for m in rx.finditer(text):
            ls, le = _trim_phrase(text, m.start(long_group), m.end(long_group))
            long_form, acr = text[ls:le], m.group(acr_group)
            if not initials_match(acr, long_form) or acr in NOT_ACRONYMS:
                continue
            kb_long = next((c for c in found if c.start <= ls and le <= c.end), None)
            kb_acr = next((c for c in found if c.start == m.start(acr_group)), None)
            if kb_long is None and kb_acr is None and not is_org_phrase(long_form):
                continue  # "Least Developed Country (LDC)": an acronym, but not of an organisation
            key = (kb_long or kb_acr).key if (kb_long or kb_acr) else unknown_key(long_form)
            aliases[acr] = key
            if free(ls, le):
                add(Candidate(ls, le, key, False))
            if free(m.start(acr_group), m.end(acr_group)):
                add(Candidate(m.start(acr_group), m.end(acr_group), key, True))
    for m in MINISTRY.finditer(text):
        s, e = m.start(), m.end()
        if free(s, e):
            add(Candidate(s, e, unknown_key(text[s:e]), False))
    for m in ORG_PHRASE.finditer(text):
        s, e = _trim_phrase(text, m.start(), m.end())
        # Cut the phrase at a known organisation or acronym inside it and keep the part that carries the head.
        phrase = text[s:e]
        if not is_org_phrase(phrase) or not free(s, e) or TITLE_BEFORE.search(text[max(0, s - 8):s]):
            continue
        add(Candidate(s, e, unknown_key(phrase), False))
    for m in ACRONYM.finditer(text):
        tok = m.group(1)
        s, e = m.start(1), m.end(1)
        if not free(s, e):
            continue
        if tok in aliases:
            add(Candidate(s, e, aliases[tok], True))
            continue
        letters = sum(ch.isalpha() for ch in tok)
        if letters < 2 or tok in NOT_ACRONYMS or re.fullmatch(r"[A-Z]\d+|[IVXLC]+", tok) or _in_caps_line(text, s):
            continue
        add(Candidate(s, e, unknown_key(tok), True))
    return sorted(found, key=lambda c: (c.start, c.end))


def _in_caps_line(text: str, pos: int) -> bool:
    """Inside a heading written in capitals, every word looks like an acronym."""
    ls = text.rfind("\n", 0, pos) + 1
    le = text.find("\n", pos)
    line = text[ls:le if le >= 0 else len(text)]
    letters = [c for c in line if c.isalpha()]
    return len(letters) > 12 and sum(c.isupper() for c in letters) / len(letters) > 0.8


@Language.factory("organisations")
def make_organisations(nlp: Language, name: str) -> OrganisationsComponent:
    """Factory of the organisations component."""
    return OrganisationsComponent(nlp, name)


def _sentence_around(text: str, start: int, end: int) -> str:
    s = max(text.rfind(". ", 0, start) + 2 if text.rfind(". ", 0, start) >= 0 else 0, text.rfind("\n", 0, start) + 1)
    stops = [i for i in (text.find(". ", end), text.find("\n", end)) if i >= 0]
    e = min(stops) + 1 if stops else len(text)
    return text[s:e].strip()


def finalize(post: Post, mentions: list[OrganisationMention]) -> dict[str, list]:
    """Merge mentions into entities (post-wide), linked to the knowledge base where known."""
    entries = {e.id: e for e in load_kb()}
    mentions = list(mentions)
    # An acronym defined in one language segment is recognised in the others too.
    acr_keys = {m.text: m.entity for m in mentions if m.acronym and m.entity}
    covered = [(m.start, m.end) for m in mentions if m.field == "text"]
    for acr, key in acr_keys.items():
        for m in re.finditer(rf"(?<![\w-]){re.escape(acr)}(?![\w-])", post.text):
            if not any(s < m.end() and m.start() < e for s, e in covered):
                mentions.append(OrganisationMention(text=acr, start=m.start(), end=m.end(),
                                                    sentence=_sentence_around(post.text, m.start(), m.end()),
                                                    language=post.language or "en", entity=key, acronym=True))
                covered.append((m.start(), m.end()))
    # An unknown acronym that abbreviates an unknown long form of the same post is that organisation.
    long_forms = {m.entity: m.text for m in mentions if not m.acronym and m.entity and m.entity.startswith("x-")}
    remap: dict[str, str] = {}
    for m in mentions:
        if m.acronym and m.entity and m.entity.startswith("x-") and m.entity not in long_forms:
            for key, long_form in long_forms.items():
                if initials_match(m.text, long_form) and len(m.text) >= 3:
                    remap[m.entity] = key
                    break
    mentions = sorted((replace(m, entity=remap.get(m.entity, m.entity)) for m in mentions),
                      key=lambda m: (m.field != "title", m.start, m.end))
    groups: dict[str, list[OrganisationMention]] = {}
    for m in mentions:
        groups.setdefault(m.entity or unknown_key(m.text), []).append(m)
    entities = []
    for key, ms in groups.items():
        kb = entries.get(key)
        longs = [m.text for m in ms if not m.acronym]
        acrs = [m.text for m in ms if m.acronym]
        name = max(longs, key=len) if longs else (kb.name if kb else acrs[0])
        acronym = acrs[0] if acrs else (kb.acronym if kb else None)
        entities.append(Organisation(
            id=key, name=name, acronym=acronym, canonical=kb.name if kb else None,
            aliases=sorted({m.text for m in ms}), type=kb.type if kb else None, country=kb.country if kb else None,
            kb=kb is not None, mentions=ms,
        ))
    return {"organisations": entities}


def unknown_candidates(records_path: str, top: int = 50) -> list[tuple[str, int, str]]:
    """Organisations found in the corpus that the knowledge base does not know: (name, count, example)."""
    from pipeline.jsonl import read_jsonl

    counts: Counter[str] = Counter()
    examples: dict[str, str] = {}
    names: dict[str, str] = {}
    for rec in read_jsonl(records_path):
        for org in rec.get("organisations", []):
            if org.get("kb"):
                continue
            key = normalise_name(org["name"])
            counts[key] += len(org.get("mentions", [])) or 1
            names.setdefault(key, org["name"] + (f" ({org['acronym']})" if org.get("acronym") and
                                                 org["acronym"] != org["name"] else ""))
            if key not in examples and org.get("mentions"):
                examples[key] = org["mentions"][0]["sentence"]
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], names[kv[0]]))
    return [(names[k], n, examples.get(k, "")) for k, n in ranked[:top]]


def _orgs_cli(args: argparse.Namespace) -> int:
    if not args.unknown:
        log.error("nothing to do: use --unknown to list organisations missing from the knowledge base")
        return 2
    import sys

    for name, count, example in unknown_candidates(args.records, args.top):
        sys.stdout.write(f"{count:5d}  {name}\n       e.g. {example[:160]}\n")
    return 0


def add_cli(sub: argparse._SubParsersAction) -> None:
    """Register ``orgs``."""
    p = sub.add_parser("orgs", help="inspect organisations; --unknown lists those missing from the knowledge base",
                       description="List, most frequent first, candidate organisations found in the corpus that the "
                       "knowledge base (pipeline/data/organisations.csv) does not know, with an example sentence.")
    p.add_argument("--unknown", action="store_true", help="list organisations not in the knowledge base")
    p.add_argument("--records", default="corpus/records.jsonl", help="records.jsonl (default: corpus/records.jsonl)")
    p.add_argument("--top", type=int, default=50, help="how many to list")
    p.set_defaults(func=_orgs_cli)
