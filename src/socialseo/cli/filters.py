"""The --from/--to/--platform/--compare options shared by ``report`` and the listings that narrow by period or
platform."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

import typer

from socialseo.api import Filters, check_compare
from socialseo.errors import SocialSeoError

FromOption = Annotated[datetime | None, typer.Option("--from", formats=["%Y-%m-%d"], help="First day (YYYY-MM-DD).")]
ToOption = Annotated[datetime | None, typer.Option("--to", formats=["%Y-%m-%d"], help="Last day (YYYY-MM-DD).")]
PlatformOption = Annotated[
    list[str] | None, typer.Option("--platform", help="Only this platform (repeat for more), e.g. linkedin.")
]
CompareOption = Annotated[str | None, typer.Option(
    "--compare", help="Set another period beside --from/--to: previous (the same number of days just before), year "
                      "(the same dates a year earlier) or FROM..TO (YYYY-MM-DD..YYYY-MM-DD). Without --from/--to the "
                      "period is the data's last 28 days.")]


def make_filters(start: datetime | None, end: datetime | None, platforms: list[str] | None,
                 compare: str | None = None) -> Filters:
    """The filters the options ask for; a malformed --compare or a period ending before it starts is an error."""
    def day(value: datetime | None) -> date | None:
        return value.date() if value else None

    first, last = day(start), day(end)
    if first and last and first > last:
        raise SocialSeoError(f"--from {first} is after --to {last}: swap them")
    return Filters(first, last, tuple(p.lower() for p in platforms or []), check_compare(compare))
