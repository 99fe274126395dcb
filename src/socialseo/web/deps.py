"""What every route shares: a cursor on the read-only warehouse and the request's filters."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

import duckdb
from fastapi import Depends, Query, Request

from socialseo.analysis.filters import Filters
from socialseo.web.views import parse_filters


def cursor(request: Request) -> Iterator[duckdb.DuckDBPyConnection]:
    """A cursor per request: DuckDB connections are not shared between threads, cursors are cheap."""
    cur = request.app.state.warehouse.con.cursor()
    try:
        yield cur
    finally:
        cur.close()


def filters(
    start: Annotated[str | None, Query(description="First day, YYYY-MM-DD")] = None,
    end: Annotated[str | None, Query(description="Last day, YYYY-MM-DD")] = None,
    platform: Annotated[list[str] | None, Query(description="Only these platforms (repeat)")] = None,
) -> Filters:
    return parse_filters(start, end, platform)


Con = Annotated[duckdb.DuckDBPyConnection, Depends(cursor)]
FiltersDep = Annotated[Filters, Depends(filters)]
