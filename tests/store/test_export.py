"""Exports: formula-safe CSV, Parquet and JSON that read back equal, clear errors, no half-written files."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from socialseo.cli import main
from socialseo.errors import QueryError, SocialSeoError
from socialseo.store.export import export
from socialseo.store.warehouse import Warehouse

EVIL = ["=HYPERLINK(\"http://evil\",\"x\")", "+1+1", "-2+3", "@SUM(A1)", "\t=1", "plain", "a=b"]


def _fill(wh: Warehouse) -> None:
    wh.con.execute(
        "INSERT INTO audit_findings (audit_id, rule_id, severity, url, message) SELECT 'a', 'r', 'error', ?, ?",
        [EVIL[0], "m"],
    )
    for i, text in enumerate(EVIL[1:]):
        wh.con.execute(
            "INSERT INTO audit_findings (audit_id, rule_id, severity, url, message) VALUES ('a', 'r', 'error', ?, ?)",
            [str(i), text],
        )


def test_csv_neutralises_formula_cells_and_keeps_numbers(warehouse: Warehouse, tmp_path: Path) -> None:
    result = export(warehouse.con, "SELECT * FROM (VALUES ('=1+1', -5), ('ok', 7)) t(text, n)", tmp_path / "q.csv")
    rows = list(csv.reader((tmp_path / "q.csv").open()))
    assert rows == [["text", "n"], ["'=1+1", "-5"], ["ok", "7"]]
    assert result.rows == 2 and result.neutralised_columns == ["text"]


def test_every_dangerous_first_character_is_neutralised(warehouse: Warehouse, tmp_path: Path) -> None:
    _fill(warehouse)
    export(warehouse.con, "SELECT message FROM audit_findings WHERE url <> ''", tmp_path / "a.csv", "csv")
    cells = [r[0] for r in csv.reader((tmp_path / "a.csv").open())][1:]
    dangerous = [c for c in cells if c[:1] in "=+-@\t"]
    assert dangerous == [] and "plain" in cells and "a=b" in cells
    assert "'+1+1" in cells and "'@SUM(A1)" in cells


def test_parquet_and_json_keep_values_unchanged(warehouse: Warehouse, tmp_path: Path) -> None:
    _fill(warehouse)
    export(warehouse.con, "audit_findings", tmp_path / "a.parquet")
    table = pq.read_table(tmp_path / "a.parquet")
    assert table.num_rows == len(EVIL) and EVIL[0] in table.column("url").to_pylist()
    export(warehouse.con, "SELECT message FROM audit_findings ORDER BY message", tmp_path / "a.json")
    assert sorted([*EVIL[1:], "m"]) == [r["message"] for r in json.loads((tmp_path / "a.json").read_text())]


def test_unknown_table_bad_query_and_unknown_format_are_clear_errors(warehouse: Warehouse, tmp_path: Path) -> None:
    with pytest.raises(QueryError, match="no table named 'nope'"):
        export(warehouse.con, "nope", tmp_path / "x.csv")
    with pytest.raises(QueryError):
        export(warehouse.con, "SELECT * FROM missing_table", tmp_path / "x.csv")
    with pytest.raises(SocialSeoError, match="unknown export format"):
        export(warehouse.con, "sessions", tmp_path / "x.xlsx")
    assert not list(tmp_path.glob("x.*"))  # nothing half-written is left behind


def test_csv_export_neutralises_enum_union_blob_struct_and_list_cells(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "w.duckdb"
    with Warehouse(db) as wh:
        wh.con.execute("CREATE TYPE mood AS ENUM ('=HYPERLINK(\"http://evil\")', 'calm')")
        wh.con.execute(
            "CREATE TABLE odd AS SELECT '=HYPERLINK(\"http://evil\")'::mood AS label, "
            "union_value(s := '+cmd|calc')::UNION(s VARCHAR, n INTEGER) AS member, '@SUM(A1)'::BLOB AS payload, "
            "{'a': 1} AS struct_cell, ['-2+3', 'fine'] AS tags, [['\t=1']] AS nested, [-5, 3] AS numbers, "
            "-7 AS n, 'calm'::mood AS quiet"
        )
    out = tmp_path / "odd.csv"
    assert main(["export", "odd", "--out", str(out), "--db", str(db)]) == 0
    assert "7 text column(s) formula-safe" in " ".join(capsys.readouterr().out.split())
    header, row = list(csv.reader(out.open()))
    cells = dict(zip(header, row, strict=True))
    assert cells["label"] == "'=HYPERLINK(\"http://evil\")"
    assert cells["member"] == "'+cmd|calc" and cells["payload"] == "'@SUM(A1)"
    assert cells["tags"].startswith("[") and "'-2+3" in cells["tags"] and "fine" in cells["tags"]
    assert "'\t=1" in cells["nested"] and cells["nested"].startswith("[[")
    assert cells["numbers"] == "[-5, 3]" and cells["n"] == "-7" and cells["quiet"] == "calm"


def test_csv_and_parquet_exports_of_sessions_join_on_session_id(tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    import duckdb
    from tests.ingest.test_access_logs import LINES, write_log

    db = tmp_path / "w.duckdb"
    assert main(["ingest", "logs", str(write_log(tmp_path, LINES)), "--site", "www.example.com", "--db", str(db)]) == 0
    with Warehouse(db) as wh:  # ids as the sessions rebuild writes them: a negative visitor hash, a session number
        wh.con.execute("UPDATE sessions SET session_id = '-9221' || (1000000000000000 + visitor_id % 1000) || '-1'")
    for name in ("s.csv", "s.parquet"):
        assert main(["export", "sessions", "--out", str(tmp_path / name), "--db", str(db)]) == 0
    capsys.readouterr()
    ids = [r["session_id"] for r in csv.DictReader((tmp_path / "s.csv").open())]
    assert ids and all(i.startswith("-9221") for i in ids)
    joined = duckdb.connect().execute(
        f"SELECT count(*) FROM read_csv('{tmp_path / 's.csv'}', all_varchar=true) c "
        f"JOIN read_parquet('{tmp_path / 's.parquet'}') p ON c.session_id = p.session_id").fetchone()
    assert joined == (len(ids),)


def test_csv_keeps_plain_numbers_in_text_and_neutralises_arithmetic(warehouse: Warehouse, tmp_path: Path) -> None:
    export(warehouse.con, "SELECT * FROM (VALUES ('-12.5'), ('+3e4'), ('-1-2'), ('-2+3'), ('-A1'), ('=1')) t(v)",
           tmp_path / "n.csv")
    cells = [r[0] for r in csv.reader((tmp_path / "n.csv").open())][1:]
    assert cells == ["-12.5", "+3e4", "-1-2", "'-2+3", "'-A1", "'=1"]
