"""The site audit: every page rule over one crawl's pages, as column operations on a table of pages.

The page table is built by one query (Open Graph and Twitter values pulled out of the JSON columns by DuckDB);
each rule is then a boolean mask over it, so the audit costs the same per page whether there are 50 pages or
50,000. Findings are written to ``audit_findings`` under a new audit id and returned as a DataFrame.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import duckdb
import pandas as pd

from socialseo.analysis.audit.rules import (
    FINDING_COLUMNS,
    AuditConfig,
    finding,
    rules,
    store_findings,
    thresholds,
)
from socialseo.analysis.audit.social import profile_key, profile_links, same_as
from socialseo.classify import normalize_url
from socialseo.crawl.robots import DISALLOWED
from socialseo.crawl.widgets import share_link_platform
from socialseo.errors import NotEnoughDataError

_PAGES_SQL = """
SELECT p.url, p.final_url, p.canonical, p.title, p.meta_description, p.depth, p.jsonld::VARCHAR AS jsonld,
       p.share_widgets,
       p.opengraph->>'$."og:title"[0]' AS og_title, p.opengraph->>'$."og:description"[0]' AS og_description,
       p.opengraph->>'$."og:image"[0]' AS og_image, p.opengraph->>'$."og:url"[0]' AS og_url,
       p.opengraph->>'$."og:type"[0]' AS og_type, p.twitter->>'$."twitter:card"[0]' AS twitter_card,
       i.status AS image_status, i.content_type AS image_type, i.width AS image_width, i.height AS image_height,
       i.error AS image_error
FROM crawl_pages p
LEFT JOIN crawl_images i ON i.crawl_id = p.crawl_id
     AND i.url = CASE WHEN (p.opengraph->>'$."og:image"[0]') LIKE 'http%' THEN trim(p.opengraph->>'$."og:image"[0]') END
