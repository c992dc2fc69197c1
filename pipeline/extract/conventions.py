"""ILO instruments: find mentions by number or title, normalise to ids (C189, R202, P29), resolve.

In the manner of eyecite: *find* candidate citations with a few compiled patterns (keyword + number
lists, bare codes, titles anchored on their keyword), *normalise* each to an instrument id through the
shipped table, then *resolve*: a title followed by its own number is one mention, a number the table
does not know is reported as unknown rather than invented, and bare codes need ILO context.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc

from pipeline.extract.casing import lowered
from pipeline.extract.convention_context import (
    MARK,
    bracketed_numbers,
    ilo_numbers,
    own_protocols,
    protocols_through_conventions,
)
from pipeline.extract.lexicon import alternation, first_letter_alternation, mapping, rows
from pipeline.extract.sentences import doc_text, sentence_of
from pipeline.instruments import FOLD, PREFIX, InstrumentTable, load_table, title_key
from pipeline.records import ConventionMention, Post
from pipeline.vocab import words

if not Doc.has_extension("conventions"):
    Doc.set_extension("conventions", default=None)

# The ILO's names ("ILO", "IAO", "OIT", "BIT"), and the instrument words with the kind each names
# (pipeline/data/instrument_words.csv, written capitalised: matched with a capital or a small initial).
ILO_NAMES = words("ilo_names")
ILO_NAMES_LONGEST_FIRST = sorted(ILO_NAMES, key=lambda n: (-len(n), n))
INSTRUMENT_WORDS = [r["word"] for r in rows("instrument_words")]
INSTRUMENT_KIND = mapping("instrument_words", lambda r: r["word"].lower(), lambda r: r["kind"])
ILO_NAME_BEFORE = re.compile(rf"^(?:{alternation(ILO_NAMES)})[\s-]+")

# The mark of a number (No., nr., n°, "n o" ...): convention_context.MARK.
NUM = rf"(?:{MARK}\s*)?0*(?P<n>\d{{1,4}})"
# Words that join the numbers of a list (and, en, et, ...; a comma, a semicolon and & in every language).
SPACE = r"\s+"
LIST = rf"(?:,|;|&|\b(?i:{alternation(words('ilo_list_words'), space=SPACE)})\b)"
# Between the instrument word and a marked number: adjectives and names of the ILO ("conventions fondamentales
# n os 29 et 87", "la convention de l'OIT n° 189").
BETWEEN_WORDS = alternation(words("ilo_instrument_adjectives") | words("ilo_qualifiers"), space=SPACE)
BETWEEN = rf"(?:\s*,?\s+(?i:{BETWEEN_WORDS})\b)"
KEYWORD = rf"(?P<kw>(?:(?:{alternation(ILO_NAMES)})[\s-]+)?(?:{first_letter_alternation(INSTRUMENT_WORDS)}))"
# "Convention No. 189", "Conventions 97 and 143", "Conventions No. 87 & 98", "ILO-verdrag nr. 189",
# "Convention (No. 189)", "conventions nos 29 et 81", "conventions, Nos. 87 and 98". The list continues only
# across list words and commas.
NUMBERED = re.compile(
    KEYWORD + rf"(?:{BETWEEN}+(?=\s*,?\s*\(?\s*{MARK}\s*\d))?(?:\s*,(?=\s*\(?\s*{MARK}\s*\d))?\s*\(?\s*" + NUM
    + rf"(?P<rest>(?:\s*{LIST}\s*(?:{MARK}\s*)?0*\d{{1,3}}\b)*)\)?"
)
REST_NUMBER = re.compile(rf"(?:{MARK}\s*)?0*(\d{{1,3}})\b")
# A list that goes on after a number: after a bracket ("87 (freedom of association) and 98"), or after words when
# the next number has its mark ("nr. 87 over vakbondsvrijheid en nr. 98").
CONTINUED = re.compile(rf"\s*(?:\([^()\n]{{1,100}}\)\s*)?{LIST}\s*(?:{MARK}\s*)?0*(?P<n>\d{{1,3}})\b")
CONTINUED_AFTER_WORDS = re.compile(rf"(?P<gap>[^.!?;:\d\n]{{1,150}}?){LIST}\s*{MARK}\s*0*(?P<n>\d{{1,3}})\b")
# C189, C-189, C.189, C029, R202, P029; "C 189" only for conventions. Case-sensitive on purpose: "p. 47".
# The letter comes first and the look-behind after it, so that the engine can skip ahead to a C, R or P:
# with the look-behind first it tried the whole pattern at every character, four times slower.
CODE = re.compile(r"(?P<letter>[CRP])(?<![\w/@.#-].)(?:(?<=C)[-.]?\s?|[-.]?)0*(?P<n>\d{1,3})(?![\w-]|\.\d)")
CODE_LIST = re.compile(rf"\s*{LIST}\s*(?:(?P<p>[CRP])[-.]?)?0*(?P<n>\d{{1,3}})(?![\w-]|\.\d)")
# Words after a listed number that show it counts something rather than naming an instrument.
COUNTING_WORD = re.compile(
    r"\s+(?:[a-z]+s|" + alternation(words("counted_nouns") | words("ilo_not_listed_after")) + r")\b"
    + "".join(rf"(?<!\b{re.escape(w)})" for w in sorted(words("not_counted_words"))))
PLACE_BEFORE = re.compile(r"(?i)\b(?:" + alternation(words("place_words")) + r")\s*$")
CONTEXT = re.compile(r"\b(?:" + first_letter_alternation(ILO_NAMES | words("ilo_context")) + r")\b")
G_FAMILY = re.compile(r"\b[GLBTYWSU](\d{1,2})\b")
NON_ILO_AFTER = re.compile(r"\s*(?:" + first_letter_alternation(words("not_instrument_after")) + ")")
TITLE_KEYWORDS = frozenset(r["word"].lower() for r in rows("instrument_words") if r["title"] == "yes")
# Names of the ILO that may stand between a keyword and the rest of its title, as word tuples, longest first.
QUALIFIERS = sorted({title_key(q) for q in words("ilo_qualifiers")}, key=lambda q: (-len(q), q))


def _stems(keywords: Iterable[str]) -> list[str]:
    """Each keyword less its first letter, those sharing their first six letters cut to what they share
    ('onvention', 'onventie' -> 'onventi'): a few distinctive stems to scan texts for."""
    groups: dict[str, list[str]] = {}
    for word in {k.lower()[1:] for k in keywords}:
        groups.setdefault(word[:6], []).append(word)
    return sorted(os.path.commonprefix(group) for group in groups.values())


# Every keyword holds one of these stems after its first letter: texts are scanned for them (cheap, on the
# lowercased text) and the costly patterns run only where they are.
STEM = re.compile(alternation(_stems(INSTRUMENT_WORDS)))
STEM_ANY_CASE = re.compile(STEM.pattern, re.IGNORECASE)
TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)?", re.UNICODE)
MAX_TITLE_WORDS = 16
# The kind of a bare code's letter (C189, R202, P29).
KIND = {letter.lower(): kind for kind, letter in PREFIX.items()}
# Gap allowed between a title and its own number: ", 2011 (ILO Convention No. 189)", " (C189)" (the English
# and Dutch names of the ILO only, as before).
JOIN_GAP = re.compile(r"^[\s,()\-–]*(?:\d{4})?[\s,()\-–]*(?:ILO|IAO)?[\s-]*$")


@dataclass(frozen=True)
class Found:
    """A candidate mention before provenance is attached."""

    start: int
    end: int
    kind: str
    number: int
    via_title: bool = False


def _kind(keyword: str) -> str:
    return INSTRUMENT_KIND.get(ILO_NAME_BEFORE.sub("", keyword).lower(), "convention")


def stems(text: str) -> list[int]:
    """Offsets of the keyword stems in a text (case-insensitive)."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return [m.start() for m in STEM.finditer(lowered)]
    return [m.start() for m in STEM_ANY_CASE.finditer(text)]  # lowercasing moved offsets ("İ")


