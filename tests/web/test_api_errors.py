"""Every malformed parameter is a 400 whose JSON says which parameter and what it must be."""

from __future__ import annotations

import httpx
import pytest

HTTP = httpx.Client(timeout=120)


@pytest.mark.parametrize(("path", "params", "words"), [
    ("/api/channels", {"by": "foo"}, ["unknown grouping 'foo'", "landing-day"]),
    ("/api/actions", {"start": "2026-03-05", "end": "2026-03-01"}, ["is after end"]),
    ("/api/channels", {"platform": "linkdin"}, ["no platform linkdin; did you mean linkedin?"]),
    ("/platforms", {"platform": "linkdin"}, ["no platform linkdin; did you mean linkedin?"]),
    ("/platforms", {"start": "2026-03-05", "end": "2026-03-01"}, ["is after end"]),
    ("/api/pages", {"limit": "ten"}, ["limit", "integer", "'ten'"]),
    ("/api/pages", {"limit": "0"}, ["limit", "greater than or equal to 1"]),
    ("/api/tables/sessions", {"offset": "-1"}, ["offset"]),
    ("/api/tables/sessions", {"limit": str(10**9)}, ["limit", "less than or equal to 10000"]),
    ("/api/tables/no_such_table", {}, ["no table 'no_such_table'", "sessions"]),
    ("/api/sections/nowhere", {}, ["no view 'nowhere'", "overview"]),
    ("/api/pages/timeline", {}, ["page", "Field required"]),
])
def test_bad_parameters_are_400_with_a_message(dashboard: str, path: str, params: dict[str, str],
                                               words: list[str]) -> None:
    response = HTTP.get(dashboard + path, params=params)
    assert response.status_code == 400, response.text
    detail = response.json()["detail"]
    for word in words:
        assert word in detail, detail
