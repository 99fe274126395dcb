"""``socialseo ingest ga4-bigquery``: GA4's events_* export (https://support.google.com/analytics/answer/7029846),
as ``bq extract`` writes it in Parquet and in newline-delimited JSON, read into sessions with their channel."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from socialseo.cli import main

T0 = 1_772_400_000_000_000  # 2026-03-01T21:20:00Z, in microseconds as GA4 records event_timestamp
VALUE = pa.struct([("string_value", pa.string()), ("int_value", pa.int64()), ("float_value", pa.float64()),
                   ("double_value", pa.float64())])
CAMPAIGN = pa.struct([("campaign_name", pa.string()), ("source", pa.string()), ("medium", pa.string())])
SCHEMA = pa.schema([
    ("event_date", pa.string()), ("event_timestamp", pa.int64()), ("event_name", pa.string()),
    ("event_params", pa.list_(pa.struct([("key", pa.string()), ("value", VALUE)]))),
    ("user_pseudo_id", pa.string()),
    ("traffic_source", pa.struct([("name", pa.string()), ("medium", pa.string()), ("source", pa.string())])),
    ("collected_traffic_source", pa.struct([("manual_campaign_name", pa.string()), ("manual_source", pa.string()),
                                            ("manual_medium", pa.string()), ("gclid", pa.string())])),
    ("session_traffic_source_last_click", pa.struct([
        ("manual_campaign", CAMPAIGN),
        ("cross_channel_campaign", pa.struct([("campaign_name", pa.string()), ("source", pa.string()),
                                              ("medium", pa.string()), ("default_channel_group", pa.string())])),
    ])),
])


def param(key: str, value: str | int) -> dict[str, Any]:
    typed = {"string_value": value} if isinstance(value, str) else {"int_value": value}
    return {"key": key, "value": {"string_value": None, "int_value": None, "float_value": None,
                                  "double_value": None, **typed}}


def event(user: str, session: int | None, name: str, seconds: int, *, page: str | None = None,
          last_click: tuple[str, str, str] | None = None, collected: tuple[str, str] | None = None,
          first_user: tuple[str, str] = ("google", "organic"), engaged: bool = False) -> dict[str, Any]:
    params = [param("ga_session_id", session)] if session is not None else []
    params += [param("page_location", page)] if page else []
    params += [param("session_engaged", "1")] if engaged else []
    params += [param("engagement_time_msec", 4000)]
    source, medium, group = last_click or (None, None, None)
    return {
        "event_date": "20260301", "event_timestamp": T0 + seconds * 1_000_000, "event_name": name,
        "event_params": params, "user_pseudo_id": user,
        "traffic_source": {"name": "(organic)", "medium": first_user[1], "source": first_user[0]},
        "collected_traffic_source": ({"manual_campaign_name": None, "manual_source": collected[0],
                                      "manual_medium": collected[1], "gclid": None} if collected else None),
        "session_traffic_source_last_click": ({
            "manual_campaign": {"campaign_name": "(referral)", "source": source, "medium": medium},
            "cross_channel_campaign": {"campaign_name": "(referral)", "source": source, "medium": medium,
                                       "default_channel_group": group},
        } if last_click else None),
    }


EVENTS = [
    event("u1.1", 111, "session_start", 0, page="https://www.example.com/blog/a?fbclid=x",
          last_click=("m.facebook.com", "referral", "Organic Social")),
    event("u1.1", 111, "page_view", 1, page="https://www.example.com/blog/a?fbclid=x",
          last_click=("m.facebook.com", "referral", "Organic Social"), engaged=True),
    event("u1.1", 111, "page_view", 60, page="https://www.example.com/pricing",
          last_click=("m.facebook.com", "referral", "Organic Social"), engaged=True),
    event("u2.2", 222, "page_view", 5, page="https://www.example.com/",
          last_click=("google", "organic", "Organic Search")),
    event("u3.3", 333, "page_view", 9, page="https://www.example.com/blog/a", collected=("linkedin", "social")),
    event("u4.4", 444, "page_view", 12, page="https://www.example.com/pricing",
          last_click=("(direct)", "(none)", "Direct")),
    event("u5.5", None, "page_view", 15, page="https://www.example.com/"),
]


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def write_parquet(path: Path, events: list[dict[str, Any]]) -> Path:
    pq.write_table(pa.Table.from_pylist(events, schema=SCHEMA), path)
    return path


def write_ndjson(path: Path, events: list[dict[str, Any]]) -> Path:
    """As BigQuery writes JSON: INT64 as strings, NULL fields left out."""
    def bq(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: bq(v) for k, v in value.items() if v is not None}
        if isinstance(value, list):
            return [bq(v) for v in value]
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value
    path.write_text("".join(json.dumps(bq(e)) + "\n" for e in events))
    return path


def _avro_type(t: pa.DataType, name: str) -> Any:
    if pa.types.is_struct(t):
        return {"type": "record", "name": name, "fields": [
            {"name": f.name, "type": ["null", _avro_type(f.type, f"{name}_{f.name}")], "default": None} for f in t]}
    if pa.types.is_list(t):
        return {"type": "array", "items": _avro_type(t.value_type, f"{name}_item")}
    return {pa.string(): "string", pa.int64(): "long", pa.float64(): "double"}[t]


def write_avro(path: Path, events: list[dict[str, Any]]) -> Path:
    """As ``bq extract --destination_format AVRO`` writes it: every field a union with null."""
    import fastavro

    schema = fastavro.parse_schema(_avro_type(pa.struct(list(SCHEMA)), "events"))
    with path.open("wb") as handle:
        fastavro.writer(handle, schema, events)
    return path


def sql(db: Path, query: str, capsys: pytest.CaptureFixture[str]) -> list[dict[str, Any]]:
    code, out, err = run(["sql", query, "--db", str(db), "--json"], capsys)
    assert code == 0, err
    return list(json.loads(out))


@pytest.mark.parametrize("writer, name", [(write_parquet, "events_20260301-000000000000.parquet"),
                                          (write_ndjson, "events_20260301-000000000000.json"),
                                          (write_avro, "events_20260301-000000000000.avro")])
def test_sessions_get_their_source_and_socialseo_channel(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], writer: Any, name: str
) -> None:
    db = tmp_path / "w.duckdb"
    path = writer(tmp_path / name, EVENTS)
    code, out, err = run(["ingest", "ga4-bigquery", str(path), "--db", str(db)], capsys)
    assert code == 0, err
    assert "6 rows loaded, 1 quarantined of 7 read" in out and "4 sessions" in out
    sessions = sql(db, "SELECT user_pseudo_id, ga_session_id, source, medium, source_field, ga4_channel, channel, "
                       "platform, landing_page, page_views, engaged FROM ga4_sessions ORDER BY 1", capsys)
    assert sessions == [
        {"user_pseudo_id": "u1.1", "ga_session_id": 111, "source": "m.facebook.com", "medium": "referral",
         "source_field": "last_click", "ga4_channel": "Organic Social", "channel": "social", "platform": "facebook",
         "landing_page": "https://www.example.com/blog/a?fbclid=x", "page_views": 2, "engaged": True},
        {"user_pseudo_id": "u2.2", "ga_session_id": 222, "source": "google", "medium": "organic",
         "source_field": "last_click", "ga4_channel": "Organic Search", "channel": "organic_search",
         "platform": "google", "landing_page": "https://www.example.com/", "page_views": 1, "engaged": False},
        {"user_pseudo_id": "u3.3", "ga_session_id": 333, "source": "linkedin", "medium": "social",
         "source_field": "collected", "ga4_channel": None, "channel": "social", "platform": "linkedin",
         "landing_page": "https://www.example.com/blog/a", "page_views": 1, "engaged": False},
        {"user_pseudo_id": "u4.4", "ga_session_id": 444, "source": "(direct)", "medium": "(none)",
         "source_field": "last_click", "ga4_channel": "Direct", "channel": "direct", "platform": None,
         "landing_page": "https://www.example.com/pricing", "page_views": 1, "engaged": False},
    ]
    traffic = sql(db, "SELECT channel, platform, sum(sessions) AS sessions, sum(engaged_sessions) AS engaged "
                      "FROM ga4_traffic GROUP BY ALL ORDER BY 1, 2", capsys)
    assert traffic == [
        {"channel": "direct", "platform": None, "sessions": 1, "engaged": 0},
        {"channel": "organic_search", "platform": "google", "sessions": 1, "engaged": 0},
        {"channel": "social", "platform": "facebook", "sessions": 1, "engaged": 1},
        {"channel": "social", "platform": "linkedin", "sessions": 1, "engaged": 0},
    ]
    views = sql(db, "SELECT page_url, channel, sum(views) AS views FROM ga4_page_views "
                    "WHERE channel = 'social' GROUP BY ALL ORDER BY 1, 3", capsys)
    assert views == [
        {"page_url": "https://www.example.com/blog/a", "channel": "social", "views": 2},
        {"page_url": "https://www.example.com/pricing", "channel": "social", "views": 1},
    ]
    quarantined = sql(db, "SELECT reason FROM quarantine", capsys)
    assert quarantined == [{"reason": "no ga_session_id event parameter"}]


def test_a_session_split_over_two_files_counts_once(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "w.duckdb"
    first = write_parquet(tmp_path / "events-000.parquet", EVENTS[:2])
    second = write_ndjson(tmp_path / "events-001.json", EVENTS[2:4])
    code, _, err = run(["ingest", "ga4-bigquery", str(first), str(second), "--db", str(db)], capsys)
    assert code == 0, err
    traffic = sql(db, "SELECT channel, platform, sum(sessions) AS n FROM ga4_traffic GROUP BY ALL ORDER BY 1", capsys)
    assert traffic == [{"channel": "organic_search", "platform": "google", "n": 1},
                       {"channel": "social", "platform": "facebook", "n": 1}]


def test_broken_avro_and_other_files_are_refused_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "w.duckdb"
    avro = tmp_path / "events.avro"
    avro.write_bytes(b"Obj\x01\x04\x14avro.codec")
    code, _, err = run(["ingest", "ga4-bigquery", str(avro), "--db", str(db)], capsys)
    assert code == 2 and "not a readable Avro file" in err and len(err.strip().splitlines()) == 1
    other = tmp_path / "other.parquet"
    pq.write_table(pa.table({"a": [1]}), other)
    code, _, err = run(["ingest", "ga4-bigquery", str(other), "--db", str(db)], capsys)
    assert code == 2 and "not a GA4 events_* export (no event_date" in err
    assert sql(db, "SELECT count(*) AS n FROM imports", capsys) == [{"n": 0}]


def test_a_json_line_beyond_the_line_limit_is_refused_naming_the_limit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOCIALSEO_MAX_LINE_BYTES", "200")
    path = write_ndjson(tmp_path / "events.json", EVENTS)
    code, _, err = run(["ingest", "ga4-bigquery", str(path), "--db", str(tmp_path / "w.duckdb")], capsys)
    assert code == 2 and "set SOCIALSEO_MAX_LINE_BYTES to raise it" in err
