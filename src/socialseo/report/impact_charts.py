"""Charts of the impact analyses: CausalImpact's three panels and the event-study profile."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots


def _band(fig: go.Figure, x: pd.Series, low: pd.Series, high: pd.Series, row: int) -> None:
    fig.add_trace(go.Scatter(x=x, y=high, mode="lines", line={"width": 0}, showlegend=False, hoverinfo="skip"),
                  row=row, col=1)
    fig.add_trace(go.Scatter(x=x, y=low, mode="lines", line={"width": 0}, fill="tonexty",
                             fillcolor="rgba(31,119,180,0.2)", name="95% interval", showlegend=row == 1),
                  row=row, col=1)


def impact_panels(series: pd.DataFrame, title: str) -> go.Figure:
    """Observed vs predicted, pointwise effect, cumulative effect; a dashed line where the post period starts."""
    fig = make_subplots(rows=3, cols=1, shared_xaxes=True, vertical_spacing=0.05,
                        subplot_titles=("observed and predicted", "pointwise effect", "cumulative effect"))
    post = series[series["post_period"]]
    _band(fig, post["date"], post["predicted_low"], post["predicted_high"], 1)
    fig.add_trace(go.Scatter(x=series["date"], y=series["observed"], name="observed", line={"color": "#222"}),
                  row=1, col=1)
    fig.add_trace(go.Scatter(x=series["date"], y=series["predicted"], name="predicted",
                             line={"color": "#1f77b4", "dash": "dash"}), row=1, col=1)
    _band(fig, post["date"], post["effect_low"], post["effect_high"], 2)
    fig.add_trace(go.Scatter(x=post["date"], y=post["effect"], name="effect", line={"color": "#1f77b4"},
                             showlegend=False), row=2, col=1)
    _band(fig, post["date"], post["cumulative_low"], post["cumulative_high"], 3)
    fig.add_trace(go.Scatter(x=post["date"], y=post["cumulative_effect"], name="cumulative",
                             line={"color": "#1f77b4"}, showlegend=False), row=3, col=1)
    if not post.empty:
        start = post["date"].iloc[0]
        for row in (1, 2, 3):
            fig.add_vline(x=start, line_dash="dot", line_color="#888", row=row, col=1)
    fig.update_yaxes(title_text="clicks per day", row=1, col=1)
    fig.update_yaxes(title_text="clicks per day", row=2, col=1)
    fig.update_yaxes(title_text="clicks", row=3, col=1)
    fig.update_xaxes(title_text="day", row=3, col=1)
    fig.update_layout(title=title, height=620)
    return fig


def event_profile(profile: pd.DataFrame) -> go.Figure:
    """Relative difference to the counterfactual by week from the spike, with 95% intervals."""
    fig = go.Figure(go.Scatter(
        x=profile["week"], y=profile["relative_effect"] * 100, mode="markers+lines", name="effect (%)",
        error_y={"type": "data", "symmetric": False,
                 "array": (profile["ci_high"] - profile["relative_effect"]) * 100,
                 "arrayminus": (profile["relative_effect"] - profile["ci_low"]) * 100},
    ))
    fig.add_hline(y=0, line_color="#888")
    fig.update_layout(title="Search clicks of spiked pages against matched controls, by week from the spike",
                      xaxis_title="weeks from the social spike", yaxis_title="difference (%)")
    return fig
