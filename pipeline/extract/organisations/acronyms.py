"""What an acronym is and what it abbreviates: letters, the Schwartz-Hearst test, plurals, shapes, and
headings in capitals where every word looks like one."""

from __future__ import annotations

import re

LETTER = re.compile(r"[^\W\d_]")
UPPER = re.compile(r"[A-ZÀ-ÖØ-Þ]")


def acronym_letters(acronym: str) -> str:
    """The letters and digits of an acronym, lower-cased, without a plural 's' (SDGs -> sdg)."""
    a = acronym[:-1] if len(acronym) > 2 and acronym.endswith("s") and acronym[:-1].isupper() else acronym
    return "".join(c for c in a.casefold() if c.isalnum())


def abbreviates(acronym: str, long_form: str) -> bool:
    """Schwartz-Hearst test: the acronym's characters occur in order in the long form, the first at a word start."""
    s = acronym_letters(acronym)
    if len(s) < 2:
        return False
    lf = long_form.casefold()
    if not lf or lf[0] != s[0]:
        return False
    si, li = len(s) - 1, len(lf) - 1
    while si >= 0:
        c = s[si]
        while li >= 0 and (lf[li] != c or (si == 0 and li > 0 and lf[li - 1].isalnum())):
            li -= 1
        if li < 0:
            return False
        li -= 1
        si -= 1
    return True


def is_plural_acronym(token: str) -> bool:
    """'CSOs', 'SDGs': an acronym in the plural names a category, not an organisation."""
    return len(token) > 2 and token.endswith("s") and token[:-1].isupper()


def acronym_shaped(token: str) -> bool:
    """Mostly capitals (at least two) and at most 15 characters: 'CLC', 'MoLVT', 'INSP!R'."""
    letters = [c for c in token if c.isalpha()]
    upper = sum(c.isupper() for c in letters)
    return upper >= 2 and upper * 2 >= len(letters) and len(token) <= 15


def in_caps_line(text: str, pos: int) -> bool:
    """Inside a heading written in capitals every word looks like an acronym."""
    ls = text.rfind("\n", 0, pos) + 1
    le = text.find("\n", pos)
    line = text[ls:le if le >= 0 else len(text)]
    letters = len(LETTER.findall(line))
    return letters > 12 and len(UPPER.findall(line)) / letters > 0.75


def mixed_case_acronym(token: str) -> bool:
    """A capitalised token of three to eight letters that may be an acronym written in small letters after its
    first ("Woye", "Fnvx"); only a definition whose initials it holds makes it one."""
    return 3 <= len(token) <= 8 and token[:1].isupper() and token[1:].islower() and token.isalpha()


def initials_in(acronym: str, words: list[str]) -> bool:
    """Do the words' initials occur in order in the acronym, the first at its start ("Women and Youth
    Empowerment" in "Woye", "Youth Against Forced Overtime" in "YAFO")?"""
    letters = acronym_letters(acronym)
    initials = [w[0].casefold() for w in words]
    if not initials or not letters or initials[0] != letters[0]:
        return False
    pos = 0
    for c in initials:
        pos = letters.find(c, pos)
        if pos < 0:
            return False
        pos += 1
    return True
