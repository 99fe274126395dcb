"""Link-preview fetches as shares, and the dark-social visits they caused.

When someone pastes a URL into Facebook, X, LinkedIn, Slack, WhatsApp, Discord, Telegram, iMessage or Bluesky, the
platform's preview fetcher requests the page to draw a card. Platforms no longer publish share counts, but these
fetches are in the site's own log: counted per page, day and platform they are the closest thing to a share count
that still exists. The people who then open the link arrive seconds to minutes later, often without a referrer
(messengers and apps strip it): those visits are the dark-social traffic the share caused.

Each human page view is credited to the latest preview fetch of the same page before it, within ``window_minutes``:

- a view that names the platform (its referrer, shortener or campaign tags) or comes from its in-app browser is
  credited to the latest fetch *by that platform*;
- a view with no evidence at all (no referrer, no tags, a plain browser: "direct") is credited to the latest fetch
  by *any* platform: this is the dark-social estimate;
- views from search, e-mail, other sites or the site itself are someone else's traffic and are not credited.

Both matches are one ``ASOF JOIN`` each in DuckDB over the whole ``hits`` view: no loop per hit. Which bot stands
for which platform is data (``data/share_platforms.yaml``, with its sources).
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import duckdb
import pandas as pd
import yaml

DEFAULT_WINDOW_MINUTES = 30
"""How long after a preview fetch a visit still counts as caused by that share."""

DAY_COLUMNS: tuple[str, ...] = (
    "page", "date", "platform", "preview_fetches", "visits", "platform_visits", "in_app_visits", "dark_visits",
)
PAGE_COLUMNS: tuple[str, ...] = (
    "page", "preview_fetches", "platforms", "visits", "platform_visits", "in_app_visits", "dark_visits",
    "dark_share",
)
PLATFORM_COLUMNS: tuple[str, ...] = (
    "platform", "preview_fetches", "pages", "visits", "platform_visits", "in_app_visits", "dark_visits",
    "visits_per_fetch",
)
BY = ("day", "page", "platform")


@cache
def _platform_data() -> dict[str, Any]:
    text = resources.files("socialseo.analysis").joinpath("data", "share_platforms.yaml").read_text("utf-8")
    data = yaml.safe_load(text)
    if not isinstance(data, dict):
        raise ValueError("analysis/data/share_platforms.yaml must hold a mapping at its top level")
    return data


def unknown_app() -> str:
    """The platform reported for a preview fetcher that names no platform."""
    return str(_platform_data().get("unknown") or "unknown app")


def platform_of_bot() -> dict[str, str]:
    """Preview bot name -> platform, from ``data/share_platforms.yaml``.

    >>> platform_of_bot()["facebookexternalhit"], platform_of_bot()["Bluesky Cardyb"]
    ('facebook', 'bluesky')
    """
    return {str(bot): str(platform) for platform, bots in (_platform_data().get("platforms") or {}).items()
            for bot in bots or ()}


def _platform_case() -> tuple[str, list[str]]:
    """A SQL CASE naming each preview fetch's platform, and its parameters (the names stay data, not SQL)."""
    parts: list[str] = []
    params: list[str] = []
    for rule in _platform_data().get("user_agent_first") or ():
        parts.append("WHEN contains(coalesce(user_agent, ''), ?) THEN ?")
        params += [str(rule["contains"]), str(rule["platform"])]
    for bot, platform in platform_of_bot().items():
        parts.append("WHEN bot_name = ? THEN ?")
        params += [bot, platform]
    params.append(unknown_app())
    return f"CASE {' '.join(parts)} ELSE ? END", params


def _fetches_sql(start: str | None, end: str | None) -> tuple[str, list[Any]]:
    case, params = _platform_case()
    skipped = [str(b) for b in _platform_data().get("not_shares") or ()]
    where = ["bot_purpose = 'preview'", "page IS NOT NULL", "(status IS NULL OR status < 400)"]
    if skipped:
        where.append(f"bot_name NOT IN ({', '.join('?' for _ in skipped)})")
        params += skipped
    if start:
        where.append("CAST(ts AS DATE) >= CAST(? AS DATE)")
        params.append(start)
    if end:
        where.append("CAST(ts AS DATE) <= CAST(? AS DATE)")
        params.append(end)
    return f"SELECT page, ts, {case} AS platform FROM hits WHERE {' AND '.join(where)}", params