WHERE p.crawl_id = ? AND p.opengraph IS NOT NULL AND p.status BETWEEN 200 AND 299
ORDER BY p.depth, p.url
"""


def latest_crawl(con: duckdb.DuckDBPyConnection) -> str:
    """The newest crawl that stored any page (a refused or empty crawl is not worth auditing)."""
    row = con.execute(
        "SELECT crawl_id FROM crawls c WHERE EXISTS (SELECT 1 FROM crawl_pages p WHERE p.crawl_id = c.crawl_id) "
        "ORDER BY started_at DESC LIMIT 1"
    ).fetchone()
    if row is None:
        raise NotEnoughDataError("no crawl in the warehouse: run `socialseo crawl START_URL` first")
    return str(row[0])


def page_table(con: duckdb.DuckDBPyConnection, crawl_id: str) -> pd.DataFrame:
    """One row per HTML page of the crawl, with the fields the rules read and the share links found on it."""
    pages = con.execute(_PAGES_SQL, [crawl_id]).df()
    links = con.execute(
        "SELECT DISTINCT page_url, href FROM page_links WHERE crawl_id = ? AND NOT internal", [crawl_id]
    ).df()
    # Only the distinct external hrefs go through Python, and each once: a site has few of them.
    platforms = {h: share_link_platform(h) for h in links["href"].unique()}
    links["share"] = links["href"].map(platforms)
    shares = links.dropna(subset=["share"]).groupby("page_url")["share"].agg(lambda s: sorted(set(s)))
    pages["share_links"] = pages["final_url"].map(shares)
    return pages


def _blank(series: pd.Series) -> pd.Series:
    return series.isna() | (series.astype("string").str.strip() == "")


def _length_outside(series: pd.Series, low: int, high: int) -> pd.Series:
    lengths = series.astype("string").str.len()
    return ~_blank(series) & ((lengths < low) | (lengths > high))


def _is_content(pages: pd.DataFrame, limits: dict[str, Any]) -> pd.Series:
    og_types = pages["og_type"].astype("string").str.lower().isin([t.lower() for t in limits["content_og_types"]])
    type_pattern = r'"@type"\s*:\s*\[?\s*"(?:' + "|".join(map(re.escape, limits["content_jsonld_types"])) + ')"'
    jsonld_types = pages["jsonld"].astype("string").str.contains(type_pattern, regex=True, na=False)
    paths = pages["final_url"].astype("string").str.contains(limits["content_path"], regex=True, na=False)
    return og_types | jsonld_types | paths


def _page_masks(pages: pd.DataFrame) -> dict[str, tuple[pd.Series, Callable[[Any], str]]]:
    """Rule id -> (mask of affected pages, message for one affected row)."""
    lim = thresholds()
    # An image its host's robots.txt kept us from probing is unknown, not unreachable.
    image_known = (pages["image_status"].notna() | pages["image_error"].notna()) & (
        pages["image_error"].astype("string").fillna("") != DISALLOWED)
    absolute = pages["og_image"].astype("string").str.strip().str.match(r"https?://", na=False)
    width, height = pages["image_width"], pages["image_height"]
    canonical_key = pages["canonical"].map(lambda u: normalize_url(u) if isinstance(u, str) else None)
    og_url_key = pages["og_url"].map(lambda u: normalize_url(u) if isinstance(u, str) and u.strip() else None)
    has_share = pages["share_links"].notna() | (pages["share_widgets"].map(len) > 0)
    cards = set(lim["twitter_cards"])
    return {
        "og-title-missing": (_blank(pages["og_title"]), lambda r: "no og:title"),
        "og-description-missing": (_blank(pages["og_description"]), lambda r: "no og:description"),
        "og-image-missing": (_blank(pages["og_image"]), lambda r: "no og:image"),
        "og-url-missing": (_blank(pages["og_url"]), lambda r: "no og:url"),
        "og-type-missing": (_blank(pages["og_type"]), lambda r: "no og:type"),
        "og-image-relative": (~_blank(pages["og_image"]) & ~absolute,
                              lambda r: f"og:image is relative: {r.og_image}"),
        "og-image-unreachable": (
            image_known & ((pages["image_status"].fillna(0) >= 400) | (pages["image_status"].isna())),
            lambda r: f"og:image {r.og_image} answered {r.image_error or r.image_status}"),
        "og-image-not-image": (
            image_known & (pages["image_status"].fillna(0).between(200, 399)) & width.isna(),
            lambda r: f"og:image {r.og_image} is {r.image_type or 'not a readable image'}"),
        "og-image-too-small": (
            width.notna() & ((width < lim["og_image_min_width"]) | (height < lim["og_image_min_height"])),
            lambda r: f"og:image is {int(r.image_width)}x{int(r.image_height)} px"),
        "og-url-not-canonical": (
            canonical_key.notna() & og_url_key.notna() & (canonical_key != og_url_key),
            lambda r: f"og:url {r.og_url} but canonical {r.canonical}"),
        "twitter-card-missing": (_blank(pages["twitter_card"]), lambda r: "no twitter:card"),
        "twitter-card-invalid": (~_blank(pages["twitter_card"]) & ~pages["twitter_card"].isin(cards),
                                 lambda r: f"twitter:card is {r.twitter_card!r}"),
        "title-missing": (_blank(pages["title"]), lambda r: "no <title>"),
        "title-length": (_length_outside(pages["title"], lim["title_min"], lim["title_max"]),
                         lambda r: f"title is {len(r.title)} characters"),
        "description-missing": (_blank(pages["meta_description"]), lambda r: "no meta description"),
        "description-length": (
            _length_outside(pages["meta_description"], lim["description_min"], lim["description_max"]),
            lambda r: f"meta description is {len(r.meta_description)} characters"),
        "share-buttons-missing": (_is_content(pages, lim) & ~has_share,
                                  lambda r: "content page without share links or a share widget"),
    }


def audit_pages(pages: pd.DataFrame, config: AuditConfig) -> list[dict[str, Any]]:
    """Findings of the page rules (one per affected URL) and of the duplicate og:title rule."""
    found: list[dict[str, Any]] = []
    for rule_id, (mask, message) in _page_masks(pages).items():
        if config.enabled(rule_id):
            affected = pages[mask.fillna(False)]
            rows: list[Any] = list(affected.itertuples())
            found.extend(finding(rule_id, str(row.final_url), message(row)) for row in rows)
    if config.enabled("og-title-duplicate"):
        titled = pages[~_blank(pages["og_title"])]
        counts = titled.groupby(titled["og_title"].str.strip())["final_url"].transform("count")
        duplicated = titled.assign(uses=counts)[counts > 1]
        for url, title, uses in zip(duplicated["final_url"], duplicated["og_title"], duplicated["uses"], strict=True):
            text = f"og:title {str(title).strip()!r} is used on {uses} pages"
            found.append(finding("og-title-duplicate", str(url), text))
    return found


def audit_site_profiles(con: duckdb.DuckDBPyConnection, crawl_id: str, pages: pd.DataFrame,
                        config: AuditConfig) -> list[dict[str, Any]]:
    """The site-wide rules: sameAs and links to the brand's profiles (the configured ones, or any found)."""
    home = pages["final_url"].iloc[0] if len(pages) else None
    declared: dict[str, str] = {}
    for text in pages["jsonld"].dropna():
        for url in same_as(json.loads(text)):
            key = profile_key(url)
            if key is not None:
                declared.setdefault(key, url)
    hrefs = [str(h) for (h,) in con.execute(
        "SELECT DISTINCT href FROM page_links WHERE crawl_id = ? AND NOT internal", [crawl_id]).fetchall()]
    linked = profile_links(hrefs)
    wanted = {k: p.url for p in config.profiles if p.url and (k := profile_key(p.url)) is not None}
    found: list[dict[str, Any]] = []
    if not declared and config.enabled("sameas-missing"):
        found.append(finding("sameas-missing", home, "no Organization/Person JSON-LD lists a social profile in sameAs"))
    missing_same_as = sorted(set(wanted) - set(declared))
    if declared and missing_same_as and config.enabled("sameas-incomplete"):
        found.append(finding("sameas-incomplete", home, "sameAs lacks " + ", ".join(wanted[k] for k in missing_same_as),
                             detail={"missing": [wanted[k] for k in missing_same_as]}))
    unlinked = sorted(set(wanted) - set(linked)) if wanted else ([] if linked else ["any"])
    if unlinked and config.enabled("social-links-missing"):
        text = ("no page links to any social profile" if unlinked == ["any"]
                else "no page links to " + ", ".join(wanted[k] for k in unlinked))
        found.append(finding("social-links-missing", home, text,
                             detail={"missing": [wanted.get(k, k) for k in unlinked]}))
    return found


