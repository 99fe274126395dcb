"""Report section: link-preview fetches counted as shares, and the dark-social visits they brought.

Platforms no longer publish share counts; a preview fetch is someone pasting the page's URL into a feed or a chat,
so these counts stand in for them (see :mod:`socialseo.analysis.shares`).
"""

from __future__ import annotations

import duckdb

from socialseo.analysis.filters import Filters
from socialseo.analysis.shares import DEFAULT_WINDOW_MINUTES, shares_by_day, shares_by_page, shares_by_platform
from socialseo.report.sections.base import Section, Table, num, pct


def sections(con: duckdb.DuckDBPyConnection, filters: Filters | None = None) -> list[Section]:
    section = Section(
        "social-shares", "Shares seen as link previews",
        "link-preview fetches in the access logs (facebookexternalhit, Twitterbot, Slackbot, WhatsApp ...) and the "
        f"human visits to the same page in the {DEFAULT_WINDOW_MINUTES} minutes after each", False,
        missing="No link-preview fetch in the access logs: import the site's full access logs with socialseo "
                "ingest logs (logs from a cache that answers bots itself do not show them).",
    )
    if not _has_hits(con):
        return [section]
    start = filters.start.isoformat() if filters and filters.start else None
    end = filters.end.isoformat() if filters and filters.end else None
    days = shares_by_day(con, start=start, end=end)
    if filters and filters.platforms:
        days = days[days["platform"].isin(filters.platforms)]
    if days.empty:
        return [section]
    section.has_data = True
    platforms, pages = shares_by_platform(days), shares_by_page(days)
    fetches, visits, dark = (int(days[c].sum()) for c in ("preview_fetches", "visits", "dark_visits"))
    top = platforms.iloc[0]
    section.summary.append(
        f"{fetches:,} link-preview fetches show {len(pages):,} pages shared on {len(platforms)} platforms, most on "
        f"{top['platform']} ({num(top['preview_fetches'])}); {dark:,} of the {visits:,} visits that followed "
        "carried no referrer (dark social).")
    section.paragraphs.append(
        "Each fetch is a platform drawing a link card because someone pasted the page's address there. A visit "
        f"within {DEFAULT_WINDOW_MINUTES} minutes is credited to the latest such fetch: to that platform's when it "
        "names the platform (referrer, tags or in-app browser), to any platform's when it carries no evidence at "
        "all — the dark-social visits a referrer-based report calls direct.")
    section.tables.append(Table("Shares per platform", [
        "platform", "preview fetches", "pages", "visits after", "with referrer or tags", "in-app", "dark social",
    ], [[r["platform"], num(r["preview_fetches"]), num(r["pages"]), num(r["visits"]), num(r["platform_visits"]),
         num(r["in_app_visits"]), num(r["dark_visits"])] for r in platforms.to_dict("records")]))
    section.tables.append(Table("Most shared pages and their dark-social estimate", [
        "page", "preview fetches", "platforms", "visits after", "dark social", "dark share",
    ], [[r["page"], num(r["preview_fetches"]), r["platforms"], num(r["visits"]), num(r["dark_visits"]),
         pct(r["dark_share"])] for r in pages.to_dict("records")]))
    return [section]


def _has_hits(con: duckdb.DuckDBPyConnection) -> bool:
    row = con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = 'hit_rows'").fetchone()
    return bool(row and row[0])