def _numbered_matches(text: str, stem_at: list[int]) -> Iterator[re.Match[str]]:
    """NUMBERED.finditer(text), trying the pattern only where a keyword (or its 'ILO ' prefix) starts."""
    last_end = 0
    for p in stem_at:
        kw = p - 1  # every keyword has one letter before its stem
        if kw < last_end:
            continue
        j = kw
        while j > 0 and (text[j - 1].isspace() or text[j - 1] == "-"):
            j -= 1
        name = next((n for n in ILO_NAMES_LONGEST_FIRST if j < kw and text.endswith(n, 0, j)), None)
        starts = [j - len(name), kw] if name else [kw]
        for start in starts:
            if start >= last_end and (m := NUMBERED.match(text, start)) is not None:
                last_end = m.end()
                yield m
                break


def find_numbered(text: str, stem_at: list[int] | None = None) -> list[Found]:
    """Keyword + number(s) mentions; each listed number is its own mention."""
    out = []
    for m in _numbered_matches(text, stems(text) if stem_at is None else stem_at):
        n = int(m.group("n"))
        if n >= 1000:  # a year after the keyword ("Convention 2011"), not a number
            continue
        kind = _kind(m.group("kw"))
        first_end = m.end("n")
        if text[first_end:first_end + 1] == ")" and "(" in text[m.start():first_end]:
            first_end += 1
        found = [Found(m.start(), first_end, kind, n)]
        rest_start = m.start("rest")
        end = first_end
        for r in REST_NUMBER.finditer(m.group("rest") or ""):
            after = rest_start + r.end()
            if _counts_something(text, after):
                break
            found.append(Found(rest_start + r.start(), after, kind, int(r.group(1))))
            end = after
        else:
            found.extend(_continued(text, max(end, m.end("rest")), kind))
        out.extend(found)
    return out


