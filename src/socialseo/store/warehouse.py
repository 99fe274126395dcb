"""The one object that owns the DuckDB connection.

Every stage reads and writes through a :class:`Warehouse`, so that schema changes happen in one place (the
numbered migration files beside this module) and every import obeys the same rules: recorded in the ``imports``
ledger by content hash, done in one transaction, and a no-op when the same bytes were imported before.

Every source imports through :meth:`Warehouse.import_files`: it checks nothing about formats (the sources do that
before they call it), and owns what all imports share: the ledger, one transaction per file, the quarantine, the
stale marks, the per-file callback and byte progress, and the list of :class:`ImportResult` it returns.

Derived tables (``sessions``, ``page_daily``) are rebuilt after an import commits, in a transaction of their own.
So that a process killed between the two cannot leave them stale for good, every import marks the tables it
feeds as stale (``derived_stale``) inside its own transaction; the rebuild removes the marks inside its own, and
whoever opens the warehouse next through :class:`socialseo.api.Project` rebuilds what is still marked.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa

from socialseo.errors import QueryError, WarehouseError
from socialseo.store.connect import connect
from socialseo.store.kill_points import kill_point
from socialseo.store.migrations import apply_migrations

DEFAULT_PATH = Path("socialseo.duckdb")

DERIVED_FROM: dict[str, tuple[str, ...]] = {
    "logs": ("sessions", "page_daily"),
    "posts": ("page_daily",),
    "gsc": ("page_daily",),
    "backlinks": ("page_daily",),
    "pages": ("page_daily",),
    "warc": ("page_daily",),
    "backlinks-parquet": ("page_daily",),
}
"""The derived tables each kind of import feeds: marked stale by the import, cleared by their rebuild."""


@dataclass
class ImportResult:
    """What one file's import did; the CLI prints it, tests assert on it."""

    path: str
    kind: str
    import_id: int | None
    skipped: bool = False
    rows_read: int = 0
    rows_loaded: int = 0
    rows_quarantined: int = 0
    rows_repeated: int = 0
    """Lines that earlier imports had already stored (a rotated, compressed or grown copy): not stored again."""
    notes: list[str] = field(default_factory=list)

    @property
    def message(self) -> str:
        if self.skipped:
            return "; ".join([f"{self.path}: already imported (same content)", *(self.notes or ["nothing changed"])])
        text = (
            f"{self.path}: {self.rows_loaded:,} rows loaded, {self.rows_quarantined:,} quarantined "
            f"of {self.rows_read:,} read"
        )
        if self.rows_repeated:
            text += (f"; {self.rows_repeated:,} lines were already imported (an earlier import stored them) "
                     "and were skipped")
        return "; ".join([text, *self.notes])


