"""``socialseo sql``: ask the warehouse a question in SQL, read-only."""

from __future__ import annotations

from typing import Annotated

import typer

from socialseo.cli.common import DEFAULT_DB, DbOption, JsonOption, open_project, print_frame


def sql(
    query: Annotated[str, typer.Argument(help="A DuckDB SQL query, e.g. \"SELECT * FROM sessions LIMIT 5\".")],
    db: DbOption = DEFAULT_DB,
    as_json: JsonOption = False,
) -> None:
    """Run SQL against the warehouse (read-only) and print the result."""
    with open_project(db, read_only=True) as project:
        print_frame(project.sql(query), as_json=as_json)


def register(app: typer.Typer) -> None:
    app.command("sql")(sql)
