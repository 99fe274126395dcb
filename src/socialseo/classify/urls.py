"""URL normalisation, page keys and campaign evidence, in Python and as DuckDB SQL that gives the same answer.

A *page key* names the page a request asked for, whatever way the visitor arrived:

- the scheme and host are dropped (an absolute request target keeps only its path and query);
- the fragment is dropped;
- tracking parameters (``data/tracking_params.yaml`` and every click id) are removed, the remaining parameters
  are sorted (as written, so ``b=2&a=1`` becomes ``a=1&b=2``), empty ones (``&&``) dropped;
- trailing slashes are stripped from the path, except that the root stays ``/``: ``/blog/`` and ``/blog``
  are one page, as almost every site serves them; an empty path is ``/``;
- nothing else changes: the path keeps its case and its percent-encoding.

Every rule is written once as a regular expression that Python's ``re`` and DuckDB's RE2 read alike, so
:func:`page_key` and :func:`page_key_sql` agree on any string (a property test checks it).
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from typing import NamedTuple
from urllib.parse import unquote_plus

from socialseo.classify import catalog
from socialseo.classify.hosts import parse_host

_ABSOLUTE = r"^[A-Za-z][A-Za-z0-9+.-]*://[^/?#]*"
_SPLIT = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://([^/?#]*)(.*)$", re.DOTALL)
_DEFAULT_PORTS = {"http": "80", "https": "443", "ws": "80", "wss": "443", "ftp": "21"}


def _ascii_ci(text: str) -> str:
    """A regex matching ``text`` with ASCII letters in either case and nothing else folded.

    Written out as character classes (``[uU][tT][mM]_``) because Python and RE2 fold non-ASCII letters
    differently under ``(?i)`` (the Kelvin sign, the long s); explicit classes mean the same in both.
    """
    return "".join(f"[{c.lower()}{c.upper()}]" if c.isascii() and c.isalpha() else re.escape(c) for c in text)


def _sql_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


@cache
def _tracking_pattern() -> str:
    prefixes, names = catalog.tracking_params()
    alternatives = [_ascii_ci(p) + "[^=]*" for p in prefixes] + [_ascii_ci(n) for n in names]
    # Tested against "<param>=", so a bare name and name=value both end at "=" (no "$", which Python and RE2
    # read differently before a trailing newline).
    return "^(?:" + "|".join(alternatives) + ")="


@cache
def _tracking_re() -> re.Pattern[str]:
    return re.compile(_tracking_pattern(), re.DOTALL)


def page_key(target: str) -> str:
    """The page key of a request target (``/path?query``) or of an absolute URL.

    >>> page_key("/blog/?utm_source=fb&b=2&a=1#top")
    '/blog?a=1&b=2'
    >>> page_key("https://example.com")
    '/'
    """
    rest = re.sub(_ABSOLUTE, "", target, count=1)
    rest = rest.split("#", 1)[0]
    path, _, query = rest.partition("?")
    path = path.rstrip("/") or "/"
    tracking = _tracking_re()
    params = sorted(p for p in query.split("&") if p and not tracking.match(p + "="))
    return path + ("?" + "&".join(params) if params else "")


def page_key_sql(column: str) -> str:
    """A DuckDB SQL expression computing :func:`page_key` of ``column`` (a SQL expression, e.g. ``"url"``).

    NULL stays NULL.
    """
    rest = f"regexp_extract(regexp_replace({column}, {_sql_literal(_ABSOLUTE)}, ''), '^[^#]*', 0)"
    path = f"regexp_extract({rest}, '^[^?]*', 0)"
    query = f"CASE WHEN strpos({rest}, '?') > 0 THEN substr({rest}, strpos({rest}, '?') + 1) ELSE '' END"
    params = (
        f"list_sort(list_filter(string_split({query}, '&'), "
        f"lambda p: p <> '' AND NOT regexp_matches(p || '=', {_sql_literal(_tracking_pattern())})))"
    )
    # No CASE: DuckDB computes a subexpression repeated in one projection once, but not inside CASE branches,
    # which made this twice as slow. ``left(x, 0)`` is '' or, for NULL, NULL, which ``||`` carries; the kept
    # parameters are never empty, so "no parameters" is exactly an empty join.
    return (
        f"(left({column}, 0) || coalesce(nullif(rtrim({path}, '/'), ''), '/') || "
        f"coalesce('?' || nullif(array_to_string({params}, '&'), ''), ''))"
    )


def normalize_url(url: str, *, default_host: str | None = None) -> str:
    """Normalise an absolute URL (or a request target, given ``default_host``) for comparison.

    Scheme and host are lower-cased, user information and default ports dropped, and the path and query
    become the page key (see the module docstring). A relative target without ``default_host`` gives its page
    key alone. ``default_host`` may be a host (``example.com``, taken as https) or an origin
    (``http://example.com:8080``).

    >>> normalize_url("HTTPS://WWW.Example.com:443/Shop/?utm_medium=email&id=7#reviews")
    'https://www.example.com/Shop?id=7'
    >>> normalize_url("/about/", default_host="example.com")
    'https://example.com/about'
    """
    text = url.strip()
    if text.startswith("//"):
        text = "https:" + text
    match = _SPLIT.match(text)
    if match is None:
        if default_host is None:
            return page_key(text)
        origin = default_host.strip().rstrip("/")
        if "://" not in origin:
            origin = "https://" + origin
        origin_match = _SPLIT.match(origin)
        if origin_match is None:
            raise ValueError(
                f"default_host {default_host!r} is not a host name or an origin like https://host"
            )
        match = _SPLIT.match(
            f"{origin_match[1]}://{origin_match[2]}{text if text[:1] in '/?' else '/' + text}"
        )
        assert match is not None
    scheme, authority, rest = match[1].lower(), match[2], match[3]
    hostport = authority.rpartition("@")[2]
    port_match = re.search(r":([0-9]*)$", hostport) if not hostport.endswith("]") else None
    port = port_match[1] if port_match else ""
    host = parse_host(hostport) or re.sub(r":[0-9]*$", "", hostport).lower()
    if port and port != _DEFAULT_PORTS.get(scheme):
        host = f"{host}:{port}"
    return f"{scheme}://{host}{page_key(rest)}"


class CampaignKey(NamedTuple):
    """The campaign evidence in a URL, as written (not decoded); ``""`` where absent.

    From :func:`campaign_key` the fields are values; from :func:`campaign_key_sql`, SQL expressions.
    """

    utm_source: str
    utm_medium: str
    click_id: str


@cache
def _param_pattern(name: str) -> str:
    return "[?&]" + _ascii_ci(name) + "=([^&#]*)"


@cache
def _click_id_pattern() -> str:
    names = sorted(catalog.click_ids(), key=lambda n: (-len(n), n))
    return "[?&](" + "|".join(_ascii_ci(n) for n in names) + ")=[^&#]"


@cache
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.DOTALL)


def _extract(pattern: str, text: str) -> str:
    found = _compiled(pattern).search(text)
    return found[1] if found else ""


@lru_cache(maxsize=65536)
def campaign_key(url: str | None) -> CampaignKey:
    """The first utm_source, utm_medium and click-id parameter name in ``url`` (raw, ``""`` where absent).

    A click id counts only with a non-empty value; the first one in the URL wins.
    """
    if not url:
        return CampaignKey("", "", "")
    return CampaignKey(
        _extract(_param_pattern("utm_source"), url),
        _extract(_param_pattern("utm_medium"), url),
        _extract(_click_id_pattern(), url),
    )


def campaign_key_sql(column: str) -> CampaignKey:
    """DuckDB SQL expressions extracting :func:`campaign_key`'s three fields from ``column``."""
    return CampaignKey(
        *(
            f"regexp_extract({column}, {_sql_literal(pattern)}, 1)"
            for pattern in (_param_pattern("utm_source"), _param_pattern("utm_medium"), _click_id_pattern())
        )
    )


def decode_param(raw: str) -> str:
    """URL-decode a value (``+`` is a space), trim and lower-case it: how campaign values compare."""
    return unquote_plus(raw, errors="replace").strip().lower()


def tracking_evidence(url: str | None) -> dict[str, str | None]:
    """What the URL says about how the visitor arrived: utm_source, utm_medium, utm_campaign and the click id.

    Values are URL-decoded and trimmed (case kept); the click id is its parameter name in lower case. Absent
    fields are None.

    >>> tracking_evidence("/p?utm_source=Newsletter&utm_medium=email&fbclid=IwAR0")["click_id"]
    'fbclid'
    """
    key = campaign_key(url)
    campaign = _extract(_param_pattern("utm_campaign"), url) if url else ""

    def clean(raw: str) -> str | None:
        value = unquote_plus(raw, errors="replace").strip()
        return value or None

    return {
        "utm_source": clean(key.utm_source),
        "utm_medium": clean(key.utm_medium),
        "utm_campaign": clean(campaign),
        "click_id": key.click_id.lower() or None,
    }
