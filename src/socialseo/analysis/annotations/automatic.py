"""Annotations computed from the data: campaign starts, social spikes and imports.

Each is derived from the tables it describes every time it is asked for, never stored, so an import or a new post
export moves the marks with the data:

* ``post``: a campaign's first post. A campaign is the ``utm_campaign`` of the posts' links (in the link or the
  post's text) when they carry one;
  untagged posts make one campaign per page they link, starting with the page's first post;
* ``spike``: the first day of each page's social burst, found by the same detection the impact analyses use
  (:func:`socialseo.analysis.impact.panel.detect_spikes`), with the platform that brought most of it;
* ``import``: the days files were imported, from the import ledger.
"""

from __future__ import annotations

from urllib.parse import unquote_plus

import duckdb
import pandas as pd

from socialseo.analysis.impact.panel import PANEL_COLUMNS, detect_spikes, load_panel, table_exists, to_grid
from socialseo.classify.urls import page_key_sql

COLUMNS = ["id", "date", "source", "text", "page", "platform"]


def _frame(rows: list[dict[str, object]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=COLUMNS)


def campaign_starts(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """One row per campaign: the day, page and platform of its first post."""
    if not table_exists(con, "social_posts"):
        return _frame([])
    posts = con.execute(
        rf"""
        SELECT platform, published_at,
               {page_key_sql("linked_page")} AS page,
               -- the import keeps the link without its tracking parameters; the post's text still has them
               nullif(regexp_extract(concat_ws(' ', linked_url, short_url, text), '[?&]utm_campaign=([^&#\s"]*)', 1),
                      '') AS campaign
        FROM social_posts
        WHERE published_at IS NOT NULL AND linked_page IS NOT NULL
        ORDER BY published_at, platform, post_id
        """
    ).fetchall()
    seen: set[str] = set()
    rows: list[dict[str, object]] = []
    for platform, published, page, campaign in posts:
        name = unquote_plus(str(campaign)).strip() if campaign else ""
        key = f"campaign:{name.lower()}" if name else f"page:{page}"
        if key in seen:
            continue
        seen.add(key)
        text = (f"campaign {name} starts: first post on {platform}, linking {page}" if name
                else f"first post linking {page}, on {platform}")
        rows.append({"id": None, "date": published.date(), "source": "post", "text": text, "page": page,
                     "platform": platform})
    return _frame(rows)


def social_spikes(con: duckdb.DuckDBPyConnection, page: str | None = None) -> pd.DataFrame:
    """One row per page with a social spike, on the spike's first day; ``page`` (a page key) reads that page's rows
    only, so one page's chart does not read the whole panel."""
    if not table_exists(con, "page_daily"):
        return _frame([])
    if page is None:
        panel = load_panel(con)
    else:
        panel = con.execute(f"SELECT {', '.join(PANEL_COLUMNS)} FROM page_daily WHERE page = ? ORDER BY date",
                            [page]).df()
        panel["date"] = pd.to_datetime(panel["date"])
    if panel.empty:
        return _frame([])
    grid = to_grid(panel)
    first = detect_spikes(grid)
    has = first >= 0
    spikes = pd.DataFrame({"page": grid.pages[has], "day": grid.dates[first[has]].date})
    if spikes.empty:
        return _frame([])
    leaders = _leading_platforms(con, spikes)
    rows = [{"id": None, "date": day, "source": "spike",
             "text": f"social spike on {page}" + (f", mostly from {leaders[(page, day)]}" if (page, day) in leaders
                                                  else ""),
             "page": page, "platform": leaders.get((page, day))}
            for page, day in spikes.itertuples(index=False)]
    return _frame(rows)


def _leading_platforms(con: duckdb.DuckDBPyConnection, spikes: pd.DataFrame) -> dict[tuple[str, object], str]:
    """For each spike, the platform with the most posts and sessions in its first week."""
    if not table_exists(con, "page_daily_platform"):
        return {}
    cur = con.cursor()
    try:
        cur.register("annotation_spikes", spikes)
        found = cur.execute(
            """
            SELECT s.page, s.day, arg_max(p.platform, p.posts + p.sessions) AS platform
            FROM annotation_spikes s
            JOIN page_daily_platform p ON p.page = s.page AND p.date BETWEEN s.day AND s.day + INTERVAL 6 DAY
            WHERE p.platform IS NOT NULL
            GROUP BY 1, 2
            """
        ).fetchall()
    finally:
        cur.close()
    return {(str(page), pd.Timestamp(day).date()): str(platform) for page, day, platform in found}


def import_days(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """One row per day files were imported, naming the kinds, files and rows."""
    if not table_exists(con, "imports"):
        return _frame([])
    found = con.execute(
        """
        SELECT CAST(started_at AS DATE) AS day, kind, count(*) AS files, sum(rows_loaded) AS loaded
        FROM imports WHERE finished_at IS NOT NULL
        GROUP BY 1, 2 ORDER BY 1, 2
        """
    ).fetchall()
    by_day: dict[object, list[str]] = {}
    for day, kind, files, loaded in found:
        by_day.setdefault(day, []).append(
            f"{kind} ({files} file{'s' if files != 1 else ''}, {int(loaded or 0):,} rows)")
    return _frame([{"id": None, "date": day, "source": "import", "text": "imported " + ", ".join(kinds),
                    "page": None, "platform": None} for day, kinds in by_day.items()])
