"""The 'social backlinks' and 'brand mentions' sections: what links from social platforms the site has."""

from __future__ import annotations

import duckdb
import pandas as pd
from markupsafe import Markup

from socialseo.analysis.backlinks import (
    backlink_summary,
    backlinks_over_time,
    link_opportunities,
    mention_summary,
    target_pages,
    top_anchors,
)
from socialseo.report import charts
from socialseo.report.marks import chart_marks
from socialseo.report.sections.base import Section, Table, num, pct
from socialseo.store.warehouse import scalar


def sections(con: duckdb.DuckDBPyConnection) -> list[Section]:
    return [_backlinks(con), _mentions(con)]


def _backlinks(con: duckdb.DuckDBPyConnection) -> Section:
    total = scalar(con, "SELECT count(*) FROM backlinks") or 0
    section = Section(
        "backlinks", "Social backlinks", "the backlink inventory (exports, pages read, web archives)", bool(total),
        missing="No backlinks imported: run socialseo ingest backlinks, ingest pages or ingest warc.",
    )
    if not total:
        return section
    summary = backlink_summary(con)
    social = summary[summary["platform"] != "(other sites)"]
    social_links = int(social["backlinks"].sum())
    followed = float((social["followed_share"] * social["backlinks"]).sum() / social_links) if social_links else 0.0
    section.summary.append(
        f"{social_links:,} of {total:,} backlinks come from {len(social)} social platforms; "
        f"{pct(followed)} of the social ones are followed (no nofollow, ugc or sponsored)."
    )
    section.tables.append(Table(
        "Per platform", ["platform", "backlinks", "referring pages", "domains", "followed", "nofollow", "ugc",
                         "sponsored", "lost"],
        [[r.platform, num(r.backlinks), num(r.referring_pages), num(r.referring_domains), pct(r.followed_share),
          pct(r.nofollow_share), pct(r.ugc_share), pct(r.sponsored_share), num(r.lost)]
         for r in summary.itertuples()],
    ))
    section.charts.append(Markup(charts.fragment(charts.backlinks_by_rel(summary), "chart-backlinks-rel")))
    over_time = backlinks_over_time(con, "month")
    if not over_time.empty:
        section.charts.append(Markup(charts.fragment(charts.backlinks_new_lost(over_time), "chart-backlinks-monthly",
                                                              chart_marks(con))))
        section.tables.append(_new_and_lost(over_time))
    anchors = top_anchors(con, 5)
    if not anchors.empty:
        # One row per platform: its top anchors read as a phrase list, not five rows repeating the platform.
        per_platform = anchors.groupby("platform", sort=False).agg(
            links=("links", "sum"),
            anchors=("anchor", lambda a: " · ".join(
                f"{text} ({num(n)})" for text, n in zip(a, anchors.loc[a.index, "links"], strict=True))),
        ).sort_values("links", ascending=False)
        section.tables.append(Table("Top anchors per platform (links in brackets)", ["platform", "top anchors"],
                                    [[platform, r.anchors] for platform, r in per_platform.iterrows()]))
    targets = target_pages(con, 20)
    section.tables.append(Table(
        "Target pages: social backlinks next to social sessions",
        ["page", "social backlinks", "followed", "platforms", "social sessions"],
        [[r.page, num(r.social_backlinks), num(r.followed), r.platforms, num(r.social_sessions)]
         for r in targets.itertuples()],
    ))
    return section


def _new_and_lost(over_time: pd.DataFrame) -> Table:
    """Month × platform, each cell 'new / lost', newest month first: the chart's numbers, one row per month."""
    months = over_time.assign(month=pd.to_datetime(over_time["period"]).dt.strftime("%Y-%m"),
                              cell=over_time["new"].map(num) + " / " + over_time["lost"].map(num))
    platforms = list(months.groupby("platform")["new"].sum().sort_values(ascending=False).index)
    matrix = months.pivot(index="month", columns="platform", values="cell").sort_index(ascending=False)
    totals = months.groupby("month")[["new", "lost"]].sum()
    return Table(
        "New / lost backlinks per month", ["month", *platforms, "all platforms"],
        [[month, *[cell if isinstance(cell, str) else "–" for cell in matrix.loc[month, platforms]],
          f"{num(totals.loc[month, 'new'])} / {num(totals.loc[month, 'lost'])}"] for month in matrix.index],
    )


def _mentions(con: duckdb.DuckDBPyConnection) -> Section:
    terms = scalar(con, "SELECT count(*) FROM brand_terms") or 0
    total = scalar(con, "SELECT count(*) FROM mentions") or 0
    section = Section(
        "mentions", "Brand mentions", "brand names and handles found in imported posts, pages and web archives",
        bool(total),
        missing=("No brand names set: run socialseo brand set --name ... --handle ..." if not terms
                 else "No text imported so far mentions the brand."),
    )
    if not total:
        return section
    summary = mention_summary(con)
    opportunities = link_opportunities(con)
    section.summary.append(
        f"{int(summary['unlinked'].sum()):,} sources mention the brand without linking; "
        f"{len(opportunities):,} of them are pages whose owners could be asked for a link."
    )
    section.tables.append(Table("Mentions per platform", ["platform", "source", "linked", "unlinked"],
                                [[r.platform, r.source_kind, num(r.linked), num(r.unlinked)]
                                 for r in summary.itertuples()]))
    if not opportunities.empty:
        section.tables.append(Table("Link opportunities", ["page", "terms", "snippet"],
                                    [[r.source_url, r.terms, r.snippet] for r in opportunities.head(50).itertuples()]))
    return section
