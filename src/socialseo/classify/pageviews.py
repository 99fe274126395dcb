"""Decide which logged requests are page views, in SQL, from ``data/pageviews.yaml``.

Engagement (sessions, bounce, pages per session) is about pages people saw; counting stylesheets and images
would inflate pages per session and hide bounces.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from socialseo.classify._data import load


def pageview_rules() -> dict[str, Any]:
    return load("pageviews")


def _sql_list(values: list[str]) -> str:
    return ", ".join("'" + v.replace("'", "''") + "'" for v in values)


@cache
def pageview_sql(method: str = "method", status: str = "status", url: str = "url") -> str:
    """A boolean SQL expression over the given columns: is this request a page view?"""
    rules = pageview_rules()
    extensions = "|".join(rules["asset_extensions"])
    path = f"lower(regexp_extract({url}, '^(?:https?://[^/]+)?([^?#]*)', 1))"
    prefixes = " OR ".join(
        f"starts_with({path}, '{p}')" for p in rules["non_page_paths"] if p.endswith("/")
    )
    exact = _sql_list([p for p in rules["non_page_paths"] if not p.endswith("/")])
    statuses = rules["statuses"]
    also = ", ".join(str(s) for s in statuses.get("also", []))
    return (
        f"({method} IN ({_sql_list(rules['methods'])})"
        f" AND ({status} BETWEEN {statuses['min']} AND {statuses['max']} OR {status} IN ({also or 'NULL'}))"
        f" AND NOT regexp_matches({path}, '\\.({extensions})$')"
        f" AND {path} NOT IN ({exact})"
        f" AND NOT ({prefixes or 'false'}))"
    )
