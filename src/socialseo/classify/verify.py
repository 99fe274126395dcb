"""Is a hit that claims to be a search engine's or an AI operator's crawler really from that operator?

User agents are free text: anyone can send ``Googlebot``. Google, Bing, OpenAI, Perplexity, Apple, DuckDuckGo,
Amazon and Common Crawl publish the IPv4 and IPv6 ranges their crawlers use (``data/bot_ranges.yaml``, refreshed
by ``scripts/refresh_bot_data.py``), so a claim is checked against them: True when the address is in the
operator's ranges, False (an impostor) when it is not, None when the bot's operator publishes nothing we hold or
the address is not one. This needs the full address, so it runs before the address is masked for storage.
"""

from __future__ import annotations

import ipaddress
from bisect import bisect_right
from collections.abc import Sequence
from functools import cache

from socialseo.classify._data import load


@cache
def _ranges() -> dict[str, tuple[list[int], list[int]]]:
    """operator -> (sorted range starts, matching range ends), IPv6 addresses offset above every IPv4 one."""
    out: dict[str, tuple[list[int], list[int]]] = {}
    for operator, nets in (load("bot_ranges").get("operators") or {}).items():
        spans = sorted(
            (int(net.network_address) + _offset(net.version), int(net.broadcast_address) + _offset(net.version))
            for net in (ipaddress.ip_network(str(n), strict=False) for n in nets or ())
        )
        out[str(operator)] = ([s for s, _ in spans], [e for _, e in spans])
    return out


def _offset(version: int) -> int:
    return 1 << 32 if version == 6 else 0


def operators() -> frozenset[str]:
    """The operators whose published ranges are bundled."""
    return frozenset(_ranges())


def verify_bot(operator: str | None, ip: str | None) -> bool | None:
    """Whether ``ip`` is in ``operator``'s published crawler ranges; None when that cannot be said.

    >>> verify_bot("google", "66.249.66.1"), verify_bot("google", "203.0.113.9"), verify_bot(None, "66.249.66.1")
    (True, False, None)
    """
    if not operator or not ip or operator not in _ranges():
        return None
    try:
        address = ipaddress.ip_address(ip.strip())
    except ValueError:
        return None
    starts, ends = _ranges()[operator]
    value = int(address) + _offset(address.version)
    k = bisect_right(starts, value) - 1
    return k >= 0 and value <= ends[k]


def verify_bots(pairs: Sequence[tuple[str | None, str | None]]) -> list[bool | None]:
    """:func:`verify_bot` for many (operator, address) pairs: call it with the distinct pairs of a block."""
    return [verify_bot(operator, ip) for operator, ip in pairs]
