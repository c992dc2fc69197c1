"""The parse stage: stored Blogger responses (listing pages, item pages, JSON and Atom feeds) to one Post per post.

Modules, in the order a response goes through them:

- ``responses``: decode a stored response, say its kind or why it is skipped, hand it to the page or feed parser
- ``page``: an HTML page's posts, field by field, from the blocks that ``blocks`` finds (in the Blog widget) and
  indexes, with ``pageinfo`` (canonical URL, og:title, JSON-LD) and ``classes`` (class names by role, as data)
- ``feeds``: the entries of JSON, Atom and RSS feed pages
- ``readmore``, ``text``, ``urls``, ``dates``: "read more" links to the post itself; clean body text; canonical
  permalinks and ids; dates in the blog's language and timestamps
- ``candidate``: a post as one page shows it (``Candidate``), and the merge of its copies into one ``Post``
- ``report``: the run's summary (posts, summaries, pages without a post, responses skipped)
- ``stream``: a raw store's posts, streamed (``iter_posts``), as a list (``parse_store``), as a file; the command
"""

from pipeline.parse.blocks import BlockIndex, page_blocks
from pipeline.parse.candidate import FULL, LISTING, TRUNCATED, Candidate, merge, merge_copies, sort_posts
from pipeline.parse.dates import date_from_header, normalise_timestamp
from pipeline.parse.feeds import parse_feed_atom, parse_feed_json, parse_feed_rss
from pipeline.parse.page import parse_html_page
from pipeline.parse.report import ParseReport
from pipeline.parse.responses import PARSE_ERRORS, Outcome, candidates_of, decode_body, read_response
from pipeline.parse.stream import Parsed, iter_post_lines, iter_posts, parse_file, parse_responses, parse_store
from pipeline.parse.text import body_text, html_to_text, tidy_text
from pipeline.parse.urls import ITEM_PATH, id_from_url, normalise_url

__all__ = [
    "FULL", "ITEM_PATH", "LISTING", "PARSE_ERRORS", "TRUNCATED", "BlockIndex", "Candidate", "Outcome", "ParseReport",
    "Parsed", "iter_post_lines", "parse_responses",
    "body_text",
    "candidates_of", "date_from_header", "decode_body", "html_to_text", "id_from_url", "iter_posts", "merge",
    "merge_copies", "normalise_timestamp", "normalise_url", "page_blocks", "parse_feed_atom", "parse_feed_json",
    "parse_feed_rss", "parse_file", "parse_html_page", "parse_store", "read_response", "sort_posts", "tidy_text",
]
