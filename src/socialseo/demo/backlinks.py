"""Links to the site as a backlink tool would export them.

Most links from social platforms carry ``rel="nofollow"`` or ``"ugc"``; a few do not (a Pinterest profile,
most Medium articles), and a handful come from ordinary sites. The planted model gives backlinks no search
effect of their own: they are here so that an analysis can separate "was linked" from "was posted about".
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd

from socialseo.demo.site import BRAND

BACKLINK_COLUMNS: tuple[str, ...] = ("source_url", "target_url", "anchor", "rel", "first_seen", "last_seen")

# Platforms whose posts carry a crawlable link, and the rel they put on it. An empty rel is a followed link.
_POST_REL = {
    "x": "nofollow noopener noreferrer",
    "facebook": "nofollow noopener",
    "linkedin": "nofollow",
    "reddit": "nofollow ugc",
    "pinterest": "nofollow",
    "youtube": "nofollow",
}
_PROFILES = (
    ("https://x.com/examplebrand", "nofollow noopener noreferrer me"),
    ("https://www.linkedin.com/company/examplebrand/", "nofollow"),
    ("https://www.youtube.com/@examplebrand/about", "nofollow"),
    ("https://www.pinterest.com/examplebrand/", ""),
    ("https://www.instagram.com/examplebrand/", "nofollow me"),
    ("https://www.facebook.com/examplebrand/about", "nofollow"),
    ("https://www.tiktok.com/@examplebrand", "nofollow"),
)
_SITES = (
    ("https://www.searchenginejournal.com/social-signals-seo/{n}/", ""),
    ("https://moz.com/blog/social-traffic-{n}", ""),
    ("https://blog.partner-site.example/posts/{n}-tools-we-use", ""),
    ("https://news.example.org/marketing/{n}", "nofollow"),
    ("https://www.marketingweek.com/analysis-{n}/", ""),
    ("https://forum.example.net/t/social-analytics/{n}", "ugc"),
    ("https://deals.example.com/software/{n}", "sponsored"),
)


def _anchor(url: str, title: str, rng: np.random.Generator) -> str:
    options = (title, url.split("://", 1)[1].split("?", 1)[0], "this guide", "here", f"{BRAND}")
    return str(rng.choice(options))


def build_backlinks(
    posts: pd.DataFrame,
    pages: pd.DataFrame,
    shortlinks: dict[str, str],
    start: date,
    days: int,
    rng: np.random.Generator,
) -> pd.DataFrame:
    """Backlinks from post pages, brand profiles, Medium and ordinary sites, with first/last seen dates."""
    end = start + timedelta(days=days - 1)
    rows: list[tuple[str, str, str, str, date, date]] = []
    home = str(pages.at[0, "url"])

    for source, rel in _PROFILES:
        rows.append(
            (
                source,
                home,
                f"{BRAND}.com" if rng.random() < 0.5 else home,
                rel,
                start - timedelta(days=int(rng.integers(200, 900))),
                end,
            )
        )

    linked = posts[(posts["page"] >= 0) & posts["platform"].isin(list(_POST_REL))]
    for post_url, platform, link, page, day in zip(
        linked["post_url"],
        linked["platform"],
        linked["linked_url"],
        linked["page"],
        linked["day"],
        strict=True,
    ):
        if rng.random() >= 0.4:
            continue
        first = start + timedelta(days=min(days - 1, int(day) + int(rng.integers(1, 15))))
        last = end if rng.random() < 0.9 else min(end, first + timedelta(days=int(rng.integers(5, 40))))
        target = shortlinks.get(str(link), str(link))
        rows.append(
            (
                str(post_url),
                target,
                _anchor(target, str(pages.at[int(page), "title"]), rng),
                _POST_REL[str(platform)],
                first,
                last,
            )
        )

    candidates = np.flatnonzero(pages["segment"].isin(["blog", "guides"]).to_numpy())
    if candidates.size == 0:
        candidates = np.arange(len(pages))
    for i, rel in enumerate(("", "", "nofollow ugc")):
        page = int(rng.choice(candidates))
        first = start + timedelta(days=int(rng.integers(0, days)))
        article = f"{_token_slug(pages, page)}-{int(rng.integers(10**11, 10**12)):x}"
        rows.append(
            (
                f"https://medium.com/@writer{i + 1}/{article}",
                str(pages.at[page, "url"]),
                str(pages.at[page, "title"]),
                rel,
                first,
                end,
            )
        )
    for n in range(14):
        template, rel = _SITES[n % len(_SITES)]
        page = int(rng.integers(0, len(pages)))
        first = start + timedelta(days=int(rng.integers(-120, days)))
        target = str(pages.at[page, "url"])
        rows.append(
            (
                template.format(n=int(rng.integers(1000, 99999))),
                target,
                _anchor(target, str(pages.at[page, "title"]), rng),
                rel,
                first,
                end,
            )
        )

    frame = pd.DataFrame(rows, columns=list(BACKLINK_COLUMNS))
    frame["first_seen"] = pd.to_datetime(frame["first_seen"])
    frame["last_seen"] = pd.to_datetime(frame["last_seen"])
    return frame.sort_values(["first_seen", "source_url"], kind="stable").reset_index(drop=True)


def _token_slug(pages: pd.DataFrame, page: int) -> str:
    return str(pages.at[page, "path"]).strip("/").split("/")[-1]