def _counts_something(text: str, after: int) -> bool:
    """Whether the number that ends at `after` counts something ('20 other standards', '98 %')."""
    return COUNTING_WORD.match(text, after) is not None or re.match(r"\s*%", text[after:after + 3]) is not None


def _continued(text: str, pos: int, kind: str) -> list[Found]:
    """Numbers that go on with a list after `pos`: after a bracket, or after words when they have their mark."""
    out = []
    while True:
        m = CONTINUED.match(text, pos)
        if m is None:
            m = CONTINUED_AFTER_WORDS.match(text, pos)
            # The words between must not name another instrument (that one speaks for itself) or end a sentence.
            if m is None or STEM_ANY_CASE.search(m.group("gap")) or "\n\n" in m.group("gap"):
                return out
        if _counts_something(text, m.end()) or int(m.group("n")) == 0:
            return out
        start = m.start("n")
        while start > pos and not text[start - 1].isspace() and text[start - 1] not in ",;&(":
            start -= 1  # the mark belongs to the mention ("nr. 98")
        out.append(Found(start, m.end(), kind, int(m.group("n"))))
        pos = m.end()


def find_codes(text: str) -> list[Found]:
    """Bare codes (C189, R202, P29, and lists 'C87 and C98'), kept only where ILO context is present."""
    matches = list(CODE.finditer(text))
    if not matches:
        return []
    context = CONTEXT.search(text) is not None
    g_numbers = {int(m.group(1)) for m in G_FAMILY.finditer(text)}
    out = []
    for m in matches:
        letter = m.group("letter")
        number = int(m.group("n"))
        digits = m.group("n")
        if letter in "RP" and number < 10 and len(digits) == 1:  # R2, P4: too ambiguous to be citations
            continue
        # Without ILO context only a distinctive code counts: three digits or zero-padded (C189, C029).
        if not context and not (letter == "C" and len(m.group(0).lstrip("C-. ")) >= 3):
            continue
        if " " in m.group(0) and (number < 10 or not context):
            continue
        if letter == "C" and number in g_numbers:  # C20 next to G20/L20: the civil-society track
            continue
        if NON_ILO_AFTER.match(text, m.end()) or PLACE_BEFORE.search(text[max(0, m.start() - 12):m.start()]):
            continue
        kind = KIND[letter.lower()]
        out.append(Found(m.start(), m.end(), kind, number))
        pos = m.end()
        while (lm := CODE_LIST.match(text, pos)) is not None:
            nxt_kind = KIND[lm.group("p").lower()] if lm.group("p") else kind
            if not lm.group("p") and COUNTING_WORD.match(text, lm.end()):
                break
            start = lm.start("p") if lm.group("p") else lm.start("n")
            out.append(Found(start, lm.end(), nxt_kind, int(lm.group("n"))))
            pos = lm.end()
    return out


