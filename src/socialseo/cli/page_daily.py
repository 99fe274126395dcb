"""The one line after an import or a rebuild that changes ``page_daily``: its pages, days and window."""

from __future__ import annotations

from pathlib import Path

from rich.markup import escape

from socialseo.cli.common import console, open_project


def print_page_daily(db: Path, *, period_totals: bool = False) -> None:
    """Print what page_daily holds now, and with ``period_totals`` the Search Console period totals too."""
    with open_project(db, read_only=True) as project:
        pages, days = project.pages_size()
        window = project.pages_window()
        totals = project.search_totals() if period_totals else None
    span = f", {window.first} to {window.last} ({_BASIS[window.basis]})" if window.first else ""
    console.print(f"page_daily: {pages:,} pages, {days:,} page-days{span} in {escape(str(db))}", highlight=False)
    if totals is not None and len(totals):
        undated = int(totals["period_start"].isna().sum())
        console.print(f"period totals: {totals['page'].nunique():,} pages over {len(totals):,} page-periods"
                      + (f", {undated:,} without dates" if undated else "") + " (socialseo pages --granularity period)",
                      highlight=False)


_BASIS = {"search": "the Search Console days", "setting": "the window set with socialseo rebuild",
          "other sources": "no Search Console data yet: the other sources' days"}
