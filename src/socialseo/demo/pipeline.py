"""The demo end to end: generate a site, import it, write the report.

This is what ``make demo`` runs, so it exercises the same library calls a user's own data goes through.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import socialseo
from socialseo.demo.generate import GeneratedFiles, generate
from socialseo.store.warehouse import ImportResult


@dataclass
class DemoRun:
    files: GeneratedFiles
    db: Path
    report: Path
    imports: list[ImportResult]
    sessions: int
    other_imports: list[ImportResult] = field(default_factory=list)
    """Imports of the Search Console export and the post exports (``imports`` holds the access log's)."""


def run_demo(
    out_dir: Path,
    *,
    seed: int = 7,
    target_log_lines: int = 300_000,
    on_step: Callable[[str], None] | None = None,
) -> DemoRun:
    """Generate the demo site into ``out_dir/data``, import it into ``out_dir/socialseo.duckdb``, write the report.

    Running it again with the same seed regenerates identical files, so every import is skipped as a duplicate.
    """
    step = on_step or (lambda _message: None)
    out_dir.mkdir(parents=True, exist_ok=True)
    step("generating the demo site")
    files = generate(out_dir / "data", seed=seed, target_log_lines=target_log_lines)
    db = out_dir / "socialseo.duckdb"
    with socialseo.open(db) as project:
        step("importing the access log")
        host = _site_host(files)
        imports = project.ingest_logs([files.access_log], site=host)
        step("importing the backlinks")
        other = project.ingest_backlinks([files.backlinks])
        step("importing the Search Console export")
        other += project.ingest_gsc([files.search_console])
        step("importing the post exports")
        # truth.json's short-link map stands in for the redirects a user's --links file would list
        other += project.ingest_posts(list(files.posts.values()), link_map=_shortlinks(files))
        step("writing the report")
        report = project.report(out_dir)
        sessions = project.warehouse.count("sessions")
    return DemoRun(files=files, db=db, report=report, imports=imports, sessions=sessions, other_imports=other)


def _shortlinks(files: GeneratedFiles) -> dict[str, str]:
    truth = json.loads(files.truth.read_text(encoding="utf-8"))
    return {str(k): str(v) for k, v in truth["shortlinks"].items()}


def _site_host(files: GeneratedFiles) -> str:
    truth = json.loads(files.truth.read_text(encoding="utf-8"))
    return str(truth["site_host"])
