"""Hacker News: stories linking to the site, from Algolia's ``/api/v1/search`` restricted to the ``url`` attribute.

Pages are numbered from 0 (``page``) up to ``nbPages``. Engagement: points and the number of comments.
"""

from __future__ import annotations

from typing import Any

from socialseo.ingest.networks.client import JsonClient, NetworkError
from socialseo.ingest.networks.posts import DiscoveredPost, Malformed, count, malformed, parse_time

NAME = "hackernews"
PLATFORM = "hacker_news"
"""As socialseo's platform list names it, so links found here and visits from there agree."""
DEFAULT_BASE = "https://hn.algolia.com"
ENV = "SOCIALSEO_HN_API_BASE"
_PATH = "/api/v1/search"


async def discover(client: JsonClient, domain: str, max_pages: int) -> tuple[list[DiscoveredPost], list[Malformed]]:
    posts: list[DiscoveredPost] = []
    bad: list[Malformed] = []
    for page in range(max_pages):
        params = {"query": domain, "restrictSearchableAttributes": "url", "tags": "story", "hitsPerPage": 100,
                  "page": page}
        answer, _ = await client.get(_PATH, params)
        if not isinstance(answer, dict) or not isinstance(answer.get("hits"), list):
            raise NetworkError(f"{NAME}: {client.url(_PATH, params)} answered without a 'hits' list")
        for index, hit in enumerate(answer["hits"]):
            try:
                posts.append(_post(hit))
            except (KeyError, TypeError, ValueError, AttributeError) as exc:
                bad.append(malformed(client.url(_PATH, params), index, hit, f"hacker news hit: {exc}"))
        pages = answer.get("nbPages")
        if not answer["hits"] or not isinstance(pages, int) or page + 1 >= pages:
            break
    return posts, bad


def _post(hit: dict[str, Any]) -> DiscoveredPost:
    story = str(hit["objectID"])
    return DiscoveredPost(
        platform=PLATFORM, post_id=story, post_url=f"https://news.ycombinator.com/item?id={story}",
        author=hit.get("author"), published_at=parse_time(hit.get("created_at") or hit.get("created_at_i")),
        text=hit.get("title"), links=[hit["url"]] if hit.get("url") else [], score=count(hit.get("points")),
        replies=count(hit.get("num_comments")),
    )