def run_site_audit(con: duckdb.DuckDBPyConnection, config: AuditConfig, crawl_id: str | None = None) -> pd.DataFrame:
    """Audit one crawl (the latest by default), store the findings, return them (most severe first)."""
    crawl_id = crawl_id or latest_crawl(con)
    pages = page_table(con, crawl_id)
    if pages.empty:
        raise NotEnoughDataError(f"{crawl_id} has no HTML pages that answered 200; nothing to audit")
    rows = audit_pages(pages, config) + audit_site_profiles(con, crawl_id, pages, config)
    frame = pd.DataFrame(rows, columns=FINDING_COLUMNS)
    order = {rule_id: i for i, rule_id in enumerate(rules())}
    frame = frame.assign(_o=frame["rule_id"].map(order)).sort_values(["_o", "url"], kind="stable").drop(columns="_o")
    audit_id = f"site-{crawl_id}-{datetime.now(UTC):%Y%m%dT%H%M%S%f}"
    store_findings(con, frame, audit_id)
    return frame.reset_index(drop=True).assign(audit_id=audit_id)


def summarise(findings: pd.DataFrame) -> pd.DataFrame:
    """One row per rule: severity, pages affected, the first affected URLs."""
    if findings.empty:
        return pd.DataFrame(columns=["rule_id", "severity", "pages", "example_urls", "fix"])
    grouped = findings.groupby("rule_id", sort=False).agg(
        severity=("severity", "first"), pages=("url", "nunique"),
        example_urls=("url", lambda s: ", ".join(map(str, list(dict.fromkeys(s))[:3]))), fix=("fix", "first"))
    return grouped.reset_index()
