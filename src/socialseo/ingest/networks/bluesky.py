"""Bluesky: posts linking to the site, from the public AppView's ``app.bsky.feed.searchPosts``.

``domain`` filters to posts whose link facets or embeds point at the host; ``q`` is required by the endpoint, so
the domain is the query too. Pages follow ``cursor`` until the answer has none. Engagement: likes, reposts
(quotes included) and replies.
"""

from __future__ import annotations

from typing import Any

from socialseo.ingest.networks.client import JsonClient, NetworkError
from socialseo.ingest.networks.posts import DiscoveredPost, Malformed, count, malformed, parse_time, urls_in_text

NAME = "bluesky"
DEFAULT_BASE = "https://public.api.bsky.app"
ENV = "SOCIALSEO_BLUESKY_API_BASE"
_PATH = "/xrpc/app.bsky.feed.searchPosts"


async def discover(client: JsonClient, domain: str, max_pages: int) -> tuple[list[DiscoveredPost], list[Malformed]]:
    posts: list[DiscoveredPost] = []
    bad: list[Malformed] = []
    cursor: str | None = None
    for _ in range(max_pages):
        params = {"q": domain, "domain": domain, "limit": 100, "sort": "latest", "cursor": cursor}
        answer, _headers = await client.get(_PATH, params)
        if not isinstance(answer, dict) or not isinstance(answer.get("posts"), list):
            raise NetworkError(f"{NAME}: {client.url(_PATH, params)} answered without a 'posts' list")
        for index, item in enumerate(answer["posts"]):
            try:
                posts.append(_post(item))
            except (KeyError, TypeError, ValueError, AttributeError) as exc:
                bad.append(malformed(client.url(_PATH, params), index, item, f"bluesky post: {exc}"))
        cursor = answer.get("cursor")
        if not cursor or not answer["posts"]:
            break
    return posts, bad


def _post(item: dict[str, Any]) -> DiscoveredPost:
    uri = item["uri"]  # at://did:plc:.../app.bsky.feed.post/<rkey>
    rkey = uri.rsplit("/", 1)[1]
    author = item["author"]
    record = item.get("record") or {}
    links = [feature["uri"] for facet in record.get("facets") or [] for feature in facet.get("features") or []
             if isinstance(feature, dict) and feature.get("uri")]
    for embed in (record.get("embed"), item.get("embed")):
        if isinstance(embed, dict) and isinstance(embed.get("external"), dict) and embed["external"].get("uri"):
            links.append(embed["external"]["uri"])
    links.extend(urls_in_text(record.get("text")))
    handle = author.get("handle") or author["did"]
    reposts = count(item.get("repostCount"))
    quotes = count(item.get("quoteCount"))
    return DiscoveredPost(
        platform=NAME, post_id=uri, post_url=f"https://bsky.app/profile/{handle}/post/{rkey}", author=handle,
        published_at=parse_time(record.get("createdAt") or item.get("indexedAt")), text=record.get("text"),
        links=list(dict.fromkeys(links)), likes=count(item.get("likeCount")),
        reposts=None if reposts is None else reposts + (quotes or 0), replies=count(item.get("replyCount")),
    )
