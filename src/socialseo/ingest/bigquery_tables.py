"""Read BigQuery tables in place with Google's client (the optional ``bigquery`` extra), as Parquet files.

GA4's export (``events_YYYYMMDD``, one table a day) and Search Console's bulk export (``searchdata_*``, partitioned
by ``data_date``) land in BigQuery. Rather than ``bq extract`` to a bucket and a download, a table is read over the
REST API: ``tables.get`` for its schema, then ``tabledata.list`` page by page (``pageToken``), which costs no query
bytes. ``create_bqstorage_client`` stays off: the Storage Read API is a second service, with its own permission and
gRPC transport, that small daily tables do not need. Each page becomes an Arrow batch written to a Parquet file, so
the rows then go through the very reader that imports an exported file: there is one mapping per source.

Credentials are the same key files as for the Search Console pull (:mod:`socialseo.ingest.search_console.
google_auth`), asked for the ``bigquery.readonly`` scope; the endpoint is ``SOCIALSEO_BIGQUERY_API_BASE``
(default Google's), set in the environment for a proxy or a local stand-in. 429 and 5xx answers are retried by the
client with exponential backoff for up to :data:`RETRY_DEADLINE_S` seconds; anything else is one line.
"""

from __future__ import annotations

import fnmatch
import importlib
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pyarrow as pa
import pyarrow.parquet as pq

from socialseo.errors import SocialSeoError
from socialseo.ingest.search_console.google_auth import Transport, credentials_path, endpoint_policy, load_credentials

SCOPE = "https://www.googleapis.com/auth/bigquery.readonly"
DEFAULT_API_BASE = "https://bigquery.googleapis.com"
EXTRA = "pip install 'socialseo[bigquery]'"
RETRY_DEADLINE_S = 120.0
_NAME = re.compile(r"^([a-z][a-z0-9.:-]{4,62}[a-z0-9])[.:]([A-Za-z0-9_]{1,1024})\.([A-Za-z0-9_\-$*]{1,1024})$")
_DAY = re.compile(r"^\d{8}$")


class BigQueryError(SocialSeoError):
    """BigQuery refused a request, or the table named is not one socialseo can read."""


@dataclass(frozen=True)
class TableName:
    """``PROJECT.DATASET.TABLE``; ``TABLE`` may end with ``*`` for a set of daily tables (``events_*``)."""

    project: str
    dataset: str
    table: str

    @classmethod
    def parse(cls, text: str, option: str) -> TableName:
        match = _NAME.match(text.strip())
        if not match or ("*" in match.group(3) and not match.group(3).endswith("*")):
            raise BigQueryError(f"{option} {text!r}: name a table as PROJECT.DATASET.TABLE "
                                "(e.g. my-project.analytics_123456.events_*)")
        return cls(*match.groups())

    @property
    def wildcard(self) -> bool:
        return self.table.endswith("*")

    def __str__(self) -> str:
        return f"{self.project}.{self.dataset}.{self.table}"


def api_base() -> str:
    """Where BigQuery's REST API is asked: ``SOCIALSEO_BIGQUERY_API_BASE``, else Google's."""
    value = os.environ.get("SOCIALSEO_BIGQUERY_API_BASE", "").strip().rstrip("/")
    if not value:
        return DEFAULT_API_BASE
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise BigQueryError(f"SOCIALSEO_BIGQUERY_API_BASE={value!r}: not an http(s) URL")
    return value


def _bigquery() -> Any:
    try:
        return importlib.import_module("google.cloud.bigquery")
    except ImportError:
        raise BigQueryError(f"reading tables from BigQuery needs the bigquery extra: {EXTRA}") from None


