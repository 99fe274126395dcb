"""``socialseo shares``: link-preview fetches as shares; ``socialseo analyze crawl-chain``: recrawls after spikes."""

from __future__ import annotations

import json
import sys
from typing import Annotated, Any

import pandas as pd
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


def crawl_chain(
    pre_days: Annotated[int, typer.Option("--pre-days", help="Days before the spike to count fetches in.")] = 28,
    post_days: Annotated[int, typer.Option("--post-days", help="Days from the spike to count fetches in.")] = 14,
    controls: Annotated[int, typer.Option("--controls", help="Matched pages without a spike per spiked page.")] = 5,
    pages: Annotated[bool, typer.Option("--pages", help="One row per spiked page instead of the summary.")] = False,
    db: DbOption = DEFAULT_DB,
    as_json: JsonOption = False,
) -> None:
    """Do social spikes bring verified search-engine crawlers back sooner? Against matched pages, with intervals."""
    with open_project(db, read_only=True) as project, progress("matching spiked pages with crawled controls"):
        found = project.crawl_chain(pre_days=pre_days, post_days=post_days, n_controls=controls)
    if as_json:
        record: dict[str, Any] = {
            "summary": _records(found.summary), "pages": _records(found.pages),
            "unverified": _records(found.unverified), "verified_fetches": found.verified_fetches, "note": found.note,
        }
        sys.stdout.write(json.dumps(record, indent=2, ensure_ascii=False) + "\n")
        return
    if found.note:
        console.print(f"no crawl-chain estimate: {escape(found.note)}", highlight=False, soft_wrap=True)
    elif pages:
        print_frame(found.pages, as_json=False, title="Verified search-engine fetches around each social spike")
    else:
        shown = pd.DataFrame({
            "measure": [f"{d} ({u})" for d, u in zip(found.summary["description"], found.summary["unit"],
                                                      strict=True)],
            "spiked pages": found.summary["treated"].round(2),
            "matched pages": found.summary["control"].round(2),
            "effect (95% interval)": [f"{e:+.2f} ({lo:+.2f} to {hi:+.2f})" for e, lo, hi in zip(
                found.summary["effect"], found.summary["ci_low"], found.summary["ci_high"], strict=True)],
        })
        print_frame(shown, as_json=False, title=f"The crawl chain: verified recrawls after "
                    f"{int(found.summary['spiked'].iloc[0])} social spikes, against "
                    f"{int(found.summary['controls'].iloc[0])} matched pages")
        for why in found.summary["verdict_reason"]:
            console.print(escape(str(why)), highlight=False)
        console.print(f"[dim]method: {escape(str(found.summary['method'].iloc[0]))}[/dim]", highlight=False)
        console.print(f"[dim]assumes: {escape(str(found.summary['assumptions'].iloc[0]))}[/dim]", highlight=False)
    if not found.unverified.empty and not found.note:
        named = ", ".join(f"{int(r['fetches']):,} {r['bot_name']} ({r['status']})"
                          for r in found.unverified.to_dict("records"))
        console.print(f"[dim]not used, unverified: {escape(named)}[/dim]", highlight=False)


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    text = frame.to_json(orient="records", date_format="iso", default_handler=str)
    return list(json.loads(text))


def register(root: typer.Typer, analyze_app: typer.Typer) -> None:
    root.command("shares")(shares)
    analyze_app.command("crawl-chain")(crawl_chain)
