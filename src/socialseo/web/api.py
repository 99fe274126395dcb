"""The JSON API under ``/api/``: the dashboard's numbers for scripts and notebooks (OpenAPI at /api/openapi.json)."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Annotated, Any

import pandas as pd
from fastapi import APIRouter, HTTPException, Query, Request

from socialseo.analysis.actions import run_rules
from socialseo.analysis.engagement import channel_engagement
from socialseo.analysis.pages import page_timeline, pages_overview
from socialseo.errors import SocialSeoError
from socialseo.web.deps import Con, FiltersDep, SnapshotDep
from socialseo.web.views import BY_NAME, sections_for

router = APIRouter(prefix="/api", tags=["api"])
MAX_LIMIT = 10_000


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """JSON-safe records: dates as ISO strings, NaN as null."""
    parsed: list[dict[str, Any]] = json.loads(frame.to_json(orient="records", date_format="iso", default_handler=str))
    return parsed


@router.get("/channels", summary="Sessions and engagement per channel and platform")
def channels(con: Con, filters: FiltersDep,
             by: Annotated[str | None, Query(description="platform, landing, day or landing-day")] = None,
             ) -> list[dict[str, Any]]:
    try:
        return records(channel_engagement(con, by=by, filters=filters))
    except SocialSeoError as exc:  # an unknown grouping
        raise HTTPException(400, str(exc)) from exc


@router.get("/pages", summary="Pages with their social and search numbers")
def pages(con: Con, filters: FiltersDep, q: str = "",
          limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 200) -> list[dict[str, Any]]:
    return records(pages_overview(con, q, filters, limit))


@router.get("/pages/timeline", summary="One page's social activity and search performance per day")
def timeline(con: Con, filters: FiltersDep, page: str) -> list[dict[str, Any]]:
    return records(page_timeline(con, page, filters))


@router.get("/actions", summary="The action list")
def actions(con: Con, filters: FiltersDep) -> dict[str, Any]:
    result = run_rules(con, filters)
    return {
        "actions": [asdict(a) for a in result.actions],
        "skipped": [{"rule": t, "why": w} for t, w in result.skipped],
    }


@router.get("/sections/{view}", summary="The report sections one dashboard page shows")
def sections(view: str, current: SnapshotDep, con: Con, filters: FiltersDep) -> list[dict[str, Any]]:
    if view not in BY_NAME:
        raise HTTPException(400, f"no view {view!r}; views: {', '.join(BY_NAME)}")
    return [
        {"key": s.key, "title": s.title, "based_on": s.based_on, "has_data": s.has_data, "missing": s.missing,
         "summary": s.summary, "paragraphs": s.paragraphs,
         "tables": [{"caption": t.caption, "header": t.header, "rows": [[str(c) for c in r] for r in t.rows]}
                    for t in s.tables]}
        for s in sections_for(view, current.sections.sections(con, filters))
    ]


@router.get("/tables", summary="The warehouse's tables and their row counts")
def tables(con: Con) -> list[dict[str, Any]]:
    rows = con.execute(
        "SELECT table_name, estimated_size FROM duckdb_tables() WHERE schema_name = 'main' ORDER BY 1"
    ).fetchall()
    return [{"table": t, "rows": n} for t, n in rows]


@router.get("/tables/{name}", summary="Rows of one table, a page at a time")
def table_rows(name: str, con: Con, limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 100,
               offset: Annotated[int, Query(ge=0)] = 0) -> list[dict[str, Any]]:
    known = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main'").fetchall()}
    if name not in known:
        raise HTTPException(400, f"no table {name!r}; tables: {', '.join(sorted(known))}")
    return records(con.execute(f'SELECT * FROM "{name}" LIMIT ? OFFSET ?', [limit, offset]).df())


@router.get("/status", summary="Which copy of the warehouse the dashboard answers from, and how fresh it is")
def status(request: Request, current: SnapshotDep) -> dict[str, Any]:
    snapshots = request.app.state.snapshots
    return {
        "warehouse": str(snapshots.source),
        "copy": current.generation,
        "copied_at": current.taken_at.isoformat(timespec="seconds"),
        "up_to_date": snapshots.behind is None,
        "note": snapshots.behind,
    }
