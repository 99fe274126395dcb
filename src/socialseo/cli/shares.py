"""``socialseo shares``: link-preview fetches as shares, and the dark-social visits they brought."""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich.markup import escape

from socialseo.cli.analyze import BadArgumentError, From, To, _window
from socialseo.cli.common import (
    DEFAULT_DB,
    DbOption,
    JsonOption,
    console,
    err_console,
    open_project,
    print_frame,
    progress,
)

_BY = ("day", "page", "platform")
_TITLES = {
    "day": "Shares seen as link-preview fetches, per page, day and platform",
    "page": "Shares per page, and the dark-social visits they brought",
    "platform": "Shares per platform",
}


def shares(
    by: Annotated[str, typer.Option("--by", help="day (page, day and platform), page or platform.")] = "day",
    window: Annotated[int, typer.Option("--window", help="Minutes after a preview fetch in which a visit counts "
                                                         "as caused by that share.")] = 30,
    start: From = None,
    end: To = None,
    limit: Annotated[int, typer.Option("--limit", help="Rows to show in the table.")] = 50,
    db: DbOption = DEFAULT_DB,
    as_json: JsonOption = False,
) -> None:
    """Link-preview fetches (facebookexternalhit, Twitterbot, Slackbot, WhatsApp ...) counted as shares.

    Each fetch is someone pasting the page's URL into that platform; the human visits that followed within the
    window are split by evidence: the platform's referrer or tags, its in-app browser, or none (dark social).
    """
    if by not in _BY:
        raise BadArgumentError(f"--by must be one of {', '.join(_BY)}, got {by!r}")
    if not 1 <= window <= 1440:
        raise BadArgumentError(f"--window must be 1 to 1440 minutes, got {window}")
    dates = _window(start, end)
    with open_project(db, read_only=True) as project, progress("matching preview fetches with visits"):
        frame = project.shares(by=by, window_minutes=window, **dates)
        unnamed = project.unnamed_preview_bots()
        hits = project.count("hit_rows")
    if frame.empty:
        if as_json:
            sys.stdout.write("[]\n")
        err_console.print(escape(_nothing(hits)), highlight=False, soft_wrap=True)
        return
    print_frame(frame, as_json=as_json, title=_TITLES[by], limit=limit)
    if as_json:
        return
    fetches, visits, dark = (int(frame[c].sum()) for c in ("preview_fetches", "visits", "dark_visits"))
    console.print(
        f"{fetches:,} preview fetches; {visits:,} visits followed within {window} minutes, {dark:,} of them with "
        "no referrer, tags or in-app browser (dark social).", highlight=False)
    if unnamed:
        console.print(f"[dim]unknown app: preview fetchers that name no platform ({escape(', '.join(unnamed))})"
                      "[/dim]", highlight=False)


def _nothing(hits: int) -> str:
    if hits == 0:
        return ("no shares: the warehouse holds no access-log hits. Import the site's access logs with socialseo "
                "ingest logs; link-preview fetchers (facebookexternalhit, Twitterbot, Slackbot ...) are found in them.")
    return (f"no shares: none of the {hits:,} access-log hits is a link-preview fetch in these dates. Logs from a "
            "CDN or cache that answers bots itself do not show them; import the origin's or the CDN's full logs.")


def register(root: typer.Typer) -> None:
    root.command("shares")(shares)
