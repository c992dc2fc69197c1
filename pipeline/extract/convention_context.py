"""Instrument mentions that only their context decides: "ILO 183" and protocols named through their convention.

- **An ILO name and a bare number** ("ILO 183", "(IAO 138)", "OIT 189") names Convention 183 when the number
  stands alone in brackets, or when it has two digits or more and its sentence ratifies, adopts or applies
  something (``ilo_adoption_words``); otherwise it is anything from a centenary ("ILO 100") to a report number,
  and is left alone. Only numbers the instruments table knows as conventions count.
- **A marked number in brackets after an instrument word** in the same sentence ("het Verdrag betreffende
  fatsoenlijk werk voor huishoudelijk personeel (nr. 189)") is that kind of instrument, unless the word is made
  something else by what follows it (``instrument_not_after``: "convention collective").
- **A convention's own protocol** ("Convention No. 29 and its Protocol of 2014", "(ainsi que son protocole de
  2014)") after a convention mention in the same sentence is that convention's protocol (``protocol_possessives``).
- **A protocol named through its convention** ("the Protocol of 2014 to the Forced Labour Convention", "het
  protocol bij verdrag 29", "le protocole de 2014 relatif à la convention sur le travail forcé") is that
  convention's protocol (P29) when the table has one: the convention mention becomes the protocol's, stretched
  back to the word "protocol". Only years, names of the ILO and ``protocol_link_words`` may stand between.

Pure functions over the text and the mentions ``conventions.extract_mentions`` found.
"""

from __future__ import annotations

import re

from pipeline.extract.lexicon import alternation, first_letter_alternation, rows
from pipeline.instruments import PREFIX, InstrumentTable
from pipeline.vocab import words

# The mark of a number: No., no, Nos, Nr., nrs, n°, nº, N°, "n o" and "n os" (a PDF's spacing of n°), number(s),
# nummer(s), numéro(s), #.
MARK = r"(?:[Nn][RrOo][Ss]?\.?|[Nn]\s?[oº°]s?\.?|[Nn]ummers?|[Nn]umbers?|[Nn]uméros?|#)"

# (start, end, id, type, number, unknown): a mention as conventions.extract_mentions handles it.
Mention = tuple[int, int, str | None, str, int, bool]

_NAMES = alternation(words("ilo_names"))
# An ILO name, a space or hyphen, a number of one to three digits standing alone ("ILO 183", "IAO-138"); what may
# not stand before the name is checked in code (a look-behind first is tried at every character: slow).
ILO_NUMBER = re.compile(rf"(?:{_NAMES})[\s-]0*(?P<n>\d{{1,3}})(?![\w@%/-]|[.,]\d)")
NOT_BEFORE_NAME = "@/#.-_"


def _adoption_pattern() -> re.Pattern[str]:
    parts = []
    for entry in sorted(words("ilo_adoption_words"), key=lambda e: (-len(e), e)):
        stem, rest = (entry[:-1], r"\w*") if entry.endswith("*") else (entry, r"\b")
        parts.append(re.escape(stem).replace(r"\ ", r"\s+") + rest)
    return re.compile(r"(?i)\b(?:" + "|".join(parts) + ")")


ADOPTION = _adoption_pattern()
# A word after 'ILO 100' that makes it a count or an age rather than an instrument ("ILO 100 years").
NOT_INSTRUMENT_AFTER = re.compile(r"(?i)\s+(?:" + alternation(words("ilo_not_listed_after") | words("counted_nouns"))
                                  + r")\b")
INSTRUMENT_WORD = re.compile(r"\b(?:" + first_letter_alternation(r["word"] for r in rows("instrument_words")) + r")\b")
KIND_OF_WORD = {r["word"].lower(): r["kind"] for r in rows("instrument_words")}
# "(No. 189)", "(nr. 189)", "(n° 190)": a marked number alone in brackets.
BRACKETED = re.compile(rf"\(\s*{MARK}\s*0*(?P<n>\d{{1,3}})\s*\)")
NOT_INSTRUMENT_PHRASE = re.compile(r"(?i)\s+(?:" + alternation(words("instrument_not_after"), space=r"\s+") + r")\b")
YEAR = re.compile(r"\b(?:19|20)\d\d\b")
MAX_BRACKET_GAP = 120  # characters between an instrument word and its number in brackets
PROTOCOL_WORD = re.compile(
    r"\b(?:" + first_letter_alternation(r["word"] for r in rows("instrument_words") if r["kind"] == "protocol")
    + r")\b")
LINK_WORDS = frozenset(words("protocol_link_words")) | {n.lower() for n in words("ilo_names")}
GAP_TOKEN = re.compile(r"\d{4}|[^\W\d_]+['’]?|[^\s,()–-]")
SENTENCE_END = re.compile(r"[.!?](?=\s+[A-Z])|\n\s*\n|[.!?]\s*$")
MAX_PROTOCOL_GAP = 80  # characters between the word "protocol" and its convention
MAX_OWN_PROTOCOL_GAP = 120  # characters between a convention and "its protocol"
POSSESSIVE_BEFORE = re.compile(
    r"(?i)\b(?:" + alternation(words("protocol_possessives"), space=r"\s+") + r")\s+(?:(?:19|20)\d\d\s+)?$")
