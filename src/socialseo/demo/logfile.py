"""Write the access log: merge human and bot hits in time order, add broken lines, gzip reproducibly.

The gzip header normally carries the file name and the write time, so two identical logs would differ in their
bytes. The demo writes ``mtime=0`` and no name, which is what makes "same seed, same SHA-256" hold.
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from socialseo.demo.addresses import MALFORMED_BLOCK

MALFORMED_RATE = 1e-4
"""Share of deliberately broken lines: one in ten thousand, as a busy server's log has after crashes."""
MALFORMED_KINDS: tuple[str, ...] = ("truncated", "binary", "unbalanced_quote")


@dataclass(frozen=True)
class LogStats:
    """What was written: line counts by kind."""

    total_lines: int
    malformed_lines: int
    malformed_by_kind: dict[str, int]


def malformed_count(target_lines: int) -> int:
    """At least one broken line of each kind, else one in ten thousand."""
    return max(len(MALFORMED_KINDS), round(target_lines * MALFORMED_RATE))


def _malformed(kind: str, stamp: str, rng: np.random.Generator) -> bytes:
    """One broken line. None of them can be parsed into a complete combined-format record."""
    ip = f"{MALFORMED_BLOCK}{int(rng.integers(1, 255))}"
    if kind == "truncated":
        # Cut inside the request line, as a crash mid-write leaves it: no status, no size, no user agent.
        return f'{ip} - - [{stamp}] "GET /blog/how-to-measure-dark-so'.encode()
    if kind == "binary":
        # A TLS handshake sent to the plain-HTTP port: raw bytes in the request line, then nothing.
        noise = bytes(int(b) for b in rng.integers(0x80, 0x100, size=24))
        return f'{ip} - - [{stamp}] "'.encode() + b"\x16\x03\x01\x02\x00\x01" + noise + b'" 400 226 "-" "-'
    return (
        f'{ip} - - [{stamp}] "GET /search?q=\\"social seo HTTP/1.1 200 5120 "-" '
        f'"Mozilla/5.0 (compatible; broken-client)'
    ).encode()


def write_log(
    path: Path, times: list[int], lines: list[str], n_malformed: int, rng: np.random.Generator
) -> LogStats:
    """Sort ``lines`` by ``times`` (stable), insert ``n_malformed`` broken lines and write gzip to ``path``.

    A broken line borrows the timestamp of the line it is inserted before, so it sits among its neighbours.
    """
    order = np.argsort(np.asarray(times, dtype=np.int64), kind="stable")
    body = [lines[i].encode() for i in order.tolist()]
    positions = np.sort(rng.choice(len(body) + 1, size=n_malformed, replace=False))[::-1]
    by_kind = dict.fromkeys(MALFORMED_KINDS, 0)
    for i, position in enumerate(positions.tolist()):
        kind = MALFORMED_KINDS[i % len(MALFORMED_KINDS)]
        by_kind[kind] += 1
        neighbour = body[min(position, len(body) - 1)] if body else b"[01/Jan/2026:00:00:00 +0000]"
        stamp = neighbour.partition(b"[")[2].partition(b"]")[0].decode()
        body.insert(position, _malformed(kind, stamp, rng))
    with (
        path.open("wb") as raw,
        gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=6) as gz,
    ):
        for start in range(0, len(body), 50_000):
            gz.write(b"\n".join(body[start : start + 50_000]) + b"\n")
    return LogStats(total_lines=len(body), malformed_lines=n_malformed, malformed_by_kind=by_kind)
