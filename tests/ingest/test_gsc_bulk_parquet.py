"""``socialseo ingest gsc`` reads the bulk-export tables exported as Parquet exactly like their CSV."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest

from socialseo.cli import main

EXPORTS = Path(__file__).resolve().parents[1] / "data" / "exports"
COLUMNS = "date, page, query, country, device, clicks, impressions, position, is_anonymized, source"


def rows(db: Path, capsys: pytest.CaptureFixture[str]) -> list[dict[str, object]]:
    assert main(["sql", f"SELECT {COLUMNS} FROM search_performance ORDER BY ALL", "--db", str(db), "--json"]) == 0
    return list(json.loads(capsys.readouterr().out))


@pytest.mark.parametrize("table", ["gsc_bulk_url_impression.csv", "gsc_bulk_site_impression.csv"])
def test_bulk_export_parquet_reads_like_its_csv(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], table: str
) -> None:
    csv_path = EXPORTS / table
    parquet = tmp_path / table.replace(".csv", ".parquet")
    pq.write_table(pacsv.read_csv(csv_path), parquet)  # typed columns: DATE, INT64, DOUBLE, BOOL as BigQuery's
    assert main(["ingest", "gsc", str(csv_path), "--db", str(tmp_path / "csv.duckdb")]) == 0
    from_csv = capsys.readouterr().out
    assert main(["ingest", "gsc", str(parquet), "--db", str(tmp_path / "pq.duckdb")]) == 0
    from_parquet = capsys.readouterr().out
    assert "bulk_export" in from_parquet
    assert from_csv.split(":")[1].split(";")[0] == from_parquet.split(":")[1].split(";")[0]  # same counts
    expected = rows(tmp_path / "csv.duckdb", capsys)
    assert expected and rows(tmp_path / "pq.duckdb", capsys) == expected


def test_a_parquet_file_that_is_no_search_console_table_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import pyarrow as pa

    other = tmp_path / "other.parquet"
    pq.write_table(pa.table({"a": [1]}), other)
    assert main(["ingest", "gsc", str(other), "--db", str(tmp_path / "w.duckdb")]) == 2
    err = capsys.readouterr().err
    assert "not a Search Console performance export" in err and len(err.strip().splitlines()) == 1
