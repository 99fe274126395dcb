"""The command line's layout: one module per command or group, named as it, and the same commands as always."""

from __future__ import annotations

import pytest
from typer.main import get_command

from socialseo.cli import app, main

# Every command and group the console has offered; new ones may join, none may leave.
_ROOT_COMMANDS = {
    "demo", "generate", "sql", "channels", "report", "inspect", "backlinks", "mentions", "crawl", "export", "serve",
    "pages", "rebuild", "metrics", "validate", "classify", "discover", "refresh", "ingest", "brand", "audit", "spark",
    "analyze", "pull",
}
_INGEST_COMMANDS = {"logs", "ga4", "ga4-bigquery", "posts", "gsc", "ranks", "pages", "backlinks", "warc",
                    "backlinks-parquet"}


def _listed(args: list[str], capsys: pytest.CaptureFixture[str]) -> set[str]:
    """The command names a help page lists in its Commands box."""
    assert main([*args, "--help"]) == 0
    out = capsys.readouterr().out
    box = out.split("Commands", 1)[1]
    return {line.strip("│ ").split(" ", 1)[0] for line in box.splitlines() if line.startswith("│ ")
            and not line.startswith("│  ")}


def test_root_help_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert _listed([], capsys) >= _ROOT_COMMANDS


def test_ingest_help_lists_every_source(capsys: pytest.CaptureFixture[str]) -> None:
    assert _listed(["ingest"], capsys) >= _INGEST_COMMANDS


def test_each_command_lives_in_the_module_named_for_it() -> None:
    root = get_command(app)
    ctx = type(root).context_class(root)
    misplaced = []
    for name in root.list_commands(ctx):  # type: ignore[attr-defined]
        command = root.get_command(ctx, name)  # type: ignore[attr-defined]
        home = f"socialseo.cli.{name.replace('-', '_')}"
        children = ([command.get_command(ctx, c) for c in command.list_commands(ctx)]
                     if hasattr(command, "list_commands") else [command])
        misplaced += [f"{name} {child.name}: {child.callback.__module__}" for child in children
                      if child.callback.__module__ != home]
    assert misplaced == []
