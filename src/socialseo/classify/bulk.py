"""Attribute every row of a DuckDB table at once, running Python only over distinct values.

A log of millions of hits holds a few thousand distinct referrer origins, user agents and campaign keys. So:

1. DuckDB extracts each row's referrer origin, campaign key (utm_source, utm_medium, click id) and page key
   with the same regular expressions the Python functions use (:mod:`socialseo.classify.urls`,
   :func:`socialseo.classify.referrers.referrer_origin_sql`);
2. Python classifies each *distinct* origin, user agent and campaign key, and the results go back to DuckDB
   as small Arrow tables, each distinct classification numbered;
3. DuckDB joins the numbers onto the rows; Python applies :func:`socialseo.classify.attribution.combine` (the
   one statement of the precedence) to each distinct combination of numbers;
4. one UPDATE writes the columns (:func:`attribute_relation`).

Nothing runs once per row in Python, and every row gets exactly what :func:`~socialseo.classify.attribution.
attribute` would give it.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import replace
from typing import Any, TypeVar

import duckdb
import pyarrow as pa

from socialseo.classify.attribution import combine
from socialseo.classify.campaigns import CampaignClass, classify_campaign
from socialseo.classify.hosts import site_host_set
from socialseo.classify.referrers import ReferrerClass, classify_origin, referrer_origin_sql
from socialseo.classify.urls import campaign_key_sql, page_key_sql
from socialseo.classify.useragents import UserAgentClass, classify_user_agents
from socialseo.errors import WarehouseError
from socialseo.store.export import quote_identifier
from socialseo.store.frames import register_frame

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


def _table_ref(table: str) -> str:
    return ".".join(quote_identifier(part) for part in table.split("."))


class Numbering:
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
    keys: Iterable[K], classify: Callable[[K], Any], numbering: Numbering
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
        con.execute(f"ALTER TABLE {target} ADD COLUMN IF NOT EXISTS {quote_identifier(column)} {sql_type}")
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


_MAX_CROSS_PRODUCT = 250_000
_LOOKUPS = ("_ss_refs", "_ss_uas", "_ss_urls", "_ss_camps", "_ss_combos")


@contextmanager
def attributed(
    con: duckdb.DuckDBPyConnection, table: str, site_hosts: Sequence[str], row_id: str = "rowid"
) -> Iterator[str]:
    """Yield a SELECT giving every row of ``table`` with its attribution.

    The SELECT has ``rid`` (the row's ``row_id`` column), the table's own columns other than the output columns,
    and the output columns. The lookups it joins are registered with the connection while the block runs.
    """
    present = _check_inputs(con, table)
    tables, rows_sql = _lookups(con, _table_ref(table), present, site_hosts, row_id)
    try:
        for name, lookup in tables.items():
            register_frame(con, name, lookup)
        yield rows_sql
    finally:
        for name in tables:
            with suppress(KeyError, duckdb.Error):
                con.unregister(name)


def _lookups(
    con: duckdb.DuckDBPyConnection,
    target: str,
    present: Sequence[str],
    site_hosts: Sequence[str],
    row_id: str,
) -> tuple[dict[str, pa.Table], str]:
    """The small classification tables for the distinct values of ``target``, and the SELECT joining them."""
    own = [c for c in present if c not in OUTPUT_COLUMNS]
    site = site_host_set(site_hosts)
    origin = referrer_origin_sql('t."referrer"')
    key = campaign_key_sql('"url"')
    ref_classes, ua_classes, camp_classes = Numbering(), Numbering(), Numbering()

    origins = [r[0] for r in con.execute(f"SELECT DISTINCT {origin} FROM {target} t").fetchall()]
    # Numbered without the host: combine() never reads it, and so the classes stay a few dozen however many
    # hosts refer, which keeps their cross product below small.
    origins, ref_ids, _ = _classified(
        origins, lambda o: replace(classify_origin(o, site), host=None), ref_classes
    )
    refs = [classify_origin(o, site) for o in origins]
    tables = {
        "_ss_refs": pa.table({
            "origin": pa.array(origins, pa.string()),
            "ref_id": pa.array(ref_ids, pa.int32()),
            "referrer_host": pa.array([r.host for r in refs], pa.string()),
        }),
    }
    agents = [r[0] for r in con.execute(f'SELECT DISTINCT "user_agent" FROM {target}').fetchall()]
    agent_classes = dict(zip(agents, classify_user_agents(agents), strict=True))  # one pass of the automaton
    agents, ua_ids, _ = _classified(agents, agent_classes.__getitem__, ua_classes)
    tables["_ss_uas"] = pa.table({"user_agent": pa.array(agents, pa.string()), "ua_id": pa.array(ua_ids, pa.int32())})

    urls = con.sql(
        f"SELECT url, {page_key_sql('url')} AS page, "
        f"{key.utm_source} AS utm_source, {key.utm_medium} AS utm_medium, {key.click_id} AS click_id "
        f'FROM (SELECT DISTINCT "url" AS url FROM {target})'
    ).to_arrow_table()
    tables["_ss_urls"] = urls
    camp_keys = urls.select(["utm_source", "utm_medium", "click_id"]).group_by(
        ["utm_source", "utm_medium", "click_id"]).aggregate([]).to_pylist()
    camp_keys, camp_ids, _ = _classified(
        [(k["utm_source"], k["utm_medium"], k["click_id"]) for k in camp_keys],
        lambda k: classify_campaign(*k), camp_classes,
    )
    tables["_ss_camps"] = pa.table({
        "utm_source": pa.array([k[0] for k in camp_keys], pa.string()),
        "utm_medium": pa.array([k[1] for k in camp_keys], pa.string()),
        "click_id": pa.array([k[2] for k in camp_keys], pa.string()),
        "camp_id": pa.array(camp_ids, pa.int32()),
    })
    rid = "rowid" if row_id == "rowid" else quote_identifier(row_id)
    own_columns = ", ".join(f"t.{quote_identifier(c)}" for c in own)
    keys_sql = f"""
        SELECT t.{rid} AS rid, {own_columns}, r.ref_id, r.referrer_host, a.ua_id, u.page, c.camp_id
        FROM {target} t
        LEFT JOIN _ss_refs r ON r.origin IS NOT DISTINCT FROM {origin}
        LEFT JOIN _ss_uas a ON a.user_agent IS NOT DISTINCT FROM t."user_agent"
        LEFT JOIN _ss_urls u ON u.url IS NOT DISTINCT FROM t."url"
        LEFT JOIN _ss_camps c ON c.utm_source IS NOT DISTINCT FROM u.utm_source
            AND c.utm_medium IS NOT DISTINCT FROM u.utm_medium
            AND c.click_id IS NOT DISTINCT FROM u.click_id
    """
    sizes = [len(n.items) for n in (ref_classes, ua_classes, camp_classes)]
    if sizes[0] * sizes[1] * sizes[2] <= _MAX_CROSS_PRODUCT:
        combos = list(itertools.product(*(range(n) for n in sizes)))
    else:  # only the combinations that occur; the lookups are found by replacement scan of these locals
        _ss_refs, _ss_uas, _ss_urls, _ss_camps = (tables[n] for n in _LOOKUPS[:4])
        found = con.execute(f"SELECT DISTINCT ref_id, ua_id, camp_id FROM ({keys_sql})").fetchall()
        combos = [(int(r), int(u), int(c)) for r, u, c in found]
    results = [
        combine(
            _item(camp_classes, camp_id, CampaignClass),
            _item(ref_classes, ref_id, ReferrerClass),
            _item(ua_classes, ua_id, UserAgentClass),
        )
        for ref_id, ua_id, camp_id in combos
    ]
    tables["_ss_combos"] = pa.table({
        "ref_id": pa.array([c[0] for c in combos], pa.int32()),
        "ua_id": pa.array([c[1] for c in combos], pa.int32()),
        "camp_id": pa.array([c[2] for c in combos], pa.int32()),
        "channel": pa.array([a.channel for a in results], pa.string()),
        "platform": pa.array([a.platform for a in results], pa.string()),
        "evidence": pa.array([a.evidence for a in results], pa.string()),
        "is_bot": pa.array([a.is_bot for a in results], pa.bool_()),
        "bot_name": pa.array([a.bot_name for a in results], pa.string()),
    })
    own_k = ", ".join(f"k.{quote_identifier(c)}" for c in own)
    rows_sql = f"""
        SELECT k.rid, {own_k}, k.referrer_host, k.page, m.channel, m.platform, m.evidence, m.is_bot, m.bot_name
        FROM ({keys_sql}) k JOIN _ss_combos m
            ON m.ref_id = k.ref_id AND m.ua_id = k.ua_id AND m.camp_id = k.camp_id
    """
    return tables, rows_sql


def _item(numbering: Numbering, number: int, kind: type[C]) -> C:
    item = numbering.items[number]
    if not isinstance(item, kind):
        raise TypeError(f"expected a {kind.__name__}, found {type(item).__name__}")
    return item
