"""Names in a list with known organisations: "Adidas, Puma and Korvex" (a known company makes the others
companies), "Oxfam, ActionAid and Trocaire" (two known organisations make the others organisations). A known
name that needs context ("Next", "Target") gets it from the list."""

from __future__ import annotations

import re

from pipeline.extract.organisations.candidates import SENTINEL, Candidate, DocState, masked_text, unknown_key
from pipeline.extract.organisations.companies import ITEM, ITEM_RX, JOIN, name_like
from pipeline.kb import KnowledgeBase

LIST = re.compile(rf"(?<![\w&'’-]){ITEM}(?:{JOIN}{ITEM})+")
# How far before and after a known organisation a list with it may reach, in characters.
LIST_REACH = 160
# Known organisations a list needs to vouch for the other names in it: one company, or two of any kind.
KNOWN_OF_ANY_TYPE = 2


def find_lists(state: DocState, kb: KnowledgeBase) -> None:
    """The names of lists with known organisations, looked for only around known ones (the pattern is slow)."""
    masked = masked_text(state)
    windows: list[tuple[int, int]] = []
    for c in sorted((c for c in state.found if kb.get(c.key) is not None), key=lambda c: c.start):
        ws, we = max(0, c.start - LIST_REACH), min(len(masked), c.end + LIST_REACH)
        if windows and ws <= windows[-1][1]:
            windows[-1] = (windows[-1][0], we)
        else:
            windows.append((ws, we))
    for ws, we in windows:
        for m in LIST.finditer(masked, ws, we):
            known = [kb.get(c.key) for c in state.found if m.start() <= c.start and c.end <= m.end()]
            types = [e.type for e in known if e is not None]
            if "company" in types or len(types) >= KNOWN_OF_ANY_TYPE:
                _add(state, kb, masked, m.start(), m.end(), companies="company" in types)


def _add(state: DocState, kb: KnowledgeBase, masked: str, start: int, end: int, companies: bool) -> None:
    """Known names of the list, and unknown ones that may be names: of several words only in a list of
    companies ("Tamber Denim"); in a list of other organisations a name of two words is as likely a person
    ("The ILO, ITUC and Maria Santos spoke")."""
    for item in ITEM_RX.finditer(masked, start, end):
        s, e = item.span()
        if SENTINEL in item.group() or not state.free(s, e):
            continue
        entries = kb.lookup(state.text[s:e])
        if entries:
            state.add(Candidate(s, e, entries[0].id, False))  # "Gap, H&M and Next": the list is its context
        elif name_like(state.text, s, e) and (companies or " " not in item.group().strip()):
            state.add(Candidate(s, e, unknown_key(state.text[s:e]), False))
