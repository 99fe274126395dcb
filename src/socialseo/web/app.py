"""The dashboard application: HTML pages that render the report's sections, plus the JSON API.

It answers from a read-only copy of the warehouse (see :mod:`socialseo.web.snapshot`), so nothing a visitor does can
change the data and imports run while it serves. It answers only to the names it is reachable under (see
:mod:`socialseo.web.guard`); on loopback it needs no login, bound to any other address it needs a token (``?token=``
once, which sets a cookie, or ``Authorization: Bearer``). A malformed parameter is a 400 whose JSON says which.
"""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager, suppress
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse
from jinja2 import ChoiceLoader, Environment, PackageLoader, select_autoescape
from markupsafe import Markup

import socialseo
from socialseo.api import Filters, Project, timeline_chart
from socialseo.api import plotly_js as plotly_script
from socialseo.errors import SocialSeoError
from socialseo.web import api
from socialseo.web.cache import Builder
from socialseo.web.deps import FiltersDep, ProjectDep, SnapshotDep
from socialseo.web.guard import allowed_hosts, check_token, host_guard, token_guard
from socialseo.web.snapshot import Snapshot, Snapshots
from socialseo.web.views import BY_NAME, VIEWS, sections_for, view_of


def _environment() -> Environment:
    # The dashboard reuses the report's section and style templates, so both look and escape alike.
    return Environment(
        loader=ChoiceLoader(
            [PackageLoader("socialseo.web", "templates"), PackageLoader("socialseo.report", "templates")]
        ),
        autoescape=select_autoescape(default_for_string=True, default=True),
    )


def _bad_parameter(_request: Request, exc: Exception) -> JSONResponse:
    """FastAPI's 422 for a malformed parameter, as a 400 whose message names the parameter and what it must be."""
    assert isinstance(exc, RequestValidationError)
    problems = []
    for error in exc.errors():
        name = ".".join(str(part) for part in error.get("loc", ())[1:]) or "request"
        problems.append(f"{name}: {error.get('msg', 'invalid')} (got {error.get('input')!r})")
    return JSONResponse({"detail": "; ".join(problems), "errors": jsonable(exc.errors())}, 400)


def jsonable(errors: Iterable[Any]) -> list[dict[str, Any]]:
    return [{"loc": list(e.get("loc", ())), "msg": str(e.get("msg", "")), "type": str(e.get("type", ""))}
            for e in errors]


def _kpis(project: Project, filters: Filters) -> list[tuple[str, str, str, str]]:
    now, was = _compared(project, filters)
    if now is None:
        engagement = project.channels(filters=filters)
        total = int(engagement["sessions"].sum()) if not engagement.empty else 0
        social = int(engagement.loc[engagement["channel"] == "social", "sessions"].sum()) if total else 0
        organic = int(engagement.loc[engagement["channel"] == "organic_search", "sessions"].sum()) if total else 0
    else:  # the numbers cover the same period their comparison line speaks of
        total, social, organic = now["sessions"], now["social_sessions"], now["organic_search_sessions"]
    return [
        ("sessions", f"{total:,}", "sessions", was.get("sessions", "")),
        ("social-sessions", f"{social:,}", "from social platforms", was.get("social_sessions", "")),
        ("social-share", f"{social / total:.1%}" if total else "–", "of sessions from social", ""),
        ("organic-sessions", f"{organic:,}", "from organic search", was.get("organic_search_sessions", "")),
    ]


_HEADLINE = ("sessions", "social_sessions", "organic_search_sessions")


def _compared(project: Project, filters: Filters) -> tuple[dict[str, int] | None, dict[str, str]]:
    """With a comparison: the headline numbers of the period it resolves to, and per number the comparison
    period's value and the change in words. Without one (or when it cannot be made): None and the reason, if any."""
    if not filters.compare:
        return None, {}
    try:
        kpis = project.kpis(filters)
    except SocialSeoError as exc:
        return None, {"sessions": str(exc)}
    row = kpis.frame.iloc[0]
    now = {name: int(row[name]) for name in _HEADLINE}
    if not kpis.before_has_data:
        return now, {"sessions": f"no data in {kpis.against.describe()} to compare with"}
    out = {}
    for name in _HEADLINE:
        before, pct = row[f"{name}_before"], row[f"{name}_change_pct"]
        change = f"{pct:+.1%}" if pct == pct else ("new" if row[name] else "±0")
        out[name] = f"{kpis.against.describe()}: {before:,.0f} ({change})"
    return now, out


