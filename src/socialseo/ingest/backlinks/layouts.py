"""Which backlink export a header is, and which of its columns feed which field, or a refusal that says why.

The layouts are the column mappings of ``data/backlink_exports.yaml``. A header is read as the layout that finds
the most fields in it, but only when that reading is *confident*: a column that another layout would read as a
field (``Anchor Text``, ``Link Type``), or a column named like anchor text, must not be silently dropped. When it
would be, the import is refused with the header seen and the ``--map COLUMN=FIELD`` that would keep the column,
because a backlink inventory without its anchors looks complete and is not. ``--layout NAME`` accepts a layout's
reading as it is; ``--map`` adds or overrides single columns, and alone is enough for a layout no tool writes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml

from socialseo.errors import FormatNotRecognisedError, InputFileError

FIELDS = ("source", "target", "anchor", "rel", "nofollow", "ugc", "sponsored", "first_seen", "last_seen", "lost")
CUSTOM = "custom"
"""The name of a layout made only of ``--map`` columns."""


@dataclass(frozen=True)
class ExportFormat:
    name: str
    columns: dict[str, tuple[str, ...]]

    @property
    def required(self) -> tuple[str, ...]:
        # Search Console's links export is per target page and names no target column; a --map layout may take
        # its target from --target too.
        return ("source",) if self.name in ("gsc", CUSTOM) else ("source", "target")

    def found(self, header: Sequence[str]) -> dict[str, str]:
        """field -> the header's own column name, for every field whose spelling is in the header."""
        by_key = {_key(h): h for h in header}
        found: dict[str, str] = {}
        for name, spellings in self.columns.items():
            match = next((by_key[_key(s)] for s in spellings if _key(s) in by_key), None)
            if match is not None:
                found[name] = match
        return found

    def resolve(self, header: Sequence[str]) -> dict[str, str] | None:
        """field -> column, or None when a required column is missing."""
        found = self.found(header)
        return found if all(r in found for r in self.required) else None


@dataclass(frozen=True)
class Layout:
    """The reading of one header: the layout's name and field -> column of the file."""

    name: str
    mapping: dict[str, str]



def _shown(header: Sequence[str]) -> str:
    """A header for a one-line message: each cell's whitespace (a quoted cell may hold line breaks) collapsed."""
    return ", ".join(" ".join(str(cell).split()) for cell in header)

def _key(column: str) -> str:
    return column.strip().lstrip("\ufeff").lower()


@cache
def export_formats() -> tuple[ExportFormat, ...]:
    text = resources.files("socialseo").joinpath("ingest/data/backlink_exports.yaml").read_text(encoding="utf-8")
    raw = yaml.safe_load(text)["formats"]
    return tuple(
        ExportFormat(str(name), {str(k): tuple(str(s) for s in v) for k, v in spec.items() if k in FIELDS})
        for name, spec in raw.items()
    )


@cache
def _known_spellings() -> dict[str, str]:
    """Every column spelling any layout reads -> its field."""
    return {_key(s): field for fmt in export_formats() for field, spellings in fmt.columns.items() for s in spellings}


def parse_column_map(pairs: Sequence[str] | None, header: Sequence[str]) -> dict[str, str]:
    """``COLUMN=FIELD`` pairs -> field -> the header's column; a column not in the header or an unknown field is a
    one-line error naming what is there."""
    by_key = {_key(h): h for h in header}
    mapping: dict[str, str] = {}
    for pair in pairs or []:
        column, sep, field = pair.rpartition("=")
        field = field.strip().lower()
        if not sep or not column.strip():
            raise InputFileError(f"--map {pair!r}: expected COLUMN=FIELD, e.g. --map 'Anchor Text=anchor'")
        if field not in FIELDS:
            raise InputFileError(f"--map {pair!r}: unknown field {field!r}; fields: {', '.join(FIELDS)}")
        if _key(column) not in by_key:
            raise InputFileError(f"--map {pair!r}: no column {column.strip()!r} in the header ({_shown(header)})")
        mapping[field] = by_key[_key(column)]
    return mapping


def detect_layout(
    header: Sequence[str], path: object = "file", *, layout: str | None = None, column_map: Sequence[str] | None = None
) -> Layout:
    """The layout of ``header``: forced by name, detected (most fields found; ties: the earlier layout) and checked
    for dropped columns, and completed or overridden by ``--map`` pairs."""
    extra = parse_column_map(column_map, header)
    if layout is not None:
        return _forced(header, path, layout, extra)
    fits = [(fmt, mapping) for fmt in export_formats() if (mapping := fmt.resolve(header)) is not None]
    if fits:
        fmt, mapping = max(fits, key=lambda fit: len(fit[1]))  # max keeps the first of equals
        chosen = Layout(fmt.name, {**mapping, **extra})
    elif "source" in extra:  # no tool's layout: the --map columns alone (the target may come from --target)
        chosen = Layout(CUSTOM, extra)
    else:
        raise FormatNotRecognisedError(_unknown(header, path, extra))
    dropped = _dropped(header, chosen.mapping)
    if dropped:
        maps = " ".join(f"--map '{column}={field}'" for column, field in dropped)
        raise FormatNotRecognisedError(
            f"{path}: header ({_shown(header)}) reads as {chosen.name} but would drop "
            f"{', '.join(repr(c) for c, _ in dropped)}; to keep {'it' if len(dropped) == 1 else 'them'} add {maps} "
            f"(or pass --layout {chosen.name} to accept the {chosen.name} reading as it is)"
        )
    return chosen


def _forced(header: Sequence[str], path: object, name: str, extra: dict[str, str]) -> Layout:
    by_name = {fmt.name: fmt for fmt in export_formats()}
    if name == CUSTOM:
        fmt = ExportFormat(CUSTOM, {})
    elif name in by_name:
        fmt = by_name[name]
    else:
        raise InputFileError(f"--layout {name!r}: unknown; layouts: {', '.join([*by_name, CUSTOM])}")
    mapping = {**fmt.found(header), **extra}
    missing = [r for r in fmt.required if r not in mapping]
    if missing:
        raise FormatNotRecognisedError(
            f"{path}: --layout {name} needs the {' and '.join(missing)} column(s), not in the header "
            f"({_shown(header)}); add --map COLUMN={missing[0]}"
        )
    return Layout(fmt.name, mapping)


def _dropped(header: Sequence[str], mapping: dict[str, str]) -> list[tuple[str, str]]:
    """(column, field) for each column that names a field the reading leaves unmapped: a spelling another layout
    reads, or any column named like anchor text."""
    used = {_key(c) for c in mapping.values()}
    known = _known_spellings()
    dropped = []
    for column in header:
        key = _key(column)
        if key in used:
            continue
        field = known.get(key) or ("anchor" if "anchor" in key else None)
        if field is not None and field not in mapping:
            dropped.append((column.strip(), field))
    return dropped


def _unknown(header: Sequence[str], path: object, extra: dict[str, str]) -> str:
    expected = "; ".join(
        f"{fmt.name}: {' + '.join(repr(fmt.columns[f][0]) for f in ('source', 'target') if f in fmt.columns)}"
        for fmt in export_formats()
    )
    return (
        f"{path}: not a backlink export socialseo knows (header: {_shown(header[:12])}). Expected columns: "
        f"{expected}; or name the columns with --map COLUMN=source --map COLUMN=target [--map COLUMN=anchor ...]"
    )
