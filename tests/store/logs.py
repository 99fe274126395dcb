"""Combined-format logs shaped like a real site's: visitors from search, social, shorteners and direct, browsing
a few pages each, with assets and a bot, one line per request in time order."""

from __future__ import annotations

import gzip
import random
from datetime import datetime, timedelta
from pathlib import Path

UA = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"
REFERRERS = ["-", "https://www.google.com/", "https://l.facebook.com/l.php?u=x", "https://t.co/AbC",
             "https://www.reddit.com/r/camping/", "https://lnkd.in/xyz"]
PAGES = ["/", "/blog/post-1", "/blog/post-2", "/products/tent", "/products/stove", "/about"]


def make_lines(n: int, seed: int = 1, start: datetime = datetime(2026, 3, 1, 8, 0, 0)) -> list[str]:
    """``n`` distinct lines (each visit's address, time and path differ) in time order."""
    rng = random.Random(seed)
    lines: list[str] = []
    ts = start
    while len(lines) < n:
        ip = f"198.51.{rng.randrange(256)}.{rng.randrange(1, 255)}"
        referrer = rng.choice(REFERRERS)
        for k in range(rng.choice([1, 1, 2, 3, 4])):
            ts += timedelta(seconds=rng.randrange(1, 40))
            page = rng.choice(PAGES)
            ref = referrer if k == 0 else f"https://www.example.com{PAGES[0]}"
            when = ts.strftime("%d/%b/%Y:%H:%M:%S +0000")
            lines.append(f'{ip} - - [{when}] "GET {page} HTTP/1.1" 200 {rng.randrange(200, 9000)} "{ref}" "{UA}"')
            if len(lines) == n:
                break
    return lines


def write(path: Path, lines: list[str]) -> Path:
    """Write ``lines`` to ``path``, gzip-compressed when its name ends in ``.gz``."""
    data = ("\n".join(lines) + "\n").encode()
    path.write_bytes(gzip.compress(data) if path.suffix == ".gz" else data)
    return path