def _warm(snapshots: Snapshots) -> None:
    with snapshots.using() as snapshot:  # held like a request, so a newer copy cannot close it under the build
        cur = snapshot.con.cursor()
        try:
            with suppress(Exception):  # a failure here happens again, with its message, on the page that needs it
                snapshot.sections.sections(Project.over(cur, snapshot.path), Filters())
        finally:
            cur.close()


def create_app(db: str | Path, *, token: str | None = None, host: str = "127.0.0.1",
               allow_hosts: Iterable[str] = (), builder: Builder | None = None) -> FastAPI:
    """The dashboard over the warehouse at ``db``.

    ``token`` (if given, at least 16 characters) is required on every request; ``host`` is the address the server
    is bound to, which with the loopback names and ``allow_hosts`` are the Host names it answers to. ``builder``
    replaces the function that computes the report's sections (tests use it to make a build slow).
    """
    if token is not None:
        check_token(token)
    with socialseo.open(db, read_only=True):
        pass  # opening rebuilds what an interrupted import left stale (sessions, page_daily) before any copy

    def warm_in_background(_fresh: Snapshot | None = None) -> None:
        # The first view without filters runs every analysis: start it now, so the first visitor finds it done.
        app.state.warming = threading.Thread(target=_warm, args=(snapshots,), name="socialseo-warm", daemon=True)
        app.state.warming.start()

    snapshots = Snapshots(db, builder=builder, on_refresh=warm_in_background)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        warm_in_background()
        yield
        _app.state.warming.join()
        snapshots.close()

    app = FastAPI(title="socialseo dashboard", version="1", openapi_url="/api/openapi.json", lifespan=lifespan,
                  docs_url=None, redoc_url=None)  # the interactive docs load scripts from a CDN: not offline
    app.state.snapshots = snapshots
    app.add_exception_handler(RequestValidationError, _bad_parameter)
    env = _environment()
    if token:
        token_guard(app, token)
    names = allowed_hosts(host, allow_hosts)
    if names is not None:
        host_guard(app, names)  # added last, so it runs first: a forged Host is refused before anything else
    app.include_router(api.router)

    def render(request: Request, current: Snapshot, project: Project, filters: Filters, view: str,
               **extra: Any) -> HTMLResponse:
        sections = current.sections.sections(project, filters)
        context = project.report_frame(sections)
        html = env.get_template("dashboard.html.j2").render(
            **context, **extra, views=VIEWS, view=BY_NAME[view], filters=filters,
            sections=sections_for(view, sections), platform_choices=project.platform_choices(),
            kpis=_kpis(project, filters) if view == "overview" else [], query=request.query_params,
            copied_at=current.taken_at, behind=snapshots.behind,
            # a finding links to its section on the dashboard page that shows it
            links={s.key: ("/" if view_of(s) == "overview" else f"/{view_of(s)}") + f"#{s.key}" for s in sections},
        )
        return HTMLResponse(html)

    @app.get("/static/plotly.js", include_in_schema=False)
    def plotly_js() -> Response:
        return Response(plotly_script(), media_type="application/javascript",
                        headers={"Cache-Control": "max-age=86400"})

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def overview(request: Request, current: SnapshotDep, project: ProjectDep, filters: FiltersDep) -> HTMLResponse:
        return render(request, current, project, filters, "overview")

    @app.get("/pages", response_class=HTMLResponse, include_in_schema=False)
    def pages(request: Request, current: SnapshotDep, project: ProjectDep, filters: FiltersDep, q: str = "",
              page: str = "") -> HTMLResponse:
        rows = project.pages_overview(q, filters)
        timeline = None
        if page:
            frame = project.page_timeline(page, filters)
            marks = project.chart_marks(filters, page)
            timeline = Markup(timeline_chart(frame, page, marks)) if not frame.empty else None
        return render(request, current, project, filters, "pages", page_rows=rows.to_dict("records"), q=q, page=page,
                      timeline=timeline)

    def add_view(name: str) -> None:
        def handler(request: Request, current: SnapshotDep, project: ProjectDep, filters: FiltersDep
                    ) -> HTMLResponse:
            return render(request, current, project, filters, name)

        app.add_api_route(f"/{name}", handler, response_class=HTMLResponse, include_in_schema=False,
                          name=name)

    for view in VIEWS:
        if view.name not in ("overview", "pages"):
            add_view(view.name)
    return app
