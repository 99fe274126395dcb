"""``socialseo analyze …``: does social activity move search? with intervals, from the warehouse."""

from __future__ import annotations

import json
import sys
from datetime import date
from typing import Annotated, Any

import pandas as pd
import typer
from rich.markup import escape

from socialseo.cli.common import (
    DEFAULT_DB,
    DbOption,
    JsonOption,
    console,
    open_project,
    print_frame,
    progress,
    records,
)
from socialseo.errors import SocialSeoError

app = typer.Typer(help="Estimate what social activity does for search, with intervals.", no_args_is_help=True)

Outcome = Annotated[str, typer.Option("--outcome", help="search_clicks, search_impressions or search_position.")]
_OUTCOMES = ("search_clicks", "search_impressions", "search_position")
From = Annotated[str | None, typer.Option("--from", help="First day analysed, YYYY-MM-DD (default: the search days).")]
To = Annotated[str | None, typer.Option("--to", help="Last day analysed, YYYY-MM-DD (default: the search days).")]


class BadArgumentError(SocialSeoError):
    """A command-line value that cannot be used (an unknown outcome, a date that is not a date)."""


def _outcome(value: str) -> str:
    if value not in _OUTCOMES:
        raise BadArgumentError(f"--outcome must be one of {', '.join(_OUTCOMES)}, got {value!r}")
    return value


def _day(value: str | None, option: str) -> str | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value.strip()).isoformat()
    except ValueError as exc:
        raise BadArgumentError(f"{option} must be a date like 2026-05-01, got {value!r}") from exc


def _window(start: str | None, end: str | None) -> dict[str, str | None]:
    first, last = _day(start, "--from"), _day(end, "--to")
    if first and last and first > last:
        raise BadArgumentError(f"--from {first} is after --to {last}")
    return {"start": first, "end": last}


def _effects(frame: pd.DataFrame, as_json: bool, title: str) -> None:
    """Effects as a readable table (percentages, interval in one column), then method, assumptions and reasons."""
    if as_json:
        print_frame(frame, as_json=True)
        return

    def percent(value: float | None) -> str:
        return "" if value is None or pd.isna(value) else f"{float(value):+.1%}"

    shown = pd.DataFrame({
        "scope": frame["scope"],
        "verdict": frame["verdict"].map(lambda v: str(v).replace("_", " ")),
        "effect": frame["relative_effect"].map(percent),
        "95% interval": [f"{percent(lo)} to {percent(hi)}" if not pd.isna(lo) else ""
                         for lo, hi in zip(frame["ci_low"], frame["ci_high"], strict=True)],
        "p_value": frame["p_value"],
        "per_day": frame["effect_per_day"],
        "pages": frame["n_treated"],
        "controls": frame["n_control"],
    })
    print_frame(shown, as_json=False, title=title)
    for reason in dict.fromkeys(r for r in frame["reason"] if r):  # platform rows share one note
        console.print(f"[dim]{escape(str(reason))}[/dim]", highlight=False)
    for scope, verdict, why in zip(frame["scope"], frame["verdict"], frame["verdict_reason"], strict=True):
        if verdict == "cannot_conclude" and why and why not in set(frame["reason"]):
            console.print(f"{escape(str(scope))}: cannot conclude — {escape(str(why))}", highlight=False)
    if not frame.empty:
        console.print(f"[dim]method: {frame['method'].iloc[0]}[/dim]", highlight=False)
        console.print(f"[dim]assumes: {frame['assumptions'].iloc[0]}[/dim]", highlight=False)


@app.command("lags")
def lags(
    max_lag: Annotated[int, typer.Option("--max-lag", help="Largest lag in days.")] = 28,
    per_page: Annotated[bool, typer.Option("--per-page", help="Every page and lag, not the summary.")] = False,
    start: From = None,
    end: To = None,
    db: DbOption = DEFAULT_DB,
    as_json: JsonOption = False,
) -> None:
    """Cross-correlation of social activity with search 0..28 days later, per page, FDR-corrected."""
    window = _window(start, end)
    with open_project(db, read_only=True) as project, progress("correlating lags"):
        frame = project.lags(max_lag=max_lag, summary=not per_page, **window)
        # Too little data is an answer, not an error: exit 0 with the reason and what to import.
        print_frame(frame, as_json=as_json, title="Lagged association (differenced series, Benjamini-Hochberg)",
                    empty=lambda: project.why_empty("lags"))


