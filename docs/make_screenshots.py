"""Refresh docs/img/*.png: one screenshot of each dashboard page and of report.html, from the demo data.

Run by ``make screenshots``. Uses the system Chromium (never a downloaded one) and a dashboard on 127.0.0.1.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from socialseo.demo.pipeline import run_demo
from socialseo.report.browser import CHROMIUM_ARGS, chromium_path
from socialseo.web.app import create_app
from socialseo.web.background import serving
from socialseo.web.views import VIEWS

IMG = Path(__file__).resolve().parent / "img"


def main() -> int:
    executable = chromium_path()
    if executable is None:
        print("Chromium is not installed: run `make browsers` first", file=sys.stderr)
        return 1
    IMG.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        run = run_demo(Path(tmp), target_log_lines=60_000)
        app = create_app(run.db)
        row = app.state.snapshots.current.con.execute(
            "SELECT landing_page FROM sessions WHERE channel = 'social' GROUP BY 1 ORDER BY count(*) DESC LIMIT 1"
        ).fetchone()
        top_page = row[0] if row else "/"
        with serving(app) as base, sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(executable), headless=True, args=CHROMIUM_ARGS)
            tab = browser.new_page(viewport={"width": 1280, "height": 1000})
            shots = {v.name: f"/{'' if v.name == 'overview' else v.name}" for v in VIEWS}
            shots["pages"] = f"/pages?page={top_page}"
            for name, path in shots.items():
                tab.goto(f"{base}{path}", wait_until="networkidle")
                tab.screenshot(path=str(IMG / f"dashboard-{name}.png"))
                print(f"docs/img/dashboard-{name}.png")
            tab.goto(run.report.resolve().as_uri(), wait_until="load")
            tab.wait_for_function("document.querySelectorAll('.plotly-graph-div svg.main-svg').length > 0")
            tab.screenshot(path=str(IMG / "report.png"))
            print("docs/img/report.png")
            browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
