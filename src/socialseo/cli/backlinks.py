"""``socialseo backlinks``: the social backlink inventory, by platform, target, anchor, month or link."""

from __future__ import annotations

from typing import Annotated

import typer

from socialseo.cli.common import DEFAULT_DB, DbOption, JsonOption, open_project, print_frame
from socialseo.errors import SocialSeoError


def backlinks(
    by: Annotated[str, typer.Option("--by", help="platform, target, anchor, month or link (every link).")] = "platform",
    db: DbOption = DEFAULT_DB,
    as_json: JsonOption = False,
) -> None:
    """The social backlink inventory: per platform, per target page, top anchors, new/lost per month, or all."""
    with open_project(db, read_only=True) as project:
        frames = {
            "platform": project.backlink_summary, "target": project.backlink_targets, "anchor": project.top_anchors,
            "month": project.backlinks_over_time, "link": project.backlinks,
        }
        if by not in frames:
            raise SocialSeoError(f"--by must be one of {', '.join(frames)}")
        print_frame(frames[by](), as_json=as_json, title=f"Backlinks by {by}",
                    empty=lambda: project.why_empty("backlinks"))


def register(app: typer.Typer) -> None:
    app.command("backlinks")(backlinks)
