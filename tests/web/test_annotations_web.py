"""The dashboard's annotations, build progress and grouped platform filter, over HTTP on 127.0.0.1."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from tests.cli.annotated_site import build

import socialseo
from socialseo.report import sections as report_sections
from socialseo.report.sections import traffic
from socialseo.web.app import create_app
from socialseo.web.background import serving

HTTP = httpx.Client(timeout=60)


@pytest.fixture
def site(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    return build(tmp_path, capsys)


def test_platform_filter_lists_platforms_under_their_channel(site: Path) -> None:
    with socialseo.open(site) as project:
        choices = project.platform_choices()
    with serving(create_app(site)) as url:
        html = HTTP.get(url + "/?platform=linkedin").text
    assert choices["social"] == ["facebook", "linkedin", "x"]
    assert '<optgroup label="social" data-channel="social">' in html
    social = html.split('data-channel="social">', 1)[1].split("</optgroup>", 1)[0]
    assert '<option value="linkedin" selected>linkedin</option>' in social
    assert '<option value="facebook">facebook</option>' in social


def test_status_shows_which_sections_the_dashboard_is_computing(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    release = threading.Event()

    def waiting(con: Any) -> list[Any]:
        release.wait(30)
        return []

    monkeypatch.setattr(report_sections, "PROVIDERS", [traffic.sections, waiting])
    with serving(create_app(site)) as url:
        try:
            deadline = time.monotonic() + 30
            building: list[dict[str, Any]] = []
            while not (building and building[0]["done"] == 1) and time.monotonic() < deadline:
                building = HTTP.get(url + "/api/status").json()["building"]
                time.sleep(0.05)
            assert building == [{"filters": "all data", "done": 1, "total": 2,
                                 "section": "test annotations web"}]
        finally:
            release.set()
        deadline = time.monotonic() + 30
        while HTTP.get(url + "/api/status").json()["building"] and time.monotonic() < deadline:
            time.sleep(0.05)
        assert HTTP.get(url + "/api/status").json()["building"] == []


def test_page_timeline_draws_the_page_annotations(site: Path) -> None:
    with socialseo.open(site) as project:
        project.add_annotation("2026-03-05", "docs rewritten", page="/docs/api/webhooks")
    with serving(create_app(site)) as url:
        html = HTTP.get(url + "/pages", params={"page": "/docs/api/webhooks"}).text
    assert "chart-page-timeline" in html and "user: docs rewritten" in html
    assert "annotation-post" in html  # the page's first post, 2026-03-04
