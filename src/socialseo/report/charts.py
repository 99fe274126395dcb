"""Plotly figures for the report and the dashboard, rendered as HTML fragments without the library.

The report inlines plotly.js once (from the installed Python package, never a CDN) so it works offline.
"""

from __future__ import annotations

import html
from functools import cache

import pandas as pd
import plotly.graph_objects as go
from plotly.offline import get_plotlyjs

PLATFORM_COLOURS = {
    "facebook": "#1877F2",
    "x": "#14171A",
    "instagram": "#E1306C",
    "linkedin": "#0A66C2",
    "pinterest": "#E60023",
    "reddit": "#FF4500",
    "youtube": "#FF0000",
    "tiktok": "#25F4EE",
}


@cache
def plotly_js() -> str:
    """The plotly.js bundle shipped inside the plotly package."""
    return get_plotlyjs()


def fragment(fig: go.Figure, div_id: str) -> str:
    """Render a figure as a ``<div>`` + script with a stable id, so the same data gives the same report."""
    fig.update_layout(margin={"l": 40, "r": 20, "t": 40, "b": 40}, template="plotly_white", height=380)
    html: str = fig.to_html(full_html=False, include_plotlyjs=False, div_id=div_id, config={"displaylogo": False})
    return html


def stacked_daily(frame: pd.DataFrame, series: str, title: str, colours: dict[str, str] | None = None) -> go.Figure:
    """One stacked area per value of ``series`` over ``day``: sessions over time."""
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
                line={"color": (colours or {}).get(str(name))},
            )
        )
    fig.update_layout(title=title, yaxis_title="sessions", hovermode="x unified")
    return fig


def engagement_bars(frame: pd.DataFrame) -> go.Figure:
    """Bounce rate and pages per session per social platform, side by side."""
    fig = go.Figure()
    fig.add_trace(go.Bar(x=frame["platform"], y=frame["bounce_rate"] * 100, name="bounce rate (%)"))
    fig.add_trace(go.Bar(x=frame["platform"], y=frame["avg_duration_s"] / 60, name="avg. duration (min)"))
    fig.add_trace(go.Bar(x=frame["platform"], y=frame["pages_per_session"], name="pages / session"))
    fig.update_layout(title="Engagement of social visitors by platform", barmode="group")
    return fig


def page_timeline(frame: pd.DataFrame, page: str) -> go.Figure:
    """Social activity above (sessions from social, posts), search performance below, on one shared time axis."""
    from plotly.subplots import make_subplots

    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.08,
                        # Plotly reads a little HTML in text; the page path is untrusted, so it is escaped.
                        subplot_titles=(f"Social activity: {html.escape(page)}", "Search performance"))
    fig.add_trace(go.Bar(x=frame["day"], y=frame["social_sessions"], name="social sessions"), row=1, col=1)
    fig.add_trace(go.Scatter(x=frame["day"], y=frame["posts"], name="posts", mode="markers",
                             marker={"symbol": "diamond", "size": 9}), row=1, col=1)
    fig.add_trace(go.Scatter(x=frame["day"], y=frame["clicks"], name="search clicks", mode="lines"), row=2, col=1)
    fig.add_trace(go.Scatter(x=frame["day"], y=frame["impressions"], name="search impressions", mode="lines",
                             line={"dash": "dot"}), row=2, col=1)
    if not (frame["clicks"].sum() or frame["impressions"].sum()):
        fig.add_annotation(text="no Search Console data for this page", showarrow=False,
                           xref="x2 domain", yref="y2 domain", x=0.5, y=0.5)
    fig.update_layout(hovermode="x unified")
    return fig
