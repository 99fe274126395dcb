"""Bots found by behaviour: robots.txt fetchers and page-view rates no reader reaches, with the real DuckDB."""

from __future__ import annotations

from pathlib import Path

from tests.ingest.test_access_logs import UA, write_log

from socialseo.classify._data import load
from socialseo.ingest.logs.importer import import_access_log
from socialseo.store.warehouse import Warehouse


def hit(ip: str, second: int, target: str, agent: str = UA) -> str:
    return f'{ip} - - [01/Mar/2026:10:{second // 60:02d}:{second % 60:02d} +0000] "GET {target} HTTP/1.1" 200 5 "-" "{agent}"'


def test_a_browser_user_agent_that_reads_robots_txt_is_a_bot(warehouse: Warehouse, tmp_path: Path) -> None:
    lines = [hit("192.0.2.1", 0, "/robots.txt"), hit("192.0.2.1", 1, "/a"), hit("192.0.2.2", 2, "/a")]
    result = import_access_log(warehouse, write_log(tmp_path, lines), site_hosts=["www.example.com"])
    rows = warehouse.con.execute("SELECT ip, is_bot, bot_name, is_pageview FROM hits ORDER BY seq").fetchall()
    assert rows[1] == ("192.0.0.0", True, "robots.txt fetcher", False)
    assert rows[2][1:] == (False, None, True)
    assert any("behaviour" in note for note in result.notes)


def test_more_page_views_in_a_minute_than_the_limit_is_a_bot(warehouse: Warehouse, tmp_path: Path) -> None:
    limit = int(load("bots")["behaviour"]["max_pages_per_minute"])
    fast = [hit("192.0.2.9", i % 60, f"/p{i}") for i in range(limit + 1)]
    steady = [hit("192.0.2.8", i * 30, f"/q{i}") for i in range(limit + 1)]  # as many, over a quarter hour
    assets = [hit("192.0.2.7", 1, f"/img/{i}.png") for i in range(limit * 2)] + [hit("192.0.2.7", 2, "/r")]
    import_access_log(warehouse, write_log(tmp_path, fast + steady + assets), site_hosts=["www.example.com"])
    names = dict(warehouse.con.execute(
        "SELECT split_part(url, '/', 2), any_value(bot_name) FROM hits GROUP BY 1"
    ).fetchall())
    assert names["p0"] == "high request rate"
    assert names["q0"] is None and names["r"] is None
    bots = warehouse.con.execute("SELECT count(*) FROM hits WHERE is_bot").fetchone()
    assert bots == (limit + 1,)
