"""Keep the derived tables (``sessions``, ``page_daily``) true to their inputs, whatever stopped a process.

Imports mark the derived tables they feed as stale inside their own transaction
(:data:`socialseo.store.warehouse.DERIVED_FROM`); :func:`refresh_derived` rebuilds what is marked and removes
the marks in one transaction. An import killed after its commit and before the rebuild therefore leaves marks,
not wrong answers: the next command that opens the warehouse rebuilds first.
"""

from __future__ import annotations

from socialseo.analysis.sessions import build_sessions
from socialseo.analysis.timeline import build_page_daily
from socialseo.errors import WarehouseError
from socialseo.store.kill_points import kill_point
from socialseo.store.warehouse import Warehouse


def refresh_derived(warehouse: Warehouse) -> list[str]:
    """Rebuild the derived tables marked stale, in one transaction; returns their names (empty: all fresh).

    A read-only warehouse is reopened for writing for the rebuild, then read-only again. ``page_daily`` counts
    sessions, so fresh sessions make it stale too.
    """
    stale = warehouse.stale_tables()
    if not stale:
        return []
    if warehouse.read_only:
        try:
            warehouse.reopen(read_only=False)
        except WarehouseError as exc:
            raise WarehouseError(
                f"{', '.join(stale)} must be rebuilt after an interrupted import, and {warehouse.path} cannot be "
                "opened for writing (is another socialseo using it?): close it and run the command again"
            ) from exc
        try:
            return refresh_derived(warehouse)
        finally:
            warehouse.reopen(read_only=True)
    with warehouse.transaction() as con:
        if "sessions" in stale:
            build_sessions(con)
        build_page_daily(con)
        con.execute("DELETE FROM derived_stale")
        kill_point("derived-before-commit")
    kill_point("derived-committed")
    return stale
