"""The filters a reader can set on the report and the dashboard: a date range and a set of platforms.

One object, turned into SQL by the code that knows the table, so every section narrows its data the same way and a
provider that ignores filters still works (it just shows everything).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any


@dataclass(frozen=True)
class Filters:
    """``start``/``end`` are inclusive calendar days (UTC for logs, Search Console's day for search data);
    ``platforms`` keeps only rows from those platforms (``linkedin``, ``google``…); empty means all.
    ``compare`` names a period to set beside this one (``previous``, ``year`` or ``FROM..TO``, see
    :mod:`socialseo.analysis.compare`); it narrows nothing itself.

    >>> Filters(platforms=("x",)).where(date_column="CAST(start_ts AS DATE)", platform_column="platform")
    ('TRUE AND platform IN (?)', ['x'])
    """

    start: date | None = None
    end: date | None = None
    platforms: tuple[str, ...] = ()
    compare: str | None = None

    @property
    def active(self) -> bool:
        return bool(self.start or self.end or self.platforms)

    def where(self, *, date_column: str | None = None, platform_column: str | None = None) -> tuple[str, list[Any]]:
        """A SQL condition (always valid, ``TRUE`` when nothing applies) and its parameters.

        A table without a date or platform column passes ``None`` and is not narrowed on that axis.
        """
        parts: list[str] = ["TRUE"]
        params: list[Any] = []
        if date_column and self.start:
            parts.append(f"{date_column} >= ?")
            params.append(self.start)
        if date_column and self.end:
            parts.append(f"{date_column} <= ?")
            params.append(self.end)
        if platform_column and self.platforms:
            parts.append(f"{platform_column} IN ({', '.join('?' for _ in self.platforms)})")
            params.extend(self.platforms)
        return " AND ".join(parts), params

    def describe(self) -> str:
        """The filters in words, for the page header: ``"2026-03-01 to 2026-03-31; platforms: x, linkedin"``."""
        bits = []
        if self.start or self.end:
            bits.append(f"{self.start or 'start'} to {self.end or 'end'}")
        if self.platforms:
            bits.append("platforms: " + ", ".join(self.platforms))
        if self.compare:
            bits.append(f"compared with {_COMPARE_WORDS.get(self.compare, self.compare.replace('..', ' to '))}")
        return "; ".join(bits) or "all data"


_COMPARE_WORDS = {"previous": "the previous period", "year": "a year earlier"}
NO_FILTERS = Filters()
