"""A deterministic synthetic Blogger blog, so that benchmarks and scale tests need no network.

Posts are built from sentence templates in the blog's genre (English, about one in ten Dutch, some
Dutch posts with an English paragraph) and carry figures (people reached with breakdowns,
percentages, money in several currencies and formats), organisations from the project's knowledge
base and ILO instruments from the shipped table. They are rendered as classic Blogger month-archive
listing pages (several posts per date header, some truncated behind a jump link, with their
permalink pages) plus a home page, and written as a raw store (WARC) with fixed record ids and
dates, so the same seed gives the same bytes.

Every post draws from its own ``random.Random`` seeded by (seed, index): generation streams in
constant memory and post *i* does not depend on how many posts come after it.
"""

from __future__ import annotations

import argparse
import csv
import io
import logging
import re
import uuid
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import cache
from itertools import groupby
from pathlib import Path
from random import Random
from urllib.parse import quote

from pipeline.config import DATA_DIR
from pipeline.errors import InputError
from pipeline.records import Post
from pipeline.render import BlogMeta, listing_page, permalink_page, slugify, text_to_html

log = logging.getLogger(__name__)

START = date(2008, 1, 7)
SPAN_DAYS = 6200  # posts fall between 2008 and the end of 2024
DAYS_PER_POST = 4
CRAWL_TIME = datetime(2025, 1, 15, 12, 0, 0, tzinfo=UTC)  # fixed WARC dates: byte-identical output
TZ = "+07:00"
DUTCH_EVERY = 10  # exactly one Dutch post in each block of ten
MIXED_SHARE = 0.3  # of Dutch posts, those with an English paragraph
TRUNCATED_SHARE = 0.2
PAGE_SIZE = 10
WORDS_MEAN, WORDS_SD, WORDS_MIN, WORDS_MAX = 240, 45, 140, 400
AUTHORS = ("INSP!R Asia", "INSP!R Asia", "INSP!R Asia", "Asia Steering Committee", "WSM Asia")
CONTENT_TYPE = [("Content-Type", "text/html; charset=UTF-8")]

# (code, English name, Dutch name, cities, currency ISO code, symbol, word, local units per US dollar)
COUNTRIES = (
    ("KH", "Cambodia", "Cambodja", ("Phnom Penh", "Siem Reap", "Battambang"), "KHR", "KHR", "riel", 4000),
    ("ID", "Indonesia", "Indonesië", ("Jakarta", "Surabaya", "Medan", "Bandung"), "IDR", "Rp", "rupiah", 15000),
    ("PH", "the Philippines", "de Filipijnen", ("Manila", "Quezon City", "Cebu", "Davao"), "PHP", "₱", "pesos", 55),
    ("NP", "Nepal", "Nepal", ("Kathmandu", "Pokhara", "Biratnagar"), "NPR", "NPR", "rupees", 130),
    ("IN", "India", "India", ("New Delhi", "Mumbai", "Chennai", "Bangalore"), "INR", "Rs.", "rupees", 80),
    ("BD", "Bangladesh", "Bangladesh", ("Dhaka", "Chittagong", "Gazipur"), "BDT", "Tk", "taka", 110),
    ("LK", "Sri Lanka", "Sri Lanka", ("Colombo", "Kandy"), "USD", "US$", "dollars", 1),
    ("PK", "Pakistan", "Pakistan", ("Karachi", "Lahore"), "USD", "US$", "dollars", 1),
    ("MM", "Myanmar", "Myanmar", ("Yangon", "Mandalay"), "MMK", "MMK", "kyat", 2100),
    ("TH", "Thailand", "Thailand", ("Bangkok", "Chiang Mai"), "THB", "THB", "baht", 35),
    ("VN", "Vietnam", "Vietnam", ("Hanoi", "Ho Chi Minh City"), "VND", "VND", "dong", 24000),
    ("MY", "Malaysia", "Maleisië", ("Kuala Lumpur", "Penang"), "MYR", "RM", "ringgit", 4),
)

# Instruments the blog's genre keeps returning to; those missing from the table are skipped.
INSTRUMENT_IDS = ("C87", "C98", "C102", "C189", "C190", "C29", "C138", "C182", "C100", "C111", "C155", "C97",
                  "C143", "C177", "C183", "C131", "C181", "C188", "C122", "C118", "C130", "C121", "C81", "C144",
                  "C168", "R202", "R204", "R205")
