"""Fill the synthetic blog's templates for one post: every slot drawn from the post's own random generator."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from random import Random

from pipeline.bench.entities import Instr, Vocabulary
from pipeline.bench.templates import (
    EVENTS,
    EVENTS_NL,
    GROEPEN,
    GROUPS,
    MAANDEN,
    MONTHS,
    NOUNS,
    NOUNS_NL,
    SECTORS,
    THEMAS,
    TOPICS,
    WORDS_EN,
    WORDS_NL,
)

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
