"""Does social activity move search? The effect estimates, each with its interval."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from socialseo.analysis import impact
from socialseo.analysis.impact.platforms import load_platform_inputs, platform_effectiveness
from socialseo.project.base import ProjectBase


class Impact(ProjectBase):
    """Does social activity move search? The effect estimates, each with its interval."""

    def panel(self, *, start: str | None = None, end: str | None = None) -> pd.DataFrame:
        """The page x day panel every impact analysis reads (``page_daily``), optionally cut to ``start``..``end``."""
        panel = impact.load_panel(self.warehouse.con)
        if start:
            panel = panel[panel["date"] >= pd.Timestamp(start)]
        if end:
            panel = panel[panel["date"] <= pd.Timestamp(end)]
        return panel.reset_index(drop=True)

    def lags(self, *, max_lag: int = 28, summary: bool = False, start: str | None = None,
             end: str | None = None) -> pd.DataFrame:
        """Cross-correlations of differenced social and search series per page and lag, FDR-corrected."""
        found = impact.lagged_association(self.panel(start=start, end=end), max_lag=max_lag)
        return impact.lag_summary(found) if summary else found

    def panel_model(self, *, outcome: str = "search_clicks", start: str | None = None,
                    end: str | None = None) -> pd.DataFrame:
        """Fixed-effects estimate of a social spike's effect on ``outcome``, overall and per platform."""
        return impact.panel_model(self.panel(start=start, end=end), impact.load_platform_panel(self.warehouse.con),
                                  outcome=outcome)

    def events(self, *, outcome: str = "search_clicks", profile: bool = False, start: str | None = None,
               end: str | None = None) -> pd.DataFrame:
        """Event study around social spikes against clean matched controls; ``profile`` gives the weekly view."""
        summary, weekly = impact.event_study(self.panel(start=start, end=end), outcome=outcome)
        return weekly if profile else summary

    def verdict(self, *, outcome: str = "search_clicks", start: str | None = None,
                end: str | None = None) -> impact.Headline:
        """One answer to "did social move search?": the panel model and the event study reconciled, saying
        plainly when they disagree and why (see :mod:`socialseo.analysis.impact.verdict`)."""
        panel = self.panel(start=start, end=end)
        model = impact.panel_model(panel, impact.load_platform_panel(self.warehouse.con), outcome=outcome)
        events, _ = impact.event_study(panel, outcome=outcome)
        return impact.headline([model.iloc[0], events.iloc[0]], outcome)

    def impact(self, pages: Sequence[str], after: str, *, outcome: str = "search_clicks",
               series: bool = False, start: str | None = None, end: str | None = None) -> pd.DataFrame:
        """Counterfactual effect on ``pages`` from ``after`` on; each page in any spelling (see
        :meth:`resolve_page`: ``/blog/x``, ``https://www.example.com/blog/x/?utm_source=y``)."""
        keys = list(dict.fromkeys(self.resolve_page(p) for p in pages))
        result = impact.counterfactual_impact(self.panel(start=start, end=end), keys, after, outcome=outcome)
        return result.series if series else result.summary

    def platforms(self) -> pd.DataFrame:
        """Platforms ranked per content segment by sessions, engagement, backlinks and estimated search effect."""
        sessions, backlinks = load_platform_inputs(self.warehouse.con)
        panel = self.panel()
        effects = None if panel.empty else impact.panel_model(panel, impact.load_platform_panel(self.warehouse.con))
        return platform_effectiveness(sessions, backlinks, effects)
