"""Classify one user agent: is it a bot, and is it a social platform's in-app browser?

Bots (``data/bots.yaml``) are tested first: Facebook's link-preview fetcher ``facebookexternalhit`` is a bot,
not a visit from Facebook. Otherwise the in-app browser tokens of ``data/platforms.yaml`` (``FBAN/``,
``Instagram 300.0``, ``LinkedInApp`` ...) name the platform whose app the visitor clicked in, which is the
evidence for dark-social visits that arrive without a referrer.

All tokens of a kind are compiled into one regular expression, so a user agent costs one or two scans however
long the lists grow.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from socialseo.classify import catalog
from socialseo.classify._data import load

OTHER_BOT = "Other bot"


@dataclass(frozen=True)
class UserAgentClass:
    """What a user agent says: a bot (and which), or the social platform whose in-app browser it is."""

    is_bot: bool
    bot_name: str | None
    inapp_platform: str | None


NOT_CLASSIFIED = UserAgentClass(False, None, None)


@cache
def _bot_tokens() -> tuple[re.Pattern[str], tuple[str, ...]]:
    tokens: list[tuple[str, str]] = []
    for bot in load("bots")["bots"]:
        tokens.extend((str(token), str(bot["name"])) for token in bot["tokens"])
    # Longest first: where two tokens match at the same place, the more specific one names the bot.
    tokens.sort(key=lambda pair: -len(pair[0]))
    pattern = "|".join(f"(?P<t{i}>{re.escape(token)})" for i, (token, _) in enumerate(tokens))
    return re.compile(pattern, re.IGNORECASE), tuple(name for _, name in tokens)


@cache
def _generic_bot() -> tuple[re.Pattern[str], tuple[str, ...]]:
    data = load("bots")
    pattern = "|".join(f"(?:{p})" for p in data.get("generic") or ())
    return re.compile(pattern, re.IGNORECASE), tuple(str(s).lower() for s in data.get("not_bots") or ())


@cache
def _inapp_tokens() -> tuple[re.Pattern[str], tuple[str, ...]]:
    with_tokens = [p for p in catalog.platforms().values() if p.ua_tokens]
    pattern = "|".join(f"(?P<p{i}>{'|'.join(p.ua_tokens)})" for i, p in enumerate(with_tokens))
    return re.compile(pattern), tuple(p.id for p in with_tokens)


def bot_name(user_agent: str) -> str | None:
    """The bot's name if ``user_agent`` is an automated client, else None."""
    pattern, names = _bot_tokens()
    found = pattern.search(user_agent)
    if found is not None and found.lastgroup is not None:
        return names[int(found.lastgroup[1:])]
    generic, not_bots = _generic_bot()
    for match in generic.finditer(user_agent):
        if not any(word in match[0].lower() for word in not_bots):
            return OTHER_BOT
    return None


def inapp_platform(user_agent: str) -> str | None:
    """The platform id whose in-app browser sent ``user_agent`` (``FBAN/FBIOS`` is facebook), else None."""
    pattern, ids = _inapp_tokens()
    found = pattern.search(user_agent)
    if found is None or found.lastgroup is None:
        return None
    return ids[int(found.lastgroup[1:])]


@lru_cache(maxsize=65536)
def classify_user_agent(user_agent: str | None) -> UserAgentClass:
    """Classify one user agent; a missing one is neither a bot nor an in-app browser.

    >>> classify_user_agent("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)").bot_name
    'Googlebot'
    >>> classify_user_agent("Mozilla/5.0 (iPhone) Mobile/15E148 [FBAN/FBIOS;FBAV/450.0]").inapp_platform
    'facebook'
    """
    if not user_agent or not user_agent.strip():
        return NOT_CLASSIFIED
    name = bot_name(user_agent)
    if name is not None:
        return UserAgentClass(True, name, None)
    return UserAgentClass(False, None, inapp_platform(user_agent))
