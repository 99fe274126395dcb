"""Does social activity move search performance? Estimates with intervals, and honest "cannot conclude"s.

Every analysis is a function over the page x day panel (:func:`load_panel`) returning a pandas DataFrame.
"""

from socialseo.analysis.impact.counterfactual import ImpactResult, counterfactual_impact
from socialseo.analysis.impact.events import event_study
from socialseo.analysis.impact.fixed_effects import panel_model
from socialseo.analysis.impact.panel import PANEL_COLUMNS, load_panel, load_platform_panel

__all__ = [
    "PANEL_COLUMNS",
    "ImpactResult",
    "counterfactual_impact",
    "event_study",
    "load_panel",
    "load_platform_panel",
    "panel_model",
]
