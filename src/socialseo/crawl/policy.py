"""Where socialseo's outbound requests may go: one policy for every network client in the package.

The crawler, the og:image probe, ``ingest pages``, ``inspect`` and the profile audit all fetch URLs that come from
the web, so each of them could be turned into a way into the network it runs in (server-side request forgery): a
page, a redirect or an og:image can name ``127.0.0.1``, ``10.0.0.5`` or the cloud's metadata service. The policy
refuses such addresses in three places, so no single gap lets a request through:

- before any connection, for hosts written as IP literals (aiohttp does not call the resolver for them), in every
  spelling the URL parser lets through: IPv6, IPv4-mapped IPv6 (``[::ffff:127.0.0.1]``), and the decimal, octal
  and hex IPv4 forms that ``inet_aton`` accepts (``2130706433``, ``0x7f.1``);
- at connection time, in the resolver aiohttp connects through, on every address a name resolves to, so a name
  that resolves to a public address once and to a private one later cannot slip past;
- on every redirect hop, which :func:`socialseo.crawl.fetch.fetch` follows by hand for that reason.

``--allow-private`` lifts the refusal of private, loopback and link-local addresses, but not of cloud metadata
endpoints: crawling an intranet must not read the machine's cloud credentials. ``--allow-host HOST[:PORT]`` lifts
the refusal for that one host (and port), which is how a site on a private address or a local test server is
reached while a redirect from it to anywhere else private is still refused.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from dataclasses import dataclass
from functools import cached_property, lru_cache
from importlib import resources
from urllib.parse import urlsplit

import yaml
from aiohttp.abc import AbstractResolver, ResolveResult
from aiohttp.resolver import DefaultResolver

from socialseo.errors import SocialSeoError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
REFUSED = "refused"
"""How every refusal's message begins, so a stored error says at a glance that no request was made."""

_DEFAULT_PORTS = {"http": 80, "https": 443}
_NUMERIC_V4 = re.compile(r"(?:0x[0-9a-f]*|[0-9]+)(?:\.(?:0x[0-9a-f]*|[0-9]+)){0,3}", re.IGNORECASE)


class BlockedAddressError(SocialSeoError, OSError):
    """The URL's host is, or resolves to, an address the policy refuses (see ``--allow-private``)."""


@dataclass(frozen=True)
class _Networks:
    metadata: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]
    embedding: tuple[ipaddress.IPv6Network, ...]
    private: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]


