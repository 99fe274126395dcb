"""The social metrics people track (likes, shares, comments, click-through rate), per post, day or platform.

Rates are ratios of sums, never means of per-post ratios: a platform's CTR is its link clicks over its
impressions, so a post seen ten times cannot weigh as much as one seen ten thousand times.

- ``engagement`` = likes + comments + shares + saves (the platform's own "engagements" count includes clicks and
  differs between platforms, so it is reported apart as ``platform_engagements``)
- ``ctr`` = link clicks / impressions
- ``engagement_rate`` = engagement / impressions (reach where a platform gives no impressions)
- ``amplification`` = shares / followers at the time, where the export gives followers
"""

from __future__ import annotations

import duckdb
import pandas as pd

from socialseo.analysis.filters import NO_FILTERS, Filters
from socialseo.errors import SocialSeoError

BY = ("post", "day", "platform")

_PER_POST = """
WITH m AS (
    SELECT platform, post_id, metric_date,
        impressions, reach, likes, comments, shares, saves, link_clicks, video_views, followers, engagements,
        -- lifetime rows stand for the whole post; daily rows are summed where no lifetime row exists
        bool_or(metric_date IS NULL) OVER (PARTITION BY platform, post_id) AS has_lifetime
    FROM social_post_metrics
)
SELECT p.platform, p.post_id, p.published_at, p.linked_page,
    coalesce(m.metric_date, CAST(p.published_at AS DATE)) AS day,
    m.impressions, m.reach, m.likes, m.comments, m.shares, m.saves, m.link_clicks, m.video_views,
    m.followers, m.engagements
FROM social_posts p JOIN m USING (platform, post_id)
WHERE (m.metric_date IS NULL) = m.has_lifetime {where}
"""

_RATES = """
    sum(impressions) AS impressions, sum(reach) AS reach, sum(likes) AS likes, sum(comments) AS comments,
    sum(shares) AS shares, sum(saves) AS saves, sum(link_clicks) AS link_clicks, sum(video_views) AS video_views,
    sum(coalesce(likes, 0) + coalesce(comments, 0) + coalesce(shares, 0) + coalesce(saves, 0)) AS engagement,
    sum(engagements) AS platform_engagements,
    sum(link_clicks) / nullif(sum(impressions) FILTER (WHERE link_clicks IS NOT NULL), 0) AS ctr,
    sum(coalesce(likes, 0) + coalesce(comments, 0) + coalesce(shares, 0) + coalesce(saves, 0))
        / nullif(sum(coalesce(impressions, reach)), 0) AS engagement_rate,
    sum(shares) FILTER (WHERE followers > 0) / nullif(sum(followers) FILTER (WHERE followers > 0), 0)
        AS amplification
"""


def social_metrics(
    con: duckdb.DuckDBPyConnection, *, platform: str | None = None, by: str = "platform",
    filters: Filters | None = None,
) -> pd.DataFrame:
    """Metrics per ``post``, ``day`` or ``platform``, optionally for one platform; ``filters`` keeps the days
    (a metric's own day, or the post's publication day for lifetime totals) and platforms asked for."""
    if by not in BY:
        raise SocialSeoError(f"--by {by!r}: use one of {', '.join(BY)}")
    where = "AND p.platform = ?" if platform else ""
    params = [platform] if platform else []
    narrow, narrow_params = (filters or NO_FILTERS).where(date_column="day", platform_column="platform")
    base = f"SELECT * FROM ({_PER_POST.format(where=where)}) WHERE {narrow}"
    params += narrow_params
    if by == "post":
        keys, group = "platform, post_id, min(published_at) AS published_at, any_value(linked_page) AS linked_page", \
            "platform, post_id"
        order = "published_at, platform, post_id"
    elif by == "day":
        keys, group, order = "day, platform, count(DISTINCT post_id) AS posts", "day, platform", "day, platform"
    else:
        keys, group, order = "platform, count(DISTINCT post_id) AS posts", "platform", "platform"
    return con.execute(
        f"SELECT {keys}, {_RATES} FROM ({base}) GROUP BY {group} ORDER BY {order}", params
    ).df()
