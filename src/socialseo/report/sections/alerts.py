"""The 'Alerts' digest: what the alert rules found and delivered in the last 30 days, newest first."""

from __future__ import annotations

import duckdb

from socialseo.report.sections.base import Section, Table
from socialseo.store.warehouse import scalar

DAYS = 30


def sections(con: duckdb.DuckDBPyConnection) -> list[Section]:
    total = scalar(con, "SELECT count(*) FROM alerts_sent WHERE sent_at >= current_timestamp::TIMESTAMP - "
                        "to_days(CAST(? AS INTEGER))", [DAYS]) or 0
    section = Section(
        "alerts", "Alerts", f"alert rules of the project file, as delivered by socialseo refresh (last {DAYS} days)",
        bool(total),
        missing="No alerts in the last 30 days: add [[alerts.rules]] to the project file and run socialseo refresh.",
    )
    if not total:
        return [section]
    rows = con.execute(
        "SELECT strftime(sent_at, '%Y-%m-%d %H:%M'), rule, subject, message, channels FROM alerts_sent "
        "WHERE sent_at >= current_timestamp::TIMESTAMP - to_days(CAST(? AS INTEGER)) "
        "ORDER BY sent_at DESC, rule, subject", [DAYS],
    ).fetchall()
    rules = sorted({r[1] for r in rows})
    section.summary.append(f"{total:,} alert(s) in the last {DAYS} days from {len(rules)} rule(s): {', '.join(rules)}.")
    section.tables.append(Table("Alerts delivered", ["sent", "rule", "subject", "alert", "sent to"],
                                [list(r) for r in rows]))
    return [section]
