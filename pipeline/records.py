"""Typed records passed between stages; every stage reads and writes these as plain dicts."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from functools import cache
from typing import Any

SCALAR_TYPES = frozenset({"str", "int", "float", "bool", "str | None", "int | None", "float | None", "bool | None"})


@cache
def _field_spec(cls: type) -> tuple[tuple[str, bool], ...]:
    """(name, holds a scalar) for each field of a dataclass, scalars known from their annotations."""
    return tuple((f.name, str(f.type) in SCALAR_TYPES) for f in fields(cls))


@cache
def _nested_fields(cls: type) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(all field names in order, the names of the fields that are not scalars) of a dataclass."""
    spec = _field_spec(cls)
    return tuple(name for name, _ in spec), tuple(name for name, scalar in spec if not scalar)


LEAF_TYPES = frozenset({str, int, float, bool, type(None)})


def plain(value: Any) -> Any:
    """A record as plain dicts and lists, as ``dataclasses.asdict`` gives them."""
    # asdict deep-copies every leaf, which costs as much as a third of the extraction of a post; scalar
    # fields are taken as they are, and so are the strings and numbers of a list (aliases, labels).
    if isinstance(value, list):
        return [v if type(v) in LEAF_TYPES else plain(v) for v in value]
    if hasattr(value, "__dataclass_fields__"):
        names, nested = _nested_fields(type(value))
        own = getattr(value, "__dict__", None)
        if own is not None and tuple(own) == names:
            # The instance dict holds exactly the fields, in order (as __init__ and evolve set them): copy it
            # in one go and convert only the fields that hold records or lists.
            out = dict(own)
            for name in nested:
                out[name] = plain(out[name])
            return out
        return {name: plain(getattr(value, name)) for name in names}
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, tuple):
        return [plain(v) for v in value]
    return value


def evolve(obj: Any, **changes: Any) -> Any:
    """A shallow copy of a dataclass with some fields changed."""
    # dataclasses.replace re-runs __init__, which made it a hot spot when done for every extracted item.
    new = object.__new__(type(obj))
    new.__dict__.update(obj.__dict__)
    new.__dict__.update(changes)
    return new


def _from_dict(cls: type, data: dict[str, Any]) -> Any:
    """Build a dataclass from a dict, ignoring unknown keys (forward compatible)."""
    names = {f.name for f in fields(cls)}
    return cls(**{k: v for k, v in data.items() if k in names})


@dataclass
class Paragraph:
    """One paragraph of a post's text, with its language and offsets into `Post.text`."""

    start: int
    end: int
    language: str

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Paragraph:
        """Rebuild from a dict."""
        return _from_dict(cls, data)


@dataclass
class Post:
    """One blog post as parsed from the raw store."""

    id: str
    url: str
    date: str
    title: str
    text: str
    published: str | None = None
    author: str | None = None
    labels: list[str] = field(default_factory=list)
    html: str = ""
    source: str | None = None  # the page the kept copy came from (see pipeline.parse.candidate)
    capture: str | None = None  # that copy's Wayback capture timestamp (yyyyMMddhhmmss); None: fetched live
    complete: bool = True  # False when the body is only a summary (see pipeline.flags)
    flags: list[str] = field(default_factory=list)  # partial, uncertain or skipped things (pipeline.flags)
    language: str | None = None
    mixed: bool = False
    paragraphs: list[Paragraph] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """Plain dict for JSON."""
        return plain(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Post:
        """Rebuild from a dict (as read from posts.jsonl); missing optional fields take defaults."""
        post = _from_dict(cls, data)
        post.paragraphs = [p if isinstance(p, Paragraph) else Paragraph.from_dict(p) for p in post.paragraphs]
        post.labels = list(post.labels or [])
        post.flags = list(post.flags or [])
        return post


@dataclass
class Span:
    """Provenance shared by every extracted item: surface text, offsets into the post's `field`, sentence.

    `field` is "text" (the body) or "title": ``post[field][start:end] == text``.
    """

    text: str
    start: int
    end: int
    sentence: str
    field: str = "text"


@dataclass
class ConventionMention(Span):
    """One mention of an ILO instrument; `id` is None when the number is unknown to the table."""

    id: str | None = None
    type: str = "convention"
    number: int = 0
    unknown: bool = False


@dataclass
class Instrument:
    """A distinct ILO instrument referred to in a post, from the shipped table."""

    id: str
    type: str
    number: int
    title: str
    year: int | None
    fundamental: bool
    status: str | None = None


@dataclass
class Figure(Span):
    """A quantity: normalised value, unit, what it counts, and how it relates to other figures."""

    id: str = ""
    value: float = 0.0
    unit: str = ""
    # The unit as the text writes it ("mensen", "pour cent", "€", "position papers"); `unit` is its English form.
    unit_text: str = ""
    subject: str | None = None
    approx: bool = False
    qualifier: str | None = None
    low: float | None = None
    high: float | None = None
    parent: str | None = None
    group: str | None = None
    share: float | None = None
    language: str = "en"
    country: str | None = None  # the one country named in its sentence (ISO 3166-1 alpha-2), else None


@dataclass
class OrganisationMention(Span):
    """One place where an organisation is named; `entity` is the id of the entity it belongs to."""

    language: str = "en"
    entity: str | None = None
    acronym: bool = False
    country: str | None = None  # the one country named in its sentence (ISO 3166-1 alpha-2), else None


@dataclass
class Organisation:
    """One organisation entity in a post: all its mentions merged, linked to the knowledge base if known.

    `name` and `acronym` are as the post names it; `canonical` is the knowledge base's name; `parent` is the
    knowledge-base id of the organisation this one is part of (a network's national chapter, a union's
    confederation), when known.
    """

    id: str
    name: str
    acronym: str | None = None
    canonical: str | None = None
    aliases: list[str] = field(default_factory=list)
    type: str | None = None
    country: str | None = None
    parent: str | None = None
    kb: bool = False
    mentions: list[OrganisationMention] = field(default_factory=list)


@dataclass
class CountryMention(Span):
    """One place where a country is named (a name or a demonym); `code` is ISO 3166-1 alpha-2.

    `organisation`: the form stands inside an organisation's name; `ambiguous`: the form names several
    countries (Congo, Korea) and nothing else in the post told which, so `code` is the usual one.
    """

    code: str = ""
    kind: str = "name"
    organisation: bool = False
    ambiguous: bool = False


@dataclass
class Country:
    """A country a post speaks of: its code, its English name, and every mention of it in the post."""

    code: str
    name: str
    mentions: list[CountryMention] = field(default_factory=list)


@dataclass
class Record:
    """The extraction result for one post."""

    id: str
    url: str
    date: str
    title: str
    language: str
    complete: bool = True
    flags: list[str] = field(default_factory=list)
    mixed: bool = False
    paragraphs: list[Paragraph] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    organisations: list[Organisation] = field(default_factory=list)
    conventions: list[ConventionMention] = field(default_factory=list)
    instruments: list[Instrument] = field(default_factory=list)
    countries: list[Country] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """Plain dict for JSON."""
        return plain(self)