def title_windows(text: str, stem_at: list[int]) -> list[tuple[int, int]]:
    """Disjoint stretches of the text, cut at white space, that hold every keyword with the words a title
    around it can reach (so titles are looked for there, not across the whole text)."""
    reach = MAX_TITLE_WORDS + 3  # tokens either side the search looks at, with a margin
    spans: list[tuple[int, int]] = []
    for p in stem_at:
        width = 200
        while True:
            s, e = max(0, p - width), min(len(text), p + width)
            while s > 0 and not text[s - 1].isspace():
                s -= 1
            while e < len(text) and not text[e].isspace():
                e += 1
            if ((s == 0 or len(TOKEN.findall(text, s, p)) > reach)
                    and (e == len(text) or len(TOKEN.findall(text, p, e)) > reach)):
                break
            width *= 2
        spans.append((s, e))
    merged: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        else:
            merged.append((s, e))
    return merged


def find_titles(text: str, table: InstrumentTable, stem_at: list[int] | None = None) -> list[tuple[Found, str]]:
    """Mentions by title, anchored on the keyword word; returns (found, instrument id)."""
    out: list[tuple[Found, str]] = []
    for s, e in title_windows(text, stems(text) if stem_at is None else stem_at):
        out.extend(_titles_in(text, s, e, table))
    return out


def _titles_in(text: str, window_start: int, window_end: int, table: InstrumentTable) -> list[tuple[Found, str]]:
    low = lowered(text[window_start:window_end])
    if low is not None:  # the same words, lower-cased in one go rather than one at a time
        tokens = TOKEN.findall(low.replace("’", "'"))
    else:
        tokens = [w.lower().replace("’", "'") for w in TOKEN.findall(text, window_start, window_end)]
    words = [FOLD.get(t, t) for t in tokens]
    keep = _without_qualifiers(words)
    if len(keep) < len(words):
        words = [words[i] for i in keep]
    spans: list[tuple[int, int]] = []  # token offsets, found only once a title needs them
    out: list[tuple[Found, str]] = []
    taken_until = -1
    for k, w in enumerate(words):
        if w not in TITLE_KEYWORDS:
            continue
        best: tuple[int, int] | None = None
        # Titles end at the keyword (optionally followed by "Revised") or start with it; the longest wins.
        ends = [k + 1] + ([k + 2] if k + 1 < len(words) and words[k + 1] == "revised" else [])
        for end in ends:
            start = _longest_title(words, end, table, backward=True)
            if start is not None and (best is None or end - start > best[1] - best[0]):
                best = (start, end)
        end = _longest_title(words, k, table, backward=False)
        if end is not None and end > k + 1 and (best is None or end - k > best[1] - best[0]):
            best = (k, end)
        if best is None or best[0] <= taken_until:
            continue
        start, end = best
        year = None
        if end < len(words) and re.fullmatch(r"(1[89]|20)\d\d", words[end]):
            year = int(words[end])
        row = table.resolve_title(tuple(words[start:end]), year)
        if row is None:
            continue
        taken_until = end - 1
        spans = spans or [m.span() for m in TOKEN.finditer(text, window_start, window_end)]
        s, e = spans[keep[start]][0], spans[keep[end - 1]][1]
        if text[e:e + 1] == ")" and "(" in text[s:e]:
            e += 1
        out.append((Found(s, e, row.type, row.number, via_title=True), row.id))
    return out


def _without_qualifiers(words: list[str]) -> list[int]:
    """Indexes of the words less a name of the ILO right after a title keyword ("convention de l'OIT sur ...")."""
    drop: set[int] = set()
    for i in [i for i, w in enumerate(words) if w in TITLE_KEYWORDS]:
        q = next((q for q in QUALIFIERS if tuple(words[i + 1:i + 1 + len(q)]) == q), ())
        drop.update(range(i + 1, i + 1 + len(q)))
    return [i for i in range(len(words)) if i not in drop] if drop else list(range(len(words)))


