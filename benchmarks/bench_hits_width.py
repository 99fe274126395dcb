"""What the width of ``hits`` costs an import: the same rows into the 20-column table and into a narrow one.

    python benchmarks/bench_hits_width.py [--lines 500000]

Writes a combined log (the generator of ``bench_ingest_logs.py``), imports it into a fresh warehouse, then times,
in one run on the same rows, ``INSERT INTO hits SELECT *`` from an Arrow copy of them against the insert of a
narrow layout where user agents, referrers, URLs, pages and the attribution are small integer ids into lookup
tables (the lookups' own inserts included). The ratio says how much a dictionary-encoded ``hits`` could save on
the insert, the largest single cost of an import.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from bench_ingest_logs import write_log

from socialseo.ingest.access_logs import import_access_log
from socialseo.store.warehouse import Warehouse

_DIMENSIONS = {
    "agents": "user_agent",
    "referrers": "referrer, referrer_host",
    "urls": "url, page",
    "classes": "method, protocol, channel, platform, evidence, bot_name",
}


def _narrow_sql(source: str) -> str:
    # NULL is a value here (no referrer, no platform): match it like any other.
    joins = " ".join(
        f"JOIN d_{name} ON "
        + " AND ".join(f"d_{name}.{c} IS NOT DISTINCT FROM {source}.{c}" for c in cols.split(", "))
        for name, cols in _DIMENSIONS.items()
    )
    ids = ", ".join(f"d_{name}.id AS {name}_id" for name in _DIMENSIONS)
    return (
        f"SELECT {source}.import_id, seq, ts, visitor_id, ip, status, bytes, is_bot, is_pageview, {ids} "
        f"FROM {source} {joins}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lines", type=int, default=500_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="socialseo-bench-") as tmp:
        log = Path(tmp) / "access.log"
        write_log(log, args.lines)
        wh = Warehouse(Path(tmp) / "w.duckdb")
        import_access_log(wh, log, site_hosts=["www.example.com"])
        con = wh.con
        rows = con.sql("SELECT * FROM hits").to_arrow_table()  # read by DuckDB by its name
        con.execute("CREATE TABLE wide AS SELECT * FROM hits LIMIT 0")
        t0 = time.perf_counter()
        con.execute("INSERT INTO wide SELECT * FROM rows")
        wide_s = time.perf_counter() - t0

        t0 = time.perf_counter()
        for name, cols in _DIMENSIONS.items():
            con.execute(f"CREATE TABLE d_{name} AS SELECT row_number() OVER () AS id, * FROM "
                        f"(SELECT DISTINCT {cols} FROM rows)")
        con.execute(f"CREATE TABLE narrow AS SELECT * FROM ({_narrow_sql('rows')}) LIMIT 0")
        con.execute(f"INSERT INTO narrow {_narrow_sql('rows')}")
        narrow_s = time.perf_counter() - t0
        n = rows.num_rows
        print(f"{n:,} hits: 20-column insert {wide_s:.2f} s ({n / wide_s:,.0f} rows/s); "
              f"narrow insert with lookups {narrow_s:.2f} s ({n / narrow_s:,.0f} rows/s); "
              f"ratio {wide_s / narrow_s:.2f}x")


if __name__ == "__main__":
    main()
