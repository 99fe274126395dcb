from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from socialseo.errors import WarehouseError
from socialseo.store import migrations
from socialseo.store.warehouse import ImportContext, Warehouse


def test_new_warehouse_applies_every_shipped_migration(tmp_path: Path) -> None:
    wh = Warehouse(tmp_path / "w.duckdb")
    shipped = [m.version for m in migrations.available_migrations()]
    assert wh.schema_version() == max(shipped)
    applied = [r[0] for r in wh.con.execute("SELECT version FROM schema_migrations ORDER BY 1").fetchall()]
    assert applied == shipped
    for table in ("imports", "quarantine", "hits", "sessions", "social_posts", "search_performance",
                  "backlinks", "crawl_pages", "audit_findings", "sites"):
        assert table in wh.tables()


def test_reopening_does_not_reapply_migrations(tmp_path: Path) -> None:
    path = tmp_path / "w.duckdb"
    Warehouse(path).close()
    wh = Warehouse(path)
    assert migrations.apply_migrations(wh.con) == []
    count = wh.con.execute("SELECT count(*) FROM schema_migrations").fetchone()
    assert count is not None and count[0] == len(migrations.available_migrations())


def test_a_warehouse_from_a_newer_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "w.duckdb"
    with Warehouse(path) as wh:
        wh.con.execute("INSERT INTO schema_migrations (version, name) VALUES (9999, 'future')")
    with pytest.raises(WarehouseError, match="newer than this socialseo"):
        Warehouse(path)


def test_a_failing_migration_leaves_the_schema_unchanged(monkeypatch: pytest.MonkeyPatch) -> None:
    con = duckdb.connect()
    broken = [*migrations.available_migrations(),
              migrations.Migration(9000, "broken", "CREATE TABLE half_done (x INT); SELECT * FROM no_such_table;")]
    monkeypatch.setattr(migrations, "available_migrations", lambda: broken)
    with pytest.raises(WarehouseError, match="migration 9000"):
        migrations.apply_migrations(con)
    tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    assert "half_done" not in tables
    assert "hits" in tables  # the good migrations before it did apply


def test_importing_same_bytes_twice_is_a_noop(warehouse: Warehouse, tmp_path: Path) -> None:
    source = tmp_path / "a.txt"
    source.write_text("hello\n")
    loaded: list[Path] = []

    def load(ctx: ImportContext) -> None:
        loaded.append(ctx.path)
        ctx.quarantine_rows([(1, "hello", "test row")])

    [first] = warehouse.import_files("demo", [source], load)
    copy = tmp_path / "renamed.txt"
    copy.write_bytes(source.read_bytes())
    [second] = warehouse.import_files("demo", [copy], load)
    assert not first.skipped and first.rows_quarantined == 1
    assert second.skipped and second.import_id is None
    assert "already imported (same content)" in second.message
    assert loaded == [source]
    assert warehouse.count("imports") == 1
    assert warehouse.count("quarantine") == 1


def test_failure_inside_an_import_rolls_that_file_back_and_keeps_the_ones_before(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    good, bad = tmp_path / "good.txt", tmp_path / "bad.txt"
    good.write_text("good\n")
    bad.write_text("bad\n")

    class Boom(Exception):
        pass

    def load(ctx: ImportContext) -> None:
        ctx.quarantine_rows([(1, "x", "y")])
        ctx.con.execute("INSERT INTO sites (host) VALUES (?)", [ctx.path.stem + ".example"])
        if ctx.path == bad:
            raise Boom

    with pytest.raises(Boom):
        warehouse.import_files("demo", [good, bad], load)
    assert warehouse.count("imports") == 1
    assert warehouse.count("quarantine") == 1
    assert warehouse.site_hosts() == ["good.example"]
    # and the same file can be imported afterwards
    [again] = warehouse.import_files("demo", [bad], lambda ctx: None)
    assert again.import_id is not None and warehouse.count("imports") == 2


def test_import_files_reports_each_file_and_the_bytes_of_all(warehouse: Warehouse, tmp_path: Path) -> None:
    first, second = tmp_path / "one.txt", tmp_path / "two.txt"
    first.write_text("12345")
    second.write_text("1234567890")
    done: list[str] = []
    progress: list[tuple[int, int]] = []

    def load(ctx: ImportContext) -> None:
        ctx.progress(2)
        ctx.result.rows_loaded = ctx.path.stat().st_size
        ctx.options["seen"] = ctx.path.name

    results = warehouse.import_files(
        "demo", [first, second], load, options={"mode": "test"},
        on_file_done=lambda r: done.append(r.path), on_progress=lambda d, t: progress.append((d, t)),
    )
    assert done == [str(first), str(second)]
    assert [r.rows_loaded for r in results] == [5, 10]
    assert progress == [(2, 15), (5, 15), (7, 15), (15, 15)]
    ledger = warehouse.imports()
    assert list(ledger["rows_loaded"]) == [5, 10]
    assert '"seen": "two.txt"' in ledger["options"].iloc[1] and '"mode": "test"' in ledger["options"].iloc[1]


def test_an_import_marks_the_tables_it_feeds_stale(warehouse: Warehouse, tmp_path: Path) -> None:
    source = tmp_path / "posts.csv"
    source.write_text("x\n")
    warehouse.import_files("posts", [source], lambda ctx: None)
    assert warehouse.stale_tables() == ["page_daily"]


def test_ip_salt_is_made_once_and_kept(tmp_path: Path) -> None:
    path = tmp_path / "w.duckdb"
    with Warehouse(path) as wh:
        salt = wh.ip_salt()
    with Warehouse(path) as wh:
        assert wh.ip_salt() == salt
    assert len(salt) == 32


def test_read_only_open_of_a_missing_file_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(WarehouseError, match="import some data first"):
        Warehouse(tmp_path / "missing.duckdb", read_only=True)


def test_a_dataframe_can_be_registered_after_quarantining_and_every_warehouse_query(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    import pandas as pd

    path = tmp_path / "rows.txt"
    path.write_text("a\nb\n")
    added: list[int] = []

    def load(ctx: ImportContext) -> None:
        added.append(ctx.quarantine_from("SELECT 1 AS line_no, 'a' AS raw, 'bad' AS reason"))
        # the count after the insert must not leave a result open: registering a frame used to fail here
        ctx.con.register("_after", pd.DataFrame({"x": [1, 2]}))
        assert ctx.con.execute("SELECT sum(x) FROM _after").fetchall() == [(3,)]
        ctx.con.unregister("_after")

    [result] = warehouse.import_files("test", [path], load)
    assert added == [1] and result.rows_quarantined == 1
    warehouse.setting("missing")
    warehouse.schema_version()
    warehouse.count("imports")
    warehouse.already_imported("test", "0" * 64)
    warehouse.con.register("_later", pd.DataFrame({"x": [1]}))
    assert warehouse.con.execute("SELECT count(*) FROM _later").fetchall() == [(1,)]
