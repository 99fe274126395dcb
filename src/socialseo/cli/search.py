"""``socialseo search``: Search Console performance over a period beside its comparison period."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import pandas as pd
import typer

from socialseo.api import Comparison, SearchPerformance
from socialseo.cli.common import (
    DEFAULT_DB,
    DbOption,
    JsonOption,
    console,
    open_project,
    print_frame,
    records,
    say_empty,
)
from socialseo.cli.compare import p_text, print_comparison, relative
from socialseo.cli.filters import CompareOption, FromOption, ToOption, make_filters
from socialseo.errors import SocialSeoError

SHOWS = ("summary", "pages", "queries", "rising", "falling", "opportunities", "brand", "trend")


def _top(comparison: Comparison | None, key: str, limit: int) -> list[str]:
    return [] if comparison is None else [str(k) for k in comparison.frame[key].head(limit)]


def _readable(frame: pd.DataFrame) -> pd.DataFrame:
    """Movers with short headers for a terminal: before, change, change % (as the comparison tables write them)."""
    if "clicks_change" not in frame.columns:
        return frame
    return frame.assign(
        clicks_change_pct=[relative(n, b, p) for n, b, p in
                           zip(frame["clicks"], frame["clicks_before"], frame["clicks_change_pct"], strict=True)],
        clicks_p=[p_text(p, 0.05) for p in frame["clicks_p"]],
    ).rename(columns={"clicks_before": "before", "clicks_change": "change", "clicks_change_pct": "change %",
                      "clicks_p": "p", "social_clicks": "social clicks", "social_sessions": "social sessions"})


def _lists(result: SearchPerformance, show: str, limit: int) -> dict[str, tuple[str, pd.DataFrame, str]]:
    """Per ``pages`` and ``queries``: a title, the rows and why they could be empty, for rising, falling or
    opportunities."""
    lists = {}
    for which in ("pages", "queries"):
        key = "page" if which == "pages" else "query"
        if show == "opportunities":
            frame = (result.page_opportunities if which == "pages" else result.query_opportunities).head(limit)
            lists[which] = (f"{which.capitalize()} far below the site's CTR curve at their position", frame,
                            f"no {which} with 100+ impressions far below the site's CTR at their position")
            continue
        moved = result.movers(which, rising=show == "rising", limit=limit)
        columns = [key, "clicks", "clicks_before", "clicks_change", "clicks_change_pct", "clicks_p",
                   *(["posts", "social_clicks", "social_sessions"] if which == "pages" else [])]
        note = result.pages.note if result.pages is not None else ""
        title = (f"{show.capitalize()} {which} by clicks ({result.period and result.period.describe()} against "
                 f"{result.against and result.against.describe()})")
        lists[which] = (title, moved[columns] if not moved.empty else moved, note or f"no {which} {show} in clicks")
    return lists


def search(
    show: Annotated[str, typer.Option("--show", help=f"What to list: {', '.join(SHOWS)}.")] = "summary",
    start: FromOption = None,
    end: ToOption = None,
    compare: CompareOption = None,
    limit: Annotated[int, typer.Option("--limit", help="Rows per list.", min=1)] = 10,
    as_json: JsonOption = False,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Search Console clicks, impressions, CTR and position over a period beside the period before it (or
    --compare): totals, top and rising/falling pages and queries, pages below the site's CTR curve, branded
    queries (brand terms from socialseo brand set)."""
    if show not in SHOWS:
        raise SocialSeoError(f"--show {show!r}: use one of {', '.join(SHOWS)}")
    filters = make_filters(start, end, None, compare)
    with open_project(db, read_only=True) as project:
        result = project.search_performance(filters)
    if not result.has_data:
        if as_json:
            sys.stdout.write(json.dumps({"has_data": False, "missing": result.missing}) + "\n")
        say_empty(result.missing)
        return
    assert result.totals is not None and result.pages is not None and result.queries is not None
    if show == "summary":
        print_comparison(result.totals, as_json=as_json, title="Search performance")
        if not as_json:
            console.print(f"top pages: {', '.join(_top(result.pages, 'page', 5))}", highlight=False, soft_wrap=True)
            console.print(f"top queries: {', '.join(_top(result.queries, 'query', 5)) or '–'}", highlight=False,
                          soft_wrap=True)
            console.print("[dim]more: socialseo search --show pages|queries|rising|falling|opportunities|brand|trend"
                          "[/dim]", highlight=False, soft_wrap=True)
    elif show in ("pages", "queries"):
        table = result.pages if show == "pages" else result.queries
        table.frame = table.frame.head(limit)
        print_comparison(table, as_json=as_json, title=f"Top {show}",
                         empty="no rows by query: import a bulk export or API rows with the query dimension")
    elif show in ("rising", "falling", "opportunities"):
        lists = _lists(result, show, limit)
        if as_json:  # one document for both lists, with the periods they compare
            body = {"period": result.period and result.period.as_json(),
                    "compared_with": result.against and result.against.as_json(),
                    **{which: records(frame) for which, (_, frame, _) in lists.items()}}
            sys.stdout.write(json.dumps(body, indent=2, ensure_ascii=False, default=str) + "\n")
            if all(frame.empty for _, frame, _ in lists.values()):
                say_empty(" ".join(dict.fromkeys(empty for _, _, empty in lists.values())))
            return
        for title, frame, empty in lists.values():
            print_frame(_readable(frame), as_json=False, title=title, empty=empty)
    elif show == "brand":
        if result.brand is None:
            missing = ("no brand set, or no rows by query: run socialseo brand set --name NAME, and import Search "
                       "Console rows by query")
            if as_json:
                sys.stdout.write(json.dumps({"has_data": True, "brand": None, "missing": missing}) + "\n")
            say_empty(missing)
            return
        print_comparison(result.brand, as_json=as_json, title=f"Branded queries ({', '.join(result.brand_terms)})")
    else:
        if as_json:
            sys.stdout.write(json.dumps(records(result.trend), indent=2) + "\n")
            return
        print_frame(result.trend, as_json=False, title="Search Console per day")


def register(app: typer.Typer) -> None:
    app.command("search")(search)