FALLBACK_INSTRUMENTS = (
    ("C87", "convention", 87, "Freedom of Association and Protection of the Right to Organise Convention", 1948),
    ("C98", "convention", 98, "Right to Organise and Collective Bargaining Convention", 1949),
    ("C102", "convention", 102, "Social Security (Minimum Standards) Convention", 1952),
    ("C189", "convention", 189, "Domestic Workers Convention", 2011),
    ("C190", "convention", 190, "Violence and Harassment Convention", 2019),
    ("R202", "recommendation", 202, "Social Protection Floors Recommendation", 2012),
)
FALLBACK_ORGANISATIONS = (
    ("International Labour Organization", "ILO", "international"),
    ("International Trade Union Confederation", "ITUC", "international"),
    ("World Movement of Christian Workers", "WMCW", "international"),
    ("General Federation of Nepalese Trade Unions", "GEFONT", "NP"),
    ("Trade Union Congress of the Philippines", "TUCP", "PH"),
    ("National Garment Workers Federation", "NGWF", "BD"),
    ("Cambodian Labour Confederation", "CLC", "KH"),
    ("Algemeen Christelijk Vakverbond", "ACV", "BE"),
    ("Wereldsolidariteit", "WSM", "BE"),
)
ORG_TYPES = frozenset({"trade_union", "union_federation", "ngo", "network", "intergovernmental", "government"})


@dataclass(frozen=True)
class Org:
    """An organisation the templates can name."""

    name: str
    acronym: str | None
    country: str


@dataclass(frozen=True)
class Instr:
    """An ILO instrument the templates can cite."""

    id: str
    type: str
    number: int
    title: str
    year: int | None


@dataclass(frozen=True)
class Vocabulary:
    """What the templates draw from: organisations by country, and instruments."""

    orgs: dict[str, tuple[Org, ...]]
    international: tuple[Org, ...]
    instruments: tuple[Instr, ...]


def _toml_orgs(path: Path) -> list[Org]:
    """Organisations of the TOML knowledge base ([[org]] blocks); only unambiguous acronyms are used."""
    import tomllib

    if not path.is_file():
        return []
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{path}: not valid TOML ({exc})") from None
    orgs = []
    for raw in data.get("org", []):
        if not isinstance(raw, dict) or raw.get("type") not in ORG_TYPES or raw.get("unsure"):
            continue
        ambiguous = set(raw.get("ambiguous") or ())
        acronyms = [a for a in raw.get("acronyms") or () if a not in ambiguous]
        if isinstance(raw.get("name"), str) and raw["name"] not in ambiguous:
            orgs.append(Org(raw["name"].strip(), acronyms[0] if acronyms else None, str(raw.get("country", ""))))
    return orgs


def _csv_orgs(path: Path) -> list[Org]:
    """Organisations of the older CSV knowledge base (one a row, acronym in its own column)."""
    if not path.is_file():
        return []
    with path.open(encoding="utf-8", newline="") as fh:
        return [Org(row["name"].strip(), (row.get("acronym") or "").strip() or None, (row.get("country") or "").strip())
                for row in csv.DictReader(fh)
                if (row.get("type") or "").strip() in ORG_TYPES and not (row.get("unsure") or "").strip()]


@cache
def vocabulary(data_dir: Path = DATA_DIR) -> Vocabulary:
    """Organisations (organisations.toml, else .csv) and instruments from the data files; built-in lists if absent."""
    orgs = _toml_orgs(data_dir / "organisations.toml") or _csv_orgs(data_dir / "organisations.csv")
    if not orgs:
        orgs = [Org(*o) for o in FALLBACK_ORGANISATIONS]
    by_country: dict[str, list[Org]] = {}
    for o in orgs:
        by_country.setdefault(o.country, []).append(o)
    instruments: list[Instr] = []
    table = data_dir / "ilo_instruments.csv"
    if table.is_file():
        with table.open(encoding="utf-8", newline="") as fh:
            rows = {r["id"]: r for r in csv.DictReader(fh)}
        for iid in INSTRUMENT_IDS:
            r = rows.get(iid)
            if r:
                year = int(r["year"]) if (r.get("year") or "").strip().isdigit() else None
                instruments.append(Instr(iid, r["type"], int(r["number"]), r["title"].strip(), year))
    if not instruments:
        instruments = [Instr(*i) for i in FALLBACK_INSTRUMENTS]
    return Vocabulary(
        orgs={k: tuple(v) for k, v in by_country.items()},
        international=tuple(by_country.get("international", ())) or tuple(orgs),
        instruments=tuple(instruments),
    )


# ---------------------------------------------------------------- templates

