"""Turn the post plan into the rows a platform export holds: ids, URLs, text, linked URL and metrics.

Identifiers follow each platform's real shape (X and LinkedIn snowflakes that encode the publish time,
Instagram shortcodes, Reddit base-36 ids), and linked URLs carry the mess real posts have: UTM parameters, and
X, LinkedIn and bit.ly short links that only a redirect (recorded in the truth) resolves.
"""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pandas as pd

from socialseo.demo.platforms import BY_NAME
from socialseo.demo.site import BRAND

POST_COLUMNS: tuple[str, ...] = (
    "platform",
    "post_id",
    "post_url",
    "published_at",
    "text",
    "linked_url",
    "impressions",
    "likes",
    "comments",
    "shares",
    "link_clicks",
)
_ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
_B64URL = _ALNUM + "-_"
_B36 = "0123456789abcdefghijklmnopqrstuvwxyz"
_SUBREDDITS = ("SEO", "marketing", "socialmedia", "analytics", "digital_marketing", "webdev")
_X_EPOCH_MS = 1288834974657
_FACEBOOK_PAGE_ID = "104857600123456"
_HASHTAGS = ("#SEO", "#socialmedia", "#marketing", "#analytics", "#contentmarketing", "#growth")

_TEMPLATES: dict[str, tuple[str, ...]] = {
    "facebook": ("New on our site: {title}. {link}", "{title} - everything you need in one place. {link}"),
    "x": ("New: {title} {link} {tag}", "{title}. Thread below, full write-up here: {link}"),
    "instagram": ("{title} ✨ Link in bio. {tag} {tag2}", "Swipe for the highlights of {title}! {tag}"),
    "linkedin": (
        "We just published {title}.\n\nWhat we learned, and what we would do differently: {link} {tag}",
        "{title} - a short read for anyone working on {topic}. {link}",
    ),
    "pinterest": ("{title} | {brand}", "{title}: save this for later"),
    "reddit": ("{title} (wrote this up after a year of doing it)", "Does anyone else struggle with {topic}?"),
    "youtube": ("{title} - full walkthrough. Read more: {link}", "{title} in 8 minutes. Links: {link}"),
    "tiktok": ("{title} in 60 seconds {tag} link in bio", "POV: you finally understand {topic} {tag}"),
}
_UNLINKED = (
    "Happy Friday from the {brand} team!",
    "We are hiring - come work with us.",
    "Thank you for 10k followers!",
    "Behind the scenes at {brand} this week.",
    "What should we write about next? Tell us below.",
)


def _token(rng: np.random.Generator, n: int, alphabet: str = _ALNUM) -> str:
    return "".join(alphabet[i] for i in rng.integers(0, len(alphabet), size=n))


def _post_identity(
    platform: str, published: datetime, title: str, rng: np.random.Generator
) -> tuple[str, str]:
    """(post_id, post_url) in the platform's own format."""
    ms = int(published.timestamp() * 1000)
    if platform == "x":
        post_id = str(((ms - _X_EPOCH_MS) << 22) | int(rng.integers(0, 1 << 22)))
        return post_id, f"https://x.com/{BRAND}/status/{post_id}"
    if platform == "linkedin":
        activity = str((ms << 22) | int(rng.integers(0, 1 << 22)))
        return (
            f"urn:li:activity:{activity}",
            f"https://www.linkedin.com/feed/update/urn:li:activity:{activity}/",
        )
    if platform == "facebook":
        number = str(int(rng.integers(10**15, 10**16)))
        return f"{_FACEBOOK_PAGE_ID}_{number}", f"https://www.facebook.com/{BRAND}/posts/{number}"
    if platform == "instagram":
        code = _token(rng, 11, _B64URL)
        return code, f"https://www.instagram.com/p/{code}/"
    if platform == "pinterest":
        pin = str(int(rng.integers(10**17, 10**18)))
        return pin, f"https://www.pinterest.com/pin/{pin}/"
    if platform == "reddit":
        base36 = _token(rng, 7, _B36)
        subreddit = str(rng.choice(_SUBREDDITS))
        slug = "_".join(title.lower().split()[:6])
        return f"t3_{base36}", f"https://www.reddit.com/r/{subreddit}/comments/{base36}/{slug}/"
    if platform == "youtube":
        video = _token(rng, 11, _B64URL)
        return video, f"https://www.youtube.com/watch?v={video}"
    video = str((int(published.timestamp()) << 32) | int(rng.integers(0, 1 << 32)))
    return video, f"https://www.tiktok.com/@{BRAND}/video/{video}"


