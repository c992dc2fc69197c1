"""The scrape stage: crawl Blogger blogs into the WARC raw store, politely, resumably, as updates.

Blogger's default robots.txt disallows ``/search``, which holds the home pager and label pages, so a
polite crawl of a real blogspot blog is carried by the JSON feed (paged with start-index), the sitemap,
the month archives ``/YYYY/MM/`` listed in the Blog Archive widget, and permalinks.

Modules, one job each:

- ``discovery``: what feed pages, sitemaps and listing pages list (pure functions)
- ``crawler``: the crawl of a blog (routes, summaries completed from permalinks, the update rules) and of
  several blogs at once (``crawl``)
- ``updates``: the ledger of posts new, changed, unchanged and gone since the store's last crawl
- ``wayback``: the newest good capture of every URL from the Wayback Machine (CDX, ``id_``)
- ``stats``: the counts of a crawl and the end-of-run summary
- ``command``: the ``scrape`` command
"""

from pipeline.scrape.command import add_cli, add_crawl_arguments, config_from_args
from pipeline.scrape.crawler import BlogCrawler, crawl
from pipeline.scrape.discovery import base_url, fetchable
from pipeline.scrape.stats import CrawlStats, log_summary

__all__ = ["BlogCrawler", "CrawlStats", "add_cli", "add_crawl_arguments", "base_url", "config_from_args", "crawl",
           "fetchable", "log_summary"]
