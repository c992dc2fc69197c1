"""The clean text of a post body: paragraphs, line breaks and list items kept; scripts, buttons, comments dropped."""

from __future__ import annotations

import re
from collections.abc import Iterable

import lxml.html
from lxml import etree

from pipeline.parse.classes import is_boilerplate

# Runs of white space other than newlines collapse to one space. WS_CHANGE matches only what that changes (runs,
# and a single white space other than " "): most spaces are single and left alone. It starts with a character
# class, which the regex engine scans for quickly: four times as fast as substituting every run.
WS = " \t\r\f\v\u00a0\u2007\u202f\u200b"
WS_CHANGE = re.compile(f"[{WS}](?:[{WS}]+|(?<! ))")
BLANK_LINES = re.compile("\n\n\n+")  # a literal prefix, which the regex engine finds faster than \n{3,}

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


def _walk(el: etree._Element, out: list[str]) -> None:
    text = el.text
    if text:
        out.append(text.replace("\n", " "))
    for child in el:
        tag = child.tag
        if type(tag) is not str:  # noqa: E721 (exact type: a cheap test that runs for every element)
            if isinstance(child, etree._Comment | etree._ProcessingInstruction):
                tail = child.tail
                if tail:
                    out.append(tail.replace("\n", " "))
                continue
            tag = ""
        else:
            tag = tag.lower()
        cls = child.get("class")
        ident = child.get("id")
        if tag in SKIP_TAGS or cls and is_boilerplate(cls) or ident and is_boilerplate(ident):
            pass
        elif tag == "br":
            out.append("\n")
        elif tag == "li":
            out.append("\n• ")
            _walk(child, out)
            out.append("\n")
        elif tag in ("td", "th"):
            _walk(child, out)
            out.append("\t")
        elif tag in BLOCK_TAGS:
            out.append("\n\n")
            _walk(child, out)
            out.append("\n\n")
        else:
            _walk(child, out)
        tail = child.tail
        if tail:
            out.append(tail.replace("\n", " "))


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
