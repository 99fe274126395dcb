"""Which addresses the crawler may connect to.

A crawler fed URLs from the web must not become a way into the network it runs in: private, loopback,
link-local, multicast and reserved addresses are refused unless the user says ``--allow-private``. The check sits in
the DNS resolver aiohttp connects through, so it covers every hop of a redirect and cannot be sidestepped by a
name that resolves differently on the second lookup.
"""

from __future__ import annotations

import ipaddress
import socket

from aiohttp.abc import AbstractResolver, ResolveResult
from aiohttp.resolver import DefaultResolver

from socialseo.errors import SocialSeoError


class BlockedAddressError(SocialSeoError, OSError):
    """The URL's host resolves to an address the crawler refuses (see ``--allow-private``)."""


def is_public_address(address: str) -> bool:
    """True when ``address`` is a globally routable unicast address.

    >>> is_public_address("93.184.216.34"), is_public_address("127.0.0.1"), is_public_address("fe80::1")
    (True, False, False)
    """
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return not (
        ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_multicast or ip.is_reserved
        or ip.is_unspecified or not ip.is_global
    )


class SafeResolver(AbstractResolver):
    """Resolves like aiohttp's default resolver, then refuses non-public addresses unless allowed."""

    def __init__(self, *, allow_private: bool = False) -> None:
        self._inner = DefaultResolver()
        self.allow_private = allow_private

    async def resolve(self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET) -> list[
        ResolveResult
    ]:
        results = await self._inner.resolve(host, port, family)
        if self.allow_private:
            return results
        blocked = [r["host"] for r in results if not is_public_address(r["host"])]
        if blocked:
            raise BlockedAddressError(
                f"{host} resolves to {blocked[0]}, a private, loopback or link-local address; "
                "pass --allow-private to crawl it"
            )
        return results

    async def close(self) -> None:
        await self._inner.close()


def literal_host_blocked(host: str, *, allow_private: bool) -> bool:
    """True when ``host`` is an IP literal the crawler must refuse (names are checked at connection time)."""
    if allow_private:
        return False
    try:
        return not is_public_address(host.strip("[]"))
    except ValueError:
        return host in {"localhost"} or host.endswith(".localhost")


__all__ = ["BlockedAddressError", "SafeResolver", "is_public_address", "literal_host_blocked"]
