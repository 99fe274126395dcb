"""Per-host pacing: at most ``rate`` requests a second to any one host, slower if robots.txt asks for it."""

from __future__ import annotations

import asyncio
import time


class HostThrottle:
    """Hands out request start times per host, ``interval`` seconds apart.

    Each caller reserves the next free slot before sleeping, so concurrent workers never bunch up on one host;
    ``rate=0`` means no pacing (for benchmarks on loopback).
    """

    def __init__(self, rate: float) -> None:
        self.default_interval = 1.0 / rate if rate > 0 else 0.0
        self._intervals: dict[str, float] = {}
        self._next: dict[str, float] = {}

    def set_crawl_delay(self, host: str, delay: float | None) -> None:
        """Honour a robots.txt ``Crawl-delay`` when it is slower than our own pace."""
        if delay and delay > 0:
            self._intervals[host] = max(self.default_interval, float(delay))

    def interval(self, host: str) -> float:
        return self._intervals.get(host, self.default_interval)

    async def wait(self, host: str) -> None:
        interval = self.interval(host)
        if interval <= 0:
            return
        now = time.monotonic()
        slot = max(now, self._next.get(host, now))
        self._next[host] = slot + interval
        if slot > now:
            await asyncio.sleep(slot - now)