EN_INTRO = (
    "{org} organised a {event} on {topic} in {city} from {day} to {day2} {month}.",
    "Last {month}, {org} and {org2} brought together {people} to discuss {topic}.",
    "The {sector} sector in {country} employs {big_people}, most of them without a written contract.",
    "Members of {org} met the Ministry of Labour to present their proposals on {topic}.",
    "In {country}, {topic} remains one of the main concerns of workers in the informal economy.",
    "{org} has been working on {topic} in {country} since {year}.",
    "Workers in {country} still face many obstacles when they try to claim their right to {topic}.",
)
EN_FIGURE = (
    "In {year}, the campaign reached {people} in {small} provinces.",
    "About {pct} of the workers interviewed had no access to health insurance.",
    "Only {pct} of the {sector} workers are covered by the national social security scheme.",
    "The government allocated {money} to the new scheme, which should benefit {big_people} by {later_year}.",
    "Each member pays a monthly contribution of {small_money}, and the employer adds {small_money}.",
    "The minimum wage was raised from {small_money} to {small_money} a month.",
    "{Word} trade unions signed the joint statement, representing {people}.",
    "A survey of {survey} domestic workers found that {pct} worked more than {hours} hours a week.",
    "The fund paid out {money} in benefits to {people} last year.",
    "Around {pct} of the participants were women and {pct} were young workers.",
    "The {event} trained {people} as community organisers.",
    "Thanks to the advocacy of {org}, {big_people} gained access to maternity benefits.",
)
EN_INSTRUMENT = (
    "The network urged the government of {country} to ratify {instr}.",
    "{Country} ratified {instr} in {year}, but implementation remains weak.",
    "Unions referred to {instr_pair} during the International Labour Conference in Geneva.",
    "{org} used {instr} as a benchmark in its position paper on {topic}.",
    "The campaign for the ratification of {instr} collected {signatures} signatures.",
    "According to {org}, the new law falls short of {instr}.",
    "Participants studied {instr} and compared it with the national legislation.",
)
EN_ORG = (
    "{org} and {org2} submitted a joint position paper to the Ministry of Labour.",
    "Representatives of {org}, {org2} and {org3} took part in the dialogue.",
    "{org} welcomed the decision and announced further actions.",
    "The {event} was supported by {org} and hosted by {org2}.",
    "Leaders of {org} explained how domestic workers organise in {city}.",
)
EN_FILLER = (
    "The meeting brought together workers from the informal economy, trade unions and civil society organisations.",
    "Participants shared their experiences and agreed on a common plan of action for the coming year.",
    "Social protection is a human right, not a privilege for the few who have a formal job.",
    "Many workers lost their income during the floods and had nowhere to turn for support.",
    "The discussions showed that women workers are hit hardest by the lack of protection.",
    "Young workers called for decent jobs and a fair transition to a greener economy.",
)
EN_CLOSING = (
    "The next meeting is planned for {month} {later_year}.",
    "The network will continue to follow up on these commitments.",
    "For more information, contact the regional secretariat in {city}.",
    "Read more about the activities of the network on this blog.",
)
EN_BULLET = (
    "{people} enrolled in the health insurance scheme",
    "{instr} ratified by {country} in {year}",
    "{money} allocated to {topic}",
    "training for {small} trainers of {org}",
    "{pct} of the members are women",
)
EN_TITLE = (
    "{Group} in {country} demand {topic}",
    "{acronym} calls for ratification of {instr_short}",
    "{Country}: {small} unions join forces for {topic}",
    "Social protection week in {city}",
    "What did the network achieve in {year}?",
    "{Group} in {city} organise",
    "A new law on {topic} in {country}",
)

NL_INTRO = (
    "{org} organiseerde van {day} tot {day2} {maand} een {evenement} over {thema} in {city}.",
    "Vorige maand brachten {org} en {org2} {mensen} samen om te praten over {thema}.",
    "In {land} blijft {thema} een van de grootste zorgen van werknemers in de informele economie.",
    "Leden van {org} gingen naar het Ministerie van Arbeid om hun voorstellen over {thema} voor te stellen.",
    "{org} werkt sinds {year} rond {thema} in {land}.",
)
NL_FIGURE = (
    "In {year} bereikte de campagne {mensen} in {small} provincies.",
    "Ongeveer {pct_nl} van de ondervraagde werknemers heeft geen ziekteverzekering.",
    "De regering trok {geld} uit voor het nieuwe stelsel, dat tegen {later_year} {grote_groep} moet bereiken.",
    "Elk lid betaalt een maandelijkse bijdrage van {klein_geld}, de werkgever legt {klein_geld} bij.",
    "Het minimumloon steeg van {klein_geld} naar {klein_geld} per maand.",
    "{Woord} vakbonden ondertekenden de gezamenlijke verklaring.",
    "Het fonds betaalde vorig jaar {geld} aan uitkeringen uit aan {mensen}.",
    "Ongeveer {pct_nl} van de deelnemers waren vrouwen.",
)
NL_INSTRUMENT = (
    "De vakbonden vragen de regering van {land} om {verdrag} te ratificeren.",
    "{Land} ratificeerde {verdrag} in {year}, maar de toepassing blijft zwak.",
    "{org} gebruikt {verdrag} als maatstaf in haar standpunt over {thema}.",
    "De deelnemers bestudeerden {verdrag} en vergeleken het met de nationale wetgeving.",
)
NL_ORG = (
    "{org} en {org2} dienden samen een standpunt in bij het Ministerie van Arbeid.",
    "Vertegenwoordigers van {org}, {org2} en {org3} namen deel aan de dialoog.",
    "{org} steunt de partners in {land} al vele jaren.",
)
NL_FILLER = (
    "Sociale bescherming is een mensenrecht en geen voorrecht voor wie een formele job heeft.",
    "De deelnemers wisselden ervaringen uit en spraken een gezamenlijk actieplan af.",
    "Vooral vrouwen en jongeren hebben het moeilijk om toegang te krijgen tot sociale zekerheid.",
    "Veel werknemers verloren hun inkomen tijdens de overstromingen en konden nergens terecht.",
)
NL_CLOSING = (
    "De volgende bijeenkomst is gepland voor {maand} {later_year}.",
    "Het netwerk blijft deze engagementen van dichtbij opvolgen.",
    "Meer informatie vind je bij het regionale secretariaat in {city}.",
)
NL_TITLE = (
    "{Groep} in {land} eisen sociale bescherming",
    "Vakbonden in {land} vragen ratificatie van ILO-verdrag {number}",
    "Vorming over {thema} in {city}",
    "Wat bereikte het netwerk in {year}?",
)

