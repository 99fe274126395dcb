"""``socialseo channels``: engagement per channel and platform, from logs or GA4."""

from __future__ import annotations

from typing import Annotated

import typer

from socialseo.cli.common import DEFAULT_DB, DbOption, JsonOption, open_project, print_frame
from socialseo.cli.compare import print_comparison
from socialseo.cli.filters import CompareOption, FromOption, PlatformOption, ToOption, make_filters
from socialseo.errors import SocialSeoError


def channels(
    by: Annotated[str | None, typer.Option("--by", help="platform, landing, day or landing-day.")] = None,
    source: Annotated[str, typer.Option("--source", help="logs (sessions built from access logs) or ga4 (the "
                                                         "imported GA4 Traffic acquisition exports).")] = "logs",
    start: FromOption = None,
    end: ToOption = None,
    platform: PlatformOption = None,
    compare: CompareOption = None,
    db: DbOption = DEFAULT_DB,
    as_json: JsonOption = False,
) -> None:
    """Sessions, bounce rate, session duration and pages per session per channel and platform.

    With --compare, each beside another period's, with the change and its p-value."""
    if source not in ("logs", "ga4"):
        raise SocialSeoError(f"--source must be logs or ga4, got {source!r}")
    filters = make_filters(start, end, platform, compare)
    if filters.compare and source == "ga4":
        raise SocialSeoError("--compare reads sessions built from access logs: leave out --source ga4")
    with open_project(db, read_only=True) as project:
        if filters.compare:
            print_comparison(project.channels_compared(by=by, filters=filters), as_json=as_json,
                             title="Engagement by channel", empty=project.why_empty("channels", filters=filters))
            return
        if source == "ga4":
            print_frame(project.ga4_channels(), as_json=as_json, title="GA4 sessions by channel",
                        empty="no GA4 export imported: run socialseo ingest ga4 EXPORT.csv")
            return
        print_frame(project.channels(by=by, filters=filters), as_json=as_json, title="Engagement by channel",
                    empty=lambda: project.why_empty("channels", filters=filters))


def register(app: typer.Typer) -> None:
    app.command("channels")(channels)
