"""Mastodon posts on servers no list names: ``https://any.server/@alice/113456789012345678`` is a Mastodon post.

Mastodon has no central host, and new servers appear every week, so a host list always lags. A post's address
has a shape no ordinary site uses: ``/@name/<snowflake id>`` (or ``/@name@host/<id>``, or the ActivityPub form
``/users/name/statuses/<id>``). The shape is a fact about Mastodon kept in ``data/fediverse.yaml``; this module
turns it into the regular-expression piece the referrer origin keeps (read alike by Python and DuckDB, so the bulk
path still classifies each distinct origin once) and the test on the kept path. Hosts in a list are decided by
their host first, so Medium's ``/@name/slug`` or TikTok's ``/@name/video/<id>`` never reach this.
"""

from __future__ import annotations

import re
from functools import cache

from socialseo.classify._data import load


@cache
def _facts() -> tuple[str, tuple[str, ...]]:
    data = load("fediverse")
    status_id = f"[0-9]{{{int(data['min_id_digits'])},20}}"
    return str(data["platform"]), tuple(str(p).replace("ID", status_id) for p in data["paths"])


def platform() -> str:
    """The platform a post-shaped path names (``mastodon``)."""
    return _facts()[0]


@cache
def status_path_pattern() -> str:
    """The alternation of post path shapes, without anchors or a group (RE2 and Python alike)."""
    return "|".join(_facts()[1])


@cache
def _status_re() -> re.Pattern[str]:
    return re.compile(f"(?:{status_path_pattern()})")


def is_status_path(path: str) -> bool:
    """Whether a referrer's kept path has the shape of a Mastodon post.

    >>> is_status_path("/@alice/113456789012345678"), is_status_path("/@alice@mas.to/113456789012345678")
    (True, True)
    >>> is_status_path("/@alice/video/113456789012345678"), is_status_path("/@alice/about")
    (False, False)
    """
    return _status_re().fullmatch(path) is not None
