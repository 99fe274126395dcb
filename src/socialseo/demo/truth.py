"""The planted truth of a simulated world, as a JSON-serialisable dict.

Everything a method is supposed to recover is written down here in plain numbers: which pages got which
treatment, when the uplift started, how many extra clicks per day it was worth in expectation, and how
visitors of each platform were made to behave. ``generate`` adds what it counted while writing the files.
"""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from socialseo.demo.campaigns import GROUPS
from socialseo.demo.platforms import PLATFORMS

if TYPE_CHECKING:
    from collections import Counter

    from socialseo.demo.logfile import LogStats
    from socialseo.demo.search import SearchPanel
    from socialseo.demo.sessions import Tally
    from socialseo.demo.world import WorldConfig

LOG_FORMAT = '%h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-agent}i"'
DEFINITIONS: dict[str, str] = {
    "visitor": (
        "client address + user agent; every visitor has exactly one address and one user agent, "
        "and no two visitors share an address"
    ),
    "bot": (
        "user agent contains bot, crawler, spider, facebookexternalhit, python-requests, curl/ or "
        "HeadlessChrome (case-insensitive); no human user agent does"
    ),
    "page_view": (
        "a human GET answered 200 whose path is not a static asset (.css .js .png .jpg .svg .webp .ico "
        ".woff .woff2) nor robots.txt or sitemap.xml; redirects (301), errors (404, 503) and 304s are "
        "not page views"
    ),
    "session": (
        "a visitor's page views in time order; a new session starts at the first page view, after a gap "
        "of more than 30 minutes between page views, or at a page view whose referrer is another site "
        "(the generator only ever re-enters through a different external source); gaps within a session "
        "are at most 25 minutes and gaps between sessions over 30 are at least 31 minutes"
    ),
    "channel": (
        "decided by the session's first page view: referrer on the own site -> internal; other referrer "
        "-> by its host (AI assistant or its android-app, and x.com/i/grok -> ai_assistant; search engine "
        "-> organic_search; social platform, its shortener or its android-app -> social; mail client -> "
        "email; else referral); no referrer -> landing-URL parameters (fbclid facebook, twclid x, ttclid "
        "tiktok, li_fat_id linkedin, utm_source=chatgpt.com -> ai_assistant chatgpt, utm_medium=social "
        "with utm_source, utm_medium=email) -> in-app browser user agent -> direct"
    ),
}


def _iso(value: Any) -> str | None:
    """ISO date of a date or timestamp, None for NaT/None."""
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _day(config: WorldConfig, day: int) -> str:
    return (config.start + timedelta(days=day)).isoformat()


def config_dict(config: WorldConfig) -> dict[str, Any]:
    """The configuration with dates as ISO strings and tuples as lists."""
    out: dict[str, Any] = {}
    for item in dataclasses.fields(config):
        value = getattr(config, item.name)
        out[item.name] = (
            value.isoformat()
            if isinstance(value, date)
            else (list(value) if isinstance(value, tuple) else value)
        )
    return out


def utc_offset_text(minutes: int) -> str:
    """``-300`` -> ``"-0500"``, the form Apache writes in ``%t``.

    >>> utc_offset_text(-300), utc_offset_text(330)
    ('-0500', '+0530')
    """
    sign = "-" if minutes < 0 else "+"
    hours, mins = divmod(abs(minutes), 60)
    return f"{sign}{hours:02d}{mins:02d}"


