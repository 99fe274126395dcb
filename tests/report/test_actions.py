"""The action list: each rule finds exactly the planted case, carries its numbers, and skips without its data."""

from __future__ import annotations

import json
from datetime import date, timedelta

from socialseo.analysis.actions import RULES, run_rules
from socialseo.analysis.actions.rules import MIN_PLATFORM_SESSIONS
from socialseo.analysis.filters import Filters
from socialseo.store.warehouse import Warehouse

LAST = date(2026, 6, 30)


def _sessions(wh: Warehouse, platform: str, n: int, bounces: int, landing: str = "/a", channel: str = "social") -> None:
    wh.con.execute(
        """INSERT INTO sessions SELECT ? || i, i, TIMESTAMP '2026-06-01 10:00:00', TIMESTAMP '2026-06-01 10:00:00',
           0, CASE WHEN i < ? THEN 1 ELSE 3 END, ?, ?, ?, ?, 'referrer', i < ? FROM range(?) t(i)""",
        [f"{platform}{landing}", bounces, landing, landing, channel, platform, bounces, n],
    )


def _post(wh: Warehouse, platform: str, post_id: str, page: str | None, published: date, text: str = "",
          shares: int = 0) -> None:
    wh.con.execute(
        "INSERT INTO social_posts (platform, account, post_id, post_url, published_at, text, linked_url, linked_page, "
        "import_id) VALUES (?, 'acct', ?, ?, ?, ?, ?, ?, 1)",
        [platform, post_id, f"https://{platform}.com/p/{post_id}", published, text,
         f"https://www.example.com{page}" if page else None, page],
    )
    wh.con.execute("INSERT INTO social_post_metrics (platform, post_id, shares, import_id) VALUES (?, ?, ?, 1)",
                   [platform, post_id, shares])


