"""The 'social backlinks' and 'brand mentions' sections: what links from social platforms the site has."""

from __future__ import annotations

import duckdb

from socialseo.analysis.backlinks import (
    backlink_summary,
    backlinks_over_time,
    link_opportunities,
    mention_summary,
    target_pages,
    top_anchors,
)
from socialseo.report.sections.base import Section, Table, num, pct, scalar


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
    over_time = backlinks_over_time(con, "month")
    if not over_time.empty:
        section.tables.append(Table(
            "New and lost per month", ["month", "platform", "new", "lost"],
            [[str(r.period)[:7], r.platform, num(r.new), num(r.lost)] for r in over_time.tail(60).itertuples()],
        ))
    anchors = top_anchors(con, 5)
    section.tables.append(Table("Top anchors", ["platform", "anchor", "links"],
                                [[r.platform, r.anchor, num(r.links)] for r in anchors.itertuples()]))
    targets = target_pages(con, 20)
    section.tables.append(Table(
        "Target pages: social backlinks next to social sessions",
        ["page", "social backlinks", "followed", "platforms", "social sessions"],
        [[r.page, num(r.social_backlinks), num(r.followed), r.platforms, num(r.social_sessions)]
         for r in targets.itertuples()],
    ))
    return section


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
