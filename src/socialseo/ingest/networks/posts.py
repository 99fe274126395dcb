"""What a discovered post is, whatever network it came from, and how its links are read."""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from html.parser import HTMLParser
from typing import Any

_URL_IN_TEXT = re.compile(r"https?://[^\s<>\"'()\[\]]+", re.IGNORECASE)


@dataclass
class DiscoveredPost:
    """One public post that may link to the site, with the engagement its network shows publicly.

    ``links`` are every URL the post carries (link facets, cards, embeds, text); which of them point to the site is
    decided when the post is stored. Counts a network does not have stay ``None``.
    """

    platform: str
    post_id: str
    post_url: str
    author: str | None
    published_at: datetime | None
    text: str | None
    links: list[str] = field(default_factory=list)
    likes: int | None = None
    reposts: int | None = None
    replies: int | None = None
    score: int | None = None

    def record(self) -> dict[str, Any]:
        data = asdict(self)
        data["published_at"] = self.published_at.isoformat() if self.published_at else None
        return data


@dataclass
class Malformed:
    """An item of an API answer that could not be read as a post: kept in the quarantine with where it came from."""

    source: str
    index: int
    raw: str
    reason: str


def malformed(source: str, index: int, item: Any, reason: str) -> Malformed:
    try:
        raw = json.dumps(item, default=str)[:2000]
    except (TypeError, ValueError):
        raw = repr(item)[:2000]
    return Malformed(source, index, raw, reason)


def urls_in_text(text: str | None) -> list[str]:
    """URLs written out in plain text, trailing punctuation dropped."""
    return [u.rstrip(".,;:!?") for u in _URL_IN_TEXT.findall(text or "")]


class _Hrefs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.hrefs.extend(v for k, v in attrs if k == "href" and v)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def html_links(html: str | None) -> tuple[list[str], str]:
    """The hrefs of an HTML fragment (a Mastodon status) and its plain text."""
    parser = _Hrefs()
    parser.feed(html or "")
    parser.close()
    return parser.hrefs, " ".join(" ".join(parser.text).split())


def parse_time(value: Any) -> datetime | None:
    """An ISO 8601 string or epoch seconds as naive UTC, as the warehouse stores times."""
    if value is None or value == "":
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return datetime.fromtimestamp(float(value), UTC).replace(tzinfo=None)
    if not isinstance(value, str):
        raise ValueError(f"not a time: {value!r}")
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return parsed.astimezone(UTC).replace(tzinfo=None) if parsed.tzinfo else parsed


def count(value: Any) -> int | None:
    """A public count, or None when the network does not give it; anything else is malformed."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"not a count: {value!r}")
    return int(value)
