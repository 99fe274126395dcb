"""Search Console imports keep Search Console's meanings: weighted positions, page vs property, Pacific days."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.conftest import TEST_DATA

from socialseo.analysis.timeline import rebuild_page_daily
from socialseo.classify.urls import page_key
from socialseo.errors import FormatNotRecognisedError, InputFileError
from socialseo.ingest.search_console.importer import import_search_console
from socialseo.store.warehouse import Warehouse

EXPORTS = TEST_DATA / "exports"


def test_web_export_zip_dates_are_daily_property_rows_and_other_sheets_period_totals(warehouse: Warehouse) -> None:
    (result,) = import_search_console(warehouse, [EXPORTS / "gsc_web_export.zip"])
    daily = warehouse.sql("SELECT date, clicks, aggregation, dims, source FROM search_performance ORDER BY date")
    assert daily["clicks"].tolist() == [70, 65, 65]
    assert set(daily["aggregation"]) == {"property"} and set(daily["dims"]) == {"date"}
    totals = warehouse.sql("SELECT dimension, count(*) AS n FROM search_period_totals GROUP BY 1 ORDER BY 1")
    assert dict(zip(totals["dimension"], totals["n"], strict=True)) == {"country": 2, "device": 2, "page": 2,
                                                                         "query": 2}
    period = warehouse.sql("SELECT DISTINCT date_from, date_to FROM search_period_totals")
    assert period.iloc[0].astype(str).tolist() == ["2026-03-02", "2026-03-05"]
    reasons = warehouse.quarantine()["reason"].tolist()
    assert reasons == ["'abc' is not a number", "'-1': a count cannot be negative"]
    assert result.rows_quarantined == 2


def test_api_json_rows_with_their_request_are_page_level(warehouse: Warehouse) -> None:
    (result,) = import_search_console(warehouse, [EXPORTS / "gsc_api_rows.json"])
    assert (result.rows_loaded, result.rows_quarantined) == (3, 1)
    assert warehouse.quarantine()["reason"].tolist() == ["more clicks than impressions"]
    rows = warehouse.sql("SELECT DISTINCT aggregation, dims, source FROM search_performance")
    assert rows.iloc[0].tolist() == ["page", "date,page", "api"]


def test_api_keys_without_dimensions_ask_for_them(warehouse: Warehouse, tmp_path: Path) -> None:
    data = json.loads((EXPORTS / "gsc_api_rows.json").read_text())
    path = tmp_path / "rows.json"
    path.write_text(json.dumps({"rows": data["rows"]}))
    with pytest.raises(InputFileError, match="--dimensions"):
        import_search_console(warehouse, [path])
    (result,) = import_search_console(warehouse, [path], dimensions=["date", "page"])
    assert result.rows_loaded == 3


def test_bulk_export_positions_are_zero_based_sums(warehouse: Warehouse) -> None:
    import_search_console(warehouse, [EXPORTS / "gsc_bulk_url_impression.csv"])
    rows = warehouse.sql(
        "SELECT query IS NULL AS no_query, is_anonymized, impressions, position FROM search_performance "
        "ORDER BY impressions"
    )
    # sum_position 1200 over 300 impressions, zero-based: average position 1200/300 + 1 = 5
    assert rows.iloc[0].tolist() == [True, True, 300, 5.0]
    assert rows["position"].tolist() == [5.0, 8.0, 4.0]  # 300, 400, 500 impressions


def test_position_aggregates_are_impression_weighted(warehouse: Warehouse) -> None:
    import_search_console(warehouse, [EXPORTS / "gsc_bulk_url_impression.csv"])
    page = "https://www.example.com/blog/how-to-measure-utm-parameters"
    weighted = warehouse.sql(
        f"SELECT sum(position_sum) / sum(impressions) AS p, avg(position) AS mean FROM search_performance "
        f"WHERE page_url = '{page}'"
    ).iloc[0]
    assert weighted["p"] == pytest.approx((500 * 4.0 + 300 * 5.0) / 800)
    assert weighted["p"] != pytest.approx(weighted["mean"])
    rebuild_page_daily(warehouse.con)
    day = warehouse.sql("SELECT search_position, search_clicks FROM page_daily WHERE page = ?",
                        [page_key(page)]).iloc[0]  # page_daily keys pages by path
    assert day["search_position"] == pytest.approx(4.375)
    assert day["search_clicks"] == 40


def test_property_rows_never_enter_the_page_timeline(warehouse: Warehouse) -> None:
    import_search_console(warehouse, [EXPORTS / "gsc_bulk_site_impression.csv", EXPORTS / "gsc_web_export.zip"])
    assert rebuild_page_daily(warehouse.con) == 0


def test_overlapping_reimport_replaces_the_days_it_covers(warehouse: Warehouse, tmp_path: Path) -> None:
    import_search_console(warehouse, [EXPORTS / "gsc_api_rows.json"])
    data = json.loads((EXPORTS / "gsc_api_rows.json").read_text())
    data["rows"] = [dict(r, clicks=r["clicks"] + 1) for r in data["rows"][:3]]
    newer = tmp_path / "newer.json"
    newer.write_text(json.dumps(data))
    import_search_console(warehouse, [newer])
    total = warehouse.sql("SELECT count(*) AS n, sum(clicks) AS c FROM search_performance").iloc[0]
    assert (total["n"], total["c"]) == (3, 40 + 10 + 35 + 3)


def test_wrong_sheet_and_other_reports_are_refused_with_what_they_are(warehouse: Warehouse, tmp_path: Path) -> None:
    with pytest.raises(FormatNotRecognisedError, match="Filters sheet"):
        import_search_console(warehouse, [EXPORTS / "gsc_ui" / "Filters.csv"])
    coverage = tmp_path / "coverage.csv"
    coverage.write_text("Reason,Source,Validation,Pages\nNot found (404),Website,Not Started,12\n")
    with pytest.raises(FormatNotRecognisedError, match="page-indexing"):
        import_search_console(warehouse, [coverage])
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    with pytest.raises(InputFileError, match="empty"):
        import_search_console(warehouse, [empty])
    assert warehouse.count("imports") == 0


def test_reimporting_the_same_bytes_is_a_no_op(warehouse: Warehouse) -> None:
    import_search_console(warehouse, [EXPORTS / "gsc_bulk_url_impression.csv"])
    (again,) = import_search_console(warehouse, [EXPORTS / "gsc_bulk_url_impression.csv"])
    assert again.skipped
    assert warehouse.count("search_performance") == 3


def test_ui_sheet_alone_with_localised_numbers(warehouse: Warehouse, tmp_path: Path) -> None:
    pages = tmp_path / "Seiten.csv"
    pages.write_text("Häufigste Seiten;Klicks;Impressionen;CTR;Position\n"
                     "https://www.example.com/a/;1.234;45.678;2,7 %;7,5\n", encoding="utf-8")
    import_search_console(warehouse, [pages])
    row = warehouse.sql("SELECT dimension, page_url, clicks, impressions, position FROM search_period_totals")
    assert row.iloc[0].tolist() == ["page", "https://www.example.com/a", 1234, 45678, 7.5]


def test_bulk_export_as_json_lines_reads_like_its_csv(warehouse: Warehouse, tmp_path: Path) -> None:
    import csv
    import json

    rows = list(csv.DictReader((EXPORTS / "gsc_bulk_url_impression.csv").open(encoding="utf-8")))
    lines = tmp_path / "bulk.json"
    lines.write_text("".join(json.dumps({k: (v == "true" if k.startswith("is_") else v) for k, v in r.items()}) + "\n"
                             for r in rows), encoding="utf-8")
    [from_csv] = import_search_console(warehouse, [EXPORTS / "gsc_bulk_url_impression.csv"])
    columns = "date, page, query, country, device, clicks, impressions, position, is_anonymized"
    expected = warehouse.con.execute(f"SELECT {columns} FROM search_performance ORDER BY ALL").fetchall()
    quarantined_csv = warehouse.con.execute("SELECT line_no, reason FROM quarantine").fetchall()
    warehouse.con.execute("DELETE FROM search_performance")
    [from_json] = import_search_console(warehouse, [lines])
    assert "bulk_export" in from_json.message
    assert (from_json.rows_loaded, from_json.rows_quarantined) == (from_csv.rows_loaded, from_csv.rows_quarantined)
    assert warehouse.con.execute(f"SELECT {columns} FROM search_performance ORDER BY ALL").fetchall() == expected
    quarantined_json = warehouse.con.execute(
        "SELECT line_no, reason FROM quarantine WHERE import_id = ?", [from_json.import_id]).fetchall()
    # the same rows, one line earlier: JSON lines have no header
    assert quarantined_json == [(line - 1, reason) for line, reason in quarantined_csv]
    assert quarantined_csv  # the sample holds a bad row


# -- web-export period totals through the command line ------------------------------------------------------------


def _cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    from socialseo.cli import main

    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def _pages(db: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> list[dict[str, object]]:
    code, out, err = _cli(["pages", "--json", "--db", str(db), *extra], capsys)
    assert code == 0, err
    return list(json.loads(out))


def test_web_export_zip_period_totals_are_listed_by_pages_with_their_period(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "w.duckdb"
    code, out, _ = _cli(["ingest", "gsc", str(EXPORTS / "gsc_web_export.zip"), "--db", str(db)], capsys)
    assert code == 0 and "Pages.csv: 2 period totals by page" in out
    assert "period 2026-03-02 to 2026-03-05 (from the Filters sheet)" in out
    rows = _pages(db, capsys)
    assert [(r["page"], r["granularity"], r["period_start"], r["period_end"], r["search_clicks"]) for r in rows] == [
        ("/blog/how-to-measure-utm-parameters", "period", "2026-03-02", "2026-03-05", 140),
        ("/docs/api/webhooks", "period", "2026-03-02", "2026-03-05", 60),
    ]
    assert rows[0]["search_impressions"] == 3100 and rows[0]["search_position"] == pytest.approx(5.1)
    assert _pages(db, capsys, "--granularity", "day") == []  # no daily page rows in a web export


def test_written_out_days_in_the_filters_sheet_give_the_period(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "w.duckdb"
    code, _, _ = _cli(["ingest", "gsc", str(EXPORTS / "gsc_web_export_custom_dates.zip"), "--db", str(db)], capsys)
    assert code == 0
    [row] = _pages(db, capsys)
    assert (row["period_start"], row["period_end"], row["period_label"]) == (
        "2026-08-28", "2026-09-03", "Aug 28, 2026-Sep 3, 2026")


def test_relative_period_without_dates_sheet_is_stored_said_and_closed_by_period_options(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "w.duckdb"
    export = str(EXPORTS / "gsc_web_export_last_3_months.zip")
    code, out, _ = _cli(["ingest", "gsc", export, "--db", str(db)], capsys)
    assert code == 0
    assert "WITHOUT days" in out and "'Last 3 months'" in out and "--period-start" in out
    rows = _pages(db, capsys)
    assert {(r["period_start"], r["period_end"], r["period_label"]) for r in rows} == {(None, None, "Last 3 months")}
    # numbers as the interface writes them: "1,140", "31,000"
    assert rows[0]["search_clicks"] == 1140 and rows[0]["search_impressions"] == 31000
    code, out, _ = _cli(["sql", "SELECT clicks, impressions FROM search_period_totals WHERE dimension = 'query' "
                         "ORDER BY clicks DESC LIMIT 1", "--json", "--db", str(db)], capsys)
    assert json.loads(out) == [{"clicks": 1240, "impressions": 12400}]  # "1,240" and "12.4K"

    code, out, _ = _cli(["ingest", "gsc", export, "--period-start", "2026-06-01", "--period-end", "2026-08-31",
                         "--db", str(db)], capsys)
    assert code == 0 and "period of its 6 period totals set to 2026-06-01 to 2026-08-31" in out
    rows = _pages(db, capsys)
    assert {(r["period_start"], r["period_end"]) for r in rows} == {("2026-06-01", "2026-08-31")}


def test_period_options_are_checked(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    export = str(EXPORTS / "gsc_web_export_last_3_months.zip")
    code, _, err = _cli(["ingest", "gsc", export, "--period-start", "2026-13-01", "--db", str(tmp_path / "w")],
                        capsys)
    assert code == 2 and "expected a day as YYYY-MM-DD" in err
    code, _, err = _cli(["ingest", "gsc", export, "--period-start", "2026-09-01", "--period-end", "2026-06-01",
                         "--db", str(tmp_path / "w")], capsys)
    assert code == 2 and "is after --period-end" in err


def test_german_web_export_zip_imports_with_its_localised_names_and_numbers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "w.duckdb"
    code, out, _ = _cli(["ingest", "gsc", str(EXPORTS / "gsc_web_export_de.zip"), "--db", str(db)], capsys)
    assert code == 0 and "Seiten.csv: 2 period totals by page" in out and "0 quarantined" in out
    # "Letzte 3 Monate" is relative: the export's own daily sheet gives the days
    assert "period 2026-06-01 to 2026-08-30 (first and last day of the Dates sheet)" in out
    rows = _pages(db, capsys)
    assert [(r["page"], r["search_clicks"], r["search_impressions"], r["search_position"]) for r in rows] == [
        ("/de/utm-parameter", 1234, 45678, 7.5),
        ("/de/webhooks", 60, 2000, 8.25),
    ]
    assert {r["period_label"] for r in rows} == {"Letzte 3 Monate"}
    code, out, _ = _cli(["sql", "SELECT sum(clicks) AS c FROM search_performance", "--json", "--db", str(db)], capsys)
    assert json.loads(out) == [{"c": 1294}]  # the daily property rows of the Diagramm sheet


def test_a_zip_without_performance_sheets_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import zipfile

    path = tmp_path / "coverage.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("Table.csv", "Reason,Source,Validation,Pages\nNot found (404),Website,Not Started,12\n")
    code, _, err = _cli(["ingest", "gsc", str(path), "--db", str(tmp_path / "w.duckdb")], capsys)
    assert code == 2 and "no Performance sheet in it (sheets: Table.csv)" in err


def test_project_api_lists_period_totals_and_coverage(tmp_path: Path) -> None:
    import socialseo

    with socialseo.open(tmp_path / "w.duckdb") as project:
        project.ingest_gsc([EXPORTS / "gsc_api_rows.json", EXPORTS / "gsc_web_export_custom_dates.zip"])
        pages = project.pages()
        assert set(pages["granularity"]) == {"day", "period"}
        daily = project.pages(granularity="day")
        assert (daily["period_start"] == daily["period_end"]).all()
        totals = project.search_totals("https://WWW.example.com/guide/?utm_source=x")
        assert totals["search_clicks"].tolist() == [12]
        coverage = project.search_coverage().set_index("page")["search_data"].to_dict()
    assert coverage == {"/guide": "period totals only",
                        "/blog/how-to-measure-utm-parameters": "daily",
                        "/docs/api/webhooks": "daily"}
