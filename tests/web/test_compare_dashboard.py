"""compare= on the dashboard over HTTP on 127.0.0.1: the key figures show the other period, links keep it, a
malformed value is a 400 that says what it takes."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from tests.cli.two_weeks import two_weeks_db

from socialseo.web.app import create_app
from socialseo.web.background import serving

HTTP = httpx.Client(timeout=120)
WEEK = "start=2026-03-08&end=2026-03-14"


def test_compare_shows_the_other_week_and_bad_values_are_400(tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    db = two_weeks_db(tmp_path / "w.duckdb")
    capsys.readouterr()
    with serving(create_app(db)) as url:
        home = HTTP.get(f"{url}/?{WEEK}&compare=previous")
        search = HTTP.get(f"{url}/search?{WEEK}&compare=previous")
        plain = HTTP.get(f"{url}/?{WEEK}")
        undated = HTTP.get(f"{url}/?compare=previous")
        bad = HTTP.get(f"{url}/?compare=last-week")
        backwards = HTTP.get(f"{url}/search?compare=2026-03-07..2026-03-01")
    assert home.status_code == 200
    # 8 sessions against 5 in the week before
    assert '<small class="was">2026-03-01 to 2026-03-07: 5 (+60.0%)</small>' in home.text
    assert 'href="/search?start=2026-03-08&amp;end=2026-03-14&amp;compare=previous"' in home.text
    assert 'id="compare"' in home.text and 'value="previous"' in home.text
    assert 'id="search-insights"' in search.text and "Falling pages" in search.text
    tile = '<div class="kpi" data-metric="sessions"><b>8</b><span>sessions</span>'
    assert tile + '<small class="was">2026-03-01 to 2026-03-07: 5 (+60.0%)</small>' in home.text
    # without dates the period is the data's later half (2026-03-08 to 03-13), and the tile counts that period too
    assert tile + '<small class="was">2026-03-02 to 2026-03-07: 5 (+60.0%)</small>' in undated.text
    assert 'class="was"' not in plain.text and 'id="compare"' not in plain.text
    assert bad.status_code == 400 and "previous, year or FROM..TO" in bad.json()["detail"]
    assert backwards.status_code == 400 and "write the earlier day first" in backwards.json()["detail"]
