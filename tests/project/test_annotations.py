"""Annotations and the report's progress through the Python API (``socialseo.open``)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from tests.cli.annotated_site import build

import socialseo
from socialseo.analysis.page_names import UnknownPageError
from socialseo.errors import SocialSeoError
from socialseo.project.choices import UnknownFilterError
from socialseo.report.sections import PROVIDERS, provider_name


@pytest.fixture
def site(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    return build(tmp_path, capsys)


def test_notes_round_trip_through_the_project(site: Path) -> None:
    with socialseo.open(site) as project:
        first = project.add_annotation(date(2026, 3, 4), "newsletter sent", page="/blog/spring-launch/")
        second = project.add_annotation("2026-03-06", "  LinkedIn   ad ", platform="LinkedIn")
        mine = project.annotations(sources=("user",))
        assert mine[["id", "text", "page", "platform"]].values.tolist() == [
            [first, "newsletter sent", "/blog/spring-launch", None], [second, "LinkedIn ad", None, "linkedin"]]
        assert project.remove_annotation(first)["text"] == "newsletter sent"
        assert project.annotations(sources=("user",))["id"].tolist() == [second]


def test_bad_values_raise_errors_a_user_can_act_on(site: Path) -> None:
    with socialseo.open(site) as project:
        with pytest.raises(UnknownPageError, match="/blog/spring-launch"):
            project.add_annotation("2026-03-01", "x", page="/blog/spring-lunch")
        with pytest.raises(UnknownFilterError, match="did you mean linkedin"):
            project.annotations(platform="linkdin")
        with pytest.raises(SocialSeoError, match="YYYY-MM-DD"):
            project.add_annotation("03/01/2026", "x")
        with pytest.raises(SocialSeoError, match="no annotation source tweets"):
            project.annotations(sources=("tweets",))
        assert project.annotations(sources=("user",)).empty


def test_a_platform_keeps_its_own_marks_and_those_of_no_platform(site: Path) -> None:
    with socialseo.open(site) as project:
        project.add_annotation("2026-03-06", "LinkedIn ad", platform="linkedin")
        linkedin = project.annotations(platform="linkedin", start="2026-03-01", end="2026-03-31")
        facebook = project.annotations(platform="facebook", start="2026-03-01", end="2026-03-31")
    assert set(linkedin["source"]) == {"user", "search_update"}
    assert {"post", "spike", "search_update"} <= set(facebook["source"]) and "user" not in set(facebook["source"])


def test_report_progress_is_called_once_per_section_group_in_order(site: Path, tmp_path: Path) -> None:
    calls: list[tuple[int, int, str]] = []
    with socialseo.open(site, read_only=True) as project:
        path = project.report(tmp_path / "r", on_progress=lambda *call: calls.append(call))
    assert path.exists()
    total = len(PROVIDERS)
    assert calls == [(i, total, provider_name(p)) for i, p in enumerate(PROVIDERS)]
    assert {"traffic", "timelines", "impact", "social search"} <= {name for _, _, name in calls}


def test_page_chart_marks_hold_the_page_and_the_site_only(site: Path) -> None:
    with socialseo.open(site) as project:
        project.add_annotation("2026-03-05", "site redesign")
        marks = project.chart_marks(page="www.example.com/docs/api/webhooks")
    assert set(marks["page"].dropna()) == {"/docs/api/webhooks"}
    assert "site redesign" in set(marks["text"])
