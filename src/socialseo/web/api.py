"""The JSON API under ``/api/``: the dashboard's numbers for scripts and notebooks (OpenAPI at /api/openapi.json)."""

from __future__ import annotations

import json
from typing import Annotated, Any

import pandas as pd
from fastapi import APIRouter, HTTPException, Query, Request

from socialseo.api import UnknownTableError
from socialseo.errors import SocialSeoError
from socialseo.web.deps import FiltersDep, ProjectDep, SnapshotDep
from socialseo.web.views import BY_NAME, sections_for

router = APIRouter(prefix="/api", tags=["api"])
MAX_LIMIT = 10_000


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """JSON-safe records: dates as ISO strings, NaN as null."""
    parsed: list[dict[str, Any]] = json.loads(frame.to_json(orient="records", date_format="iso", default_handler=str))
    return parsed


@router.get("/channels", summary="Sessions and engagement per channel and platform")
def channels(project: ProjectDep, filters: FiltersDep,
             by: Annotated[str | None, Query(description="platform, landing, day or landing-day")] = None,
             ) -> list[dict[str, Any]]:
    try:
        return records(project.channels(by=by, filters=filters))
    except SocialSeoError as exc:  # an unknown grouping
        raise HTTPException(400, str(exc)) from exc


@router.get("/pages", summary="Pages with their social and search numbers")
def pages(project: ProjectDep, filters: FiltersDep, q: str = "",
          limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 200) -> list[dict[str, Any]]:
    return records(project.pages_overview(q, filters, limit))


@router.get("/pages/timeline", summary="One page's social activity and search performance per day")
def timeline(project: ProjectDep, filters: FiltersDep, page: str) -> list[dict[str, Any]]:
    return records(project.page_timeline(page, filters))


@router.get("/actions", summary="The action list")
def actions(project: ProjectDep, filters: FiltersDep) -> dict[str, Any]:
    return dict(project.action_plan(filters))


@router.get("/sections/{view}", summary="The report sections one dashboard page shows")
def sections(view: str, current: SnapshotDep, project: ProjectDep, filters: FiltersDep) -> list[dict[str, Any]]:
    if view not in BY_NAME:
        raise HTTPException(400, f"no view {view!r}; views: {', '.join(BY_NAME)}")
    return [
        {"key": s.key, "title": s.title, "based_on": s.based_on, "has_data": s.has_data, "missing": s.missing,
         "summary": s.summary, "paragraphs": s.paragraphs,
         "tables": [{"caption": t.caption, "header": t.header, "rows": [[str(c) for c in r] for r in t.rows]}
                    for t in s.tables]}
        for s in sections_for(view, current.sections.sections(project, filters))
    ]


@router.get("/tables", summary="The warehouse's tables and their row counts")
def tables(project: ProjectDep) -> list[dict[str, Any]]:
    return [{"table": str(t), "rows": int(n)} for t, n in project.table_sizes().itertuples(index=False)]


@router.get("/tables/{name}", summary="Rows of one table, a page at a time")
def table_rows(name: str, project: ProjectDep, limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 100,
               offset: Annotated[int, Query(ge=0)] = 0) -> list[dict[str, Any]]:
    try:
        return records(project.table_rows(name, limit, offset))
    except UnknownTableError as exc:
        raise HTTPException(400, str(exc)) from exc


@router.get("/status", summary="Which copy of the warehouse the dashboard answers from, and how fresh it is")
def status(request: Request, current: SnapshotDep) -> dict[str, Any]:
    snapshots = request.app.state.snapshots
    return {
        "warehouse": str(snapshots.source),
        "copy": current.generation,
        "copied_at": current.taken_at.isoformat(timespec="seconds"),
        "up_to_date": snapshots.behind is None,
        "note": snapshots.behind,
        # sections being computed now, e.g. the first view of a new date range: done of total, and which
        "building": current.sections.in_progress(),
    }