def _linked_url(
    platform: str, page_url: str, slug: str, rng: np.random.Generator, shortlinks: dict[str, str]
) -> str:
    """The URL as written in the post; short links are recorded in ``shortlinks`` with their expansion."""
    target = page_url
    if rng.random() < 0.6:
        source = BY_NAME[platform].utm_source
        target = f"{page_url}?utm_source={source}&utm_medium=social&utm_campaign={slug}"
    shortener = BY_NAME[platform].shortener
    if platform == "x" and rng.random() < 0.5:
        short = f"https://t.co/{_token(rng, 10)}"
    elif platform == "linkedin" and shortener and rng.random() < 0.4:
        short = f"https://lnkd.in/{_token(rng, 7)}"
    elif platform not in ("x", "linkedin") and rng.random() < 0.15:
        short = f"https://bit.ly/{_token(rng, 7)}"
    else:
        return target
    shortlinks[short] = target
    return short


def build_posts(
    plan: pd.DataFrame,
    pages: pd.DataFrame,
    start: datetime,
    utc_offset_minutes: int,
    rng: np.random.Generator,
) -> tuple[pd.DataFrame, dict[str, str]]:
    """Materialise every planned post; returns the posts table and the short-link expansions.

    Besides the export columns the table keeps ``page`` (index into ``pages``, -1 for none), ``target_url``
    (the page the link really leads to) and ``day`` (local day of publishing), which the simulation needs.
    """
    shortlinks: dict[str, str] = {}
    rows: list[dict[str, object]] = []
    local_start = start.replace(tzinfo=UTC).timestamp()
    for page, platform, day, second in zip(
        plan["page"], plan["platform"], plan["day"], plan["local_second"], strict=True
    ):
        epoch = local_start + int(day) * 86400 + int(second) - utc_offset_minutes * 60
        published = datetime.fromtimestamp(epoch, tz=UTC)
        profile = BY_NAME[str(platform)]
        if page >= 0:
            title = str(pages.at[int(page), "title"]).capitalize()
            topic = str(pages.at[int(page), "main_query"])
            slug = str(pages.at[int(page), "path"]).strip("/").split("/")[-1]
            target_url = str(pages.at[int(page), "url"])
            link = _linked_url(str(platform), target_url, slug, rng, shortlinks)
            template = str(rng.choice(_TEMPLATES[str(platform)]))
        else:
            title, topic, target_url, link = "", "", "", ""
            template = str(rng.choice(_UNLINKED))
        tags = rng.choice(len(_HASHTAGS), size=2, replace=False)
        text = template.format(
            title=title, topic=topic, link=link, brand=BRAND, tag=_HASHTAGS[tags[0]], tag2=_HASHTAGS[tags[1]]
        )
        post_id, post_url = _post_identity(str(platform), published, title or template, rng)
        impressions = int(rng.lognormal(np.log(profile.median_impressions), profile.impressions_sigma))
        quality = float(rng.lognormal(0.0, 0.3))
        rows.append(
            {
                "platform": platform,
                "post_id": post_id,
                "post_url": post_url,
                "published_at": pd.Timestamp(published),
                "text": text,
                "linked_url": link,
                "impressions": impressions,
                "likes": int(rng.binomial(impressions, min(1.0, profile.like_rate * quality))),
                "comments": int(rng.binomial(impressions, min(1.0, profile.comment_rate * quality))),
                "shares": int(rng.binomial(impressions, min(1.0, profile.share_rate * quality))),
                "link_clicks": int(rng.binomial(impressions, min(1.0, profile.link_ctr * quality)))
                if page >= 0
                else 0,
                "page": int(page),
                "target_url": target_url,
                "day": int(day),
                "local_second": int(second),
            }
        )
    return pd.DataFrame(rows), shortlinks
