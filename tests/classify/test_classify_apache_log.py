"""A real Apache log (Elastic's example, semicomplete.com, May 2015): counts checked by hand and plain scans.

The log lives in ../shared beside the repository; without it these tests skip.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest

from socialseo.classify.attribution import attribute
from socialseo.classify.bulk import attribute_relation

LOG = Path(__file__).resolve().parents[2] / "../shared/data/elastic-apache-logs/apache_logs"
SITE = ["semicomplete.com"]
_COMBINED = re.compile(r'^\S+ \S+ \S+ \[[^\]]+\] "([^"]*)" \d+ \S+ "([^"]*)" "([^"]*)"$')


@pytest.fixture(scope="module")
def hits() -> list[tuple[str, str, str]]:
    """(referrer, user_agent, request target) of every complete line."""
    if not LOG.exists():
        pytest.skip(f"Elastic example Apache log not found at {LOG.resolve()} (it lives in ../shared)")
    rows = []
    for line in LOG.read_text(encoding="latin-1").splitlines():
        found = _COMBINED.match(line)
        if found:
            request = found[1].split(" ")
            rows.append((found[2], found[3], request[1] if len(request) > 1 else found[1]))
    return rows


@pytest.fixture(scope="module")
def attributed(hits: list[tuple[str, str, str]]) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    referrers, agents, urls = zip(*hits, strict=True)
    log = pa.table({"referrer": list(referrers), "user_agent": list(agents), "url": list(urls)})
    con.register("log_rows", log)
    con.execute("CREATE TABLE hits AS SELECT * FROM log_rows")
    attribute_relation(con, "hits", SITE)
    return con


def _host(referrer: str) -> str:
    return referrer.split("/")[2] if "://" in referrer else ""


def test_the_log_has_one_truncated_line_and_the_rest_parse(hits: list[tuple[str, str, str]]) -> None:
    assert len(hits) == 9999


def test_google_search_referrers_match_a_plain_scan_of_the_host(
    hits: list[tuple[str, str, str]], attributed: duckdb.DuckDBPyConnection
) -> None:
    scanned = sum(
        1 for ref, _, _ in hits if "google." in _host(ref) and "googleusercontent" not in _host(ref)
    )
    counted = attributed.execute(
        "SELECT count(*) FROM hits WHERE channel = 'organic_search' AND platform = 'google'"
    ).fetchone()
    assert counted == (scanned,)
    assert (
        scanned == 573
    )  # checked by hand: www.google.<country> 570, encrypted.google.com 2, images.google.com 1


def test_googlebot_hits_match_a_plain_scan_of_the_user_agent(
    hits: list[tuple[str, str, str]], attributed: duckdb.DuckDBPyConnection
) -> None:
    scanned = sum(1 for _, agent, _ in hits if "Googlebot" in agent and "Googlebot-Image" not in agent)
    counted = attributed.execute(
        "SELECT count(*) FROM hits WHERE is_bot AND bot_name = 'Googlebot'"
    ).fetchone()
    assert counted == (scanned,)
    assert scanned == 529


def test_self_referrals_from_both_site_hosts_are_internal(
    hits: list[tuple[str, str, str]], attributed: duckdb.DuckDBPyConnection
) -> None:
    scanned = sum(1 for ref, _, _ in hits if _host(ref) in {"semicomplete.com", "www.semicomplete.com"})
    counted = attributed.execute("SELECT count(*) FROM hits WHERE channel = 'internal'").fetchone()
    assert counted == (scanned,) == (5039,)


def test_tco_referrers_are_x_social_by_shortener(attributed: duckdb.DuckDBPyConnection) -> None:
    rows = attributed.execute(
        "SELECT channel, platform, evidence, count(*) FROM hits "
        "WHERE referrer LIKE 'http://t.co/%' GROUP BY ALL"
    ).fetchall()
    assert rows == [("social", "x", "shortener", 3)]


def test_social_link_preview_fetchers_are_bots_not_social_visits(
    attributed: duckdb.DuckDBPyConnection,
) -> None:
    rows = attributed.execute(
        "SELECT bot_name, count(*) FROM hits WHERE user_agent LIKE 'facebookexternalhit%' "
        "OR user_agent LIKE 'Twitterbot%' GROUP BY ALL ORDER BY 1"
    ).fetchall()
    assert rows == [("Twitterbot", 28), ("facebookexternalhit", 14)]


def test_the_instagram_app_hit_without_referrer_is_dark_social(attributed: duckdb.DuckDBPyConnection) -> None:
    rows = attributed.execute(
        "SELECT referrer, channel, platform, evidence FROM hits WHERE user_agent LIKE 'Instagram %'"
    ).fetchall()
    assert rows == [("-", "social", "instagram", "ua_inapp")]


def test_bulk_and_single_hit_attribution_agree_on_the_whole_log(
    hits: list[tuple[str, str, str]], attributed: duckdb.DuckDBPyConnection
) -> None:
    single = Counter(
        (a.channel, a.platform, a.evidence, a.is_bot, a.bot_name)
        for a in (attribute(ref, agent, url, SITE) for ref, agent, url in hits)
    )
    bulk = Counter(
        tuple(row)
        for row in attributed.execute(
            "SELECT channel, platform, evidence, is_bot, bot_name FROM hits"
        ).fetchall()
    )
    assert bulk == single
    assert None not in {key[0] for key in bulk}
