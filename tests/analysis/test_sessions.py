"""Sessionization rules, checked on hand-made hits with the real DuckDB."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta

import pytest

from socialseo.analysis.sessions import rebuild_sessions
from socialseo.store.hits import insert_hits
from socialseo.store.warehouse import Warehouse

T0 = datetime(2026, 3, 1, 12, 0, 0)
VISITORS: dict[str, int] = {}
SEQ = itertools.count(1)


@pytest.fixture(autouse=True)
def _fresh_visitor_names() -> None:
    VISITORS.clear()


def add_hit(
    wh: Warehouse,
    visitor: str,
    seconds: float,
    page: str,
    *,
    channel: str = "internal",
    platform: str | None = None,
    evidence: str = "internal",
    referrer_host: str | None = "www.example.com",
    pageview: bool = True,
    bot: bool = False,
) -> None:
    insert_hits(wh.con, [{
        "import_id": 1, "seq": len(VISITORS) * 1000 + next(SEQ), "ts": T0 + timedelta(seconds=seconds),
        "visitor_id": VISITORS.setdefault(visitor, len(VISITORS) + 1), "method": "GET", "url": page, "page": page,
        "protocol": "HTTP/1.1", "status": 200, "bytes": 100, "referrer_host": referrer_host, "user_agent": "UA",
        "is_bot": bot, "is_pageview": pageview and not bot, "channel": channel, "platform": platform,
        "evidence": evidence,
    }])


def sessions(wh: Warehouse) -> list[tuple[object, ...]]:
    """The sessions, with visitors named as the test named them."""
    rebuild_sessions(wh.con)
    names = {number: name for name, number in VISITORS.items()}
    rows = wh.con.execute(
        "SELECT visitor_id, pageviews, landing_page, exit_page, channel, platform, is_bounce, duration_s "
        "FROM sessions ORDER BY visitor_id, start_ts"
    ).fetchall()
    return [(names[row[0]], *row[1:]) for row in rows]


def test_gap_of_just_under_30_minutes_keeps_the_session(warehouse: Warehouse) -> None:
    add_hit(warehouse, "v", 0, "/a", channel="social", platform="x", evidence="shortener", referrer_host="t.co")
    add_hit(warehouse, "v", 30 * 60 - 1, "/b")
    assert sessions(warehouse) == [("v", 2, "/a", "/b", "social", "x", False, 30 * 60 - 1)]


def test_gap_of_over_30_minutes_starts_a_new_session(warehouse: Warehouse) -> None:
    add_hit(warehouse, "v", 0, "/a", channel="direct", evidence="none", referrer_host=None)
    add_hit(warehouse, "v", 30 * 60 + 1, "/b")
    rows = sessions(warehouse)
    assert [(r[1], r[2], r[4], r[6]) for r in rows] == [(1, "/a", "direct", True), (1, "/b", "internal", True)]


def test_new_external_referrer_within_30_minutes_starts_a_new_session(warehouse: Warehouse) -> None:
    add_hit(warehouse, "v", 0, "/a", channel="organic_search", platform="google", evidence="referrer_host",
            referrer_host="www.google.com")
    add_hit(warehouse, "v", 60, "/b")
    add_hit(warehouse, "v", 120, "/c", channel="social", platform="facebook", evidence="referrer_host",
            referrer_host="l.facebook.com")
    rows = sessions(warehouse)
    assert [(r[1], r[4], r[5]) for r in rows] == [(2, "organic_search", "google"), (1, "social", "facebook")]


def test_same_external_source_again_within_30_minutes_continues_the_session(warehouse: Warehouse) -> None:
    for second in (0, 60):
        add_hit(warehouse, "v", second, "/a", channel="social", platform="x", evidence="shortener",
                referrer_host="t.co")
    assert [r[1] for r in sessions(warehouse)] == [2]


def test_direct_hit_inside_a_session_does_not_split_it(warehouse: Warehouse) -> None:
    add_hit(warehouse, "v", 0, "/a", channel="email", platform=None, evidence="utm", referrer_host=None)
    add_hit(warehouse, "v", 100, "/b", channel="direct", evidence="none", referrer_host=None)
    assert [(r[1], r[4]) for r in sessions(warehouse)] == [(2, "email")]


def test_assets_and_bots_neither_start_nor_extend_sessions(warehouse: Warehouse) -> None:
    add_hit(warehouse, "v", 0, "/a", channel="direct", evidence="none", referrer_host=None)
    add_hit(warehouse, "v", 10, "/style.css", pageview=False)
    add_hit(warehouse, "bot", 5, "/a", bot=True, channel="direct", evidence="none", referrer_host=None)
    rows = sessions(warehouse)
    assert rows == [("v", 1, "/a", "/a", "direct", None, True, 0.0)]


def test_visitors_are_sessionized_separately(warehouse: Warehouse) -> None:
    add_hit(warehouse, "v1", 0, "/a", channel="direct", evidence="none", referrer_host=None)
    add_hit(warehouse, "v2", 1, "/b", channel="direct", evidence="none", referrer_host=None)
    add_hit(warehouse, "v1", 2, "/c")
    assert [(r[0], r[1]) for r in sessions(warehouse)] == [("v1", 2), ("v2", 1)]


@pytest.mark.parametrize("n_pages", [1, 3, 8])
def test_bounce_duration_and_pages_follow_the_page_views(warehouse: Warehouse, n_pages: int) -> None:
    for i in range(n_pages):
        add_hit(warehouse, "v", i * 90, f"/p{i}", channel="social" if i == 0 else "internal",
                platform="reddit" if i == 0 else None, evidence="referrer_host" if i == 0 else "internal")
    (row,) = sessions(warehouse)
    assert row[1] == n_pages
    assert row[6] is (n_pages == 1)
    assert row[7] == (n_pages - 1) * 90
    assert row[3] == f"/p{n_pages - 1}"


def test_rebuilding_twice_gives_the_same_sessions(warehouse: Warehouse) -> None:
    add_hit(warehouse, "v", 0, "/a", channel="direct", evidence="none", referrer_host=None)
    add_hit(warehouse, "v", 4000, "/b", channel="direct", evidence="none", referrer_host=None)
    first = sessions(warehouse)
    assert sessions(warehouse) == first
    assert len(first) == 2
