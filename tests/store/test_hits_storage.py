"""Hits stored narrow: a warehouse made before the change keeps every hit through the migration, and hand-made
hits written with insert_hits read back through the ``hits`` view as given."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from socialseo.analysis.sessions import rebuild_sessions
from socialseo.store import migrations
from socialseo.store.hits import insert_hits
from socialseo.store.warehouse import Warehouse

OLD_HITS = [
    # import_id, seq, ts, visitor_id, ip, method, url, page, protocol, status, bytes, referrer, referrer_host,
    # user_agent, is_bot, bot_name, is_pageview, channel, platform, evidence
    (1, 1, datetime(2026, 3, 1, 10), "aa11", "192.0.0.0", "GET", "/a?fbclid=1", "/a", "HTTP/1.1", 200, 10,
     "https://t.co/x", "t.co", "Mozilla/5.0", False, None, True, "social", "x", "shortener"),
    (1, 2, datetime(2026, 3, 1, 10, 5), "aa11", "192.0.0.0", "GET", "/b", "/b", "HTTP/1.1", 200, None,
     "https://www.example.com/a", "www.example.com", "Mozilla/5.0", False, None, True, "internal", None, "internal"),
    (1, 3, datetime(2026, 3, 1, 11), "bb22", None, "GET", "/robots.txt", "/robots.txt", None, 404, 0,
     None, None, None, True, "robots.txt fetcher", False, "direct", None, "none"),
    (2, 1, datetime(2026, 3, 2, 9), "aa11", "192.0.0.0", "HEAD", "/", "/", "HTTP/2", 301, 0,
     None, None, "Googlebot/2.1", True, "Googlebot", False, "direct", None, "none"),
]


def _warehouse_before_narrow_hits(path: Path) -> None:
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, "
                "applied_at TIMESTAMP NOT NULL DEFAULT current_timestamp)")
    for migration in migrations.available_migrations():
        if migration.version < 6:
            con.execute(migration.sql)
            con.execute("INSERT INTO schema_migrations (version, name) VALUES (?, ?)",
                        [migration.version, migration.name])
    con.executemany(f"INSERT INTO hits VALUES ({', '.join('?' * 20)})", OLD_HITS)
    con.execute("INSERT INTO sessions VALUES ('aa11-1', 'aa11', TIMESTAMP '2026-03-01 10:00:00', "
                "TIMESTAMP '2026-03-01 10:05:00', 300, 2, '/a', '/b', 'social', 'x', 'shortener', false)")
    con.close()


def test_hits_of_an_older_warehouse_survive_the_migration(tmp_path: Path) -> None:
    path = tmp_path / "old.duckdb"
    _warehouse_before_narrow_hits(path)
    wh = Warehouse(path)
    assert wh.schema_version() == max(m.version for m in migrations.available_migrations())
    rows = wh.con.execute("SELECT * FROM hits ORDER BY import_id, seq").fetchall()
    assert [r[:3] + r[4:20] for r in rows] == [h[:3] + h[4:] for h in OLD_HITS]
    # purpose and verification came later: hits stored before them have neither
    assert {r[20:] for r in rows} == {(None, None)}
    visitors = [r[3] for r in rows]
    assert visitors[0] == visitors[1] == visitors[3] != visitors[2]
    kept = wh.con.execute("SELECT session_id, visitor_id, pageviews FROM sessions").fetchall()
    assert kept == [("aa11-1", visitors[0], 2)]  # the same visitor id as its hits
    assert rebuild_sessions(wh.con) == 1  # only the first visitor's two page views make a session


def test_insert_hits_reads_back_through_the_view(warehouse: Warehouse) -> None:
    insert_hits(warehouse.con, [
        {"import_id": 7, "seq": 1, "ts": datetime(2026, 3, 1, 10), "visitor_id": 42, "url": "/a", "page": "/a",
         "method": "GET", "referrer_host": "t.co", "channel": "social", "platform": "x", "evidence": "shortener"},
        {"import_id": 7, "seq": 2, "ts": datetime(2026, 3, 1, 10, 1), "visitor_id": 42, "url": "/s.css",
         "page": "/s.css", "is_pageview": False, "is_bot": True, "bot_name": "curl"},
    ])
    rows = warehouse.con.execute(
        "SELECT seq, url, referrer, referrer_host, channel, platform, is_pageview, is_bot, bot_name, ip "
        "FROM hits ORDER BY seq"
    ).fetchall()
    assert rows == [
        (1, "/a", None, "t.co", "social", "x", True, False, None, None),
        (2, "/s.css", None, None, "direct", None, False, True, "curl", None),
    ]
    with pytest.raises(ValueError, match="not columns of hits: colour"):
        insert_hits(warehouse.con, [{"ts": datetime(2026, 3, 1), "colour": "red"}])
