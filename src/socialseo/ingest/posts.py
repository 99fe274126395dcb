"""Import social post exports into ``social_posts`` and ``social_post_metrics``.

Exports of the same account overlap (last month's export and this month's both hold the posts of the weeks in
between), so a post is keyed by (platform, post id) and updated in place, and its metrics by (platform, post
id, metric day): a newer export's numbers replace the older ones instead of being added to them.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Sequence
from pathlib import Path

import pandas as pd

from socialseo.classify.links import resolve_link
from socialseo.classify.urls import normalize_url
from socialseo.errors import InputFileError
from socialseo.ingest.post_exports import (
    COUNT_FIELDS,
    ExportMapping,
    generic_mapping,
    parse_export,
    platform_candidates,
)
from socialseo.ingest.sheets import decode
from socialseo.ingest.sources import check_readable, read_whole
from socialseo.store.frames import register_frame
from socialseo.store.warehouse import ImportContext, ImportResult, Warehouse

_POST_COLUMNS = (
    "platform", "account", "post_id", "post_url", "published_at", "text", "linked_url", "linked_page", "short_url",
    "link_status",
)


def read_link_map(path: Path) -> dict[str, str]:
    """A user's ``short_url,expanded_url`` CSV (a header row is optional)."""
    rows = list(csv.reader(decode(read_whole(path), path).splitlines()))
    pairs = {r[0].strip(): r[1].strip() for r in rows if len(r) >= 2 and "://" in r[0] and "://" in r[1]}
    if not pairs:
        raise InputFileError(f"{path}: no short_url,expanded_url pairs found")
    return pairs


def import_posts(
    warehouse: Warehouse,
    paths: Sequence[Path],
    *,
    platform: str = "auto",
    column_map: Sequence[str] | None = None,
    timezone: str | None = None,
    link_map: dict[str, str] | None = None,
    on_file_done: Callable[[ImportResult], None] | None = None,
) -> list[ImportResult]:
    """Import post exports; returns one result per file. Files imported before (same bytes) are skipped."""
    if column_map:
        if platform == "auto":
            raise InputFileError("--map needs --platform NAME: which platform the posts are from")
        candidates: list[ExportMapping] = [generic_mapping(list(column_map), platform, timezone or "UTC")]
    else:
        candidates = platform_candidates(platform)
    if link_map:
        _store_links(warehouse, link_map, "user_map")
    results = []
    for path in paths:
        check_readable(path)
        parsed = parse_export(path, candidates, timezone=timezone)
        options = {"platform": parsed.mapping.platform, "mapping": parsed.mapping.key, "timezone": timezone}
        with warehouse.importing("posts", path, options) as ctx:
            if ctx is not None:
                _load(ctx, parsed.frame)
                ctx.quarantine_rows(parsed.bad_rows)
                ctx.result.rows_read = parsed.rows_read
                ctx.result.notes.append(f"read as {parsed.mapping.name}")
                if parsed.ignored_columns:
                    shown = ", ".join(parsed.ignored_columns[:8])
                    more = len(parsed.ignored_columns) - 8
                    ctx.result.notes.append(f"columns not used: {shown}" + (f" and {more} more" if more > 0 else ""))
        results.append(warehouse.last_import)
        if on_file_done:
            on_file_done(warehouse.last_import)
    resolve_short_links(warehouse)
    return results


def _store_links(warehouse: Warehouse, pairs: dict[str, str], source: str) -> None:
    if not pairs:
        return
    frame = pd.DataFrame({"short_url": list(pairs), "expanded_url": list(pairs.values()), "source": source})
    register_frame(warehouse.con, "_links_in", frame)
    warehouse.con.execute(
        "INSERT INTO short_links SELECT * FROM _links_in ON CONFLICT (short_url) DO UPDATE SET "
        "expanded_url = excluded.expanded_url, source = excluded.source"
    )
    warehouse.con.unregister("_links_in")


