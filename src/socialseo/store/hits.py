"""Write access-log hits into the narrow layout behind the ``hits`` view (migration 0006).

Hits are stored as numbers in ``hit_rows``; the strings they point to go into the lookup tables once per import.
:class:`HitIds` hands out the ids (in the thread that encodes), :class:`HitWriter` appends rows and lookups (in
the thread that holds the import's transaction). Rows are appended in multiples of DuckDB's
row-group size, because an append that ends inside a row group costs the next append a rewrite of that group:
measured here, 2,000,000 rows in slices of 230,000 took twice as long as in slices of 245,760.

:func:`insert_hits` writes hand-made hits given as the view's columns, for tests and small loaders.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import duckdb
import numpy as np
import numpy.typing as npt
import pyarrow as pa

from socialseo.store.warehouse import scalar

ROW_GROUP = 122_880
"""DuckDB's rows per row group."""

LOOKUPS: dict[str, tuple[str, tuple[str, ...]]] = {
    "hit_requests": ("request_id", ("method", "url", "page", "protocol")),
    "hit_referrers": ("referrer_id", ("referrer", "referrer_host")),
    "hit_agents": ("agent_id", ("user_agent",)),
    "hit_ips": ("ip_id", ("ip",)),
}
"""Each lookup table: its id column and its value columns."""

ROW_SCHEMA = pa.schema([
    ("import_id", pa.int64()), ("seq", pa.int64()), ("ts", pa.timestamp("us")), ("visitor_id", pa.int64()),
    ("ip_id", pa.int64()), ("request_id", pa.int64()), ("status", pa.int16()), ("bytes", pa.int64()),
    ("referrer_id", pa.int64()), ("agent_id", pa.int64()), ("attribution_id", pa.int32()),
    ("is_pageview", pa.bool_()), ("bot_rule", pa.string()),
])
"""The columns of ``hit_rows``, in order."""

ATTRIBUTION_FIELDS = ("channel", "platform", "evidence", "is_bot", "bot_name", "bot_purpose", "bot_verified")


class HitIds:
    """Hands out the ids of one import's lookup rows and attributions; touches the warehouse only when made.

    Kept apart from :class:`HitWriter` so that blocks can be encoded in one thread while another writes.
    """

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.next_id = {
            table: int(scalar(con, f"SELECT coalesce(max({id_col}), 0) + 1 FROM {table}") or 1)
            for table, (id_col, _) in LOOKUPS.items()
        }
        self.attributions: dict[tuple[Any, ...], int] = {
            tuple(row[1:]): int(row[0])
            for row in con.execute(f"SELECT attribution_id, {', '.join(ATTRIBUTION_FIELDS)} FROM hit_attributions")
            .fetchall()
        }
        self.is_bot: dict[int, bool] = {i: bool(key[3]) for key, i in self.attributions.items()}
        # counted, not max()ed per new one: a log with thousands of bots makes thousands of attributions
        self._next_attribution = max(self.is_bot, default=-1) + 1

    def reserve(self, table: str, n: int) -> int:
        """First of ``n`` new ids for ``table``."""
        first = self.next_id[table]
        self.next_id[table] = first + n
        return first

    def attribution(self, channel: str, platform: str | None, evidence: str, is_bot: bool,
                    bot_name: str | None, bot_purpose: str | None = None,
                    bot_verified: bool | None = None) -> tuple[int, bool]:
        """The id of this attribution, and whether it is new (then it must be written)."""
        key = (channel, platform, evidence, is_bot, bot_name, bot_purpose, bot_verified)
        found = self.attributions.get(key)
        if found is not None:
            return found, False
        found = self.attributions[key] = self._next_attribution
        self._next_attribution += 1
        self.is_bot[found] = is_bot
        return found, True


def lookup_rows(table: str, import_id: int, ids: pa.Array | npt.NDArray[np.int64],
                values: Mapping[str, pa.Array | list[Any]]) -> pa.Table:
    """Rows for lookup ``table``: ``ids`` and the table's value columns."""
    id_col, columns = LOOKUPS[table]
    return pa.table({
        id_col: pa.array(ids, pa.int64()),
        "import_id": pa.array(np.full(len(ids), import_id, dtype=np.int64)),
        **{c: _strings(values[c]) for c in columns},
    })


def _strings(values: pa.Array | pa.ChunkedArray | list[Any]) -> pa.Array | pa.ChunkedArray:
    """``values`` as Arrow strings; Arrow columns are cast, not rebuilt value by value as ``pa.array`` would."""
    if isinstance(values, pa.ChunkedArray | pa.Array):
        return values.cast(pa.string())
    return pa.array(values, pa.string())


