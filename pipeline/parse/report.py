"""The parse stage's end-of-run summary: posts, summaries, pages that gave no post (by kind), responses skipped
(by reason) or damaged (by problem), deleted posts kept from earlier copies, torn or damaged parts of the raw
store, and the warnings a researcher must see."""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field

from pipeline.flags import CHARSET_REPLACED, NESTING_CUT, NEWER_COPY_DIFFERS, PAYLOAD_TRUNCATED, PERMALINK_GONE

# Pages of these kinds always hold a post: one that gives none is a template the parser did not read, and is
# named in a warning. (A listing or a feed page may be empty: the last feed page, an empty label.)
EXPECT_POSTS = ("item page",)
SHOWN = 5  # URLs named in a warning
# Flags of posts read from a damaged response, counted and named in the summary.
DAMAGE_FLAGS = (PAYLOAD_TRUNCATED, CHARSET_REPLACED, NESTING_CUT)
# Reasons a response is skipped that are no fault: counted, not warned about.
ORDINARY = ("status ", "robots.txt", "sitemap", "comment feed", "empty body")


@dataclass
class ParseReport:
    """Counts of one parse run."""

    responses: int = 0
    posts: int = 0
    summaries: int = 0
    archived: int = 0  # posts whose kept copy is a Wayback capture
    differs: int = 0  # posts flagged newer_copy_differs
    gone: list[str] = field(default_factory=list)  # permalinks of posts flagged permalink_gone
    recovered: list[str] = field(default_factory=list)  # permalinks of deleted posts kept from earlier copies
    empty: list[str] = field(default_factory=list)  # ids of posts with an empty body
    undated: list[str] = field(default_factory=list)  # permalinks of posts dropped: no copy gives a date
    pages: Counter[str] = field(default_factory=Counter)  # kind -> responses parsed
    no_post: Counter[str] = field(default_factory=Counter)  # kind -> responses that gave no post
    no_post_urls: dict[str, list[str]] = field(default_factory=dict)
    skipped: Counter[str] = field(default_factory=Counter)  # reason -> responses skipped
    skipped_urls: dict[str, list[str]] = field(default_factory=dict)  # reason -> the first few of them
    damaged: Counter[str] = field(default_factory=Counter)  # problem (a flag) -> responses read with it
    flagged: dict[str, list[str]] = field(default_factory=dict)  # damage flag -> permalinks of posts with it
    store: list[str] = field(default_factory=list)  # torn or damaged parts of the raw store's files

    def page(self, kind: str, url: str, n: int, problems: list[str] | None = None) -> None:
        """Count one parsed response and the posts it gave."""
        self.pages[kind] += 1
        for p in problems or ():
            self.damaged[p] += 1
        if not n:
            self.no_post[kind] += 1
            urls = self.no_post_urls.setdefault(kind, [])
            if len(urls) < SHOWN:
                urls.append(url)

    def skip(self, reason: str, url: str) -> None:
        """Count one skipped response."""
        self.skipped[reason] += 1
        urls = self.skipped_urls.setdefault(reason, [])
        if len(urls) < SHOWN:
            urls.append(url)

    def post(self, complete: bool, capture: str | None, flags: list[str], empty_id: str | None,
             url: str = "") -> None:
        """Count one merged post."""
        self.posts += 1
        if PERMALINK_GONE in flags:
            self.gone.append(url)
        for f in DAMAGE_FLAGS:
            if f in flags:
                self.flagged.setdefault(f, []).append(url)
        self.summaries += not complete
        self.archived += capture is not None
        self.differs += NEWER_COPY_DIFFERS in flags
        if empty_id is not None:
            self.empty.append(empty_id)

    def line(self) -> str:
        """The one-line summary."""
        def counts(c: Counter[str]) -> str:
            return ", ".join(f"{n} {k}" for k, n in sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))) or "none"

        flagged = Counter({f: len(urls) for f, urls in self.flagged.items()})
        return (f"parse: {self.responses} responses, {self.posts} posts ({self.summaries} summaries only, "
                f"{self.archived} from Wayback captures, {self.differs} {NEWER_COPY_DIFFERS}, "
                f"{len(self.gone)} {PERMALINK_GONE} of which {len(self.recovered)} deleted posts kept from earlier "
                f"copies; damaged: {counts(flagged)}), "
                f"{len(self.undated)} dropped for want of a date; "
                f"pages read: {counts(self.pages)}; pages that gave no post: {counts(self.no_post)}; "
                f"responses skipped: {sum(self.skipped.values())} ({counts(self.skipped)}); "
                f"responses damaged: {counts(self.damaged)}; raw store parts not readable: {len(self.store)}")

    def log(self, log: logging.Logger) -> None:
        """The summary line, and a warning for each thing a researcher must not miss."""
        log.info("%s", self.line())
        if self.store:  # each was named when the store was indexed
            log.warning("%d parts of the raw store could not be read (torn or damaged); the records around them "
                        "were read", len(self.store))
        if self.undated:
            log.warning("%d posts dropped: no stored copy gives their date: %s", len(self.undated),
                        ", ".join(self.undated[:SHOWN]))
        if self.empty:
            log.warning("%d posts have an empty body: %s", len(self.empty), ", ".join(self.empty[:10]))
        if self.summaries:
            log.warning("%d posts are summaries only (complete: false): no stored copy holds the whole body",
                        self.summaries)
        if self.gone:
            log.warning("%d posts have a permalink that now answers 404/410 (flag %s): %s", len(self.gone),
                        PERMALINK_GONE, ", ".join(self.gone[:SHOWN]))
        if self.recovered:
            log.warning("%d posts deleted from the blog are kept from their earlier stored copies (flag %s): %s",
                        len(self.recovered), PERMALINK_GONE, ", ".join(self.recovered[:SHOWN]))
        if self.differs:
            log.warning("%d posts have a newer copy whose text differs from the kept body (flag %s)",
                        self.differs, NEWER_COPY_DIFFERS)
        for flag, urls in sorted(self.flagged.items()):
            log.warning("%d posts flagged %s: %s", len(urls), flag, ", ".join(urls[:SHOWN]))
        for reason, n in sorted(self.skipped.items()):
            if not reason.startswith(ORDINARY):
                log.warning("%d responses skipped (%s): %s", n, reason, ", ".join(self.skipped_urls.get(reason, [])))
        for kind in EXPECT_POSTS:
            if self.no_post.get(kind):
                log.warning("%d %ss gave no post (template not read?): %s", self.no_post[kind], kind,
                            ", ".join(self.no_post_urls.get(kind, [])))
