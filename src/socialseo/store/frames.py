"""Hand a pandas DataFrame to DuckDB as a named view, safely on a busy connection.

DuckDB refuses ``register`` while an earlier ``execute`` has rows left unfetched (``fetchone`` on a one-row result
leaves it open). Running and draining one trivial statement first closes any such result, so loaders can register
frames without knowing what ran before them on the shared connection.
"""

from __future__ import annotations

import duckdb
import pandas as pd
import pyarrow as pa


def register_frame(con: duckdb.DuckDBPyConnection, name: str, frame: pd.DataFrame | pa.Table) -> None:
    """Register ``frame`` (pandas or Arrow) as the view ``name`` on ``con``, whatever ran on it before."""
    con.execute("SELECT 1").fetchall()
    con.register(name, frame)
