"""Attribute every row of a DuckDB table at once, running Python only over distinct values.

A log of millions of hits holds a few thousand distinct referrer origins, user agents and campaign keys. So:

1. DuckDB extracts each row's referrer origin, campaign key (utm_source, utm_medium, click id) and page key
   with the same regular expressions the Python functions use (:mod:`socialseo.classify.urls`,
   :func:`socialseo.classify.referrers.referrer_origin_sql`);
2. Python classifies each *distinct* origin, user agent and campaign key, and the results go back to DuckDB
   as small Arrow tables, each distinct classification numbered;
3. DuckDB joins the numbers onto the rows; Python applies :func:`socialseo.classify.attribution.combine` (the
   one statement of the precedence) to each distinct combination of numbers;
4. one UPDATE writes the columns.

Nothing runs once per row in Python, and every row gets exactly what :func:`~socialseo.classify.attribution.
attribute` would give it.
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from typing import Any, TypeVar

import duckdb
import pyarrow as pa

from socialseo.classify.attribution import combine
from socialseo.classify.campaigns import CampaignClass, classify_campaign
from socialseo.classify.hosts import site_host_set
from socialseo.classify.referrers import ReferrerClass, classify_origin, referrer_origin_sql
from socialseo.classify.urls import campaign_key_sql, page_key_sql
from socialseo.classify.useragents import UserAgentClass, classify_user_agent
from socialseo.errors import WarehouseError

OUTPUT_COLUMNS: dict[str, str] = {
    "referrer_host": "VARCHAR",
    "channel": "VARCHAR",
    "platform": "VARCHAR",
    "evidence": "VARCHAR",
    "is_bot": "BOOLEAN",
    "bot_name": "VARCHAR",
    "page": "VARCHAR",
}
"""The columns :func:`attribute_relation` adds or overwrites, with their types."""

INPUT_COLUMNS = ("referrer", "user_agent", "url")

K = TypeVar("K", bound=Hashable)
C = TypeVar("C")


class MissingColumnsError(WarehouseError, ValueError):
    """The table given to :func:`attribute_relation` lacks one of its input columns."""


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _table_ref(table: str) -> str:
    return ".".join(_ident(part) for part in table.split("."))


class _Numbering:
    """Numbers distinct classifications so DuckDB joins small integers instead of strings."""

    def __init__(self) -> None:
        self.ids: dict[Any, int] = {}
        self.items: list[Any] = []

    def id_of(self, item: Any) -> int:
        found = self.ids.get(item)
        if found is None:
            found = self.ids[item] = len(self.items)
            self.items.append(item)
        return found


def _classified(
    keys: Iterable[K], classify: Callable[[K], Any], numbering: _Numbering
) -> tuple[list[K], list[int], list[Any]]:
    keys = list(keys)
    results = [classify(k) for k in keys]
    return keys, [numbering.id_of(r) for r in results], results


def attribute_relation(con: duckdb.DuckDBPyConnection, table: str, site_hosts: Sequence[str]) -> None:
    """Fill ``referrer_host, channel, platform, evidence, is_bot, bot_name, page`` on every row of ``table``.

    ``table`` must have VARCHAR columns ``referrer``, ``user_agent`` and ``url`` (the request target, or an
    absolute URL); the output columns are added when missing and overwritten otherwise. ``site_hosts`` are the
    site's own hosts, as for :func:`socialseo.classify.attribution.attribute`, which gives the same answer for
    every row.
    """
    target = _table_ref(table)
    _check_inputs(con, table)
    for column, sql_type in OUTPUT_COLUMNS.items():
        con.execute(f"ALTER TABLE {target} ADD COLUMN IF NOT EXISTS {_ident(column)} {sql_type}")
    with attributed(con, table, site_hosts) as rows:
        con.execute(
            f"""
            UPDATE {target} SET
                referrer_host = k.referrer_host, channel = k.channel, platform = k.platform,
                evidence = k.evidence, is_bot = k.is_bot, bot_name = k.bot_name, page = k.page
            FROM ({rows}) k
            WHERE {target}.rowid = k.rid
            """
        )


def _check_inputs(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    present = [str(row[0]) for row in con.execute(f"DESCRIBE {_table_ref(table)}").fetchall()]
    missing = [c for c in INPUT_COLUMNS if c not in present]
    if missing:
        raise MissingColumnsError(
            f"table {table} lacks column(s) {', '.join(missing)}; attribute_relation needs "
            f"{', '.join(INPUT_COLUMNS)} (VARCHAR, NULL where unknown)"
        )
    return present


@contextmanager
def attributed(con: duckdb.DuckDBPyConnection, table: str, site_hosts: Sequence[str]) -> Iterator[str]:
    """Yield a SELECT giving every row of ``table`` with its attribution, for use while the block runs.

    The SELECT has ``rid`` (the row's rowid), the table's own columns other than the output columns, and the
    output columns. Inserting from it directly (``INSERT INTO hits SELECT ... FROM (<it>)``) spares the
    ``UPDATE`` that :func:`attribute_relation` does, which on millions of rows is the dearer half.
    """
    target = _table_ref(table)
    present = _check_inputs(con, table)
    own = [c for c in present if c not in OUTPUT_COLUMNS]
    site = site_host_set(site_hosts)
    tag = uuid.uuid4().hex[:12]
    names = {k: f"_socialseo_{k}_{tag}" for k in ("refs", "uas", "urls", "camps", "combos")}
    origin = referrer_origin_sql('t."referrer"')
    key = campaign_key_sql('"url"')
    try:
        ref_classes, ua_classes, camp_classes = _Numbering(), _Numbering(), _Numbering()

        origins = [r[0] for r in con.execute(f"SELECT DISTINCT {origin} FROM {target} t").fetchall()]
        origins, ref_ids, refs = _classified(origins, lambda o: classify_origin(o, site), ref_classes)
        _register(
            con,
            names["refs"],
            {
                "origin": pa.array(origins, pa.string()),
                "ref_id": pa.array(ref_ids, pa.int32()),
                "referrer_host": pa.array([r.host for r in refs], pa.string()),
            },
        )

        agents = [r[0] for r in con.execute(f'SELECT DISTINCT "user_agent" FROM {target}').fetchall()]
        agents, ua_ids, _ = _classified(agents, classify_user_agent, ua_classes)
        _register(
            con,
            names["uas"],
            {
                "user_agent": pa.array(agents, pa.string()),
                "ua_id": pa.array(ua_ids, pa.int32()),
            },
        )

        con.execute(
            f"CREATE TEMP TABLE {names['urls']} AS SELECT url, {page_key_sql('url')} AS page, "
            f"{key.utm_source} AS utm_source, {key.utm_medium} AS utm_medium, {key.click_id} AS click_id "
            f'FROM (SELECT DISTINCT "url" AS url FROM {target})'
        )
        camp_keys = con.execute(
            f"SELECT DISTINCT utm_source, utm_medium, click_id FROM {names['urls']}"
        ).fetchall()
        camp_keys, camp_ids, _ = _classified(
            [tuple(k) for k in camp_keys], lambda k: classify_campaign(*k), camp_classes
        )
        _register(
            con,
            names["camps"],
            {
                "utm_source": pa.array([k[0] for k in camp_keys], pa.string()),
                "utm_medium": pa.array([k[1] for k in camp_keys], pa.string()),
                "click_id": pa.array([k[2] for k in camp_keys], pa.string()),
                "camp_id": pa.array(camp_ids, pa.int32()),
            },
        )
        own_columns = ", ".join(f"t.{_ident(c)}" for c in own)
        keys_sql = f"""
            SELECT t.rowid AS rid, {own_columns}, r.ref_id, r.referrer_host, a.ua_id, u.page, c.camp_id
            FROM {target} t
            LEFT JOIN {names["refs"]} r ON r.origin IS NOT DISTINCT FROM {origin}
            LEFT JOIN {names["uas"]} a ON a.user_agent IS NOT DISTINCT FROM t."user_agent"
            LEFT JOIN {names["urls"]} u ON u.url IS NOT DISTINCT FROM t."url"
            LEFT JOIN {names["camps"]} c ON c.utm_source IS NOT DISTINCT FROM u.utm_source
                AND c.utm_medium IS NOT DISTINCT FROM u.utm_medium
                AND c.click_id IS NOT DISTINCT FROM u.click_id
        """
        combos = _combinations(con, keys_sql, ref_classes, ua_classes, camp_classes)
        results = [
            combine(
                _item(camp_classes, camp_id, CampaignClass),
                _item(ref_classes, ref_id, ReferrerClass),
                _item(ua_classes, ua_id, UserAgentClass),
            )
            for ref_id, ua_id, camp_id in combos
        ]
        _register(
            con,
            names["combos"],
            {
                "ref_id": pa.array([c[0] for c in combos], pa.int32()),
                "ua_id": pa.array([c[1] for c in combos], pa.int32()),
                "camp_id": pa.array([c[2] for c in combos], pa.int32()),
                "channel": pa.array([a.channel for a in results], pa.string()),
                "platform": pa.array([a.platform for a in results], pa.string()),
                "evidence": pa.array([a.evidence for a in results], pa.string()),
                "is_bot": pa.array([a.is_bot for a in results], pa.bool_()),
                "bot_name": pa.array([a.bot_name for a in results], pa.string()),
            },
        )
        own_k = ", ".join(f"k.{_ident(c)}" for c in own)
        yield f"""
            SELECT k.rid, {own_k}, k.referrer_host, k.page, m.channel, m.platform, m.evidence, m.is_bot, m.bot_name
            FROM ({keys_sql}) k JOIN {names["combos"]} m
                ON m.ref_id = k.ref_id AND m.ua_id = k.ua_id AND m.camp_id = k.camp_id
        """
    finally:
        for kind in ("refs", "uas", "camps", "combos"):
            with suppress(KeyError, duckdb.Error):
                con.unregister(names[kind])
        con.execute(f"DROP TABLE IF EXISTS {names['urls']}")


_MAX_CROSS_PRODUCT = 250_000


def _combinations(
    con: duckdb.DuckDBPyConnection, keys_sql: str, *numberings: _Numbering
) -> list[tuple[int, int, int]]:
    """Every (referrer, user agent, campaign) class combination ``combine`` must decide.

    There are few distinct *classes* (a few dozen referrer classes however many referrers), so their cross
    product is usually small and cheaper than a pass over the rows to find the combinations that occur.
    """
    sizes = [len(n.items) for n in numberings]
    if sizes[0] * sizes[1] * sizes[2] <= _MAX_CROSS_PRODUCT:
        return list(itertools.product(range(sizes[0]), range(sizes[1]), range(sizes[2])))
    rows = con.execute(f"SELECT DISTINCT ref_id, ua_id, camp_id FROM ({keys_sql})").fetchall()
    return [(int(r), int(u), int(c)) for r, u, c in rows]


def _item(numbering: _Numbering, number: int, kind: type[C]) -> C:
    item = numbering.items[number]
    if not isinstance(item, kind):
        raise TypeError(f"expected a {kind.__name__}, found {type(item).__name__}")
    return item


def _register(con: duckdb.DuckDBPyConnection, name: str, columns: dict[str, pa.Array]) -> None:
    con.register(name, pa.table(columns))
