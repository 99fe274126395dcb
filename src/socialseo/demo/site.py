"""The demo site's pages: paths, segments, titles, search queries and base search demand.

Page paths and queries are built from small word lists so that they read like a real marketing site
(``/blog/how-to-measure-utm-parameters/``, ``/docs/api/webhooks/``) and so that query text relates to the
page, which keeps the Search Console export believable.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd

BRAND = "examplebrand"
SEGMENTS: tuple[str, ...] = ("blog", "guides", "products", "docs")
SEGMENT_SHARES: tuple[float, ...] = (0.45, 0.20, 0.20, 0.15)
# Docs and product pages are searched for more per page than blog posts; the numbers only need to differ.
SEGMENT_DEMAND: dict[str, float] = {"home": 1.0, "blog": 0.8, "guides": 1.3, "products": 1.2, "docs": 1.0}

_TOPICS = (
    "utm parameters",
    "social media analytics",
    "link building",
    "content calendar",
    "dark social",
    "referral traffic",
    "search console",
    "click through rate",
    "internal links",
    "anchor text",
    "share buttons",
    "open graph tags",
    "canonical urls",
    "page speed",
    "keyword research",
    "brand mentions",
    "influencer outreach",
    "linkedin ads",
    "pinterest seo",
    "reddit marketing",
    "youtube descriptions",
    "tiktok traffic",
    "twitter cards",
    "instagram bio links",
    "email newsletters",
    "attribution models",
    "bounce rate",
    "session duration",
    "crawl budget",
    "log file analysis",
    "nofollow links",
    "backlink audits",
    "topic clusters",
    "featured snippets",
    "core web vitals",
    "structured data",
    "social proof",
    "community building",
    "campaign tracking",
    "landing pages",
)
_BLOG_PATTERNS = (
    "how to measure {t}",
    "why {t} matters",
    "a beginners guide to {t}",
    "what we learned from {t}",
    "10 tips for {t}",
    "the state of {t}",
    "common mistakes with {t}",
    "{t} explained",
    "{t} case study",
    "is {t} worth it",
)
_GUIDE_PATTERNS = ("{t} guide", "{t} checklist", "complete guide to {t}", "{t} playbook")
_PRODUCTS = (
    "link tracker",
    "utm builder",
    "share counter",
    "report studio",
    "log analyzer",
    "rank monitor",
    "post scheduler",
    "backlink monitor",
    "dashboard",
    "alerts",
    "api access",
    "browser extension",
)
_PRODUCT_VARIANTS = ("", "pro", "team", "pricing", "features", "integrations")
_DOC_SECTIONS = ("getting-started", "api", "integrations", "reference", "how-to")
_DOC_TOPICS = (
    "installation",
    "authentication",
    "webhooks",
    "rate limits",
    "exports",
    "imports",
    "sso",
    "billing",
    "permissions",
    "google analytics",
    "search console",
    "slack",
    "zapier",
    "wordpress",
    "shopify",
    "cli",
    "python client",
    "errors",
    "changelog",
    "data retention",
)


def _slug(text: str) -> str:
    return "-".join(text.lower().split())


def _page_candidates(segment: str, rng: np.random.Generator) -> tuple[str, str, str]:
    """One candidate (path, title, main query) for ``segment``; duplicates are filtered by the caller."""
    if segment == "blog":
        topic = str(rng.choice(_TOPICS))
        title = str(rng.choice(_BLOG_PATTERNS)).format(t=topic)
        return f"/blog/{_slug(title)}/", title, topic
    if segment == "guides":
        topic = str(rng.choice(_TOPICS))
        title = str(rng.choice(_GUIDE_PATTERNS)).format(t=topic)
        return f"/guides/{_slug(title)}/", title, topic
    if segment == "products":
        product = str(rng.choice(_PRODUCTS))
        variant = str(rng.choice(_PRODUCT_VARIANTS))
        slug = _slug(product) + (f"/{variant}" if variant else "")
        title = f"{product} {variant}".strip()
        return f"/products/{slug}/", title, f"{BRAND} {product}"
    section = str(rng.choice(_DOC_SECTIONS))
    topic = str(rng.choice(_DOC_TOPICS))
    return f"/docs/{section}/{_slug(topic)}/", f"{topic} ({section.replace('-', ' ')})", f"{BRAND} {topic}"


def _queries(title: str, main: str, segment: str, rng: np.random.Generator) -> list[str]:
    """Search queries a page ranks for: its main query first, then longer and branded variants."""
    variants = [
        main,
        title.lower().replace("(", "").replace(")", ""),
        f"{main} 2026",
        f"best {main}",
        f"{main} example",
        f"{BRAND} {main}" if not main.startswith(BRAND) else f"{main} docs",
    ]
    if segment == "home":
        variants = [BRAND, f"{BRAND} login", f"{BRAND} pricing", "social seo tool", f"{BRAND} reviews"]
    unique = list(dict.fromkeys(variants))
    n = int(rng.integers(1, min(5, len(unique)) + 1))
    return unique[:n]


def ctr_at(position: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """Expected click-through rate at an average position: a steep curve, about 32% at 1 and 3.6% at 8."""
    return np.clip(0.32 * np.power(position, -1.05), 0.002, 0.5)


def build_pages(
    n_pages: int, site_host: str, mean_daily_clicks: float, rng: np.random.Generator
) -> tuple[pd.DataFrame, list[list[str]]]:
    """Build the page table and each page's queries.

    The home page is always page 0: it collects branded searches (several times an average page's demand).
    ``base_clicks`` of the other pages are log-normal, scaled so that their mean is ``mean_daily_clicks``.
    """
    rows: list[tuple[str, str, str, str]] = [("/", "home", f"{BRAND} home", BRAND)]
    seen = {"/"}
    segments = rng.choice(len(SEGMENTS), size=n_pages - 1, p=np.array(SEGMENT_SHARES))
    for seg_index in segments:
        segment = SEGMENTS[int(seg_index)]
        for _ in range(50):
            path, title, main = _page_candidates(segment, rng)
            if path not in seen:
                break
        else:
            # The word lists run out on very large sites; a numbered part keeps every path unique.
            path, title = f"{path}part-{len(seen)}/", f"{title} part {len(seen)}"
        seen.add(path)
        rows.append((path, segment, title, main))

    pages = pd.DataFrame(rows, columns=["path", "segment", "title", "main_query"])
    pages.insert(0, "url", "https://" + site_host + pages["path"])
    demand = rng.lognormal(0.0, 1.0, n_pages) * pages["segment"].map(SEGMENT_DEMAND).to_numpy()
    demand[1:] *= mean_daily_clicks / demand[1:].mean()
    demand[0] = 6.0 * mean_daily_clicks
    position = np.clip(rng.lognormal(np.log(8.0), 0.6, n_pages), 1.2, 60.0)
    position[0] = 1.3
    pages["base_clicks"] = demand
    pages["base_position"] = position
    pages["base_impressions"] = demand / ctr_at(position)
    queries = [
        _queries(title, main, segment, rng)
        for title, main, segment in zip(pages["title"], pages["main_query"], pages["segment"], strict=True)
    ]
    return pages, queries
