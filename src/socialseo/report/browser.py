"""Headless Chromium for PDF output (and the browser tests): the system's Chromium, never a downloaded one.

Playwright drives it through ``executable_path`` so nothing is fetched; the flags turn off every background request
Chromium would otherwise make (updates, sync, safe-browsing lists), so rendering a report stays offline.
"""

from __future__ import annotations

import os
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from socialseo.errors import SocialSeoError

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
_CANDIDATES = ("/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome")


class BrowserUnavailableError(SocialSeoError):
    """No headless Chromium (or no Playwright) to render with."""


def chromium_path() -> Path | None:
    """``$SOCIALSEO_CHROMIUM``, else Debian's ``/usr/bin/chromium``, else the first Chromium on ``PATH``."""
    configured = os.environ.get("SOCIALSEO_CHROMIUM")
    if configured:
        return Path(configured) if Path(configured).exists() else None
    for candidate in _CANDIDATES:
        found = shutil.which(candidate)
        if found:
            return Path(found)
    return None


def html_to_pdf(html_path: Path, pdf_path: Path) -> Path:
    """Print ``html_path`` to ``pdf_path`` with headless Chromium after its charts have drawn.

    Playwright's sync API refuses to run where an event loop is running (a notebook, a web server), so the printing
    runs in a thread of its own.
    """
    executable = chromium_path()
    if executable is None:
        raise BrowserUnavailableError(
            "PDF output needs Chromium: install it (Debian: apt-get install chromium) or set SOCIALSEO_CHROMIUM"
        )
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError as exc:
        raise BrowserUnavailableError("PDF output needs Playwright: pip install 'socialseo[pdf]'") from exc
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(_print, executable, html_path, pdf_path).result()


def _print(executable: Path, html_path: Path, pdf_path: Path) -> Path:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(executable), headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 900})
            page.goto(html_path.resolve().as_uri(), wait_until="load")
            # Plotly draws after load; wait until every chart has its SVG, then print.
            page.wait_for_function(
                "Array.from(document.querySelectorAll('.plotly-graph-div')).every(d => d.querySelector('svg'))",
                timeout=30_000,
            )
            # Paper cannot be clicked: unfold the rows the page keeps in <details> so the PDF holds them all.
            page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
            page.emulate_media(media="print")
            page.pdf(path=str(pdf_path), format="A4", print_background=True,
                     margin={"top": "12mm", "bottom": "12mm", "left": "10mm", "right": "10mm"})
        finally:
            browser.close()
    return pdf_path
