"""Patterns that must end the text they are searched in, searched only where a match can start."""

from __future__ import annotations

import re


def max_width(head: str, flags: int = 0) -> int | None:
    """The most characters a match of ``head`` can take, or None when the regex parser cannot say."""
    try:
        from re import _parser  # the stdlib's own parser (3.11+); private, hence the fallback
    except ImportError:
        return None
    width = _parser.parse(head, flags).getwidth()[1]
    return width if width < _parser.MAXREPEAT else None


class EndPattern:
    """``head`` followed by optional white space and the end of the text, e.g. the word before a number."""

    def __init__(self, head: str, flags: int = 0) -> None:
        self.pattern = re.compile(head + r"\s*$", flags)
        self.reach = max_width(head, flags)
        # For ASCII text, an IGNORECASE pattern finds what its lower-cased twin finds in the lower-cased text,
        # and the case-sensitive scan is faster (twin only when no escape would change meaning, like \S).
        self.twin = (re.compile(head.lower() + r"\s*$", flags & ~re.IGNORECASE)
                     if flags & re.IGNORECASE and not re.search(r"\\[A-Z]", head) else None)

    def search(self, text: str) -> re.Match[str] | None:
        """The match ``pattern.search(text)`` finds."""
        if self.reach is None:
            return self.pattern.search(text)
        # All that follows the head is white space, so the head takes in the last non-space character and
        # starts at most `reach` characters before it. A search from every position of a 30-character window
        # (with IGNORECASE, which rules out the engine's literal-prefix scan) cost 8-10 µs a number.
        start = max(0, len(text.rstrip()) - self.reach)
        if self.twin is not None and text.isascii():
            found = self.twin.search(text.lower(), start)
            return None if found is None else self.pattern.match(text, found.start())
        return self.pattern.search(text, start)
