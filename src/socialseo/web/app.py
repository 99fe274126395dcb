"""The dashboard application: HTML pages that render the report's sections, plus the JSON API.

It opens the warehouse read-only, so nothing a visitor does can change the data. On loopback it needs no login;
bound to any other address it needs a token (``?token=`` once, which sets a cookie, or ``Authorization: Bearer``).
"""

from __future__ import annotations

import hmac
import threading
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager, suppress
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse
from jinja2 import ChoiceLoader, Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from socialseo.analysis.derived import refresh_derived
from socialseo.analysis.engagement import channel_engagement
from socialseo.analysis.filters import Filters
from socialseo.analysis.pages import page_timeline, pages_overview
from socialseo.report import charts
from socialseo.report.html import frame_context
from socialseo.store.warehouse import Warehouse
from socialseo.web import api
from socialseo.web.cache import SectionCache
from socialseo.web.deps import Con, FiltersDep
from socialseo.web.views import BY_NAME, VIEWS, sections_for

COOKIE = "socialseo_token"


def _environment() -> Environment:
    # The dashboard reuses the report's section and style templates, so both look and escape alike.
    return Environment(
        loader=ChoiceLoader(
            [PackageLoader("socialseo.web", "templates"), PackageLoader("socialseo.report", "templates")]
        ),
        autoescape=select_autoescape(default_for_string=True, default=True),
    )


def _token_guard(app: FastAPI, token: str) -> None:
    @app.middleware("http")
    async def check(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        given = request.query_params.get("token") or request.cookies.get(COOKIE) or ""
        header = request.headers.get("authorization", "")
        if header.lower().startswith("bearer "):
            given = header[7:]
        if not hmac.compare_digest(given.encode(), token.encode()):
            return JSONResponse({"detail": "a token is required: add ?token=... or an Authorization header"}, 401)
        response = await call_next(request)
        if request.query_params.get("token"):
            response.set_cookie(COOKIE, token, httponly=True, samesite="strict")
        return response


def _platforms(con: Any) -> list[str]:
    rows = con.execute(
        "SELECT DISTINCT platform FROM sessions WHERE platform IS NOT NULL "
        "UNION SELECT DISTINCT platform FROM social_posts ORDER BY 1"
    ).fetchall()
    return [r[0] for r in rows]


def _kpis(con: Any, filters: Any) -> list[tuple[str, str, str]]:
    engagement = channel_engagement(con, filters=filters)
    total = int(engagement["sessions"].sum()) if not engagement.empty else 0
    social = int(engagement.loc[engagement["channel"] == "social", "sessions"].sum()) if total else 0
    organic = int(engagement.loc[engagement["channel"] == "organic_search", "sessions"].sum()) if total else 0
    return [
        ("sessions", f"{total:,}", "sessions"),
        ("social-sessions", f"{social:,}", "from social platforms"),
        ("social-share", f"{social / total:.1%}" if total else "–", "of sessions from social"),
        ("organic-sessions", f"{organic:,}", "from organic search"),
    ]


def _warm(app: FastAPI) -> None:
    cur = app.state.warehouse.con.cursor()
    try:
        with suppress(Exception):  # a failure here happens again, with its message, on the page that needs it
            app.state.sections.sections(cur, Filters())
    finally:
        cur.close()


def create_app(db: str | Path, *, token: str | None = None) -> FastAPI:
    """The dashboard over the warehouse at ``db``; ``token`` (if given) is required on every request."""
    warehouse = Warehouse(db, read_only=True)
    refresh_derived(warehouse)  # an interrupted import's stale sessions and page_daily are rebuilt first

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        # The first view without filters runs every analysis: start it now, so the first visitor finds it done.
        _app.state.warming = threading.Thread(target=_warm, args=(_app,), name="socialseo-warm", daemon=True)
        _app.state.warming.start()
        yield
        _app.state.warming.join()
        warehouse.close()

    app = FastAPI(title="socialseo dashboard", version="1", openapi_url="/api/openapi.json", lifespan=lifespan,
                  docs_url=None, redoc_url=None)  # the interactive docs load scripts from a CDN: not offline
    app.state.warehouse = warehouse
    app.state.sections = SectionCache()
    env = _environment()
    if token:
        _token_guard(app, token)
    app.include_router(api.router)

    def render(request: Request, con: Con, filters: FiltersDep, view: str, **extra: Any) -> HTMLResponse:
        sections = app.state.sections.sections(con, filters)
        context = frame_context(con, sections)
        html = env.get_template("dashboard.html.j2").render(
            **context, **extra, views=VIEWS, view=BY_NAME[view], filters=filters,
            sections=sections_for(view, sections), platforms=_platforms(con),
            kpis=_kpis(con, filters) if view == "overview" else [], query=request.query_params,
        )
        return HTMLResponse(html)

    @app.get("/static/plotly.js", include_in_schema=False)
    def plotly_js() -> Response:
        return Response(charts.plotly_js(), media_type="application/javascript",
                        headers={"Cache-Control": "max-age=86400"})

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def overview(request: Request, con: Con, filters: FiltersDep) -> HTMLResponse:
        return render(request, con, filters, "overview")

    @app.get("/pages", response_class=HTMLResponse, include_in_schema=False)
    def pages(request: Request, con: Con, filters: FiltersDep, q: str = "", page: str = "") -> HTMLResponse:
        rows = pages_overview(con, q, filters)
        timeline = None
        if page:
            frame = page_timeline(con, page, filters)
            timeline = Markup(charts.fragment(charts.page_timeline(frame, page), "chart-page-timeline")) \
                if not frame.empty else None
        return render(request, con, filters, "pages", page_rows=rows.to_dict("records"), q=q, page=page,
                      timeline=timeline)

    def add_view(name: str) -> None:
        def handler(request: Request, con: Con, filters: FiltersDep) -> HTMLResponse:
            return render(request, con, filters, name)

        app.add_api_route(f"/{name}", handler, response_class=HTMLResponse, include_in_schema=False,
                          name=name)

    for view in VIEWS:
        if view.name not in ("overview", "pages"):
            add_view(view.name)
    return app
