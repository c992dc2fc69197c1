"""Capitalised phrases headed by an organisation noun: "Ministry of Labour and Vocational Training", "Sindh
Home Based Workers Union", "Konfederasi Serikat Buruh ...", unless the phrase is an event, a law, a programme
or a generic descriptor ("the Belgian Trade Union", "Continental Network")."""

from __future__ import annotations

import re

from pipeline.extract.organisations.candidates import SENTINEL, Candidate, DocState, masked_text, unknown_key
from pipeline.extract.organisations.heads import MAX_NAME_WORDS, is_head
from pipeline.extract.organisations.vocabulary import (
    AND,
    ARTICLES,
    BRANCH_HEADS,
    CAP_WORDS,
    DEMONYMS,
    EVENT_CUE_AFTER,
    EVENT_CUE_BEFORE,
    EVENT_HEADS,
    EVENT_WORDS,
    EXTEND,
    FORMAL_HEADS,
    GOVERNMENT_HEADS,
    HEAD_FOLLOWERS,
    HEAD_INITIAL,
    HEADS,
    INDEFINITE_BEFORE,
    LEAD_TRIM,
    NEVER_DISTINCTIVE,
    NOT_ORG_PHRASES,
    NOT_ORG_WORDS,
    ROLE_WORDS,
    RUN,
    RUN_TOKEN,
    SOFT_GENERIC,
    TITLE_BEFORE,
    TOPIC_WORDS,
)
from pipeline.kb import normalise_name


def find_phrases(state: DocState) -> None:
    """Capitalised phrases headed by an organisation noun, outside the spans already recognised."""
    masked = masked_text(state)
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
    if is_head(texts[-1]) or (len(texts) > 1 and texts[-1] in HEAD_FOLLOWERS and is_head(texts[-2])):
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
        head = (texts[-1] if is_head(texts[-1]) else texts[-2] if texts[-1] in HEAD_FOLLOWERS and len(texts) > 1
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
    if len(caps) < 2 or len(caps) > MAX_NAME_WORDS:
        return False
    pre_head = caps[:caps.index(head)] if head in caps else caps
    # "Trade Union Law", "Budget Committee", "Summit Organising Committee" are not names; a topic inside the
    # complement is fine: "Centre for Policy Dialogue", "Committee on the Application of Standards".
    if (caps[-1] in NOT_ORG_WORDS or any(w in EVENT_WORDS for w in caps)
            or any(w in NOT_ORG_WORDS and not (w in TOPIC_WORDS and head in FORMAL_HEADS) for w in pre_head)):
        return False
    if head in EVENT_HEADS and (EVENT_CUE_BEFORE.search(text[max(0, s - 24):s]) or EVENT_CUE_AFTER.match(text, e)
                                or re.search(SENTINEL + r"[ \t]+$", masked[max(0, s - 3):s])):
        return False  # "the 3rd Mekong Forum, which took place in ...", "ASEAN People's Forum": an event
    if normalise_name(phrase) in NOT_ORG_PHRASES:
        return False
    if TITLE_BEFORE.search(text[max(0, s - 12):s]):
        return False
    if INDEFINITE_BEFORE.search(text[max(0, s - 6):s]):
        return False  # "we demand a Global Social Protection Fund": not (yet) an organisation
    if re.match(r"[ \t]+" + SENTINEL, masked[e:e + 3]):
        return False  # descriptor in apposition: "the Belgian Trade Union ACV-CSC"
    if head in BRANCH_HEADS and re.search(SENTINEL + r"[ \t]+$", masked[max(0, s - 3):s]):
        return False  # an office of the organisation just named: "Friedrich-Ebert-Stiftung Office for ..."
    modifiers = list(caps)
    if head in modifiers:
        modifiers.remove(head)
    soft_ok = head in FORMAL_HEADS or complement or len(modifiers) >= 3
    distinctive = [w for w in modifiers if w not in NEVER_DISTINCTIVE
                   and (soft_ok or (w not in SOFT_GENERIC and re.sub(r"['’]s$", "", w) not in SOFT_GENERIC))]
    return bool(distinctive) or (head not in HEADS and is_head(head))  # "Federaal Planbureau"


def join_known_modifier(state: DocState) -> None:
    """A known acronym right before an unknown organisation phrase is part of its name: "UN Working Group on
    Rural Pensions", "ASEAN Secretariat" name the body, not the UN or ASEAN as well."""
    found = sorted(state.found, key=lambda c: (c.start, c.end))
    for kb, phrase in zip(found, found[1:], strict=False):
        if not (kb.acronym and not kb.key.startswith("x-") and phrase.key.startswith("x-") and not phrase.acronym):
            continue
        if state.text[kb.end:phrase.start] not in (" ", "-"):
            continue
        name = state.text[kb.start:phrase.end]
        joined = Candidate(kb.start, phrase.end, unknown_key(name), False)
        state.found = [c for c in state.found if c is not kb and c is not phrase] + [joined]
        state.taken = [t for t in state.taken if t not in ((kb.start, kb.end), (phrase.start, phrase.end))]
        state.taken.append((joined.start, joined.end))
        state.acronyms = {a: joined.key if k == phrase.key else k for a, k in state.acronyms.items()}
