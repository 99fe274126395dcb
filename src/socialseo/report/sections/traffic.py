"""Traffic sections: the channel mix, social referral traffic and its engagement, social landing pages."""

from __future__ import annotations

import duckdb
import pandas as pd
from markupsafe import Markup

from socialseo.analysis.engagement import (
    channel_engagement,
    channel_sessions_by_day,
    session_filter,
    social_sessions_by_day,
)
from socialseo.analysis.filters import Filters
from socialseo.report import charts
from socialseo.report.marks import chart_marks
from socialseo.report.sections.base import Section, Table, num, pivot
from socialseo.store.warehouse import scalar


def _by_channel(engagement: pd.DataFrame) -> pd.DataFrame:
    weighted = engagement.assign(
        bounces=engagement["bounce_rate"] * engagement["sessions"],
        seconds=engagement["avg_duration_s"] * engagement["sessions"],
        pageviews=engagement["pages_per_session"] * engagement["sessions"],
    )
    grouped = weighted.groupby("channel", as_index=False)[["sessions", "bounces", "seconds", "pageviews"]].sum()
    return grouped.sort_values("sessions", ascending=False)


def _summary(con: duckdb.DuckDBPyConnection, engagement: pd.DataFrame, filters: Filters | None) -> list[str]:
    total = float(engagement["sessions"].sum())
    lines = [f"{int(total):,} sessions of people (bots excluded) were found in the access logs."]
    social = engagement[engagement["channel"] == "social"]
    if social.empty:
        return [*lines, "No session came from a social platform."]
    lines.append(f"Social platforms sent {social['sessions'].sum() / total:.1%} of all sessions.")
    platforms = social.groupby("platform").agg(sessions=("sessions", "sum"))
    platforms["bounce_rate"] = (
        (social["bounce_rate"] * social["sessions"]).groupby(social["platform"]).sum() / platforms["sessions"]
    )
    big_enough = platforms[platforms["sessions"] >= 30]
    if len(big_enough) >= 2:
        rates = big_enough["bounce_rate"].sort_values()
        lines.append(
            f"Of platforms with at least 30 sessions, visitors from {rates.index[0]} bounce least "
            f"({rates.iloc[0]:.0%}) and visitors from {rates.index[-1]} most ({rates.iloc[-1]:.0%})."
        )
    where, params = session_filter(filters)
    dark = scalar(
        con,
        f"SELECT count(*) FROM sessions WHERE channel = 'social' AND evidence IN ('ua_inapp', 'click_id') AND {where}",
        params,
    )
    if dark:
        lines.append(
            f"{int(dark):,} social sessions arrived without a social referrer and were recognised by an in-app "
            "browser or a click id (dark social)."
        )
    no_referrer = scalar(
        con, f"SELECT count(*) FROM sessions WHERE channel = 'direct' AND evidence = 'none' AND {where}", params
    )
    if no_referrer:
        lines.append(
            f"{int(no_referrer):,} sessions ({no_referrer / total:.1%}) had no referrer and no other evidence; they "
            "are shown as 'direct (no referrer)', and some of them are likely dark social."
        )
    return lines


def _no_sessions(con: duckdb.DuckDBPyConnection, filters: Filters | None) -> str:
    """Why there are no sessions to show: the filters, a GA4-only warehouse, or no access log at all."""
    if filters is not None and filters.active and scalar(con, "SELECT count(*) FROM sessions"):
        return f"No sessions match the filters ({filters.describe()}): widen the period or choose other platforms."
    if scalar(con, "SELECT count(*) FROM ga4_traffic"):
        return ("GA4 traffic is imported, but this section is built from the visits in access logs: run "
                "`socialseo ingest logs PATH` (`socialseo channels --source ga4` lists the GA4 channels).")
    return "No access log has been imported: run `socialseo ingest logs PATH`."


