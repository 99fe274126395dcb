"""Bot traffic: search-engine and SEO crawlers, link-preview fetchers, scanners, monitors and scrapers.

Bots make up a fifth or more of a real log and must not count as visits. Link-preview bots
(facebookexternalhit, Twitterbot, LinkedInBot) fetch a page seconds after it is posted, which looks like a
social visit to a naive counter; vulnerability scanners ask for ``/wp-login.php``; an uptime monitor sends
``HEAD /`` every few minutes; a spoofed "Googlebot" comes from an address Google does not own.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from socialseo.demo.addresses import BOT_BLOCKS
from socialseo.demo.useragents import (
    AHREFSBOT,
    BINGBOT,
    CURL,
    FACEBOOKEXTERNALHIT,
    GOOGLEBOT,
    GOOGLEBOT_SMARTPHONE,
    HEADLESS_CHROME,
    LINKEDINBOT,
    PYTHON_REQUESTS,
    SEMRUSHBOT,
    TWITTERBOT,
)

if TYPE_CHECKING:
    from socialseo.demo.sessions import Clock
    from socialseo.demo.world import World

# Share of the bot lines left after link previews.
_CRAWL_SHARES: dict[str, float] = {
    "googlebot": 0.36,
    "bingbot": 0.16,
    "ahrefsbot": 0.12,
    "semrushbot": 0.10,
    "python-requests": 0.08,
    "curl": 0.08,
    "headlesschrome": 0.07,
    "fake-googlebot": 0.03,
}
_PREVIEW_BOT = {
    "facebook": "facebookexternalhit",
    "instagram": "facebookexternalhit",
    "x": "twitterbot",
    "linkedin": "linkedinbot",
}
_SHARE_PLATFORM = {"facebookexternalhit": "facebook", "twitterbot": "x", "linkedinbot": "linkedin"}
RECRAWL_HOURS = 2
"""Pages of the recrawled half get a verified Googlebot fetch this many hours after each post linking them."""
CENSOR_DAYS = 14
"""Latency is measured up to this many days after a day starts, as ``socialseo analyze crawl-chain`` does."""
_VERIFIED_CRAWLERS = ("googlebot", "bingbot")
"""Crawlers whose fetches the warehouse verifies against published address ranges: the crawl chain counts both."""
_SCAN_PATHS = (
    "/wp-login.php",
    "/.env",
    "/xmlrpc.php",
    "/wp-admin/",
    "/.git/config",
    "/phpmyadmin/",
    "/admin.php",
    "/config.json",
    "/.aws/credentials",
    "/backup.zip",
)
_OLD_PATHS = ("/blog/2019/03/old-announcement/", "/products/legacy-widget/", "/old-pricing/")


@dataclass
class RecrawlTruth:
    """Recrawled page -> UTC day -> hours by which the planted fetches change the wait for a verified fetch
    from that day's start (days without a change are left out; pages not listed were not recrawled).

    ``expected`` is the change in the *expected* wait, over the random crawls the page might have had: the effect
    a crawl-chain estimate targets. ``realised`` is the change for the one crawl draw this site got, which also
    carries that draw's luck (how long the page would have waited without the planted fetch that day).
    """

    expected: dict[str, dict[str, float]] = field(default_factory=dict)
    realised: dict[str, dict[str, float]] = field(default_factory=dict)


@dataclass
class BotHits:
    """Bot log lines, their times, and hits per bot."""

    times: list[int]
    lines: list[str]
    by_bot: Counter[str]
    previews: Counter[str] = field(default_factory=Counter)
    """Link-preview fetches per platform: the shares a correct analysis must count."""
    recrawl: RecrawlTruth = field(default_factory=RecrawlTruth)
    """What the planted Googlebot fetches changed in each recrawled page's wait for a verified fetch."""


def _addresses(bot: str, rng: np.random.Generator, n: int = 12) -> list[str]:
    blocks = BOT_BLOCKS[bot]
    return [f"{blocks[i % len(blocks)]}{int(rng.integers(1, 250))}" for i in range(n)]


def _crawler_targets(
    n: int, paths: list[str], weights: np.ndarray, sitemap: bool, rng: np.random.Generator
) -> list[tuple[str, int, str]]:
    """(target, status, size) of ``n`` crawler requests: robots.txt, sitemaps, pages, old and bare URLs."""
    kind = rng.random(n)
    page = rng.choice(len(paths), size=n, p=weights).tolist()
    old = rng.integers(0, len(_OLD_PATHS), n).tolist()
    out: list[tuple[str, int, str]] = []
    for i in range(n):
        k = kind[i]
        if k < 0.04:
            out.append(("/robots.txt", 200, "412"))
        elif k < 0.06 and sitemap:
            out.append(("/sitemap.xml", 200, "28113"))
        elif k < 0.08:
            out.append((_OLD_PATHS[old[i]], 404, "3120"))
        elif k < 0.10 and paths[page[i]] != "/":
            out.append((paths[page[i]].rstrip("/"), 301, "238"))
        else:
            out.append((paths[page[i]], 200, str(30000 + 97 * page[i])))
    return out


