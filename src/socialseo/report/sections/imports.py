"""The 'data imported' section: what the report rests on, and what could not be read."""

from __future__ import annotations

import duckdb

from socialseo.analysis.filters import Filters
from socialseo.report.sections.base import Section, Table, num
from socialseo.store.warehouse import scalar


def sections(con: duckdb.DuckDBPyConnection, filters: Filters | None = None) -> list[Section]:
    """The import ledger is not narrowed by filters: it describes the whole warehouse."""
    del filters
    imports = con.execute(
        "SELECT kind, path, rows_read, rows_loaded, rows_quarantined, finished_at FROM imports ORDER BY import_id"
    ).fetchall()
    section = Section(
        "data", "Data imported", "the import ledger", bool(imports),
        missing="Nothing has been imported yet: start with `socialseo ingest logs PATH`, `socialseo ingest gsc "
                "PATH` or `socialseo ingest posts PATH`.",
    )
    section.tables.append(
        Table("Imports", ["kind", "file", "rows read", "loaded", "quarantined", "imported at"],
              [[k, p, num(r), num(lo), num(q), str(f)] for k, p, r, lo, q, f in imports])
    )
    quarantined = scalar(con, "SELECT count(*) FROM quarantine") or 0
    if quarantined:
        reasons = con.execute(
            "SELECT reason, count(*) FROM quarantine GROUP BY reason ORDER BY 2 DESC, 1 LIMIT 10"
        ).fetchall()
        section.paragraphs.append(
            f"{quarantined:,} input rows could not be read; they are kept, with file and line, in the quarantine table."
        )
        section.tables.append(Table("Quarantine reasons", ["reason", "rows"], [[r, num(n)] for r, n in reasons]))
    return [section]
