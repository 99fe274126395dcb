"""Filter values through the Project door: platforms listed apart from search engines and webmail, unknown ones
refused with the nearest names."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.ingest.test_access_logs import LINES, UA, write_log

import socialseo
from socialseo.api import Filters
from socialseo.errors import SocialSeoError

WEBMAIL = f'203.0.113.20 - - [01/Mar/2026:11:00:00 +0000] "GET /news HTTP/1.1" 200 5 "https://mail.google.com/" "{UA}"'


def test_the_platform_filter_lists_social_platforms_and_the_others_under_their_channel(tmp_path: Path) -> None:
    with socialseo.open(tmp_path / "w.duckdb") as project:
        project.ingest_logs([write_log(tmp_path, [*LINES, WEBMAIL])], site="www.example.com")
        assert project.known_platforms() == ["facebook", "x"]
        choices = project.platform_choices()
        assert choices["social"] == ["facebook", "x"] and choices["organic_search"] == ["google"]
        assert "google" not in choices["social"] and next(iter(choices)) == "social"
        assert set(choices) - {"social", "organic_search"}, choices  # webmail sits under its own channel


def test_every_method_taking_filters_refuses_an_unknown_platform(tmp_path: Path) -> None:
    with socialseo.open(tmp_path / "w.duckdb") as project:
        project.ingest_logs([write_log(tmp_path, LINES)], site="www.example.com")
        bad = Filters(platforms=("linkdin",))
        for call in (project.channels, project.sections, project.actions, project.pages_overview):
            with pytest.raises(SocialSeoError, match="did you mean linkedin"):
                call(filters=bad)
        assert project.check_filters(Filters(platforms=("Google",))) == Filters(platforms=("google",))
        with pytest.raises(SocialSeoError, match="no channel socal; did you mean social"):
            project.check_channel("socal")
