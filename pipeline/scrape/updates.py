"""What an update run finds: posts new, changed, unchanged or gone since the store's previous crawl.

A post is known by its normalised permalink. Before anything is fetched again, the ledger records what
the store already says: the permalinks whose page it holds, and what its feed pages, sitemaps and
listings list (with each post's ``updated`` / ``lastmod`` time where they give one). During the run it
records what the discovery pages list now. Then:

- **new**: listed now, not known before;
- **changed**: listed now and before, and its ``updated``/``lastmod`` differs from the one recorded
  before, or is later than the time its stored permalink page was fetched (then that page was fetched
  again);
- **unchanged**: listed now and before, and not changed (posts no page gives a time for count here);
- **gone**: known before, listed no more, and its permalink answers 404 or 410 now.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from pipeline.parse import normalise_url
from pipeline.scrape.discovery import when


def post_key(url: str) -> str:
    """The key of a post: its normalised permalink."""
    return normalise_url(url)


@dataclass
class Ledger:
    """What the store knew before the run, and what the run sees."""

    before: dict[str, dict[str, str | None]] = field(default_factory=dict)  # key -> {source kind: updated}
    now: dict[str, dict[str, str | None]] = field(default_factory=dict)
    links: dict[str, str] = field(default_factory=dict)  # key -> a URL to fetch it by
    refetched_stale: set[str] = field(default_factory=set)
    aliases: dict[str, str] = field(default_factory=dict)  # key of a page a listed permalink redirects to -> its key

    def redirects(self, listed: str, final: str) -> None:
        """A listed permalink led (through redirects) to another URL: the same post, not another one."""
        a, b = post_key(final), post_key(listed)
        if a != b:
            self.aliases[a] = b

    def knew(self, link: str, kind: str = "page", updated: str | None = None) -> None:
        """The store listed (or held) this post before the run."""
        key = post_key(link)
        self.links.setdefault(key, link)
        self.before.setdefault(key, {})
        if updated or kind not in self.before[key]:
            self.before[key][kind] = updated

    def sees(self, link: str, kind: str = "page", updated: str | None = None) -> str:
        """A discovery page of this run lists this post; its key."""
        key = post_key(link)
        self.links[key] = link
        self.now.setdefault(key, {})
        if updated or kind not in self.now[key]:
            self.now[key][kind] = updated
        return key

    def updated_now(self, key: str) -> datetime | None:
        """The latest updated/lastmod time this run's discovery pages give for the post."""
        times = [t for t in (when(v) for v in self.now.get(key, {}).values()) if t is not None]
        return max(times) if times else None

    def differs(self, key: str) -> bool:
        """Does a feed or sitemap now give another updated/lastmod time than the store's copy of it did?"""
        old, new = self.before.get(key, {}), self.now.get(key, {})
        return any(old.get(k) and new.get(k) and old[k] != new[k] for k in new)

    def stale(self, key: str, fetched: str) -> bool:
        """Is a stored page of the post (fetched at `fetched`, a WARC-Date) older than the post's last change?"""
        if self.differs(key):
            return True
        updated, got = self.updated_now(key), when(fetched)
        return updated is not None and got is not None and updated > got

    def unlisted(self) -> list[str]:
        """Posts known before that no discovery page of this run lists (sorted)."""
        return sorted(set(self.before) - set(self.now) - set(self.aliases))

    def counts(self) -> tuple[int, int, int]:
        """New, changed and unchanged posts among those listed now."""
        listed = set(self.now)
        new = listed - set(self.before)
        changed = {k for k in listed - new if self.differs(k) or k in self.refetched_stale}
        return len(new), len(changed), len(listed) - len(new) - len(changed)
