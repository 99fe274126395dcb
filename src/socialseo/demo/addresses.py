"""Client IP addresses: one per human visitor, never shared with a bot or another visitor.

Humans come from documentation ranges (RFC 5737, RFC 3849) and from address blocks typical of consumer ISPs;
bots from the blocks their operators really crawl from, so that a reverse-DNS or IP-range check has something
to work with. The two sets never overlap, which is what makes "one IP = one visitor" exact in the truth.
"""

from __future__ import annotations

import ipaddress

import numpy as np

# (first address, size). Documentation ranges first; the rest are /16s of large consumer ISPs.
_HUMAN_V4_BLOCKS: tuple[tuple[str, int], ...] = (
    ("198.51.100.0", 256),
    ("203.0.113.0", 256),
    ("24.16.0.0", 65536),
    ("73.162.0.0", 65536),
    ("76.88.0.0", 65536),
    ("81.132.0.0", 65536),
    ("86.150.0.0", 65536),
    ("92.40.0.0", 65536),
    ("98.207.0.0", 65536),
    ("174.62.0.0", 65536),
    ("188.74.0.0", 65536),
    ("212.58.0.0", 65536),
    ("217.42.0.0", 65536),
    ("101.180.0.0", 65536),
)
_IPV6_SHARE = 0.25
MALFORMED_BLOCK = "192.0.2."
"""Addresses of the deliberately broken lines: a range no visitor or bot uses, so a lenient parser that
recovers one of those lines cannot change any visitor's sessions."""

BOT_BLOCKS: dict[str, tuple[str, ...]] = {
    "googlebot": ("66.249.66.", "66.249.69.", "66.249.72."),
    "bingbot": ("40.77.167.", "157.55.39.", "207.46.13."),
    "ahrefsbot": ("54.36.148.", "54.36.149.", "51.222.253."),
    "semrushbot": ("185.191.171.",),
    "facebookexternalhit": ("69.171.230.", "173.252.83.", "31.13.103."),
    "twitterbot": ("199.16.157.", "199.59.150."),
    "linkedinbot": ("108.174.2.", "108.174.5."),
    "python-requests": ("45.148.10.", "193.142.146.", "80.94.95."),
    "curl": ("159.89.44.",),
    "headlesschrome": ("34.142.80.", "35.204.18."),
    "fake-googlebot": ("45.155.205.",),
}


def human_addresses(n: int, rng: np.random.Generator) -> list[str]:
    """``n`` distinct client addresses, a quarter of them IPv6, in a deterministic order."""
    n_v6 = round(n * _IPV6_SHARE)
    n_v4 = n - n_v6
    starts = np.array([int(ipaddress.IPv4Address(a)) for a, _ in _HUMAN_V4_BLOCKS], dtype=np.int64)
    sizes = np.array([s for _, s in _HUMAN_V4_BLOCKS], dtype=np.int64)
    v4: list[int] = []
    seen: set[int] = set()
    while len(v4) < n_v4:
        need = (n_v4 - len(v4)) * 2 + 16
        block = rng.choice(starts.size, size=need, p=sizes / sizes.sum())
        candidates = starts[block] + (rng.random(need) * sizes[block]).astype(np.int64)
        for value in candidates.tolist():
            last_octet = value & 0xFF
            if value in seen or last_octet in (0, 255):
                continue
            seen.add(value)
            v4.append(value)
            if len(v4) == n_v4:
                break
    v6_values = rng.integers(0, 1 << 16, size=(n_v6, 4))
    v6 = [f"2001:db8:{a:x}:{b:x}:{c:x}::{d + 1:x}" for a, b, c, d in v6_values.tolist()]
    v6 = list(dict.fromkeys(v6))
    while len(v6) < n_v6:
        a, b, c, d = rng.integers(0, 1 << 16, size=4).tolist()
        candidate = f"2001:db8:{a:x}:{b:x}:{c:x}::{d + 1:x}"
        if candidate not in v6:
            v6.append(candidate)
    addresses = [str(ipaddress.IPv4Address(v)) for v in v4] + v6
    order = rng.permutation(len(addresses))
    return [addresses[i] for i in order]
