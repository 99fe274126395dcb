"""Formula-safe CSV export: socialseo (DuckDB COPY with neutralisation in SQL) vs pandas (``to_csv`` after
neutralising text columns with vectorised string methods), on the same 1,000,000-row table in one run.

Prints rows/s for each and the ratio. Run: ``python benchmarks/bench_export.py``.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import duckdb

from socialseo.store.export import export

ROWS = 1_000_000


def _table(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(
        f"""CREATE TABLE t AS SELECT i AS id, '/page/' || (i % 5000) AS page,
            CASE WHEN i % 97 = 0 THEN '=HYPERLINK("x")' ELSE 'title ' || i END AS title,
            ['x', 'facebook', 'linkedin'][1 + i % 3] AS platform, i * 0.5 AS value
            FROM range({ROWS}) r(i)"""
    )


def _pandas(con: duckdb.DuckDBPyConnection, out: Path) -> None:
    frame = con.execute("SELECT * FROM t").df()
    for column in frame.columns:
        if frame[column].dtype == object:
            text = frame[column].astype("string")
            frame[column] = text.mask(text.str.match(r"[=+\-@\t\r]"), "'" + text)
    frame.to_csv(out, index=False)


def main() -> None:
    con = duckdb.connect()
    _table(con)
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        result = export(con, "t", Path(tmp) / "ours.csv")
        ours = time.perf_counter() - start
        start = time.perf_counter()
        _pandas(con, Path(tmp) / "pandas.csv")
        peer = time.perf_counter() - start
        same = (Path(tmp) / "ours.csv").stat().st_size, (Path(tmp) / "pandas.csv").stat().st_size
    assert result.rows == ROWS
    print(f"socialseo export (DuckDB COPY): {ROWS / ours:,.0f} rows/s ({ours:.2f} s)")
    print(f"pandas to_csv + str.match:      {ROWS / peer:,.0f} rows/s ({peer:.2f} s)")
    print(f"ratio: {peer / ours:.1f}x faster (file sizes {same[0]:,} vs {same[1]:,} bytes)")


if __name__ == "__main__":
    main()
