"""Alert rules: what changed enough to tell someone, each alert once.

A rule (from the project file's ``[[alerts.rules]]``) looks at the warehouse and yields alerts, each about a
``subject`` (a page, the site, a crawl) over a ``period`` (a day, a crawl). ``alerts_sent`` remembers every
(rule, subject, period) delivered, so a rule that keeps holding is sent once, not on every refresh.

Kinds:

- ``new_backlinks``: social backlinks first seen (or first discovered) in the last ``days`` days, per page and day;
- ``lost_backlinks``: social backlinks marked lost in the last ``days`` days, per page and day;
- ``social_spike`` / ``search_change``: a page's ``metric`` on its latest day outside the trailing ``window``-day
  mean ± ``k`` standard deviations (a spike only upwards), with at least ``min_days`` days of history and an
  absolute change of ``min_change``;
- ``impact_significant``: the impact verdict (panel model and event study reconciled) says ``effect``;
- ``crawl_errors``: the latest crawl has at least ``min_errors`` pages with an error or an HTTP status of 400+.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

import duckdb

from socialseo.errors import NotEnoughDataError, SocialSeoError

KINDS = ("new_backlinks", "lost_backlinks", "social_spike", "search_change", "impact_significant", "crawl_errors")
_SPIKE_METRICS = ("social_sessions", "social_posts", "social_engagement", "social_link_clicks", "backlinks_new")
_SEARCH_METRICS = ("search_clicks", "search_impressions", "search_ctr", "search_position")


@dataclass(frozen=True)
class Rule:
    """One alert rule as the project file states it; ``name`` keys what was sent (defaults to the kind)."""

    kind: str
    name: str
    days: int = 1
    metric: str = ""
    k: float = 3.0
    window: int = 28
    min_days: int = 14
    min_change: float = 1.0
    min_errors: int = 1
    outcome: str = "search_clicks"

    @classmethod
    def from_table(cls, table: Mapping[str, Any], where: str) -> Rule:
        """A rule from its TOML table; anything unknown or out of range is a one-line error naming ``where``."""
        known = set(cls.__dataclass_fields__)
        kind = table.get("kind")
        if kind not in KINDS:
            raise SocialSeoError(f"{where}: kind must be one of {', '.join(KINDS)} (got {kind!r})")
        extra = sorted(set(table) - known)
        if extra:
            raise SocialSeoError(f"{where}: unknown setting {extra[0]!r} for a {kind} rule")
        values = {**table, "name": str(table.get("name") or kind)}
        defaults = {"social_spike": "social_sessions", "search_change": "search_clicks"}
        values.setdefault("metric", defaults.get(kind, ""))
        allowed = {"social_spike": _SPIKE_METRICS, "search_change": _SEARCH_METRICS}.get(kind)
        if allowed and values["metric"] not in allowed:
            raise SocialSeoError(f"{where}: metric must be one of {', '.join(allowed)} (got {values['metric']!r})")
        for key in ("days", "window", "min_days", "min_errors"):
            if not isinstance(values.get(key, 1), int) or values.get(key, 1) < 1:
                raise SocialSeoError(f"{where}: {key} must be a whole number of at least 1")
        for key in ("k", "min_change"):
            if not isinstance(values.get(key, 1.0), int | float) or values.get(key, 1.0) < 0:
                raise SocialSeoError(f"{where}: {key} must be a number of at least 0")
        return cls(**values)


@dataclass
class Alert:
    """One thing to tell: which rule, about what, over which period, in one sentence with its numbers."""

    rule: str
    subject: str
    period: str
    text: str
    numbers: dict[str, Any] = field(default_factory=dict)
    link: str | None = None

    @property
    def line(self) -> str:
        return self.text + (f" {self.link}" if self.link else "")


def page_link(dashboard_url: str | None, page: str) -> str | None:
    """The page's timeline on the dashboard, when the project file names the dashboard's address."""
    if not dashboard_url:
        return None
    return f"{dashboard_url.rstrip('/')}/pages?page={quote(page, safe='')}"


def evaluate(con: duckdb.DuckDBPyConnection, rules: list[Rule], dashboard_url: str | None = None) -> list[Alert]:
    """Every alert the rules find now, sent before or not (see :func:`unsent`)."""
    found: list[Alert] = []
    for rule in rules:
        found.extend(_RULES[rule.kind](con, rule, dashboard_url))
    return found


def unsent(con: duckdb.DuckDBPyConnection, alerts: list[Alert]) -> list[Alert]:
    """The alerts not delivered before (by rule, subject and period)."""
    sent = {tuple(r) for r in con.execute("SELECT rule, subject, period FROM alerts_sent").fetchall()}
    return [a for a in alerts if (a.rule, a.subject, a.period) not in sent]


def undelivered(con: duckdb.DuckDBPyConnection, alerts: list[Alert], channel: str) -> list[Alert]:
    """The alerts ``channel`` has not taken yet: a channel that took an alert is never sent it again, even while
    another channel keeps failing."""
    took = {tuple(r) for r in con.execute(
        "SELECT rule, subject, period FROM alert_deliveries WHERE channel = ?", [channel]).fetchall()}
    return [a for a in alerts if (a.rule, a.subject, a.period) not in took]


def record_delivered(con: duckdb.DuckDBPyConnection, alerts: list[Alert], channel: str) -> None:
    """Remember that ``channel`` took ``alerts``, at once, before any other channel is tried."""
    now = datetime.now(UTC).replace(tzinfo=None)
    con.executemany(
        "INSERT INTO alert_deliveries (rule, subject, period, channel, delivered_at) VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT DO NOTHING", [[a.rule, a.subject, a.period, channel, now] for a in alerts],
    )


def record_sent(con: duckdb.DuckDBPyConnection, alerts: list[Alert], channels: list[str]) -> None:
    """Remember the alerts delivered, so the next refresh does not send them again."""
    now = datetime.now(UTC).replace(tzinfo=None)
    for alert in alerts:
        con.execute(
            "INSERT INTO alerts_sent (rule, subject, period, message, channels, sent_at) VALUES (?, ?, ?, ?, ?, ?) "
            "ON CONFLICT DO NOTHING", [alert.rule, alert.subject, alert.period, alert.line, ",".join(channels), now],
        )


def _backlink_alerts(con: duckdb.DuckDBPyConnection, rule: Rule, url: str | None, *, lost: bool) -> list[Alert]:
    when = "b.last_seen" if lost else "coalesce(d.first_seen, b.first_seen)"
    rows = con.execute(
        f"""
        WITH found AS (
            SELECT b.target_page AS page, CAST({when} AS DATE) AS day, b.source_platform AS platform, b.source_url
            FROM backlinks b
            LEFT JOIN (SELECT post_url, min(first_seen) AS first_seen FROM discovered_posts GROUP BY ALL) d
                   ON d.post_url = b.source_url
            WHERE b.source_platform IS NOT NULL AND b.lost = ? AND b.target_page IS NOT NULL
              AND {when} >= current_timestamp::TIMESTAMP - to_days(CAST(? AS INTEGER))
        )
        SELECT page, day, count(DISTINCT source_url) AS links,
               string_agg(DISTINCT platform, ', ' ORDER BY platform) AS platforms,
               list(DISTINCT source_url ORDER BY source_url)[1:3] AS examples
        FROM found GROUP BY page, day ORDER BY day, page
        """,
        [lost, rule.days],
    ).fetchall()
    word = "lost" if lost else "new"
    return [
        Alert(rule.name, page, str(day),
              f"{links} {word} social backlink{'s' if links != 1 else ''} to {page} on {day} ({platforms}): "
              + ", ".join(examples) + ("…" if links > len(examples) else "") + ".",
              {"links": links, "platforms": platforms}, page_link(url, page))
        for page, day, links, platforms, examples in rows
    ]


def _new_backlinks(con: duckdb.DuckDBPyConnection, rule: Rule, url: str | None) -> list[Alert]:
    return _backlink_alerts(con, rule, url, lost=False)


def _lost_backlinks(con: duckdb.DuckDBPyConnection, rule: Rule, url: str | None) -> list[Alert]:
    return _backlink_alerts(con, rule, url, lost=True)


def _unusual(con: duckdb.DuckDBPyConnection, rule: Rule, url: str | None, *, upwards_only: bool) -> list[Alert]:
    """Each page's latest day against its trailing window: outside mean ± k·sd (and by at least min_change)."""
    metric = rule.metric  # checked against a fixed list when the rule was read
    rows = con.execute(
        f"""
        WITH latest AS (SELECT page, max(date) AS day FROM page_daily GROUP BY page),
        history AS (
            SELECT p.page, avg(p.{metric}) AS mean, coalesce(stddev_samp(p.{metric}), 0) AS sd, count(*) AS days
            FROM page_daily p JOIN latest l USING (page)
            WHERE p.date < l.day AND p.date >= l.day - to_days(CAST(? AS INTEGER)) AND p.{metric} IS NOT NULL
            GROUP BY p.page
        )
        SELECT l.page, l.day, p.{metric} AS value, h.mean, h.sd, h.days
        FROM latest l JOIN page_daily p ON p.page = l.page AND p.date = l.day JOIN history h ON h.page = l.page
        WHERE h.days >= ? AND p.{metric} IS NOT NULL
          AND abs(p.{metric} - h.mean) > ? * h.sd AND abs(p.{metric} - h.mean) >= ?
          AND (NOT ? OR p.{metric} > h.mean)
        ORDER BY abs(p.{metric} - h.mean) DESC
        """,
        [rule.window, rule.min_days, rule.k, rule.min_change, upwards_only],
    ).fetchall()
    alerts = []
    for page, day, value, mean, sd, days in rows:
        low, high = mean - rule.k * sd, mean + rule.k * sd
        what = "spiked to" if value > mean else "fell to"
        alerts.append(Alert(
            rule.name, page, str(day),
            f"{metric} of {page} {what} {value:,.4g} on {day}, outside its usual {low:,.4g}–{high:,.4g} "
            f"(trailing {days}-day mean {mean:,.4g} ± {rule.k:g}·sd {sd:,.3g}).",
            {"value": value, "mean": mean, "sd": sd, "low": low, "high": high, "days": days}, page_link(url, page),
        ))
    return alerts


