"""The search performance chart: clicks and impressions per day above, CTR and position below, each on its own
axis with its unit, so a reader never compares a percentage with a rank on one scale."""

from __future__ import annotations

from datetime import date

import pandas as pd
import plotly.graph_objects as go

from socialseo.report.colours import colour


def search_trend(frame: pd.DataFrame, period: tuple[date, date] | None = None,
                 against: tuple[date, date] | None = None) -> go.Figure:
    """``frame`` from :func:`socialseo.analysis.search_performance.site_daily` (day, clicks, impressions, ctr,
    position); ``against``, the comparison period, is shaded and ``period`` framed, so a reader sees which days
    are compared."""
    from plotly.subplots import make_subplots

    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.12,
                        specs=[[{"secondary_y": True}], [{"secondary_y": True}]],
                        subplot_titles=("Clicks and impressions per day", "CTR and average position"))
    fig.add_trace(go.Bar(x=frame["day"], y=frame["clicks"], name="clicks", marker_color=colour("organic_search")),
                  row=1, col=1)
    fig.add_trace(go.Scatter(x=frame["day"], y=frame["impressions"], name="impressions", mode="lines+markers",
                             line={"dash": "dot", "color": "#6b7280"}), row=1, col=1, secondary_y=True)
    fig.add_trace(go.Scatter(x=frame["day"], y=frame["ctr"] * 100, name="CTR (%)", mode="lines+markers",
                             line={"color": "#047857"}), row=2, col=1)
    fig.add_trace(go.Scatter(x=frame["day"], y=frame["position"], name="position", mode="lines+markers",
                             line={"color": "#b45309"}), row=2, col=1, secondary_y=True)
    fig.update_yaxes(title_text="clicks per day", row=1, col=1, secondary_y=False)
    fig.update_yaxes(title_text="impressions per day", row=1, col=1, secondary_y=True)
    fig.update_yaxes(title_text="CTR (%)", row=2, col=1, secondary_y=False)
    # position 1 is the top of the results: the axis runs downwards so "up" means better
    fig.update_yaxes(title_text="position (1 = top)", autorange="reversed", row=2, col=1, secondary_y=True)
    fig.update_xaxes(title_text="day", row=2, col=1)
    fig.update_xaxes(type="date", tickformat="%Y-%m-%d")
    for days, fill, text, corner in ((against, "#9ca3af", "compared with", "top left"),
                                     (period, "#93c5fd", "period", "top right")):
        if days is not None:  # a day's bar is centred on its midnight: the band runs half a day either side
            fig.add_vrect(x0=pd.Timestamp(days[0]) - pd.Timedelta(hours=12),
                          x1=pd.Timestamp(days[1]) + pd.Timedelta(hours=12), fillcolor=fill, opacity=0.15,
                          line_width=0, annotation_text=text, annotation_position=corner)
    fig.update_layout(title="Search Console performance", hovermode="x unified", height=520, margin={"t": 80})
    return fig