class TableReader:
    """One BigQuery client for one project: lists daily tables and downloads tables or partitions as Parquet."""

    def __init__(self, name: TableName, credentials: Path | None) -> None:
        self.bigquery = _bigquery()
        from google.api_core import client_options

        creds = load_credentials(credentials_path(credentials), scopes=(SCOPE,))
        self.name = name
        self.client = self.bigquery.Client(
            project=name.project, credentials=creds, _http=_checked_session(creds),
            client_options=client_options.ClientOptions(api_endpoint=api_base()),
        )
        self.retry = self.bigquery.DEFAULT_RETRY.with_deadline(RETRY_DEADLINE_S).with_delay(initial=0.5, maximum=16.0)

    def daily_tables(self, start: date | None, end: date | None) -> list[str]:
        """The tables ``PREFIX*`` names whose suffix is a day (``YYYYMMDD``) from ``start`` to ``end``, in order.

        ``events_*`` leaves out ``events_intraday_*`` (still filling): name those explicitly to read them."""
        prefix = self.name.table[:-1]
        with _answers("listing the tables of " + f"{self.name.project}.{self.name.dataset}"):
            listed = [t.table_id for t in self.client.list_tables(
                f"{self.name.project}.{self.name.dataset}", retry=self.retry)]
        found = []
        for table_id in sorted(listed):
            suffix = table_id[len(prefix):]
            if not fnmatch.fnmatchcase(table_id, self.name.table) or not _DAY.match(suffix):
                continue
            day = datetime.strptime(suffix, "%Y%m%d").date()
            if (start is None or day >= start) and (end is None or day <= end):
                found.append(table_id)
        if not found:
            span = f" from {start or 'the first'} to {end or 'the last'} day" if start or end else ""
            raise BigQueryError(f"{self.name}: no daily table{span} in {self.name.project}.{self.name.dataset} "
                                f"({len(listed)} table(s) there); check the name and the dates")
        return found

    def download(self, table_id: str, dest: Path, partition: date | None = None) -> int:
        """Write the rows of ``table_id`` (or of its ``partition`` day) to the Parquet file ``dest``; returns the
        number of rows, 0 with no file written when there are none."""
        full = f"{self.name.project}.{self.name.dataset}.{table_id}"
        with _answers(f"reading {full}"):
            table = self.client.get_table(full, retry=self.retry)
            source = table if partition is None else self.bigquery.Table(
                f"{full}${partition:%Y%m%d}", schema=table.schema)
            rows = self.client.list_rows(source, retry=self.retry)
            return _write_parquet(_batches(rows), dest)


def _batches(rows: Any) -> Iterator[pa.RecordBatch]:
    # One batch per tabledata.list page: memory holds a page, not the table.
    yield from rows.to_arrow_iterable()


def _write_parquet(batches: Iterator[pa.RecordBatch], dest: Path) -> int:
    writer: pq.ParquetWriter | None = None
    count = 0
    try:
        for batch in batches:
            if batch.num_rows == 0:
                continue
            if writer is None:
                writer = pq.ParquetWriter(dest, batch.schema)
            writer.write_batch(batch)
            count += batch.num_rows
    finally:
        if writer is not None:
            writer.close()
    return count


def _checked_session(credentials: Any) -> Any:
    """Google's authorised HTTP session for the client, with every request (token refreshes included) checked
    against the address policy, and no redirect followed: one would carry the bearer token away."""
    from google.auth.transport.requests import AuthorizedSession

    policy = endpoint_policy(("SOCIALSEO_BIGQUERY_API_BASE",))

    class CheckedSession(AuthorizedSession):
        def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
            policy.check_start(url)
            kwargs["allow_redirects"] = False
            return super().request(method, url, *args, **kwargs)

    return CheckedSession(credentials, auth_request=Transport(policy))


class _answers:
    """Turn the client's exceptions into one line naming what was being done."""

    def __init__(self, doing: str) -> None:
        self.doing = doing

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: object) -> None:
        if exc is None:
            return
        from google.api_core import exceptions as api
        from google.auth import exceptions as auth

        if isinstance(exc, api.RetryError):
            cause = exc.cause
            raise BigQueryError(f"BigQuery kept failing while {self.doing} for {RETRY_DEADLINE_S:.0f} s "
                                f"({_short(cause) if cause else 'no answer'}); try again later") from None
        if isinstance(exc, api.GoogleAPICallError):
            hint = {403: "give the key's account the BigQuery Data Viewer role on the dataset",
                    404: "no such project, dataset or table: check the name"}.get(exc.code or 0)
            raise BigQueryError("; ".join(p for p in (
                f"BigQuery refused {self.doing} (HTTP {exc.code})", _short(exc), hint) if p)) from None
        if isinstance(exc, auth.RefreshError):
            raise BigQueryError(f"the token endpoint refused the credentials ({_short(exc)})") from None
        if isinstance(exc, auth.TransportError | OSError):
            raise BigQueryError(f"cannot reach BigQuery at {api_base()}: {_short(exc)}") from None


def _short(exc: BaseException) -> str:
    message = str(getattr(exc, "message", None) or exc)
    # The client's message starts with the request ("GET https://...?prettyPrint=false: "): keep BigQuery's words.
    message = re.sub(r"^[A-Z]+ https?://\S+: ", "", message)
    return " ".join(message.split())[:200]