YEAR_AFTER = re.compile(r"\s+(?:" + alternation(words("protocol_link_words")) + r")\s+(?:19|20)\d\d\b")


def sentence_around(text: str, start: int, end: int) -> str:
    """The stretch of text around [start, end) up to the nearest sentence ends (at most 300 characters a side)."""
    lo = max(0, start - 300)
    before = [m.end() for m in SENTENCE_END.finditer(text, lo, start)]
    s = before[-1] if before else lo
    after = SENTENCE_END.search(text, end, min(len(text), end + 300))
    return text[s:after.end() if after else min(len(text), end + 300)]


def ilo_numbers(text: str, table: InstrumentTable) -> list[Mention]:
    """'ILO 183' used as an instrument: alone in brackets, or in a sentence of ratifying or adopting."""
    out: list[Mention] = []
    for m in ILO_NUMBER.finditer(text):
        before = text[m.start() - 1] if m.start() else " "
        if before.isalnum() or before in NOT_BEFORE_NAME:
            continue
        number = int(m.group("n"))
        row = table.by_number("convention", number)
        if row is None or NOT_INSTRUMENT_AFTER.match(text, m.end()):
            continue
        bracketed = text[max(0, m.start() - 1):m.start()] == "(" and text[m.end():m.end() + 1] == ")"
        # One digit ("ILO 2") is more often a footnote or a list number than one of the oldest conventions.
        if bracketed or number >= 10 and ADOPTION.search(sentence_around(text, m.start(), m.end())):
            start, end = (m.start() - 1, m.end() + 1) if bracketed else (m.start(), m.end())
            out.append((start, end, row.id, "convention", number, False))
    return out


def _only_links(gap: str) -> bool:
    """Whether the words between a protocol and its convention only link them (years, ILO names, link words)."""
    for token in GAP_TOKEN.findall(gap):
        t = token.lower().replace("’", "'")
        if not (t.isdigit() and len(t) == 4 or t in LINK_WORDS):
            return False
    return True


def protocols_through_conventions(text: str, mentions: list[Mention], table: InstrumentTable) -> list[Mention]:
    """The mentions, with a convention named after the word 'protocol' turned into that convention's protocol."""
    out: list[Mention] = []
    for mention in mentions:
        start, end, iid, kind, number, unknown = mention
        if kind == "convention" and iid and (row := table.get(f"{PREFIX['protocol']}{number}")) is not None:
            window_start = max(0, start - MAX_PROTOCOL_GAP)
            words_before = list(PROTOCOL_WORD.finditer(text, window_start, start))
            # The word "protocol" nearest before the convention, with nothing but linking words between.
            if words_before and _only_links(text[words_before[-1].end():start]):
                out.append((words_before[-1].start(), end, row.id, "protocol", number, False))
                continue
        out.append(mention)
    return out


def own_protocols(text: str, mentions: list[Mention], table: InstrumentTable,
                  stems_at: list[int]) -> list[Mention]:
    """Protocols named as a convention's own after it ("... and its Protocol of 2014"): new mentions."""
    conventions = sorted((m for m in mentions if m[3] == "convention" and m[2]), key=lambda m: m[1])
    if not conventions:
        return []
    out: list[Mention] = []
    for p in PROTOCOL_WORD.finditer(text):
        owner = POSSESSIVE_BEFORE.search(text, max(0, p.start() - 40), p.start())
        if owner is None:
            continue
        before = [m for m in conventions if m[1] <= owner.start() and owner.start() - m[1] <= MAX_OWN_PROTOCOL_GAP]
        if not before:
            continue
        conv = before[-1]
        gap = text[conv[1]:owner.start()]
        # Nothing between may name another instrument or end the sentence.
        if any(conv[1] <= s < owner.start() for s in stems_at) or SENTENCE_END.search(gap) or "\n" in gap:
            continue
        row = table.get(f"{PREFIX['protocol']}{conv[4]}")
        if row is None:
            continue
        year = YEAR_AFTER.match(text, p.end())
        out.append((owner.start(), year.end() if year else p.end(), row.id, "protocol", conv[4], False))
    return out


def bracketed_numbers(text: str, mentions: list[Mention], table: InstrumentTable) -> list[Mention]:
    """'(No. 189)' after an instrument word and a title the table may not know: new mentions."""
    out: list[Mention] = []
    for b in BRACKETED.finditer(text):
        if any(m[0] <= b.start() < m[1] or b.start() <= m[0] < b.end() for m in mentions):
            continue
        lo = max(0, b.start() - MAX_BRACKET_GAP)
        words_before = list(INSTRUMENT_WORD.finditer(text, lo, b.start()))
        if not words_before:
            continue
        word = words_before[-1]
        gap = text[word.end():b.start()]
        # The same sentence, no other number or bracket between (a year after a comma is part of a title).
        if (SENTENCE_END.search(gap) or "\n" in gap or "(" in gap or re.search(r"\d", YEAR.sub("", gap))
                or NOT_INSTRUMENT_PHRASE.match(text, word.end())):
            continue
        kind = KIND_OF_WORD.get(word.group(0).lower(), "convention")
        number = int(b.group("n"))
        row = table.by_number(kind, number)
        out.append((word.start(), b.end(), row.id if row else None, kind, number, row is None))
    return out
