"""Import social post exports into ``social_posts`` and ``social_post_metrics``.

Exports of the same account overlap (last month's export and this month's both hold the posts of the weeks in
between), so a post is keyed by (platform, post id) and updated in place, and its metrics by (platform, post
id, metric day): a newer export's numbers replace the older ones instead of being added to them.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Sequence
from pathlib import Path

import duckdb
import pandas as pd

from socialseo.classify.links import find_post_link, host_of, is_short_link, urls_in_text
from socialseo.classify.urls import normalize_url
from socialseo.errors import InputFileError
from socialseo.ingest._files import check_readable, read_whole
from socialseo.ingest._sheets import decode
from socialseo.ingest.posts import bluesky_car
from socialseo.ingest.posts.layouts import (
    COUNT_FIELDS,
    ExportMapping,
    ParsedExport,
    generic_mapping,
    parse_export,
    platform_candidates,
)
from socialseo.ingest.posts.site_hosts import known_site_hosts, site_set
from socialseo.store.frames import register_frame
from socialseo.store.warehouse import ImportContext, ImportResult, Warehouse

_POST_COLUMNS = (
    "platform", "account", "post_id", "post_url", "published_at", "text", "linked_url", "linked_page", "short_url",
    "link_status", "unlinked_reason",
)
_LINK_COLUMNS = ("linked_url", "linked_page", "short_url", "link_status", "unlinked_reason")


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
    sheet: str | None = None,
    layout: str | None = None,
    site: Sequence[str] = (),
    on_file_done: Callable[[ImportResult], None] | None = None,
) -> list[ImportResult]:
    """Import post exports; returns one result per file. Files imported before (same bytes) are skipped.

    ``platform`` or ``layout`` (a layout id of ``data/post_exports.yaml``) forces the layout instead of detecting
    it; ``sheet`` reads that sheet of a workbook alone; ``site`` adds the site's hosts to those already known.
    """
    if column_map:
        if platform == "auto":
            raise InputFileError("--map needs --platform NAME: which platform the posts are from")
        candidates: list[ExportMapping] = [generic_mapping(list(column_map), platform, timezone or "UTC")]
    elif platform == bluesky_car.MAPPING.platform and layout is None:
        candidates = []  # Bluesky's export is its repository: a CAR file, never a spreadsheet
    else:
        candidates = platform_candidates(platform, layout)
    forced = platform != "auto" or layout is not None
    for host in site:
        warehouse.add_site(host)
    if link_map:
        _store_links(warehouse, link_map, "user_map")
    for path in paths:
        check_readable(path)

    def prepare(path: Path) -> ParsedExport:
        if bluesky_car.is_car(path):
            if platform not in ("auto", bluesky_car.MAPPING.platform) or layout or column_map:
                raise InputFileError(f"{path}: a Bluesky repository export (CAR file), not a {platform} export; "
                                     "import it with --platform bluesky (or auto)")
            return bluesky_car.read_car(path)
        if not candidates:
            raise InputFileError(f"{path}: --platform bluesky reads an account's repository export (the .car file "
                                 "of Settings, Export my data, or com.atproto.sync.getRepo); this file is not one")
        return parse_export(path, candidates, timezone=timezone, sheet=sheet, forced=forced)

    def load(ctx: ImportContext) -> None:
        parsed: ParsedExport = ctx.prepared
        ctx.options.update({"platform": parsed.mapping.platform, "mapping": parsed.mapping.key})
        ctx.result.notes.append(f"read as {parsed.mapping.name}")
        ctx.result.notes.extend(parsed.notes)
        _load(ctx, parsed.frame)
        ctx.quarantine_rows(parsed.bad_rows)
        ctx.result.rows_read = parsed.rows_read
        if parsed.frame.empty:
            ctx.result.notes.append(
                "no post stored: every row was quarantined (socialseo sql \"select line_no, reason from "
                "quarantine\" says why)" if parsed.bad_rows else "no post rows below the header"
            )
        if not parsed.mapping.has_text:
            ctx.result.notes.append("this layout carries no post text or link: its posts link to no page")
        if parsed.ignored_columns:
            shown = ", ".join(parsed.ignored_columns[:8])
            more = len(parsed.ignored_columns) - 8
            ctx.result.notes.append(f"columns not used: {shown}" + (f" and {more} more" if more > 0 else ""))

    results = warehouse.import_files("posts", paths, load, prepare=prepare,
                                     options={"timezone": timezone, "sheet": sheet}, on_file_done=on_file_done)
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
    """Find each post's page from all its text-bearing cells, with the site's hosts and every short link known."""
    site = site_set(ctx.con)
    cells = frame["link_cells"].map(lambda v: v if isinstance(v, tuple) else ())
    shorts = {u for row in cells for cell in row for u in urls_in_text(cell, site) if is_short_link(u)}
    _learn_from_logs(ctx.con, shorts)
    known = dict(ctx.con.execute("SELECT short_url, expanded_url FROM short_links").fetchall())
    resolved = [
        find_post_link(row, site=site, known=known, post_url=_str(url))
        for row, url in zip(cells, frame["post_url"], strict=True)
    ]
    learned = {
        r.short_url: r.url for r in resolved if r.status == "expanded" and r.short_url and r.short_url not in known
    }
    if learned:
        register_frame(ctx.con, "_links_in", pd.DataFrame(
            {"short_url": list(learned), "expanded_url": list(learned.values()), "source": "text"}))
        ctx.con.execute("INSERT INTO short_links SELECT * FROM _links_in ON CONFLICT DO NOTHING")
        ctx.con.unregister("_links_in")
    linked = [r.status in ("direct", "expanded") for r in resolved]
    canonical = known_site_hosts(ctx.con)[:1]
    pages = [_on_host(r.url, canonical[0], site) if ok and r.url and canonical else (r.url if ok else None)
             for r, ok in zip(resolved, linked, strict=True)]
    return frame.assign(
        linked_url=frame["linked_url"].where(frame["linked_url"].notna(), [r.short_url or r.url for r in resolved]),
        linked_page=pd.Series(pages, index=frame.index, dtype=object),
        short_url=pd.Series([r.short_url for r in resolved], index=frame.index, dtype=object),
        link_status=pd.Series([r.status for r in resolved], index=frame.index, dtype=object),
        unlinked_reason=pd.Series([r.reason for r in resolved], index=frame.index, dtype=object),
    )


def _on_host(url: str, host: str, site: frozenset[str]) -> str:
    """A page of the site on its canonical host: example.com/a and www.example.com/a are one page."""
    scheme, _, rest = url.partition("://")
    current, slash, path = rest.partition("/")
    return f"{scheme}://{host}{slash}{path}" if current in site else url


def _learn_from_logs(con: duckdb.DuckDBPyConnection, shorts: set[str]) -> int:
    """Store what the access log says each short link expands to: the page its referred hits landed on.

    A click on ``https://t.co/abc`` arrives with that referrer; the page it landed on is the link's target. When
    hits from one short link landed on several pages, the most visited is taken.
    """
    if not shorts:
        return 0
    hosts = known_site_hosts(con)
    if not hosts:
        return 0
    wanted = {_short_key(u): u for u in shorts}
    rows = con.execute(
        "SELECT referrer, page, count(*) AS n FROM hits WHERE page IS NOT NULL AND referrer_host IN "
        "(SELECT unnest(?)) GROUP BY ALL ORDER BY n DESC, page",
        [sorted({host_of(u) or "" for u in shorts})],
    ).fetchall()
    found: dict[str, str] = {}
    for referrer, page, _ in rows:
        short = wanted.get(_short_key(str(referrer)))
        if short and short not in found:
            found[short] = f"https://{hosts[0]}{page}"
    if found:
        register_frame(con, "_links_in", pd.DataFrame(
            {"short_url": list(found), "expanded_url": list(found.values()), "source": "logs"}))
        con.execute(
            "INSERT INTO short_links SELECT * FROM _links_in ON CONFLICT (short_url) DO UPDATE SET "
            "expanded_url = excluded.expanded_url, source = excluded.source WHERE short_links.source <> 'user_map'"
        )
        con.unregister("_links_in")
    return len(found)


def _short_key(url: str) -> str:
    """A short link as compared with a referrer: no scheme, host lower-cased, no trailing slash; path case kept."""
    rest = url.split("://", 1)[-1]
    host, slash, path = rest.partition("/")
    return host.lower() + slash + path.rstrip("/")


def _str(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _load(ctx: ImportContext, frame: pd.DataFrame) -> None:
    if frame.empty:
        return
    frame = _resolve(ctx, frame)
    posts = frame.sort_values("line_no").drop_duplicates(["platform", "post_id"], keep="last")
    con = ctx.con
    register_frame(con, "_posts_in", posts[list(_POST_COLUMNS)])
    # The link columns move together, and only towards a page: an export without text (LinkedIn's top posts) must
    # not unlink a post that an export with text linked.
    better = "excluded.linked_page IS NOT NULL OR social_posts.linked_page IS NULL"
    updates = ", ".join(
        f"{c} = CASE WHEN {better} THEN excluded.{c} ELSE social_posts.{c} END" if c in _LINK_COLUMNS
        else f"{c} = coalesce(excluded.{c}, social_posts.{c})"
        for c in _POST_COLUMNS if c not in ("platform", "post_id")
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
    ctx.result.notes.append(_link_note(posts))


def _link_note(posts: pd.DataFrame) -> str:
    """``3 of 4 posts linked to a page; not linked: 1 link in bio`` and what to do about short links."""
    linked = int(posts["linked_page"].notna().sum())
    reasons = posts["unlinked_reason"].dropna().value_counts()
    text = f"{linked:,} of {len(posts):,} posts linked to a page"
    if len(reasons):
        text += "; not linked: " + ", ".join(f"{n:,} {reason}" for reason, n in reasons.items())
    if "short link not seen in logs" in reasons:
        text += " (import the access log, or give --links FILE with short,long pairs)"
    return text


def link_summary(con: duckdb.DuckDBPyConnection, import_ids: Sequence[int]) -> dict[str, object]:
    """Posts written by these imports: how many, how many link to a page, and why the others do not.

    >>> # {"posts": 8, "linked": 6, "unlinked": {"link in bio": 1, "no link": 1}}
    """
    ids = [int(i) for i in import_ids]
    if not ids:
        return {"posts": 0, "linked": 0, "unlinked": {}}
    rows = con.execute(
        "SELECT unlinked_reason, linked_page IS NOT NULL AS linked, count(*) FROM social_posts "
        "WHERE updated_import_id IN (SELECT unnest(?)) GROUP BY ALL ORDER BY 3 DESC, 1",
        [ids],
    ).fetchall()
    unlinked = {str(reason): int(n) for reason, linked, n in rows if not linked and reason is not None}
    return {
        "posts": sum(int(n) for _, _, n in rows),
        "linked": sum(int(n) for _, linked, n in rows if linked),
        "unlinked": unlinked,
    }


def resolve_short_links(warehouse: Warehouse) -> int:
    """Give posts whose short link became known (from the access log, a later export, text or the user's map)
    their page; returns how many posts were unresolved before."""
    con = warehouse.con
    before = con.execute("SELECT count(*) FROM social_posts WHERE link_status = 'unresolved'").fetchone()
    shorts = {str(r[0]) for r in con.execute(
        "SELECT DISTINCT short_url FROM social_posts WHERE link_status = 'unresolved' AND short_url IS NOT NULL"
    ).fetchall()}
    if not shorts:
        return 0
    with warehouse.transaction():
        _learn_from_logs(con, shorts)
        unresolved = con.execute(
            "SELECT p.short_url, s.expanded_url FROM social_posts p JOIN short_links s ON s.short_url = p.short_url "
            "WHERE p.link_status = 'unresolved'"
        ).fetchall()
        if unresolved:
            site = site_set(con)
            pages = {str(short): normalize_url(str(url)) for short, url in unresolved}
            frame = pd.DataFrame({"short_url": list(pages), "page": list(pages.values())})
            on_site = frame["page"].map(lambda u: not site or host_of(u) in site)
            frame = frame.assign(
                status=on_site.map({True: "expanded", False: "other"}),
                reason=on_site.map({True: None, False: "links to another site"}),
                page=frame["page"].where(on_site, None),
            )
            register_frame(con, "_resolved", frame)
            con.execute(
                "UPDATE social_posts SET linked_page = r.page, link_status = r.status, unlinked_reason = r.reason "
                "FROM _resolved r WHERE social_posts.short_url = r.short_url "
                "AND social_posts.link_status = 'unresolved'"
            )
            con.unregister("_resolved")
    return int(before[0]) if before else 0
