"""The notes a user pins to a day (``socialseo annotate add``), kept in the ``annotations`` table.

Only these are stored: the automatic annotations are computed from the data each time they are shown, so they can
never disagree with it (see :mod:`socialseo.analysis.annotations.automatic`).
"""

from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd

from socialseo.errors import SocialSeoError


class UnknownAnnotationError(SocialSeoError):
    """An annotation id the warehouse does not hold."""


def add_note(con: duckdb.DuckDBPyConnection, day: date, text: str, page: str | None, platform: str | None) -> int:
    """Store one note and return its id. ``page`` is a page key, ``platform`` a checked lower-case name."""
    row = con.execute(
        "INSERT INTO annotations (date, text, page, platform) VALUES (?, ?, ?, ?) RETURNING annotation_id",
        [day, text, page, platform],
    ).fetchone()
    assert row is not None  # INSERT … RETURNING always returns the row it wrote
    return int(row[0])


def remove_note(con: duckdb.DuckDBPyConnection, annotation_id: int) -> dict[str, object]:
    """Delete one note; returns it as it was. An unknown id names the ids there are."""
    found = con.execute(
        "SELECT annotation_id, date, text, page, platform FROM annotations WHERE annotation_id = ?", [annotation_id]
    ).fetchone()
    if found is None:
        ids = [str(r[0]) for r in con.execute(
            "SELECT annotation_id FROM annotations ORDER BY 1 LIMIT 20").fetchall()]
        known = f"your notes have ids {', '.join(ids)}" if ids else "there are no notes of yours yet"
        raise UnknownAnnotationError(
            f"no annotation {annotation_id}; {known} (see socialseo annotate list; automatic annotations come from "
            "the data and cannot be removed)")
    con.execute("DELETE FROM annotations WHERE annotation_id = ?", [annotation_id])
    return dict(zip(("id", "date", "text", "page", "platform"), found, strict=True))


def notes(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every stored note, in the columns every annotation has."""
    return con.execute(
        "SELECT annotation_id AS id, date, 'user' AS source, text, page, platform FROM annotations"
    ).df()
