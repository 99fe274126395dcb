"""Pull Search Console performance data over its API into ``search_performance``.

The web export stops at 1,000 rows per table; ``searchAnalytics/query`` serves 16 months, up to 25,000 rows a
page (``rowLimit``, ``startRow``). Each day is asked for on its own, as Google recommends for large properties, and
paged until a short page. With ``dataState: all`` the newest days come too, still being processed: the answer's
``metadata.firstIncompleteDate`` says from which day, and those rows are stored with ``is_fresh`` so a later pull
replaces them. The pulled rows are written as API rows (one JSON object a line) and imported by the same reader as
an exported file (:mod:`socialseo.ingest.search_console.importer`), so they are typed, checked and replaced
exactly as exports are.

``search_pulls`` keeps which days were pulled for a property, search type and dimensions, and whether they were
final: an incremental pull asks only for the days not final yet, plus the last three days pulled.
"""

from __future__ import annotations

import json
import os
import random
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

from google.auth import exceptions as auth_exceptions
from google.auth.credentials import Credentials

from socialseo.errors import SocialSeoError
from socialseo.ingest.search_console.appearance import APPEARANCE, appearance_rows, import_appearance
from socialseo.ingest.search_console.google_auth import (
    GoogleApiError,
    Transport,
    api_base,
    credentials_path,
    load_credentials,
)
from socialseo.ingest.search_console.importer import import_search_console
from socialseo.store.warehouse import ImportResult, Warehouse

MAX_ROW_LIMIT = 25_000
MAX_DAYS = 486
"""Search Console keeps 16 months of data."""
REFRESH_DAYS = 3
"""An incremental pull asks again for the last days pulled: Search Console keeps revising them for about that long."""
DIMENSIONS = {"date": "date", "page": "page", "query": "query", "country": "country", "device": "device"}
"""Dimensions stored in ``search_performance``; ``searchAppearance`` goes on its own to ``search_appearance``."""
DEFAULT_DIMENSIONS = ("date", "page", "query")
SEARCH_TYPES = ("web", "image", "video", "news", "discover", "googleNews")
RETRY_STATUS = frozenset({429, 500, 502, 503, 504})
MAX_ATTEMPTS = 5
MAX_PAGES_PER_DAY = 1000
PACIFIC = ZoneInfo("America/Los_Angeles")

Progress = Callable[[int, int], None]


@dataclass
class PullPlan:
    """What one pull asks for; ``days`` are the days requested, in order."""

    site: str
    search_type: str
    dimensions: tuple[str, ...]
    data_state: str
    days: list[date] = field(default_factory=list)


def check_site(site: str) -> str:
    """A Search Console property: ``sc-domain:example.com`` or a URL prefix ending with ``/``."""
    text = site.strip()
    if text.startswith("sc-domain:") and len(text) > len("sc-domain:"):
        return text
    if text.startswith(("http://", "https://")) and "." in text:
        return text if text.endswith("/") else text + "/"
    raise SocialSeoError(
        f"--site {site!r}: not a Search Console property; use sc-domain:example.com (a domain property) or "
        "https://www.example.com/ (a URL-prefix property)"
    )


def check_dimensions(dimensions: Sequence[str] | None) -> tuple[str, ...]:
    names = [d.strip() for d in (dimensions or DEFAULT_DIMENSIONS) if d.strip()]
    if any(d.lower() == "searchappearance" for d in names):
        others = [d for d in names if d.lower() not in ("searchappearance", "date")]
        if others:
            raise SocialSeoError(
                f"--dimensions {','.join(names)}: Search Console does not group searchAppearance with "
                f"{', '.join(others)}; pull --dimensions searchAppearance on its own (stored by day in "
                "search_appearance), and the other dimensions in another pull"
            )
        return ("date", APPEARANCE)
    bad = [d for d in names if d.lower() not in DIMENSIONS]
    if bad:
        raise SocialSeoError(f"--dimensions: unknown {', '.join(bad)}; use {', '.join(DIMENSIONS)}")
    dims = tuple(dict.fromkeys(DIMENSIONS[d.lower()] for d in names))
    # A day is the unit of a pull and of its replacement, so every pull is by date.
    return dims if "date" in dims else ("date", *dims)