def bot_hits(world: World, budget: int, clock: Clock, rng: np.random.Generator, *,
             plant_recrawls: bool = True) -> BotHits:
    """About ``budget`` bot lines over the whole period (link previews first, crawlers fill the rest).

    ``plant_recrawls=False`` leaves out the planted post-driven Googlebot fetches: the site where the crawl chain's
    true effect is zero, against which its interval's coverage is checked.
    """
    paths: list[str] = world.pages["path"].tolist()
    popularity = world.pages["base_clicks"].to_numpy() + world.pages["base_clicks"].mean()
    weights = popularity / popularity.sum()
    span = world.config.days * 86400
    times: list[int] = []
    lines: list[str] = []
    by_bot: Counter[str] = Counter()
    uas = {
        "googlebot": (GOOGLEBOT_SMARTPHONE, GOOGLEBOT_SMARTPHONE, GOOGLEBOT),
        "bingbot": (BINGBOT,),
        "ahrefsbot": (AHREFSBOT,),
        "semrushbot": (SEMRUSHBOT,),
        "facebookexternalhit": (FACEBOOKEXTERNALHIT,),
        "twitterbot": (TWITTERBOT,),
        "linkedinbot": (LINKEDINBOT,),
        "fake-googlebot": (GOOGLEBOT,),
    }
    addresses = {bot: _addresses(bot, rng) for bot in BOT_BLOCKS}

    def emit(
        bot: str, t: int, method: str, target: str, status: int, size: str, referrer: str, ua: str
    ) -> None:
        ip = addresses[bot][(t // 3600) % len(addresses[bot])]
        times.append(t)
        lines.append(
            f'{ip} - - [{clock.stamp(t)}] "{method} {target} HTTP/1.1" {status} {size} "{referrer}" "{ua}"'
        )
        by_bot[bot] += 1

    previews: Counter[str] = Counter()
    linked = world.posts[world.posts["page"] >= 0]
    for platform, page, day, second, link in zip(
        linked["platform"],
        linked["page"],
        linked["day"],
        linked["local_second"],
        linked["linked_url"],
        strict=True,
    ):
        bot = _PREVIEW_BOT.get(str(platform))
        if bot is None:
            continue
        query = str(link).partition("?")[2]
        target = paths[int(page)] + (f"?{query}" if query else "")
        t0 = int(day) * 86400 + int(second)
        for _ in range(int(rng.integers(1, 4))):
            t0 += int(rng.integers(1, 90))
            emit(bot, t0, "GET", target, 200, str(30000 + 97 * int(page)), "-", uas[bot][0])
            previews[_SHARE_PLATFORM[bot]] += 1

    crawled: dict[str, list[int]] = {}
    remaining = max(0, budget - len(lines))
    counts = dict(
        zip(_CRAWL_SHARES, rng.multinomial(remaining, list(_CRAWL_SHARES.values())).tolist(), strict=True)
    )
    for bot in ("googlebot", "bingbot", "ahrefsbot", "semrushbot", "fake-googlebot"):
        n = counts[bot]
        t_all = np.sort(rng.integers(0, span, n)).tolist()
        agent = rng.integers(0, len(uas[bot]), n).tolist()
        for t, (target, status, size), a in zip(
            t_all,
            _crawler_targets(n, paths, weights, bot in ("googlebot", "bingbot"), rng),
            agent,
            strict=True,
        ):
            if bot == "fake-googlebot" and status == 404:
                target, status, size = _SCAN_PATHS[t % len(_SCAN_PATHS)], 404, "196"
            emit(bot, t, "GET", target, status, size, "-", uas[bot][a])
            if bot in _VERIFIED_CRAWLERS and status == 200:
                crawled.setdefault(target, []).append(t)
    # each page's verified fetches are (near enough) a Poisson process: its crawlers' requests times the share of
    # them that fetch the page itself with a 200 (see _crawler_targets)
    page_share = weights * np.where(np.asarray(paths) == "/", 0.92, 0.90)
    rate = sum(counts[bot] for bot in _VERIFIED_CRAWLERS) * page_share / span
    recrawl = _plant_recrawls(world, linked, crawled, rate, lambda t, path: emit(
        "googlebot", t, "GET", path, 200, str(30000 + 97 * paths.index(path)), "-", GOOGLEBOT_SMARTPHONE)
    ) if plant_recrawls else RecrawlTruth()

    n = counts["python-requests"]
    for t, scan in zip(np.sort(rng.integers(0, span, n)).tolist(), rng.random(n).tolist(), strict=True):
        if scan < 0.7:
            emit(
                "python-requests",
                t,
                "GET",
                _SCAN_PATHS[t % len(_SCAN_PATHS)],
                404 if t % 7 else 403,
                "196",
                "-",
                PYTHON_REQUESTS,
            )
        else:
            page = t % len(paths)
            emit("python-requests", t, "GET", paths[page], 200, str(30000 + 97 * page), "-", PYTHON_REQUESTS)

    n = counts["curl"]
    if n:
        # An uptime monitor: HEAD / on a fixed cadence (HEAD responses carry no body, so %b is "-").
        step = max(60, span // n)
        for t in range(int(rng.integers(0, step)), span, step)[:n]:
            emit("curl", t, "HEAD", "/", 200, "-", "-", CURL)

    n = counts["headlesschrome"]
    for t, page in zip(
        np.sort(rng.integers(0, span, n)).tolist(), rng.choice(len(paths), n, p=weights).tolist(), strict=True
    ):
        if t % 3:
            emit("headlesschrome", t, "GET", paths[page], 200, str(30000 + 97 * page), "-", HEADLESS_CHROME)
        else:
            emit(
                "headlesschrome",
                t,
                "GET",
                "/static/css/site.4f2a91c3.css",
                200,
                "48213",
                f"https://{world.config.site_host}{paths[page]}",
                HEADLESS_CHROME,
            )
    return BotHits(times=times, lines=lines, by_bot=by_bot, previews=previews, recrawl=recrawl)


def _expected_wait(rate: float, idle: npt.NDArray[np.float64], end: npt.NDArray[np.float64],
                   stop: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """Expected seconds from each day start to the first fetch, when random fetches come at ``rate`` per second
    from ``idle`` until ``end`` (the log's span, relative to the start) and a fetch is certain at ``stop`` (a
    planted fetch or the censoring horizon, whichever is first): E[min(W, stop)] for that Poisson process."""
    lo = np.minimum(idle, stop)
    hi = np.clip(end, lo, stop)
    span = hi - lo
    survive = np.exp(-rate * span)
    within = -np.expm1(-rate * span) / rate if rate > 0 else span
    return np.asarray(lo + within + survive * (stop - hi), dtype=np.float64)


def _first_wait(fetches: npt.NDArray[np.int64], starts: npt.NDArray[np.int64], cap: int) -> npt.NDArray[np.int64]:
    """Seconds from each start to the first of ``fetches`` (sorted) at or after it, censored at ``cap``."""
    if not len(fetches):
        return np.full(len(starts), cap, dtype=np.int64)
    k = np.searchsorted(fetches, starts)
    return np.minimum(np.where(k < len(fetches), fetches[np.minimum(k, len(fetches) - 1)] - starts, cap), cap)


def _plant_recrawls(world: World, linked: Any, crawled: dict[str, list[int]], rate: npt.NDArray[np.float64],
                    emit: Callable[[int, str], None]) -> RecrawlTruth:
    """Every other linked page gets a verified Googlebot fetch RECRAWL_HOURS after each post linking it; returns,
    per such page and UTC day, how many hours sooner that made the first verified fetch after the day started,
    expected (over the page's random crawls at its ``rate`` per second) and realised (for the crawls it got)."""
    offset = 60 * world.config.utc_offset_minutes  # local seconds = UTC seconds + offset
    paths: list[str] = world.pages["path"].tolist()
    chosen = sorted(int(p) for p in linked["page"].unique())[::2]
    span, cap = world.config.days, CENSOR_DAYS * 86400
    starts = np.arange(-1, span + 1, dtype=np.int64) * 86400
    # the log runs over local [0, span) days: in UTC from -offset, so random fetches start and end there
    idle = np.maximum(0, -offset - starts).astype(np.float64)
    end = (span * 86400 - offset - starts).astype(np.float64)
    day_names = [(world.config.start + timedelta(days=int(d))).isoformat() for d in starts // 86400]
    out = RecrawlTruth()
    for page in chosen:
        path = paths[page]
        posts = linked[linked["page"] == page]
        planted = sorted({int(d) * 86400 + int(s) + 3600 * RECRAWL_HOURS
                          for d, s in zip(posts["day"], posts["local_second"], strict=True)})
        planted = [t for t in planted if t < span * 86400]
        for t in planted:
            emit(t, path)
        base = np.sort(np.asarray(crawled.get(path, []), dtype=np.int64) - offset)
        sown = np.asarray(planted, dtype=np.int64) - offset
        both = np.sort(np.concatenate([base, sown]))
        realised = (_first_wait(both, starts, cap) - _first_wait(base, starts, cap)) / 3600
        stop = _first_wait(sown, starts, cap).astype(np.float64)
        full = np.full(len(starts), float(cap))
        expected = (_expected_wait(float(rate[page]), idle, end, stop)
                    - _expected_wait(float(rate[page]), idle, end, full)) / 3600
        out.realised[path] = {d: round(float(c), 4) for d, c in zip(day_names, realised, strict=True) if c != 0}
        out.expected[path] = {d: round(float(c), 3) for d, c in zip(day_names, expected, strict=True)
                              if round(float(c), 3) != 0}
    return out
