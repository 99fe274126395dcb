"""What every route shares: the warehouse copy it reads, a cursor on it, and the request's filters."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

import duckdb
from fastapi import Depends, HTTPException, Query, Request

from socialseo.api import Filters, Project
from socialseo.errors import SocialSeoError
from socialseo.web.snapshot import Snapshot
from socialseo.web.views import parse_filters


def snapshot(request: Request) -> Iterator[Snapshot]:
    """The newest copy of the warehouse, held for the whole request even if a newer one arrives meanwhile."""
    with request.app.state.snapshots.using() as current:
        yield current


def cursor(current: Annotated[Snapshot, Depends(snapshot)]) -> Iterator[duckdb.DuckDBPyConnection]:
    """A cursor per request: DuckDB connections are not shared between threads, cursors are cheap."""
    cur = current.con.cursor()
    try:
        yield cur
    finally:
        cur.close()


def project(current: Annotated[Snapshot, Depends(snapshot)],
            con: Annotated[duckdb.DuckDBPyConnection, Depends(cursor)]) -> Project:
    """The project door over this request's cursor: every number a route serves comes through it."""
    return Project.over(con, current.path)


def filters(
    door: Annotated[Project, Depends(project)],
    start: Annotated[str | None, Query(description="First day, YYYY-MM-DD")] = None,
    end: Annotated[str | None, Query(description="Last day, YYYY-MM-DD")] = None,
    platform: Annotated[list[str] | None, Query(description="Only these platforms (repeat)")] = None,
    compare: Annotated[str | None, Query(description="Another period to set beside this one: previous, year or "
                                                     "FROM..TO (YYYY-MM-DD..YYYY-MM-DD)")] = None,
) -> Filters:
    parsed = parse_filters(start, end, platform, compare)
    try:  # a platform the warehouse does not know is the client's error, named with the nearest ones
        return door.check_filters(parsed) or parsed
    except SocialSeoError as exc:
        raise HTTPException(400, str(exc)) from exc


SnapshotDep = Annotated[Snapshot, Depends(snapshot)]
Con = Annotated[duckdb.DuckDBPyConnection, Depends(cursor)]
FiltersDep = Annotated[Filters, Depends(filters)]
ProjectDep = Annotated[Project, Depends(project)]