def row_limit() -> int:
    """Rows per page: 25,000 (the API's maximum), lowered with ``SOCIALSEO_GSC_ROW_LIMIT``."""
    raw = os.environ.get("SOCIALSEO_GSC_ROW_LIMIT", "").strip()
    if not raw:
        return MAX_ROW_LIMIT
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_ROW_LIMIT:
        raise SocialSeoError(f"SOCIALSEO_GSC_ROW_LIMIT={raw!r}: a whole number from 1 to {MAX_ROW_LIMIT}")
    return int(raw)


def today_pacific() -> date:
    """Search Console's days are Pacific days."""
    return datetime.now(PACIFIC).date()


def plan_days(
    warehouse: Warehouse, plan: PullPlan, start: date | None, end: date | None, incremental: bool
) -> list[date]:
    """The days to ask for: the range, less (when incremental) the days already pulled final, but always the last
    days pulled and any still fresh."""
    last = end or today_pacific()
    first = start or last - timedelta(days=MAX_DAYS - 1)
    if first > last:
        raise SocialSeoError(f"--start {first} is after --end {last}")
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    if not incremental:
        return days
    key = [plan.site, plan.search_type, ",".join(plan.dimensions)]
    pulled = warehouse.con.execute(
        "SELECT date, is_final FROM search_pulls WHERE property = ? AND search_type = ? AND dims = ? ORDER BY date",
        key,
    ).fetchall()
    final = {d for d, is_final in pulled if is_final}
    recent = {d for d, _ in pulled[-REFRESH_DAYS:]}
    if start is None and pulled:
        days = [d for d in days if d >= min(d for d, _ in pulled[-REFRESH_DAYS:])]
    return [d for d in days if d not in final or d in recent]


class SearchAnalyticsClient:
    """``searchAnalytics/query`` for one property: bearer token on every request, bounded retries."""

    def __init__(self, credentials: Credentials, site: str, *, sleep: Callable[[float], None] = time.sleep) -> None:
        self.credentials = credentials
        self.transport = Transport()
        self.url = f"{api_base()}/webmasters/v3/sites/{quote(site, safe='')}/searchAnalytics/query"
        self.sleep = sleep
        self.requests = 0

    def query(self, body: dict[str, Any]) -> dict[str, Any]:
        """One page of rows; 429 and 5xx are retried with exponential backoff (``Retry-After`` honoured)."""
        data = json.dumps(body).encode()
        refreshed = False
        for attempt in range(1, MAX_ATTEMPTS + 1):
            headers = {"Content-Type": "application/json", "Accept": "application/json"}
            try:
                self.credentials.before_request(self.transport, "POST", self.url, headers)
                answer = self.transport(self.url, "POST", data, headers)
            except auth_exceptions.RefreshError as exc:
                raise GoogleApiError(f"the token endpoint refused the credentials ({_auth_reason(exc)})") from None
            except auth_exceptions.TransportError as exc:
                if attempt == MAX_ATTEMPTS:
                    raise GoogleApiError(f"cannot reach the Search Console API: {exc}") from None
                self.sleep(_backoff(attempt, None))
                continue
            self.requests += 1
            if answer.status == 200:
                return _parse(answer.data)
            if answer.status == 401 and not refreshed:
                refreshed = True
                self.credentials.refresh(self.transport)
                continue
            if answer.status in RETRY_STATUS and attempt < MAX_ATTEMPTS:
                self.sleep(_backoff(attempt, answer.headers.get("Retry-After")))
                continue
            raise GoogleApiError(_refusal(answer.status, answer.data))
        raise GoogleApiError(f"the Search Console API kept failing after {MAX_ATTEMPTS} attempts")


def _backoff(attempt: int, retry_after: str | None) -> float:
    if retry_after is not None and retry_after.strip().isdigit():
        return min(float(retry_after.strip()), 120.0)
    return min(2.0 ** (attempt - 1), 32.0) * (0.5 + random.random() / 2)


