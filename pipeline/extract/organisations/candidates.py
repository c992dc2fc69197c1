"""What the recognition rules share about one doc: candidate mentions, the spans already taken, the acronyms
defined so far, and the doc's text with those spans blanked out for the rules that come later."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Marks a recognised span in the masked text: no pattern of the later rules matches it.
SENTINEL = "\x00"
# Blog HTML leaves no-break and narrow spaces ("INSP!R\u202fAsia") and non-breaking hyphens; rules and
# matchers see plain ones (one character for one, so offsets stay those of the doc).
PLAIN = str.maketrans({**{c: " " for c in "\xa0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009"
                                          "\u200a\u202f\u205f\u3000"}, "\u2010": "-", "\u2011": "-"})


@dataclass(frozen=True)
class Candidate:
    """A recognised span of the doc with the entity key it resolves to."""

    start: int
    end: int
    key: str
    acronym: bool


def unknown_key(name: str) -> str:
    """Entity id of an organisation the knowledge base does not know: 'x-' + slug of its name (accents dropped:
    "Fédération" gives "federation")."""
    folded = "".join(c for c in unicodedata.normalize("NFKD", name.casefold()) if not unicodedata.combining(c))
    return "x-" + (re.sub(r"[^a-z0-9]+", "-", folded).strip("-") or "unnamed")


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


def masked_text(state: DocState) -> str:
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
