"""The project file (``socialseo.toml``): what a scheduled refresh pulls, imports, discovers, reports and alerts.

Example::

    site = "www.example.com"
    db = "socialseo.duckdb"                # relative paths are relative to this file
    report = "report"                      # where the report is written after every refresh
    dashboard_url = "https://dash.example.com"
    schedule = "daily 06:30"               # or hourly, weekly mon 07:00, or a crontab expression

    [sources.gsc]
    credentials = "secrets/gsc-service-account.json"
    [sources.ga4_bigquery]                  # needs pip install 'socialseo[bigquery]'
    table = "my-project.analytics_123456.events_*"
    credentials = "secrets/bigquery-service-account.json"
    days = 3                                # GA4 rewrites a day's table for about three days
    [sources.logs]
    directory = "/var/log/nginx"
    pattern = "access.log*"
    [sources.discover]
    networks = ["bluesky", "mastodon", "reddit", "hackernews"]

    [alerts.email]
    host = "smtp.example.com"
    port = 587
    starttls = true                         # required: a server that does not offer it is not sent the password
    ca_file = "secrets/smtp-ca.pem"         # a private CA's certificate (default: the system's CAs)
    username = "alerts@example.com"
    password_file = "secrets/smtp-password"   # or password_env = "SOCIALSEO_SMTP_PASSWORD"
    from = "alerts@example.com"
    to = ["seo@example.com"]
    [alerts.webhook]
    url = "https://hooks.slack.com/services/..."

    [[alerts.rules]]
    kind = "new_backlinks"
    days = 2

Anything missing, misspelt or of the wrong type is one :class:`ProjectFileError` line naming the setting.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from socialseo.analysis.alerts import Rule
from socialseo.errors import SocialSeoError
from socialseo.ingest.networks import NETWORKS
from socialseo.refresh.schedule import cron_fields

SOURCES = ("gsc", "ga4_bigquery", "logs", "discover")
_SOURCE_SETTINGS = {
    "gsc": {"credentials", "site", "incremental"},
    "ga4_bigquery": {"table", "credentials", "days"},
    "logs": {"directory", "pattern", "format"},
    "discover": {"networks", "max_pages", "mastodon_tags", "reddit_urls"},
}


class ProjectFileError(SocialSeoError):
    """The project file cannot be read or says something socialseo cannot do."""


@dataclass(frozen=True)
class EmailSettings:
    host: str
    to: tuple[str, ...]
    sender: str
    port: int = 587
    starttls: bool = True
    username: str | None = None
    password_file: Path | None = None
    password_env: str | None = None
    timeout: float = 30.0
    ca_file: Path | None = None
    """The CA certificate(s) the server's STARTTLS certificate must chain to; default: the system's CAs."""
    ssl_verify: bool = True
    """False only when the project file says ``ssl_verify = false``: the link is encrypted, the server unchecked."""

    def password(self) -> str | None:
        """The SMTP password, read only when sending: from its file or environment variable, never from the TOML."""
        if self.password_file is not None:
            try:
                return self.password_file.read_text(encoding="utf-8").strip()
            except OSError as exc:
                raise ProjectFileError(f"alerts.email.password_file {self.password_file}: {exc.strerror}") from exc
        if self.password_env:
            value = os.environ.get(self.password_env)
            if value is None:
                raise ProjectFileError(f"alerts.email.password_env: {self.password_env} is not set")
            return value
        return None


@dataclass(frozen=True)
class ProjectFile:
    path: Path
    site: str
    db: Path
    report_dir: Path | None
    dashboard_url: str | None
    schedule: str | None
    sources: dict[str, dict[str, Any]] = field(default_factory=dict)
    email: EmailSettings | None = None
    webhook: str | None = None
    rules: tuple[Rule, ...] = ()

    @property
    def lock_path(self) -> Path:
        return self.db.with_name(self.db.name + ".refresh.lock")


def load_project_file(path: Path) -> ProjectFile:
    """Read and check ``path``; every problem is one line naming the file and the setting."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ProjectFileError(f"{path}: no such project file (see docs/discovery-and-alerts.md)") from exc
    except OSError as exc:
        raise ProjectFileError(f"{path}: cannot be read ({exc.strerror})") from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ProjectFileError(f"{path}: not valid TOML ({exc})") from exc
    here = path.resolve().parent
    where = str(path)
    _only(data, {"site", "db", "report", "dashboard_url", "schedule", "sources", "alerts"}, where)
    site = data.get("site")
    if not isinstance(site, str) or not site.strip():
        raise ProjectFileError(f"{where}: site = \"www.example.com\" is required")
    schedule = _text(data, "schedule", where)
    if schedule is not None:
        try:
            cron_fields(schedule)
        except ValueError as exc:
            raise ProjectFileError(f"{where}: schedule {schedule!r}: {exc}") from exc
    sources = data.get("sources", {})
    if not isinstance(sources, dict) or not sources:
        raise ProjectFileError(f"{where}: no [sources.*] table; name at least one of {', '.join(SOURCES)}")
    for name, table in sources.items():
        if name not in SOURCES:
            raise ProjectFileError(f"{where}: unknown source [sources.{name}]; choose from {', '.join(SOURCES)}")
        if not isinstance(table, dict):
            raise ProjectFileError(f"{where}: sources.{name} must be a table")
        _only(table, _SOURCE_SETTINGS[name], f"{where}: sources.{name}")
    networks = sources.get("discover", {}).get("networks", list(NETWORKS))
    if not isinstance(networks, list) or any(n not in NETWORKS for n in networks):
        raise ProjectFileError(f"{where}: sources.discover.networks must list some of {', '.join(NETWORKS)}")
    ga4 = sources.get("ga4_bigquery")
    if ga4 is not None and (not isinstance(ga4.get("table"), str)
                            or not isinstance(ga4.get("days", 3), int) or not 1 <= ga4.get("days", 3) <= 60):
        raise ProjectFileError(f"{where}: [sources.ga4_bigquery] needs table = \"PROJECT.DATASET.events_*\" "
                               "(and days, from 1 to 60, if set)")
    if "logs" in sources and not isinstance(sources["logs"].get("directory"), str):
        raise ProjectFileError(f"{where}: [sources.logs] needs directory = \"/var/log/nginx\"")
    alerts = data.get("alerts", {})
    if not isinstance(alerts, dict):
        raise ProjectFileError(f"{where}: alerts must be a table")
    _only(alerts, {"email", "webhook", "rules"}, f"{where}: alerts")
    rules = alerts.get("rules", [])
    if not isinstance(rules, list) or not all(isinstance(r, dict) for r in rules):
        raise ProjectFileError(f"{where}: alerts.rules must be [[alerts.rules]] tables")
    parsed_rules = tuple(Rule.from_table(r, f"{where}: alerts.rules[{i + 1}]") for i, r in enumerate(rules))
    names = [r.name for r in parsed_rules]
    if len(set(names)) != len(names):
        raise ProjectFileError(f"{where}: two alert rules share a name; give each a distinct name = \"...\"")
    webhook = alerts.get("webhook")
    if isinstance(webhook, dict):
        webhook = webhook.get("url")
    if webhook is not None and (not isinstance(webhook, str) or not webhook.startswith(("http://", "https://"))):
        raise ProjectFileError(f"{where}: alerts.webhook url must be an http(s) URL")
    return ProjectFile(
        path=path, site=site.strip(), db=_path(here, data.get("db", "socialseo.duckdb"), "db", where),
        report_dir=_path(here, data["report"], "report", where) if "report" in data else None,
        dashboard_url=_text(data, "dashboard_url", where), schedule=schedule, sources=dict(sources),
        email=_email(alerts.get("email"), here, where), webhook=webhook, rules=parsed_rules,
    )


