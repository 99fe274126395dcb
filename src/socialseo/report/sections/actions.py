"""The action list section: what to do next, social and search together, each action with its numbers."""

from __future__ import annotations

import duckdb

from socialseo.analysis.actions import run_rules
from socialseo.analysis.filters import Filters
from socialseo.report.sections.base import Section


def sections(con: duckdb.DuckDBPyConnection, filters: Filters | None = None) -> list[Section]:
    result = run_rules(con, filters)
    ran = result.checked - len(result.skipped)
    section = Section(
        "actions", "Action list",
        f"{ran} of {result.checked} rules over sessions, posts, search data, backlinks, crawl and audits",
        bool(result.actions),
        missing=("No rule found anything to act on in the data available"
                 + (f"; {len(result.skipped)} rule(s) could not run for lack of data, each says below what to "
                    "import (`socialseo ingest logs|gsc|posts|backlinks PATH`)." if result.skipped else ".")
                 if ran else
                 "No rule could run: the data they need has not been imported yet (`socialseo ingest logs PATH`, "
                 "`socialseo ingest gsc PATH`, `socialseo ingest posts PATH`; each rule below says what it needs)."),
    )
    section.actions = result.actions
    if result.actions:
        first = result.actions[0]
        section.summary.append(
            f"{len(result.actions)} action(s) proposed; the most pressing: {first.title.lower()} — {first.why}"
        )
    section.paragraphs = [f"Not checked — {title}: {why}." for title, why in result.skipped]
    return [section]
