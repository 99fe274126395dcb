"""Mask every address in a log line kept whole (the quarantine), the way the hits' addresses are masked.

A quarantined line could not be read, so which of its fields is the client's address is not known: every token
that is an IPv4 or IPv6 address is masked with :func:`socialseo.ingest.logs.hit_encoder.mask_ip` (IPv4 keeps two
bytes, IPv6 its /48), wherever it stands. Tokens shaped like addresses that are not (``2000:13:55:36`` of a
timestamp) are left as they are.

>>> mask_addresses('198.51.100.7 - - [01/Mar/2026:10:00:00 +0000] "GET / HTTP/1.1" 200 5 "-" "x" 2001:db8:85a3::7')
'198.51.0.0 - - [01/Mar/2026:10:00:00 +0000] "GET / HTTP/1.1" 200 5 "-" "x" 2001:db8:85a3::'
"""

from __future__ import annotations

import re

from socialseo.ingest.logs.hit_encoder import mask_ip

_IPV4 = re.compile(r"(?<![\d.])(\d{1,3})\.(\d{1,3})\.\d{1,3}\.\d{1,3}(?![\d]|\.\d)")
_IPV6 = re.compile(r"(?<![0-9A-Za-z:])[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?![0-9A-Za-z:]|\.\d)")


def _masked_v6(match: re.Match[str]) -> str:
    return mask_ip(match.group(0)) or match.group(0)


def mask_addresses(line: str) -> str:
    """``line`` with each IPv4 and IPv6 address in it masked (see the module's docstring)."""
    if ":" in line:
        line = _IPV6.sub(_masked_v6, line)
    return _IPV4.sub(r"\1.\2.0.0", line)
