"""ILO instruments: every citation form, every negative, provenance, unknown numbers, seed posts."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import spacy

from pipeline.extract import conventions, sentences  # noqa: F401  (register the factories)
from pipeline.extract.conventions import CODE, finalize
from pipeline.instruments import load_table, title_key
from pipeline.records import Post

SHARED = Path(__file__).resolve().parents[2] / "shared" / "eval"


@pytest.fixture(scope="module")
def nlps(blank_pipelines) -> dict[str, spacy.language.Language]:
    return blank_pipelines("conventions")


POSITIVE = [
    ("en", "Ratify C189 now!", ["C189"]),
    ("en", "the C-189 campaign of the ILO", ["C189"]),
    ("en", "ILO C.189 is key", ["C189"]),
    ("en", "ILO C 189 was adopted in 2011", ["C189"]),
    ("en", "Convention No. 189 was historic", ["C189"]),
    ("en", "ILO Convention 189 protects domestic workers", ["C189"]),
    ("en", "the ILO Convention (No. 189) on domestic work", ["C189"]),
    ("en", "the need to ratify Conventions 97 and 143 in order to protect migrants", ["C97", "C143"]),
    ("en", "Conventions No. 87 & 98 of the ILO", ["C87", "C98"]),
    ("en", "ILO C87 and C98 are fundamental", ["C87", "C98"]),
    ("en", "they violate ILO convention 87 and 98", ["C87", "C98"]),
    ("en", "countries ratified Conventions 87, 98 and 144", ["C87", "C98", "C144"]),
    ("en", "Recommendation 202 on social protection floors", ["R202"]),
    ("en", "the ILO R202 sets out four guarantees", ["R202"]),
    ("en", "Recommendation No. 204 on informality", ["R204"]),
    ("en", "the Protocol of 2014 to the Forced Labour Convention (P29)", ["P29"]),
    ("en", "ratify the ILO P029 now", ["P29"]),
    ("en", "ILO C029 on forced labour", ["C29"]),
    ("en", "the Domestic Workers Convention, 2011 (ILO Convention No. 189).", ["C189"]),
    ("en", "the Social Protection Floors Recommendation is the framework", ["R202"]),
    ("en", "the Violence and Harassment Convention entered into force", ["C190"]),
    ("en", "the Freedom of Association and Protection of the Right to Organise Convention", ["C87"]),
    ("en", "the Right to Organize and Collective Bargaining Convention", ["C98"]),
    ("en", "the Maternity Protection Convention, 1919 was revised", ["C3"]),
    ("en", "the maternity protection convention applies", ["C183"]),
    ("en", "the Social Security (Minimum Standards) Convention, 1952", ["C102"]),
    ("en", "under Convention 98; the CAS adopted conclusions", ["C98"]),
    ("en", "ILO (C.102) on social security", ["C102"]),
    ("en", "Conventions C97 and C143 (ILO) cover migrants", ["C97", "C143"]),
    ("nl", "het IAO-verdrag 189 werd aangenomen", ["C189"]),
    ("nl", "ILO-verdrag nr. 189 werd geratificeerd", ["C189"]),
    ("nl", "Verdrag 189 beschermt huishoudpersoneel", ["C189"]),
    ("nl", "het ILO-conventie 189 is belangrijk", ["C189"]),
    ("nl", "Aanbeveling 202 over sociale bescherming", ["R202"]),
    ("nl", "het Verdrag over huishoudpersoneel", ["C189"]),
    ("nl", "België ratificeerde Verdrag nr. 189 en 190", ["C189", "C190"]),
    ("en", "the ILO core conventions 87 and 98 protect organising", ["C87", "C98"]),
    ("en", "Conventions 87 and 98 were ratified by 12 countries", ["C87", "C98"]),
    ("en", "The Maritime Labour Convention, 2006 protects seafarers", ["C186"]),
]

NEGATIVE = [
    ("en", "the L20 and C20 tracks, shaping the C20 Policy Pack at the G20"),
    ("en", "after COVID-19 the ILO warned"),
    ("en", "reflected in paragraph 41 of the Convention"),
    ("en", "the CAS adopted strong conclusions (p. 47) at the ILO"),
    ("en", "R2 of the ILO report"),
    ("en", "P.S. the ILO office is closed"),
    ("en", "a C-section at the ILO clinic"),
    ("en", "www.ilo.org/dyn/C189x was down"),
    ("en", "the ILO Convention 2011 debate"),
    ("en", "the Migrant Workers Convention of 1990 (UN)"),
    ("en", "Call +977 1 4168000 or write to Box 10652 about the ILO"),
    ("en", "the R2P doctrine at the UN"),
    ("en", "the Convention and its Recommendation were adopted"),
    ("en", "Room C102 hosted the meeting of 87 members"),
    ("nl", "het verdrag werd in 2011 aangenomen"),
]


@pytest.mark.parametrize(("lang", "text", "ids"), POSITIVE)
def test_every_citation_form(nlps, lang: str, text: str, ids: list[str]) -> None:
    doc = nlps[lang](text)
    assert [m.id for m in doc._.conventions] == ids
    for m in doc._.conventions:
        assert text[m.start:m.end] == m.text  # provenance: offsets point at the surface text
        assert m.text in m.sentence


@pytest.mark.parametrize(("lang", "text"), NEGATIVE)
def test_never_a_mention(nlps, lang: str, text: str) -> None:
    assert [m.text for m in nlps[lang](text)._.conventions] == []


def test_title_with_its_number_is_one_mention(nlps) -> None:
    doc = nlps["en"]("On 16 June 2011 the Domestic Workers Convention, 2011 (ILO Convention No. 189) was adopted.")
    assert [(m.id, m.text) for m in doc._.conventions] == [
        ("C189", "Domestic Workers Convention, 2011 (ILO Convention No. 189)")
    ]


def test_unknown_number_is_reported_not_invented(nlps) -> None:
    table = load_table()
    too_big = table.max_number["convention"] + 50
    doc = nlps["en"](f"the mythical ILO Convention No. {too_big} does not exist")
    (m,) = doc._.conventions
    assert m.id is None and m.unknown and m.number == too_big
    post = Post(id="p", url="", date="", title="", text=doc.text)
    assert finalize(post, doc._.conventions)["instruments"] == []


def test_finalize_lists_distinct_instruments_with_table_data(nlps) -> None:
    text = "Ratify C189 and Convention No. 189, C87 and R202."
    doc = nlps["en"](text)
    post = Post(id="p", url="", date="", title="", text=text)
    out = finalize(post, doc._.conventions)
    assert [m.id for m in out["conventions"]] == ["C189", "C189", "C87", "R202"]
    assert [(i.id, i.year, i.fundamental) for i in out["instruments"]] == [
        ("C87", 1948, True), ("C189", 2011, False), ("R202", 2012, False)
    ]
    assert out["instruments"][1].title == "Domestic Workers Convention"


def test_table_is_complete_and_titles_fold_spelling() -> None:
    table = load_table()
    assert table.get("C189").title == "Domestic Workers Convention"
    assert table.get("P29").type == "protocol"
    assert table.max_number["convention"] >= 190 and table.max_number["recommendation"] >= 205
    assert title_key("Right to Organize") == title_key("right to organise")


@pytest.mark.skipif(not (SHARED / "seed_posts.jsonl").exists(), reason="../shared/eval not beside the repo")
def test_seed_posts_precision_and_recall_are_perfect(nlps) -> None:
    gold = {json.loads(line)["id"]: json.loads(line) for line in (SHARED / "seed_gold.jsonl").open()}
    for line in (SHARED / "seed_posts.jsonl").open():
        post = json.loads(line)
        lang = gold[post["id"]]["language"]
        found = {m.id for m in nlps[lang](post["text"])._.conventions if m.id}
        assert found == set(gold[post["id"]]["conventions"]), post["id"]


FILLER = ("Workers from the garment sector met with employers and officials to talk about wages, hours and "
          "the right to organise, and about how social protection reaches those in the informal economy. ")


@pytest.mark.parametrize("before,after", [(0, 0), (1, 0), (0, 1), (6, 6), (40, 3)])
def test_titles_and_numbers_are_found_anywhere_in_long_texts(before: int, after: int) -> None:
    """Titles and numbers are searched near keywords only; the result must not depend on where they sit."""
    from pipeline.extract.conventions import extract_mentions

    table = load_table()
    core = ("The Domestic Workers Convention, 2011 (No. 189) and ILO Conventions 97 and 143 were discussed, "
            "with the Social Protection Floors Recommendation and the Protocol of 2014 to the Forced Labour "
            "Convention.")
    text = FILLER * before + core + " " + FILLER * after
    offset = len(FILLER) * before
    found = [(s - offset, e - offset, iid) for s, e, iid, *_ in extract_mentions(text, table)]
    alone = [(s, e, iid) for s, e, iid, *_ in extract_mentions(core, table)]
    assert found == alone
    assert [iid for *_, iid in alone] == ["C189", "C97", "C143", "R202", "P29"]


def test_code_pattern_matches_the_look_behind_first_form() -> None:
    """CODE puts its letter before the look-behind for speed; it must match what the plain form matches."""
    import random

    plain = re.compile(r"(?<![\w/@.#-])(?:(?P<c>C)[-.]?\s?|(?P<rp>[RP])[-.]?)0*(?P<n>\d{1,3})(?![\w-]|\.\d)")
    rnd = random.Random(3)
    pieces = ["C", "R", "P", "c", "-", ".", " ", "\n", "0", "1", "89", "189", "2024", "a", "_", "/", "@", "#", "(",
              ",", "and", "ILO ", "C-", "R.", "é", "٣"]
    for _ in range(20000):
        text = "".join(rnd.choice(pieces) for _ in range(rnd.randint(1, 12)))
        want = [(m.span(), m.group("c") or m.group("rp"), m.group("n")) for m in plain.finditer(text)]
        assert [(m.span(), m.group("letter"), m.group("n")) for m in CODE.finditer(text)] == want, text


def test_title_walks_find_the_longest_title_as_trying_every_length_does() -> None:
    """The walks stop once no title starts or ends with their words; they must find what every length finds."""
    import random

    from pipeline.extract.conventions import MAX_TITLE_WORDS, _longest_title

    table = load_table()
    vocab = sorted({w for key in table.titles for w in key})
    short = [key for key in table.titles if len(key) <= MAX_TITLE_WORDS]
    rnd = random.Random(4)
    for _ in range(1500):
        words: list[str] = []
        while len(words) < 30:
            words += list(rnd.choice(short)) if rnd.random() < 0.3 else [rnd.choice(vocab)]
        for i in range(len(words) + 1):
            ending = [s for s in range(max(0, i - MAX_TITLE_WORDS), i) if tuple(words[s:i]) in table.titles]
            assert _longest_title(words, i, table, backward=True) == (ending[0] if ending else None)
            starting = [e for e in range(i + 1, min(len(words), i + MAX_TITLE_WORDS) + 1)
                        if tuple(words[i:e]) in table.titles]
            assert _longest_title(words, i, table, backward=False) == (starting[-1] if starting else None)


def test_title_words_are_the_same_lowered_at_once_or_word_by_word() -> None:
    import random

    from pipeline.extract.casing import lowered
    from pipeline.extract.conventions import TOKEN

    rnd = random.Random(6)
    pieces = ["Domestic", "WORKERS", "Convention", " ", "’s", "'", "İ", "ſ", "ΟΔΟΣ", ".", "Σ", "Ä", "—", "x", "_", "1"]
    for _ in range(3000):
        text = "".join(rnd.choice(pieces) for _ in range(rnd.randint(1, 12)))
        low = lowered(text)
        if low is not None:
            assert TOKEN.findall(low.replace("’", "'")) == [w.lower().replace("’", "'") for w in TOKEN.findall(text)]
