"""Mastodon: statuses linking to the site, from one instance's search, public timeline and tag timelines.

``/api/v2/search?type=statuses`` finds statuses mentioning the domain (many instances answer it only to signed-in
users, so an empty answer is not an error); ``/api/v1/timelines/public`` and ``/api/v1/timelines/tag/{tag}`` are
read newest first, paged with ``max_id`` (the oldest id seen). Engagement: favourites, reblogs and replies.
"""

from __future__ import annotations

from typing import Any

from socialseo.ingest.networks.client import JsonClient, NetworkError
from socialseo.ingest.networks.posts import DiscoveredPost, Malformed, count, html_links, malformed, parse_time

NAME = "mastodon"
DEFAULT_BASE = "https://mastodon.social"
ENV = "SOCIALSEO_MASTODON_INSTANCE"


async def discover(
    client: JsonClient, domain: str, max_pages: int, tags: tuple[str, ...] = ()
) -> tuple[list[DiscoveredPost], list[Malformed]]:
    posts: list[DiscoveredPost] = []
    bad: list[Malformed] = []
    try:
        answer, _ = await client.get("/api/v2/search", {"q": domain, "type": "statuses", "limit": 40})
    except NetworkError as exc:
        if exc.status not in (401, 403):  # instances that search statuses for signed-in users only: timelines remain
            raise
        answer = {"statuses": []}
    if not isinstance(answer, dict) or not isinstance(answer.get("statuses"), list):
        raise NetworkError(f"{NAME}: {client.url('/api/v2/search')} answered without a 'statuses' list")
    _read(answer["statuses"], client.url("/api/v2/search", {"q": domain}), posts, bad)
    for path in ("/api/v1/timelines/public", *(f"/api/v1/timelines/tag/{t.lstrip('#')}" for t in tags)):
        max_id: str | None = None
        for _ in range(max_pages):
            params = {"limit": 40, "max_id": max_id}
            page, _ = await client.get(path, params)
            if not isinstance(page, list):
                raise NetworkError(f"{NAME}: {client.url(path, params)} answered something other than a list")
            _read(page, client.url(path, params), posts, bad)
            ids = [s["id"] for s in page if isinstance(s, dict) and isinstance(s.get("id"), str)]
            if not ids:
                break
            max_id = min(ids, key=lambda i: (len(i), i))  # ids are numeric strings: the shortest, then least
    return posts, bad


def _read(statuses: list[Any], source: str, posts: list[DiscoveredPost], bad: list[Malformed]) -> None:
    for index, item in enumerate(statuses):
        try:
            posts.append(_post(item))
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            bad.append(malformed(source, index, item, f"mastodon status: {exc}"))


def _post(item: dict[str, Any]) -> DiscoveredPost:
    hrefs, text = html_links(item.get("content"))
    card = item.get("card")
    if isinstance(card, dict) and card.get("url"):
        hrefs.append(card["url"])
    account = item["account"]
    return DiscoveredPost(
        platform=NAME, post_id=item.get("uri") or item["id"], post_url=item.get("url") or item["uri"],
        author=account.get("acct") or account.get("username"), published_at=parse_time(item["created_at"]),
        text=text, links=list(dict.fromkeys(hrefs)), likes=count(item.get("favourites_count")),
        reposts=count(item.get("reblogs_count")), replies=count(item.get("replies_count")),
    )
