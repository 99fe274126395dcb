"""Engagement per channel × platform × landing page × day, on sessions built from a real import."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.ingest.test_access_logs import LINES, write_log

import socialseo
from socialseo.errors import SocialSeoError


def test_every_grouping_adds_up_to_all_sessions(tmp_path: Path) -> None:
    with socialseo.open(tmp_path / "w.duckdb") as project:
        project.ingest_logs([write_log(tmp_path, LINES)], site="www.example.com")
        total = project.warehouse.count("sessions")
        assert total > 0
        for by in (None, "platform", "landing", "day", "landing-day"):
            frame = project.channels(by=by)
            assert int(frame["sessions"].sum()) == total
            assert frame["share"].sum() == pytest.approx(1.0)
        daily = project.channels(by="landing-day")
        assert {"day", "channel", "platform", "landing_page", "bounce_rate", "avg_duration_s"} <= set(daily.columns)
        social = daily[daily["channel"] == "social"]
        assert set(social["landing_page"]) == {"/blog/post", "/after-broken"}
        with pytest.raises(SocialSeoError, match="landing-day"):
            project.channels(by="week")
