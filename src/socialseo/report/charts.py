"""Plotly figures for the report and the dashboard, rendered as HTML fragments without the library.

The report inlines plotly.js once (from the installed Python package, never a CDN) so it works offline. Every
channel and platform is drawn in its fixed colour (:mod:`socialseo.report.colours`), whatever else a chart shows.
"""

from __future__ import annotations

import html
from functools import cache

import pandas as pd
import plotly.graph_objects as go
from plotly.offline import get_plotlyjs

from socialseo.report.colours import channel_colours, colour, platform_colours

# Kept as plain dicts for callers that pass a map; every chart below looks names up with ``colour``.
PLATFORM_COLOURS = dict(platform_colours())
CHANNEL_COLOURS = dict(channel_colours())


@cache
def plotly_js() -> str:
    """The plotly.js bundle shipped inside the plotly package."""
    return get_plotlyjs()


def fragment(fig: go.Figure, div_id: str, marks: pd.DataFrame | None = None) -> str:
    """Render a figure as a ``<div>`` + script with a stable id, so the same data gives the same report.

    ``marks`` (annotations: ``date, source, text``) are drawn on a time chart by :func:`with_marks`.
    """
    if marks is not None:
        with_marks(fig, marks)
    # A figure that set its own top margin (room for panel titles under the main title) keeps it.
    top = fig.layout.margin.t if fig.layout.margin.t is not None else 40
    height = fig.layout.height or 380
    fig.update_layout(margin={"l": 56, "r": 20, "t": top, "b": 48}, template="plotly_white", height=height,
                      autosize=True, legend={"orientation": "h", "yanchor": "top", "y": -0.18, "x": 0})
    # responsive: the chart follows its box's width, so a phone never scrolls sideways to read it
    html: str = fig.to_html(full_html=False, include_plotlyjs=False, div_id=div_id,
                            config={"displaylogo": False, "responsive": True})
    return html


# How each source of annotation is drawn: the glyph above its line and the line's colour.
MARK_STYLE = {
    "user": ("✎", "#111827"),
    "post": ("✉", "#2563eb"),
    "spike": ("▲", "#dc2626"),
    "import": ("⇩", "#6b7280"),
    "search_update": ("G", "#b45309"),
}
MARK_HOVER_LINES = 8


def _x_range(fig: go.Figure) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """The first and last day the figure's traces draw, or None when its x axis holds no dates."""
    days = [pd.to_datetime(pd.Series(list(trace.x)), errors="coerce") for trace in fig.data
            if getattr(trace, "x", None) is not None and len(trace.x)]
    found = pd.concat(days).dropna() if days else pd.Series(dtype="datetime64[ns]")
    if found.empty:
        return None
    return found.min().normalize(), found.max().normalize()


def with_marks(fig: go.Figure, marks: pd.DataFrame) -> go.Figure:
    """Draw annotations on a time chart: a dotted vertical line through every panel on each marked day inside the
    chart's days, topped by its source's glyph; hovering the glyph shows the notes of that day.

    One function for every time chart of the report and the dashboard, so a note looks the same everywhere.
    """
    span = _x_range(fig)
    if span is None or marks.empty:
        return fig
    days = pd.to_datetime(marks["date"])
    inside = marks[(days >= span[0]) & (days <= span[1])]
    for day, rows in inside.groupby("date", sort=True):
        source = str(rows["source"].iloc[0])
        glyph, line_colour = MARK_STYLE.get(source, ("•", "#6b7280"))
        # Plotly reads a little HTML in hover text; notes and page paths are untrusted, so they are escaped.
        lines = [f"{html.escape(str(s))}: {html.escape(str(t))}" for s, t in rows[["source", "text"]].itertuples(
            index=False)]
        if len(lines) > MARK_HOVER_LINES:
            lines = [*lines[:MARK_HOVER_LINES], f"… {len(lines) - MARK_HOVER_LINES} more (socialseo annotate list)"]
        x = str(day)
        fig.add_shape(type="line", xref="x", yref="paper", x0=x, x1=x, y0=0, y1=1, layer="above", opacity=0.8,
                      line={"color": line_colour, "width": 1, "dash": "dot"}, name=f"annotation-{source}")
        # just inside the top edge: above it sit the chart's and the panels' titles
        fig.add_annotation(x=x, xref="x", y=1, yref="paper", yanchor="top", showarrow=False,
                           bgcolor="rgba(255,255,255,0.85)",
                           text=glyph if len(rows) == 1 else f"{glyph}{len(rows)}",
                           font={"color": line_colour, "size": 12}, name=f"annotation-{source}",
                           hovertext=f"{x}<br>" + "<br>".join(lines), captureevents=True)
    return fig


def stacked_daily(frame: pd.DataFrame, series: str, title: str, colours: dict[str, str] | None = None) -> go.Figure:
    """One stacked area per value of ``series`` over ``day``: sessions over time, each in its fixed colour
    (``colours`` overrides single names)."""
    fig = go.Figure()
    pivot = frame.pivot_table(index="day", columns=series, values="sessions", aggfunc="sum", fill_value=0)
    for name in pivot.columns:
        fig.add_trace(
            go.Scatter(
                x=pivot.index,
                y=pivot[name],
                name=str(name),
                mode="lines",
                stackgroup="one",
                line={"color": (colours or {}).get(str(name)) or colour(str(name))},
            )
        )
    fig.update_layout(title=title, yaxis_title="sessions per day", xaxis_title="day", hovermode="x unified")
    return fig