EVENTS = ("workshop", "national dialogue", "training", "consultation", "conference", "exchange visit")
EVENTS_NL = ("vorming", "nationale dialoog", "workshop", "studiedag", "uitwisseling")
TOPICS = ("social protection", "health insurance", "maternity protection", "minimum wages", "pensions",
          "decent work", "unemployment benefits", "occupational safety and health", "labour migration",
          "the rights of domestic workers", "a just transition")
THEMAS = ("sociale bescherming", "ziekteverzekering", "moederschapsbescherming", "minimumlonen", "pensioenen",
          "waardig werk", "arbeidsmigratie", "de rechten van huishoudpersoneel")
SECTORS = ("garment", "construction", "domestic work", "fisheries", "agriculture", "transport", "tourism")
GROUPS = ("Domestic workers", "Garment workers", "Informal workers", "Migrant workers", "Street vendors",
          "Fishers", "Construction workers", "Home-based workers", "Platform workers")
GROEPEN = ("Huishoudwerkers", "Textielarbeiders", "Informele werknemers", "Migranten", "Straatverkopers")
NOUNS = ("people", "workers", "members", "women", "participants", "domestic workers", "informal workers")
NOUNS_NL = ("mensen", "werknemers", "leden", "vrouwen", "deelnemers", "huishoudwerkers")
WORDS_EN = ("Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Ten", "Twelve", "Fifteen", "Twenty")
WORDS_NL = ("Twee", "Drie", "Vier", "Vijf", "Zes", "Acht", "Tien", "Twaalf", "Twintig")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
MAANDEN = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
           "november", "december")
LABELS = ("asia", "social protection", "domestic workers", "informal economy", "migration", "health insurance",
          "trade unions", "ILO", "minimum wage", "youth", "gender")
POOLS = {
    "en": (EN_INTRO, EN_FIGURE, EN_INSTRUMENT, EN_ORG, EN_FILLER, EN_CLOSING),
    "nl": (NL_INTRO, NL_FIGURE, NL_INSTRUMENT, NL_ORG, NL_FILLER, NL_CLOSING),
}
SLOT = re.compile(r"\{(\w+)\}")


def _thousands(n: int, lang: str) -> str:
    s = f"{n:,}"
    return s.replace(",", ".") if lang == "nl" else s


def _decimal(x: float, lang: str) -> str:
    s = f"{x:.1f}".rstrip("0").rstrip(".")
    return s.replace(".", ",") if lang == "nl" else s


