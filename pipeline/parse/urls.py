"""Permalinks: the canonical form of a post's URL, joining links, and the id of a post whose page gives none."""

from __future__ import annotations

import hashlib
import re
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

ITEM_PATH = re.compile(r"^/\d{4}/\d{2}/[^/]+\.html$")
# An absolute http(s) URL with a plain host and no query, user, port or white space: the common permalink, for
# which urlsplit/urljoin round trips change nothing but the scheme and the host's case.
PLAIN_URL = re.compile(r"https?://([A-Za-z0-9.-]+)(/[^?#\s]*)?(#\S*)?")
BLOGSPOT_HOST = re.compile(r"^(.*\.blogspot)\.[a-z.]+$")


def normalise_url(url: str) -> str:
    """Canonical permalink: https, blogspot .com host, no ?m=1 / showComment / fragment."""
    url = url.strip()
    plain = PLAIN_URL.fullmatch(url)
    if plain:
        host = plain.group(1).lower()
        m = BLOGSPOT_HOST.match(host)
        return f"https://{m.group(1) + '.com' if m else host}{plain.group(2) or '/'}"
    return normalise_split_url(url)


def normalise_split_url(url: str) -> str:
    """``normalise_url`` for any URL, through urlsplit (queries, ports, odd schemes)."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    m = BLOGSPOT_HOST.match(host)
    if m:
        host = m.group(1) + ".com"
    try:
        if parts.port and parts.port not in (80, 443):
            host = f"{host}:{parts.port}"
    except ValueError:  # "host:80x": not a port, but a link is no reason to lose the page; kept as written
        host = f"{host}:{parts.netloc.rpartition(':')[2]}"
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in ("m", "showComment")]
    scheme = "https" if parts.scheme in ("http", "https", "") else parts.scheme
    return urlunsplit((scheme, host, parts.path or "/", urlencode(query), ""))


PLAIN_PATH = re.compile(r"(?:https?://[A-Za-z0-9.:-]+)?(/[^?#\s]*)")


def url_path(url: str) -> str:
    """The path of a URL (absolute or starting with '/'); '' when it has none."""
    m = PLAIN_PATH.match(url)
    return m.group(1) if m else (urlsplit(url).path or "")


def join_url(base: str, link: str) -> str:
    """``urljoin(base, link)``, without its parse and unparse round trip when link is a plain absolute URL."""
    # The round trip drops an empty fragment ("...#") and empty path parameters ("...;"); anything else of a
    # plain URL comes back unchanged.
    if PLAIN_URL.fullmatch(link) and ";" not in link and not link.endswith("#"):
        return link
    return urljoin(base, link)


def id_from_url(url: str) -> str:
    """A stable id for a post whose page gives no Blogger id: derived from its normalised permalink."""
    return "u" + hashlib.sha1(normalise_url(url).encode("utf-8")).hexdigest()[:16]
