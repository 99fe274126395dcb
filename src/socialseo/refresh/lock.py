"""One refresh at a time per warehouse: an exclusive lock on a file beside it.

``flock`` is released by the kernel when the process ends, however it ends, so a refresh killed by cron or the OOM
killer never leaves a stale lock behind; the file's text only says who holds it, for the message.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from socialseo.errors import SocialSeoError


class RefreshRunningError(SocialSeoError):
    """Another refresh of the same warehouse holds the lock."""


@contextmanager
def refresh_lock(path: Path) -> Iterator[None]:
    """Hold ``path`` exclusively for the block, or raise :class:`RefreshRunningError` at once."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = path.open("a+", encoding="utf-8")
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            raise RefreshRunningError(
                f"another refresh is running ({holder}; lock {path}); this one did nothing") from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()} since {datetime.now(UTC):%Y-%m-%d %H:%M:%S} UTC")
        handle.flush()
        yield
    finally:
        handle.close()