def _resolve(ctx: ImportContext, frame: pd.DataFrame) -> pd.DataFrame:
    """Resolve each distinct (linked URL, text) pair once."""
    known = dict(ctx.con.execute("SELECT short_url, expanded_url FROM short_links").fetchall())
    pairs = frame[["linked_url", "text"]].drop_duplicates()
    resolved = [
        resolve_link(_str(link), _str(text), known)
        for link, text in zip(pairs["linked_url"], pairs["text"], strict=True)
    ]
    pairs = pairs.assign(
        linked_page=pd.Series([r.url if r.status in ("direct", "expanded") else None for r in resolved],
                              index=pairs.index, dtype=object),
        short_url=pd.Series([r.short_url for r in resolved], index=pairs.index, dtype=object),
        link_status=pd.Series([r.status for r in resolved], index=pairs.index, dtype=object),
    )
    learned = {
        r.short_url: r.url for r in resolved if r.status == "expanded" and r.short_url and r.short_url not in known
    }
    if learned:
        register_frame(ctx.con, "_links_in", pd.DataFrame(
            {"short_url": list(learned), "expanded_url": list(learned.values()), "source": "text"}))
        ctx.con.execute("INSERT INTO short_links SELECT * FROM _links_in ON CONFLICT DO NOTHING")
        ctx.con.unregister("_links_in")
    merged = frame.merge(pairs, on=["linked_url", "text"], how="left")
    # A self post "links" to itself (Reddit's url column): that is no link to a page.
    own = merged["post_url"].map(lambda u: _normalised(u))
    itself = merged["linked_page"].notna() & (merged["linked_page"] == own)
    merged.loc[itself, ["linked_page", "link_status"]] = [None, "none"]
    return merged


def _normalised(url: object) -> str | None:
    try:
        return normalize_url(url) if isinstance(url, str) else None
    except ValueError:
        return None


def _str(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _load(ctx: ImportContext, frame: pd.DataFrame) -> None:
    if frame.empty:
        return
    frame = _resolve(ctx, frame)
    posts = frame.sort_values("line_no").drop_duplicates(["platform", "post_id"], keep="last")
    con = ctx.con
    register_frame(con, "_posts_in", posts[list(_POST_COLUMNS)])
    updates = ", ".join(
        f"{c} = coalesce(excluded.{c}, social_posts.{c})" for c in _POST_COLUMNS if c not in ("platform", "post_id")
    )
    con.execute(
        f"INSERT INTO social_posts ({', '.join(_POST_COLUMNS)}, import_id, updated_import_id) "
        f"SELECT {', '.join(_POST_COLUMNS)}, ?, ? FROM _posts_in "
        f"ON CONFLICT (platform, post_id) DO UPDATE SET {updates}, updated_import_id = excluded.updated_import_id",
        [ctx.import_id, ctx.import_id],
    )
    metrics = frame[["platform", "post_id", "metric_date", *COUNT_FIELDS]]
    register_frame(con, "_metrics_in", metrics)
    con.execute(
        "DELETE FROM social_post_metrics m USING _metrics_in n WHERE m.platform = n.platform "
        "AND m.post_id = n.post_id AND m.metric_date IS NOT DISTINCT FROM CAST(n.metric_date AS DATE)"
    )
    counts = ", ".join(COUNT_FIELDS)
    con.execute(
        f"INSERT INTO social_post_metrics (platform, post_id, metric_date, {counts}, import_id) "
        f"SELECT platform, post_id, CAST(metric_date AS DATE), {counts}, ? FROM _metrics_in",
        [ctx.import_id],
    )
    con.unregister("_posts_in")
    con.unregister("_metrics_in")
    ctx.result.rows_loaded = len(frame)
    unresolved = int((posts["link_status"] == "unresolved").sum())
    if unresolved:
        ctx.result.notes.append(
            f"{unresolved} short links could not be resolved offline (give --links FILE with short,expanded pairs)"
        )


def resolve_short_links(warehouse: Warehouse) -> int:
    """Give posts whose short link became known (from a later export, text or user map) their page."""
    before = warehouse.con.execute("SELECT count(*) FROM social_posts WHERE link_status = 'unresolved'").fetchone()
    unresolved = (
        warehouse.con.execute(
            "SELECT p.short_url, s.expanded_url FROM social_posts p JOIN short_links s ON s.short_url = p.short_url "
            "WHERE p.link_status = 'unresolved'"
        ).fetchall()
    )
    if not unresolved:
        return 0
    frame = pd.DataFrame(
        {"short_url": [r[0] for r in unresolved], "page": [normalize_url(str(r[1])) for r in unresolved]}
    ).drop_duplicates("short_url")
    register_frame(warehouse.con, "_resolved", frame)
    warehouse.con.execute(
        "UPDATE social_posts SET linked_page = r.page, link_status = 'expanded' FROM _resolved r "
        "WHERE social_posts.short_url = r.short_url AND social_posts.link_status = 'unresolved'"
    )
    warehouse.con.unregister("_resolved")
    return int(before[0]) if before else 0
