"""A crawl killed mid-way resumes from the warehouse: stored pages are never fetched again."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from aiohttp import web
from tests.crawl.sites import raw, serve

from socialseo.store.warehouse import Warehouse

REPO = Path(__file__).resolve().parents[2]
N_PAGES = 200


async def _page(request: web.Request) -> web.Response:
    await asyncio.sleep(0.1)  # ~10 s for the whole crawl: the kill lands mid-way, even on a busy machine
    n = int(request.path.strip("/") or 0)
    links = "".join(f'<a href="/{m}">{m}</a>' for m in (2 * n + 1, 2 * n + 2) if m < N_PAGES)
    return web.Response(text=f"<html><body>{links}</body></html>", content_type="text/html")


def _crawl_command(base: str, db: Path) -> list[str]:
    return [sys.executable, "-m", "socialseo", "crawl", base + "/", "--allow-private", "--concurrency", "2",
            "--rate", "0", "--trap-limit", "1000", "--no-sitemaps", "--db", str(db)]


def test_killed_crawl_resumes_without_refetching_stored_pages(tmp_path: Path) -> None:
    db = tmp_path / "crawl.duckdb"
    env = {**os.environ, "PYTHONPATH": str(REPO / "src"), "SOCIALSEO_NO_PROGRESS": "1"}
    with serve({"/robots.txt": raw(b"User-agent: *\nAllow: /\n", "text/plain")}, fallback=_page) as base:
        hits: dict[str, int] = serve.hits  # type: ignore[attr-defined]
        process = subprocess.Popen(_crawl_command(base, db), env=env, cwd=REPO,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 60
        while not hits and time.monotonic() < deadline:
            time.sleep(0.01)
        time.sleep(4.6)  # past two time-based flushes (every 2 s), well before the end
        assert process.poll() is None, "the crawl ended before it could be killed"
        process.send_signal(signal.SIGKILL)
        process.wait(10)
        with Warehouse(db) as wh:
            stored = set(wh.sql("SELECT url FROM crawl_pages")["url"].str.split("/", n=3).str[3])
            unfinished = wh.sql("SELECT count(*) AS n FROM crawls WHERE finished_at IS NULL")["n"].iloc[0]
        assert 0 < len(stored) < N_PAGES and unfinished == 1
        before = dict(hits)
        resumed = subprocess.run(_crawl_command(base, db), env=env, cwd=REPO, capture_output=True, text=True,
                                 timeout=120)
        assert resumed.returncode == 0, resumed.stderr
        assert "resumed" in resumed.stdout
    again = [p for p in stored if hits.get("/" + p, 0) > before.get("/" + p, 0)]
    assert again == []
    with Warehouse(db) as wh:
        urls = wh.sql("SELECT url FROM crawl_pages")["url"]
        assert len(urls) == N_PAGES and urls.is_unique
        assert wh.sql("SELECT count(*) AS n FROM crawls WHERE finished_at IS NOT NULL")["n"].iloc[0] == 1
