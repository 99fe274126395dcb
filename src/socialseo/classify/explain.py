"""One hit's attribution, spelled out for a person: what was decided and which rule decided it.

Used by ``socialseo classify`` and :meth:`socialseo.api.Project.classify`, so a user can check a single
referrer/user agent/landing URL against the same rules the bulk import applies.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from socialseo.classify.attribution import attribute
from socialseo.classify.hosts import parse_host
from socialseo.classify.referrers import classify_referrer
from socialseo.classify.urls import page_key
from socialseo.classify.useragents import classify_user_agent
from socialseo.classify.verify import verify_bot

_EVIDENCE_TEXT = {
    "utm": "utm_source/utm_medium on the landing URL",
    "click_id": "a click-id parameter on the landing URL",
    "internal": "the referrer is the site itself",
    "referrer_host": "the referrer's host",
    "referrer_path": "the referrer's host and path (an AI assistant inside another site: x.com/i/grok)",
    "referrer_shape": "the referrer's path has the shape of a Mastodon post on a server not in the host list "
                      "(less certain than a listed host)",
    "shortener": "a platform's link shortener or outbound-link wrapper",
    "app_referrer": "an Android app referrer (android-app://)",
    "ua_inapp": "no referrer, but a platform's in-app browser user agent (dark social)",
    "none": "no referrer and no other evidence",
}


def explain_hit(
    referrer: str | None,
    user_agent: str | None = None,
    url: str | None = None,
    site_hosts: Sequence[str] = (),
    ip: str | None = None,
) -> dict[str, Any]:
    """Channel, platform, evidence, bot flag, purpose and verification, and a plain label for one hit.

    When ``url`` is absolute and no site host is given, the URL's host is the site. ``bot_verified`` needs the
    client address ``ip``: True when it is in the claimed operator's published ranges, False for an impostor,
    None when it cannot be said (no address, not a verifiable bot, or no ranges bundled for its operator).

    >>> explain_hit("-", "Mozilla/5.0 [FBAN/FBIOS;FBAV/450.0]", "/post")["label"]
    'social: facebook (dark social: in-app browser)'
    """
    hosts = list(site_hosts)
    if not hosts and url and "://" in url:
        host = parse_host(url.split("://", 1)[1].split("/", 1)[0].split("?", 1)[0])
        if host:
            hosts = [host]
    result = attribute(referrer, user_agent, url, hosts)
    ref = classify_referrer(referrer, hosts)
    agent = classify_user_agent(user_agent)
    if result.evidence == "none" and not result.is_bot:
        label = "no referrer (counted as direct)"
    elif result.evidence in ("ua_inapp", "click_id") and ref.channel is None:
        kind = "in-app browser" if result.evidence == "ua_inapp" else "click id"
        label = f"{result.channel}: {result.platform} (dark social: {kind})"
    else:
        label = f"{result.channel}: {result.platform}" if result.platform else result.channel
        if result.evidence == "referrer_shape":
            label += " (a post's address on a server not in the host list)"
    return {
        "channel": result.channel,
        "platform": result.platform,
        "evidence": result.evidence,
        "evidence_means": _EVIDENCE_TEXT.get(result.evidence, result.evidence),
        "label": label,
        "is_bot": result.is_bot,
        "bot_name": result.bot_name,
        "bot_purpose": agent.bot_purpose,
        "bot_verified": verify_bot(agent.operator, ip) if agent.is_bot else None,
        "user_agent_over_long": agent.over_long,
        "referrer_host": ref.host,
        "page": page_key(url) if url else None,
    }
