"""'Posts linking to the site on open networks': what socialseo discover found, with public engagement."""

from __future__ import annotations

import duckdb

from socialseo.report.sections.base import Section, Table, num
from socialseo.store.warehouse import scalar


def sections(con: duckdb.DuckDBPyConnection) -> list[Section]:
    total = scalar(con, "SELECT count(DISTINCT (platform, post_id)) FROM discovered_posts") or 0
    section = Section(
        "discovered_links", "Posts linking to the site on open networks",
        "public posts found by socialseo discover (Bluesky, Mastodon, Reddit, Hacker News)", bool(total),
        missing="No posts discovered: run socialseo discover --site HOST.",
    )
    if not total:
        return [section]
    per = con.execute(
        "SELECT platform, count(DISTINCT post_id), count(DISTINCT target_page), sum(likes), sum(reposts), "
        "sum(replies), sum(score) FROM discovered_posts GROUP BY platform ORDER BY 2 DESC"
    ).fetchall()
    section.summary.append(f"{total:,} public posts on {len(per)} open network(s) link to the site.")
    section.tables.append(Table("Per network", ["network", "posts", "pages", "likes", "reposts", "replies", "score"],
                                [[p, *(num(v) for v in rest)] for p, *rest in per]))
    top = con.execute(
        "SELECT platform, post_url, target_page, author, strftime(published_at, '%Y-%m-%d'), "
        "coalesce(likes, 0) + coalesce(reposts, 0) + coalesce(replies, 0) + coalesce(score, 0) AS engagement "
        "FROM discovered_posts ORDER BY engagement DESC, published_at DESC LIMIT 50"
    ).fetchall()
    section.tables.append(Table("Most engaged posts", ["network", "post", "page", "author", "published",
                                                       "engagement"],
                                [[*r[:5], num(r[5])] for r in top]))
    return [section]