class HitWriter:
    """Appends one import's hits, lookups and new attributions inside its transaction."""

    def __init__(self, con: duckdb.DuckDBPyConnection, batch_rows: int = 2 * ROW_GROUP) -> None:
        self.con, self.batch_rows = con, batch_rows
        self._pending: list[pa.Table] = []
        self._pending_rows = 0
        self.rows_written = 0

    def add_lookup(self, table: str, rows: pa.Table) -> None:
        """Append rows made by :func:`lookup_rows`."""
        if rows.num_rows:
            _rows = rows
            self.con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM _rows")

    def add_attribution(self, attribution_id: int, key: tuple[Any, ...]) -> None:
        self.add_attributions([(attribution_id, key)])

    def add_attributions(self, items: Sequence[tuple[int, tuple[Any, ...]]]) -> None:
        """Append new attributions in one statement: a log of many bots makes thousands in a block."""
        if not items:
            return
        columns: dict[str, list[Any]] = {"attribution_id": [i for i, _ in items]}
        for k, name in enumerate(ATTRIBUTION_FIELDS):
            columns[name] = [key[k] for _, key in items]
        _attrs = pa.table({
            name: pa.array(values, pa.int32() if name == "attribution_id"
                           else pa.bool_() if name in ("is_bot", "bot_verified") else pa.string())
            for name, values in columns.items()
        })
        self.con.execute("INSERT INTO hit_attributions BY NAME SELECT * FROM _attrs")

    def add_rows(self, rows: pa.Table) -> None:
        """Queue rows (in :data:`ROW_SCHEMA`) and write every whole batch queued so far."""
        if rows.num_rows:
            self._pending.append(rows)
            self._pending_rows += rows.num_rows
        if self._pending_rows >= self.batch_rows:
            self._write(final=False)

    def flush(self) -> None:
        """Write what is still queued; call once at the end of the import."""
        self._write(final=True)

    def _write(self, final: bool) -> None:
        if not self._pending_rows:
            return
        queued = pa.concat_tables(self._pending)
        whole = queued.num_rows if final else queued.num_rows - queued.num_rows % self.batch_rows
        _batch = queued.slice(0, whole)
        self.con.execute("INSERT INTO hit_rows SELECT * FROM _batch")
        self.rows_written += whole
        rest = queued.slice(whole)
        self._pending = [rest] if rest.num_rows else []
        self._pending_rows = rest.num_rows


_VIEW_COLUMNS = ("import_id", "seq", "ts", "visitor_id", "ip", "method", "url", "page", "protocol", "status",
                 "bytes", "referrer", "referrer_host", "user_agent", "is_bot", "bot_name", "is_pageview",
                 "channel", "platform", "evidence", "bot_purpose", "bot_verified")


def insert_hits(con: duckdb.DuckDBPyConnection, hits: Sequence[Mapping[str, Any]]) -> None:
    """Store hits given as the ``hits`` view's columns (missing ones are NULL; ``is_bot`` defaults to false).

    One lookup row per hit: meant for tests and small hand-made inputs, not for logs.
    """
    unknown = {key for hit in hits for key in hit} - set(_VIEW_COLUMNS)
    if unknown:
        raise ValueError(f"not columns of hits: {', '.join(sorted(unknown))}")
    for hit in hits:
        import_id = int(hit.get("import_id", 0))
        ids, writer = HitIds(con), HitWriter(con)

        def lookup(table: str, _hit: Mapping[str, Any] = hit, _ids: HitIds = ids, _w: HitWriter = writer,
                   _import: int = import_id) -> int | None:
            _, columns = LOOKUPS[table]
            if table != "hit_requests" and all(_hit.get(c) is None for c in columns):
                return None
            new = _ids.reserve(table, 1)
            _w.add_lookup(table, lookup_rows(table, _import, np.array([new]), {c: [_hit.get(c)] for c in columns}))
            return new

        key = (hit.get("channel", "direct"), hit.get("platform"), hit.get("evidence", "none"),
               bool(hit.get("is_bot", False)), hit.get("bot_name"), hit.get("bot_purpose"), hit.get("bot_verified"))
        attribution, new_attribution = ids.attribution(*key)
        if new_attribution:
            writer.add_attribution(attribution, key)
        row = {
            "import_id": import_id, "seq": int(hit.get("seq", 0)), "ts": hit["ts"],
            "visitor_id": int(hit.get("visitor_id", 0)), "ip_id": lookup("hit_ips"),
            "request_id": lookup("hit_requests"), "status": int(hit.get("status", 200)),
            "bytes": hit.get("bytes"), "referrer_id": lookup("hit_referrers"),
            "agent_id": lookup("hit_agents"), "attribution_id": attribution,
            "is_pageview": bool(hit.get("is_pageview", True)) and not hit.get("is_bot", False), "bot_rule": None,
        }
        writer.add_rows(pa.Table.from_pylist([row], schema=ROW_SCHEMA))
        writer.flush()
