"""``socialseo ingest ga4-bigquery --table`` and ``ingest gsc --bigquery-table``: BigQuery tables read in place with
Google's client against a stand-in of BigQuery's REST API on 127.0.0.1, giving the rows their exported files give."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pyarrow.csv as pacsv
import pytest
from tests.ingest.bigquery_api import FakeBigQuery, serve_bigquery
from tests.ingest.test_ga4_bigquery import EVENTS, SCHEMA, write_parquet

from socialseo.cli import main

pytest.importorskip("google.cloud.bigquery")

GSC_CSV = Path(__file__).resolve().parents[1] / "data" / "exports" / "gsc_bulk_url_impression.csv"
SESSIONS = ("SELECT user_pseudo_id, ga_session_id, date::VARCHAR AS day, source, medium, channel, platform, "
            "landing_page, page_views, events FROM ga4_sessions ORDER BY ALL")
GSC_ROWS = ("SELECT date::VARCHAR AS day, page, query, country, device, clicks, impressions, position, source "
            "FROM search_performance ORDER BY ALL")


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def sql(db: Path, query: str, capsys: pytest.CaptureFixture[str]) -> list[dict[str, Any]]:
    code, out, err = run(["sql", query, "--db", str(db), "--json"], capsys)
    assert code == 0, err
    return list(json.loads(out))


def on_day(events: list[dict[str, Any]], day: str, shift: int) -> list[dict[str, Any]]:
    return [{**e, "event_date": day, "user_pseudo_id": f"{e['user_pseudo_id']}-{day}",
             "event_timestamp": e["event_timestamp"] + shift * 86_400_000_000} for e in events]


@pytest.fixture
def bigquery(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeBigQuery]:
    fake = FakeBigQuery()
    with serve_bigquery(fake) as base:
        monkeypatch.setenv("SOCIALSEO_BIGQUERY_API_BASE", base)
        monkeypatch.setenv("SOCIALSEO_GOOGLE_TOKEN_URL", f"{base}/token")
        monkeypatch.delenv("SOCIALSEO_GOOGLE_CREDENTIALS", raising=False)
        yield fake


def ga4_dataset(fake: FakeBigQuery) -> None:
    fake.tables = {
        ("analytics_1", "events_20260301"): (SCHEMA, EVENTS),
        ("analytics_1", "events_20260302"): (SCHEMA, on_day(EVENTS[:4], "20260302", 1)),
        ("analytics_1", "events_20260305"): (SCHEMA, on_day(EVENTS[3:5], "20260305", 4)),
        ("analytics_1", "events_intraday_20260306"): (SCHEMA, on_day(EVENTS[:1], "20260306", 5)),
        ("analytics_1", "pseudonymous_users_20260301"): (SCHEMA, []),
    }


def test_ga4_tables_are_read_page_by_page_with_a_bearer_token_into_the_rows_their_files_give(
    tmp_path: Path, bigquery: FakeBigQuery, capsys: pytest.CaptureFixture[str]
) -> None:
    ga4_dataset(bigquery)
    key = bigquery.google.service_account_file(tmp_path)
    db = tmp_path / "bq.duckdb"
    code, out, err = run(["ingest", "ga4-bigquery", "--table", "project.analytics_1.events_*", "--start",
                          "2026-03-01", "--end", "2026-03-04", "--credentials", str(key), "--db", str(db)], capsys)
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == ("bigquery:project.analytics_1.events_20260301: 6 rows loaded, 1 quarantined of 7 read; "
                        "4 sessions (events are rows)")
    assert lines[1].startswith("bigquery:project.analytics_1.events_20260302: 4 rows loaded, 0 quarantined of 4 read")
    assert len([line for line in lines if line.startswith("bigquery:")]) == 2  # 0305 is after --end; intraday left out
    # tables.list in pages of 2, then per table tables.get and tabledata.list in pages of 3 rows
    data = [(path.rsplit("/", 2)[-2], query.get("pageToken")) for path, query in bigquery.requests
            if path.endswith("/data")]
    assert data == [("events_20260301", None), ("events_20260301", "3"), ("events_20260301", "6"),
                    ("events_20260302", None), ("events_20260302", "3")]
    listed = [q.get("pageToken") for path, q in bigquery.requests if path.endswith("/tables")]
    assert listed == [None, "2", "4"]
    assert set(bigquery.authorizations) == {"Bearer ya29.test-token"}
    assert bigquery.google.token_requests and "assertion" in bigquery.google.token_requests[0]

    files = tmp_path / "files.duckdb"
    for day, events in (("20260301", EVENTS), ("20260302", on_day(EVENTS[:4], "20260302", 1))):
        path = write_parquet(tmp_path / f"events_{day}.parquet", events)
        assert main(["ingest", "ga4-bigquery", str(path), "--db", str(files)]) == 0
    capsys.readouterr()
    from_bigquery = sql(db, SESSIONS, capsys)
    assert len(from_bigquery) == 6 and from_bigquery == sql(files, SESSIONS, capsys)


def test_a_busy_bigquery_is_retried_and_every_row_still_lands(
    tmp_path: Path, bigquery: FakeBigQuery, capsys: pytest.CaptureFixture[str]
) -> None:
    ga4_dataset(bigquery)
    bigquery.failures = [503, 429]
    key = bigquery.google.service_account_file(tmp_path)
    code, out, err = run(["ingest", "ga4-bigquery", "--table", "project.analytics_1.events_20260301",
                          "--credentials", str(key), "--db", str(tmp_path / "w.duckdb")], capsys)
    assert code == 0, err
    assert "6 rows loaded, 1 quarantined of 7 read" in out
    assert bigquery.failures == []


def test_a_refusal_is_one_line_and_exit_2_and_nothing_is_stored(
    tmp_path: Path, bigquery: FakeBigQuery, capsys: pytest.CaptureFixture[str]
) -> None:
    ga4_dataset(bigquery)
    key = bigquery.google.service_account_file(tmp_path)
    db = tmp_path / "w.duckdb"
    code, _out, err = run(["ingest", "ga4-bigquery", "--table", "project.analytics_1.events_20990101",
                          "--credentials", str(key), "--db", str(db)], capsys)
    assert code == 2 and len(err.strip().splitlines()) == 1
    assert "BigQuery refused reading project.analytics_1.events_20990101 (HTTP 404)" in err
    assert "check the name" in err
    assert sql(db, "SELECT count(*) AS n FROM ga4_sessions", capsys) == [{"n": 0}]


@pytest.mark.parametrize(("args", "expected"), [
    (["--table", "events_*"], "name a table as PROJECT.DATASET.TABLE"),
    (["--table", "project.analytics_1.events_*", "--start", "2027-01-01"], "no daily table from 2027-01-01"),
    (["--table", "project.analytics_1.events_*", "--start", "2026-03-05", "--end", "2026-03-01"], "is after --end"),
])
def test_a_wrong_table_or_range_is_one_line_and_exit_2(
    tmp_path: Path, bigquery: FakeBigQuery, capsys: pytest.CaptureFixture[str], args: list[str], expected: str
) -> None:
    ga4_dataset(bigquery)
    key = bigquery.google.service_account_file(tmp_path)
    code, _out, err = run(["ingest", "ga4-bigquery", *args, "--credentials", str(key), "--db",
                           str(tmp_path / "w.duckdb")], capsys)
    assert code == 2 and expected in err and len(err.strip().splitlines()) == 1


def test_search_console_days_are_read_from_their_partitions_like_the_exported_table(
    tmp_path: Path, bigquery: FakeBigQuery, capsys: pytest.CaptureFixture[str]
) -> None:
    table = pacsv.read_csv(GSC_CSV)
    bigquery.tables = {("searchconsole", "searchdata_url_impression"): (table.schema, table.to_pylist())}
    key = bigquery.google.service_account_file(tmp_path)
    db = tmp_path / "bq.duckdb"
    code, out, err = run(["ingest", "gsc", "--bigquery-table", "project.searchconsole.searchdata_url_impression",
                          "--start", "2026-03-02", "--end", "2026-03-04", "--credentials", str(key), "--db", str(db)],
                         capsys)
    assert code == 0, err
    assert "searchdata_url_impression$20260302: 3 rows loaded, 0 quarantined of 3 read" in out
    assert "searchdata_url_impression$20260303: 0 rows loaded, 1 quarantined of 1 read" in out  # as from the file
    assert "searchdata_url_impression$20260304: 0 rows loaded" in out and "no rows on 2026-03-04" in out
    partitions = [path.rsplit("/", 2)[-2] for path, _ in bigquery.requests if path.endswith("/data")]
    assert partitions == ["searchdata_url_impression$20260302", "searchdata_url_impression$20260303",
                          "searchdata_url_impression$20260304"]
    assert main(["ingest", "gsc", str(GSC_CSV), "--db", str(tmp_path / "file.duckdb")]) == 0
    capsys.readouterr()
    rows = sql(db, GSC_ROWS, capsys)
    assert len(rows) == 3 and rows == sql(tmp_path / "file.duckdb", GSC_ROWS, capsys)
    [bad] = sql(db, "SELECT source_file, line_no, reason FROM quarantine", capsys)
    assert bad["source_file"] == "bigquery:project.searchconsole.searchdata_url_impression$20260303"
    assert bad["line_no"] == 1 and "not numbers" in bad["reason"]


def test_without_the_bigquery_extra_the_command_says_how_to_install_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "google.cloud.bigquery", None)  # an import of it now fails
    key = tmp_path / "key.json"
    key.write_text("{}")
    key.chmod(0o600)
    code, out, err = run(["ingest", "ga4-bigquery", "--table", "project.analytics_1.events_*",
                          "--credentials", str(key), "--db", str(tmp_path / "w.duckdb")], capsys)
    assert code == 2 and out == ""
    assert err.strip().endswith("pip install 'socialseo[bigquery]'") and len(err.strip().splitlines()) == 1


def test_start_and_end_read_search_console_days_only_together(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _out, err = run(["ingest", "gsc", "--bigquery-table", "project.sc.searchdata_url_impression", "--start",
                           str(date(2026, 3, 1)), "--db", str(tmp_path / "w.duckdb")], capsys)
    assert code == 2 and "--start and --end go together" in err


def test_a_daily_table_read_again_replaces_its_rows_or_is_skipped_when_unchanged(
    tmp_path: Path, bigquery: FakeBigQuery, capsys: pytest.CaptureFixture[str]
) -> None:
    ga4_dataset(bigquery)
    key = bigquery.google.service_account_file(tmp_path)
    db = tmp_path / "w.duckdb"
    args = ["ingest", "ga4-bigquery", "--table", "project.analytics_1.events_*", "--start", "2026-03-01", "--end",
            "2026-03-02", "--credentials", str(key), "--db", str(db)]
    assert run(args, capsys)[0] == 0
    # GA4 rewrites a day's table while late events arrive: one more page view for u2.2
    late = {**EVENTS[3], "event_timestamp": EVENTS[3]["event_timestamp"] + 30_000_000}
    bigquery.tables[("analytics_1", "events_20260301")] = (SCHEMA, [*EVENTS, late])
    code, out, err = run(args, capsys)
    assert code == 0, err
    assert "events_20260301: 7 rows loaded, 1 quarantined of 8 read" in out
    assert "events_20260302: already imported (same content)" in out
    totals = sql(db, "SELECT count(*) AS sessions, sum(page_views) AS views FROM ga4_sessions", capsys)
    assert totals == [{"sessions": 6, "views": 9}]
    assert sql(db, "SELECT sum(views) AS views FROM ga4_page_views", capsys) == [{"views": 9}]
    assert sql(db, "SELECT sum(sessions) AS n FROM ga4_traffic", capsys) == [{"n": 6}]
    # the late event is withdrawn: the table's rows are as first read, and are read again, not skipped
    bigquery.tables[("analytics_1", "events_20260301")] = (SCHEMA, EVENTS)
    code, out, err = run(args, capsys)
    assert code == 0 and "events_20260301: 6 rows loaded, 1 quarantined of 7 read" in out, out + err
    assert sql(db, "SELECT sum(page_views) AS views FROM ga4_sessions", capsys) == [{"views": 8}]
    assert sql(db, "SELECT count(*) AS n FROM quarantine", capsys) == [{"n": 1}]  # one read's bad line, not three
    assert sql(db, "SELECT count(*) AS n FROM imports WHERE path LIKE '%events_20260301'", capsys) == [{"n": 1}]


def test_a_redirect_from_the_api_is_not_followed_so_the_token_stays_where_it_was_sent(
    tmp_path: Path, bigquery: FakeBigQuery, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from aiohttp import web
    from tests.crawl.sites import serve

    ga4_dataset(bigquery)
    key = bigquery.google.service_account_file(tmp_path)
    fake_base = os.environ["SOCIALSEO_BIGQUERY_API_BASE"]

    async def moved(request: web.Request) -> web.StreamResponse:
        raise web.HTTPFound(fake_base + request.path_qs)

    with serve({}, fallback=moved) as mover:
        monkeypatch.setenv("SOCIALSEO_BIGQUERY_API_BASE", mover)
        code, out, err = run(["ingest", "ga4-bigquery", "--table", "project.analytics_1.events_*", "--credentials",
                              str(key), "--db", str(tmp_path / "bq.duckdb")], capsys)
    assert code == 2 and out == "" and len(err.strip().splitlines()) == 1, err
    assert "302" in err or "redirect" in err.lower(), err
    assert not [path for path, _ in bigquery.requests if "/datasets/" in path]  # the redirect was not followed