def _search(wh: Warehouse, page: str, before: int, recent: int) -> None:
    # 56 days: the first 28 with `before` impressions in total, the last 28 with `recent`
    for offset in range(56):
        day = LAST - timedelta(days=offset)
        total = recent if offset < 28 else before
        wh.con.execute("INSERT INTO search_performance (date, page, query, country, device, clicks, impressions, "
                       "position, import_id) VALUES (?, ?, 'q', 'usa', 'MOBILE', 0, ?, 3.0, 1)",
                       [day, f"https://www.example.com{page}", total // 28])


def test_every_rule_skips_with_a_note_on_an_empty_warehouse(warehouse: Warehouse) -> None:
    result = run_rules(warehouse.con)
    assert result.actions == []
    assert len(result.skipped) == len(RULES)
    assert any("search_performance" in why for _, why in result.skipped)


def test_rising_search_page_without_posts_is_flagged_and_promoted_page_is_not(warehouse: Warehouse) -> None:
    _search(warehouse, "/rising", before=280, recent=560)
    _search(warehouse, "/rising-but-shared", before=280, recent=560)
    _search(warehouse, "/flat", before=560, recent=560)
    _post(warehouse, "x", "1", "/rising-but-shared", LAST - timedelta(days=10))
    [action] = [a for a in run_rules(warehouse.con).actions if a.rule_id == "rising-search-unpromoted"]
    assert [row[0] for row in action.rows] == ["/rising"]
    assert "+100%" in action.why and "280 → 560" in action.why


def test_shared_page_without_og_image_is_flagged(warehouse: Warehouse) -> None:
    _post(warehouse, "facebook", "1", "/no-image", LAST, shares=40)
    _post(warehouse, "facebook", "2", "/has-image", LAST, shares=90)
    _post(warehouse, "facebook", "3", "/rarely-shared", LAST, shares=1)
    for page, og in [("/no-image", {}), ("/has-image", {"og:image": "https://www.example.com/i.png"}),
                     ("/rarely-shared", {})]:
        warehouse.con.execute(
            "INSERT INTO crawl_pages (crawl_id, url, status, fetched_at, opengraph) VALUES ('c', ?, 200, now(), ?)",
            [f"https://www.example.com{page}", json.dumps(og)],
        )
    [action] = [a for a in run_rules(warehouse.con).actions if a.rule_id == "shared-without-og-image"]
    assert action.rows == [["/no-image", "40", "1"]]


def test_engaged_platform_with_few_posts_is_named_with_its_numbers(warehouse: Warehouse) -> None:
    _sessions(warehouse, "linkedin", MIN_PLATFORM_SESSIONS, bounces=6)  # 20% bounce
    _sessions(warehouse, "facebook", 100, bounces=60)  # 60% bounce
    _post(warehouse, "linkedin", "1", "/a", LAST)
    for i in range(19):
        _post(warehouse, "facebook", f"f{i}", "/a", LAST)
    [action] = [a for a in run_rules(warehouse.con).actions if a.rule_id == "engaged-platform-underposted"]
    assert action.title == "Post more on linkedin"
    assert "bounce rate 20%" in action.why and "5% of your posts" in action.why
    # narrowing to one platform leaves nothing to compare: the rule stays silent
    narrowed = run_rules(warehouse.con, Filters(platforms=("linkedin",))).actions
    assert not [a for a in narrowed if a.rule_id == "engaged-platform-underposted"]


def test_post_naming_the_site_without_a_link_is_an_unlinked_mention(warehouse: Warehouse) -> None:
    warehouse.add_site("www.example.com")
    _post(warehouse, "x", "1", None, LAST, text="Loved the guide on Example.com today")
    _post(warehouse, "x", "2", "/a", LAST, text="example.com/a has it")
    _post(warehouse, "x", "3", None, LAST, text="nothing about us")
    [action] = [a for a in run_rules(warehouse.con).actions if a.rule_id == "unlinked-mentions"]
    assert [row[1] for row in action.rows] == ["https://x.com/p/1"]


def test_landing_page_bouncing_far_above_social_average_is_flagged(warehouse: Warehouse) -> None:
    _sessions(warehouse, "x", 100, bounces=30, landing="/good")
    _sessions(warehouse, "x", 40, bounces=36, landing="/bad")  # 90% against ~47% overall
    [action] = [a for a in run_rules(warehouse.con).actions if a.rule_id == "bouncy-social-landing-pages"]
    assert [row[0] for row in action.rows] == ["/bad"]
    assert "90%" in action.why
    later = run_rules(warehouse.con, Filters(start=date(2026, 7, 1))).actions
    assert not [a for a in later if a.rule_id == "bouncy-social-landing-pages"]


def test_audit_errors_and_lost_social_links_become_actions(warehouse: Warehouse) -> None:
    warehouse.con.execute(
        """INSERT INTO audit_findings (audit_id, rule_id, severity, url, message, fix) VALUES
           ('a', 'og-missing', 'error', '/1', 'no og:title', 'add og:title'),
           ('a', 'og-missing', 'error', '/2', 'no og:title', 'add og:title'),
           ('a', 'slow', 'info', '/3', 'slow', 'cache')"""
    )
    warehouse.con.execute(
        """INSERT INTO backlinks (source_url, source_platform, target_url, is_followed, found_by, last_seen, lost)
           VALUES ('https://x.com/a', 'x', 'https://www.example.com/', false, 'crawl', '2026-05-01', true),
                  ('https://x.com/b', 'x', 'https://www.example.com/', false, 'crawl', '2026-05-01', false)"""
    )
    actions = {a.rule_id: a for a in run_rules(warehouse.con).actions}
    assert actions["audit-errors"].rows[0][:2] == ["og-missing", 2]
    assert len(actions["audit-errors"].rows) == 1  # the info finding is not an error
    assert [r[1] for r in actions["lost-social-links"].rows] == ["https://x.com/a"]
    assert next(iter(actions)) == "audit-errors"  # high priority comes first
