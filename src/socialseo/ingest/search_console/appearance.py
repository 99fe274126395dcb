"""Search Console by search appearance, pulled over the API into ``search_appearance``.

Search Console groups by ``searchAppearance`` only on its own: a request grouping it with ``page``, ``query``,
``country`` or ``device`` is refused (its documentation asks for a two-step process, listing the appearances first
and then filtering by one). So each day is asked for grouped by ``searchAppearance`` alone, and the rows are
stored per day and appearance in their own table, beside ``search_performance``. Days, paging, retries, fresh days
and ``search_pulls`` work as for the other pulls (:mod:`socialseo.ingest.search_console.api_pull`).
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from socialseo.store.warehouse import ImportContext, ImportResult, Warehouse

APPEARANCE = "searchAppearance"
TABLE_COLUMNS = ("date", "appearance", "clicks", "impressions", "position")


def appearance_rows(page: list[dict[str, Any]], day: str) -> list[dict[str, Any]]:
    """The API's rows (keyed by ``searchAppearance``) as rows of ``search_appearance`` for ``day``."""
    return [{"date": day, "appearance": r[APPEARANCE], "clicks": r["clicks"], "impressions": r["impressions"],
             "position": r["position"]} for r in page]


def import_appearance(
    warehouse: Warehouse, site: str, search_type: str, days: list[Any], rows: list[dict[str, Any]], label: str
) -> ImportResult:
    """Store ``rows`` for ``site``, replacing what earlier pulls stored for the same days; one import."""
    slug = "".join(c if c.isalnum() else "-" for c in site).strip("-")
    with tempfile.TemporaryDirectory(prefix="socialseo-gsc-") as tmp:
        path = Path(tmp) / f"searchconsole-appearance_{slug}_{search_type}_{days[0]}_{days[-1]}.jsonl"
        with path.open("w", encoding="utf-8") as out:
            for row in rows:
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
        [result] = warehouse.import_files(
            "gsc-appearance", [path], lambda ctx: _load(ctx, site, search_type, days),
            options={"property": site, "search_type": search_type}, names=lambda _: label,
        )
    return result


def _load(ctx: ImportContext, site: str, search_type: str, days: list[Any]) -> None:
    con = ctx.con
    source = ("read_json(?, format = 'newline_delimited', columns = {date: 'DATE', appearance: 'VARCHAR', "
              "clicks: 'DOUBLE', impressions: 'DOUBLE', position: 'DOUBLE'})")
    con.execute(f"CREATE OR REPLACE TEMP TABLE _gsc_appearance AS SELECT row_number() OVER () AS line_no, * "
                f"FROM {source}", [str(ctx.path)])
    bad = ("CASE WHEN appearance IS NULL OR appearance = '' THEN 'no searchAppearance key' "
           "WHEN clicks IS NULL OR impressions IS NULL THEN 'no clicks or impressions' END")
    ctx.quarantine_from(
        f"SELECT line_no, concat_ws(',', date, appearance, clicks, impressions) AS raw, reason "
        f"FROM (SELECT *, {bad} AS reason FROM _gsc_appearance) WHERE reason IS NOT NULL"
    )
    con.execute("DELETE FROM search_appearance WHERE property = ? AND search_type = ? AND list_contains(?, date)",
                [site, search_type, days])
    con.execute(
        f"INSERT INTO search_appearance (import_id, property, search_type, date, appearance, clicks, impressions, "
        f"position) SELECT ?, ?, ?, date, appearance, clicks::BIGINT, impressions::BIGINT, position "
        f"FROM (SELECT *, {bad} AS reason FROM _gsc_appearance) WHERE reason IS NULL",
        [ctx.import_id, site, search_type],
    )
    read = con.execute("SELECT count(*) FROM _gsc_appearance").fetchone()
    ctx.result.rows_read = int(read[0]) if read else 0
    ctx.result.rows_loaded = ctx.result.rows_read - ctx.result.rows_quarantined
    appearances = con.execute(
        "SELECT count(DISTINCT appearance) FROM search_appearance WHERE import_id = ?", [ctx.import_id]).fetchone()
    ctx.result.notes.append(f"{int(appearances[0]) if appearances else 0} search appearance(s) by day, in "
                            "search_appearance")
    con.execute("DROP TABLE _gsc_appearance")
