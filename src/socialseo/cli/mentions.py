"""``socialseo mentions``: linked and unlinked brand mentions, and link opportunities."""

from __future__ import annotations

from typing import Annotated

import typer

from socialseo.cli.common import DEFAULT_DB, DbOption, JsonOption, open_project, print_frame


def mentions(
    opportunities: Annotated[
        bool, typer.Option("--opportunities", help="List pages that mention the brand without a link.")
    ] = False,
    db: DbOption = DEFAULT_DB,
    as_json: JsonOption = False,
) -> None:
    """Linked and unlinked brand mentions per platform, or the unlinked ones as link opportunities."""
    with open_project(db, read_only=True) as project:
        frame = project.link_opportunities() if opportunities else project.mentions()
        print_frame(frame, as_json=as_json, title="Link opportunities" if opportunities else "Brand mentions",
                    empty=lambda: project.why_empty("opportunities" if opportunities else "mentions"))


def register(app: typer.Typer) -> None:
    app.command("mentions")(mentions)
