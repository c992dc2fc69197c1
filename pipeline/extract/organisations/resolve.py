"""Resolution per post (``finalize``): merge all mentions of one organisation into one entity (acronym and long
form, aliases across languages, an umbrella read as its child) and link it to the knowledge base."""

from __future__ import annotations

import re

from pipeline.extract.organisations.acronyms import abbreviates, acronym_letters
from pipeline.extract.organisations.candidates import PLAIN, unknown_key
from pipeline.extract.organisations.chapters import chapter_parent
from pipeline.extract.organisations.classify import guess_country, guess_type
from pipeline.extract.organisations.vocabulary import AND, ARTICLES, EXTEND, sorted_by_length
from pipeline.kb import KnowledgeBase, load_kb
from pipeline.records import Organisation, OrganisationMention, Post, evolve


def sentence_around(text: str, start: int, end: int) -> str:
    """The sentence of the post text around [start, end) (for mentions found by finalize itself)."""
    s = max(text.rfind(p, 0, start) for p in (". ", "! ", "? ", "\n"))
    s = 0 if s < 0 else s + (1 if text[s] == "\n" else 2)
    stops = [i for i in (text.find(". ", end), text.find("! ", end), text.find("? ", end), text.find("\n", end))
             if i >= 0]
    e = min(stops) + 1 if stops else len(text)
    return text[s:e].strip()


def _rescan(post: Post, mentions: list[OrganisationMention]) -> list[OrganisationMention]:
    """Acronyms defined in one language segment are recognised in the others (and in the title) too."""
    defined = {m.text: m.entity for m in mentions if m.acronym and m.entity and m.entity.startswith("x-")}
    if not defined:
        return mentions
    rx = re.compile(r"(?<![\w&-])(" + "|".join(re.escape(a) for a in sorted_by_length(defined)) + r")(?![\w&]|-\w)")
    out = list(mentions)
    for fld in ("title", "text"):
        text = getattr(post, fld) or ""
        covered = [(m.start, m.end) for m in out if m.field == fld]
        for m in rx.finditer(text):
            if any(s < m.end() and m.start() < e for s, e in covered):
                continue
            out.append(OrganisationMention(text=m.group(1), start=m.start(), end=m.end(), field=fld,
                                           sentence=sentence_around(text, m.start(), m.end()),
                                           language=post.language or "en", entity=defined[m.group(1)],
                                           acronym=True))
            covered.append(m.span())
    return out


def _merge_keys(mentions: list[OrganisationMention], kb: KnowledgeBase) -> dict[str, str]:
    """Entity keys to rewrite: unknown acronyms into unknown long forms they abbreviate, umbrella into child."""
    remap: dict[str, str] = {}
    long_forms: dict[str, str] = {}
    for m in mentions:
        if not m.acronym and m.entity and m.entity.startswith("x-"):
            long_forms.setdefault(m.entity, m.text)
    acronym_only = {m.entity for m in mentions if m.entity and m.entity.startswith("x-")} - set(long_forms)
    for key in sorted(acronym_only):
        text = next(m.text for m in mentions if m.entity == key)
        target = next((k for k, lf in long_forms.items() if len(acronym_letters(text)) >= 3 and abbreviates(text, lf)
                       and _initials_cover(text, lf)), None)
        if target is not None:
            remap[key] = target
    present = [m.entity for m in mentions if m.entity]
    for key in dict.fromkeys(present):
        entry = kb.get(key)
        if entry is not None and entry.merge_into_child:
            child = next((k for k in dict.fromkeys(present) if (c := kb.get(k)) is not None and c.parent == key), None)
            if child is not None:
                remap[key] = child
    return remap


def _initials_cover(acronym: str, long_form: str) -> bool:
    """Without a definition, ask more than Schwartz-Hearst: most content words of the long form give a letter."""
    content = [w for w in re.findall(r"[\w'’-]+", long_form) if w.casefold() not in EXTEND | AND | ARTICLES]
    initials = "".join(w[0].casefold() for w in content)
    letters = acronym_letters(acronym)
    return len(content) >= 2 and (initials == letters or (len(initials) >= len(letters) - 1 and
                                                           initials[:2] == letters[:2]))


def finalize(post: Post, mentions: list[OrganisationMention]) -> dict[str, list[Organisation]]:
    """Merge a post's mentions into entities (acronyms, long forms, languages), linked to the knowledge base."""
    kb = load_kb()
    ms = _rescan(post, [m for m in mentions if m.entity])
    remap = _merge_keys(ms, kb)
    ms = sorted((evolve(m, entity=remap[m.entity]) if m.entity in remap else m for m in ms),
                key=lambda m: (m.field != "title", m.start, m.end))
    groups: dict[str, list[OrganisationMention]] = {}
    for m in ms:
        groups.setdefault(m.entity or unknown_key(m.text), []).append(m)
    return {"organisations": [_entity(key, group, kb) for key, group in groups.items()]}


def _plain(surface: str) -> str:
    """A surface form for names and aliases: no-break and narrow spaces and line breaks as single spaces."""
    return " ".join(surface.translate(PLAIN).split())


def _entity(key: str, group: list[OrganisationMention], kb: KnowledgeBase) -> Organisation:
    """One entity from its mentions: the name as the post writes it (longest long form), the first acronym used."""
    entry = kb.get(key)
    surfaces = [_plain(m.text) for m in group]
    longs = [s for s, m in zip(surfaces, group, strict=True) if not m.acronym]
    acrs = [s for s, m in zip(surfaces, group, strict=True) if m.acronym]
    aliases = list(dict.fromkeys(surfaces))
    if entry is not None:
        # Mentions of an umbrella read as this entry ("INSP!R network" in a post on INSP!R Asia) do not name it.
        own_longs = [s for s in longs if s.casefold() in entry.folded_surfaces]
        return Organisation(id=key, name=max(own_longs, key=len) if own_longs else entry.name,
                            acronym=acrs[0] if acrs else entry.acronym, canonical=entry.name, aliases=aliases,
                            type=entry.type, country=entry.country, parent=entry.parent, kb=True, mentions=group)
    name = max(longs, key=len) if longs else acrs[0]
    parent = chapter_parent(name, kb) if longs else None
    network = kb.get(parent) if parent else None
    return Organisation(id=key, name=name, acronym=acrs[0] if acrs else None, canonical=None, aliases=aliases,
                        type=network.type if network else guess_type(name) if longs else None,
                        country=guess_country(name) if longs else None, parent=parent, kb=False, mentions=group)
