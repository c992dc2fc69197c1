"""The flags a post or record can carry: every partial, uncertain or skipped thing is named here.

A flag is a short string in the ``flags`` list of a post (posts.jsonl) and of its record (records.jsonl,
exports). A stage that sets one also logs it and counts it in its end-of-run summary. The descriptions
below are what exports and docs show users; add a flag here before using it anywhere.
"""

from __future__ import annotations

# The body is a summary or snippet (a listing excerpt, a summary feed), not the whole post; `complete` is false.
SUMMARY = "summary"
# The permalink answered 404/410 while the crawler tried to complete a summary: the summary is all there is.
PERMALINK_GONE = "permalink_gone"
# A paragraph of six words or more (or a post with no such paragraph) whose language the detector gave with low
# confidence: the answer is kept, but may be wrong (pipeline/language.py, UNCERTAIN_BELOW).
LANGUAGE_UNCERTAIN = "language_uncertain"
# A copy of the post at least a day newer than the kept one (an archived listing, a summary) has text the kept
# body does not hold: the post was probably edited after the kept copy was made.
NEWER_COPY_DIFFERS = "newer_copy_differs"

DESCRIPTIONS: dict[str, str] = {
    SUMMARY: "the body is a summary or snippet, not the whole post (complete is false)",
    PERMALINK_GONE: "the permalink answered 404/410 when the crawler tried to fetch the whole post",
    LANGUAGE_UNCERTAIN: "the language of a paragraph of six words or more was detected with low confidence; "
                        "it is kept but may be wrong",
    NEWER_COPY_DIFFERS: "a newer copy of the post (often a summary) has text the kept body lacks: the post was "
                        "probably edited after the kept copy was made (see source and capture)",
}


def describe(flag: str) -> str:
    """What a flag means, for reports and metadata."""
    return DESCRIPTIONS.get(flag, flag)
