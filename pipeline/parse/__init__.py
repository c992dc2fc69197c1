"""The parse stage: stored Blogger responses (listing pages, item pages, JSON and Atom feeds) to one Post per post.

Modules, in the order a response goes through them:

- ``responses``: decode a stored response and hand it to the page or feed parser (``candidates_of``)
- ``page``: an HTML page's posts, field by field, from the blocks that ``blocks`` finds and indexes
- ``feeds``: the entries of JSON and Atom feed pages
- ``text``, ``urls``, ``dates``: clean body text; canonical permalinks and ids; header dates and timestamps
- ``candidate``: a post as one page shows it (``Candidate``), and the merge of its copies into one ``Post``
- ``stream``: a raw store's posts, streamed (``iter_posts``), as a list (``parse_store``), as a file; the command
"""

from pipeline.parse.blocks import BlockIndex, page_blocks
from pipeline.parse.candidate import FULL, LISTING, TRUNCATED, Candidate, merge, sort_posts
from pipeline.parse.dates import date_from_header, normalise_timestamp
from pipeline.parse.feeds import parse_feed_atom, parse_feed_json
from pipeline.parse.page import parse_html_page
from pipeline.parse.responses import candidates_of, decode_body
from pipeline.parse.stream import iter_posts, parse_file, parse_store
from pipeline.parse.text import body_text, html_to_text, tidy_text
from pipeline.parse.urls import ITEM_PATH, id_from_url, normalise_url

__all__ = [
    "FULL", "ITEM_PATH", "LISTING", "TRUNCATED", "BlockIndex", "Candidate", "body_text", "candidates_of",
    "date_from_header", "decode_body", "html_to_text", "id_from_url", "iter_posts", "merge", "normalise_timestamp",
    "normalise_url", "page_blocks", "parse_feed_atom", "parse_feed_json", "parse_file", "parse_html_page",
    "parse_store", "sort_posts", "tidy_text",
]
