"""Local stand-ins for the four open networks' APIs, speaking their documented answers and paging.

Each serves two pages (cursor, max_id, after, page) holding one post that links to the site (www.example.com) and
one that links elsewhere; ``limited`` answers the first request with 429 and ``Retry-After: 1``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager

from aiohttp import web
from tests.crawl.sites import Handler, serve

SITE = "https://www.example.com"


def _json(payload: object, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    return web.Response(text=json.dumps(payload), status=status, content_type="application/json", headers=headers)


def limited_once(handler: Handler) -> Handler:
    """The first request is told to wait a second (429, Retry-After: 1); the rest are answered."""
    seen = {"n": 0}

    async def wrapped(request: web.Request) -> web.StreamResponse:
        seen["n"] += 1
        if seen["n"] == 1:
            return _json({"error": "RateLimitExceeded"}, 429, {"Retry-After": "1"})
        return await handler(request)
    return wrapped


async def bluesky(request: web.Request) -> web.Response:
    assert request.query["domain"] == "example.com" and request.query["q"]
    if request.query.get("cursor") != "page2":
        post = {"uri": "at://did:plc:alice/app.bsky.feed.post/3kabc", "cid": "x",
                "author": {"did": "did:plc:alice", "handle": "alice.bsky.social"},
                "record": {"text": "Read this", "createdAt": "2026-11-20T10:00:00.000Z",
                           "facets": [{"features": [{"$type": "app.bsky.richtext.facet#link",
                                                     "uri": f"{SITE}/blog/launch?utm_source=bsky"}]}]},
                "likeCount": 12, "repostCount": 3, "quoteCount": 1, "replyCount": 2}
        elsewhere = {**post, "uri": "at://did:plc:bob/app.bsky.feed.post/3kxyz",
                     "author": {"did": "did:plc:bob", "handle": "bob.bsky.social"},
                     "record": {"text": "other https://other.example.org/x", "createdAt": "2026-11-20T11:00:00Z"}}
        return _json({"cursor": "page2", "posts": [post, elsewhere]})
    second = {"uri": "at://did:plc:carol/app.bsky.feed.post/3kdef", "author": {"did": "d", "handle": "carol.test"},
              "record": {"text": "x", "createdAt": "2026-11-21T09:00:00Z",
                         "embed": {"external": {"uri": f"{SITE}/pricing"}}},
              "likeCount": 5, "repostCount": 0, "replyCount": 0}
    return _json({"posts": [second]})


def _status(ident: str, href: str, favs: int) -> dict[str, object]:
    return {"id": ident, "uri": f"https://social.example/users/dan/statuses/{ident}",
            "url": f"https://social.example/@dan/{ident}", "created_at": "2026-11-19T08:00:00.000Z",
            "account": {"acct": "dan@social.example", "username": "dan"},
            "content": f'<p>Look <a href="{href}" rel="nofollow noopener">here</a></p>',
            "favourites_count": favs, "reblogs_count": 4, "replies_count": 1}


async def mastodon_search(request: web.Request) -> web.Response:
    return _json({"accounts": [], "hashtags": [], "statuses": [_status("1100", f"{SITE}/blog/launch", 7)]})


async def mastodon_public(request: web.Request) -> web.Response:
    if request.query.get("max_id") is None:
        return _json([_status("1010", "https://elsewhere.example.net/", 1), _status("1009", f"{SITE}/docs", 2)])
    return _json([])


async def reddit(request: web.Request) -> web.Response:
    def child(ident: str, url: str, score: int) -> dict[str, object]:
        return {"kind": "t3", "data": {"id": ident, "name": f"t3_{ident}", "url": url, "author": "erin",
                                       "permalink": f"/r/python/comments/{ident}/x/", "created_utc": 1763600000.0,
                                       "score": score, "num_comments": 9, "title": "A post"}}
    if request.query.get("after") is None:
        return _json({"kind": "Listing", "data": {"after": "t3_aa", "children": [
            child("aa", f"{SITE}/blog/launch", 41), child("ab", "https://www.other.example.com/", 3)]}})
    return _json({"kind": "Listing", "data": {"after": None, "children": [child("ac", f"{SITE}/about", 8)]}})


async def hackernews(request: web.Request) -> web.Response:
    assert request.query["restrictSearchableAttributes"] == "url"
    page = int(request.query.get("page", "0"))
    hits = [{"objectID": "4100", "title": "Launch", "url": f"{SITE}/blog/launch", "author": "pg", "points": 120,
             "num_comments": 33, "created_at": "2026-11-20T12:00:00.000Z"},
            {"objectID": "4101", "title": "Not ours", "url": "https://example.com.evil.test/", "author": "x",
             "points": 1, "num_comments": 0, "created_at": "2026-11-20T12:00:00.000Z"}] if page == 0 else []
    return _json({"hits": hits, "page": page, "nbPages": 2, "hitsPerPage": 100})


@contextmanager
def networks(*, limited: bool = False) -> Iterator[dict[str, str]]:
    """All four stand-ins; yields the environment that points socialseo at them."""
    wrap = limited_once if limited else (lambda h: h)
    with ExitStack() as stack:
        env = {
            "SOCIALSEO_BLUESKY_API_BASE": stack.enter_context(serve({"/xrpc/app.bsky.feed.searchPosts": wrap(bluesky)})),
            "SOCIALSEO_MASTODON_INSTANCE": stack.enter_context(serve({
                "/api/v2/search": wrap(mastodon_search), "/api/v1/timelines/public": mastodon_public})),
            "SOCIALSEO_REDDIT_API_BASE": stack.enter_context(serve({"/domain/example.com/new.json": wrap(reddit)})),
            "SOCIALSEO_HN_API_BASE": stack.enter_context(serve({"/api/v1/search": wrap(hackernews)})),
        }
        yield env
