"""Configuration in one place: paths, crawl politeness defaults, schema and pipeline versions."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from pipeline import __version__

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = PACKAGE_DIR / "data"
REPO_DIR = PACKAGE_DIR.parent
# What the code reads at run time ships inside the package (package data in pyproject.toml), so that
# `pip install .` works as well as a source checkout: the spaCy pipeline configs, the JSON Schemas, the tables.
PIPELINE_CONFIGS_DIR = PACKAGE_DIR / "models"
SCHEMA_DIR = PACKAGE_DIR / "schemas"
# The corpus: in a source checkout, its corpus/ (the bundled snapshot in corpus/raw); installed from a wheel,
# ./corpus under the working directory (run it in a clone, or give --raw and --out).
IN_CHECKOUT = (REPO_DIR / "pyproject.toml").is_file() and (REPO_DIR / "corpus").is_dir()
HOME_DIR = REPO_DIR if IN_CHECKOUT else Path()  # where corpus/, bench/ and notebooks/ are looked for
CORPUS_DIR = HOME_DIR / "corpus"
SNAPSHOT_RAW = CORPUS_DIR / "raw"
MODELS_DIR = HOME_DIR / "models"  # where save_topics puts fitted topic models by default (notebook 05: its reports dir)
# What the bundled snapshot is: written into its warcinfo record (tools/build_snapshot.py) and into the header of
# records.json when a corpus is made from it.
SNAPSHOT_SOURCE = "bundled snapshot"  # how run names the source in records.json when it is the snapshot
SNAPSHOT_NOTE = (
    "A rendering, not a capture: the label page /search/label/asia and the month archive /2017/06/ of "
    "rightspasia.blogspot.com drawn in the blog's classic layout from the text of eight seed posts (title, date, "
    "text). Nothing else is the blog's: no labels, authors or times of day are given, post ids are 'u' + a hash "
    "of the permalink (not Blogger ids), permalinks follow Blogger's default slug rule from the title and may "
    "differ from the blog's, and record dates are the fixed date of the rendering, not of a fetch."
)

SCHEMA_VERSION = "2.0.0"
PIPELINE_VERSION = __version__

PROJECT_URL = "https://github.com/rightspasia/pipeline"
USER_AGENT = f"rightspasia-pipeline/{__version__} (+{PROJECT_URL}; research corpus crawler)"

# Who is crawling: a name and a contact site owners can use (a URL or an e-mail address, checked by
# fetch.check_user_agent). Set your own with --user-agent or this environment variable.
USER_AGENT_ENV = "RIGHTSPASIA_USER_AGENT"

LANGUAGES = ("en", "nl")

# The longest text extracted as one spaCy doc: a post (or a run of one language in it) longer than this is extracted
# in chunks and flagged ``chunked`` (pipeline/extract/chunks.py). spaCy's own max_length is 1,000,000, but some
# extractors' cost grows faster than the length of a doc (a 250,000-character text dense with numbers takes a
# minute, a 500,000-character one over three): chunks of 100,000 keep the cost of a post linear in its length.
MAX_DOC_CHARS = 100_000
LANGDETECT_SEED = 0

# Language identification (pipeline/language.py; measured in README "Languages"). The detectors answer only these
# languages: a paragraph of another one gets the nearest of them. Afrikaans and Malay are left out on purpose (they
# take short Dutch and Indonesian lines). The default backend is the fastest of the accurate ones.
DETECT_LANGUAGES = ("en", "nl", "fr", "de", "es", "id", "pt", "it", "tl")
LANGUAGE_BACKENDS = ("py3langid", "lingua", "langdetect")
DEFAULT_LANGUAGE_BACKEND = "py3langid"


def default_user_agent() -> str:
    """The User-Agent when none is given: $RIGHTSPASIA_USER_AGENT, else the project's own."""
    return os.environ.get(USER_AGENT_ENV, "").strip() or USER_AGENT


@dataclass(frozen=True)
class CrawlConfig:
    """Politeness and limits of one crawl."""

    delay: float = 1.0
    timeout: float = 30.0
    deadline: float = 60.0  # seconds for a whole response (headers and body), however slowly it trickles in
    max_crawl_delay: float = 30.0  # a robots.txt Crawl-delay above this is capped (with a warning)
    max_retries: int = 4
    backoff: float = 1.0
    max_backoff: float = 60.0
    max_pages: int = 10_000
    max_bytes: int = 20_000_000
    max_redirects: int = 5
    feed_page_size: int = 150
    user_agent: str = USER_AGENT
    refresh: bool = False
    wayback: bool = False
    wayback_host: str = "https://web.archive.org"
    extra_hosts: tuple[str, ...] = field(default_factory=tuple)
