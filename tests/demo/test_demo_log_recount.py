"""An independent recount of the generated access log with nothing but ``re``, compared with ``truth.json``.

The parser, bot filter, sessionizer and channel rules below are written from the definitions in the truth, not
from the generator's code: if the generator's bookkeeping and its log ever disagree, these tests say so.
"""

from __future__ import annotations

import gzip
import re
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from socialseo.demo import GeneratedFiles

LINE = re.compile(
    r'^(?P<ip>\S+) \S+ \S+ \[(?P<ts>[^\]]+)\] "(?P<method>[A-Z]+) (?P<target>\S+) (?P<proto>HTTP/[\d.]+)" '
    r'(?P<status>\d{3}) (?P<size>\d+|-) "(?P<ref>[^"]*)" "(?P<ua>[^"]*)"$'
)
BOT = re.compile(r"bot|crawler|spider|facebookexternalhit|python-requests|curl/|HeadlessChrome", re.I)
NOT_A_PAGE = re.compile(r"(\.(css|js|png|jpe?g|gif|svg|webp|ico|woff2?)|^/robots\.txt|^/sitemap\.xml)$")

SEARCH_HOSTS = {
    "www.google.com",
    "www.bing.com",
    "duckduckgo.com",
    "yandex.ru",
    "com.google.android.googlequicksearchbox",
}
SOCIAL_HOSTS = {
    "l.facebook.com": "facebook",
    "lm.facebook.com": "facebook",
    "m.facebook.com": "facebook",
    "www.facebook.com": "facebook",
    "t.co": "x",
    "x.com": "x",
    "com.twitter.android": "x",
    "www.instagram.com": "instagram",
    "l.instagram.com": "instagram",
    "com.linkedin.android": "linkedin",
    "www.linkedin.com": "linkedin",
    "lnkd.in": "linkedin",
    "www.pinterest.com": "pinterest",
    "pin.it": "pinterest",
    "www.reddit.com": "reddit",
    "out.reddit.com": "reddit",
    "www.youtube.com": "youtube",
    "m.youtube.com": "youtube",
    "com.google.android.youtube": "youtube",
    "www.tiktok.com": "tiktok",
    "bsky.app": "bluesky",
    "go.bsky.app": "bluesky",
    "xyz.blueskyweb.app": "bluesky",
    "www.threads.com": "threads",
    "l.threads.com": "threads",
    "mastodon.social": "mastodon",
    "hachyderm.io": "mastodon",
    "infosec.exchange": "mastodon",
}
AI_HOSTS = {
    "chatgpt.com": "chatgpt",
    "com.openai.chatgpt": "chatgpt",
    "www.perplexity.ai": "perplexity",
    "gemini.google.com": "gemini",
    "copilot.microsoft.com": "copilot",
    "claude.ai": "claude",
    "chat.deepseek.com": "deepseek",
}
EMAIL_HOSTS = {"com.google.android.gm", "mail.google.com", "outlook.live.com"}
CLICK_IDS = {"fbclid": "facebook", "twclid": "x", "ttclid": "tiktok", "li_fat_id": "linkedin"}
UTM_SOURCES = {
    "facebook": "facebook",
    "twitter": "x",
    "instagram": "instagram",
    "linkedin": "linkedin",
    "pinterest": "pinterest",
    "reddit": "reddit",
    "youtube": "youtube",
    "tiktok": "tiktok",
}
IN_APP = (
    ("FBAN", "facebook"),
    ("FB_IAB", "facebook"),
    ("Instagram", "instagram"),
    ("LinkedInApp", "linkedin"),
    ("Pinterest", "pinterest"),
    ("musical_ly", "tiktok"),
    ("BytedanceWebview", "tiktok"),
    ("Twitter for iPhone", "x"),
)


@dataclass
class Recount:
    lines: int
    malformed: int
    bots: int
    page_views: int
    sessions: Counter[tuple[str, str]]
    pages_by_platform: Counter[str]
    bounces_by_platform: Counter[str]
    timestamps_sorted: bool
    offsets: set[str]
    addresses_per_agent_pair: bool
    referrers: list[str]
    agents_without_referrer: list[str]
    targets: list[str]


