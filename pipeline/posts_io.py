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


def post_from_row(row: dict[str, Any], source: str = "<input>", lineno: int = 0) -> Post:
    """Accept a full Post dict or a minimal one (``id``, ``text``, optional ``title``, ``date``, ``url``)."""
    if "id" not in row or not isinstance(row.get("text"), str):
        raise InputError(f"{source}: post {lineno} lacks an 'id' or a 'text' string")
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
        return post_from_row(parse_line(self.source, self.lineno, self.line), self.source, self.number)


PostItem = Post | PostLine


def read_posts(posts_path: str | Path) -> Iterator[Post]:
    """Stream the posts of a posts.jsonl, naming file and line on bad input."""
    return (line.post() for line in read_post_lines(posts_path))


def read_post_lines(posts_path: str | Path) -> Iterator[PostLine]:
    """Stream the non-empty lines of a posts.jsonl unparsed, for workers to parse (a missing file fails at once)."""
    lines = read_lines(posts_path)
    source = str(Path(posts_path))
    return (PostLine(source, lineno, number, line) for number, (lineno, line) in enumerate(lines, 1))
