"""``socialseo metrics``: social metrics per post, day or platform."""

from __future__ import annotations

from typing import Annotated

import typer

from socialseo.cli.common import DEFAULT_DB, DbOption, JsonOption, open_project, print_frame
from socialseo.cli.compare import print_comparison
from socialseo.cli.filters import CompareOption, FromOption, ToOption, make_filters

_METRIC_TABLE = ["posts", "impressions", "likes", "comments", "shares", "link_clicks", "ctr", "engagement_rate"]


def metrics(
    platform: Annotated[str | None, typer.Option("--platform", help="Only this platform.")] = None,
    by: Annotated[str, typer.Option("--by", help="post, day or platform.")] = "platform",
    start: FromOption = None,
    end: ToOption = None,
    compare: CompareOption = None,
    as_json: JsonOption = False,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Social metrics: impressions, likes, comments, shares, saves, link clicks, CTR, engagement rate.

    Days are a metric's own day, or its post's publication day for lifetime totals. With --compare (and --by
    platform or post), each beside another period's, with the change and its p-value."""
    filters = make_filters(start, end, None, compare)
    with open_project(db, read_only=True) as project:
        if filters.compare:
            print_comparison(project.metrics_compared(platform=platform, by=by, filters=filters), as_json=as_json,
                             title=f"social metrics by {by}",
                             empty=project.why_empty("metrics", platform=platform, filters=filters))
            return
        frame = project.metrics(platform=platform, by=by, filters=filters)
        keys = {"post": ["platform", "post_id"], "day": ["day", "platform"], "platform": ["platform"]}[by]
        shown = frame if as_json else frame[[*keys, *(c for c in _METRIC_TABLE if c in frame.columns)]]
        print_frame(shown, as_json=as_json, title=f"social metrics by {by}",
                    empty=lambda: project.why_empty("metrics", platform=platform))


def register(app: typer.Typer) -> None:
    app.command("metrics")(metrics)
