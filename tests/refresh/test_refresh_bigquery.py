"""``socialseo refresh`` with ``[sources.ga4_bigquery]``: the last days' GA4 tables read from BigQuery in place."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from tests.ingest.bigquery_api import FakeBigQuery, serve_bigquery
from tests.ingest.test_bigquery_tables import on_day
from tests.ingest.test_ga4_bigquery import EVENTS, SCHEMA
from tests.refresh.test_refresh_cli import project_file, run

import socialseo

pytest.importorskip("google.cloud.bigquery")


def test_refresh_reads_the_last_days_tables_and_skips_them_when_unchanged(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    today = datetime.now(UTC).date()
    days = [(today - timedelta(days=n)).strftime("%Y%m%d") for n in (1, 2, 9)]
    fake = FakeBigQuery()
    fake.tables = {("analytics_1", f"events_{day}"): (SCHEMA, on_day(EVENTS, day, 0)) for day in days}
    with serve_bigquery(fake) as base:
        monkeypatch.setenv("SOCIALSEO_BIGQUERY_API_BASE", base)
        monkeypatch.setenv("SOCIALSEO_GOOGLE_TOKEN_URL", f"{base}/token")
        fake.google.service_account_file(tmp_path)
        path = project_file(tmp_path, '[sources.ga4_bigquery]\ntable = "project.analytics_1.events_*"\n'
                                      'credentials = "key.json"\n')
        code, out, err = run(["refresh", "--project", str(path)], capsys)
        assert code == 0, out + err
        line = out.splitlines()[0]
        assert line.startswith("ga4_bigquery: ok: 2 daily table(s) from ")
        assert "2 read anew (12 events, 2 quarantined), 0 unchanged" in line
        code, out, _ = run(["refresh", "--project", str(path)], capsys)
        assert code == 0 and "0 read anew (0 events, 0 quarantined), 2 unchanged since the last refresh" in out
    with socialseo.open(tmp_path / "w.duckdb") as project:
        assert project.warehouse.count("ga4_sessions") == 8


def test_a_ga4_bigquery_source_without_a_table_is_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = project_file(tmp_path, '[sources.ga4_bigquery]\ndays = 3\n')
    code, out, err = run(["refresh", "--project", str(path)], capsys)
    assert code == 2 and out == "" and "[sources.ga4_bigquery] needs table" in err