@lru_cache(maxsize=1)
def _networks() -> _Networks:
    text = resources.files("socialseo.crawl").joinpath("data", "blocked_addresses.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    embedding = tuple(ipaddress.IPv6Network(n) for n in data["embedding"])
    return _Networks(
        tuple(ipaddress.ip_network(n) for n in data["metadata"]), embedding,
        tuple(ipaddress.ip_network(n) for n in data.get("private", [])),
    )


def literal_address(host: str) -> IPAddress | None:
    """The address a URL host names when it is an IP literal in any form a resolver would accept, else None.

    >>> str(literal_address("[::ffff:127.0.0.1]")), str(literal_address("0x7f.1")), literal_address("example.com")
    ('::ffff:7f00:1', '127.0.0.1', None)
    """
    text = host.strip().strip("[]").rstrip(".").split("%", 1)[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        pass
    if _NUMERIC_V4.fullmatch(text):
        try:  # what getaddrinfo does with such a host: 2130706433, 017700000001, 127.1 are all 127.0.0.1
            return ipaddress.IPv4Address(socket.inet_aton(text))
        except OSError:
            return None
    return None


def _embedded_v4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip.teredo is not None:
        return ip.teredo[1]
    if any(ip in net for net in _networks().embedding):
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def address_kind(address: str | IPAddress) -> str | None:
    """Why ``address`` is refused ("loopback", "cloud metadata", ...), or None for a public unicast address.

    >>> address_kind("93.184.216.34"), address_kind("::ffff:127.0.0.1"), address_kind("169.254.169.254")
    (None, 'loopback', 'cloud metadata')
    """
    ip = address if not isinstance(address, str) else ipaddress.ip_address(address.split("%", 1)[0])
    candidates: list[IPAddress] = [ip]
    if isinstance(ip, ipaddress.IPv6Address) and (inner := _embedded_v4(ip)) is not None:
        candidates.insert(0, inner)
    nets = _networks()
    for candidate in candidates:
        if any(candidate in net for net in nets.metadata):
            return "cloud metadata"
    for candidate in candidates:
        for kind, flag in (("loopback", candidate.is_loopback), ("link-local", candidate.is_link_local),
                           ("multicast", candidate.is_multicast), ("unspecified", candidate.is_unspecified),
                           ("private", candidate.is_private), ("reserved", candidate.is_reserved)):
            if flag:
                return kind
        if any(candidate in net for net in nets.private) or not candidate.is_global:
            return "non-public"
    return None


def _normal_host(host: str) -> str:
    ip = literal_address(host)
    if ip is None:
        return host.strip("[]").rstrip(".").lower()
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return str(ip)


def parse_allow_host(entry: str) -> tuple[str, int | None]:
    """``HOST`` or ``HOST:PORT`` (``[::1]:8080`` for IPv6) as ``(host, port)``; a bad entry is a user error."""
    try:
        parts = urlsplit("//" + entry.strip())
        host, port = parts.hostname, parts.port
    except ValueError as exc:
        raise SocialSeoError(f"--allow-host {entry!r}: not HOST or HOST:PORT ({exc})") from exc
    if not host or parts.path or parts.query or parts.username:
        raise SocialSeoError(f"--allow-host {entry!r}: not HOST or HOST:PORT, e.g. 127.0.0.1:8000 or intranet.example")
    return _normal_host(host), port


@dataclass(frozen=True)
class AddressPolicy:
    """Which addresses requests may reach; the default refuses everything but public unicast addresses.

    >>> policy = AddressPolicy(allow_hosts=("127.0.0.1:8000",))
    >>> policy.check_url("http://127.0.0.1:8000/")  # allowed by name and port
    >>> policy.check_url("http://127.0.0.1:9000/")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    socialseo.crawl.policy.BlockedAddressError: refused 127.0.0.1:9000: 127.0.0.1 is a loopback address; ...
    """

    allow_private: bool = False
    allow_hosts: tuple[str, ...] = ()

    @cached_property
    def _allowed(self) -> frozenset[tuple[str, int | None]]:
        return frozenset(parse_allow_host(entry) for entry in self.allow_hosts)

    def validate(self) -> None:
        """Raise a user error now for a malformed ``--allow-host`` rather than at the first request."""
        _ = self._allowed

    def host_allowed(self, host: str, port: int) -> bool:
        """True when the user named this host (and port, if they gave one) with ``--allow-host``."""
        allowed = self._allowed
        name = _normal_host(host)
        return (name, port) in allowed or (name, None) in allowed

    def check_address(self, host: str, port: int, address: str | IPAddress) -> None:
        """Raise :class:`BlockedAddressError` if a connection to ``address`` (for ``host:port``) is refused."""
        if self.host_allowed(host, port):
            return
        kind = address_kind(address)
        if kind is None or (self.allow_private and kind != "cloud metadata"):
            return
        shown = f"[{host}]" if ":" in host else host
        how = "" if kind == "cloud metadata" else "--allow-private or "
        raise BlockedAddressError(
            f"{REFUSED} {shown}:{port}: {address} is a {kind} address; not connected "
            f"(pass {how}--allow-host {shown}:{port} to allow it)"
        )

    def check_url(self, url: str) -> None:
        """Refuse ``url`` before any connection: a scheme other than http(s), or a refused IP literal as host.

        Names are checked when they are resolved (:class:`PolicyResolver`), on the addresses actually used.
        """
        parts = urlsplit(url)
        if parts.scheme not in _DEFAULT_PORTS:
            raise BlockedAddressError(f"{REFUSED} {url}: only http and https URLs are fetched")
        try:
            host, port = parts.hostname, parts.port or _DEFAULT_PORTS[parts.scheme]
        except ValueError as exc:
            raise BlockedAddressError(f"{REFUSED} {url}: bad URL ({exc})") from exc
        if not host:
            raise BlockedAddressError(f"{REFUSED} {url}: no host")
        ip = literal_address(host)
        if ip is not None:
            self.check_address(host, port, ip)

    def check_start(self, url: str) -> None:
        """:meth:`check_url`, then resolve a named host and check its addresses: a clear refusal before any work.

        For the URL a user typed; a name that does not resolve is left to the request itself, which reports it.
        The connection is checked again when it is made (the name may resolve differently by then).
        """
        self.validate()
        self.check_url(url)
        parts = urlsplit(url)
        host, port = parts.hostname or "", parts.port or _DEFAULT_PORTS[parts.scheme]
        if literal_address(host) is not None or self.host_allowed(host, port):
            return
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (OSError, UnicodeError):
            return
        for info in infos:
            self.check_address(host, port, str(info[4][0]))


class PolicyResolver(AbstractResolver):
    """Resolves like aiohttp's default resolver, then refuses the addresses the policy refuses."""

    def __init__(self, policy: AddressPolicy) -> None:
        self._inner = DefaultResolver()
        self.policy = policy

    async def resolve(self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET) -> list[
        ResolveResult
    ]:
        results = await self._inner.resolve(host, port, family)
        for result in results:
            self.policy.check_address(host, port, result["host"])
        return results

    async def close(self) -> None:
        await self._inner.close()


__all__ = [
    "REFUSED", "AddressPolicy", "BlockedAddressError", "PolicyResolver", "address_kind", "literal_address",
    "parse_allow_host",
]
