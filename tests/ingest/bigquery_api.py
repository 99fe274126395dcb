"""A stand-in for BigQuery's REST API v2 on 127.0.0.1, written from its public reference, with Google's token endpoint.

- ``tables.list``  ``GET /bigquery/v2/projects/P/datasets/D/tables`` (``maxResults``, ``pageToken``, ``nextPageToken``);
- ``tables.get``   ``GET .../tables/T``: the table resource with its ``schema.fields`` (RECORD, REPEATED modes);
- ``tabledata.list`` ``GET .../tables/T/data``: ``rows`` as ``{"f": [{"v": ...}]}`` (INT64 as strings, a RECORD as
  ``{"f": [...]}``, a REPEATED field as a list of ``{"v": ...}``), at most :attr:`FakeBigQuery.page_rows` a page,
  ``pageToken`` to the next; ``T$YYYYMMDD`` reads one day of a table partitioned by ``data_date``.

Every request must carry the token the token endpoint issued; ``failures`` are statuses answered first.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pyarrow as pa
from aiohttp import web
from tests.ingest.google_api import FakeGoogle

BIGQUERY_SCOPE = "https://www.googleapis.com/auth/bigquery.readonly"


def bq_fields(schema: pa.Schema | pa.StructType) -> list[dict[str, Any]]:
    """BigQuery's ``schema.fields`` for an Arrow schema."""
    fields = []
    for f in schema:
        mode, kind = "NULLABLE", f.type
        if pa.types.is_list(kind):
            mode, kind = "REPEATED", kind.value_type
        entry: dict[str, Any] = {"name": f.name, "mode": mode}
        if pa.types.is_struct(kind):
            entry.update(type="RECORD", fields=bq_fields(kind))
        else:
            entry["type"] = {pa.string(): "STRING", pa.int64(): "INTEGER", pa.float64(): "FLOAT",
                             pa.bool_(): "BOOLEAN", pa.date32(): "DATE"}[kind]
        fields.append(entry)
    return fields


def _cell(value: Any, field_: dict[str, Any], repeated_item: bool = False) -> Any:
    if value is None:
        return None
    if field_["mode"] == "REPEATED" and not repeated_item:
        return [{"v": _cell(v, field_, True)} for v in value]
    if field_["type"] == "RECORD":
        return {"f": [{"v": _cell(value.get(f["name"]), f)} for f in field_["fields"]]}
    if field_["type"] == "BOOLEAN":
        return "true" if value else "false"
    return str(value)  # INTEGER, FLOAT, DATE and STRING all travel as strings


@dataclass
class FakeBigQuery:
    """One project's datasets: ``tables[(dataset, table)] = (arrow schema, rows as dicts)``."""

    google: FakeGoogle = field(default_factory=lambda: FakeGoogle(scope=BIGQUERY_SCOPE))
    tables: dict[tuple[str, str], tuple[pa.Schema, list[dict[str, Any]]]] = field(default_factory=dict)
    page_rows: int = 3
    list_page: int = 2
    failures: list[int] = field(default_factory=list)
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    authorizations: list[str] = field(default_factory=list)

    def _guard(self, request: web.Request) -> web.Response | None:
        self.requests.append((request.path, dict(request.query)))
        self.authorizations.append(request.headers.get("Authorization", ""))
        if request.headers.get("Authorization") != f"Bearer {self.google.token}":
            return web.json_response({"error": {"code": 401, "message": "Request is missing required "
                                                "authentication credential.", "errors": [{"reason": "required"}]}},
                                     status=401)
        if self.failures:
            status = self.failures.pop(0)
            reason = "rateLimitExceeded" if status == 429 else "backendError"
            return web.json_response({"error": {"code": status, "message": "Try again",
                                                "errors": [{"reason": reason, "message": "Try again"}]}},
                                     status=status)
        return None

    def _table(self, request: web.Request) -> tuple[str, str, date | None] | web.Response:
        dataset, table = request.match_info["dataset"], request.match_info["table"]
        table, _, partition = table.partition("$")
        if (dataset, table) not in self.tables:
            return web.json_response({"error": {"code": 404, "message": f"Not found: Table project:{dataset}.{table}",
                                                "errors": [{"reason": "notFound"}]}}, status=404)
        day = date(int(partition[:4]), int(partition[4:6]), int(partition[6:])) if partition else None
        return dataset, table, day

    async def list_tables(self, request: web.Request) -> web.Response:
        if (refused := self._guard(request)) is not None:
            return refused
        dataset = request.match_info["dataset"]
        names = sorted(t for d, t in self.tables if d == dataset)
        start = int(request.query.get("pageToken", "0"))
        page = names[start: start + self.list_page]
        answer: dict[str, Any] = {"kind": "bigquery#tableList", "totalItems": len(names), "tables": [
            {"kind": "bigquery#table", "id": f"project:{dataset}.{t}", "type": "TABLE",
             "tableReference": {"projectId": request.match_info["project"], "datasetId": dataset, "tableId": t}}
            for t in page]}
        if start + self.list_page < len(names):
            answer["nextPageToken"] = str(start + self.list_page)
        return web.json_response(answer)

    async def get_table(self, request: web.Request) -> web.Response:
        if (refused := self._guard(request)) is not None:
            return refused
        found = self._table(request)
        if isinstance(found, web.Response):
            return found
        dataset, table, _ = found
        schema, rows = self.tables[(dataset, table)]
        return web.json_response({
            "kind": "bigquery#table", "id": f"project:{dataset}.{table}", "type": "TABLE", "location": "US",
            "tableReference": {"projectId": request.match_info["project"], "datasetId": dataset, "tableId": table},
            "schema": {"fields": bq_fields(schema)}, "numRows": str(len(rows)),
        })

    async def list_rows(self, request: web.Request) -> web.Response:
        if (refused := self._guard(request)) is not None:
            return refused
        found = self._table(request)
        if isinstance(found, web.Response):
            return found
        dataset, table, day = found
        schema, rows = self.tables[(dataset, table)]
        if day is not None:
            rows = [r for r in rows if r["data_date"] == day]
        fields = bq_fields(schema)
        start = int(request.query.get("pageToken", "0"))
        size = min(self.page_rows, int(request.query.get("maxResults", self.page_rows)))
        page = rows[start: start + size]
        answer: dict[str, Any] = {"kind": "bigquery#tableDataList", "totalRows": str(len(rows)), "rows": [
            {"f": [{"v": _cell(row.get(f["name"]), f)} for f in fields]} for row in page]}
        if start + size < len(rows):
            answer["pageToken"] = str(start + size)
        return web.json_response(answer)


@contextmanager
def serve_bigquery(fake: FakeBigQuery) -> Iterator[str]:
    """Serve ``fake`` and its token endpoint on 127.0.0.1 in a thread; yields the base URL."""
    app = web.Application()
    app.router.add_post("/token", fake.google.token_endpoint)
    base = "/bigquery/v2/projects/{project}/datasets/{dataset}/tables"
    app.router.add_get(base, fake.list_tables)
    app.router.add_get(base + "/{table}", fake.get_table)
    app.router.add_get(base + "/{table}/data", fake.list_rows)
    loop = asyncio.new_event_loop()
    runner = web.AppRunner(app, access_log=None)
    loop.run_until_complete(runner.setup())
    site = web.TCPSite(runner, "127.0.0.1", 0)
    loop.run_until_complete(site.start())
    url = f"http://127.0.0.1:{runner.addresses[0][1]}"
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    try:
        yield url
    finally:
        asyncio.run_coroutine_threadsafe(runner.cleanup(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
        loop.close()
