"""Does social activity move search performance? Estimates with intervals, and honest "cannot conclude"s.

Every analysis is a function over the page x day panel (:func:`load_panel`) returning a pandas DataFrame.
The names are imported on first use: the models pull in statsmodels and SciPy, about a second of start-up that
commands which never estimate an effect should not pay.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from socialseo.analysis.impact.counterfactual import ImpactResult, counterfactual_impact
    from socialseo.analysis.impact.events import event_study
    from socialseo.analysis.impact.fixed_effects import panel_model
    from socialseo.analysis.impact.lags import lag_summary, lagged_association
    from socialseo.analysis.impact.panel import PANEL_COLUMNS, load_panel, load_platform_panel
    from socialseo.analysis.impact.verdict import Headline, headline

_MODULE_OF = {
    "ImpactResult": "counterfactual", "counterfactual_impact": "counterfactual", "event_study": "events",
    "panel_model": "fixed_effects", "lag_summary": "lags", "lagged_association": "lags",
    "PANEL_COLUMNS": "panel", "load_panel": "panel", "load_platform_panel": "panel",
    "Headline": "verdict", "headline": "verdict",
}

__all__ = [
    "PANEL_COLUMNS",
    "Headline",
    "ImpactResult",
    "counterfactual_impact",
    "event_study",
    "headline",
    "lag_summary",
    "lagged_association",
    "load_panel",
    "load_platform_panel",
    "panel_model",
]


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"{__name__}.{module}"), name)