def _social_spike(con: duckdb.DuckDBPyConnection, rule: Rule, url: str | None) -> list[Alert]:
    return _unusual(con, rule, url, upwards_only=True)


def _search_change(con: duckdb.DuckDBPyConnection, rule: Rule, url: str | None) -> list[Alert]:
    return _unusual(con, rule, url, upwards_only=False)


def _impact_significant(con: duckdb.DuckDBPyConnection, rule: Rule, url: str | None) -> list[Alert]:
    from socialseo.analysis import impact

    try:
        panel = impact.load_panel(con)
        if panel.empty:
            return []
        model = impact.panel_model(panel, impact.load_platform_panel(con), outcome=rule.outcome)
        events, _ = impact.event_study(panel, outcome=rule.outcome)
        headline = impact.headline([model.iloc[0], events.iloc[0]], rule.outcome)
    except NotEnoughDataError:
        return []
    if headline.verdict != "effect":
        return []
    last = con.execute("SELECT max(date) FROM page_daily").fetchone()
    return [Alert(rule.name, f"site:{rule.outcome}", f"through {last[0] if last else ''}", headline.sentence,
                  {"verdict": headline.verdict}, (url.rstrip("/") + "/") if url else None)]


def _crawl_errors(con: duckdb.DuckDBPyConnection, rule: Rule, url: str | None) -> list[Alert]:
    row = con.execute(
        """
        SELECT c.crawl_id, c.start_url, count(p.url) FILTER (WHERE p.error IS NOT NULL OR p.status >= 400),
               count(p.url),
               list(p.url ORDER BY p.url) FILTER (WHERE p.error IS NOT NULL OR p.status >= 400)
        FROM crawls c LEFT JOIN crawl_pages p USING (crawl_id)
        WHERE c.crawl_id = (SELECT crawl_id FROM crawls ORDER BY started_at DESC LIMIT 1)
        GROUP BY c.crawl_id, c.start_url
        """
    ).fetchone()
    if row is None or row[2] < rule.min_errors:
        return []
    crawl_id, start, errors, pages, urls = row
    examples = ", ".join((urls or [])[:3]) + ("…" if errors > 3 else "")
    return [Alert(rule.name, f"crawl:{start}", str(crawl_id),
                  f"the crawl of {start} found {errors} of {pages} pages failing (error or HTTP 400+): {examples}.",
                  {"errors": errors, "pages": pages}, None)]


_RULES = {
    "new_backlinks": _new_backlinks, "lost_backlinks": _lost_backlinks, "social_spike": _social_spike,
    "search_change": _search_change, "impact_significant": _impact_significant, "crawl_errors": _crawl_errors,
}
