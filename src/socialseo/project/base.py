"""What every part of the project door shares: the warehouse, derived-table freshness, page names and errors."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Self

import duckdb
import pandas as pd

from socialseo.analysis.derived import refresh_derived
from socialseo.analysis.filters import Filters
from socialseo.analysis.page_names import resolve_page
from socialseo.project import choices
from socialseo.store.warehouse import ImportResult, Warehouse


class ProjectBase:
    """One site's data: a warehouse plus the operations over it.

    Opening a project first rebuilds any derived table an interrupted import left stale, so no answer is ever
    read from tables older than the data they are made from.
    """

    def __init__(self, warehouse: Warehouse) -> None:
        self.warehouse = warehouse
        refresh_derived(warehouse)

    @classmethod
    def over(cls, con: duckdb.DuckDBPyConnection, path: str | Path = ":memory:") -> Self:
        """A project answering from a connection opened elsewhere, such as the dashboard's cursor on its read-only
        copy of the warehouse. Nothing is rebuilt: the copy's source was refreshed before it was copied."""
        project = cls.__new__(cls)
        project.warehouse = Warehouse.over(con, path)
        return project

    def rebuild_stale(self) -> list[str]:
        """Rebuild the derived tables that imports marked stale (sessions, the per-page timeline); returns their
        names, empty when all were fresh. Every import through the project calls it: a caller never has to."""
        return refresh_derived(self.warehouse)

    def _refreshed(self, results: list[ImportResult]) -> list[ImportResult]:
        """``results``, after the derived tables the imports marked stale are rebuilt."""
        self.rebuild_stale()
        return results

    def resolve_page(self, page: str) -> str:
        """The stored page key for any spelling of a page: a path, a full URL, with or without www., a trailing
        slash or tracking parameters. An unknown page raises
        :class:`~socialseo.analysis.page_names.UnknownPageError` listing the nearest stored pages."""
        return resolve_page(self.warehouse.con, page)

    def check_filters(self, filters: Filters | None) -> Filters | None:
        """``filters`` with each platform checked against the warehouse and socialseo's platform lists; an unknown
        one raises :class:`~socialseo.project.choices.UnknownFilterError` naming the nearest
        (``no platform linkdin; did you mean linkedin?``). Every method taking filters calls it."""
        return choices.check_filters(self.warehouse.con, filters)

    def check_platform(self, name: str) -> str:
        """One platform name, checked like :meth:`check_filters` checks them; returned in lower case."""
        return choices.check_platforms(self.warehouse.con, [name])[0]

    def check_channel(self, name: str) -> str:
        """One channel name (``social``, ``organic_search``…), checked against socialseo's channels."""
        return choices.check_channel(self.warehouse.con, name)

    def sql(self, query: str, params: Sequence[object] | None = None) -> pd.DataFrame:
        """Any read query as a DataFrame (``?`` placeholders take ``params``); a bad one raises a QueryError."""
        return self.warehouse.sql(query, params)

    def count(self, table: str) -> int:
        """Rows in one table of the warehouse."""
        return self.warehouse.count(table)

    def tables(self) -> list[str]:
        """The warehouse's tables, by name."""
        return self.warehouse.tables()

    def quarantine(self) -> pd.DataFrame:
        return self.warehouse.quarantine()

    def imports(self) -> pd.DataFrame:
        return self.warehouse.imports()

    def sessions(self) -> pd.DataFrame:
        return self.warehouse.sql("SELECT * FROM sessions ORDER BY start_ts")

    def close(self) -> None:
        self.warehouse.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
