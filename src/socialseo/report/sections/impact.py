"""Impact sections: does social activity move search (panel, event study, counterfactual, lags), link equity,
and platform effectiveness. Every number comes with its interval and its method's assumptions in plain words."""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd
from markupsafe import Markup

from socialseo.analysis import impact
from socialseo.analysis.impact.panel import Grid, detect_spikes, load_panel, load_platform_panel, to_grid
from socialseo.analysis.impact.platforms import load_platform_inputs, platform_effectiveness
from socialseo.analysis.pagerank import link_equity, load_link_graph
from socialseo.analysis.timeline import page_daily_window
from socialseo.report import charts, impact_charts
from socialseo.report.marks import chart_marks
from socialseo.report.sections.base import Section, Table, num, pct
from socialseo.report.verdict import gather

_WINDOW_BASIS = {
    "search": "the days Search Console covers (social activity and backlinks outside them are not compared)",
    "setting": "the window set with socialseo rebuild --from/--to",
    "other sources": "the span of the imports (no Search Console data)",
}


def _interval(row: pd.Series) -> str:
    return f"{pct(row['relative_effect'])} (95% interval {pct(row['ci_low'])} to {pct(row['ci_high'])})"


def _verdict(row: pd.Series, what: str) -> str:
    """One method's finding in a sentence: its verdict, its number, and the reason when it cannot conclude."""
    if row["verdict"] == "cannot_conclude":
        return f"{what}: cannot conclude — {row['verdict_reason'] or row['reason']}."
    if row["verdict"] == "effect":
        direction = "more" if row["relative_effect"] > 0 else "fewer"
        return f"{what}: pages got {direction} search clicks after a social spike, {_interval(row)}."
    return f"{what}: no effect detected, {_interval(row)}; the interval includes zero."


def _effect_table(frame: pd.DataFrame, caption: str) -> Table:
    return Table(caption, ["scope", "verdict", "effect", "95% interval", "p-value", "spiked pages", "control pages",
                           "note"], [
        [r["scope"], str(r["verdict"]).replace("_", " "), pct(r["relative_effect"]),
         f"{pct(r['ci_low'])} to {pct(r['ci_high'])}",
         "–" if pd.isna(r["p_value"]) else f"{r['p_value']:.3f}", num(r["n_treated"]), num(r["n_control"]),
         "" if str(r["reason"] or "").startswith("exploratory") else r["reason"] or ""]
        for r in frame.to_dict("records")
    ])


def _effect_section(con: duckdb.DuckDBPyConnection, panel: pd.DataFrame) -> Section:
    section = Section(
        "impact", "Does social activity move search?",
        "daily search clicks per page (Search Console) and social posts and sessions per page", False,
        missing="No daily search and social data per page: import Search Console per day (`socialseo ingest gsc "
                "PATH`) and social posts (`socialseo ingest posts PATH`) or access logs (`socialseo ingest logs "
                "PATH`).",
    )
    if panel.empty or panel["search_clicks"].sum() == 0:
        return section
    section.has_data = True
    model = impact.panel_model(panel, load_platform_panel(con))
    summary, profile = impact.event_study(panel)
    answer = impact.headline([model.iloc[0], summary.iloc[0]])
    section.summary.extend(answer.lines())
    grid = to_grid(panel)
    window = page_daily_window(con)
    days = ""
    if window.first is not None:
        days = f"{window.first} to {window.last}"
        section.paragraphs.append(f"Days analysed: {days}, " + _WINDOW_BASIS.get(window.basis, window.basis) + ".")
    section.verdict = gather(answer, model, grid, days)
    section.paragraphs.append(_verdict(model.iloc[0], "Panel model") + " " + _verdict(summary.iloc[0], "Event study"))
    section.paragraphs.append(f"Panel model — {model.iloc[0]['method']}. Assumes: {model.iloc[0]['assumptions']}")
    section.tables.append(_effect_table(model, "Effect of a social spike on search clicks, overall and by platform "
                                        "(platform rows are exploratory: few pages each)"))
    section.paragraphs.append(f"Event study — {summary.iloc[0]['method']}. Assumes: {summary.iloc[0]['assumptions']}")
    section.tables.append(_effect_table(summary, "Event study: effect and pre-trend placebo"))
    if not profile.empty:
        section.charts.append(Markup(charts.fragment(impact_charts.event_profile(profile), "chart-event-profile")))
    _largest_spike(panel, grid, section, chart_marks(con))
    lags = impact.lag_summary(impact.lagged_association(panel))
    if not lags.empty:
        clicks = lags[(lags["search_metric"] == "search_clicks")]
        top = clicks.sort_values("share_significant", ascending=False).head(5)
        section.paragraphs.append(
            f"Lagged association: at no lag were more than {clicks['share_significant'].max():.1%} of pages' "
            "day-on-day changes in social activity and search clicks significantly correlated after correcting for "
            "testing many pages and lags. This measures association only; a lasting step shows up on one day.")
        section.tables.append(Table(
            "Lagged association (day-on-day changes; share of pages significant after FDR correction)",
            ["social metric", "lag (days)", "pages", "significant", "median r"],
            [[r["social_metric"], num(r["lag"]), num(r["pages"]), pct(r["share_significant"]), f"{r['median_r']:.3f}"]
             for r in top.to_dict("records")],
        ))
    return section


