"""What a crawl did, per blog and in total, and the end-of-run summary that says it."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, fields

log = logging.getLogger("pipeline.scrape")


@dataclass
class CrawlStats:
    """Counts of one crawl (one blog, or several merged)."""

    fetched: int = 0  # requests that got an answer (a redirect chain counts once)
    skipped: int = 0  # pages read from the store instead
    failed: int = 0
    posts_seen: int = 0
    route: str = ""
    errors: list[str] = field(default_factory=list)
    # update run: posts the discovery pages list, compared with what the store held before the run
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    gone: list[str] = field(default_factory=list)  # no longer listed, permalink answers 404/410
    unchecked: int = 0  # no longer listed, but not checked (discovery incomplete)
    # completeness: summaries whose permalink could not complete them
    summaries_gone: list[str] = field(default_factory=list)  # permalink answered 404/410
    summaries_missed: list[str] = field(default_factory=list)  # permalink failed, unreadable, out of scope, capped
    dead_permalinks: list[str] = field(default_factory=list)  # listed (sitemap) posts whose permalink is 404/410
    capped: int = 0  # pages not fetched because of --max-pages
    unreadable: list[str] = field(default_factory=list)  # pages no reader made sense of: their links not followed
    bad_links: int = 0  # links that are no URLs a crawler can fetch (skipped)
    unreachable: list[str] = field(default_factory=list)  # blogs whose host name does not resolve
    empty: list[str] = field(default_factory=list)  # blogs of which nothing could be fetched or read
    wayback_listed: int = 0  # URLs with a good capture
    wayback_fetched: int = 0
    wayback_held: int = 0
    wayback_without: int = 0  # archived URLs without a good capture

    def merge(self, other: CrawlStats) -> None:
        """Add another blog's counts."""
        for f in fields(self):
            mine, theirs = getattr(self, f.name), getattr(other, f.name)
            if f.name == "route":
                self.route = ", ".join(r for r in (mine, theirs) if r)
            else:
                setattr(self, f.name, mine + theirs)


def _some(urls: list[str], n: int = 5) -> str:
    return ", ".join(urls[:n]) + (f" (and {len(urls) - n} more)" if len(urls) > n else "")


def log_summary(stats: CrawlStats) -> None:
    """The end-of-run summary: one line of counts, then a warning for each thing missing."""
    log.info("crawl finished: %d posts listed: %d new, %d changed, %d unchanged, %d gone; %d pages fetched, "
             "%d read from the store, %d failed, %d unreadable; %d bad links skipped",
             stats.new + stats.changed + stats.unchanged, stats.new, stats.changed, stats.unchanged, len(stats.gone),
             stats.fetched, stats.skipped, stats.failed, len(stats.unreadable), stats.bad_links)
    if stats.gone:
        log.warning("%d posts are gone (no longer listed, permalink answers 404/410): %s", len(stats.gone),
                    _some(stats.gone))
    if stats.summaries_gone:
        log.warning("%d posts stay summaries: their permalink answers 404/410: %s", len(stats.summaries_gone),
                    _some(stats.summaries_gone))
    if stats.dead_permalinks:
        log.warning("%d listed posts have a permalink that answers 404/410: %s", len(stats.dead_permalinks),
                    _some(stats.dead_permalinks))
    if stats.summaries_missed:
        log.warning("%d posts stay summaries: their permalink could not be fetched or read: %s",
                    len(stats.summaries_missed), _some(stats.summaries_missed))
    if stats.unchecked:
        log.warning("%d posts no longer listed were not checked for deletion (discovery was incomplete)",
                    stats.unchecked)
    if stats.capped:
        log.warning("%d pages not fetched: the --max-pages cap was reached", stats.capped)
    if stats.unreadable:
        log.warning("%d pages could not be read (their posts and links not taken): %s", len(stats.unreadable),
                    _some(stats.unreadable))
    if stats.bad_links:
        log.warning("%d links that are no URLs a crawler can fetch were skipped", stats.bad_links)
    if stats.wayback_listed or stats.wayback_without:
        log.info("Wayback: %d URLs with a good capture (%d fetched, %d already stored), %d without a good capture",
                 stats.wayback_listed, stats.wayback_fetched, stats.wayback_held, stats.wayback_without)
    if stats.empty:  # the error that stopped each of them was logged when it happened
        log.warning("nothing could be fetched or read for %d blogs: %s", len(stats.empty), _some(stats.empty))
    if stats.failed:
        log.warning("%d requests failed: %s", stats.failed, _some(stats.errors, 3))
