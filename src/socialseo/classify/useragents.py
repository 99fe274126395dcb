"""Classify user agents: is it a bot (which, for what purpose), and is it a social platform's in-app browser?

Bots (``data/bots.yaml``, then the imported ``data/crawler_user_agents.yaml``) are tested first: Facebook's
link-preview fetcher ``facebookexternalhit`` is a bot, not a visit from Facebook. Otherwise the in-app browser
tokens of ``data/platforms.yaml`` (``FBAN/``, ``Instagram 300.0``, ``LinkedInApp`` ...) name the platform whose
app the visitor clicked in, which is the evidence for dark-social visits that arrive without a referrer.

Classification runs over a whole column of distinct user agents at once (:func:`classify_user_agents`), in
compiled code: every bot token goes into one Aho-Corasick automaton (pyahocorasick, built once per process),
which reads each user agent once whatever the number of tokens. The few entries that need a real regular expression, and
the generic rules, run afterwards with Rust's linear-time regex engine and only on what the automaton left
undecided. A user agent is matched on its first :data:`MAX_MATCHED_CHARS` characters, so no input makes the
work more than linear in the bytes read; a longer one is flagged (``over_long``) and, when the prefix names no
bot, reported as the bot :data:`OVER_LONG_BOT`: no browser sends a user agent of kilobytes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any, TypeVar

import ahocorasick
import polars as pl

from socialseo.classify import catalog
from socialseo.classify._data import load

T = TypeVar("T")

OTHER_BOT = "Other bot"
OVER_LONG_BOT = "Over-long user agent"
MAX_MATCHED_CHARS = 4096
"""User agents are matched on this many leading characters; real ones stay under 600."""

PURPOSES = ("training", "search_index", "user_fetch", "preview", "seo_tool", "monitor", "library", "other")
"""What a bot fetches pages for; see ``data/bots.yaml``."""


@dataclass(frozen=True)
class Bot:
    """One automated client: its reported name, its purpose, and the operator whose ranges can verify it."""

    name: str
    purpose: str
    operator: str | None = None


@dataclass(frozen=True)
class UserAgentClass:
    """What a user agent says: a bot (which, and what for), or the platform whose in-app browser it is.

    ``operator`` is set when the bot's operator publishes its addresses, so a hit can be checked
    (:mod:`socialseo.classify.verify`); ``over_long`` when the user agent was longer than
    :data:`MAX_MATCHED_CHARS` and only its start was read.
    """

    is_bot: bool
    bot_name: str | None
    inapp_platform: str | None
    bot_purpose: str | None = None
    operator: str | None = None
    over_long: bool = False


NOT_CLASSIFIED = UserAgentClass(False, None, None)
_OTHER = Bot(OTHER_BOT, "other")
_OVER_LONG = Bot(OVER_LONG_BOT, "other")


@dataclass(frozen=True)
class _Matcher:
    tokens: tuple[str, ...]  # every token, best first: our list before the imported one, then longest first
    automaton: Any  # ahocorasick.Automaton: token (lower case) -> (rank, source, length); rank indexes ``bots``
    bots: tuple[Bot, ...]  # by rank
    patterns: tuple[tuple[str, Bot], ...]  # entries that are real regular expressions, in file order
    generic: str
    not_bots: tuple[str, ...]
    browser_prefixes: tuple[str, ...]


def _bot(raw: dict[str, object], where: str) -> Bot:
    purpose = str(raw.get("purpose") or "other")
    if purpose not in PURPOSES:
        raise ValueError(f"{where}: bot {raw.get('name')!r} has unknown purpose {purpose!r}; use one of {PURPOSES}")
    operator = raw.get("operator")
    return Bot(str(raw["name"]), purpose, str(operator) if operator else None)


def _automaton(ranks: dict[str, int], sources: list[int]) -> Any:
    automaton = ahocorasick.Automaton()
    for token, rank in ranks.items():
        automaton.add_word(token, (rank, sources[rank], len(token)))
    automaton.make_automaton()
    return automaton


@cache
def _matcher() -> _Matcher:
    pairs: list[tuple[int, str, Bot]] = []
    patterns: list[tuple[str, Bot]] = []
    for source, name in enumerate(("bots", "crawler_user_agents")):
        for raw in load(name)["bots"]:
            bot = _bot(raw, f"{name}.yaml")
            pairs.extend((source, str(token), bot) for token in raw.get("tokens") or ())
            if raw.get("pattern"):
                patterns.append((f"(?i){raw['pattern']}", bot))
    pairs.sort(key=lambda p: (p[0], -len(p[1])))
    seen: dict[str, int] = {}
    bots: list[Bot] = []
    sources: list[int] = []
    for source, token, bot in pairs:
        key = token.lower()
        if key not in seen:  # a token listed twice keeps its best-ranked bot
            seen[key] = len(bots)
            bots.append(bot)
            sources.append(source)
    data = load("bots")
    generic = "|".join(f"(?:{p})" for p in data.get("generic") or ())
    return _Matcher(
        tokens=tuple(seen),
        automaton=_automaton(seen, sources),
        bots=tuple(bots),
        patterns=tuple(patterns),
        generic=f"(?i){generic}",
        not_bots=tuple(str(s).lower() for s in data.get("not_bots") or ()),
        browser_prefixes=tuple(str(s) for s in data.get("browser_prefixes") or ()),
    )


@cache
def _inapp_patterns() -> tuple[tuple[str, str], ...]:
    return tuple(
        ("|".join(f"(?:{t})" for t in p.ua_tokens), p.id) for p in catalog.platforms().values() if p.ua_tokens
    )


def _first_match(head: pl.Series, rows: list[bool], patterns: Sequence[tuple[str, T]]) -> list[tuple[int, T]]:
    """(row, value) for the rows marked in ``rows`` that one of ``patterns`` matches; the first pattern wins.

    One combined expression finds the rows any pattern matches (usually none); only those are tried pattern by
    pattern, so a call costs two or three passes of the linear-time engine, not one per pattern.
    """
    if not patterns or not any(rows):
        return []
    candidates = pl.Series(rows).arg_true()
    texts = head.gather(candidates)
    combined = "|".join(f"(?:{p})" for p, _ in patterns)
    hit = texts.str.contains(combined).fill_null(False)
    if not hit.any():
        return []
    which = hit.arg_true()
    rows_hit, texts = candidates.gather(which).to_list(), texts.gather(which)
    out: list[tuple[int, T]] = []
    decided = [False] * len(rows_hit)
    for pattern, value in patterns:
        for k, matched in enumerate(texts.str.contains(pattern).fill_null(False).to_list()):
            if matched and not decided[k]:
                decided[k] = True
                out.append((rows_hit[k], value))
    return out


def _bots_of(head: pl.Series, undecided: pl.Series) -> list[Bot | None]:
    """The bot each value of ``head`` names, None where it names none; ``undecided`` marks the values to read."""
    m = _matcher()
    found: list[Bot | None] = [None] * len(head)
    automaton = m.automaton
    for i, (text, read) in enumerate(zip(head.to_list(), undecided.to_list(), strict=True)):
        if not read or not text:
            continue
        best: tuple[int, int, int] | None = None
        # all tokens found, in one pass: our list first; then the token found first; at one place, the longest
        for end, (rank, source, length) in automaton.iter(text.lower()):
            key = (source, end - length, rank)
            if best is None or key < best:
                best = key
        if best is not None:
            found[i] = m.bots[best[2]]
    left = (undecided & pl.Series([b is None for b in found])).to_list()
    for i, bot in _first_match(head, left, m.patterns):
        found[i] = bot
        left[i] = False
    if any(left) and m.generic != "(?i)":
        candidates = pl.Series(left).arg_true()
        words = head.gather(candidates).str.extract_all(m.generic)
        for i, matches in zip(candidates.to_list(), words.to_list(), strict=True):
            if any(not any(nb in w.lower() for nb in m.not_bots) for w in matches or ()):
                found[i] = _OTHER
                left[i] = False
    if any(left) and m.browser_prefixes:
        browser = pl.Series([False] * len(head))
        for prefix in m.browser_prefixes:
            browser = browser | head.str.starts_with(prefix).fill_null(False)
        # a platform's own app (Instagram 300.0 ...) is a person's in-app browser, not a program
        app = "|".join(f"(?:{p})" for p, _ in _inapp_patterns())
        if app:
            browser = browser | head.str.contains(app).fill_null(False)
        for i in (pl.Series(left) & ~browser).arg_true().to_list():
            found[i] = _OTHER
    return found


def classify_user_agents(user_agents: Sequence[str | None]) -> list[UserAgentClass]:
    """Classify many user agents at once (distinct ones, ideally); the answers come in the same order.

    >>> [c.bot_name for c in classify_user_agents(["Mozilla/5.0 (compatible; GPTBot/1.2)", "Mozilla/5.0"])]
    ['GPTBot', None]
    """
    if not user_agents:
        return []
    column = pl.Series("ua", list(user_agents), dtype=pl.String)
    # "-" is a log's "none"; str.strip, not Polars', so that one value and a column agree on what is blank
    present = pl.Series([v is not None and v.strip() not in ("", "-") for v in user_agents], dtype=pl.Boolean)
    over_long = (column.str.len_chars() > MAX_MATCHED_CHARS).fill_null(False)
    head = column.str.slice(0, MAX_MATCHED_CHARS)
    bots = _bots_of(head, present)
    inapp: list[str | None] = [None] * len(head)
    left = (present & pl.Series([b is None for b in bots]) & ~over_long).to_list()
    for i, app in _first_match(head, left, _inapp_patterns()):
        inapp[i] = app
    long_flags = over_long.to_list()
    out: list[UserAgentClass] = []
    for bot, platform, long in zip(bots, inapp, long_flags, strict=True):
        if bot is None and long:
            bot = _OVER_LONG
        if bot is not None:
            out.append(UserAgentClass(True, bot.name, None, bot.purpose, bot.operator, bool(long)))
        elif platform is not None:
            out.append(UserAgentClass(False, None, platform))
        else:
            out.append(NOT_CLASSIFIED)
    return out


def bot_name(user_agent: str) -> str | None:
    """The bot's name if ``user_agent`` is an automated client, else None."""
    return classify_user_agent(user_agent).bot_name


def inapp_platform(user_agent: str) -> str | None:
    """The platform id whose in-app browser sent ``user_agent`` (``FBAN/FBIOS`` is facebook), else None."""
    return classify_user_agent(user_agent).inapp_platform


@lru_cache(maxsize=65536)
def classify_user_agent(user_agent: str | None) -> UserAgentClass:
    """Classify one user agent; a missing one is neither a bot nor an in-app browser.

    For many, :func:`classify_user_agents` is far cheaper: the automaton reads them all in one pass.

    >>> classify_user_agent("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)").bot_name
    'Googlebot'
    >>> classify_user_agent("Mozilla/5.0 (iPhone) Mobile/15E148 [FBAN/FBIOS;FBAV/450.0]").inapp_platform
    'facebook'
    """
    if not user_agent or user_agent.strip() in ("", "-"):
        return NOT_CLASSIFIED
    return classify_user_agents([user_agent])[0]
