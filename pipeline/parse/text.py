"""The clean text of a post body: paragraphs, line breaks and list items kept; scripts, buttons, comments dropped."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

import lxml.html
from lxml import etree

from pipeline.parse.classes import is_boilerplate

# Runs of white space other than newlines collapse to one space. WS_CHANGE matches only what that changes (runs,
# and a single white space other than " "): most spaces are single and left alone. It starts with a character
# class, which the regex engine scans for quickly: four times as fast as substituting every run.
WS = " \t\r\f\v\u00a0\u2007\u202f\u200b"
WS_CHANGE = re.compile(f"[{WS}](?:[{WS}]+|(?<! ))")
BLANK_LINES = re.compile("\n\n\n+")  # a literal prefix, which the regex engine finds faster than \n{3,}
# UTF-16 surrogates alone (JSON's "\ud800" escapes give them): no UTF-8 can hold them, and lxml cuts a text at one.
SURROGATE = re.compile("[\ud800-\udfff]")

BLOCK_TAGS = {
    "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "ul", "ol", "table", "tr", "pre",
    "section", "article", "header", "footer", "figure", "figcaption", "hr", "dl", "dt", "dd", "center",
    "address", "aside", "main", "nav", "form",
}
SKIP_TAGS = {"script", "style", "noscript", "iframe", "object", "embed", "form", "button", "select", "svg",
             "template", "input", "textarea"}
# Elements whose class or id names boilerplate (share bars, related posts, ads, author boxes, "read more"
# holders, comments: pipeline/data/page_classes.csv) are skipped with everything inside them.


def html_to_text(el: lxml.html.HtmlElement) -> str:
    """Clean text of a post body: paragraphs split by a blank line, line breaks kept, list items as '  • x'."""
    out: list[str] = []
    _walk(el, out)
    # No newline is white space to WS_CHANGE: one pass will do.
    lines = [line.strip() for line in WS_CHANGE.sub(" ", "".join(out)).split("\n")]
    # Restore the bullet indentation that the strip removed.
    lines = ["  " + ln if ln.startswith("• ") else ln for ln in lines]
    return BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def _walk(root: etree._Element, out: list[str]) -> None:
    # Depth first, with a stack of its own rather than recursion: a page may nest thousands of elements.
    append = out.append
    text = root.text
    if text:
        append(text.replace("\n", " "))
    # (children still to visit, what closes the element, its tail)
    stack: list[tuple[Iterator[etree._Element], str, str | None]] = [(iter(root), "", None)]
    while stack:
        children, close, tail = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            if close:
                append(close)
            if tail:
                append(tail.replace("\n", " "))
            continue
        tag = child.tag
        if type(tag) is not str:  # noqa: E721 (exact type: a cheap test that runs for every element)
            if isinstance(child, etree._Comment | etree._ProcessingInstruction):
                if child.tail:
                    append(child.tail.replace("\n", " "))
                continue
            tag = ""
        else:
            tag = tag.lower()
        cls = child.get("class")
        ident = child.get("id")
        if tag in SKIP_TAGS or cls and is_boilerplate(cls) or ident and is_boilerplate(ident) or tag == "br":
            if tag == "br":
                append("\n")
            if child.tail:
                append(child.tail.replace("\n", " "))
            continue
        if tag == "li":
            append("\n• ")
            close = "\n"
        elif tag in ("td", "th"):
            close = "\t"
        elif tag in BLOCK_TAGS:
            append("\n\n")
            close = "\n\n"
        else:
            close = ""
        text = child.text
        if text:
            append(text.replace("\n", " "))
        stack.append((iter(child), close, child.tail))


def without_surrogates(text: str) -> tuple[str, int]:
    """The text with every lone surrogate replaced by U+FFFD, and how many there were."""
    if not SURROGATE.search(text):
        return text, 0
    return SURROGATE.subn("\ufffd", text)


def tidy_text(text: str) -> str:
    """Normalise a text extracted from HTML: one blank line between paragraphs, list lines kept together."""
    paras: list[str] = []
    for block in re.split(r"\n\s*\n", text):
        lines = [ln.rstrip() for ln in block.split("\n") if ln.strip()]
        if lines:
            paras.append("\n".join(lines))
    merged: list[str] = []
    for p in paras:
        # Consecutive list blocks (one <ul> per <li> in some editors) stay one paragraph.
        if merged and p.startswith("  • ") and merged[-1].split("\n")[-1].startswith("  • "):
            merged[-1] += "\n" + p
        else:
            merged.append(p)
    return "\n\n".join(merged)


def body_text(el: lxml.html.HtmlElement) -> str:
    """Clean text of a body element; when it has none, the text of the ``<noscript>`` inside it (Dynamic Views
    and some themes print the body only there, beside a ``<script type="text/template">``)."""
    text = tidy_text(html_to_text(el))
    if not text:
        text = noscript_text(el.iter("noscript"))
    return text


def noscript_text(noscripts: Iterable[etree._Element]) -> str:
    """The clean text of ``<noscript>`` elements (their content, as a browser without scripts shows it)."""
    parts = []
    for ns in noscripts:
        if ns.tag != "noscript":
            continue
        text = tidy_text(html_to_text(ns))
        if text:
            parts.append(text)
    return "\n\n".join(parts)
