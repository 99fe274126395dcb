"""An access log where some pages have a social spike followed by a quick Googlebot recrawl, and others do not."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36"
GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
VERIFIED_GOOGLE = "66.249.66.1"  # inside Google's published 66.249.66.0/24 (classify/data/bot_ranges.yaml)
IMPOSTOR = "45.155.205.3"
START = datetime(2026, 1, 1)
DAYS = 70
PAGES = 16
SPIKED = 6
SPIKE_DAY = 40
RECRAWL_HOURS = 4


def _line(ip: str, when: datetime, path: str, referrer: str, agent: str) -> tuple[datetime, str]:
    stamp = when.strftime("%d/%b/%Y:%H:%M:%S +0000")
    return when, f'{ip} - - [{stamp}] "GET {path} HTTP/1.1" 200 5120 "{referrer}" "{agent}"'


def crawl_chain_lines(recrawl: bool = True, verified: bool = True) -> list[str]:
    """Googlebot fetches every page every third day; pages 0..5 get 25 visits from Facebook on one day each,
    and (``recrawl``) a Googlebot fetch ``RECRAWL_HOURS`` after that day starts."""
    out: list[tuple[datetime, str]] = []
    bot_ip = VERIFIED_GOOGLE if verified else IMPOSTOR
    for p in range(PAGES):
        path = f"/blog/post-{p:02d}"
        for day in range(p % 3, DAYS, 3):
            out.append(_line(bot_ip, START + timedelta(days=day, hours=6 + p % 12), path, "-", GOOGLEBOT))
        if p < SPIKED:
            spike = START + timedelta(days=SPIKE_DAY + p)
            for v in range(25):
                out.append(_line(f"198.51.{100 + p}.{v + 1}", spike + timedelta(hours=9, minutes=7 * v), path,
                                 "https://l.facebook.com/", UA))
            if recrawl:
                out.append(_line(bot_ip, spike + timedelta(hours=RECRAWL_HOURS), path, "-", GOOGLEBOT))
        # some search visits so every page is in the daily panel
        out.append(_line(f"203.0.113.{p + 1}", START + timedelta(days=2, hours=p), path, "https://www.google.com/",
                         UA))
    out.append(_line(IMPOSTOR, START + timedelta(days=5), "/blog/post-00", "-", GOOGLEBOT))
    return [text for _, text in sorted(out)]


def write_crawl_log(folder: Path, **kwargs: bool) -> Path:
    path = folder / "access.log"
    path.write_text("\n".join(crawl_chain_lines(**kwargs)) + "\n", encoding="utf-8")
    return path
