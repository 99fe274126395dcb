"""Rank-tracker exports: positions by day and keyword; falling out of the results is kept, not dropped."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.conftest import TEST_DATA

from socialseo.errors import FormatNotRecognisedError
from socialseo.ingest.search_console.ranks import import_ranks
from socialseo.store.warehouse import Warehouse

RANKS = TEST_DATA / "exports" / "ranks.csv"


def test_positions_load_and_not_ranking_is_null(warehouse: Warehouse) -> None:
    (result,) = import_ranks(warehouse, [RANKS])
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (5, 3, 2)
    rows = warehouse.sql("SELECT CAST(date AS VARCHAR) AS d, position, page_url FROM rank_positions ORDER BY date")
    assert rows["d"].tolist() == ["2026-03-02", "2026-03-03", "2026-03-04"]  # 03/04/2026 read month-first
    assert rows["position"].isna().tolist() == [False, False, True]  # ">100"
    assert set(rows["page_url"]) == {"https://www.example.com/blog/how-to-measure-utm-parameters"}
    assert sorted(warehouse.quarantine()["reason"]) == ["'0': a position starts at 1", "keyword: missing"]


def test_a_newer_export_replaces_a_keywords_day(warehouse: Warehouse, tmp_path: Path) -> None:
    import_ranks(warehouse, [RANKS])
    newer = tmp_path / "newer.csv"
    newer.write_text("date,keyword,url,rank\n2026-03-03,utm parameters,https://www.example.com/x,2\n")
    import_ranks(warehouse, [newer])
    positions = warehouse.sql("SELECT position FROM rank_positions WHERE date = '2026-03-03'")["position"]
    assert positions.tolist() == [2.0]
    assert warehouse.count("rank_positions") == 3


def test_missing_columns_are_named(warehouse: Warehouse, tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text("day,url,rank\n2026-03-03,https://www.example.com/x,2\n")
    with pytest.raises(FormatNotRecognisedError, match="keyword"):
        import_ranks(warehouse, [path])


def test_a_row_without_a_date_is_quarantined_through_the_command(tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    from socialseo.cli import main

    path = tmp_path / "ranks.csv"
    path.write_text("Date,Keyword,URL,Position\n2026-03-02,utm parameters,https://www.example.com/a,4\n"
                    ",utm parameters,https://www.example.com/a,3\n")
    db = tmp_path / "w.duckdb"
    assert main(["ingest", "ranks", str(path), "--db", str(db)]) == 0
    assert "1 rows loaded, 1 quarantined of 2 read" in capsys.readouterr().out
    assert main(["sql", "SELECT line_no, reason FROM quarantine", "--db", str(db), "--json"]) == 0
    assert '"line_no": 3' in capsys.readouterr().out


def test_an_export_whose_every_row_is_quarantined_by_the_reader_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from socialseo.cli import main

    monkeypatch.setenv("SOCIALSEO_MAX_FIELD_BYTES", "8192")
    export = tmp_path / "ranks.csv"
    export.write_text("Date,Keyword,Search Engine,Location,Device,URL,Position\n"
                      f"2026-03-02,utm parameters,Google,United States,desktop,https://{'x' * 10_000},3\n")
    code = main(["ingest", "ranks", str(export), "--db", str(tmp_path / "w.duckdb")])
    out, err = capsys.readouterr()
    assert code == 0 and "Traceback" not in err
    assert f"{export}: 0 rows loaded, 1 quarantined of 1 read" in out
