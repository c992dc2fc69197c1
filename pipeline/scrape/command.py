"""The ``scrape`` command: options, the crawl, the end-of-run summary, the exit code."""

from __future__ import annotations

import argparse
from pathlib import Path

from pipeline.config import CrawlConfig, default_user_agent
from pipeline.errors import InputError
from pipeline.options import non_negative_float, non_negative_int, positive_int
from pipeline.scrape.crawler import crawl
from pipeline.scrape.stats import log_summary


def read_urls(urls: list[str] | None, urls_file: str | None) -> list[str]:
    """The blog URLs given on the command line and in a file (one a line, # comments)."""
    out = list(urls or [])
    if urls_file:
        path = Path(urls_file)
        if not path.is_file():
            raise InputError(f"{path}: no such file")
        out += [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines()
                if ln.strip() and not ln.startswith("#")]
    return out


def config_from_args(args: argparse.Namespace) -> CrawlConfig:
    """The crawl settings the options ask for."""
    return CrawlConfig(delay=args.delay, max_pages=args.max_pages, refresh=args.refresh, wayback=args.wayback,
                       wayback_host=args.wayback_host, timeout=args.timeout, max_retries=args.retries,
                       user_agent=args.user_agent or default_user_agent(), deadline=args.deadline,
                       max_crawl_delay=args.max_crawl_delay)


def _run(args: argparse.Namespace) -> int:
    stats = crawl(read_urls(args.urls, args.urls_file), Path(args.out), config_from_args(args))
    log_summary(stats)
    return 1 if stats.empty else 0


def add_crawl_arguments(p: argparse.ArgumentParser) -> None:
    """Options shared by ``scrape`` and ``run --source``."""
    d = CrawlConfig()
    p.add_argument("--delay", type=non_negative_float, default=d.delay,
                   help=f"seconds between requests to a host ({d.delay})")
    p.add_argument("--max-pages", type=positive_int, default=d.max_pages,
                   help=f"cap on fetched pages per blog ({d.max_pages})")
    p.add_argument("--timeout", type=_seconds, default=d.timeout, help=f"seconds per request ({d.timeout})")
    p.add_argument("--retries", type=non_negative_int, default=d.max_retries,
                   help=f"retries per request ({d.max_retries})")
    p.add_argument("--refresh", action="store_true",
                   help="fetch every page again, not only discovery pages and changed posts")
    p.add_argument("--wayback", action="store_true", help="also fetch archived captures via the Wayback CDX API")
    p.add_argument("--wayback-host", default=d.wayback_host, help=f"Wayback Machine base URL ({d.wayback_host})")
    p.add_argument("--user-agent", help="User-Agent to send; must name a contact (a URL or an e-mail address). "
                   "Default: $RIGHTSPASIA_USER_AGENT, else the project's own, naming its home page")
    p.add_argument("--deadline", type=_seconds, default=d.deadline,
                   help=f"seconds for a whole response, however slowly it comes; then it is retried ({d.deadline:g})")
    p.add_argument("--max-crawl-delay", type=_seconds, default=d.max_crawl_delay,
                   help=f"cap on a robots.txt Crawl-delay, in seconds ({d.max_crawl_delay:g})")


def _seconds(text: str) -> float:
    """A positive, finite number of seconds (argparse type)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not 0 < value < float("inf"):
        raise argparse.ArgumentTypeError(f"{text!r}: give a positive, finite number of seconds")
    return value


def add_cli(sub: argparse._SubParsersAction) -> None:
    """Register ``scrape``."""
    p = sub.add_parser("scrape", help="crawl Blogger blogs politely into a WARC raw store",
                       description="Discover every post of one or more Blogger blogs (JSON feed; else sitemap and "
                       "month archives; else the pager where robots.txt allows) and store every response in "
                       "RAW/crawl.warc.gz. Run again to update: discovery pages are fetched again, permalinks "
                       "only when new or changed (feed 'updated', sitemap 'lastmod'); the run ends with counts "
                       "of new, changed, unchanged and gone posts. Resumable.")
    p.add_argument("urls", nargs="*", metavar="URL", help="blog base URL(s)")
    p.add_argument("--urls-file", help="a file with one blog URL a line")
    p.add_argument("--out", required=True, help="raw store directory")
    add_crawl_arguments(p)
    p.set_defaults(func=_run)
