"""The dashboard over HTTP on 127.0.0.1: pages, filters, the JSON API and its OpenAPI spec, tokens, read-only."""

from __future__ import annotations

from pathlib import Path

import httpx
from fastapi.testclient import TestClient
from tests.web.conftest import EVIL_TITLE

from socialseo.web.app import create_app
from socialseo.web.views import VIEWS, parse_filters

# generous: the first page view computes every section, on a CI machine that may be busy
HTTP = httpx.Client(timeout=120)
LOCAL = "http://127.0.0.1"
TOKEN = "k2Vq8wR4pT7yZ1nB"


def test_every_page_answers_and_escapes_crawled_titles(dashboard: str, evil_page: str) -> None:
    for view in VIEWS:
        path = "/" if view.name == "overview" else f"/{view.name}"
        response = HTTP.get(dashboard + path)
        assert response.status_code == 200, path
        assert "<script>window.__pwned" not in response.text
    pages = HTTP.get(dashboard + "/pages", params={"q": evil_page}).text
    assert "&lt;script&gt;window.__pwned = 1&lt;/script&gt;Evil title" in pages


def test_platform_filter_changes_the_numbers(dashboard: str) -> None:
    everything = HTTP.get(dashboard + "/api/channels").json()
    only_x = HTTP.get(dashboard + "/api/channels", params={"platform": "x"}).json()
    assert sum(r["sessions"] for r in only_x) < sum(r["sessions"] for r in everything)
    assert {r["platform"] for r in only_x} == {"x"}
    x_sessions = next(r["sessions"] for r in everything if r["platform"] == "x")
    assert sum(r["sessions"] for r in only_x) == x_sessions


def test_date_filter_narrows_sessions_and_bad_dates_are_400(dashboard: str) -> None:
    days = HTTP.get(dashboard + "/api/channels", params={"by": "day"}).json()
    first = min(r["day"] for r in days)[:10]
    one_day = HTTP.get(dashboard + "/api/channels", params={"start": first, "end": first, "by": "day"}).json()
    assert {r["day"][:10] for r in one_day} == {first}
    assert HTTP.get(dashboard + "/api/channels", params={"start": "yesterday"}).status_code == 400


def test_openapi_spec_lists_the_api(dashboard: str) -> None:
    spec = HTTP.get(dashboard + "/api/openapi.json").json()
    assert {"/api/channels", "/api/pages", "/api/pages/timeline", "/api/actions", "/api/tables/{name}"} <= set(
        spec["paths"]
    )


def test_page_search_and_timeline(dashboard: str, evil_page: str) -> None:
    found = HTTP.get(dashboard + "/api/pages", params={"q": "Evil title"}).json()
    assert [r["page"] for r in found] == [evil_page] and found[0]["title"] == EVIL_TITLE
    timeline = HTTP.get(dashboard + "/api/pages/timeline", params={"page": evil_page}).json()
    assert sum(r["social_sessions"] for r in timeline) == found[0]["social_sessions"] > 0


def test_tables_are_paged_and_unknown_tables_are_400(dashboard: str) -> None:
    assert len(HTTP.get(dashboard + "/api/tables/sessions", params={"limit": 3}).json()) == 3
    assert HTTP.get(dashboard + "/api/tables/nope").status_code == 400
    assert HTTP.get(dashboard + "/api/tables/sessions", params={"limit": 10**9}).status_code == 400


def test_token_is_required_when_set(demo_db: Path) -> None:
    with TestClient(create_app(demo_db, token=TOKEN), base_url=LOCAL) as client:
        assert client.get("/api/channels").status_code == 401
        assert client.get("/api/channels", headers={"Authorization": "Bearer wrong"}).status_code == 401
        assert client.get("/api/channels", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 200
        assert client.get("/", params={"token": TOKEN}).status_code == 200
        assert client.get("/channels").status_code == 200  # the cookie set by ?token= carries on


def test_dashboard_cannot_write(dashboard: str) -> None:
    assert HTTP.post(dashboard + "/api/channels").status_code == 405


def test_sections_are_built_once_per_filter_set(demo_db: Path) -> None:
    app = create_app(demo_db)
    with TestClient(app, base_url=LOCAL) as client:
        app.state.warming.join(timeout=120)
        cache = app.state.snapshots.current.sections
        assert client.get("/backlinks").status_code == 200
        first = cache.cached(parse_filters(None, None, None))
        assert first is not None
        assert client.get("/impact").status_code == 200
        assert cache.cached(parse_filters(None, None, None)) is first
        assert client.get("/", params={"platform": "x"}).status_code == 200
        assert len(cache) == 2


def test_the_unfiltered_view_is_built_at_start_up(demo_db: Path) -> None:
    app = create_app(demo_db)
    with TestClient(app, base_url=LOCAL):
        app.state.warming.join(timeout=120)
        assert not app.state.warming.is_alive()
        assert app.state.snapshots.current.sections.keys() == [parse_filters(None, None, None)]


def test_pages_view_and_api_show_web_export_period_totals(tmp_path: Path) -> None:
    from tests.conftest import TEST_DATA

    import socialseo
    from socialseo.web.background import serving

    db = tmp_path / "gsc.duckdb"
    with socialseo.open(db) as project:
        project.ingest_gsc([TEST_DATA / "exports" / "gsc_api_rows.json",
                            TEST_DATA / "exports" / "gsc_web_export_custom_dates.zip"])
    with serving(create_app(db)) as url:
        rows = {r["page"]: r for r in HTTP.get(url + "/api/pages").json()}
        html = HTTP.get(url + "/pages").text
    guide = rows["/guide"]
    assert guide["search_data"] == "period totals only" and guide["search_clicks"] == 0
    assert (guide["period_clicks"], guide["period_start"][:10], guide["period_end"][:10]) == (
        12, "2026-08-28", "2026-09-03")
    assert rows["/docs/api/webhooks"]["search_data"] == "daily" and rows["/docs/api/webhooks"]["period_clicks"] is None
    assert "period totals only" in html and "2026-08-28 to 2026-09-03" in html
