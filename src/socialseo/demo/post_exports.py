"""Write each platform's posts in that platform's own export layout, as a user would download them.

The layouts follow ``socialseo/ingest/data/post_exports.yaml`` (and the platforms' documentation it cites):
Meta writes local (Pacific) publish times as ``03/02/2026 16:33`` and counts as ``1,234``; LinkedIn puts a
description line above the header and dates without times; Pinterest puts report lines above its header;
YouTube's table starts with a ``Total`` row; Reddit's data export has relative permalinks. Where an export has no
column for the link, the link is in the post text, as the posts themselves carry it. Everything is CSV so that
the same seed gives the same bytes (XLSX files carry their creation time).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from socialseo.demo.platforms import PLATFORM_NAMES
from socialseo.demo.site import BRAND

_PACIFIC = "America/Los_Angeles"


def _text_with_link(posts: pd.DataFrame) -> pd.Series:
    """The post text, with the link appended where the text does not already carry it."""
    missing = (posts["linked_url"] != "") & ~posts.apply(lambda r: r["linked_url"] in r["text"], axis=1)
    return posts["text"].where(~missing, posts["text"] + " " + posts["linked_url"])


def _thousands(values: pd.Series) -> pd.Series:
    return values.map(lambda v: f"{int(v):,}")


def _local(posts: pd.DataFrame, fmt: str, tz: str = _PACIFIC) -> pd.Series:
    return posts["published_at"].dt.tz_convert(tz).dt.strftime(fmt)


def _facebook(posts: pd.DataFrame) -> tuple[list[list[str]], pd.DataFrame]:
    engagement = posts["likes"] + posts["comments"] + posts["shares"]
    return [], pd.DataFrame({
        "Post ID": posts["post_id"], "Page ID": posts["post_id"].str.split("_").str[0], "Page name": BRAND,
        "Title": "", "Description": posts["text"], "Duration (sec)": "",
        "Publish time": _local(posts, "%m/%d/%Y %H:%M"), "Permalink": posts["post_url"],
        "Post type": (posts["linked_url"] != "").map({True: "Links", False: "Photos"}),
        "Data comment": "", "Date": "Lifetime", "Views": _thousands(posts["impressions"]), "Reach": "",
        "Reactions, Comments and Shares": engagement, "Reactions": posts["likes"], "Comments": posts["comments"],
        "Shares": posts["shares"], "Total clicks": "", "Link Clicks": posts["link_clicks"], "Other Clicks": "",
    })


def _instagram(posts: pd.DataFrame) -> tuple[list[list[str]], pd.DataFrame]:
    return [], pd.DataFrame({
        "Post ID": posts["post_id"], "Account ID": "17841400000000000", "Account username": BRAND,
        "Account name": "Example Brand", "Description": _text_with_link(posts), "Duration (sec)": "",
        "Publish time": _local(posts, "%m/%d/%Y %H:%M"), "Permalink": posts["post_url"], "Post type": "IG image",
        "Data comment": "", "Date": "Lifetime", "Views": _thousands(posts["impressions"]), "Reach": "",
        "Likes": posts["likes"], "Shares": posts["shares"], "Follows": "", "Comments": posts["comments"],
        "Saves": "",
    })


def _x(posts: pd.DataFrame) -> tuple[list[list[str]], pd.DataFrame]:
    engagements = posts["likes"] + posts["comments"] + posts["shares"] + posts["link_clicks"]
    zero = 0
    return [], pd.DataFrame({
        "Tweet id": posts["post_id"], "Tweet permalink": posts["post_url"], "Tweet text": _text_with_link(posts),
        "time": _local(posts, "%Y-%m-%d %H:%M +0000", "UTC"), "impressions": posts["impressions"],
        "engagements": engagements, "engagement rate": (engagements / posts["impressions"]).round(6),
        "retweets": posts["shares"], "replies": posts["comments"], "likes": posts["likes"],
        "user profile clicks": zero, "url clicks": posts["link_clicks"], "hashtag clicks": zero,
        "detail expands": zero, "permalink clicks": zero, "app opens": zero, "app installs": zero, "follows": zero,
        "email tweet": zero, "dial phone": zero, "media views": zero, "media engagements": zero,
    })


def _linkedin(posts: pd.DataFrame) -> tuple[list[list[str]], pd.DataFrame]:
    ctr = (posts["link_clicks"] / posts["impressions"] * 100).map(lambda v: f"{v:.2f}%")
    engagement = posts["likes"] + posts["comments"] + posts["shares"] + posts["link_clicks"]
    preamble = [["All posts", "Learn more about the metrics: https://www.linkedin.com/help/linkedin/answer/a547077"]]
    return preamble, pd.DataFrame({
        "Post title": _text_with_link(posts), "Post link": posts["post_url"], "Post type": "Organic",
        "Campaign name": "", "Posted by": "Example Brand", "Created date": _local(posts, "%m/%d/%Y"),
        "Campaign start date": "", "Campaign end date": "", "Audience": "All followers",
        "Impressions": _thousands(posts["impressions"]), "Views (excluding off-site video views)": "",
        "Off-site views": "", "Clicks": posts["link_clicks"], "Click through rate (CTR)": ctr,
        "Likes": posts["likes"], "Comments": posts["comments"], "Reposts": posts["shares"], "Follows": "",
        "Engagement rate": (engagement / posts["impressions"] * 100).map(lambda v: f"{v:.2f}%"),
        "Content Type": "Article",
    })


def _pinterest(posts: pd.DataFrame) -> tuple[list[list[str]], pd.DataFrame]:
    days = posts["published_at"].dt.strftime("%Y-%m-%d")
    preamble = [["Pinterest Analytics"], [f"Date range: {days.min()} - {days.max()}"], []]
    return preamble, pd.DataFrame({
        "Pin ID": posts["post_id"], "Pin URL": posts["post_url"], "Pin title": posts["text"],
        "Destination link": posts["linked_url"], "Created at": days, "Impressions": posts["impressions"],
        "Engagements": posts["likes"] + posts["comments"] + posts["shares"] + posts["link_clicks"],
        "Pin clicks": "", "Outbound clicks": posts["link_clicks"], "Saves": posts["shares"],
    })


def _youtube(posts: pd.DataFrame) -> tuple[list[list[str]], pd.DataFrame]:
    table = pd.DataFrame({
        "Content": posts["post_id"], "Video title": _text_with_link(posts),
        "Video publish time": posts["published_at"].map(lambda t: f"{t:%b} {t.day}, {t.year}"),
        "Duration": "", "Views": "", "Watch time (hours)": "", "Subscribers": "",
        "Impressions": posts["impressions"], "Likes": posts["likes"], "Comments added": posts["comments"],
        "Shares": posts["shares"],
    })
    total: dict[str, object] = {c: "" for c in table.columns}
    total.update({"Content": "Total", "Impressions": int(posts["impressions"].sum()),
                  "Likes": int(posts["likes"].sum()), "Comments added": int(posts["comments"].sum()),
                  "Shares": int(posts["shares"].sum())})
    return [], pd.concat([pd.DataFrame([total]), table], ignore_index=True)


def _tiktok(posts: pd.DataFrame) -> tuple[list[list[str]], pd.DataFrame]:
    return [], pd.DataFrame({
        "Video link": posts["post_url"], "Video title": _text_with_link(posts),
        "Post time": _local(posts, "%Y-%m-%d %H:%M:%S", "UTC"), "Total views": posts["impressions"],
        "Total likes": posts["likes"], "Total comments": posts["comments"], "Total shares": posts["shares"],
        "Add to Favorites": "",
    })


def _reddit(posts: pd.DataFrame) -> tuple[list[list[str]], pd.DataFrame]:
    permalink = posts["post_url"].str.replace("https://www.reddit.com", "", regex=False)
    return [], pd.DataFrame({
        "id": posts["post_id"].str.removeprefix("t3_"), "permalink": permalink,
        "date": _local(posts, "%Y-%m-%d %H:%M:%S UTC", "UTC"), "ip": "",
        "subreddit": permalink.str.split("/").str[2], "gildings": 0, "title": posts["text"],
        "url": posts["linked_url"].where(posts["linked_url"] != "", posts["post_url"]), "body": "",
        "score": posts["likes"], "num_comments": posts["comments"],
    })


LAYOUTS: dict[str, Callable[[pd.DataFrame], tuple[list[list[str]], pd.DataFrame]]] = {
    "facebook": _facebook, "instagram": _instagram, "x": _x, "linkedin": _linkedin, "pinterest": _pinterest,
    "youtube": _youtube, "tiktok": _tiktok, "reddit": _reddit,
}


def write_platform_exports(posts: pd.DataFrame, out_dir: Path) -> dict[str, Path]:
    """One ``posts_<platform>.csv`` per platform in that platform's export layout; same posts, same bytes."""
    paths: dict[str, Path] = {}
    for platform in PLATFORM_NAMES:
        subset = posts.loc[posts["platform"] == platform].reset_index(drop=True)
        preamble, table = LAYOUTS[platform](subset)
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerows(preamble)
        table.to_csv(buffer, index=False, lineterminator="\n")
        path = out_dir / f"posts_{platform}.csv"
        path.write_text(buffer.getvalue(), encoding="utf-8", newline="")
        paths[platform] = path
    return paths
