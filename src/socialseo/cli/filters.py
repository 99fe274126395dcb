"""The --from/--to/--platform options shared by ``report`` (and anything else that narrows by period or platform)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

import typer

from socialseo.api import Filters

FromOption = Annotated[datetime | None, typer.Option("--from", formats=["%Y-%m-%d"], help="First day (YYYY-MM-DD).")]
ToOption = Annotated[datetime | None, typer.Option("--to", formats=["%Y-%m-%d"], help="Last day (YYYY-MM-DD).")]
PlatformOption = Annotated[
    list[str] | None, typer.Option("--platform", help="Only this platform (repeat for more), e.g. linkedin.")
]


def make_filters(start: datetime | None, end: datetime | None, platforms: list[str] | None) -> Filters:
    def day(value: datetime | None) -> date | None:
        return value.date() if value else None

    return Filters(day(start), day(end), tuple(p.lower() for p in platforms or []))