@dataclass
class ImportContext:
    """Handed to a loader inside an import transaction."""

    con: duckdb.DuckDBPyConnection
    import_id: int
    path: Path
    result: ImportResult
    kind: str = ""
    hashing: Future[str] | None = None
    options: dict[str, Any] = field(default_factory=dict)
    """What the ledger records of how the file was read; a loader may add what it learns (the layout it found)."""
    on_position: Callable[[int], None] | None = None
    prepared: Any = None
    """What the source's ``prepare`` made of the file before its import began (a parsed export), else None."""

    def progress(self, position: int) -> None:
        """Tell whoever watches the import that the loader has read ``position`` bytes of the file (as stored)."""
        if self.on_position is not None:
            self.on_position(position)

    def check_not_duplicate(self, wait: bool = False) -> None:
        """Raise :class:`AlreadyImportedError` once the file's hash, computed alongside, is known to be imported.

        Without ``wait`` this only looks when the hash is ready, so a loader may call it after every block.
        """
        if self.hashing is None or not (wait or self.hashing.done()):
            return
        sha = self.hashing.result()
        if scalar(self.con, "SELECT count(*) FROM imports WHERE kind = ? AND sha256 = ?", [self.kind, sha]):
            raise AlreadyImportedError(sha)

    def quarantine_from(self, select_sql: str, params: Sequence[object] = ()) -> int:
        """Insert rows ``(line_no, raw, reason)`` produced by ``select_sql`` into the quarantine.

        Returns the number of rows quarantined.
        """
        before = self._quarantined()
        self.con.execute(
            f"INSERT INTO quarantine (import_id, source_file, line_no, raw, reason) "
            f"SELECT ?, ?, q.line_no, q.raw, q.reason FROM ({select_sql}) q",
            [self.import_id, str(self.path), *params],
        )
        added = self._quarantined() - before
        self.result.rows_quarantined += added
        return added

    def quarantine_rows(self, rows: Sequence[tuple[int | None, str | None, str]]) -> int:
        """Insert ``(line_no, raw, reason)`` tuples into the quarantine."""
        if not rows:
            return 0
        _rows = pa.table({
            "line_no": pa.array([r[0] for r in rows], pa.int64()),
            "raw": pa.array([r[1] for r in rows], pa.string()),
            "reason": pa.array([r[2] for r in rows], pa.string()),
        })
        self.con.execute(
            "INSERT INTO quarantine (import_id, source_file, line_no, raw, reason) "
            "SELECT ?, ?, line_no, raw, reason FROM _rows",
            [self.import_id, str(self.path)],
        )
        self.result.rows_quarantined += len(rows)
        return len(rows)

    def _quarantined(self) -> int:
        return int(scalar(self.con, "SELECT count(*) FROM quarantine WHERE import_id = ?", [self.import_id]) or 0)


class AlreadyImportedError(Exception):
    """The file being imported turned out to be bytes already imported: the import is rolled back."""


_HASHER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="socialseo-hash")
"""Hashes files alongside their import; hashlib releases the GIL, so this runs on the second core."""


def scalar(con: duckdb.DuckDBPyConnection, sql: str, params: Sequence[object] = ()) -> Any:
    """The first value of a query's first row, or None.

    Reads the whole result (``fetchall``): after a ``fetchone`` the result stays open on the connection, and this
    DuckDB then refuses the next ``con.register`` of a DataFrame with "ResourceInUse".
    """
    rows = con.execute(sql, list(params)).fetchall()
    return rows[0][0] if rows else None


