"""``socialseo audit ...``: the social-readiness rules, the site audit over a crawl, and the profile audit."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from socialseo.api import Project
from socialseo.cli.common import DEFAULT_DB, DbOption, JsonOption, console, open_project, print_frame, progress
from socialseo.cli.net import AllowHostOption, AllowPrivateOption

app = typer.Typer(help="Audit social readiness: site pages (after a crawl) and social profiles.",
                  no_args_is_help=True)

ConfigOption = Annotated[
    Path | None,
    typer.Option("--config", help="TOML file: [audit] disable = [...], [brand], [[profiles]]."),
]


@app.command("rules")
def rules(as_json: JsonOption = False) -> None:
    """List every audit rule: id, scope, severity, what it checks and how to fix it."""
    print_frame(Project.audit_rules(), as_json=as_json, title="Audit rules")


@app.command("site")
def site(
    config: ConfigOption = None,
    crawl_id: Annotated[str | None, typer.Option("--crawl", help="Crawl id (default: the latest).")] = None,
    details: Annotated[bool, typer.Option("--details", help="One row per affected URL.")] = False,
    as_json: JsonOption = False,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Run the page and site rules over a crawl; findings are stored in audit_findings."""
    with open_project(db) as project, progress("auditing") as _:
        findings = project.audit_site(config, crawl_id)
    if as_json or details:
        shown = findings if as_json else findings[["rule_id", "severity", "url", "message"]]
        print_frame(shown, as_json=as_json, title="Findings")
        return
    summary = Project.audit_summary(findings)
    print_frame(summary, as_json=False, title="Social readiness: findings by rule")
    counts = findings["severity"].value_counts()
    console.print(
        f"{len(findings):,} findings: {counts.get('error', 0):,} errors, {counts.get('warning', 0):,} warnings, "
        f"{counts.get('notice', 0):,} notices ({escape(str(findings['audit_id'].iloc[0]) if len(findings) else '')})",
        highlight=False,
    )


@app.command("profiles")
def profiles(
    path: Annotated[Path, typer.Argument(help="profiles.toml: [brand] and one [[profiles]] per platform.")],
    allow_private: AllowPrivateOption = False,
    allow_host: AllowHostOption = None,
    as_json: JsonOption = False,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Audit social profiles: link to the site, keywords, names, handles, avatars, listed in sameAs."""
    with open_project(db) as project, progress("reading profiles") as _:
        table, findings = project.audit_profiles(path, allow_private=allow_private, allow_hosts=allow_host or ())
    if as_json:
        print_frame(findings, as_json=True)
        return
    shown = table[["platform", "source", "name", "handle", "site_link_ok", "keywords_missing", "avatar_distance",
                   "in_same_as"]].copy()
    for column in ("site_link_ok", "in_same_as"):
        shown[column] = shown[column].map({True: "yes", False: "no"})
    print_frame(shown, as_json=False, title="Profiles")
    print_frame(findings[["platform", "rule_id", "severity", "message"]], as_json=False, title="Findings")
