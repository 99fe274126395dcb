"""Opening a warehouse file that another process may hold.

DuckDB lets one process at a time hold a file writable, and while any process holds it (even read-only) no other
can open it for writing: the second one fails at once with "Could not set lock on file". The dashboard holds the
file only for the moment it copies it, so a command that meets the lock waits a little and tries again; when the
holder stays, the user gets one line naming it and what to do instead of DuckDB's message.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import duckdb

from socialseo.errors import WarehouseError

LOCK_WAIT_S = 15.0
"""How long to wait for another process to let go of the file: longer than the dashboard's copy of a large file."""
_HOLDER = re.compile(r"Conflicting lock is held in (?P<program>\S+) \(PID (?P<pid>\d+)\)")


def is_lock_conflict(exc: BaseException) -> bool:
    """Whether a DuckDB error says another process holds the file."""
    return "Could not set lock on file" in str(exc)


def lock_message(path: str | Path, exc: BaseException, *, read_only: bool) -> str:
    """One line saying who holds the warehouse and what to do."""
    found = _HOLDER.search(str(exc))
    holder = f"process {found['pid']} ({Path(found['program']).name})" if found else "another process"
    if read_only:
        return (f"warehouse {path} is being written by {holder}: wait for that import to finish, "
                "then run this again")
    return (f"warehouse {path} is held by {holder}: wait for it to finish or stop it, then run this again "
            "(a running `socialseo serve` does not block imports; a notebook or another import does)")


def connect(path: str | Path, *, read_only: bool = False, wait_s: float | None = None) -> duckdb.DuckDBPyConnection:
    """``duckdb.connect`` that waits up to ``wait_s`` (default :data:`LOCK_WAIT_S`) for another process's lock."""
    deadline = time.monotonic() + (LOCK_WAIT_S if wait_s is None else wait_s)
    pause = 0.05
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only)
        except duckdb.Error as exc:
            if not is_lock_conflict(exc):
                raise WarehouseError(f"cannot open warehouse {path}: {str(exc).splitlines()[0]}") from exc
            if time.monotonic() >= deadline:
                raise WarehouseError(lock_message(path, exc, read_only=read_only)) from exc
        time.sleep(pause)
        pause = min(pause * 2, 0.5)