def _largest_spike(panel: pd.DataFrame, grid: Grid, section: Section, marks: pd.DataFrame) -> None:
    """The counterfactual chart for the largest group of pages whose social spikes started within one week."""
    spikes = detect_spikes(grid)
    usable = np.flatnonzero(spikes >= 28)
    if len(usable) == 0:
        section.paragraphs.append("Counterfactual: no page had a social spike with 28 days of search history "
                                  "before it, so none is shown.")
        return
    starts = np.sort(spikes[usable])
    # the 7-day window holding the most spike starts: one intervention date for the whole group
    counts = np.searchsorted(starts, starts + 7, side="left") - np.arange(len(starts))
    first = int(starts[int(np.argmax(counts))])
    group = [str(p) for p in grid.pages[usable][(spikes[usable] >= first) & (spikes[usable] < first + 7)]]
    start = grid.dates[first]
    result = impact.counterfactual_impact(panel, group, start, post_days=42)
    row = result.summary.iloc[0]
    section.paragraphs.append(
        f"Counterfactual for the {len(group)} pages whose social spikes started in the week of {start.date()} (the "
        "largest such group), over the following six weeks: "
        + (f"{str(row['verdict']).replace('_', ' ')}, {_interval(row)}; {row['reason']}." if row["estimable"]
           else f"cannot conclude — {row['reason']}."))
    if not result.series.empty:
        section.charts.append(Markup(charts.fragment(
            impact_charts.impact_panels(result.series, f"Search clicks of the {len(group)} pages spiked in the week "
                                        f"of {start.date()}: observed vs. predicted"),
            "chart-impact", marks)))


def _equity_section(con: duckdb.DuckDBPyConnection) -> Section:
    section = Section("equity", "Direct link equity (PageRank)", "backlinks and internal links", False,
                      missing="No link graph: import backlinks (`socialseo ingest backlinks PATH`) or crawl the "
                              "site (`socialseo crawl URL`).")
    table = link_equity(load_link_graph(con))
    if table.empty:
        return section
    section.has_data = True
    social = int(table["social_inlinks"].sum())
    gainers = table.sort_values("social_gain", ascending=False).head(15)
    section.summary.append(
        f"{social:,} links from social platforms are nofollow/ugc and pass no PageRank; if they did, the page that "
        f"would gain most is {gainers.iloc[0]['page']} (+{gainers.iloc[0]['social_gain']:.2f} on a scale where an "
        "average page is 1.0)." if social else "No nofollow/ugc social link was found in the link graph.")
    section.paragraphs.append("PageRank is computed twice: with followed links only (what links pass) and with "
                              "social nofollow/ugc links counted as followed (what they would be worth if they did).")
    section.tables.append(Table("Pages that social links would lift most", [
        "page", "PageRank (followed)", "if social links passed equity", "gain", "social links", "followed links"], [
        [r["page"], f"{r['pagerank_followed']:.3f}", f"{r['pagerank_social_followed']:.3f}",
         f"{r['social_gain']:+.3f}", num(r["social_inlinks"]), num(r["followed_inlinks"])]
        for r in gainers.to_dict("records")]))
    return section


def _platform_section(con: duckdb.DuckDBPyConnection, panel: pd.DataFrame) -> Section:
    section = Section("platforms", "Platform effectiveness by content segment",
                      "social sessions, platform backlinks and the panel model's per-platform estimate", False,
                      missing="No social sessions or platform backlinks to compare: import access logs "
                              "(`socialseo ingest logs PATH`) or backlinks (`socialseo ingest backlinks PATH`).")
    sessions, backlinks = load_platform_inputs(con)
    effects = impact.panel_model(panel, load_platform_panel(con)) if not panel.empty else None
    table = platform_effectiveness(sessions, backlinks, effects)
    if table.empty:
        return section
    section.has_data = True
    section.tables.append(Table("Platforms per segment, ranked by sessions", [
        "segment", "rank", "platform", "sessions", "bounce rate", "avg. duration", "backlinks (followed)",
        "search effect (95% interval)"], [
        [r["segment"], num(r["rank"]), r["platform"], num(r["sessions"]), pct(r["bounce_rate"]),
         "–" if pd.isna(r["avg_duration_s"]) else f"{r['avg_duration_s']:,.0f} s",
         f"{num(r['backlinks'])} ({num(r['followed_backlinks'])})",
         "–" if pd.isna(r["search_effect"]) else
         f"{pct(r['search_effect'])} ({pct(r['search_effect_low'])} to {pct(r['search_effect_high'])})"]
        for r in table.to_dict("records")]))
    return section


def sections(con: duckdb.DuckDBPyConnection) -> list[Section]:
    panel = load_panel(con)
    return [_effect_section(con, panel), _equity_section(con), _platform_section(con, panel)]