# (column, panel title, scale): one panel and axis per measure; percent, minutes and pages share no unit.
_ENGAGEMENT_PANELS = (
    ("bounce_rate", "bounce rate (%)", 100.0),
    ("avg_duration_s", "avg. duration (min)", 1 / 60),
    ("pages_per_session", "pages / session", 1.0),
)


def engagement_bars(frame: pd.DataFrame) -> go.Figure:
    """Bounce rate, duration and pages per session per social platform: three small panels, each with its own axis."""
    from plotly.subplots import make_subplots

    fig = make_subplots(rows=1, cols=len(_ENGAGEMENT_PANELS), horizontal_spacing=0.07,
                        subplot_titles=[title for _, title, _ in _ENGAGEMENT_PANELS])
    platforms = frame["platform"].fillna("unknown").astype(str)
    colours = [colour(p) for p in platforms]
    for col, (column, title, scale) in enumerate(_ENGAGEMENT_PANELS, start=1):
        fig.add_trace(go.Bar(x=platforms, y=frame[column] * scale, name=title, marker_color=colours,
                             showlegend=False, hovertemplate="%{x}: %{y:.2f}<extra>" + title + "</extra>"),
                      row=1, col=col)
    fig.update_layout(title="Engagement of social visitors by platform", margin={"t": 80})
    fig.update_xaxes(tickangle=-45)
    return fig


# Plotly colours for link attributes: followed links pass equity, so they get the strong colour.
REL_COLOURS = {"followed": "#047857", "nofollow": "#9ca3af", "ugc": "#b45309", "sponsored": "#7c3aed"}


def backlinks_by_rel(summary: pd.DataFrame) -> go.Figure:
    """Backlinks per platform by link attribute; grouped, not stacked, because one link can be both nofollow and ugc."""
    frame = summary.sort_values("backlinks", ascending=False)
    fig = go.Figure()
    for rel, fill in REL_COLOURS.items():
        fig.add_trace(go.Bar(x=frame["platform"], y=(frame[f"{rel}_share"] * frame["backlinks"]).round(),
                             name=rel, marker_color=fill))
    fig.update_layout(title="Backlinks per platform by link attribute (a link can carry several)",
                      barmode="group", yaxis_title="backlinks", xaxis_title="platform")
    return fig


def backlinks_new_lost(over_time: pd.DataFrame) -> go.Figure:
    """New links above the zero line and lost links below it, per month, stacked by platform."""
    fig = go.Figure()
    months = over_time.assign(month=pd.to_datetime(over_time["period"]).dt.strftime("%Y-%m"))
    new = months.pivot_table(index="month", columns="platform", values="new", aggfunc="sum", fill_value=0)
    lost = months.pivot_table(index="month", columns="platform", values="lost", aggfunc="sum", fill_value=0)
    for platform in new.sum().sort_values(ascending=False).index:
        fill = colour(str(platform))
        fig.add_trace(go.Bar(x=new.index, y=new[platform], name=str(platform), legendgroup=str(platform),
                             marker_color=fill))
        fig.add_trace(go.Bar(x=lost.index, y=-lost[platform], name=f"{platform} (lost)", legendgroup=str(platform),
                             marker_color=fill, opacity=0.45, showlegend=False))
    fig.add_hline(y=0, line_color="#888")
    fig.update_layout(title="Backlinks first seen (up) and lost (down) per month", barmode="relative",
                      yaxis_title="backlinks per month", xaxis_title="month first seen / lost", hovermode="x unified")
    return fig


def page_timeline(frame: pd.DataFrame, page: str) -> go.Figure:
    """Social activity above (sessions from social, posts), search performance below, on one shared time axis."""
    from plotly.subplots import make_subplots

    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.08,
                        # Plotly reads a little HTML in text; the page path is untrusted, so it is escaped.
                        subplot_titles=(f"Social activity: {html.escape(page)}", "Search performance"))
    fig.add_trace(go.Bar(x=frame["day"], y=frame["social_sessions"], name="social sessions",
                         marker_color=colour("social")), row=1, col=1)
    fig.add_trace(go.Scatter(x=frame["day"], y=frame["posts"], name="posts", mode="markers",
                             marker={"symbol": "diamond", "size": 9}), row=1, col=1)
    fig.add_trace(go.Scatter(x=frame["day"], y=frame["clicks"], name="search clicks", mode="lines",
                             line={"color": colour("organic_search")}), row=2, col=1)
    fig.add_trace(go.Scatter(x=frame["day"], y=frame["impressions"], name="search impressions", mode="lines",
                             line={"dash": "dot"}), row=2, col=1)
    if not (frame["clicks"].sum() or frame["impressions"].sum()):
        fig.add_annotation(text="no Search Console data for this page", showarrow=False,
                           xref="x2 domain", yref="y2 domain", x=0.5, y=0.5)
    fig.update_yaxes(title_text="sessions / posts per day", row=1, col=1)
    fig.update_yaxes(title_text="per day", row=2, col=1)
    fig.update_xaxes(title_text="day", row=2, col=1)
    fig.update_layout(hovermode="x unified")
    return fig