def world_truth(
    config: WorldConfig,
    pages: pd.DataFrame,
    posts: pd.DataFrame,
    search: SearchPanel,
    campaign_start: npt.NDArray[np.int64],
    shortlinks: dict[str, str],
    window: tuple[int, int],
) -> dict[str, Any]:
    """Build the world part of ``truth.json``; ``campaign_start`` is a day index per page, -1 for none."""
    linked = posts[posts["page"] >= 0]
    grouped = linked.groupby("page")
    by_page = {int(k): grouped.get_group(k) for k in sorted(linked["page"].unique().tolist())}
    page_rows: list[dict[str, Any]] = []
    total_extra = 0.0
    columns = zip(
        pages["url"].tolist(),
        pages["path"].tolist(),
        pages["segment"].tolist(),
        pages["group"].tolist(),
        pages["base_clicks"].tolist(),
        campaign_start.tolist(),
        strict=True,
    )
    for i, (url, path, segment, group, base_clicks, start_day) in enumerate(columns):
        campaigned = group in ("effect", "null") and start_day >= 0
        first = start_day + config.lag_days if campaigned else config.days
        no_effect_mean = extra_per_day = extra_total = 0.0
        if first < config.days:
            no_effect = search.expected_clicks_no_effect[i, first:]
            no_effect_mean = float(no_effect.mean())
            if group == "effect":
                extra = search.expected_clicks[i, first:] - no_effect
                extra_per_day, extra_total = float(extra.mean()), float(extra.sum())
        total_extra += extra_total
        page_posts = by_page.get(i)
        page_rows.append(
            {
                "url": url,
                "path": path,
                "segment": segment,
                "group": group,
                "campaign_start": _day(config, start_day) if campaigned else None,
                "effect_start": _day(config, first) if group == "effect" and first < config.days else None,
                "post_period_start": _day(config, first) if first < config.days else None,
                "post_period_days": max(0, config.days - first),
                "lag_days": config.lag_days if campaigned else None,
                "relative_effect": config.relative_effect if group == "effect" else 0.0,
                "n_posts": 0 if page_posts is None else len(page_posts),
                "platforms": [] if page_posts is None else sorted(set(page_posts["platform"])),
                "first_post": None if page_posts is None else _iso(page_posts["published_at"].min()),
                "base_daily_clicks": round(float(base_clicks), 6),
                "expected_clicks_per_day_post_no_effect": round(no_effect_mean, 6),
                "expected_extra_clicks_per_day": round(extra_per_day, 6),
                "expected_extra_clicks_total": round(extra_total, 6),
            }
        )

    earliest, latest = window
    return {
        "seed": config.seed,
        "config": config_dict(config),
        "site_host": config.site_host,
        "start": config.start.isoformat(),
        "end": config.end.isoformat(),
        "days": config.days,
        "utc_offset": utc_offset_text(config.utc_offset_minutes),
        "model": {
            "search": (
                "impressions ~ Poisson(base x weekday x (1 + trend x t/365) x effect x lognormal noise); "
                "clicks ~ Binomial(impressions, ctr(base position))"
            ),
            "effect": "effect pages: expected impressions and clicks x (1 + relative_effect) from "
            "campaign_start + lag_days to the end (a persistent step); null pages: same campaign, no effect",
            "social": "each linked post sends link_clicks x 0.85 visits, decaying geometrically with the "
            "platform's half-life; daily visits ~ Poisson",
            "assignment": "pages other than the home page are assigned to groups uniformly at random",
        },
        "campaign_window": [_day(config, earliest), _day(config, latest)],
        "groups": {g: int((pages["group"] == g).sum()) for g in GROUPS},
        "effect": {
            "relative_effect": config.relative_effect,
            "lag_days": config.lag_days,
            "pages": int((pages["group"] == "effect").sum()),
            "expected_extra_clicks_total": round(total_extra, 6),
        },
        "planted_engagement": {
            p.name: {
                "bounce_probability": p.bounce,
                "continue_stop_probability": p.stop,
                "expected_pages_per_session": round(p.expected_pages_per_session, 6),
                "referral_half_life_days": p.half_life_days,
            }
            for p in PLATFORMS
        },
        "posts": {
            "total": len(posts),
            "linked": len(linked),
            "by_platform": {p.name: int((posts["platform"] == p.name).sum()) for p in PLATFORMS},
        },
        "shortlinks": dict(sorted(shortlinks.items())),
        "pages": page_rows,
    }


def _engagement(sessions: int, page_views: int, bounces: int) -> dict[str, float | int]:
    return {
        "sessions": sessions,
        "page_views": page_views,
        "bounce_rate": round(bounces / sessions, 6) if sessions else 0.0,
        "pages_per_session": round(page_views / sessions, 6) if sessions else 0.0,
    }


