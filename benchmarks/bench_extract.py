"""Link + metadata extraction vs BeautifulSoup (html.parser), and WARC reading vs fastwarc's raw iteration.

    PYTHONPATH=src python benchmarks/bench_extract.py [--pages 2000]

Both peers run on the same inputs in the same run; the ratios are what count.
"""

from __future__ import annotations

import argparse
import io
import json
import tempfile
import time
from pathlib import Path

from bs4 import BeautifulSoup
from fastwarc import ArchiveIterator, WarcRecordType
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from socialseo.crawl.extract import extract_page
from socialseo.ingest.warc_links import LinkFilter, read_archive


def make_page(i: int) -> str:
    links = "".join(
        f'<li><a href="/p/{i}/{j}" rel="{"nofollow ugc" if j % 3 else ""}">Item {j} of page {i}</a> '
        f"<span>{'lorem ipsum dolor sit amet ' * 8}</span></li>"
        for j in range(300)
    )
    return (
        f"<!doctype html><html lang=en><head><title>Page {i}</title><meta name=description content='d {i}'>"
        f"<meta property='og:title' content='OG {i}'><meta name='twitter:card' content=summary>"
        f"<link rel=canonical href='https://www.reddit.com/r/x/{i}'>"
        f"<script type='application/ld+json'>{json.dumps({'@type': 'Article', 'headline': str(i)})}</script>"
        f"</head><body><ul>{links}</ul><a href='https://www.example.com/t/{i}'>ours</a></body></html>"
    )


def bs4_extract(html: str) -> int:
    soup = BeautifulSoup(html, "html.parser")
    links = [
        (a.get("href"), a.get("rel"), a.get_text(" ", strip=True)) for a in soup.find_all(["a", "area"], href=True)
    ]
    meta = [(m.get("property") or m.get("name"), m.get("content")) for m in soup.find_all("meta")]
    jsonld = [json.loads(s.string or "null") for s in soup.find_all("script", type="application/ld+json")]
    canonical = soup.find("link", rel="canonical")
    return len(links) + len(meta) + len(jsonld) + (canonical is not None)


def rate(n: int, seconds: float) -> str:
    return f"{n / seconds:,.0f}/s"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=2000)
    args = parser.parse_args()
    pages = [make_page(i) for i in range(args.pages)]
    print(f"{len(pages):,} pages, {sum(map(len, pages)) / len(pages) / 1024:.0f} KB each on average")

    start = time.perf_counter()
    ours = sum(len(extract_page(p, f"https://www.reddit.com/r/x/{i}").links) for i, p in enumerate(pages))
    t_ours = time.perf_counter() - start
    start = time.perf_counter()
    peer = sum(bs4_extract(p) for p in pages)
    t_bs4 = time.perf_counter() - start
    print(
        f"extract: socialseo {rate(len(pages), t_ours)} pages ({ours:,} links) | "
        f"BeautifulSoup html.parser {rate(len(pages), t_bs4)} pages ({peer:,} items) | "
        f"ratio {t_bs4 / t_ours:.1f}x (target >= 10x)"
    )

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.warc.gz"
        with path.open("wb") as handle:
            writer = WARCWriter(handle, gzip=True)
            for i, page in enumerate(pages):
                headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], "HTTP/1.1")
                writer.write_record(
                    writer.create_warc_record(
                        f"https://www.reddit.com/r/x/{i}",
                        "response",
                        payload=io.BytesIO(page.encode()),
                        http_headers=headers,
                    )
                )
        start = time.perf_counter()
        raw = 0
        for record in ArchiveIterator(str(path), record_types=WarcRecordType.response, parse_http=True):
            raw += len(record.reader.read())
        t_raw = time.perf_counter() - start
        # The archive reading itself: every record, filter applied, no source kept (pages not from social hosts
        # are skipped before parsing, as in a Common Crawl file where most pages are not social).
        keep = LinkFilter(["www.example.com"])
        keep.source_ok = lambda url: False  # type: ignore[method-assign]
        start = time.perf_counter()
        sum(1 for _ in read_archive(str(path), keep, lambda *a: None))
        t_read = time.perf_counter() - start
        print(
            f"warc read: socialseo {rate(len(pages), t_read)} records | fastwarc raw {rate(len(pages), t_raw)} "
            f"records ({raw / 1e6:.0f} MB) | socialseo/fastwarc time {t_read / t_raw:.2f}x (target <= 1.5x)"
        )


if __name__ == "__main__":
    main()
