"""Recognise a platform's post export and turn its rows into socialseo's one post schema.

The column mappings are data (``data/post_exports.yaml``); this module finds the header row (exports put report
titles and date ranges above it), picks the mapping whose columns it has, and parses every field with
:mod:`socialseo.ingest.values`. Rows that cannot be read come back as ``(line, raw, reason)`` for the quarantine.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache, partial
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from socialseo.errors import FormatNotRecognisedError, InputFileError
from socialseo.ingest.sheets import Sheet, normalise_header, read_sheets
from socialseo.ingest.values import (
    day_first_hint,
    parse_column,
    parse_count,
    parse_date,
    parse_datetime,
)

COUNT_FIELDS: tuple[str, ...] = (
    "impressions", "reach", "likes", "comments", "shares", "saves", "link_clicks", "video_views", "followers",
    "engagements",
)
TEXT_FIELDS: tuple[str, ...] = ("post_id", "post_url", "account", "text", "linked_url")
FIELDS: tuple[str, ...] = (*TEXT_FIELDS, "published_at", "metric_date", *COUNT_FIELDS)
_HEADER_SCAN = 25


@dataclass(frozen=True)
class ExportMapping:
    """One export layout: field -> the headers that may hold it."""

    key: str
    name: str
    fields: dict[str, tuple[str, ...]]
    required: tuple[str, ...]
    detect: tuple[str, ...] = ()
    timezone: str = "UTC"
    sheet: str | None = None
    skip_values: tuple[str, ...] = ()
    id_from_url: str | None = None
    platform: str | None = None


@cache
def mappings() -> dict[str, ExportMapping]:
    """The platform mappings of ``data/post_exports.yaml`` by platform id."""
    data = resources.files("socialseo.ingest").joinpath("data").joinpath("post_exports.yaml")
    text = data.read_text(encoding="utf-8")
    found = {}
    for key, raw in yaml.safe_load(text)["exports"].items():
        found[key] = _mapping(key, raw)
    return found


def _mapping(key: str, raw: dict[str, Any]) -> ExportMapping:
    fields = {f: tuple(normalise_header(h) for h in (raw["fields"].get(f) or ())) for f in raw["fields"]}
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise ValueError(f"post_exports.yaml {key}: unknown fields {sorted(unknown)}")
    return ExportMapping(
        key=key, name=str(raw.get("name", key)), fields=fields, required=tuple(raw.get("required", ())),
        detect=tuple(normalise_header(h) for h in raw.get("detect", ())), timezone=str(raw.get("timezone", "UTC")),
        sheet=raw.get("sheet"), skip_values=tuple(str(v).lower() for v in raw.get("skip_values", ())),
        id_from_url=raw.get("id_from_url"), platform=key,
    )


def generic_mapping(pairs: list[str], platform: str, timezone: str = "UTC") -> ExportMapping:
    """A mapping from ``column=field`` pairs (``--map "Post URL=post_url"``) for any other export."""
    fields: dict[str, tuple[str, ...]] = {}
    for pair in pairs:
        column, sep, target = pair.rpartition("=")
        target = target.strip()
        if not sep or not column.strip():
            raise InputFileError(f"--map {pair!r}: write it as COLUMN=FIELD")
        if target not in FIELDS:
            raise InputFileError(f"--map {pair!r}: unknown field {target!r}; fields are {', '.join(FIELDS)}")
        fields[target] = (*fields.get(target, ()), normalise_header(column))
    if "post_id" not in fields and "post_url" not in fields:
        raise InputFileError("--map must name the column holding post_id or post_url")
    return ExportMapping("generic", f"generic mapping ({platform})", fields, (), timezone=timezone, platform=platform)


@dataclass
class ParsedExport:
    """An export turned into the post schema (one row per post and metric day) and what could not be read."""

    mapping: ExportMapping
    frame: pd.DataFrame
    rows_read: int
    bad_rows: list[tuple[int | None, str, str]] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)


def _score(header: list[str], mapping: ExportMapping) -> tuple[int, int, list[str]]:
    """(detect columns present, mapped columns present, missing required fields) of a header row."""
    present = set(header)
    missing = [f for f in mapping.required if not set(mapping.fields.get(f, ())) & present]
    mapped = sum(bool(set(headers) & present) for headers in mapping.fields.values())
    return sum(d in present for d in mapping.detect), mapped, missing


def find_layout(sheets: list[Sheet], candidates: list[ExportMapping], path: Path) -> tuple[Sheet, int, ExportMapping]:
    """The sheet, header row index and mapping that fit best; a clear error naming missing columns otherwise."""
    best: tuple[tuple[int, int], Sheet, int, ExportMapping] | None = None
    nearest: tuple[int, ExportMapping, list[str]] | None = None
    for sheet in sheets:
        for index, row in enumerate(sheet.rows[:_HEADER_SCAN]):
            header = [normalise_header(c) for c in row]
            if sum(bool(h) for h in header) < 2:
                continue
            for mapping in candidates:
                detected, mapped, missing = _score(header, mapping)
                if missing:
                    if detected and (nearest is None or mapped > nearest[0]):
                        nearest = (mapped, mapping, missing)
                    continue
                if mapped < 2 or (mapping.detect and not detected):
                    continue
                rank = (detected, mapped)
                if best is None or rank > best[0]:
                    best = (rank, sheet, index, mapping)
    if best is not None:
        return best[1], best[2], best[3]
    if nearest is not None:
        _, mapping, missing = nearest
        wanted = "; ".join(f"{f} (one of: {', '.join(repr(h) for h in mapping.fields.get(f, ()))})" for f in missing)
        raise FormatNotRecognisedError(
            f"{path}: looks like a {mapping.name} export but lacks required columns: {wanted}"
        )
    names = ", ".join(m.key for m in candidates)
    raise FormatNotRecognisedError(
        f"{path}: no header row of a known post export found in the first {_HEADER_SCAN} rows (tried {names}); "
        "pass --platform, or --map COLUMN=FIELD for another layout"
    )


def parse_export(path: Path, candidates: list[ExportMapping], *, timezone: str | None = None) -> ParsedExport:
    """Read ``path`` and map it with the best of ``candidates``."""
    sheets = read_sheets(path, prefer_sheet=next((m.sheet for m in candidates if m.sheet), None))
    if not any(any(str(c).strip() for c in row) for s in sheets for row in s.rows):
        raise InputFileError(f"{path}: file is empty")
    sheet, header_index, mapping = find_layout(sheets, candidates, path)
    header = [normalise_header(c) for c in sheet.rows[header_index]]
    body = sheet.rows[header_index + 1 :]
    lines = sheet.line_numbers[header_index + 1 :]
    width = len(header)
    keep = [i for i, row in enumerate(body) if any(str(c).strip() for c in row)]
    if mapping.skip_values:
        keep = [i for i in keep if str(body[i][0]).strip().lower() not in mapping.skip_values]
    if not keep:
        raise InputFileError(f"{path}: a {mapping.name} header (line {sheet.line_numbers[header_index]}) but no rows "
                             "below it; nothing to import (export a period that has posts)")
    raw = pd.DataFrame([(list(body[i]) + [""] * width)[:width] for i in keep], columns=range(width), dtype=object)
    line_no = pd.Series([lines[i] for i in keep], dtype="int64")
    used: set[int] = set()
    frame = pd.DataFrame(index=raw.index)
    for name in FIELDS:
        column = next((header.index(h) for h in mapping.fields.get(name, ()) if h in header), None)
        if column is not None:
            used.add(column)
        frame[name] = raw[column] if column is not None else None
    ignored = [header[i] for i in range(width) if i not in used and header[i]]
    parsed = _typed(path, mapping, frame, raw, line_no, timezone or mapping.timezone, ignored)
    parsed.bad_rows[:0] = sheet.rejected  # rows the reader could not take whole (a field over the limit)
    parsed.rows_read += len(sheet.rejected)
    return parsed


def _typed(
    path: Path, mapping: ExportMapping, frame: pd.DataFrame, raw: pd.DataFrame, line_no: pd.Series,
    tz: str, ignored: list[str],
) -> ParsedExport:
    errors = pd.Series([None] * len(frame), index=frame.index, dtype=object)

    def note(field_name: str, errs: pd.Series) -> None:
        bad = errs.notna() & errors.isna()
        errors[bad] = field_name + ": " + errs[bad].astype(str)

    for name in TEXT_FIELDS:
        frame[name] = frame[name].map(lambda v: None if v is None or str(v).strip() == "" else str(v).strip())
    if mapping.id_from_url:
        derived = frame["post_url"].str.extract(mapping.id_from_url, expand=False)
        frame["post_id"] = frame["post_id"].fillna(derived)
    if frame["post_url"].notna().any():
        relative = frame["post_url"].str.startswith("/", na=False)
        if relative.any() and mapping.platform == "reddit":
            frame.loc[relative, "post_url"] = "https://www.reddit.com" + frame.loc[relative, "post_url"]
    frame["post_id"] = frame["post_id"].fillna(frame["post_url"])
    note("post_id", frame["post_id"].map(lambda v: "missing" if v is None or v != v else None))
    day_first = day_first_hint(frame["published_at"].dropna().tolist())
    read_time = partial(parse_datetime, tz=tz, day_first=day_first)
    frame["published_at"], errs = parse_column(frame["published_at"], read_time)
    note("published_at", errs)
    metric_day_first = day_first_hint(frame["metric_date"].dropna().tolist())
    frame["metric_date"], errs = parse_column(frame["metric_date"], partial(parse_date, day_first=metric_day_first))
    note("metric_date", errs)
    for name in COUNT_FIELDS:
        frame[name], errs = parse_column(frame[name], parse_count)
        note(name, errs)
    frame["line_no"] = line_no
    # The same post and day twice in one file: the later row is quarantined as a duplicate, not summed.
    # (pandas keeps None as missing through astype(str), hence the explicit map)
    key = frame["post_id"].map(str) + "|" + frame["metric_date"].map(str)
    first_line = line_no.groupby(key).transform("min")
    duplicate = key.duplicated(keep="first") & errors.isna()
    errors[duplicate] = "duplicate of line " + first_line[duplicate].astype(str)
    bad = errors.notna()
    raw_text = raw.map(str).agg(",".join, axis=1)
    bad_rows: list[tuple[int | None, str, str]] = [
        (int(n), str(r), str(e)) for n, r, e in zip(line_no[bad], raw_text[bad], errors[bad], strict=True)
    ]
    good = frame.loc[~bad].reset_index(drop=True)
    good["platform"] = mapping.platform
    return ParsedExport(mapping, good, rows_read=len(frame), bad_rows=bad_rows, ignored_columns=ignored)


def platform_candidates(platform: str) -> list[ExportMapping]:
    """The mappings to try for ``--platform`` (``auto``: all of them)."""
    known = mappings()
    if platform == "auto":
        return list(known.values())
    if platform not in known:
        raise InputFileError(f"unknown platform {platform!r}; use auto or one of {', '.join(known)}")
    return [known[platform]]
