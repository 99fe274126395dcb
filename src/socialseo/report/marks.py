"""The annotations every time chart of the report and the dashboard draws, computed once per build.

A report draws half a dozen time charts; each asks for the annotations of its filters (and page). Finding social
spikes reads the whole page x day panel, so a build computes them once: :func:`one_build` opens a scope in which
:func:`chart_marks` remembers what it computed, and outside one it computes afresh.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

import duckdb
import pandas as pd

from socialseo.analysis.annotations import list_annotations
from socialseo.analysis.filters import Filters

_BUILD: ContextVar[dict[Filters | None, pd.DataFrame] | None] = ContextVar("socialseo_marks", default=None)


@contextmanager
def one_build() -> Iterator[None]:
    """Within the block, each filter set's annotations are computed once."""
    token = _BUILD.set({})
    try:
        yield
    finally:
        _BUILD.reset(token)


def chart_marks(con: duckdb.DuckDBPyConnection, filters: Filters | None = None,
                page: str | None = None) -> pd.DataFrame:
    """The annotations a chart over ``filters`` shows: on the chart of ``page`` (a page key) the page's own and
    the site's; on a site chart the site's and, while few days are marked, the pages' too."""
    memo = _BUILD.get()
    found = memo.get(filters) if memo is not None else None
    if found is None:
        # outside a build, one page's chart reads that page's rows only
        found = list_annotations(con, page=page if memo is None else None,
                                 platforms=filters.platforms if filters else (),
                                 start=filters.start if filters else None, end=filters.end if filters else None)
        if memo is not None:
            memo[filters] = found
    if page is None:
        return _thinned(found)
    return found[found["page"].isna() | (found["page"] == page)]


# A site chart with a mark on every day says nothing: past this many marked days, page-level marks give way.
MAX_MARKED_DAYS = 40


def _thinned(found: pd.DataFrame) -> pd.DataFrame:
    """Site-wide marks, then page-level ones (the user's first, then campaign starts, then spikes) while fewer
    than :data:`MAX_MARKED_DAYS` days are marked."""
    site = found[found["page"].isna()]
    days = set(site["date"])
    keep = [site]
    for source in ("user", "post", "spike"):
        for day, rows in found[found["page"].notna() & (found["source"] == source)].groupby("date", sort=True):
            if day not in days and len(days) >= MAX_MARKED_DAYS:
                continue
            days.add(day)
            keep.append(rows)
    return pd.concat(keep).sort_values("date", kind="stable") if len(keep) > 1 else site
