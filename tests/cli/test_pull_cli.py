"""``socialseo pull gsc`` against a local fake of Google's token endpoint and Search Console API."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from tests.ingest.google_api import FakeGoogle, appearance_rows, day_rows, serve_google

from socialseo.cli import main

DAYS = ["2026-03-01", "2026-03-02", "2026-03-03"]


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def google(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeGoogle]:
    fake = FakeGoogle()
    with serve_google(fake) as base:
        monkeypatch.setenv("SOCIALSEO_GOOGLE_API_BASE", base)
        monkeypatch.setenv("SOCIALSEO_GOOGLE_TOKEN_URL", f"{base}/token")
        monkeypatch.setenv("SOCIALSEO_GSC_ROW_LIMIT", "4")
        monkeypatch.delenv("SOCIALSEO_GOOGLE_CREDENTIALS", raising=False)
        yield fake


def pull(tmp_path: Path, fake: FakeGoogle, capsys: pytest.CaptureFixture[str], *extra: str,
         start: str = DAYS[0], end: str = DAYS[-1]) -> tuple[int, str, str]:
    key = fake.service_account_file(tmp_path)
    return run(["pull", "gsc", "--site", "sc-domain:example.com", "--start", start, "--end", end,
                "--credentials", str(key), "--db", str(tmp_path / "w.duckdb"), *extra], capsys)


def sql(tmp_path: Path, query: str, capsys: pytest.CaptureFixture[str]) -> list[dict[str, object]]:
    code, out, err = run(["sql", query, "--db", str(tmp_path / "w.duckdb"), "--json"], capsys)
    assert code == 0, err
    return list(json.loads(out))


def test_pull_stores_every_row_of_every_page_with_a_bearer_token(
    tmp_path: Path, google: FakeGoogle, capsys: pytest.CaptureFixture[str]
) -> None:
    google.rows_per_day = {DAYS[0]: day_rows(DAYS[0], 10), DAYS[1]: day_rows(DAYS[1], 3)}
    code, out, err = pull(tmp_path, google, capsys)
    assert code == 0, err
    assert "13 rows loaded, 0 quarantined of 13 read" in out
    # day 1: 10 rows in pages of 4 -> startRow 0, 4, 8; day 2: one short page; day 3: an empty page
    asked = [(q["startDate"], q["startRow"], q["rowLimit"]) for q in google.queries]
    assert asked == [(DAYS[0], 0, 4), (DAYS[0], 4, 4), (DAYS[0], 8, 4), (DAYS[1], 0, 4), (DAYS[2], 0, 4)]
    assert all(q["dimensions"] == ["date", "page", "query"] and q["dataState"] == "all" for q in google.queries)
    assert set(google.sites) == {"sc-domain:example.com"}
    assert google.bad_auth == 0 and len(google.token_requests) == 1
    rows = sql(tmp_path, "SELECT date, page, query, clicks, impressions, position, source, property, is_fresh "
                         "FROM search_performance ORDER BY date, impressions", capsys)
    assert len(rows) == 13
    assert rows[0] == {"date": "2026-03-01T00:00:00.000", "page": "https://www.example.com/p0", "query": "query 0",
                       "clicks": 0, "impressions": 10, "position": 1.5, "source": "api",
                       "property": "sc-domain:example.com", "is_fresh": False}
    served = sum(r["impressions"] for d in google.rows_per_day.values() for r in d)
    assert sum(int(str(r["impressions"])) for r in rows) == served


def test_assertion_is_a_signed_jwt_bearer_grant_to_the_configured_token_url(
    tmp_path: Path, google: FakeGoogle, capsys: pytest.CaptureFixture[str]
) -> None:
    google.rows_per_day = {DAYS[0]: day_rows(DAYS[0], 1)}
    code, _, err = pull(tmp_path, google, capsys)
    assert code == 0, err
    [grant] = google.token_requests
    assert grant["grant_type"] == "urn:ietf:params:oauth:grant-type:jwt-bearer"
    assert grant["assertion"].count(".") == 2  # the fake verified its RS256 signature and claims, else code 2


def test_a_key_signed_by_another_key_is_refused_in_one_line(
    tmp_path: Path, google: FakeGoogle, capsys: pytest.CaptureFixture[str]
) -> None:
    key = google.service_account_file(tmp_path)
    google.key = FakeGoogle().key  # the server now expects another key's signature
    code, out, err = run(["pull", "gsc", "--site", "sc-domain:example.com", "--start", DAYS[0], "--end", DAYS[0],
                          "--credentials", str(key), "--db", str(tmp_path / "w.duckdb")], capsys)
    assert code == 2
    assert "token endpoint refused the credentials" in err and len(err.strip().splitlines()) == 1
    assert "PRIVATE KEY" not in err + out and google.queries == []


def test_an_authorized_user_token_file_is_refreshed_and_used(
    tmp_path: Path, google: FakeGoogle, capsys: pytest.CaptureFixture[str]
) -> None:
    google.rows_per_day = {DAYS[0]: day_rows(DAYS[0], 2)}
    token = google.authorized_user_file(tmp_path)
    code, out, err = run(["pull", "gsc", "--site", "https://www.example.com", "--start", DAYS[0], "--end", DAYS[0],
                          "--credentials", str(token), "--db", str(tmp_path / "w.duckdb")], capsys)
    assert code == 0, err
    assert google.token_requests[0]["grant_type"] == "refresh_token"
    assert google.sites == ["https://www.example.com/"]
    assert "2 rows loaded" in out


def test_a_key_readable_by_others_is_refused_before_any_request(
    tmp_path: Path, google: FakeGoogle, capsys: pytest.CaptureFixture[str]
) -> None:
    key = google.service_account_file(tmp_path, mode=0o644)
    code, _, err = run(["pull", "gsc", "--site", "sc-domain:example.com", "--start", DAYS[0], "--end", DAYS[0],
                        "--credentials", str(key), "--db", str(tmp_path / "w.duckdb")], capsys)
    assert code == 2
    assert f"run chmod 600 {key}" in err and "mode 0644" in err
    assert google.token_requests == [] and google.queries == []


def test_429_then_success_is_retried_and_stored_once(
    tmp_path: Path, google: FakeGoogle, capsys: pytest.CaptureFixture[str]
) -> None:
    google.rows_per_day = {DAYS[0]: day_rows(DAYS[0], 2)}
    google.failures = [429, 503]
    code, out, err = pull(tmp_path, google, capsys, end=DAYS[0])
    assert code == 0, err
    assert len(google.queries) == 3 and "2 rows loaded" in out
    assert sql(tmp_path, "SELECT count(*) AS n FROM search_performance", capsys) == [{"n": 2}]


def test_errors_that_persist_end_in_one_line_and_store_nothing(
    tmp_path: Path, google: FakeGoogle, capsys: pytest.CaptureFixture[str]
) -> None:
    google.failures = [403]
    code, _, err = pull(tmp_path, google, capsys)
    assert code == 2
    assert "HTTP 403" in err and "add its e-mail as a user in Search Console" in err
    assert len(err.strip().splitlines()) == 1
    assert sql(tmp_path, "SELECT count(*) AS n FROM search_performance", capsys) == [{"n": 0}]


@pytest.mark.parametrize("body, says", [
    (b"<html>proxy error</html>", "not JSON"),
    (b'{"rows": {"keys": 1}}', "without a list of rows"),
    (b'{"rows": [{"keys": ["2026-03-01"], "clicks": 1, "impressions": 2, "position": 1}]}', "keys do not match"),
])
def test_malformed_answers_exit_2_in_one_line(
    tmp_path: Path, google: FakeGoogle, capsys: pytest.CaptureFixture[str], body: bytes, says: str
) -> None:
    google.malformed = body
    code, _, err = pull(tmp_path, google, capsys)
    assert code == 2 and says in err and len(err.strip().splitlines()) == 1
    assert sql(tmp_path, "SELECT count(*) AS n FROM imports", capsys) == [{"n": 0}]


def test_incremental_pull_asks_only_for_missing_days_and_the_last_three(
    tmp_path: Path, google: FakeGoogle, capsys: pytest.CaptureFixture[str]
) -> None:
    days = [f"2026-03-{d:02d}" for d in range(1, 15)]
    google.rows_per_day = {d: day_rows(d, 2) for d in days}
    code, _, err = pull(tmp_path, google, capsys, start=days[0], end=days[9])
    assert code == 0, err
    google.queries.clear()
    google.rows_per_day[days[9]] = day_rows(days[9], 3)  # Search Console revised the last day
    code, _, err = pull(tmp_path, google, capsys, start=days[0], end=days[13])
    assert code == 0, err
    assert [q["startDate"] for q in google.queries] == days[7:14]
    rows = sql(tmp_path, "SELECT date, count(*) AS n FROM search_performance GROUP BY 1 ORDER BY 1", capsys)
    assert [r["n"] for r in rows] == [2] * 9 + [3] + [2] * 4


def test_fresh_days_are_marked_and_pulled_again(
    tmp_path: Path, google: FakeGoogle, capsys: pytest.CaptureFixture[str]
) -> None:
    days = [f"2026-03-{d:02d}" for d in range(1, 8)]
    google.rows_per_day = {d: day_rows(d, 1) for d in days}
    google.first_incomplete = days[2]
    code, out, err = pull(tmp_path, google, capsys, start=days[0], end=days[6])
    assert code == 0, err
    assert f"days from {days[2]} are fresh" in out
    fresh = sql(tmp_path, "SELECT date, is_fresh FROM search_performance ORDER BY date", capsys)
    assert [r["is_fresh"] for r in fresh] == [False, False, True, True, True, True, True]
    google.queries.clear()
    google.first_incomplete = None
    code, _, err = pull(tmp_path, google, capsys, start=days[0], end=days[6])
    assert code == 0, err
    assert [q["startDate"] for q in google.queries] == days[2:]
    fresh = sql(tmp_path, "SELECT count(*) FILTER (WHERE is_fresh) AS n FROM search_performance", capsys)
    assert fresh == [{"n": 0}]


def test_no_rows_says_what_happened(tmp_path: Path, google: FakeGoogle, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = pull(tmp_path, google, capsys)
    assert code == 0, err
    assert "Search Console returned no rows for sc-domain:example.com on the 3 days" in out


def test_bad_site_and_missing_credentials_are_one_line(
    tmp_path: Path, google: FakeGoogle, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(["pull", "gsc", "--site", "example.com", "--db", str(tmp_path / "w.duckdb")], capsys)
    assert code == 2 and "sc-domain:example.com" in err
    code, _, err = run(["pull", "gsc", "--site", "sc-domain:example.com", "--start", DAYS[0], "--end", DAYS[0],
                        "--db", str(tmp_path / "w.duckdb")], capsys)
    assert code == 2 and "no Google credentials" in err


def test_project_pull_gsc_reports_progress_day_by_day(tmp_path: Path, google: FakeGoogle) -> None:
    import socialseo

    google.rows_per_day = {DAYS[1]: day_rows(DAYS[1], 5)}
    seen: list[tuple[int, int]] = []
    with socialseo.open(tmp_path / "api.duckdb") as project:
        result = project.pull_gsc(
            "sc-domain:example.com", date.fromisoformat(DAYS[0]), date.fromisoformat(DAYS[2]),
            credentials=google.service_account_file(tmp_path), incremental=True,
            on_progress=lambda done, total: seen.append((done, total)),
        )
        assert (result.rows_loaded, result.rows_quarantined) == (5, 0)
        assert seen == [(1, 3), (2, 3), (3, 3)]
        again = project.pull_gsc("sc-domain:example.com", date.fromisoformat(DAYS[0]),
                                 date.fromisoformat(DAYS[2]), credentials=google.service_account_file(tmp_path))
        assert again.skipped  # the last three days asked again, the same rows: nothing changed
        assert project.sql("SELECT count(*) AS n FROM search_performance")["n"].tolist() == [5]


def test_search_appearance_is_pulled_on_its_own_by_day_into_its_table(
    tmp_path: Path, google: FakeGoogle, capsys: pytest.CaptureFixture[str]
) -> None:
    names = ["AMP_BLUE_LINK", "REVIEW_SNIPPET", "VIDEO", "FAQ_RICH_RESULT", "PRODUCT_SNIPPETS"]
    google.appearance_per_day = {DAYS[0]: appearance_rows(DAYS[0], names), DAYS[2]: appearance_rows(DAYS[2], names[:2])}
    google.first_incomplete = DAYS[2]
    code, out, err = pull(tmp_path, google, capsys, "--dimensions", "searchAppearance")
    assert code == 0, err
    assert "7 rows loaded, 0 quarantined of 7 read" in out and "search_appearance" in out
    # the day is asked for on its own, grouped by searchAppearance alone; 5 rows in pages of 4
    assert [(q["startDate"], q["startRow"]) for q in google.queries] == [
        (DAYS[0], 0), (DAYS[0], 4), (DAYS[1], 0), (DAYS[2], 0)]
    assert all(q["dimensions"] == ["searchAppearance"] for q in google.queries)
    stored = sql(tmp_path, "SELECT date::VARCHAR AS d, appearance, clicks, impressions, position, is_fresh "
                           "FROM search_appearance ORDER BY d, appearance", capsys)
    assert len(stored) == 7
    assert stored[0] == {"d": DAYS[0], "appearance": "AMP_BLUE_LINK", "clicks": 1, "impressions": 40,
                         "position": 3.25, "is_fresh": False}
    assert [r["is_fresh"] for r in stored if r["d"] == DAYS[2]] == [True, True]
    assert sql(tmp_path, "SELECT count(*) AS n FROM search_performance", capsys) == [{"n": 0}]

    google.queries.clear()
    google.appearance_per_day[DAYS[2]] = appearance_rows(DAYS[2], names[:3])
    google.first_incomplete = None
    code, out, err = pull(tmp_path, google, capsys, "--dimensions", "searchAppearance")
    assert code == 0, err
    assert sorted({q["startDate"] for q in google.queries}) == DAYS  # all three were the last days pulled
    stored = sql(tmp_path, "SELECT date::VARCHAR AS d, count(*) AS n, bool_or(is_fresh) AS fresh "
                           "FROM search_appearance GROUP BY d ORDER BY d", capsys)
    assert stored == [{"d": DAYS[0], "n": 5, "fresh": False}, {"d": DAYS[2], "n": 3, "fresh": False}]


@pytest.mark.parametrize("dims", ["searchAppearance,page", "date,query,searchAppearance", "device,searchappearance"])
def test_search_appearance_with_page_query_country_or_device_is_refused_in_one_line(
    tmp_path: Path, google: FakeGoogle, capsys: pytest.CaptureFixture[str], dims: str
) -> None:
    code, _out, err = pull(tmp_path, google, capsys, "--dimensions", dims)
    assert code == 2 and google.queries == []
    assert len(err.strip().splitlines()) == 1
    assert "does not group searchAppearance with" in err and "pull --dimensions searchAppearance on its own" in err