def _channel(ref: str, target: str, ua: str, site: str) -> tuple[str, str]:
    if ref != "-":
        parts = urlsplit(ref)
        host = parts.hostname or ""
        if host == site:
            return "internal", ""
        if host == "x.com" and parts.path == "/i/grok":
            return "ai_assistant", "grok"
        if host in AI_HOSTS:
            return "ai_assistant", AI_HOSTS[host]
        if host in SEARCH_HOSTS:
            return "organic_search", ""
        if host in SOCIAL_HOSTS:
            return "social", SOCIAL_HOSTS[host]
        if host in EMAIL_HOSTS:
            return "email", ""
        return "referral", ""
    query = parse_qs(urlsplit(target).query)
    if query.get("utm_source") == ["chatgpt.com"]:
        return "ai_assistant", "chatgpt"
    for param, platform in CLICK_IDS.items():
        if param in query:
            return "social", platform
    medium = query.get("utm_medium", [""])[0]
    if medium == "social":
        return "social", UTM_SOURCES[query["utm_source"][0]]
    if medium == "email":
        return "email", ""
    for marker, platform in IN_APP:
        if marker in ua:
            return "social", platform
    return "direct", ""


def recount(path: Any, site: str) -> Recount:
    with gzip.open(path, "rb") as handle:
        raw = handle.read().split(b"\n")
    assert raw[-1] == b""
    raw = raw[:-1]
    malformed = bots = 0
    last_time: datetime | None = None
    in_order = True
    offsets: set[str] = set()
    visits: dict[tuple[str, str], list[tuple[datetime, str, str]]] = {}
    agent_of_address: dict[str, set[str]] = {}
    referrers: list[str] = []
    bare_agents: list[str] = []
    targets: list[str] = []
    for line in raw:
        match = LINE.match(line.decode("utf-8", errors="replace"))
        if match is None:
            malformed += 1
            continue
        when = datetime.strptime(match["ts"], "%d/%b/%Y:%H:%M:%S %z")
        offsets.add(match["ts"][-5:])
        if last_time is not None and when < last_time:
            in_order = False
        last_time = when
        if BOT.search(match["ua"]):
            bots += 1
            continue
        agent_of_address.setdefault(match["ip"], set()).add(match["ua"])
        if match["method"] != "GET" or match["status"] != "200":
            continue
        if NOT_A_PAGE.search(urlsplit(match["target"]).path):
            continue
        visits.setdefault((match["ip"], match["ua"]), []).append((when, match["ref"], match["target"]))
        referrers.append(match["ref"])
        targets.append(match["target"])
        if match["ref"] == "-":
            bare_agents.append(match["ua"])

    sessions: Counter[tuple[str, str]] = Counter()
    pages: Counter[str] = Counter()
    bounces: Counter[str] = Counter()
    page_views = 0
    for (_, ua), hits in visits.items():
        page_views += len(hits)
        current: tuple[str, str] | None = None
        count = 0
        previous: datetime | None = None
        for when, ref, target in hits:
            external = ref != "-" and urlsplit(ref).hostname != site
            if previous is None or (when - previous).total_seconds() > 1800 or external:
                if current is not None:
                    pages[current[1] or current[0]] += count
                    bounces[current[1] or current[0]] += count == 1
                current = _channel(ref, target, ua, site)
                sessions[current] += 1
                count = 0
            count += 1
            previous = when
        assert current is not None
        pages[current[1] or current[0]] += count
        bounces[current[1] or current[0]] += count == 1
    return Recount(
        lines=len(raw),
        malformed=malformed,
        bots=bots,
        page_views=page_views,
        sessions=sessions,
        pages_by_platform=pages,
        bounces_by_platform=bounces,
        timestamps_sorted=in_order,
        offsets=offsets,
        addresses_per_agent_pair=all(len(uas) == 1 for uas in agent_of_address.values()),
        referrers=referrers,
        agents_without_referrer=bare_agents,
        targets=targets,
    )


@pytest.fixture(scope="module")
def counted(small_site: GeneratedFiles, small_truth: dict[str, Any]) -> Recount:
    return recount(small_site.access_log, small_truth["site_host"])


def test_line_counts_match_the_truth(counted: Recount, small_truth: dict[str, Any]) -> None:
    log = small_truth["access_log"]
    assert counted.lines == log["total_lines"]
    assert counted.malformed == log["malformed_lines"] >= 3
    assert counted.bots == log["bot_hits"] > 0
    assert counted.page_views == log["human_page_views"]


def test_sessions_per_channel_match_the_truth(counted: Recount, small_truth: dict[str, Any]) -> None:
    by_channel: Counter[str] = Counter()
    for (channel, _), n in counted.sessions.items():
        by_channel[channel] += n
    expected = {c: n for c, n in small_truth["access_log"]["sessions_by_channel"].items() if n}
    assert dict(by_channel) == expected
    assert set(expected) == {"social", "organic_search", "email", "referral", "direct", "internal", "ai_assistant"}


