"""Reading posts.jsonl: full or minimal post rows, parsed here or left as lines for a worker to parse.

Every stage that reads posts (language, extract, evaluate, the benchmark) reads them through this
module, so that a broken line or a post without id or text is named by file and line the same way
everywhere.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.errors import InputError
from pipeline.jsonl import parse_line, read_lines
from pipeline.records import Post

# The fields of a post row and the JSON types they may hold (None: null); the rest of a row is ignored.
STRINGS = ("url", "date", "title", "text", "html")
STRINGS_OR_NULL = ("published", "author", "source", "capture", "language")
BOOLEANS = ("complete", "mixed")
STRING_LISTS = ("labels", "flags")


def _json_type(value: Any) -> str:
    names = {type(None): "null", bool: "a boolean", int: "a number", float: "a number", str: "a string",
             list: "a list", dict: "an object"}
    return names.get(type(value), type(value).__name__)


def check_post_row(row: dict[str, Any], where: str) -> None:
    """Refuse a post row whose fields have the wrong JSON types, naming `where` (file:line) and the field."""
    def bad(field: str, wanted: str) -> InputError:
        return InputError(f"{where}: '{field}' must be {wanted}, not {_json_type(row[field])}")

    pid = row.get("id")
    if pid is None or isinstance(pid, bool) or not isinstance(pid, str | int) or not str(pid).strip():
        raise InputError(f"{where}: post lacks an 'id' (a non-empty string or a number)"
                         + (f", got {_json_type(pid)}" if "id" in row else ""))
    if "text" not in row:
        raise InputError(f"{where}: post {pid!r} lacks a 'text' string")
    for name in STRINGS:
        if name in row and not isinstance(row[name], str):
            raise bad(name, "a string")
    for name in STRINGS_OR_NULL:
        if row.get(name) is not None and not isinstance(row[name], str):
            raise bad(name, "a string or null")
    for name in BOOLEANS:
        if name in row and not isinstance(row[name], bool):
            raise bad(name, "true or false")
    for name in STRING_LISTS:
        value = row.get(name)
        if value is not None and not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
            raise bad(name, "a list of strings")
    paragraphs = row.get("paragraphs")
    if paragraphs is not None:
        if not isinstance(paragraphs, list):
            raise bad("paragraphs", "a list")
        n = len(row["text"])
        for k, para in enumerate(paragraphs):
            ok = (isinstance(para, dict) and all(type(para.get(e)) is int for e in ("start", "end"))
                  and 0 <= para["start"] <= para["end"] <= n and isinstance(para.get("language"), str))
            if not ok:
                raise InputError(f"{where}: 'paragraphs'[{k}] must be an object with 'start' <= 'end' within the "
                                 "text and a 'language' string")


def post_from_row(row: dict[str, Any], source: str = "<input>", lineno: int = 0) -> Post:
    """Accept a full Post dict or a minimal one (``id``, ``text``, optional ``title``, ``date``, ``url``).

    Fields of the wrong type are refused with an error naming file, line and field (``check_post_row``).
    """
    check_post_row(row, f"{source}:{lineno}")
    data = {"url": "", "date": "", "title": "", **row}
    data["id"] = str(data["id"])
    return Post.from_dict(data)


@dataclass(frozen=True)
class PostLine:
    """A post still as its line of posts.jsonl, to be parsed by the worker that processes it."""

    source: str
    lineno: int  # the line in the file, for messages
    number: int  # the post's number in the file, as read_posts counts them
    line: str

    def post(self) -> Post:
        """The post; a broken line or a post without id or text names file and line."""
        return post_from_row(parse_line(self.source, self.lineno, self.line), self.source, self.lineno)


PostItem = Post | PostLine


def read_posts(posts_path: str | Path, unique: bool = False) -> Iterator[Post]:
    """Stream the posts of a posts.jsonl, naming file and line on bad input (and, if `unique`, a repeated id)."""
    check = UniqueIds()
    return (check(line.post(), line) if unique else line.post() for line in read_post_lines(posts_path))


class UniqueIds:
    """Refuses a post whose id an earlier post of the input had, naming the file and both lines."""

    def __init__(self) -> None:
        self.seen: dict[str, int] = {}

    def check(self, pid: str, source: str, lineno: int) -> None:
        """Raise InputError if `pid` was seen at another line."""
        first = self.seen.setdefault(pid, lineno)
        if first != lineno:
            raise InputError(f"{source}:{lineno}: post id {pid!r} repeats the post at line {first}; ids must be "
                             "unique (records are joined by id)")

    def __call__(self, post: Post, line: PostLine) -> Post:
        self.check(post.id, line.source, line.lineno)
        return post


def read_post_lines(posts_path: str | Path) -> Iterator[PostLine]:
    """Stream the non-empty lines of a posts.jsonl unparsed, for workers to parse (a missing file fails at once)."""
    lines = read_lines(posts_path)
    source = str(Path(posts_path))
    return (PostLine(source, lineno, number, line) for number, (lineno, line) in enumerate(lines, 1))
