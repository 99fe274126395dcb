"""GA4 Traffic acquisition exports: every row loaded or quarantined, each source/medium classified."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.conftest import TEST_DATA

import socialseo
from socialseo.errors import FormatNotRecognisedError
from socialseo.ingest.analytics.ga4 import classify_source_medium

EXPORT = TEST_DATA / "ga4" / "traffic_acquisition.csv"


def test_traffic_acquisition_export_is_read_and_classified(tmp_path: Path) -> None:
    data_rows = [line for line in EXPORT.read_text().splitlines() if line and not line.startswith("#")][1:]
    with socialseo.open(tmp_path / "w.duckdb") as project:
        (result,) = project.ingest_ga4([EXPORT])
        assert result.rows_read == len(data_rows) == 11
        assert (result.rows_loaded, result.rows_quarantined) == (10, 1)
        assert project.sql("SELECT line_no, reason FROM quarantine").values.tolist() == [
            [20, "sessions is not a number"]
        ]
        rows = dict(project.sql(
            "SELECT source || ' / ' || medium, channel || ':' || coalesce(platform, '') FROM ga4_traffic"
        ).values.tolist())
        assert rows["google / organic"] == "organic_search:google"
        assert rows["(direct) / (none)"] == "direct:"
        assert rows["m.facebook.com / referral"] == "social:facebook"
        assert rows["l.instagram.com / referral"] == "social:instagram"
        assert rows["t.co / referral"] == "social:x"
        assert rows["newsletter / email"] == "email:"
        assert rows["facebook / cpc"] == "paid_social:facebook"
        assert rows["blog.example.org / referral"] == "referral:"
        total = sum(int(line.split(",")[1]) for line in data_rows if line.split(",")[1].isdigit())
        assert project.sql("SELECT sum(sessions) FROM ga4_traffic").iloc[0, 0] == total
        dates = project.sql("SELECT DISTINCT CAST(start_date AS VARCHAR), CAST(end_date AS VARCHAR) FROM ga4_traffic")
        assert dates.values.tolist() == [["2026-03-01", "2026-03-31"]]
        channels = project.ga4_channels()
        social = channels[channels["channel"] == "social"].set_index("platform")
        assert social.loc["facebook", "sessions"] == 150
        assert social.loc["facebook", "engagement_rate"] == pytest.approx(60 / 150)
        again = project.ingest_ga4([EXPORT])
        assert again[0].skipped and project.warehouse.count("ga4_traffic") == 10


def test_a_csv_that_is_not_a_ga4_export_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("page,clicks\n/a,3\n")
    with socialseo.open(tmp_path / "w.duckdb") as project, pytest.raises(FormatNotRecognisedError, match="GA4"):
        project.ingest_ga4([path])


def test_source_that_names_a_platform_without_a_host_is_read_as_utm() -> None:
    assert classify_source_medium("linkedin", "social")[:2] == ("social", "linkedin")
    assert classify_source_medium("spring-launch", "launch") == ("referral", None, "utm")