def test_ai_assistant_sessions_per_assistant_match_the_truth(counted: Recount, small_truth: dict[str, Any]) -> None:
    assistants = {platform: n for (channel, platform), n in counted.sessions.items() if channel == "ai_assistant"}
    assert assistants == small_truth["access_log"]["ai_assistant_sessions_by_platform"]
    assert {"chatgpt", "perplexity", "grok"} <= set(assistants)


def test_social_sessions_per_platform_match_the_truth(counted: Recount, small_truth: dict[str, Any]) -> None:
    social = {platform: n for (channel, platform), n in counted.sessions.items() if channel == "social"}
    assert social == small_truth["access_log"]["social_sessions_by_platform"]


def test_engagement_per_platform_matches_the_truth(counted: Recount, small_truth: dict[str, Any]) -> None:
    for platform, row in small_truth["access_log"]["engagement_by_platform"].items():
        sessions = counted.sessions[("social", platform)]
        assert row["sessions"] == sessions
        assert row["page_views"] == counted.pages_by_platform[platform]
        assert row["bounce_rate"] == pytest.approx(counted.bounces_by_platform[platform] / sessions, abs=1e-6)


def test_the_log_exercises_both_ways_a_session_starts_without_a_long_gap(small_truth: dict[str, Any]) -> None:
    log = small_truth["access_log"]
    assert log["quick_reentries"] > 0
    assert log["internal_continuations"] > 0
    assert log["returning_sessions"] > 0


def test_lines_are_in_time_order_with_one_consistent_offset(counted: Recount) -> None:
    assert counted.timestamps_sorted
    assert counted.offsets == {"-0500"}


def test_every_human_address_has_exactly_one_user_agent(counted: Recount) -> None:
    assert counted.addresses_per_agent_pair


@pytest.mark.parametrize(
    "form",
    [
        "https://t.co/",
        "https://l.facebook.com/l.php?u=",
        "https://lm.facebook.com/",
        "https://m.facebook.com/",
        "https://www.facebook.com/",
        "android-app://com.linkedin.android/",
        "https://www.linkedin.com/",
        "https://lnkd.in/",
        "https://www.instagram.com/",
        "https://l.instagram.com/",
        "https://www.pinterest.com/",
        "https://pin.it/",
        "https://www.reddit.com/r/",
        "https://out.reddit.com/",
        "https://www.youtube.com/",
        "https://www.tiktok.com/",
        "android-app://com.twitter.android/",
        "android-app://com.google.android.googlequicksearchbox/",
        "android-app://com.google.android.gm/",
        "https://mail.google.com/",
        "https://outlook.live.com/",
        "https://duckduckgo.com/",
        "https://yandex.ru/",
    ],
)
def test_every_referrer_form_appears(counted: Recount, form: str) -> None:
    assert any(ref.startswith(form) for ref in counted.referrers)


@pytest.mark.parametrize(
    "marker",
    ["FBAN/", "FBAV/", "Instagram 3", "LinkedInApp", "Pinterest for iOS", "musical_ly", "Twitter for iPhone"],
)
def test_in_app_browsers_arrive_without_a_referrer(counted: Recount, marker: str) -> None:
    assert any(marker in ua for ua in counted.agents_without_referrer)


@pytest.mark.parametrize(
    "param",
    [
        "fbclid=",
        "ttclid=",
        "twclid=",
        "li_fat_id=",
        "utm_source=facebook&utm_medium=social",
        "utm_medium=email",
    ],
)
def test_campaign_and_click_id_landings_appear(counted: Recount, param: str) -> None:
    assert any(param in target for target in counted.targets)


def test_bots_include_crawlers_previews_scanners_and_robots_fetches(small_site: GeneratedFiles) -> None:
    with gzip.open(small_site.access_log, "rt", encoding="utf-8", errors="replace") as handle:
        text = handle.read()
    for agent in (
        "Googlebot",
        "bingbot",
        "AhrefsBot",
        "SemrushBot",
        "facebookexternalhit",
        "Twitterbot",
        "python-requests",
        "curl/",
        "HeadlessChrome",
    ):
        assert agent in text
    assert '"GET /robots.txt HTTP/1.1" 200' in text
    assert re.search(r'" 404 \d+ ', text) and re.search(r'" 503 \d+ ', text)
