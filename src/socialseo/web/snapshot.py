"""The dashboard serves a private copy of the warehouse, so imports run while it is up.

DuckDB lets a process that holds a warehouse file, even read-only, keep every writer out: with the file held open
by the dashboard each ``socialseo ingest`` failed with "Could not set lock on file". Opening read-only per request
does not work either, because a read-only open fails while an import holds the file, and a section build that
reads for seconds would in turn keep imports out. So the dashboard opens the file read-only only for the moment it
copies it (DuckDB's own shared lock keeps writers out of a half-copied file, and imports wait that moment out), and
answers from the copy. When the warehouse file changes, the next request takes a fresh copy; while an import still
holds the file, pages keep answering from the last copy and say how old it is.
"""

from __future__ import annotations

import shutil
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from socialseo.errors import WarehouseError
from socialseo.store.connect import connect, is_lock_conflict, lock_message
from socialseo.web.cache import Builder, SectionCache

Stamp = tuple[int, int, int]


def _stamp(path: Path) -> Stamp:
    """What changes when a writer commits: modification time, size and inode of the file."""
    st = path.stat()
    return (st.st_mtime_ns, st.st_size, st.st_ino)


@dataclass
class Snapshot:
    """One copy of the warehouse, its connection and the sections computed from it."""

    generation: int
    path: Path
    con: duckdb.DuckDBPyConnection
    stamp: Stamp
    taken_at: datetime
    sections: SectionCache
    users: int = 0
    retired: bool = False
    _closed: bool = field(default=False, repr=False)

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self.con.close()
            for suffix in ("", ".wal"):
                Path(str(self.path) + suffix).unlink(missing_ok=True)


class Snapshots:
    """The warehouse at ``source`` as the dashboard sees it: the latest copy, renewed when the file changes."""

    def __init__(self, source: str | Path, *, builder: Builder | None = None,
                 on_refresh: Callable[[Snapshot], None] | None = None) -> None:
        self.source = Path(source)
        if not self.source.exists():
            raise WarehouseError(f"no warehouse at {self.source}: import some data first (socialseo ingest ...)")
        self._builder = builder
        self._dir = Path(tempfile.mkdtemp(prefix="socialseo-serve-"))
        self._guard = threading.Lock()  # held only to swap or count users, never while copying or querying
        self._refreshing = threading.Lock()
        self.on_refresh = on_refresh
        self.behind: str | None = None
        """Why the copy may be older than the file (an import holds it), or None."""
        self._current = self._take(1, wait_s=None)

    @property
    def current(self) -> Snapshot:
        return self._current

    def _take(self, generation: int, *, wait_s: float | None) -> Snapshot:
        """Copy the warehouse under DuckDB's shared lock and open the copy read-only."""
        target = self._dir / f"warehouse-{generation}.duckdb"
        holder = connect(self.source, read_only=True, wait_s=wait_s)
        try:
            stamp = _stamp(self.source)
            shutil.copyfile(self.source, target)
            wal = Path(str(self.source) + ".wal")
            if wal.exists():  # left by a writer that stopped without a checkpoint: part of the data
                shutil.copyfile(wal, str(target) + ".wal")
        finally:
            holder.close()
        con = duckdb.connect(str(target), read_only=True)
        return Snapshot(generation, target, con, stamp, datetime.now(UTC), SectionCache(builder=self._builder))

    def refresh(self) -> Snapshot:
        """A fresh copy when the file changed since the last one; else, or while a writer holds it, the last."""
        current = self._current
        try:
            changed = _stamp(self.source) != current.stamp
        except OSError:
            self.behind = f"the warehouse file {self.source} is gone; showing the copy taken {_ago(current)}"
            return current
        if not changed:
            self.behind = None
            return current
        if not self._refreshing.acquire(blocking=False):
            return current  # another request is taking the copy: answer from the last one meanwhile
        try:
            try:
                fresh = self._take(current.generation + 1, wait_s=0)
            except WarehouseError as exc:
                cause = exc.__cause__
                self.behind = (lock_message(self.source, cause, read_only=True) if cause and is_lock_conflict(cause)
                               else str(exc)) + f"; showing the copy taken {_ago(current)}"
                return current
            with self._guard:
                old, self._current = self._current, fresh
                old.retired = True
                if old.users == 0:
                    old.close()
            self.behind = None
        finally:
            self._refreshing.release()
        if self.on_refresh is not None:
            self.on_refresh(fresh)
        return fresh

    @contextmanager
    def using(self) -> Iterator[Snapshot]:
        """The newest copy, kept open until the block ends even if a newer one replaces it meanwhile."""
        self.refresh()
        with self._guard:
            snapshot = self._current
            snapshot.users += 1
        try:
            yield snapshot
        finally:
            with self._guard:
                snapshot.users -= 1
                if snapshot.retired and snapshot.users == 0:
                    snapshot.close()

    def close(self) -> None:
        with self._guard:
            self._current.close()
        shutil.rmtree(self._dir, ignore_errors=True)


def _ago(snapshot: Snapshot) -> str:
    return f"at {snapshot.taken_at:%Y-%m-%d %H:%M:%S} UTC"