@app.command("panel")
def panel(outcome: Outcome = "search_clicks", start: From = None, end: To = None, db: DbOption = DEFAULT_DB,
          as_json: JsonOption = False) -> None:
    """Page x day fixed-effects regression of search on social spikes, per platform, page-clustered intervals."""
    window = _window(start, end)
    with open_project(db, read_only=True) as project, progress("fitting the panel model"):
        frame = project.panel_model(outcome=_outcome(outcome), **window)
    _effects(frame, as_json, "Effect of a social spike (panel model)")


@app.command("events")
def events(
    outcome: Outcome = "search_clicks",
    profile: Annotated[bool, typer.Option("--profile", help="Weekly event-time profile instead of the summary.")]
    = False,
    start: From = None,
    end: To = None,
    db: DbOption = DEFAULT_DB,
    as_json: JsonOption = False,
) -> None:
    """Event study around social spikes against clean matched control pages (staggered-timing safe)."""
    window = _window(start, end)
    with open_project(db, read_only=True) as project, progress("matching spikes with control pages"):
        frame = project.events(outcome=_outcome(outcome), profile=profile, **window)
    if profile:
        print_frame(frame, as_json=as_json, title="Spiked pages against their counterfactual, by week from the spike")
    else:
        _effects(frame, as_json, "Effect of a social spike (event study)")


@app.command("impact")
def impact(
    page: Annotated[list[str], typer.Option("--page", help="A page URL or path; repeat for a page group.")],
    after: Annotated[str, typer.Option("--after", help="First day of the change, YYYY-MM-DD.")],
    outcome: Outcome = "search_clicks",
    series: Annotated[bool, typer.Option("--series", help="Daily observed, predicted and effect series.")] = False,
    start: From = None,
    end: To = None,
    db: DbOption = DEFAULT_DB,
    as_json: JsonOption = False,
) -> None:
    """Counterfactual impact (CausalImpact style) on one page or a group after a date.

    A page is its path or its full URL, with or without www., a trailing slash or tracking parameters.
    """
    try:
        day = date.fromisoformat(after.strip())
    except ValueError as exc:
        raise BadArgumentError(f"--after must be a date like 2026-05-01, got {after!r}") from exc
    window = _window(start, end)
    with open_project(db, read_only=True) as project, progress("fitting the structural time-series model"):
        frame = project.impact(page, day.isoformat(), outcome=_outcome(outcome), series=series, **window)
    if series:
        print_frame(frame, as_json=as_json, title="Observed against predicted")
    else:
        _effects(frame, as_json, f"Counterfactual impact after {day}")


@app.command("verdict")
def verdict(outcome: Outcome = "search_clicks", start: From = None, end: To = None, db: DbOption = DEFAULT_DB,
            as_json: JsonOption = False) -> None:
    """One answer to "did social move search?": the panel model and the event study reconciled."""
    window = _window(start, end)
    with open_project(db, read_only=True) as project, progress("fitting the panel model and the event study"):
        answer = project.verdict(outcome=_outcome(outcome), **window)
    if as_json:
        sys.stdout.write(json.dumps(answer.as_record(), indent=2, ensure_ascii=False) + "\n")
        return
    console.print(f"[bold]{escape(answer.verdict.replace('_', ' '))}[/bold]: {escape(answer.sentence)}",
                  highlight=False)
    if answer.disagreement:
        console.print(escape(answer.disagreement), highlight=False)
    for method in answer.methods:
        console.print(f"[dim]{escape(method.method)}: {escape(method.verdict.replace('_', ' '))} — "
                      f"{escape(method.reason)}[/dim]", highlight=False)


@app.command("pagerank")
def pagerank(
    limit: Annotated[int, typer.Option("--limit", help="Rows to show in the table.")] = 30,
    db: DbOption = DEFAULT_DB,
    as_json: JsonOption = False,
) -> None:
    """PageRank with followed links only, and if social nofollow/ugc links passed equity."""
    with open_project(db, read_only=True) as project, progress("computing PageRank"):
        frame = project.pagerank()
        print_frame(frame, as_json=as_json, title="Link equity (1.0 = an average page)", limit=limit,
                    empty=lambda: project.why_empty("pagerank"))


@app.command("platforms")
def platforms(db: DbOption = DEFAULT_DB, as_json: JsonOption = False) -> None:
    """Platforms ranked per content segment: sessions, bounce, duration, backlinks, estimated search effect."""
    with open_project(db, read_only=True) as project, progress("comparing platforms"):
        frame = project.platforms()
        print_frame(frame, as_json=as_json, title="Platform effectiveness by segment",
                    empty=lambda: project.why_empty("platforms"))


@app.command("crawl-chain")
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
            "summary": records(found.summary), "pages": records(found.pages),
            "unverified": records(found.unverified), "verified_fetches": found.verified_fetches, "note": found.note,
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


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="analyze")
