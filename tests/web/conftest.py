"""The demo warehouse the dashboard and report tests look at, a running dashboard on 127.0.0.1, and Chromium.

A crawled page title containing ``<script>`` is planted on the busiest social landing page, so every test can check
that untrusted text shows as text.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest

from socialseo.demo.pipeline import run_demo
from socialseo.report.browser import CHROMIUM_ARGS, chromium_path
from socialseo.web.app import create_app
from socialseo.web.background import serving

EVIL_TITLE = "<script>window.__pwned = 1</script>Evil title"


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    run = run_demo(tmp_path_factory.mktemp("web-demo"), target_log_lines=40_000)
    con = duckdb.connect(str(run.db))
    row = con.execute(
        "SELECT landing_page FROM sessions WHERE channel = 'social' GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1"
    ).fetchone()
    assert row is not None
    con.execute(
        "INSERT INTO crawl_pages (crawl_id, url, status, fetched_at, title) VALUES ('t', ?, 200, now(), ?)",
        ["https://www.example.com" + row[0], EVIL_TITLE],
    )
    con.close()
    return run.db


@pytest.fixture(scope="session")
def evil_page(demo_db: Path) -> str:
    con = duckdb.connect(str(demo_db), read_only=True)
    row = con.execute("SELECT url FROM crawl_pages WHERE crawl_id = 't'").fetchone()
    con.close()
    assert row is not None
    return str(row[0]).removeprefix("https://www.example.com")


@pytest.fixture(scope="session")
def dashboard(demo_db: Path) -> Iterator[str]:
    """The dashboard served by uvicorn on 127.0.0.1 in a thread; stopped at the end of the session."""
    with serving(create_app(demo_db)) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Chromium for one test module: Playwright's sync API keeps an event loop running while it is open, which
    would stop later tests in the same process from running their own (asyncio.run)."""
    executable = chromium_path()
    if executable is None:
        pytest.skip("!!! Chromium is not installed (/usr/bin/chromium): browser tests SKIPPED; run `make browsers` !!!")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(executable), headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
