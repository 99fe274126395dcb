"""Reddit: submissions linking to the site, from ``/domain/{domain}/new.json`` and ``/api/info.json?url=``.

Both answer a Listing (``{"kind": "Listing", "data": {"children": [...], "after": ...}}``); the domain listing is
paged with ``after`` (the last fullname). ``urls`` adds the submissions of chosen pages. Engagement: score and the
number of comments.
"""

from __future__ import annotations

from typing import Any

from socialseo.ingest.networks.client import JsonClient, NetworkError
from socialseo.ingest.networks.posts import DiscoveredPost, Malformed, count, malformed, parse_time, urls_in_text

NAME = "reddit"
DEFAULT_BASE = "https://www.reddit.com"
ENV = "SOCIALSEO_REDDIT_API_BASE"


async def discover(
    client: JsonClient, domain: str, max_pages: int, urls: tuple[str, ...] = ()
) -> tuple[list[DiscoveredPost], list[Malformed]]:
    posts: list[DiscoveredPost] = []
    bad: list[Malformed] = []
    after: str | None = None
    path = f"/domain/{domain}/new.json"
    for _ in range(max_pages):
        params = {"limit": 100, "after": after, "raw_json": 1}
        children, after = _listing(await client.get(path, params), client.url(path, params))
        _read(children, client.url(path, params), posts, bad)
        if not after or not children:
            break
    for url in urls:
        params = {"url": url, "raw_json": 1}
        children, _ = _listing(await client.get("/api/info.json", params), client.url("/api/info.json", params))
        _read(children, client.url("/api/info.json", params), posts, bad)
    return posts, bad


def _listing(answer: tuple[Any, Any], source: str) -> tuple[list[Any], str | None]:
    body = answer[0]
    data = body.get("data") if isinstance(body, dict) else None
    if not isinstance(data, dict) or not isinstance(data.get("children"), list):
        raise NetworkError(f"{NAME}: {source} answered without a Listing")
    after = data.get("after")
    return data["children"], after if isinstance(after, str) else None


def _read(children: list[Any], source: str, posts: list[DiscoveredPost], bad: list[Malformed]) -> None:
    for index, child in enumerate(children):
        try:
            posts.append(_post(child["data"]))
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            bad.append(malformed(source, index, child, f"reddit submission: {exc}"))


def _post(data: dict[str, Any]) -> DiscoveredPost:
    links = [data["url"]] if data.get("url") else []
    links.extend(urls_in_text(data.get("selftext")))
    permalink = data["permalink"]
    return DiscoveredPost(
        platform=NAME, post_id=data.get("name") or f"t3_{data['id']}",
        post_url=permalink if permalink.startswith("http") else f"https://www.reddit.com{permalink}",
        author=data.get("author"), published_at=parse_time(data.get("created_utc")), text=data.get("title"),
        links=links, score=count(data.get("score")), replies=count(data.get("num_comments")),
    )
