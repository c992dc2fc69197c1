"""The flags a post or record can carry: every partial, uncertain or skipped thing is named here.

A flag is a short string in the ``flags`` list of a post (posts.jsonl) and of its record (records.jsonl,
exports). A stage that sets one also logs it and counts it in its end-of-run summary. The descriptions
below are what exports and docs show users; add a flag here before using it anywhere.
"""

from __future__ import annotations

# The body is a summary or snippet (a listing excerpt, a summary feed), not the whole post; `complete` is false.
SUMMARY = "summary"
# The permalink's newest live answer is 404/410: the post was deleted or hidden on the blog since a copy was stored.
PERMALINK_GONE = "permalink_gone"
# A paragraph of six words or more (or a post with no such paragraph) whose language the detector gave with low
# confidence: the answer is kept, but may be wrong (pipeline/language.py, UNCERTAIN_BELOW).
LANGUAGE_UNCERTAIN = "language_uncertain"
# A copy of the post at least a day newer than the kept one (an archived listing, a summary) has text the kept
# body does not hold: the post was probably edited after the kept copy was made.
NEWER_COPY_DIFFERS = "newer_copy_differs"
# Bytes of the page not valid in its charset (or lone surrogates in a JSON feed) were replaced by U+FFFD.
CHARSET_REPLACED = "charset_replaced"
# The stored response is cut short (a compressed or chunked payload that ends early): read as far as it goes.
PAYLOAD_TRUNCATED = "payload_truncated"
# The page nests elements deeper than the HTML parser reads (2,048 levels): what lies deeper was not read.
NESTING_CUT = "nesting_cut"
# The post is longer than the pipeline extracts as one doc (config.MAX_DOC_CHARS): it was extracted in chunks cut
# at paragraph breaks (else sentence ends, else white space); offsets are into the whole text, but an item spanning
# a cut is missed.
CHUNKED = "chunked"

DESCRIPTIONS: dict[str, str] = {
    SUMMARY: "the body is a summary or snippet, not the whole post (complete is false)",
    PERMALINK_GONE: "the permalink's newest live answer is 404/410: the blog deleted or hid the post after the kept "
                    "copy was stored (a deleted post is kept from its earlier copies; a summary whose permalink is "
                    "gone stays a summary)",
    LANGUAGE_UNCERTAIN: "the language of a paragraph of six words or more was detected with low confidence; "
                        "it is kept but may be wrong",
    NEWER_COPY_DIFFERS: "a newer copy of the post (often a summary) has text the kept body lacks: the post was "
                        "probably edited after the kept copy was made (see source and capture)",
    CHARSET_REPLACED: "bytes of the page that are not valid in its charset (or lone UTF-16 surrogates in a JSON "
                      "feed) were replaced by U+FFFD; the rest of the text is as written",
    PAYLOAD_TRUNCATED: "the stored response is cut short (its compressed or chunked payload ends early): the page was "
                       "read as far as it goes and the body may lack its end (complete is false)",
    NESTING_CUT: "the page nests elements deeper than the HTML parser reads (2,048 levels): text below that depth "
                 "was not read and the body may be incomplete (complete is false)",
    CHUNKED: "the post (or a run of one language in it) is longer than the pipeline extracts as one doc "
             "(100,000 characters): it was extracted in chunks cut "
             "at paragraph breaks (else sentence ends, else white space); offsets are into the whole text, but a "
             "figure or name spanning a cut would be missed",
}


def describe(flag: str) -> str:
    """What a flag means, for reports and metadata."""
    return DESCRIPTIONS.get(flag, flag)
