"""Read GA4's BigQuery export (``events_YYYYMMDD`` tables, exported with ``bq extract``) into sessions.

Schema: https://support.google.com/analytics/answer/7029846. One row per event, with ``user_pseudo_id``, the
repeated ``event_params`` (``key`` and ``value.string_value`` / ``int_value`` / ...), and three traffic-source
records of different scope:

- ``session_traffic_source_last_click`` (session scope, since mid-2024): the session's last-click source, with
  GA4's own channel group in ``cross_channel_campaign.default_channel_group``;
- ``collected_traffic_source`` (event scope): the utm_* parameters collected on that event (the session's first
  event carries the landing's);
- ``traffic_source`` (user scope): the user's first acquisition, the last resort for old exports.

A session is ``user_pseudo_id`` + the ``ga_session_id`` parameter. Its source is taken from the first of those
records that has one (``source_field`` says which), GA4's labels are kept, and socialseo's channel and platform are
given by the same rules as for the Traffic acquisition export (:func:`~socialseo.ingest.analytics.ga4.
classify_source_medium`). DuckDB reads the files (Parquet, or JSON lines, where BigQuery writes integers as
strings), so the events never pass through Python. An Avro extract is first rewritten as Parquet parts of
:data:`AVRO_BATCH` events each (fastavro reads it; DuckDB's own Avro reader is an extension it would download).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from socialseo.classify.urls import normalize_url
from socialseo.errors import FormatNotRecognisedError, InputFileError
from socialseo.ingest._files import check_nonempty
from socialseo.ingest.analytics.ga4 import classify_source_medium
from socialseo.ingest.limits import current, shown
from socialseo.store.frames import register_frame
from socialseo.store.warehouse import ImportContext, ImportResult, Warehouse

REQUIRED = ("event_date", "event_timestamp", "event_name", "user_pseudo_id", "event_params")
_SOURCES = (
    # (record, source path, medium path, campaign path, label)
    ("session_traffic_source_last_click", "$.cross_channel_campaign.source", "$.cross_channel_campaign.medium",
     "$.cross_channel_campaign.campaign_name", "last_click"),
    ("session_traffic_source_last_click", "$.manual_campaign.source", "$.manual_campaign.medium",
     "$.manual_campaign.campaign_name", "last_click"),
    ("collected_traffic_source", "$.manual_source", "$.manual_medium", "$.manual_campaign_name", "collected"),
    ("traffic_source", "$.source", "$.medium", "$.name", "first_user"),
)


def import_ga4_bigquery(warehouse: Warehouse, path: Path, *, replaces: str | None = None) -> ImportResult:
    """Import one exported file of an ``events_*`` table; the same bytes imported twice are skipped.

    ``replaces`` names the table the file holds (``bigquery:project.dataset.events_20260301``): the sessions and
    page views of earlier imports under that name are removed in the same transaction, as GA4 rewrites a daily
    table for about three days after it."""
    with tempfile.TemporaryDirectory(prefix="socialseo-avro-") as scratch:
        reader, form = _reader(path, Path(scratch))
        [result] = warehouse.import_files(
            "ga4-bigquery", [path], lambda ctx: _load(ctx, path, reader, replaces), options={"format": form}
        )
    return result


AVRO_BATCH = 50_000
"""Events per Parquet part when an Avro extract is rewritten: bounds the memory the rewrite holds at once."""


def _quoted(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def _reader(path: Path, scratch: Path) -> tuple[str, str]:
    """The DuckDB table function that reads ``path``, and the form it was written in."""
    check_nonempty(path)
    with path.open("rb") as handle:
        head = handle.read(4)
    if head == b"PAR1":
        return f"read_parquet({_quoted(path)})", "parquet"
    if head == b"Obj\x01":
        parts = _avro_as_parquet(path, scratch)
        return f"read_parquet([{', '.join(_quoted(p) for p in parts)}], union_by_name = true)", "avro"
    if head[:1] in (b"{", b"\xef"):
        limit = current().max_line_bytes
        _check_line_lengths(path, limit)
        return (f"read_json({_quoted(path)}, format = 'newline_delimited', sample_size = -1, "
                f"maximum_object_size = {limit})", "json")
    raise FormatNotRecognisedError(
        f"{path}: not a GA4 BigQuery export in Parquet, Avro or JSON lines (starts {shown(head)})"
    )


def _avro_as_parquet(path: Path, scratch: Path) -> list[Path]:
    """Rewrite an Avro extract (``bq extract --destination_format AVRO``) as Parquet parts in ``scratch``."""
    import fastavro  # only Avro extracts need it

    parts: list[Path] = []
    batch: list[dict[str, object]] = []

    def flush() -> None:
        if batch:
            part = scratch / f"part-{len(parts):05d}.parquet"
            pq.write_table(pa.Table.from_pylist(batch), part)
            parts.append(part)
            batch.clear()

    try:
        with path.open("rb") as handle:
            for record in fastavro.reader(handle):
                if not isinstance(record, dict):
                    raise TypeError("an Avro record that is not a row")
                batch.append(record)
                if len(batch) >= AVRO_BATCH:
                    flush()
        flush()
    except (ValueError, EOFError, OSError, TypeError, KeyError, pa.ArrowException) as exc:
        raise InputFileError(f"{path}: not a readable Avro file ({type(exc).__name__}: {str(exc)[:120]})") from exc
    if not parts:
        raise InputFileError(f"{path}: an Avro file with no events")
    return parts


def _check_line_lengths(path: Path, limit: int) -> None:
    """Refuse a JSON line longer than the line limit before DuckDB reads the file (its reader does not bound a
    line); newlines are found block by block with numpy, never line by line in Python."""
    carry = 0
    with path.open("rb") as handle:
        while block := handle.read(1 << 22):
            ends = np.flatnonzero(np.frombuffer(block, dtype=np.uint8) == 10)
            if ends.size == 0:
                carry += len(block)
            else:
                longest = max(carry + int(ends[0]), int(np.diff(ends).max(initial=0)) - 1)
                carry = len(block) - int(ends[-1]) - 1
                if longest > limit:
                    raise current().exceeded("max_line_bytes", f"{path}: a JSON line of {longest:,} bytes")
            if carry > limit:
                raise current().exceeded("max_line_bytes", f"{path}: a JSON line of more than {carry:,} bytes")


def _columns(ctx: ImportContext, path: Path, reader: str) -> set[str]:
    try:
        ctx.con.execute(f"CREATE OR REPLACE TEMP VIEW _ga4_events AS SELECT * FROM {reader}")
        names = {str(r[0]) for r in ctx.con.execute("DESCRIBE _ga4_events").fetchall()}
    except duckdb.Error as exc:
        if "maximum_object_size" in str(exc):
            raise current().exceeded("max_line_bytes", f"{path}: an event's JSON line") from exc
        raise InputFileError(f"{path}: not readable as {reader.split('(')[0][5:]} "
                             f"({shown(str(exc).splitlines()[0], 200)})") from exc
    missing = [c for c in REQUIRED if c not in names]
    if missing:
        raise FormatNotRecognisedError(
            f"{path}: not a GA4 events_* export (no {', '.join(missing)}); export the events_YYYYMMDD table"
        )
    return names


def _param(key: str, kind: str) -> str:
    return (f"json_extract_string(to_json(list_filter(event_params, lambda p: p.key = '{key}')[1]), "
            f"'$.value.{kind}')")


def _load(ctx: ImportContext, path: Path, reader: str, replaces: str | None = None) -> None:
    con = ctx.con
    names = _columns(ctx, path, reader)
    if replaces is not None:
        # The table's earlier reads go whole: their rows, their quarantined lines and their ledger entries, so a
        # table whose rows later return to an earlier state is read again rather than skipped as "same content".
        earlier = ("SELECT import_id FROM imports WHERE kind = 'ga4-bigquery' AND path = ? AND import_id <> ?")
        for table in ("ga4_sessions", "ga4_page_views", "quarantine", "imports"):
            con.execute(f"DELETE FROM {table} WHERE import_id IN ({earlier})", [replaces, ctx.import_id])
    pairs = [(f"nullif(json_extract_string(to_json({rec}), '{s}'), '')",
              f"nullif(json_extract_string(to_json({rec}), '{m}'), '')",
              f"nullif(json_extract_string(to_json({rec}), '{c}'), '')", label)
             for rec, s, m, c, label in _SOURCES if rec in names]
    group = ("json_extract_string(to_json(session_traffic_source_last_click), "
             "'$.cross_channel_campaign.default_channel_group')"
             if "session_traffic_source_last_click" in names else "NULL")
    source_cols = ", ".join(f"{s} AS s{i}, {m} AS m{i}, {c} AS c{i}" for i, (s, m, c, _) in enumerate(pairs))
    try:
        con.execute(f"""
            CREATE OR REPLACE TEMP TABLE _ga4_ev AS
            SELECT row_number() OVER () AS line_no, CAST(user_pseudo_id AS VARCHAR) AS user_pseudo_id,
                TRY_CAST({_param('ga_session_id', 'int_value')} AS BIGINT) AS session_id,
                try_strptime(CAST(event_date AS VARCHAR), '%Y%m%d')::DATE AS day,
                make_timestamp(TRY_CAST(event_timestamp AS BIGINT)) AS ts,
                CAST(event_name AS VARCHAR) AS event_name,
                {_param('page_location', 'string_value')} AS page_location,
                coalesce(coalesce({_param('session_engaged', 'string_value')},
                         {_param('session_engaged', 'int_value')}) IN ('1', 'true'), false) AS engaged,
                coalesce(TRY_CAST({_param('engagement_time_msec', 'int_value')} AS BIGINT), 0) AS engagement_ms,
                {group} AS ga4_channel{', ' + source_cols if source_cols else ''}
            FROM _ga4_events
        """)
    except duckdb.Error as exc:
        if "maximum_object_size" in str(exc):
            raise current().exceeded("max_line_bytes", f"{path}: an event's JSON line") from exc
        raise InputFileError(f"{path}: the events could not be read ({shown(str(exc).splitlines()[0], 200)})") from exc
    bad = ("CASE WHEN user_pseudo_id IS NULL THEN 'no user_pseudo_id' WHEN session_id IS NULL THEN "
           "'no ga_session_id event parameter' WHEN day IS NULL THEN 'event_date is not YYYYMMDD' "
           "WHEN ts IS NULL THEN 'event_timestamp is not microseconds' END")
    ctx.quarantine_from(
        f"SELECT line_no, concat_ws(',', user_pseudo_id, session_id, day, event_name) AS raw, reason FROM "
        f"(SELECT *, {bad} AS reason FROM _ga4_ev) WHERE reason IS NOT NULL"
    )
    pick = " ".join(
        f"WHEN arg_min(s{i}, ts) FILTER (WHERE s{i} IS NOT NULL) IS NOT NULL THEN {i}" for i in range(len(pairs)))
    which = f"CASE {pick} END" if pairs else "NULL"
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE _ga4_sess AS
        SELECT user_pseudo_id, session_id, min(day) AS day, min(ts) AS start_ts, max(ts) AS end_ts,
            {which} AS which,
            {', '.join(f"arg_min(s{i}, ts) FILTER (WHERE s{i} IS NOT NULL) AS s{i}, "
                       f"arg_min(m{i}, ts) FILTER (WHERE s{i} IS NOT NULL) AS m{i}, "
                       f"arg_min(c{i}, ts) FILTER (WHERE s{i} IS NOT NULL) AS c{i}" for i in range(len(pairs)))
                       + (',' if pairs else '')}
            arg_min(ga4_channel, ts) FILTER (WHERE ga4_channel IS NOT NULL) AS ga4_channel,
            arg_min(page_location, ts) FILTER (WHERE event_name = 'page_view' AND page_location IS NOT NULL)
                AS landing_page,
            count(*) FILTER (WHERE event_name = 'page_view') AS page_views, count(*) AS events,
            bool_or(engaged) AS engaged, sum(engagement_ms) AS engagement_ms
        FROM _ga4_ev
        WHERE user_pseudo_id IS NOT NULL AND session_id IS NOT NULL AND day IS NOT NULL AND ts IS NOT NULL
        GROUP BY user_pseudo_id, session_id
    """)
    chosen = lambda letter: ("CASE which " + " ".join(f"WHEN {i} THEN {letter}{i}" for i in range(len(pairs)))  # noqa: E731
                             + " END") if pairs else "NULL"
    label = ("CASE which " + " ".join(f"WHEN {i} THEN '{p[3]}'" for i, p in enumerate(pairs))
             + " ELSE 'none' END") if pairs else "'none'"
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE _ga4_src AS
        SELECT *, {chosen('s')} AS source, {chosen('m')} AS medium, {chosen('c')} AS campaign,
            {label} AS source_field FROM _ga4_sess
    """)
    classes = pd.DataFrame(
        [(s, m, *classify_source_medium(s, m)) for s, m in
         con.execute("SELECT DISTINCT source, medium FROM _ga4_src").fetchall()],
        columns=["source", "medium", "channel", "platform", "evidence"],
    )
    register_frame(con, "_ga4_classes", classes.astype(object).where(classes.notna(), None))
    con.execute("""
        INSERT INTO ga4_sessions
        SELECT ?, s.user_pseudo_id, s.session_id, s.day, s.start_ts, s.end_ts, s.source, s.medium, s.campaign,
            s.source_field, s.ga4_channel, k.channel, k.platform, k.evidence, s.landing_page, s.page_views,
            s.events, s.engaged, s.engagement_ms
        FROM _ga4_src s JOIN _ga4_classes k
            ON k.source IS NOT DISTINCT FROM s.source AND k.medium IS NOT DISTINCT FROM s.medium
    """, [ctx.import_id])
    con.unregister("_ga4_classes")
    _page_views(ctx)
    _rebuild_traffic(ctx)
    counts = con.execute("SELECT count(*) FROM _ga4_ev").fetchone()
    sessions = con.execute("SELECT count(*) FROM ga4_sessions WHERE import_id = ?", [ctx.import_id]).fetchone()
    ctx.result.rows_read = int(counts[0]) if counts else 0
    ctx.result.rows_loaded = ctx.result.rows_read - ctx.result.rows_quarantined
    ctx.result.notes.append(f"{int(sessions[0]) if sessions else 0:,} sessions (events are rows)")
    if not ctx.result.rows_read:
        ctx.result.notes.append("the file holds no events: was the right table exported?")
    for name in ("_ga4_ev", "_ga4_sess", "_ga4_src"):
        con.execute(f"DROP TABLE {name}")
    con.execute("DROP VIEW _ga4_events")


def _page_views(ctx: ImportContext) -> None:
    con = ctx.con
    pages = [str(r[0]) for r in con.execute(
        "SELECT DISTINCT page_location FROM _ga4_ev WHERE event_name = 'page_view' AND page_location IS NOT NULL"
    ).fetchall()]
    register_frame(con, "_ga4_pages", pd.DataFrame({"page": pages, "page_url": [_normalise(p) for p in pages]}))
    con.execute("""
        INSERT INTO ga4_page_views
        SELECT ?, e.day, e.page_location, p.page_url, s.channel, s.platform, count(*),
            count(DISTINCT (e.user_pseudo_id, e.session_id))
        FROM _ga4_ev e
        JOIN ga4_sessions s ON s.import_id = ? AND s.user_pseudo_id = e.user_pseudo_id
            AND s.ga_session_id = e.session_id
        LEFT JOIN _ga4_pages p ON p.page = e.page_location
        WHERE e.event_name = 'page_view' AND e.page_location IS NOT NULL AND e.day IS NOT NULL
        GROUP BY ALL
    """, [ctx.import_id, ctx.import_id])
    con.unregister("_ga4_pages")


def _rebuild_traffic(ctx: ImportContext) -> None:
    """``ga4_traffic`` rows for the BigQuery imports, rebuilt from all session fragments: a session is counted
    once, on its first day, with the source of its first fragment, as GA4's reports count it."""
    con = ctx.con
    con.execute(
        "DELETE FROM ga4_traffic WHERE import_id IN (SELECT import_id FROM imports WHERE kind = 'ga4-bigquery')"
    )
    con.execute("""
        INSERT INTO ga4_traffic
        SELECT ?, row_number() OVER (ORDER BY date, source, medium), NULL, NULL, date, source, medium, count(*),
            count(*) FILTER (WHERE engaged), count(*) FILTER (WHERE engaged) / count(*),
            sum(engagement_ms) / 1000.0 / count(*), channel, platform, evidence
        FROM (
            SELECT min(date) AS date, arg_min(source, start_ts) AS source, arg_min(medium, start_ts) AS medium,
                bool_or(engaged) AS engaged, sum(engagement_ms) AS engagement_ms,
                arg_min(channel, start_ts) AS channel, arg_min(platform, start_ts) AS platform,
                arg_min(evidence, start_ts) AS evidence
            FROM ga4_sessions GROUP BY user_pseudo_id, ga_session_id
        )
        GROUP BY date, source, medium, channel, platform, evidence
    """, [ctx.import_id])


def _normalise(page: str) -> str | None:
    try:
        return normalize_url(page)
    except ValueError:
        return None