def _longest_title(words: list[str], anchor: int, table: InstrumentTable, *, backward: bool) -> int | None:
    """The far end of the longest title (of at most MAX_TITLE_WORDS words) that ends (backward) or starts at
    `anchor`, or None."""
    # Words are added one at a time, and the walk stops once no title ends (or starts) with them.
    runs = table.title_suffixes if backward else table.title_prefixes
    found = None
    for n in range(1, MAX_TITLE_WORDS + 1):
        lo, hi = (anchor - n, anchor) if backward else (anchor, anchor + n)
        if lo < 0 or hi > len(words):
            break
        run = tuple(words[lo:hi])
        if run not in runs:
            break
        if run in table.titles:
            found = lo if backward else hi
    return found


def normalise(found: Found, table: InstrumentTable) -> tuple[str | None, str, bool]:
    """(id or None, type, unknown) for a numbered candidate."""
    row = table.by_number(found.kind, found.number)
    if row is not None:
        return row.id, row.type, False
    return None, found.kind, True


def extract_mentions(text: str, table: InstrumentTable) -> list[tuple[int, int, str | None, str, int, bool]]:
    """All mentions in a text as (start, end, id, type, number, unknown), merged and sorted."""
    cands: list[tuple[int, int, str | None, str, int, bool]] = []
    stem_at = stems(text)
    for found, iid in find_titles(text, table, stem_at):
        cands.append((found.start, found.end, iid, found.kind, found.number, False))
    for found in [*find_numbered(text, stem_at), *find_codes(text)]:
        iid, kind, unknown = normalise(found, table)
        cands.append((found.start, found.end, iid, kind, found.number, unknown))
    cands.extend(ilo_numbers(text, table))
    cands.extend(bracketed_numbers(text, cands, table))
    cands = protocols_through_conventions(text, cands, table)
    cands.extend(own_protocols(text, cands, table, stem_at))
    cands.sort(key=lambda c: (c[0], -(c[1] - c[0])))
    merged: list[tuple[int, int, str | None, str, int, bool]] = []
    for c in cands:
        if merged:
            prev = merged[-1]
            same = prev[2] == c[2] and prev[3] == c[3] and prev[4] == c[4]
            # Overlapping candidates: the longer (earlier-sorted) one stands; a title followed by its own
            # number in brackets becomes one mention.
            if c[0] < prev[1] and (same or c[1] <= prev[1]):
                merged[-1] = (prev[0], max(prev[1], c[1]), *prev[2:])
                continue
            if same and JOIN_GAP.match(text[prev[1]:c[0]]) and "(" in text[prev[1]:c[0]]:
                end = c[1] + (1 if text[c[1]:c[1] + 1] == ")" else 0)
                merged[-1] = (prev[0], end, *prev[2:])
                continue
            if c[0] < prev[1]:
                continue
        merged.append(c)
    return merged


class ConventionsComponent:
    """spaCy component: sets ``doc._.conventions`` to ConventionMention items (doc offsets)."""

    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name
        self.table = load_table()

    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        mentions = []
        for start, end, iid, kind, number, unknown in extract_mentions(text, self.table):
            mentions.append(ConventionMention(text=text[start:end], start=start, end=end,
                                              sentence=sentence_of(doc, start, end),
                                              id=iid, type=kind, number=number, unknown=unknown))
        doc._.conventions = mentions
        return doc


@Language.factory("conventions")
def make_conventions(nlp: Language, name: str) -> ConventionsComponent:
    """Factory of the conventions component."""
    return ConventionsComponent(nlp, name)


def instruments_of(mentions: Iterable[ConventionMention], table: InstrumentTable | None = None) -> list:
    """Distinct known instruments of the mentions, sorted by type then number."""
    table = table or load_table()
    order = {kind: i for i, kind in enumerate(PREFIX)}
    ids = {m.id for m in mentions if m.id}
    rows = [table.rows[i] for i in ids if i in table.rows]
    return [r.to_instrument() for r in sorted(rows, key=lambda r: (order[r.type], r.number))]


def finalize(post: Post, mentions: list[ConventionMention]) -> dict[str, list]:
    """Record fields owned by this extractor: the mentions and the distinct instruments."""
    return {"conventions": mentions, "instruments": instruments_of(mentions)}
