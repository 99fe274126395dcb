"""Schema migrations: numbered SQL files applied in order when a warehouse is opened.

A file ``NNNN_name.sql`` is applied once, inside a transaction, and recorded in ``schema_migrations``. Migrations are
never edited after release; a change to the schema is a new file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources

import duckdb

from socialseo.errors import WarehouseError

_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


def available_migrations() -> list[Migration]:
    """The migrations shipped with this version of socialseo, in order."""
    found = []
    for entry in resources.files(__package__).iterdir():
        match = _NAME.match(entry.name)
        if match:
            found.append(Migration(int(match.group(1)), match.group(2), entry.read_text(encoding="utf-8")))
    found.sort(key=lambda m: m.version)
    versions = [m.version for m in found]
    if len(set(versions)) != len(versions):
        raise WarehouseError(f"two migrations share a version number: {versions}")
    return found


def apply_migrations(con: duckdb.DuckDBPyConnection) -> list[int]:
    """Bring the schema up to date; returns the versions applied now."""
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version INTEGER PRIMARY KEY, name VARCHAR NOT NULL,"
        " applied_at TIMESTAMP NOT NULL DEFAULT current_timestamp)"
    )
    done = {int(r[0]) for r in con.execute("SELECT version FROM schema_migrations").fetchall()}
    newest_known = max((m.version for m in available_migrations()), default=0)
    if done and max(done) > newest_known:
        raise WarehouseError(
            f"this warehouse has schema version {max(done)}, newer than this socialseo knows "
            f"({newest_known}): upgrade socialseo"
        )
    applied = []
    for migration in available_migrations():
        if migration.version in done:
            continue
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(migration.sql)
            con.execute(
                "INSERT INTO schema_migrations (version, name) VALUES (?, ?)",
                [migration.version, migration.name],
            )
        except duckdb.Error as exc:
            con.execute("ROLLBACK")
            raise WarehouseError(f"migration {migration.version} ({migration.name}) failed: {exc}") from exc
        con.execute("COMMIT")
        applied.append(migration.version)
    return applied