class Writer:
    """Fills templates for one post: the slot values drawn from the post's own random generator."""

    def __init__(self, rng: Random, vocab: Vocabulary, country: tuple, lang: str, year: int) -> None:
        self.rng = rng
        self.vocab = vocab
        self.country = country
        self.lang = lang
        self.year = year
        local = vocab.orgs.get(country[0], ())
        if lang == "nl":
            local = vocab.orgs.get("BE", ()) + vocab.orgs.get("NL", ()) + local
        self.local = local
        self.money_style = rng.randrange(5)
        self.orgs = local + vocab.international
        self.introduced: set[str] = set()
        self.slots: dict[str, Callable[[], str]] = {
            "org": self.org, "org2": self.org, "org3": self.org, "acronym": self.acronym,
            "country": lambda: country[1], "Country": lambda: country[1][0].upper() + country[1][1:],
            "land": lambda: country[2], "Land": lambda: country[2][0].upper() + country[2][1:],
            "city": lambda: rng.choice(country[3]),
            "event": lambda: rng.choice(EVENTS), "evenement": lambda: rng.choice(EVENTS_NL),
            "topic": lambda: rng.choice(TOPICS), "thema": lambda: rng.choice(THEMAS),
            "sector": lambda: rng.choice(SECTORS),
            "Group": lambda: rng.choice(GROUPS), "Groep": lambda: rng.choice(GROEPEN),
            "day": lambda: str(rng.randint(2, 14)), "day2": lambda: str(rng.randint(15, 27)),
            "month": lambda: rng.choice(MONTHS), "maand": lambda: rng.choice(MAANDEN),
            "year": lambda: str(year - rng.randint(0, 6)), "later_year": lambda: str(year + rng.randint(1, 5)),
            "small": lambda: str(rng.randint(3, 24)), "survey": lambda: _thousands(rng.randint(120, 2400), "en"),
            "hours": lambda: str(rng.choice((48, 54, 60, 70))),
            "signatures": lambda: _thousands(rng.randint(2, 90) * 1000 + rng.randint(0, 999), "en"),
            "Word": lambda: rng.choice(WORDS_EN), "Woord": lambda: rng.choice(WORDS_NL),
            "people": self.people, "mensen": self.people, "big_people": self.big_people,
            "grote_groep": self.big_people, "pct": self.pct, "pct_nl": self.pct,
            "money": self.money, "geld": self.money, "small_money": self.small_money, "klein_geld": self.small_money,
            "instr": self.instr, "verdrag": self.instr, "instr_pair": self.instr_pair,
            "instr_short": self.instr_short, "number": lambda: str(self.pick_instr().number),
        }

    def fill(self, template: str) -> str:
        """The template with every slot drawn."""
        return SLOT.sub(lambda m: self.slots[m.group(1)](), template)

    def org(self) -> str:
        """An organisation: long form with its acronym the first time, the acronym afterwards."""
        # Half the time a local organisation, so that a post about Nepal names Nepalese unions.
        o = self.rng.choice(self.local if self.local and self.rng.random() < 0.5 else self.orgs)
        if o.acronym and o.name in self.introduced:
            return o.acronym
        self.introduced.add(o.name)
        if o.acronym and o.acronym != o.name and self.rng.random() < 0.8:
            return f"{o.name} ({o.acronym})"
        return o.name

    def acronym(self) -> str:
        """An organisation's acronym, for titles."""
        with_acr = [o for o in self.orgs if o.acronym] or list(self.orgs)
        o = self.rng.choice(with_acr)
        return o.acronym or o.name

    def people(self) -> str:
        """A count of people, often with a breakdown by women and youth."""
        total = self.rng.choice((self.rng.randint(25, 400), self.rng.randint(400, 9000)))
        women = self.rng.randint(total // 4, (3 * total) // 4)
        young = self.rng.randint(total // 10, max(total // 10 + 1, total - women))
        noun = self.rng.choice(NOUNS_NL if self.lang == "nl" else NOUNS)
        t, w, y = (_thousands(v, self.lang) for v in (total, women, young))
        form = self.rng.randrange(5)
        if self.lang == "nl":
            return (f"{t} {noun} ({w} vrouwen en {y} jongeren)", f"{t} {noun}, onder wie {w} vrouwen",
                    f"meer dan {t} {noun}", f"{t} {noun}", f"bijna {t} {noun}")[form]
        share = round(100 * women / total)
        return (f"{t} {noun} ({w} women and {y} young people)", f"{t} {noun}, {w} of them women",
                f"{t} {noun} ({share}% women)", f"more than {t} {noun}", f"{t} {noun}")[form]

    def big_people(self) -> str:
        """A large population: millions or a round figure."""
        if self.rng.random() < 0.5:
            m = self.rng.randint(12, 480) / 10
            return f"{_decimal(m, self.lang)} {'miljoen mensen' if self.lang == 'nl' else 'million workers'}"
        n = self.rng.randint(11, 950) * 1000
        return f"{_thousands(n, self.lang)} {'werknemers' if self.lang == 'nl' else 'workers'}"

    def pct(self) -> str:
        """A percentage in one of the usual spellings."""
        p = self.rng.randint(3, 96)
        if self.lang == "nl":
            return self.rng.choice((f"{p} procent", f"{p}%", f"{p} %"))
        if self.rng.random() < 0.15:
            return f"{_decimal(p + self.rng.randint(1, 9) / 10, 'en')}%"
        return self.rng.choice((f"{p}%", f"{p} per cent", f"{p} percent"))

    def money(self) -> str:
        """A large amount of money: dollars, euros or the local currency, in words or digits."""
        _, _, _, _, code, symbol, word, rate = self.country
        m = self.rng.randint(5, 950) / 10
        if self.lang == "nl":
            return self.rng.choice((f"{_decimal(m, 'nl')} miljoen euro", f"€ {_thousands(int(m * 10_000), 'nl')}",
                                    f"USD {_thousands(int(m * 100_000), 'nl')}", f"{_decimal(m, 'nl')} miljoen dollar"))
        local = int(m * 1_000_000 * rate)
        return self.rng.choice((f"US$ {_decimal(m, 'en')} million", f"USD {_thousands(int(m * 100_000), 'en')}",
                                f"${_decimal(m, 'en')} million", f"{code} {_thousands(local, 'en')}",
                                f"{_decimal(m * rate, 'en')} million {word}", f"EUR {_decimal(m, 'en')} million",
                                f"€{_thousands(int(m * 10_000), 'en')}", f"{symbol} {_thousands(local, 'en')}"))

    def small_money(self) -> str:
        """A wage or contribution: a few dollars' worth, in the local currency or dollars."""
        _, _, _, _, code, symbol, word, rate = self.country
        usd = self.rng.randint(2, 400)
        local = _thousands(int(max(1, round(usd * rate, -2 if rate >= 1000 else 0))), self.lang)
        # One currency and spelling per post, so that "raised from X to Y" compares like with like.
        if self.lang == "nl":
            return (f"€ {usd}", f"{usd} euro", f"{local} {word}")[self.money_style % 3]
        return (f"{code} {local}", f"{symbol} {local}", f"{local} {word}", f"US$ {usd}", f"${usd}")[self.money_style]

    def pick_instr(self) -> Instr:
        """An instrument, the fundamental and social security ones more often."""
        instruments = self.vocab.instruments
        return instruments[min(int(self.rng.expovariate(0.18)), len(instruments) - 1)]

    def instr(self) -> str:
        """A reference to an ILO instrument, by number, code or title."""
        i = self.pick_instr()
        kind = {"recommendation": "Recommendation", "protocol": "Protocol"}.get(i.type, "Convention")
        year = f", {i.year}" if i.year else ""
        if self.lang == "nl":
            word = "aanbeveling" if i.type == "recommendation" else "verdrag"
            return self.rng.choice((f"ILO-{word} {i.number}", f"{word} nr. {i.number}", f"IAO-{word} {i.number}",
                                    f"het {i.title}{year} (No. {i.number})" if kind == "Convention"
                                    else f"ILO-{word} {i.number}"))
        code = "R" if i.type == "recommendation" else "C"
        return self.rng.choice((f"ILO {kind} {i.number}", f"{kind} No. {i.number}", f"{code}{i.number}",
                                f"the {i.title} (No. {i.number})", f"the {i.title}{year} (No. {i.number})",
                                f"ILO {kind} No. {i.number}"))

    def instr_pair(self) -> str:
        """Two conventions cited together."""
        convs = [i for i in self.vocab.instruments if i.type == "convention"] or list(self.vocab.instruments)
        a, b = sorted(self.rng.sample(convs, 2) if len(convs) > 1 else convs * 2, key=lambda i: i.number)
        return f"Conventions {a.number} and {b.number}"

    def instr_short(self) -> str:
        """A short reference to an instrument, for titles."""
        i = self.pick_instr()
        return f"{'R' if i.type == 'recommendation' else 'C'}{i.number}"

    def paragraph(self, pools: Sequence[Sequence[str]], sentences: int) -> str:
        """A paragraph of sentences drawn from the pools in turn, no template twice."""
        used: set[str] = set()
        out = []
        for k in range(sentences):
            pool = [t for t in pools[k % len(pools)] if t not in used]
            if not pool:
                continue
            template = self.rng.choice(pool)
            used.add(template)
            out.append(self.fill(template))
        return " ".join(out)


def _words(text: str) -> int:
    return len(text.split())


def _body(w: Writer, lang: str, mixed: bool, en_writer: Writer | None) -> str:
    intro, figure, instrument, org, filler, closing = POOLS[lang]
    rng = w.rng
    target = max(WORDS_MIN, min(WORDS_MAX, int(rng.gauss(WORDS_MEAN, WORDS_SD))))
    paras = [w.paragraph([intro, filler], rng.randint(2, 3))]
    middles = ([figure, filler], [instrument, org], [figure, org, figure], [filler, instrument, figure])
    bullets_at = rng.randrange(2, 5) if lang == "en" and rng.random() < 0.2 else -1
    while sum(map(_words, paras)) < target - 20:
        if len(paras) == bullets_at:
            items = [w.fill(rng.choice(EN_BULLET)) for _ in range(rng.randint(3, 5))]
            paras.append(w.fill("Results of {year}:") + "\n" + "\n".join(f"  • {it}" for it in items))
            continue
        paras.append(w.paragraph(rng.choice(middles), rng.randint(2, 4)))
    if mixed and en_writer is not None:
        english = en_writer.paragraph([EN_INTRO, EN_FIGURE, EN_INSTRUMENT], rng.randint(2, 3))
        paras.insert(rng.randint(1, len(paras)), english)
    paras.append(w.paragraph([closing], rng.randint(1, 2)))
    return "\n\n".join(paras)


def _with_more(html: str) -> str:
    """Put a jump break after the first paragraph of a body."""
    cut = html.find("</p>")
    return html if cut < 0 else html[: cut + 4] + "\n<!--more-->" + html[cut + 4 :]


@dataclass(frozen=True)
class SynthPost:
    """A synthetic post and how it appears on the listing pages."""

    post: Post
    truncated: bool
    dutch: bool
    mixed: bool


def _schedule(n: int, seed: int) -> Iterator[datetime]:
    """Publication times, oldest first: bursts of several posts a day spread over the blog's life."""
    rng = Random(f"synth:{seed}:dates")
    # About two posts a week like the real blog, denser when many posts must fit into its lifetime.
    span = min(SPAN_DAYS, n * DAYS_PER_POST)
    per_day = max(1.8, n / (span * 0.9))
    days = max(1, round(n / per_day))
    step = max(1, span // days)
    emitted, k = 0, 0
    while emitted < n:
        day = START + timedelta(days=k * step + rng.randrange(step))
        burst = min(n - emitted, rng.randint(1, max(1, round(2 * per_day - 1))))
        minutes = sorted(rng.sample(range(7 * 60, 23 * 60), burst))
        for m in minutes:
            yield datetime(day.year, day.month, day.day, m // 60, m % 60)
        emitted += burst
        k += 1


def synth_entries(n: int, seed: int = 0, meta: BlogMeta | None = None) -> Iterator[SynthPost]:
    """Yield `n` synthetic posts, oldest first, with their listing attributes; deterministic per seed."""
    if n < 0:
        raise InputError(f"--posts must be 0 or more, not {n}")
    meta = meta or BlogMeta(labels=LABELS)
    vocab = vocabulary()
    slugs: dict[str, int] = {}
    month = ""
    for i, when in enumerate(_schedule(n, seed)):
        rng = Random(f"synth:{seed}:post:{i}")
        dutch = Random(f"synth:{seed}:dutch:{i // DUTCH_EVERY}").randrange(DUTCH_EVERY) == i % DUTCH_EVERY
        mixed = dutch and rng.random() < MIXED_SHARE
        lang = "nl" if dutch else "en"
        country = rng.choice(COUNTRIES)
        w = Writer(rng, vocab, country, lang, when.year)
        en_writer = Writer(rng, vocab, country, "en", when.year) if mixed else None
        title = w.fill(rng.choice(NL_TITLE if dutch else EN_TITLE))
        text = _body(w, lang, mixed, en_writer)
        truncated = rng.random() < TRUNCATED_SHARE
        html = text_to_html(text)
        if truncated:
            html = _with_more(html)
        ym = f"{when.year:04d}/{when.month:02d}"
        if ym != month:
            month, slugs = ym, {}
        slug = slugify(title)
        slugs[slug] = slugs.get(slug, 0) + 1
        if slugs[slug] > 1:
            slug = f"{slug}_{slugs[slug]:02d}"
        labels = sorted(rng.sample(LABELS, rng.randint(1, 3)) + (["nederlands"] if dutch else []))
        post = Post(
            id=str(5_000_000_000_000_000_000 + i * 7_919 + rng.randrange(7_919)),
            url=meta.url(f"{ym}/{slug}.html"),
            date=when.strftime("%Y-%m-%d"),
            published=when.strftime("%Y-%m-%dT%H:%M:00") + TZ,
            title=title,
            text=text,
            author=rng.choice(AUTHORS),
            labels=labels,
            html=html,
        )
        yield SynthPost(post, truncated, dutch, mixed)


def synth_posts(n: int, seed: int = 0) -> Iterator[Post]:
    """Yield `n` synthetic posts (oldest first) without writing anything; for benchmarks and tests."""
    for entry in synth_entries(n, seed):
        yield entry.post


# ---------------------------------------------------------------- pages and the raw store


@dataclass(frozen=True)
class Page:
    """One rendered page to store."""

    url: str
    html: str


def synth_pages(entries: Iterable[SynthPost], meta: BlogMeta, page_size: int = PAGE_SIZE) -> Iterator[Page]:
    """Month archive pages (newest first, paginated), permalink pages of truncated posts, then the home page."""
    newest: deque[SynthPost] = deque(maxlen=page_size)
    archive: list[tuple[int, int, int]] = []
    for (year, month), group in groupby(entries, key=lambda e: (int(e.post.date[:4]), int(e.post.date[5:7]))):
        posts = list(group)
        newest.extend(posts)
        archive = [a for a in archive if a[0] == year] + [(year, month, len(posts))]
        ordered = posts[::-1]
        pages = [ordered[k : k + page_size] for k in range(0, len(ordered), page_size)]
        urls = [meta.url(f"{year:04d}/{month:02d}/")] + [
            meta.url(f"search?updated-max={quote(p[-1].post.published or '')}&max-results={page_size}")
            for p in pages[:-1]
        ]
        for k, chunk in enumerate(pages):
            yield Page(urls[k], listing_page(
                meta, [e.post for e in chunk],
                truncate_ids=frozenset(e.post.id for e in chunk if e.truncated),
                older_url=urls[k + 1] if k + 1 < len(urls) else None,
                newer_url=urls[k - 1] if k else None,
                archive=archive,
            ))
        for e in posts:
            if e.truncated:
                yield Page(e.post.url, permalink_page(meta, e.post))
    if newest:
        home = list(newest)[::-1]
        yield Page(meta.base_url, listing_page(
            meta, [e.post for e in home], truncate_ids=frozenset(e.post.id for e in home if e.truncated),
            older_url=meta.url(f"search?updated-max={quote(home[-1].post.published or '')}&max-results={page_size}"),
            archive=archive,
        ))


@dataclass
class SynthSummary:
    """What a synthetic store holds."""

    posts: int = 0
    dutch: int = 0
    mixed: int = 0
    truncated: int = 0
    pages: int = 0
    bytes: int = 0
    path: str = ""
    words: int = 0


def _counting(entries: Iterable[SynthPost], summary: SynthSummary) -> Iterator[SynthPost]:
    for e in entries:
        summary.posts += 1
        summary.dutch += e.dutch
        summary.mixed += e.mixed
        summary.truncated += e.truncated
        summary.words += _words(e.post.text)
        yield e


def write_synth(out: str | Path, n: int, seed: int = 0, page_size: int = PAGE_SIZE) -> SynthSummary:
    """Write a synthetic blog of `n` posts as a raw store in `out` (atomically); same seed, same bytes."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    from pipeline.jsonl import atomic_open
    from pipeline.rawstore import WARC_NAME

    if n < 0 or page_size < 1:
        raise InputError(f"--posts must be 0 or more ({n}) and --page-size at least 1 ({page_size})")
    out_dir = Path(out)
    if out_dir.exists() and not out_dir.is_dir():
        raise InputError(f"{out_dir}: the raw store must be a directory")
    others = [p.name for p in out_dir.glob("*.warc*") if p.name != WARC_NAME] if out_dir.is_dir() else []
    if others:
        raise InputError(f"{out_dir}: holds other WARC files ({', '.join(sorted(others))}); use an empty directory")
    meta = BlogMeta(labels=LABELS)
    summary = SynthSummary(path=str(out_dir / WARC_NAME))
    entries = _counting(synth_entries(n, seed, meta), summary)
    with atomic_open(out_dir / WARC_NAME, "wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for k, page in enumerate(synth_pages(entries, meta, page_size)):
            body = page.html.encode("utf-8")
            http = StatusAndHeaders("200 OK", list(CONTENT_TYPE), protocol="HTTP/1.1")
            # Fixed record ids and dates make the store byte-identical for a seed.
            headers = {
                "WARC-Date": (CRAWL_TIME + timedelta(seconds=k)).strftime("%Y-%m-%dT%H:%M:%SZ"),
                "WARC-Record-ID": f"<urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'synth/{seed}/{k}/{page.url}')}>",
            }
            record = writer.create_warc_record(page.url, "response", payload=io.BytesIO(body), length=len(body),
                                               http_headers=http, warc_headers_dict=headers)
            writer.write_record(record)
            summary.pages += 1
        summary.bytes = fh.tell()
    log.info("synthetic blog: %d posts (%d Dutch, %d mixed, %d truncated), %d pages, %.1f MB in %s",
             summary.posts, summary.dutch, summary.mixed, summary.truncated, summary.pages, summary.bytes / 1e6,
             summary.path)
    return summary


def add_cli(sub: argparse._SubParsersAction) -> None:
    """Register ``synth``."""
    p = sub.add_parser("synth", help="write a deterministic synthetic Blogger blog as a raw store",
                       description="Generate N posts in the blog's genre (English, about one in ten Dutch, some "
                       "mixed; figures, organisations, ILO conventions) and store them as Blogger month-archive "
                       "listing pages, permalink pages of truncated posts and a home page, in a WARC raw store. "
                       "The same seed gives byte-identical output.")
    p.add_argument("--posts", type=int, required=True, metavar="N", help="number of posts")
    p.add_argument("--out", required=True, metavar="RAW", help="raw store directory to write")
    p.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    p.add_argument("--page-size", type=int, default=PAGE_SIZE, help=f"posts per listing page (default {PAGE_SIZE})")
    p.set_defaults(func=lambda a: write_synth(a.out, a.posts, a.seed, a.page_size) and 0)
