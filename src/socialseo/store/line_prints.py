"""Line-level idempotency for access logs: a line stored once is never stored again, in whatever file it comes.

Logs are rotated (``access.log`` becomes ``access.log.1``, then ``access.log.2.gz``) and grow between imports,
so the same lines arrive again in files whose bytes, and so whose hash in the ``imports`` ledger, differ. Each
line is therefore fingerprinted: DuckDB's 64-bit ``hash()`` of its bytes as read after decompression (with its
line ending), for a whole block at once. 64 bits, because against a hundred million stored lines a new line is
mistaken for one of them with a chance of about one in 180 billion. ``hash()``, not MD5, because the import is
benchmarked: MD5 made a 400,000-line import a third slower, ``hash()`` costs a tenth of that. Fingerprints are
kept for good, and DuckDB does not promise the same ``hash()`` in every version: so the warehouse keeps the
fingerprint of a fixed text (setting ``line_print_check``), and an import run by a DuckDB that hashes it
differently says that lines of earlier imports cannot be recognised, rather than counting them twice unsaid.

**Identical lines that are real.** Two requests by one client for one URL in one second give identical lines,
and both are hits. So the fingerprint is the pair (line hash, occurrence): the third copy of a line in a file is
``(h, 3)``. A grown file repeats its first copies and adds new ones; a rotated or compressed copy repeats them
all; identical lines within one file all count. The cost of this choice: a line identical to one in an earlier
file (same client, request, second and answer, in two files) is taken for a repeat. Only a line ending one file
and beginning the next in the same second can be that, where a log is rotated; logs of several servers with
no field naming the server are the other case, and should be imported with the server in the layout (``%v``).

During an import the prints of its lines collect in a temporary table; :meth:`LinePrints.settle`, in the
import's transaction, numbers the occurrences, removes the hits and quarantine rows of lines seen before, and
records the rest. Doing it once per file (one hash join) rather than per block keeps it linear in the lines.
"""

from __future__ import annotations

import duckdb
import numpy as np
import pyarrow as pa

from socialseo.store.hits import LOOKUPS
from socialseo.store.warehouse import scalar

_NL = 10


def fingerprint_lines(con: duckdb.DuckDBPyConnection, data: bytes, first_line: int) -> pa.Table:
    """``(line_no, line_hash)`` of every line of ``data`` (whole lines, each ending in a newline).

    The lines are handed to DuckDB as one Arrow binary array over ``data`` itself: no copy, no Python per line.
    """
    arr = np.frombuffer(data, dtype=np.uint8)
    newlines = np.flatnonzero(arr == _NL)
    offsets = np.empty(len(newlines) + 1, dtype=np.int64)
    offsets[0] = 0
    offsets[1:] = newlines + 1
    lines = pa.Array.from_buffers(pa.large_binary(), len(newlines), [None, pa.py_buffer(offsets), pa.py_buffer(data)])
    _lines = pa.table({
        "line_no": pa.array(np.arange(first_line, first_line + len(newlines), dtype=np.int64)),
        "line": lines,
    })
    return con.sql("SELECT line_no, hash(line) AS line_hash FROM _lines").to_arrow_table()


CHECK_TEXT = "socialseo line print check"
"""A fixed text whose fingerprint the warehouse keeps, to notice a DuckDB that fingerprints differently."""


def print_check(con: duckdb.DuckDBPyConnection) -> str:
    """This DuckDB's fingerprint of :data:`CHECK_TEXT` (as a string: settings hold strings)."""
    return str(scalar(con, "SELECT hash(CAST(? AS BLOB))", [CHECK_TEXT]))


class LinePrints:
    """The fingerprints of one import's lines, collected block by block inside its transaction."""

    def __init__(self, con: duckdb.DuckDBPyConnection, import_id: int) -> None:
        self.con, self.import_id = con, import_id
        con.execute("CREATE OR REPLACE TEMP TABLE _line_prints (line_no BIGINT, line_hash UBIGINT)")
        check = print_check(con)
        kept = scalar(con, "SELECT value FROM settings WHERE key = 'line_print_check'")
        stored = scalar(con, "SELECT count(*) FROM (SELECT 1 FROM log_lines LIMIT 1)")
        self.comparable = kept == check or not stored
        """False when earlier imports' fingerprints were made by a DuckDB that fingerprints differently."""
        if kept != check:
            con.execute("INSERT INTO settings VALUES ('line_print_check', ?) "
                        "ON CONFLICT (key) DO UPDATE SET value = excluded.value", [check])

    def add(self, prints: pa.Table) -> None:
        """Collect the prints of one block (made by :func:`fingerprint_lines`)."""
        if prints.num_rows:
            _prints = prints
            self.con.execute("INSERT INTO _line_prints SELECT line_no, line_hash FROM _prints")

    def settle(self) -> tuple[int, int]:
        """Drop the hits and quarantine rows of lines stored by earlier imports, record the others' prints.

        Returns how many hits and how many quarantined lines were dropped as repeats.
        """
        con, import_id = self.con, self.import_id
        con.execute(
            "CREATE OR REPLACE TEMP TABLE _numbered AS SELECT line_no, line_hash, "
            "CAST(row_number() OVER (PARTITION BY line_hash ORDER BY line_no) AS INTEGER) AS occurrence "
            "FROM _line_prints"
        )
        hits = quarantined = 0
        if self.comparable and scalar(con, "SELECT count(*) FROM (SELECT 1 FROM log_lines LIMIT 1)"):
            con.execute(
                "CREATE OR REPLACE TEMP TABLE _repeated AS SELECT line_no FROM _numbered n "
                "SEMI JOIN log_lines s ON s.line_hash = n.line_hash AND s.occurrence = n.occurrence"
            )
            if scalar(con, "SELECT count(*) FROM _repeated"):
                hits = _deleted(con, "DELETE FROM hit_rows WHERE import_id = ? AND seq IN "
                                     "(SELECT line_no FROM _repeated)", import_id)
                quarantined = _deleted(con, "DELETE FROM quarantine WHERE import_id = ? AND line_no IN "
                                            "(SELECT line_no FROM _repeated)", import_id)
                con.execute("DELETE FROM _numbered WHERE line_no IN (SELECT line_no FROM _repeated)")
                if hits:
                    _drop_unused_lookups(con, import_id)
            con.execute("DROP TABLE _repeated")
        con.execute("INSERT INTO log_lines SELECT ?, line_hash, occurrence FROM _numbered", [import_id])
        con.execute("DROP TABLE _numbered")
        con.execute("DROP TABLE _line_prints")
        return hits, quarantined


def _drop_unused_lookups(con: duckdb.DuckDBPyConnection, import_id: int) -> None:
    """Remove this import's lookup strings that no remaining hit points to (all of them, for a copy of a log)."""
    for table, (id_col, _) in LOOKUPS.items():  # hit_rows names each id as its lookup table does
        con.execute(
            f"DELETE FROM {table} WHERE import_id = ? AND {id_col} NOT IN "
            f"(SELECT {id_col} FROM hit_rows WHERE import_id = ? AND {id_col} IS NOT NULL)",
            [import_id, import_id],
        )


def _deleted(con: duckdb.DuckDBPyConnection, sql: str, import_id: int) -> int:
    row = con.execute(sql, [import_id]).fetchall()
    return int(row[0][0]) if row else 0
