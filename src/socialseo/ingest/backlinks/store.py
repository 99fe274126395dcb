"""Merging found links into the ``backlinks`` inventory: one code path for pages, exports, WARC and Parquet.

Every reader hands over a table of raw links (``RAW_COLUMNS``); this module classifies them and merges them:

- the target is unwrapped from redirect wrappers (l.facebook.com/l.php?u= ...) and normalised with
  :func:`~socialseo.classify.normalize_url`; the target page is its page key;
- the source platform comes from the same attribution data as visits (:func:`~socialseo.classify.classify_referrer`);
- a link is identified by (source_url, target_url): seeing it again widens first/last seen, never adds a row;
- when a source is *re-checked* (pages, WARC) and no longer carries a link it had, that link is marked lost.

Classification runs in Python over *distinct* hosts and URLs only; the per-link work is DuckDB SQL.
"""

from __future__ import annotations

from collections.abc import Iterable

import duckdb
import pandas as pd

from socialseo.classify import classify_referrer, normalize_url, page_key, registered_domain
from socialseo.classify.hosts import site_host_set
from socialseo.classify.links import host_of
from socialseo.classify.wrappers import unwrap_url

RAW_COLUMNS = ("source_url", "raw_target", "anchor", "rel", "first_seen", "last_seen", "link_tag", "lost")
UNFOLLOWED_SQL = "list_has_any(string_split(coalesce(rel, ''), ' '), ['nofollow', 'ugc', 'sponsored'])"


def source_facts(urls: Iterable[str]) -> pd.DataFrame:
    """source_url -> source_platform, source_domain (distinct URLs in, one row each)."""
    rows = []
    for url in set(urls):
        host = host_of(url.strip())  # a link found in a page may keep the spaces around its href
        platform = None
        if host is not None:
            found = classify_referrer(url)
            platform = found.platform if found.channel == "social" else None
        rows.append((url, platform, registered_domain(host) or host if host else None))
    return pd.DataFrame(rows, columns=["source_url", "source_platform", "source_domain"]).astype(object)


def target_facts(urls: Iterable[str]) -> pd.DataFrame:
    """raw_target -> target_url (unwrapped, normalised), target_page, target_host."""
    rows = []
    for raw in set(urls):
        real = unwrap_url(raw)
        try:
            target = normalize_url(real)
        except ValueError:
            target = real
        rows.append((raw, target, page_key(target), host_of(target)))
    return pd.DataFrame(rows, columns=["raw_target", "target_url", "target_page", "target_host"]).astype(object)


def merge_links(
    con: duckdb.DuckDBPyConnection,
    raw: pd.DataFrame,
    *,
    found_by: str,
    import_id: int,
    site_hosts: Iterable[str] | None,
    checked_sources: Iterable[str] = (),
    source_tool: str | None = None,
    social_only: bool = False,
) -> int:
    """Merge ``raw`` (``RAW_COLUMNS``) into ``backlinks``; returns the number of links new or seen again.

    ``site_hosts``: keep only links whose target is on the site (None keeps every target, as exports are already
    about the site). ``social_only``: keep only links from social platforms. ``checked_sources``: source URLs read
    in full now, whose missing links become lost.
    """
    frame = raw.reindex(columns=list(RAW_COLUMNS)).astype(object)
    frame = frame[frame["source_url"].notna() & frame["raw_target"].notna()]
    sources = source_facts(frame["source_url"].astype(str))
    targets = target_facts(frame["raw_target"].astype(str))
    hosts = sorted(site_host_set(site_hosts)) if site_hosts is not None else None
    con.register("_bl_raw", frame)
    con.register("_bl_src", sources)
    con.register("_bl_tgt", targets)
    con.register("_bl_hosts", pd.DataFrame({"host": hosts or []}, dtype=object))
    try:
        con.execute(
            """
            CREATE OR REPLACE TEMP TABLE _bl_new AS
            SELECT r.source_url, any_value(s.source_platform) AS source_platform,
                   any_value(s.source_domain) AS source_domain, t.target_url, any_value(t.target_page) AS target_page,
                   any_value(r.raw_target) AS raw_target, any_value(r.anchor) AS anchor,
                   any_value(r.rel) AS rel, any_value(r.link_tag) AS link_tag,
                   min(TRY_CAST(r.first_seen AS TIMESTAMP)) AS first_seen,
                   max(TRY_CAST(r.last_seen AS TIMESTAMP)) AS last_seen,
                   coalesce(bool_or(TRY_CAST(r.lost AS BOOLEAN)), false) AS lost
            FROM _bl_raw r JOIN _bl_src s USING (source_url) JOIN _bl_tgt t USING (raw_target)
            WHERE (? OR t.target_host IN (SELECT host FROM _bl_hosts))
              AND (NOT ? OR s.source_platform IS NOT NULL)
              AND coalesce(t.target_host, '') <> lower(regexp_extract(r.source_url, '^[a-zA-Z]+://([^/?#:@]*)', 1))
            GROUP BY r.source_url, t.target_url
            """,
            [hosts is None, social_only],
        )
        con.execute(
            """
            UPDATE backlinks b SET
                first_seen = least(b.first_seen, n.first_seen), last_seen = greatest(b.last_seen, n.last_seen),
                anchor = coalesce(n.anchor, b.anchor), rel = coalesce(n.rel, b.rel),
                is_followed = NOT list_has_any(string_split(coalesce(n.rel, b.rel, ''), ' '),
                                               ['nofollow', 'ugc', 'sponsored']),
                lost = n.lost, import_id = ?
            FROM _bl_new n WHERE b.source_url = n.source_url AND b.target_url = n.target_url
            """,
            [import_id],
        )
        con.execute(
            f"""
            INSERT INTO backlinks (source_url, source_platform, source_domain, target_url, target_page, anchor, rel,
                                   is_followed, found_by, first_seen, last_seen, lost, import_id, raw_target,
                                   link_tag, source_tool)
            SELECT n.source_url, n.source_platform, n.source_domain, n.target_url, n.target_page, n.anchor, n.rel,
                   NOT {UNFOLLOWED_SQL.replace("rel", "n.rel")}, ?, n.first_seen, n.last_seen, n.lost, ?,
                   n.raw_target, n.link_tag, ?
            FROM _bl_new n ANTI JOIN backlinks b ON b.source_url = n.source_url AND b.target_url = n.target_url
            """,
            [found_by, import_id, source_tool],
        )
        checked = pd.DataFrame({"source_url": list(dict.fromkeys(checked_sources))}, dtype=object)
        if len(checked):
            con.register("_bl_checked", checked)
            con.execute(
                """
                UPDATE backlinks b SET lost = true
                WHERE b.source_url IN (SELECT source_url FROM _bl_checked)
                  AND NOT EXISTS (SELECT 1 FROM _bl_new n
                                  WHERE n.source_url = b.source_url AND n.target_url = b.target_url)
                """
            )
            con.unregister("_bl_checked")
        return int(con.execute("SELECT count(*) FROM _bl_new").fetchall()[0][0])
    finally:
        for name in ("_bl_raw", "_bl_src", "_bl_tgt", "_bl_hosts"):
            con.unregister(name)
        con.execute("DROP TABLE IF EXISTS _bl_new")