def log_truth(
    tally: Tally, bots: Counter[str], stats: LogStats, scale: float, clock_offset: int
) -> dict[str, Any]:
    """The counts a correct parser, bot filter and sessionizer must recover from ``access.log.gz``."""
    from socialseo.demo.platforms import expected_pages
    from socialseo.demo.referrers import AI_ASSISTANT, ASSISTANTS, CHANNELS, OPEN_SOCIAL, SOCIAL
    from socialseo.demo.visits import CHANNEL_ENGAGEMENT

    by_channel = {c: int(tally.sessions_by_channel.get(c, 0)) for c in CHANNELS}
    social_names = [p.name for p in PLATFORMS] + list(OPEN_SOCIAL)
    social = {name: int(tally.sessions_by_source.get((SOCIAL, name), 0)) for name in social_names}
    assistants = {name: int(tally.sessions_by_source.get((AI_ASSISTANT, name), 0)) for name in ASSISTANTS}
    by_source: dict[str, dict[str, int]] = {}
    for (channel, source), count in sorted(tally.sessions_by_source.items()):
        by_source.setdefault(channel, {})[source] = count
    platform_engagement = {}
    for p in PLATFORMS:
        key = (SOCIAL, p.name)
        row: dict[str, Any] = _engagement(
            tally.sessions_by_source.get(key, 0),
            tally.page_views_by_source.get(key, 0),
            tally.bounces_by_source.get(key, 0),
        )
        row["planted_bounce_probability"] = p.bounce
        row["planted_pages_per_session"] = round(p.expected_pages_per_session, 6)
        platform_engagement[p.name] = row
    open_bounce, open_stop = CHANNEL_ENGAGEMENT["open_social"]
    for name in OPEN_SOCIAL:
        key = (SOCIAL, name)
        row = _engagement(
            tally.sessions_by_source.get(key, 0),
            tally.page_views_by_source.get(key, 0),
            tally.bounces_by_source.get(key, 0),
        )
        row["planted_bounce_probability"] = open_bounce
        row["planted_pages_per_session"] = round(expected_pages(open_bounce, open_stop), 6)
        platform_engagement[name] = row
    channel_engagement = {}
    for channel in CHANNELS:
        keys = [k for k in tally.sessions_by_source if k[0] == channel]
        channel_engagement[channel] = _engagement(
            sum(tally.sessions_by_source[k] for k in keys),
            sum(tally.page_views_by_source[k] for k in keys),
            sum(tally.bounces_by_source[k] for k in keys),
        )
    bot_hits = sum(bots.values())
    human_hits = tally.page_views + tally.asset_hits + tally.other_hits
    return {
        "file": "access.log.gz",
        "format": LOG_FORMAT,
        "utc_offset": utc_offset_text(clock_offset),
        "total_lines": stats.total_lines,
        "malformed_lines": stats.malformed_lines,
        "malformed_by_kind": stats.malformed_by_kind,
        "parsed_lines": stats.total_lines - stats.malformed_lines,
        "bot_hits": bot_hits,
        "bot_hits_by_bot": dict(sorted(bots.items())),
        "human_hits": human_hits,
        "human_page_views": tally.page_views,
        "human_asset_hits": tally.asset_hits,
        "human_other_hits": tally.other_hits,
        "sessions": sum(by_channel.values()),
        "sessions_by_channel": by_channel,
        "social_sessions_by_platform": social,
        "ai_assistant_sessions_by_platform": assistants,
        "sessions_by_source": by_source,
        "entry_forms": dict(sorted(tally.forms.items())),
        "visitors": tally.visitors,
        "returning_sessions": tally.returning_sessions,
        "quick_reentries": tally.quick_reentries,
        "internal_continuations": tally.internal_continuations,
        "engagement_by_platform": platform_engagement,
        "engagement_by_channel": channel_engagement,
        "scale": round(scale, 6),
        "definitions": DEFINITIONS,
    }


def search_console_truth(rows: pd.DataFrame) -> dict[str, Any]:
    """Totals of the Search Console export (they equal the world's daily clicks and impressions)."""
    return {
        "file": "search_console.csv",
        "rows": len(rows),
        "clicks": int(rows["clicks"].sum()),
        "impressions": int(rows["impressions"].sum()),
        "pages": int(rows["page"].nunique()),
        "date_calendar": "the site's local day, used as Search Console's (Pacific) day",
    }