def shares_by_day(con: duckdb.DuckDBPyConnection, *, window_minutes: int = DEFAULT_WINDOW_MINUTES,
                  start: str | None = None, end: str | None = None) -> pd.DataFrame:
    """Preview fetches per page, day and platform, with the human visits that followed each within the window.

    ``platform_visits`` named the platform (referrer, shortener, campaign tags), ``in_app_visits`` came from its
    in-app browser, ``dark_visits`` carried no evidence at all: dark social. Visits are distinct visitors.
    """
    fetches, params = _fetches_sql(start, end)
    window = f"INTERVAL '{int(window_minutes)} minutes'"
    sql = f"""
    WITH fetches AS ({fetches}),
    views AS (
        SELECT page, ts, visitor_id, platform AS visit_platform,
               CASE WHEN evidence = 'ua_inapp' THEN 'in_app'
                    WHEN channel = 'social' THEN 'platform'
                    WHEN channel = 'direct' AND evidence = 'none' THEN 'dark' END AS kind
        FROM hits
        WHERE NOT is_bot AND is_pageview AND page IS NOT NULL
          AND page IN (SELECT DISTINCT page FROM fetches)
    ),
    named AS (
        SELECT f.page, f.ts AS fetch_ts, f.platform, v.visitor_id, v.kind
        FROM (SELECT * FROM views WHERE kind IN ('in_app', 'platform')) v
        ASOF JOIN fetches f ON v.page = f.page AND v.visit_platform = f.platform AND v.ts >= f.ts
        WHERE v.ts - f.ts <= {window}
    ),
    dark AS (
        SELECT f.page, f.ts AS fetch_ts, f.platform, v.visitor_id, v.kind
        FROM (SELECT * FROM views WHERE kind = 'dark') v
        ASOF JOIN fetches f ON v.page = f.page AND v.ts >= f.ts
        WHERE v.ts - f.ts <= {window}
    ),
    credited AS (
        SELECT page, CAST(fetch_ts AS DATE) AS date, platform,
               count(DISTINCT visitor_id) AS visits,
               count(DISTINCT visitor_id) FILTER (WHERE kind = 'platform') AS platform_visits,
               count(DISTINCT visitor_id) FILTER (WHERE kind = 'in_app') AS in_app_visits,
               count(DISTINCT visitor_id) FILTER (WHERE kind = 'dark') AS dark_visits
        FROM (SELECT * FROM named UNION ALL SELECT * FROM dark)
        GROUP BY ALL
    ),
    counted AS (
        SELECT page, CAST(ts AS DATE) AS date, platform, count(*) AS preview_fetches FROM fetches GROUP BY ALL
    )
    SELECT c.page, c.date, c.platform, c.preview_fetches,
           coalesce(v.visits, 0) AS visits, coalesce(v.platform_visits, 0) AS platform_visits,
           coalesce(v.in_app_visits, 0) AS in_app_visits, coalesce(v.dark_visits, 0) AS dark_visits
    FROM counted c LEFT JOIN credited v USING (page, date, platform)
    ORDER BY c.date, c.page, c.preview_fetches DESC, c.platform
    """
    frame = con.execute(sql, params).df()
    if frame.empty:
        return pd.DataFrame(columns=list(DAY_COLUMNS))
    frame["date"] = pd.to_datetime(frame["date"]).dt.date.astype(str)
    counts = [c for c in DAY_COLUMNS if c not in ("page", "date", "platform")]
    frame[counts] = frame[counts].astype("int64")
    return frame[list(DAY_COLUMNS)]


def shares_by_page(days: pd.DataFrame) -> pd.DataFrame:
    """Per page: preview fetches, the platforms they came from, and the dark-social estimate they give.

    ``dark_share`` is the part of the visits that followed a share which arrived with no evidence at all: what a
    referrer-based report would have called "direct".
    """
    if days.empty:
        return pd.DataFrame(columns=list(PAGE_COLUMNS))
    counts = ["preview_fetches", "visits", "platform_visits", "in_app_visits", "dark_visits"]
    by_platform = days.groupby(["page", "platform"], as_index=False).agg(preview_fetches=("preview_fetches", "sum"))
    by_platform = by_platform.sort_values(["page", "preview_fetches", "platform"], ascending=[True, False, True])
    names = by_platform.groupby("page")["platform"].agg(", ".join)
    out = days.groupby("page")[counts].sum()
    out["platforms"] = names
    out["dark_share"] = (out["dark_visits"] / out["visits"].where(out["visits"] > 0)).round(4)
    out = out.reset_index().sort_values(["preview_fetches", "page"], ascending=[False, True], kind="stable")
    return out[list(PAGE_COLUMNS)].reset_index(drop=True)


def shares_by_platform(days: pd.DataFrame) -> pd.DataFrame:
    """Per platform: preview fetches, pages shared, and the visits each fetch was followed by."""
    if days.empty:
        return pd.DataFrame(columns=list(PLATFORM_COLUMNS))
    counts = ["preview_fetches", "visits", "platform_visits", "in_app_visits", "dark_visits"]
    out = days.groupby("platform")[counts].sum()
    out["pages"] = days.groupby("platform")["page"].nunique()
    out["visits_per_fetch"] = (out["visits"] / out["preview_fetches"]).round(3)
    out = out.reset_index().sort_values(["preview_fetches", "platform"], ascending=[False, True], kind="stable")
    return out[list(PLATFORM_COLUMNS)].reset_index(drop=True)


def shares(con: duckdb.DuckDBPyConnection, *, by: str = "day", window_minutes: int = DEFAULT_WINDOW_MINUTES,
           start: str | None = None, end: str | None = None) -> pd.DataFrame:
    """Shares seen as preview fetches, ``by`` page-and-day (``day``), ``page`` or ``platform``."""
    if by not in BY:
        raise ValueError(f"by must be one of {', '.join(BY)}, got {by!r}")
    days = shares_by_day(con, window_minutes=window_minutes, start=start, end=end)
    if by == "page":
        return shares_by_page(days)
    if by == "platform":
        return shares_by_platform(days)
    return days


def preview_bots_without_platform(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Names of the preview fetchers counted as "unknown app", so a report can say which they were."""
    known = list(platform_of_bot()) + [str(b) for b in _platform_data().get("not_shares") or ()]
    rows = con.execute("SELECT DISTINCT bot_name FROM hits WHERE bot_purpose = 'preview' "
                       "AND NOT list_contains(?::VARCHAR[], bot_name) ORDER BY 1", [known]).fetchall()
    return [str(r[0]) for r in rows if r[0]]
