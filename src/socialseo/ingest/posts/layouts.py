"""Recognise a platform's post export and turn its rows into socialseo's one post schema.

The column mappings are data (``data/post_exports.yaml``); this module finds the header row (exports put report
titles and date ranges above it), picks the mapping whose columns it has, and parses every field with
:mod:`socialseo.ingest._values`. Rows that cannot be read come back as ``(line, raw, reason)`` for the quarantine.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache, partial
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from socialseo.errors import FormatNotRecognisedError, InputFileError
from socialseo.ingest._sheets import Sheet, normalise_header, read_sheets, table_spans
from socialseo.ingest._values import (
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
# Fields whose headers are alternatives filled in turn (Meta writes a post's text in Title or Description): the
# first non-empty cell wins, so no column of them is dropped.
_COALESCED = frozenset(TEXT_FIELDS)
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
    has_text: bool = True


@cache
def _layouts_file() -> dict[str, Any]:
    data = resources.files("socialseo.ingest").joinpath("data").joinpath("post_exports.yaml")
    loaded: dict[str, Any] = yaml.safe_load(data.read_text(encoding="utf-8"))
    return loaded


@cache
def mappings() -> dict[str, ExportMapping]:
    """The layouts of ``data/post_exports.yaml`` by layout id (``facebook``, ``linkedin_member``...)."""
    return {key: _mapping(key, raw) for key, raw in _layouts_file()["exports"].items()}


@cache
def link_columns() -> frozenset[str]:
    """Headers of any layout whose cells are searched for links (``link_columns`` of the layouts file)."""
    return frozenset(normalise_header(h) for h in _layouts_file().get("link_columns") or ())


def _mapping(key: str, raw: dict[str, Any]) -> ExportMapping:
    fields = {f: tuple(normalise_header(h) for h in (raw["fields"].get(f) or ())) for f in raw["fields"]}
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise ValueError(f"post_exports.yaml {key}: unknown fields {sorted(unknown)}")
    return ExportMapping(
        key=key, name=str(raw.get("name", key)), fields=fields, required=tuple(raw.get("required", ())),
        detect=tuple(normalise_header(h) for h in raw.get("detect", ())), timezone=str(raw.get("timezone", "UTC")),
        sheet=raw.get("sheet"), skip_values=tuple(str(v).lower() for v in raw.get("skip_values", ())),
        id_from_url=raw.get("id_from_url"), platform=str(raw.get("platform", key)),
        has_text=bool(fields.get("text") or fields.get("linked_url")),
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
    notes: list[str] = field(default_factory=list)
    """What the reader has to say about the file beyond its rows (a repository's account, records not read)."""


def _score(header: list[str], mapping: ExportMapping) -> tuple[int, int, list[str]]:
    """(detect columns present, mapped columns present, missing required fields) of a header row."""
    present = set(header)
    missing = [f for f in mapping.required if not set(mapping.fields.get(f, ())) & present]
    mapped = sum(bool(set(headers) & present) for headers in mapping.fields.values())
    return sum(d in present for d in mapping.detect), mapped, missing


def _fits(header: list[str], mapping: ExportMapping) -> bool:
    _, mapped, missing = _score(header, mapping)
    return not missing and mapped >= 2


def _tables(header: list[str]) -> list[tuple[int, int]]:
    """The tables of a header row: side by side when the row repeats a header across empty columns."""
    named = [h for h in header if h]
    if len(set(named)) < len(named):
        spans = [span for span in table_spans(header) if span[1] - span[0] >= 2]
        if len(spans) > 1:
            return spans
    return [(0, len(header))]


@dataclass(frozen=True)
class Layout:
    """Where an export's table is: the sheet, its header row, the column range of each table, the mapping."""

    sheet: Sheet
    header_index: int
    spans: tuple[tuple[int, int], ...]
    mapping: ExportMapping


def _shown(header: list[object]) -> str:
    return ", ".join(repr(str(h).strip()) for h in header if str(h).strip())


def find_layout(
    sheets: list[Sheet], candidates: list[ExportMapping], path: Path, *, forced: bool = False
) -> Layout:
    """The sheet, header row, tables and mapping that fit best; a clear error naming missing columns otherwise.

    Unless ``forced`` (the user named the platform or layout), a layout is taken only with confidence: a header
    holding two of the columns one field may come from (one would be dropped) is refused, naming both.
    """
    best: tuple[tuple[int, int], Sheet, int, tuple[int, int], ExportMapping] | None = None
    nearest: tuple[int, ExportMapping, list[str], list[object]] | None = None
    for sheet in sheets:
        for index, row in enumerate(sheet.rows[:_HEADER_SCAN]):
            header = [normalise_header(c) for c in row]
            if sum(bool(h) for h in header) < 2:
                continue
            for span in _tables(header):
                part = header[span[0] : span[1]]
                for mapping in candidates:
                    detected, mapped, missing = _score(part, mapping)
                    if missing:
                        if (detected or forced) and (nearest is None or mapped > nearest[0]):
                            nearest = (mapped, mapping, missing, row)
                        continue
                    if mapped < 2 or (mapping.detect and not detected and not forced):
                        continue
                    rank = (detected, mapped)
                    if best is None or rank > best[0]:
                        best = (rank, sheet, index, span, mapping)
    if best is not None:
        _, sheet, index, span, mapping = best
        header = [normalise_header(c) for c in sheet.rows[index]]
        spans = tuple(s for s in _tables(header) if s == span or _fits(header[s[0] : s[1]], mapping))
        if not forced:
            _check_nothing_dropped(path, mapping, header, spans, sheet.rows[index])
        return Layout(sheet, index, spans, mapping)
    if nearest is not None:
        _, mapping, missing, row = nearest
        wanted = "; ".join(f"{f} (one of: {', '.join(repr(h) for h in mapping.fields.get(f, ()))})" for f in missing)
        raise FormatNotRecognisedError(
            f"{path}: looks like a {mapping.name} export but lacks required columns: {wanted}. "
            f"Header seen: {_shown(row)}. Name the columns with --platform {mapping.platform} "
            "--map COLUMN=FIELD (repeat for each field)"
        )
    names = ", ".join(m.key for m in candidates)
    raise FormatNotRecognisedError(
        f"{path}: no header row of a known post export found in the first {_HEADER_SCAN} rows (tried {names}); "
        "pass --platform, or --map COLUMN=FIELD for another layout"
    )


def _check_nothing_dropped(
    path: Path, mapping: ExportMapping, header: list[str], spans: tuple[tuple[int, int], ...], row: list[object]
) -> None:
    """Refuse a layout under which a column it defines would be dropped: two columns for one number."""
    for start, end in spans:
        present = set(header[start:end])
        for name, headers in mapping.fields.items():
            both = [h for h in headers if h in present]
            if name not in _COALESCED and len(both) > 1:
                raise FormatNotRecognisedError(
                    f"{path}: read as {mapping.name}, columns {' and '.join(repr(h) for h in both)} would both be "
                    f"{name} and one would be dropped. Header seen: {_shown(row)}. Pass --layout {mapping.key} to "
                    f"read it anyway (the first is used), or --platform {mapping.platform} --map COLUMN=FIELD"
                )


def parse_export(
    path: Path, candidates: list[ExportMapping], *, timezone: str | None = None, sheet: str | None = None,
    forced: bool = False,
) -> ParsedExport:
    """Read ``path`` (only its sheet ``sheet`` when given) and map it with the best of ``candidates``."""
    sheets = read_sheets(path, prefer_sheet=next((m.sheet for m in candidates if m.sheet), None), sheet=sheet)
    if not any(any(str(c).strip() for c in row) for s in sheets for row in s.rows):
        raise InputFileError(f"{path}: file is empty")
    layout = find_layout(sheets, candidates, path, forced=forced)
    mapping = layout.mapping
    header = [normalise_header(c) for c in layout.sheet.rows[layout.header_index]]
    body = layout.sheet.rows[layout.header_index + 1 :]
    lines = layout.sheet.line_numbers[layout.header_index + 1 :]
    parts = [_table(header, body, lines, span, mapping) for span in layout.spans]
    frame, raw, line_no = _merged(parts) if len(parts) > 1 else parts[0][:3]
    used = set().union(*(p[3] for p in parts))
    ignored = [h for i, h in enumerate(header) if i not in used and h]
    if frame.empty:
        over = f" ({len(layout.sheet.rejected)} with a field over the limit)" if layout.sheet.rejected else ""
        raise InputFileError(
            f"{path}: a {mapping.name} header (line {layout.sheet.line_numbers[layout.header_index]}) but no readable "
            f"rows below it{over}; nothing to import (export a period that has posts)"
        )
    parsed = _typed(path, mapping, frame, raw, line_no, timezone or mapping.timezone, ignored)
    parsed.bad_rows[:0] = layout.sheet.rejected  # rows the reader could not take whole (a field over the limit)
    parsed.rows_read += len(layout.sheet.rejected)
    return parsed


def _table(
    header: list[str], body: list[list[object]], lines: list[int], span: tuple[int, int], mapping: ExportMapping
) -> tuple[pd.DataFrame, pd.DataFrame, pd.Series, set[int]]:
    """One table's rows as fields (and the ``link_cells`` of each row), its raw cells, line numbers, used columns."""
    start, end = span
    part = header[start:end]
    width = len(part)
    rows = [(list(r[start:end]) + [""] * width)[:width] for r in body]
    keep = [i for i, row in enumerate(rows) if any(str(c).strip() for c in row)]
    if mapping.skip_values:
        keep = [i for i in keep if str(rows[i][0]).strip().lower() not in mapping.skip_values]
    kept = [rows[i] for i in keep]
    # One 2-D block: a frame made from rows builds a column at a time, seconds for a header of 10,000 commas.
    raw = pd.DataFrame(np.array(kept, dtype=object).reshape(len(kept), width), columns=range(width), dtype=object)
    line_no = pd.Series([lines[i] for i in keep], dtype="int64")
    used: set[int] = set()
    # The fields are gathered as lists and made a frame once: a pandas column insert per field costs more than
    # the rows of a typical export.
    fields: dict[str, list[object]] = {}
    for name in FIELDS:
        columns = [part.index(h) for h in mapping.fields.get(name, ()) if h in part]
        used.update(columns[: None if name in _COALESCED else 1])
        if not columns:
            fields[name] = [None] * len(kept)
        elif name in _COALESCED and len(columns) > 1:
            fields[name] = [next((row[c] for c in columns if _filled(row[c])), None) for row in kept]
        else:
            fields[name] = [row[columns[0]] for row in kept]
    frame = pd.DataFrame(fields, index=raw.index, columns=list(FIELDS), dtype=object)
    # Every text-bearing column is searched for links: the layout's link and text columns first, then any other
    # column the layouts file lists (a caption, a description the layout does not store).
    own = {part.index(h) for h in mapping.fields.get("post_url", ()) if h in part}
    ordered = [part.index(h) for f in ("linked_url", "text") for h in mapping.fields.get(f, ()) if h in part]
    ordered += [i for i, h in enumerate(part) if h in link_columns() and i not in ordered and i not in own]
    used.update(ordered)
    # Row-wise DataFrame.agg is a Python loop with pandas overhead per row: the plain loop is many times faster.
    frame["link_cells"] = pd.Series([tuple("" if row[c] is None else str(row[c]) for c in ordered) for row in kept],
                                    index=raw.index, dtype=object)
    return frame, raw, line_no, {start + i for i in used}


def _filled(value: object) -> bool:
    return value is not None and str(value).strip() != ""


def _merged(
    parts: list[tuple[pd.DataFrame, pd.DataFrame, pd.Series, set[int]]],
) -> tuple[pd.DataFrame, pd.DataFrame, pd.Series]:
    """Tables side by side describe the same posts: one row per post, each field from the first table having it."""
    frames = []
    for frame, raw, line_no, _ in parts:
        frames.append(frame.assign(_line=line_no, _raw=raw.map(str).agg(",".join, axis=1) if len(raw) else None))
    rows = pd.concat(frames, ignore_index=True)
    key = rows["post_id"].fillna(rows["post_url"]).fillna(rows["_line"].astype(str))
    merged = rows.groupby(key, sort=False).first().reset_index(drop=True)
    merged["link_cells"] = merged["link_cells"].map(lambda v: v if isinstance(v, tuple) else ())
    line_no = merged.pop("_line").astype("int64")
    raw = merged.pop("_raw").to_frame(0)
    return merged, raw, line_no


def _typed(
    path: Path, mapping: ExportMapping, frame: pd.DataFrame, raw: pd.DataFrame, line_no: pd.Series,
    tz: str, ignored: list[str],
) -> ParsedExport:
    # Each row's first error, kept in a list: a pandas assignment per field costs more than the rows themselves.
    first_error: list[str | None] = [None] * len(frame)

    def note(field_name: str, errs: pd.Series) -> None:
        for k, err in enumerate(errs.tolist()):
            if err is not None and err == err and first_error[k] is None:
                first_error[k] = f"{field_name}: {err}"

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
    # A post without its day cannot be placed on any page's timeline: quarantined, not stored undated.
    note("published_at", frame["published_at"].map(lambda v: "missing: the post has no readable publish date"
                                                     if v is None or v != v else None))
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
    errors = pd.Series(first_error, index=frame.index, dtype=object)
    duplicate = key.duplicated(keep="first") & errors.isna()
    if duplicate.any():
        errors[duplicate] = "duplicate of line " + first_line[duplicate].astype(str)
    bad = errors.notna()
    raw_text = pd.Series([",".join(map(str, row)) for row in raw.to_numpy(dtype=object).tolist()],
                         index=raw.index, dtype=object)
    bad_rows: list[tuple[int | None, str, str]] = [
        (int(n), str(r), str(e)) for n, r, e in zip(line_no[bad], raw_text[bad], errors[bad], strict=True)
    ]
    good = frame.loc[~bad].reset_index(drop=True)
    good["platform"] = mapping.platform
    return ParsedExport(mapping, good, rows_read=len(frame), bad_rows=bad_rows, ignored_columns=ignored)


def platform_candidates(platform: str, layout: str | None = None) -> list[ExportMapping]:
    """The layouts to try for ``--platform`` (``auto``: all of them) or the one ``--layout`` names."""
    known = mappings()
    if layout:
        if layout not in known:
            raise InputFileError(f"unknown layout {layout!r}; layouts are {', '.join(known)}")
        return [known[layout]]
    if platform == "auto":
        return list(known.values())
    found = [m for m in known.values() if m.platform == platform]
    if not found:
        platforms = sorted({str(m.platform) for m in known.values()})
        raise InputFileError(f"unknown platform {platform!r}; use auto or one of {', '.join(platforms)}")
    return found
