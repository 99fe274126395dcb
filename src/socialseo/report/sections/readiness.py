"""The 'social readiness' section: what the latest site audit and profile audit found, rule by rule."""

from __future__ import annotations

import duckdb

from socialseo.report.sections.base import Section, Table, num


def _latest(con: duckdb.DuckDBPyConnection, prefix: str) -> str | None:
    row = con.execute(
        "SELECT audit_id FROM audit_findings WHERE audit_id LIKE ? ORDER BY created_at DESC, audit_id DESC LIMIT 1",
        [prefix + "%"],
    ).fetchone()
    return None if row is None else str(row[0])


def sections(con: duckdb.DuckDBPyConnection) -> list[Section]:
    site_audit, profile_audit = _latest(con, "site-"), _latest(con, "profiles-")
    section = Section(
        "readiness", "Social readiness", "the latest `socialseo audit site` and `socialseo audit profiles` runs",
        bool(site_audit or profile_audit),
        missing="No audit has been run: `socialseo crawl URL`, then `socialseo audit site` and "
                "`socialseo audit profiles profiles.toml`.",
    )
    for audit_id, label in ((site_audit, "Site"), (profile_audit, "Profiles")):
        if audit_id is None:
            continue
        rows = con.execute(
            "SELECT rule_id, any_value(severity), count(DISTINCT url), min(url), any_value(fix) FROM audit_findings "
            "WHERE audit_id = ? GROUP BY rule_id "
            "ORDER BY CASE any_value(severity) WHEN 'error' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END, 3 DESC, 1",
            [audit_id],
        ).fetchall()
        errors = sum(n for _, severity, n, _, _ in rows if severity == "error")
        section.summary.append(
            f"{label} audit: {len(rows)} rules failed, {errors:,} {'pages' if label == 'Site' else 'profiles'} "
            "with errors." if rows else f"{label} audit: every rule passed."
        )
        section.tables.append(Table(
            f"{label} audit findings ({audit_id})", ["rule", "severity", "affected", "example", "how to fix"],
            [[rule, severity, num(n), example, fix] for rule, severity, n, example, fix in rows],
        ))
    return [section]