def _no_social(con: duckdb.DuckDBPyConnection, filters: Filters | None) -> str:
    """Why there are no social sessions: none at all (see :func:`_no_sessions`), or none from social platforms."""
    if not scalar(con, "SELECT count(*) FROM sessions"):
        return _no_sessions(con, filters)
    scope = f" for {filters.describe()}" if filters is not None and filters.active else " in the imported logs"
    return (f"No social sessions were found{scope}: import access logs from a period with social visits "
            "(`socialseo ingest logs PATH`); social post exports (`socialseo ingest posts PATH`) show the posts "
            "themselves.")


def sections(con: duckdb.DuckDBPyConnection, filters: Filters | None = None) -> list[Section]:
    engagement = channel_engagement(con, filters=filters)
    channels = Section(
        "channels", "Channels", "sessions built from the imported access logs", not engagement.empty,
        missing=_no_sessions(con, filters),
    )
    social = Section(
        "social", "Social referral traffic", "sessions whose first page view came from a social platform", False,
        missing=_no_social(con, filters),
    )
    landing = Section(
        "landing", "Top landing pages from social", "social sessions by landing page", False,
        missing=_no_social(con, filters),
    )
    if engagement.empty:
        return [channels, social, landing]

    channels.summary = _summary(con, engagement, filters)
    by_channel = _by_channel(engagement)
    total = by_channel["sessions"].sum()
    channels.tables.append(Table(
        "Sessions and engagement by channel",
        ["channel", "sessions", "share", "bounce rate", "avg. duration", "pages / session"],
        [
            [r["channel"], num(r["sessions"]), f"{r['sessions'] / total:.1%}", f"{r['bounces'] / r['sessions']:.1%}",
             f"{r['seconds'] / r['sessions']:,.0f} s", f"{r['pageviews'] / r['sessions']:.2f}"]
            for r in by_channel.to_dict("records")
        ],
    ))
    channels.charts.append(Markup(charts.fragment(
        charts.stacked_daily(channel_sessions_by_day(con, filters), "channel", "Sessions per day by channel",
                             charts.CHANNEL_COLOURS),
        "chart-channel-mix", chart_marks(con, filters),
    )))

    per_platform = engagement[engagement["channel"] == "social"].sort_values("sessions", ascending=False)
    if not per_platform.empty:
        social.has_data = True
        social.tables.append(Table(
            "Social sessions by platform",
            ["platform", "sessions", "bounce rate", "avg. duration", "pages / session"],
            [
                [r["platform"] or "unknown", num(r["sessions"]), f"{r['bounce_rate']:.1%}",
                 f"{r['avg_duration_s']:,.0f} s", f"{r['pages_per_session']:.2f}"]
                for r in per_platform.to_dict("records")
            ],
        ))
        social.charts.append(Markup(charts.fragment(
            charts.stacked_daily(social_sessions_by_day(con, filters), "platform", "Social referral sessions per day",
                                 charts.PLATFORM_COLOURS),
            "chart-social-sessions", chart_marks(con, filters),
        )))
        social.charts.append(Markup(charts.fragment(charts.engagement_bars(per_platform), "chart-engagement")))
        where, params = session_filter(filters)
        evidence = con.execute(
            f"SELECT coalesce(platform, 'unknown') AS platform, evidence, count(*) AS sessions FROM sessions "
            f"WHERE channel = 'social' AND {where} GROUP BY ALL",
            params,
        ).df()
        social.tables.append(pivot(evidence, "platform", "evidence", "sessions",
                                   "How social sessions were recognised (sessions by platform and evidence)"))
        rows = con.execute(
            "SELECT landing_page, platform, count(*) AS sessions, avg(CAST(is_bounce AS DOUBLE)) AS bounce "
            f"FROM sessions WHERE channel = 'social' AND {where} GROUP BY ALL ORDER BY sessions DESC, 1 LIMIT 15",
            params,
        ).fetchall()
        landing.has_data = True
        landing.tables.append(Table("Landing pages", ["landing page", "platform", "sessions", "bounce rate"],
                                    [[p, pl or "unknown", num(n), f"{b:.1%}"] for p, pl, n, b in rows]))
    return [channels, social, landing]
