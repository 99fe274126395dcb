"""One refresh: every source the project file names, then alerts, then the report, each on its own.

A source that fails is reported in its line and the run goes on: a Search Console outage must not keep the day's
logs out. The caller holds the lock (:mod:`socialseo.refresh.lock`) and turns the outcomes into an exit status.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from socialseo.analysis.alerts import Alert, evaluate, record_delivered, record_sent, undelivered, unsent
from socialseo.errors import SocialSeoError
from socialseo.refresh.config import ProjectFile, source_path
from socialseo.refresh.delivery import send_email, send_webhook


@dataclass
class Outcome:
    """One line of the summary: a source (or step), whether it worked, and what it did or why it failed."""

    name: str
    ok: bool
    message: str

    @property
    def line(self) -> str:
        return f"{self.name}: {'ok' if self.ok else 'FAILED'}: {self.message}"


@dataclass
class RefreshSummary:
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.ok]

    @property
    def exit_code(self) -> int:
        """0 when every step worked, 1 when any failed (2, for a bad project file, is raised before any step)."""
        return 1 if self.failed else 0


def run_refresh(project: Any, config: ProjectFile, on_line: Callable[[Outcome], None] | None = None) -> RefreshSummary:
    """Run every step ``config`` names against ``project`` (a :class:`socialseo.api.Project`)."""
    summary = RefreshSummary()

    def step(name: str, work: Callable[[], str | list[Outcome]]) -> None:
        try:
            done = work()
            found = done if isinstance(done, list) else [Outcome(name, True, done)]
        except SocialSeoError as exc:
            found = [Outcome(name, False, " ".join(str(exc).split()))]
        except Exception as exc:  # one broken source must not stop the others; the line names it
            where = traceback.extract_tb(exc.__traceback__)[-1]
            found = [Outcome(name, False, f"{type(exc).__name__}: {exc} (at {Path(where.filename).name}:"
                                          f"{where.lineno}; run with --debug for the traceback)")]
        for outcome in found:
            summary.outcomes.append(outcome)
            if on_line is not None:
                on_line(outcome)

    sources = config.sources
    if "gsc" in sources:
        step("gsc", lambda: _gsc(project, config))
    if "ga4_bigquery" in sources:
        step("ga4_bigquery", lambda: _ga4_bigquery(project, config))
    if "logs" in sources:
        step("logs", lambda: _logs(project, config))
    if "discover" in sources:
        step("discover", lambda: _discover(project, config))
    if config.rules:
        step("alerts", lambda: _alerts(project, config))
    if config.report_dir is not None:
        report_dir = config.report_dir
        step("report", lambda: f"wrote {project.report(report_dir)}")
    return summary


def _gsc(project: Any, config: ProjectFile) -> str:
    pull = getattr(project, "pull_gsc", None)
    if pull is None:
        raise SocialSeoError("gsc pull not available in this socialseo; import exports with socialseo ingest gsc")
    table = config.sources["gsc"]
    credentials = source_path(config, table["credentials"]) if table.get("credentials") else None
    result = pull(table.get("site") or config.site, None, None, credentials=credentials,
                  incremental=bool(table.get("incremental", True)))
    return str(result.message)


def _ga4_bigquery(project: Any, config: ProjectFile) -> str:
    table = config.sources["ga4_bigquery"]
    credentials = source_path(config, table["credentials"]) if table.get("credentials") else None
    end = datetime.now(UTC).date()
    start = end - timedelta(days=int(table.get("days", 3)) - 1)  # `days` daily tables, today's included
    results = project.ingest_ga4_bigquery_table(table["table"], start, end, credentials=credentials)
    new = [r for r in results if not r.skipped]
    rows = sum(r.rows_loaded for r in new)
    quarantined = sum(r.rows_quarantined for r in new)
    text = (f"{len(results)} daily table(s) from {start} to {end}: {len(new)} read anew ({rows:,} events, "
            f"{quarantined:,} quarantined), {len(results) - len(new)} unchanged since the last refresh")
    return text


def _logs(project: Any, config: ProjectFile) -> str:
    table = config.sources["logs"]
    directory = source_path(config, table["directory"])
    pattern = str(table.get("pattern", "*"))
    if not directory.is_dir():
        raise SocialSeoError(f"log directory {directory} does not exist or is not a folder")
    files = sorted((p for p in directory.glob(pattern) if p.is_file()), key=lambda p: (p.stat().st_mtime, p.name))
    if not files:
        raise SocialSeoError(f"no files match {pattern} in {directory}; check [sources.logs] directory and pattern")
    results = project.ingest_logs(files, site=config.site, log_format=str(table.get("format", "auto")))
    new = [r for r in results if not r.skipped]
    rows = sum(r.rows_loaded for r in new)
    quarantined = sum(r.rows_quarantined for r in new)
    text = (f"{len(files)} file(s) in {directory}: {len(new)} imported ({rows:,} rows, {quarantined:,} quarantined), "
            f"{len(files) - len(new)} already imported")
    return text if new else text + "; nothing new since the last refresh"


def _discover(project: Any, config: ProjectFile) -> list[Outcome]:
    table = config.sources["discover"]
    networks = table.get("networks") or ["bluesky", "mastodon", "reddit", "hackernews"]
    outcomes = project.discover(
        networks, site=config.site, max_pages=int(table.get("max_pages", 5)),
        mastodon_tags=table.get("mastodon_tags", ()), reddit_urls=table.get("reddit_urls", ()),
    )
    return [Outcome(f"discover {o.name}", o.ok, o.message) for o in outcomes]


def _alerts(project: Any, config: ProjectFile) -> str:
    con = project.warehouse.con
    found = evaluate(con, list(config.rules), config.dashboard_url)
    fresh = unsent(con, found)
    if not fresh:
        return f"{len(config.rules)} rule(s) checked: nothing new to tell ({len(found)} alert(s) sent before)"
    senders: dict[str, Callable[[list[Alert]], None]] = {}
    if config.email is not None:
        email = config.email
        senders["email"] = lambda alerts: send_email(email, config.site, alerts)
    if config.webhook is not None:
        webhook = config.webhook
        senders["webhook"] = lambda alerts: send_webhook(webhook, config.site, alerts)
    sent_to: list[str] = []
    took: list[str] = []
    had_them: list[str] = []
    failures: list[str] = []
    for channel, send in senders.items():
        # Each channel gets each alert once: one that took them while another failed is not sent them again.
        pending = undelivered(con, fresh, channel)
        if not pending:
            had_them.append(channel)
            continue
        try:
            send(pending)
        except SocialSeoError as exc:
            failures.append(" ".join(str(exc).split()))
            continue
        with project.warehouse.transaction() as tx:
            record_delivered(tx, pending, channel)
        sent_to.append(channel)
        took.append(f"{channel} took {len(pending)} alert(s)")
    if failures:
        done = "; ".join(took) + "; " if took else ""
        raise SocialSeoError("; ".join(failures) + f"; {done}the next refresh tries the failed channel(s) again")
    with project.warehouse.transaction() as tx:
        record_sent(tx, fresh, [*senders, "report"])
    where = ", ".join([*sent_to, "the report"])
    before = f" ({', '.join(had_them)} had them before)" if had_them else ""
    return f"{len(fresh)} new alert(s) sent to {where}{before}: " + "; ".join(a.text for a in fresh[:3]) + \
        ("…" if len(fresh) > 3 else "")
