"""Storing discovered posts: each link to the site becomes a social backlink, with the post's engagement beside it.

The backlinks go through :func:`~socialseo.ingest.backlinks.store.merge_links` like every other source, so the
report's "Social backlinks" section, the timeline and PageRank read them with no special case; ``found_by`` is
``discover`` and ``source_tool`` the network. The post itself (author, time, likes, reposts, replies, score) goes to
``discovered_posts``, updated when a later discovery sees new counts. Posts linking elsewhere are counted, not kept.
"""

from __future__ import annotations

import json
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd

from socialseo.classify.hosts import site_host_set
from socialseo.ingest.backlinks.store import merge_links, target_facts
from socialseo.ingest.networks.posts import DiscoveredPost, Malformed
from socialseo.store.warehouse import ImportContext, ImportResult, Warehouse, mark_stale

KIND = "discover"


def store_posts(
    warehouse: Warehouse, platform: str, posts: list[DiscoveredPost], bad: list[Malformed], site_hosts: list[str],
    source: str,
) -> ImportResult:
    """Merge one network's answers into ``backlinks`` and ``discovered_posts``; malformed items are quarantined.

    The answers are recorded in the import ledger by their content, so the same answers twice are one import.
    """
    now = datetime.now(UTC).replace(tzinfo=None)
    rows = _linking_rows(posts, site_hosts)
    payload = json.dumps({"platform": platform, "posts": [p.record() for p in posts],
                          "bad": [b.raw for b in bad]}, sort_keys=True, default=str)
    with tempfile.TemporaryDirectory() as tmp:
        saved = Path(tmp) / f"{platform}.json"
        saved.write_text(payload, encoding="utf-8")

        def load(ctx: ImportContext) -> None:
            ctx.result.rows_read = len(posts) + len(bad)
            for item in bad:
                ctx.con.execute(
                    "INSERT INTO quarantine (import_id, source_file, line_no, raw, reason) VALUES (?, ?, ?, ?, ?)",
                    [ctx.import_id, item.source, item.index + 1, item.raw, item.reason],
                )
            ctx.result.rows_quarantined = len(bad)
            if not rows.empty:
                raw = pd.DataFrame({"source_url": rows["post_url"], "raw_target": rows["raw_target"],
                                    "anchor": rows["text"].str.slice(0, 200), "rel": "ugc",
                                    "first_seen": rows["published_at"].fillna(now),
                                    "last_seen": now, "link_tag": "post", "lost": False})
                merge_links(ctx.con, raw, found_by=KIND, import_id=ctx.import_id, site_hosts=site_hosts,
                            source_tool=platform)
                _upsert_posts(ctx.con, rows, now, ctx.import_id)
                # Instances and test stand-ins are not in the platform list: the network itself says the platform.
                ctx.con.execute(
                    "UPDATE backlinks SET source_platform = ? WHERE found_by = ? AND source_tool = ? "
                    "AND source_platform IS NULL", [platform, KIND, platform],
                )
            mark_stale(ctx.con, ("page_daily",), ctx.import_id)
            linking = rows["post_id"].nunique() if not rows.empty else 0
            ctx.result.rows_loaded = len(rows)
            ctx.result.notes.append(
                f"{linking:,} of {len(posts):,} posts link to the site ({len(rows):,} link(s)); "
                f"{len(posts) - linking:,} linked elsewhere (not kept)"
            )

        [result] = warehouse.import_files(KIND, [saved], load, options={"platform": platform, "source": source},
                                          names=lambda _path: source)
    if result.skipped:
        result.notes = ["the network answered exactly as last time; nothing changed"]
    return result


def _linking_rows(posts: list[DiscoveredPost], site_hosts: list[str]) -> pd.DataFrame:
    """One row per (post, link to the site)."""
    hosts = site_host_set(site_hosts)
    pairs = [(p, link) for p in posts for link in p.links]
    columns = ["platform", "post_id", "post_url", "author", "published_at", "text", "likes", "reposts", "replies",
               "score", "raw_target", "target_url", "target_page"]
    if not pairs:
        return pd.DataFrame(columns=columns)
    facts = target_facts(link for _, link in pairs).set_index("raw_target")
    rows = []
    for post, link in pairs:
        fact = facts.loc[link]
        if fact["target_host"] not in hosts:
            continue
        rows.append([post.platform, post.post_id, post.post_url, post.author, post.published_at, post.text or "",
                     post.likes, post.reposts, post.replies, post.score, link, fact["target_url"],
                     fact["target_page"]])
    frame = pd.DataFrame(rows, columns=columns).astype(object)
    return frame.drop_duplicates(["platform", "post_id", "target_url"])


def _upsert_posts(con: duckdb.DuckDBPyConnection, rows: pd.DataFrame, now: datetime, import_id: int) -> None:
    frame = rows.drop(columns=["raw_target"]).assign(seen=now, import_id=import_id)
    con.register("_discovered", frame)
    try:
        con.execute(
            """
            INSERT INTO discovered_posts (platform, post_id, post_url, target_url, target_page, author, published_at,
                                          text, likes, reposts, replies, score, first_seen, last_seen, import_id)
            SELECT platform, post_id, post_url, target_url, target_page, author, TRY_CAST(published_at AS TIMESTAMP),
                   text, TRY_CAST(likes AS BIGINT), TRY_CAST(reposts AS BIGINT), TRY_CAST(replies AS BIGINT),
                   TRY_CAST(score AS BIGINT), seen, seen, import_id
            FROM _discovered
            ON CONFLICT (platform, post_id, target_url) DO UPDATE SET
                likes = excluded.likes, reposts = excluded.reposts, replies = excluded.replies,
                score = excluded.score, last_seen = excluded.last_seen, import_id = excluded.import_id
            """
        )
    finally:
        con.unregister("_discovered")