def _auth_reason(exc: Exception) -> str:
    text = str(exc.args[0]) if exc.args else str(exc)
    return " ".join(text.split())[:200]


def _parse(data: bytes) -> dict[str, Any]:
    try:
        answer = json.loads(data)
    except (UnicodeError, json.JSONDecodeError):
        raise GoogleApiError(
            f"the Search Console API answered with something that is not JSON (starts {data[:40]!r})"
        ) from None
    if not isinstance(answer, dict) or not isinstance(answer.get("rows", []), list):
        raise GoogleApiError("the Search Console API answered without a list of rows: not a searchAnalytics answer")
    return answer


def _refusal(status: int, data: bytes) -> str:
    try:
        error = json.loads(data).get("error", {})
        message = str(error.get("message", "")) if isinstance(error, dict) else str(error)
    except (ValueError, AttributeError):
        message = ""
    hint = {
        401: "the credentials were not accepted",
        403: "the key's account has no access to this property: add its e-mail as a user in Search Console",
        404: "no such property: check --site (sc-domain:example.com or https://www.example.com/)",
    }.get(status, "")
    return "; ".join(p for p in (f"the Search Console API refused the request (HTTP {status})", message, hint) if p)


def _flat_rows(answer: dict[str, Any], dims: tuple[str, ...], day: date) -> list[dict[str, Any]]:
    rows = []
    for row in answer.get("rows", []):
        keys = row.get("keys") if isinstance(row, dict) else None
        if not isinstance(keys, list) or len(keys) != len(dims):
            raise GoogleApiError(
                f"the Search Console API answered for {day} with a row whose keys do not match the dimensions "
                f"{','.join(dims)}: not a searchAnalytics answer"
            )
        flat = dict(zip(dims, keys, strict=True))
        for metric in ("clicks", "impressions", "position"):
            flat[metric] = row.get(metric)
        rows.append(flat)
    return rows


