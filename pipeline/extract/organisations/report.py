"""Growing the knowledge base: the organisations of extracted records that it does not know, over the whole
corpus, most mentioned first, each with an example sentence (the ``orgs --unknown`` command prints them)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from pipeline.kb import normalise_name


@dataclass
class UnknownOrganisation:
    """A candidate organisation the knowledge base does not know, over the whole corpus."""

    name: str
    acronym: str | None
    mentions: int
    posts: int
    example: str


def snippet(sentence: str, surface: str, width: int = 160) -> str:
    """The sentence on one line, cut to about `width` characters around the first occurrence of `surface`."""
    s = " ".join(sentence.split())
    if len(s) <= width:
        return s
    at = max(s.find(surface), 0)
    start = max(0, min(at - width // 3, len(s) - width))
    return ("…" if start else "") + s[start:start + width].strip() + ("…" if start + width < len(s) else "")


def unknown_organisations(records: Iterable[dict[str, Any]], top: int | None = None) -> list[UnknownOrganisation]:
    """Organisations of the records that are not in the knowledge base, most mentioned first."""
    mentions: Counter[str] = Counter()
    posts: dict[str, set[str]] = {}
    names: dict[str, Counter[str]] = {}
    acronyms: dict[str, str] = {}
    examples: dict[str, str] = {}
    by_acronym: dict[str, str] = {}
    pending: list[tuple[str, dict[str, Any]]] = []
    for rec in records:
        for org in rec.get("organisations") or []:
            if org.get("kb"):
                continue
            pending.append((str(rec.get("id", "")), org))
            if org.get("acronym") and org.get("name") != org.get("acronym"):
                by_acronym.setdefault(org["acronym"], normalise_name(org["name"]))
    for post_id, org in pending:
        name = org.get("name") or org.get("acronym") or ""
        acr = org.get("acronym")
        # A bare acronym in one post and "Long Form (ACR)" in another are the same organisation.
        key = by_acronym.get(acr or "", normalise_name(name)) if acr and name == acr else normalise_name(name)
        if not key:
            continue
        n = len(org.get("mentions") or []) or 1
        mentions[key] += n
        posts.setdefault(key, set()).add(post_id)
        names.setdefault(key, Counter())[name] += n
        if acr:
            acronyms.setdefault(key, acr)
        if key not in examples and org.get("mentions"):
            first = org["mentions"][0]
            examples[key] = snippet(first.get("sentence") or "", first.get("text") or name)
    ranked = sorted(mentions, key=lambda k: (-mentions[k], -len(posts[k]), k))
    out = []
    for key in ranked[:top] if top else ranked:
        longs = [n for n, _ in names[key].most_common() if n != acronyms.get(key)]
        out.append(UnknownOrganisation(name=longs[0] if longs else names[key].most_common(1)[0][0],
                                       acronym=acronyms.get(key), mentions=mentions[key], posts=len(posts[key]),
                                       example=examples.get(key, "")))
    return out
