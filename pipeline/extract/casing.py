"""Lower-casing a text once, when that keeps every character in its place."""

from __future__ import annotations

import re

# Characters beyond Latin-1: most texts have a few (’ “ ” – —), and they have no case.
BEYOND_LATIN1 = re.compile(r"[^\x00-\xff]")


def lowered(text: str) -> str | None:
    """The text lower-cased, when that keeps offsets and IGNORECASE matching the same, else None.

    True of ASCII and Latin-1 text, and of characters with no case (curly quotes, dashes); not of 'İ', which
    lower-cases to two characters, 'ſ', which IGNORECASE matches to 's', or a Greek sigma, whose lower case
    depends on the letters around it.
    """
    if text.isascii() or all(c.lower() == c == c.upper() for c in set(BEYOND_LATIN1.findall(text))):
        return text.lower()
    return None