@contextmanager
def atomic(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """Run a block in one transaction on ``con``: on any exception nothing it wrote remains."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield con
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


def file_sha256(path: Path) -> str:
    """Hash a file in 1 MiB chunks: the identity of an import is its bytes, not its name."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


class Warehouse:
    """An open socialseo warehouse.

    >>> wh = Warehouse(":memory:")
    >>> wh.schema_version() >= 1
    True
    """

    def __init__(self, path: str | Path = DEFAULT_PATH, *, read_only: bool = False) -> None:
        self.path = str(path)
        self.read_only = read_only
        if read_only and self.path != ":memory:" and not Path(self.path).exists():
            raise WarehouseError(f"no warehouse at {self.path}: import some data first (socialseo ingest ...)")
        self.con = connect(self.path, read_only=read_only)
        if not read_only:
            apply_migrations(self.con)

    @classmethod
    def over(cls, con: duckdb.DuckDBPyConnection, path: str | Path = ":memory:") -> Warehouse:
        """A read-only Warehouse over a connection opened elsewhere (a cursor on a copy of the file), unmigrated:
        what reads it must not write, and closing it closes ``con``."""
        warehouse = cls.__new__(cls)
        warehouse.path, warehouse.read_only, warehouse.con = str(path), True, con
        return warehouse

    # -- life cycle ---------------------------------------------------------------------------------------------
    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Warehouse:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def schema_version(self) -> int:
        return int(scalar(self.con, "SELECT coalesce(max(version), 0) FROM schema_migrations") or 0)

    # -- settings -----------------------------------------------------------------------------------------------
    def setting(self, key: str) -> str | None:
        value = scalar(self.con, "SELECT value FROM settings WHERE key = ?", [key])
        return None if value is None else str(value)

    def set_setting(self, key: str, value: str) -> None:
        self.con.execute(
            "INSERT INTO settings VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [key, value],
        )

    def ip_salt(self) -> str:
        """The per-warehouse secret that keys visitor and IP hashes; made once, never leaves the file."""
        salt = self.setting("ip_salt")
        if salt is None:
            salt = secrets.token_hex(16)
            self.set_setting("ip_salt", salt)
        return salt

    def site_hosts(self) -> list[str]:
        return [str(r[0]) for r in self.con.execute("SELECT host FROM sites ORDER BY host").fetchall()]

    def add_site(self, host: str) -> None:
        self.con.execute("INSERT INTO sites (host) VALUES (?) ON CONFLICT DO NOTHING", [host.lower().strip()])

    # -- transactions and imports -------------------------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """Run a block atomically: on any exception nothing it wrote remains."""
        with atomic(self.con) as con:
            yield con

    def already_imported(self, kind: str, sha256: str) -> bool:
        return bool(scalar(self.con, "SELECT count(*) FROM imports WHERE kind = ? AND sha256 = ?", [kind, sha256]))

    def import_files(
        self,
        kind: str,
        paths: Iterable[Path],
        load: Callable[[ImportContext], None],
        *,
        prepare: Callable[[Path], Any] | None = None,
        options: Mapping[str, Any] | Callable[[Path], Mapping[str, Any]] | None = None,
        hash_alongside: bool = False,
        names: Callable[[Path], str] | None = None,
        on_file_done: Callable[[ImportResult], None] | None = None,
        on_progress: Callable[[int, int], None] | None = None,
    ) -> list[ImportResult]:
        """Import each file of ``paths`` as ``kind`` with ``load``; returns one :class:`ImportResult` per file.

        This is the one import loop every source uses. For each file, in order: the bytes are looked up in the
        ``imports`` ledger (an import of the same bytes is skipped, and ``load`` is not called); ``load(ctx)`` runs
        inside one transaction with the ledger row, its quarantine rows and the stale marks of the derived tables
        the kind feeds (:data:`DERIVED_FROM`), so a failure leaves nothing of that file behind; then
        ``on_file_done(result)`` is called. Files before a failing one stay imported.

        ``prepare(path)``, when given, reads and checks a file before its import begins, so a file the source cannot
        read fails in one line before anything is written (and so does a file imported before: a wrong option is
        named, not skipped in silence); what it returns is ``ctx.prepared``.
        ``options`` (a mapping, or a function of the path) goes to the ledger; ``hash_alongside`` hashes large files
        in a thread while ``load`` runs; ``names`` gives the name a result shows for a path (a page fetched into a
        temporary file shows its URL). ``on_progress(done, total)`` counts bytes of all the files as stored on disk,
        advanced by the loader's :meth:`ImportContext.progress` and at the end of every file.
        """
        paths = list(paths) if on_progress is not None else paths
        total = sum(p.stat().st_size for p in paths) if on_progress is not None else 0
        before = 0
        results: list[ImportResult] = []
        for path in paths:
            prepared = prepare(path) if prepare is not None else None
            opts = dict((options(path) if callable(options) else options) or {})
            result = ImportResult(path=names(path) if names else str(path), kind=kind, import_id=None)

            def position(done: int, _before: int = before) -> None:
                if on_progress is not None:
                    on_progress(_before + done, total)

            with self._importing(kind, path, opts, result, hash_alongside, position, prepared) as ctx:
                if ctx is not None:
                    load(ctx)
            if on_progress is not None:  # a skipped file, or a loader that stops short of the end, still counts
                before += path.stat().st_size
                on_progress(before, total)
            results.append(result)
            if on_file_done is not None:
                on_file_done(result)
        return results

    @contextmanager
    def _importing(
        self, kind: str, path: Path, options: dict[str, Any], result: ImportResult, hash_alongside: bool,
        on_position: Callable[[int], None], prepared: Any = None,
    ) -> Iterator[ImportContext | None]:
        """One file's import transaction: yields ``None`` (and marks ``result`` skipped) for bytes imported before.

        The loader's writes, its quarantine rows and the ledger row commit together or not at all.
        With ``hash_alongside`` (for large files) the file is hashed in a thread while the loader runs; when the
        hash shows the bytes were imported before, everything the loader wrote is rolled back and the result
        says skipped. Loaders call :meth:`ImportContext.check_not_duplicate` now and then to stop early.
        """
        hashing: Future[str] | None = None
        if hash_alongside:
            hashing = _HASHER.submit(file_sha256, path)
            sha = None
        else:
            sha = file_sha256(path)
            if self.already_imported(kind, sha):
                result.skipped = True
                yield None
                return
        try:
            with self.transaction() as con:
                import_id = int(scalar(con, "SELECT nextval('import_id_seq')"))
                result.import_id = import_id
                con.execute(
                    "INSERT INTO imports (import_id, kind, path, sha256, size_bytes, started_at, options) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [import_id, kind, result.path, sha or f"pending:{import_id}", path.stat().st_size, _now(),
                     json.dumps(options, default=str)],
                )
                ctx = ImportContext(con=con, import_id=import_id, path=path, result=result, kind=kind,
                                    hashing=hashing, options=options, on_position=on_position,
                                    prepared=prepared)
                yield ctx
                if hashing is not None:
                    ctx.check_not_duplicate(wait=True)
                    sha = hashing.result()
                con.execute(
                    "UPDATE imports SET sha256 = ?, rows_read = ?, rows_loaded = ?, rows_quarantined = ?, "
                    "rows_repeated = ?, finished_at = ?, options = ? WHERE import_id = ?",
                    [sha, result.rows_read, result.rows_loaded, result.rows_quarantined, result.rows_repeated,
                     _now(), json.dumps(ctx.options, default=str), import_id],
                )
                mark_stale(con, DERIVED_FROM.get(kind, ()), import_id)
                kill_point("import-before-commit")
        except AlreadyImportedError:
            fresh = ImportResult(path=result.path, kind=kind, import_id=None, skipped=True)
            result.__dict__.update(fresh.__dict__)
            return
        kill_point("import-committed")

    def stale_tables(self) -> list[str]:
        """Derived tables marked stale: an import fed them and their rebuild has not committed since.

        Empty for a warehouse too old to keep marks (opened read-only, so not migrated).
        """
        known = scalar(
            self.con, "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'main' "
            "AND table_name = 'derived_stale'"
        )
        if not known:
            return []
        return [str(r[0]) for r in self.con.execute("SELECT name FROM derived_stale ORDER BY name").fetchall()]

    def reopen(self, *, read_only: bool) -> None:
        """Close the connection and open the same file again, read-only or not (migrating when writable)."""
        self.con.close()
        self.read_only = read_only
        self.con = connect(self.path, read_only=read_only)
        if not read_only:
            apply_migrations(self.con)

    # -- queries ------------------------------------------------------------------------------------------------
    def sql(self, query: str, params: Sequence[object] | None = None) -> pd.DataFrame:
        """Run a query and return a pandas DataFrame; a bad query raises :class:`QueryError`."""
        try:
            return self.con.execute(query, params or []).df()
        except duckdb.Error as exc:
            raise QueryError(str(exc).splitlines()[0]) from exc

    def count(self, table: str) -> int:
        return int(scalar(self.con, f'SELECT count(*) FROM "{table}"') or 0)

    def tables(self) -> list[str]:
        rows = self.con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' ORDER BY 1"
        ).fetchall()
        return [str(r[0]) for r in rows]

    # -- views for people -----------------------------------------------------------------------------------------
    def quarantine(self) -> pd.DataFrame:
        return self.sql("SELECT * FROM quarantine ORDER BY import_id, line_no")

    def imports(self) -> pd.DataFrame:
        return self.sql("SELECT * FROM imports ORDER BY import_id")


def mark_stale(con: duckdb.DuckDBPyConnection, names: Sequence[str], import_id: int | None = None) -> None:
    """Mark derived tables stale, in the caller's transaction (see the module's docstring)."""
    for name in names:
        con.execute(
            "INSERT INTO derived_stale (name, import_id) VALUES (?, ?) "
            "ON CONFLICT (name) DO UPDATE SET import_id = excluded.import_id",
            [name, import_id],
        )


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)
