"""Time the demo generator at its default size (the demo must stay well under two minutes after install).

There is no peer for a synthetic-site generator, so this prints our own figures only: seconds and lines per second.
"""

from __future__ import annotations

import gzip
import tempfile
import time
from pathlib import Path

from socialseo.demo import generate


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        files = generate(Path(tmp) / "demo")
        elapsed = time.perf_counter() - started
        with gzip.open(files.access_log, "rb") as handle:
            lines = sum(1 for _ in handle)
    print(f"demo generate: {elapsed:.1f} s for {lines:,} log lines ({lines / elapsed:,.0f} lines/s)")


if __name__ == "__main__":
    main()