def pull_search_console(
    warehouse: Warehouse,
    site: str,
    start: date | None = None,
    end: date | None = None,
    *,
    credentials: Path | None = None,
    incremental: bool = True,
    dimensions: Sequence[str] | None = None,
    search_type: str = "web",
    data_state: str = "all",
    on_progress: Progress | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> ImportResult:
    """Pull the property ``site`` day by day, store the rows in ``search_performance`` and record the days pulled.

    Nothing is written when any request fails: the rows of all days are imported together at the end.
    """
    if search_type not in SEARCH_TYPES:
        raise SocialSeoError(f"--type {search_type!r}: use one of {', '.join(SEARCH_TYPES)}")
    if data_state not in ("all", "final"):
        raise SocialSeoError(f"--data-state {data_state!r}: use all (with the fresh days) or final")
    plan = PullPlan(check_site(site), search_type, check_dimensions(dimensions), data_state)
    limit = row_limit()
    plan.days = plan_days(warehouse, plan, start, end, incremental)
    span = f"{plan.days[0]} to {plan.days[-1]}" if plan.days else f"{start or ''} to {end or ''}"
    label = f"searchconsole-api {plan.site} {span}"
    if not plan.days:
        return _nothing(label, "every day asked for was pulled before and is final; nothing to pull")
    client = SearchAnalyticsClient(load_credentials(credentials_path(credentials)), plan.site, sleep=sleep)
    rows: list[dict[str, Any]] = []
    first_incomplete: date | None = None
    for done, day in enumerate(plan.days, start=1):
        fresh = _pull_day(client, plan, day, limit, rows)
        if fresh is not None:
            first_incomplete = fresh if first_incomplete is None else min(first_incomplete, fresh)
        if on_progress:
            on_progress(done, len(plan.days))
    if not rows:
        result = _nothing(label, f"Search Console returned no rows for {plan.site} on the {len(plan.days)} days "
                          "asked for: check the property and the dates (data starts about 2 days back)")
        _record_days(warehouse, plan, None, first_incomplete)
        return result
    if APPEARANCE in plan.dimensions:
        result = import_appearance(warehouse, plan.site, plan.search_type, plan.days, rows, label)
    else:
        result = _import_rows(warehouse, plan, rows, label)
    _record_days(warehouse, plan, result.import_id, first_incomplete)
    if first_incomplete is not None:
        result.notes.append(f"days from {first_incomplete} are fresh (still being processed): marked is_fresh, "
                            "pulled again next time")
    result.notes.append(f"{client.requests} requests for {len(plan.days)} days")
    return result


def _pull_day(client: SearchAnalyticsClient, plan: PullPlan, day: date, limit: int,
              rows: list[dict[str, Any]]) -> date | None:
    first_incomplete = None
    start_row = 0
    # searchAppearance is asked for on its own (Search Console groups it with no other dimension); a day at a time,
    # the day is known without grouping by date.
    by_appearance = APPEARANCE in plan.dimensions
    dims = (APPEARANCE,) if by_appearance else plan.dimensions
    for _ in range(MAX_PAGES_PER_DAY):
        answer = client.query({
            "startDate": day.isoformat(), "endDate": day.isoformat(), "dimensions": list(dims),
            "type": plan.search_type, "dataState": plan.data_state, "aggregationType": "auto",
            "rowLimit": limit, "startRow": start_row,
        })
        page = _flat_rows(answer, dims, day)
        if by_appearance:
            rows.extend(appearance_rows(page, day.isoformat()))
        else:
            rows.extend({**r, "search_type": plan.search_type, "property": plan.site} for r in page)
        metadata = answer.get("metadata")
        if isinstance(metadata, dict) and metadata.get("firstIncompleteDate"):
            try:
                first_incomplete = date.fromisoformat(str(metadata["firstIncompleteDate"]))
            except ValueError:
                raise GoogleApiError(
                    f"metadata.firstIncompleteDate {str(metadata['firstIncompleteDate'])[:40]!r} is not a day"
                ) from None
        if len(page) < limit:
            return first_incomplete
        start_row += limit
    raise GoogleApiError(f"{day}: more than {MAX_PAGES_PER_DAY} pages of rows; stopped")


def _import_rows(warehouse: Warehouse, plan: PullPlan, rows: list[dict[str, Any]], label: str) -> ImportResult:
    slug = "".join(c if c.isalnum() else "-" for c in plan.site).strip("-")
    with tempfile.TemporaryDirectory(prefix="socialseo-gsc-") as tmp:
        path = Path(tmp) / f"searchconsole-api_{slug}_{plan.days[0]}_{plan.days[-1]}.jsonl"
        with path.open("w", encoding="utf-8") as out:
            for row in rows:
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
        [result] = import_search_console(warehouse, [path], search_type=plan.search_type)
    result.path = label
    return result


def _record_days(warehouse: Warehouse, plan: PullPlan, import_id: int | None, first_incomplete: date | None) -> None:
    key = [plan.site, plan.search_type, ",".join(plan.dimensions)]
    with warehouse.transaction() as con:
        con.execute(
            "DELETE FROM search_pulls WHERE property = ? AND search_type = ? AND dims = ? AND list_contains(?, date)",
            [*key, plan.days],
        )
        con.executemany(
            "INSERT INTO search_pulls (property, search_type, dims, date, is_final, data_state, import_id, pulled_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, current_timestamp)",
            [[*key, d, plan.data_state == "final" or first_incomplete is None or d < first_incomplete,
              plan.data_state, import_id] for d in plan.days],
        )
        if import_id is not None:
            table = "search_appearance" if APPEARANCE in plan.dimensions else "search_performance"
            con.execute(
                f"UPDATE {table} SET is_fresh = (? IS NOT NULL AND date >= ?) WHERE import_id = ?",
                [first_incomplete, first_incomplete, import_id],
            )


def _nothing(label: str, note: str) -> ImportResult:
    return ImportResult(path=label, kind="gsc", import_id=None, notes=[note])
