"""The action list: recommendations that join social and search work, each backed by the numbers that triggered it.

Add a rule by decorating a function with :func:`~socialseo.analysis.actions.base.rule` in a module imported here.
"""

from socialseo.analysis.actions import rules as _rules  # noqa: F401  (registers the built-in rules)
from socialseo.analysis.actions.base import RULES, Action, ActionList, Rule, rule, run_rules

__all__ = ["RULES", "Action", "ActionList", "Rule", "rule", "run_rules"]