def source_path(project: ProjectFile, value: str) -> Path:
    """A path from the project file, relative to the file's folder."""
    return _path(project.path.resolve().parent, value, "path", str(project.path))


def _email(table: Any, here: Path, where: str) -> EmailSettings | None:
    if table is None:
        return None
    if not isinstance(table, dict):
        raise ProjectFileError(f"{where}: alerts.email must be a table")
    if "password" in table:
        raise ProjectFileError(f"{where}: alerts.email takes password_file or password_env, never a password")
    _only(table, {"host", "port", "starttls", "username", "password_file", "password_env", "from", "to", "timeout",
                 "ca_file", "ssl_verify"}, f"{where}: alerts.email")
    for key in ("starttls", "ssl_verify"):
        if key in table and not isinstance(table[key], bool):
            raise ProjectFileError(f"{where}: alerts.email.{key} must be true or false")
    ca_file = table.get("ca_file")
    if ca_file is not None:
        ca_path = _path(here, ca_file, "alerts.email.ca_file", where)
        if not ca_path.is_file():
            raise ProjectFileError(f"{where}: alerts.email.ca_file {ca_path}: no such file")
    to = table.get("to")
    to = [to] if isinstance(to, str) else to
    if not isinstance(table.get("host"), str) or not to or not all(isinstance(t, str) for t in to):
        raise ProjectFileError(f"{where}: alerts.email needs host = \"smtp.example.com\" and to = [\"you@...\"]")
    port = table.get("port", 587)
    if not isinstance(port, int) or not 0 < port < 65536:
        raise ProjectFileError(f"{where}: alerts.email.port must be a port number")
    password_file = table.get("password_file")
    return EmailSettings(
        host=table["host"], to=tuple(to), sender=str(table.get("from") or to[0]), port=port,
        starttls=bool(table.get("starttls", True)), username=table.get("username"),
        password_file=_path(here, password_file, "alerts.email.password_file", where) if password_file else None,
        password_env=table.get("password_env"), timeout=float(table.get("timeout", 30.0)),
        ca_file=ca_path if ca_file is not None else None, ssl_verify=table.get("ssl_verify", True),
    )


def _only(table: dict[str, Any], known: set[str], where: str) -> None:
    extra = sorted(set(table) - known)
    if extra:
        raise ProjectFileError(f"{where}: unknown setting {extra[0]!r} (known: {', '.join(sorted(known))})")


def _text(data: dict[str, Any], key: str, where: str) -> str | None:
    value = data.get(key)
    if value is not None and not isinstance(value, str):
        raise ProjectFileError(f"{where}: {key} must be a string")
    return value


def _path(here: Path, value: Any, key: str, where: str) -> Path:
    if not isinstance(value, str) or not value:
        raise ProjectFileError(f"{where}: {key} must be a path")
    path = Path(value).expanduser()
    return path if path.is_absolute() else here / path
