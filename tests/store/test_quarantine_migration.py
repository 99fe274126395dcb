"""A warehouse made before quarantined lines were masked loses their full IPv4 addresses when next opened,
except those of imports run with --keep-ip."""

from __future__ import annotations

from pathlib import Path

import duckdb

from socialseo.store import migrations
from socialseo.store.warehouse import Warehouse

RAW = '203.0.113.10 - - [01/Mar/2026:10:04:00 +0000] "GET /x HTTP/1.1" 999 5 "http://192.0.2.44/" "curl" 198.51.100.7'


def _warehouse_before_masking(path: Path) -> None:
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, "
                "applied_at TIMESTAMP NOT NULL DEFAULT current_timestamp)")
    for migration in migrations.available_migrations():
        if migration.version < 10:
            con.execute(migration.sql)
            con.execute("INSERT INTO schema_migrations (version, name) VALUES (?, ?)",
                        [migration.version, migration.name])
    for import_id, options in ((1, '{"format": "combined", "keep_ip": false}'),
                               (2, '{"format": "combined", "keep_ip": true}')):
        con.execute("INSERT INTO imports (import_id, kind, path, sha256, size_bytes, started_at, options) "
                    "VALUES (?, 'logs', 'a.log', ?, 1, now(), ?)", [import_id, str(import_id), options])
        con.execute("INSERT INTO quarantine VALUES (?, 'a.log', 1, ?, 'status')", [import_id, RAW])
    con.close()


def test_old_quarantine_rows_are_masked_unless_kept_on_purpose(tmp_path: Path) -> None:
    path = tmp_path / "old.duckdb"
    _warehouse_before_masking(path)
    wh = Warehouse(path)
    rows = dict(wh.con.execute("SELECT import_id, raw FROM quarantine").fetchall())
    assert rows[1] == ('203.0.0.0 - - [01/Mar/2026:10:04:00 +0000] "GET /x HTTP/1.1" 999 5 "http://192.0.0.0/" '
                       '"curl" 198.51.0.0')
    assert rows[2] == RAW
    assert wh.count("log_lines") == 0 and wh.stale_tables() == []
