"""Write the CSV and JSON files of the demo in fixed formats, byte-for-byte reproducible."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd

from socialseo.demo.backlinks import BACKLINK_COLUMNS
from socialseo.demo.search_console import GSC_COLUMNS


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    """UTF-8, ``\\n`` line ends, no index: the same frame always gives the same bytes."""
    frame.to_csv(path, index=False, lineterminator="\n", encoding="utf-8")


def write_search_console(rows: pd.DataFrame, path: Path) -> None:
    write_csv(rows[list(GSC_COLUMNS)], path)


def write_backlinks(backlinks: pd.DataFrame, path: Path) -> None:
    """Dates as ``YYYY-MM-DD``; an empty ``rel`` is a followed link (no rel attribute)."""
    frame = backlinks[list(BACKLINK_COLUMNS)].copy()
    for column in ("first_seen", "last_seen"):
        frame[column] = frame[column].dt.strftime("%Y-%m-%d")
    write_csv(frame, path)


def write_json(data: dict[str, Any], path: Path) -> None:
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
