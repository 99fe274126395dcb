"""Which filter values a warehouse can answer for, and the nearest names when a value is not one of them.

A typo in a filter (``--platform linkdin``) must not become an empty report that blames the data: the value is
checked against what the warehouse holds and the platforms socialseo knows (``classify/data``), and refused with
the nearest names. Social platforms, search engines and webmail are listed apart: only the first are social
platforms, the others are sources of their own channel.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import replace

import duckdb

from socialseo.analysis.filters import Filters
from socialseo.classify import assistants, catalog
from socialseo.classify.channels import CHANNELS
from socialseo.errors import SocialSeoError

# Tables and their platform column: every place a platform name is stored.
_PLATFORM_COLUMNS = (
    ("sessions", "platform", "channel"),
    ("ga4_traffic", "platform", "channel"),
    ("social_posts", "platform", None),
    ("backlinks", "source_platform", None),
)


class UnknownFilterError(SocialSeoError):
    """A filter value (a platform, a channel) neither the warehouse nor socialseo's lists know."""


def stored_platforms(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """Every platform the warehouse holds, with the channel it came by (``social`` for posts and backlinks)."""
    tables = {str(r[0]) for r in con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main'").fetchall()}
    found: dict[str, str] = {}
    for table, column, channel in _PLATFORM_COLUMNS:
        if table not in tables:
            continue
        by = channel or "'social'"
        for name, via in con.execute(
            f"SELECT DISTINCT {column}, {by} FROM {table} WHERE {column} IS NOT NULL"
        ).fetchall():
            # a platform seen as social anywhere is a social platform (a paid visit from it is still that platform)
            if found.get(str(name)) != "social":
                found[str(name)] = str(via)
    return found


def platform_channels(con: duckdb.DuckDBPyConnection) -> dict[str, list[str]]:
    """Platforms the warehouse holds, grouped by channel: ``{"social": ["facebook", "x"], "organic_search":
    ["google"], "email": ["gmail"]}``; channels in socialseo's order, names sorted."""
    grouped: dict[str, list[str]] = {}
    for name, channel in stored_platforms(con).items():
        grouped.setdefault(channel, []).append(name)
    order: dict[str, int] = {c: i for i, c in enumerate(CHANNELS)}
    return {c: sorted(grouped[c]) for c in sorted(grouped, key=lambda c: (order.get(c, len(order)), c))}


def known_platforms() -> set[str]:
    """Every platform, AI assistant, search engine and email service socialseo's data files name."""
    return {*catalog.platforms(), *assistants.assistants(), *catalog.search_engines(), *catalog.email_hosts()}


def check_platforms(con: duckdb.DuckDBPyConnection, names: Iterable[str]) -> tuple[str, ...]:
    """``names`` in lower case, each one the warehouse holds or socialseo knows; else one
    :class:`UnknownFilterError` with the nearest names (``no platform linkdin; did you mean linkedin?``)."""
    wanted = tuple(n.strip().lower() for n in names if n and n.strip())
    if not wanted:
        return wanted
    stored = stored_platforms(con)
    valid = set(stored) | known_platforms()
    for name in wanted:
        if name not in valid:
            raise UnknownFilterError(_unknown("platform", name, valid, _listing(stored)))
    return wanted


def check_channel(con: duckdb.DuckDBPyConnection, name: str) -> str:
    """``name`` in lower case when it is one of socialseo's channels; else the nearest ones."""
    value = name.strip().lower()
    if value not in CHANNELS:
        raise UnknownFilterError(_unknown("channel", value, set(CHANNELS), "channels: " + ", ".join(CHANNELS)))
    return value


def check_filters(con: duckdb.DuckDBPyConnection, filters: Filters | None) -> Filters | None:
    """``filters`` with their platforms checked (see :func:`check_platforms`)."""
    if filters is None or not filters.platforms:
        return filters
    return replace(filters, platforms=check_platforms(con, filters.platforms))


def _unknown(kind: str, name: str, valid: set[str], listing: str) -> str:
    near = difflib.get_close_matches(name, sorted(valid), n=3, cutoff=0.7)
    if near:
        return f"no {kind} {name}; did you mean {' or '.join(near)}?"
    return f"no {kind} {name}; {listing}"


def _listing(stored: dict[str, str]) -> str:
    if not stored:
        return "this warehouse holds no platform yet: import logs, posts or backlinks first"
    grouped: dict[str, list[str]] = {}
    for name, channel in stored.items():
        grouped.setdefault(channel, []).append(name)
    return "this warehouse holds " + "; ".join(f"{c}: {', '.join(sorted(n))}" for c, n in sorted(grouped.items()))
