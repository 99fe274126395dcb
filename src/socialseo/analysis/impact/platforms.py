"""Platform effectiveness: which platforms send engaged visitors, earn links and move search, per content segment.

"Which platforms are more effective depends on your audience and industry" — so the answer is computed from the
site's own numbers, per content segment (a page's first path component: ``/blog/…`` is ``blog``). Referral
sessions and engagement come from the sessions built from the access logs, backlinks from the backlink table, and
the search effect from the panel model's per-platform estimate (site-wide: one segment rarely has enough spiked
pages for its own).
"""

from __future__ import annotations

import duckdb
import pandas as pd

from socialseo.analysis.impact.panel import segment_of, table_exists

COLUMNS = ["segment", "platform", "sessions", "bounce_rate", "avg_duration_s", "pages_per_session", "backlinks",
           "followed_backlinks", "search_effect", "search_effect_low", "search_effect_high", "rank"]


def platform_effectiveness(sessions: pd.DataFrame, backlinks: pd.DataFrame,
                           effects: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per segment and platform, ranked within the segment by sessions then lower bounce rate.

    ``sessions``: ``platform, landing_page, is_bounce, duration_s, pageviews`` (social sessions).
    ``backlinks``: ``source_platform, target_page, is_followed``. ``effects``: panel-model rows (``scope`` is the
    platform, ``relative_effect``, ``ci_low``, ``ci_high``).
    """
    parts = []
    if not sessions.empty:
        s = sessions.assign(segment=segment_of(sessions["landing_page"].fillna("")),
                            is_bounce=sessions["is_bounce"].astype(float))
        parts.append(s.groupby(["segment", "platform"], as_index=False).agg(
            sessions=("is_bounce", "size"), bounce_rate=("is_bounce", "mean"),
            avg_duration_s=("duration_s", "mean"), pages_per_session=("pageviews", "mean")))
    if not backlinks.empty:
        b = backlinks.dropna(subset=["source_platform"])
        b = b.assign(segment=segment_of(b["target_page"].fillna("")), is_followed=b["is_followed"].astype(bool))
        parts.append(b.groupby(["segment", "source_platform"], as_index=False).agg(
            backlinks=("is_followed", "size"), followed_backlinks=("is_followed", "sum"),
        ).rename(columns={"source_platform": "platform"}))
    if not parts:
        return pd.DataFrame(columns=COLUMNS)
    out = parts[0]
    for part in parts[1:]:
        out = out.merge(part, on=["segment", "platform"], how="outer")
    for column in ("sessions", "backlinks", "followed_backlinks"):
        out[column] = out[column].fillna(0).astype("int64") if column in out else 0
    if effects is not None and not effects.empty:
        eff = effects[effects["estimable"].astype(bool)].set_index("scope")
        out["search_effect"] = out["platform"].map(eff["relative_effect"])
        out["search_effect_low"] = out["platform"].map(eff["ci_low"])
        out["search_effect_high"] = out["platform"].map(eff["ci_high"])
    out = out.reindex(columns=COLUMNS)
    out = out.sort_values(["segment", "sessions", "bounce_rate"], ascending=[True, False, True], ignore_index=True)
    out["rank"] = out.groupby("segment").cumcount() + 1
    return out


def load_platform_inputs(con: duckdb.DuckDBPyConnection) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Social sessions and platform backlinks from the warehouse (empty frames when a table is missing)."""
    sessions = con.execute(
        "SELECT platform, landing_page, is_bounce, duration_s, pageviews FROM sessions "
        "WHERE channel = 'social' AND platform IS NOT NULL"
    ).df() if table_exists(con, "sessions") else pd.DataFrame()
    backlinks = con.execute(
        "SELECT source_platform, coalesce(target_page, target_url) AS target_page, is_followed FROM backlinks "
        "WHERE source_platform IS NOT NULL"
    ).df() if table_exists(con, "backlinks") else pd.DataFrame()
    return sessions, backlinks
