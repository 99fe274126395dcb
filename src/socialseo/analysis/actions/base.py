"""What an action is, and the registry of rules that propose actions.

An action is a recommendation that joins social and search work ("promote page P: its search impressions rose 40%
and nobody shared it for 90 days"). Every action carries the numbers that triggered it, so a reader can check it.
Rules are data: a :class:`Rule` names the tables it needs and a function that returns actions; a rule whose tables
are empty is skipped with a note saying what to import, never guessed at.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import duckdb

from socialseo.analysis.filters import NO_FILTERS, Filters

PRIORITIES = {"high": 0, "medium": 1, "low": 2}

# What to run when a table a rule needs is empty.
HOW_TO_FILL = {
    "sessions": "import access logs (`socialseo ingest logs`)",
    "hits": "import access logs (`socialseo ingest logs`)",
    "social_posts": "import your social post exports",
    "social_post_metrics": "import social post exports that include metrics",
    "search_performance": "import a Search Console performance export",
    "backlinks": "import a backlink export or crawl social profiles",
    "crawl_pages": "crawl the site",
    "audit_findings": "run an audit of the site",
}


@dataclass
class Action:
    """One recommendation: what to do, why (a sentence with the numbers), and the rows behind it."""

    rule_id: str
    priority: str
    title: str
    why: str
    header: list[str] = field(default_factory=list)
    rows: list[list[Any]] = field(default_factory=list)

    def as_record(self) -> dict[str, Any]:
        return {"rule_id": self.rule_id, "priority": self.priority, "title": self.title, "why": self.why,
                "items": len(self.rows)}


RuleFunction = Callable[[duckdb.DuckDBPyConnection, Filters], list[Action]]


@dataclass(frozen=True)
class Rule:
    rule_id: str
    title: str
    needs: tuple[str, ...]
    run: RuleFunction


@dataclass
class ActionList:
    actions: list[Action]
    skipped: list[tuple[str, str]]  # (rule title, why it did not run)
    checked: int


RULES: list[Rule] = []


def rule(rule_id: str, title: str, needs: tuple[str, ...]) -> Callable[[RuleFunction], RuleFunction]:
    """Register a rule: ``@rule("id", "what it looks for", needs=("sessions",))`` over ``f(con, filters)``."""

    def register(function: RuleFunction) -> RuleFunction:
        if any(r.rule_id == rule_id for r in RULES):
            raise ValueError(f"action rule {rule_id!r} is registered twice")
        RULES.append(Rule(rule_id, title, needs, function))
        return function

    return register


def _empty(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    row = con.execute(f"SELECT NOT EXISTS (SELECT 1 FROM {table})").fetchone()
    return bool(row and row[0])


def run_rules(
    con: duckdb.DuckDBPyConnection, filters: Filters | None = None, rules: list[Rule] | None = None
) -> ActionList:
    """Run every registered rule (or ``rules``) whose tables have data; highest priority first."""
    actions: list[Action] = []
    skipped: list[tuple[str, str]] = []
    chosen = RULES if rules is None else rules
    for r in chosen:
        empty = [t for t in r.needs if _empty(con, t)]
        if empty:
            skipped.append((r.title, "; ".join(f"no {t} yet: {HOW_TO_FILL.get(t, 'import it')}" for t in empty)))
            continue
        actions.extend(r.run(con, filters or NO_FILTERS))
    actions.sort(key=lambda a: PRIORITIES.get(a.priority, 9))
    return ActionList(actions, skipped, len(chosen))
