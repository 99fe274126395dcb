"""Checks every reader makes before it touches the warehouse.

A missing file, an unreadable gzip or a file of the wrong kind must fail with one clear line *before* any
transaction starts, so the warehouse is never touched by a file that cannot be read.
"""

from __future__ import annotations

import gzip
import zlib
from pathlib import Path

from socialseo.errors import InputFileError

_GZIP_MAGIC = b"\x1f\x8b"
_ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"


def compression_of(path: Path) -> str:
    """Return ``gzip``, ``zstd`` or ``none`` from the file's first bytes, not its name."""
    with path.open("rb") as handle:
        head = handle.read(4)
    if head.startswith(_GZIP_MAGIC):
        return "gzip"
    if head == _ZSTD_MAGIC:
        return "zstd"
    return "none"


def check_readable(path: Path) -> Path:
    """Fail with an :class:`InputFileError` unless ``path`` is a readable regular file."""
    if not path.exists():
        raise InputFileError(f"{path}: no such file")
    if path.is_dir():
        raise InputFileError(f"{path}: is a directory; name the files inside it (globs work)")
    try:
        with path.open("rb") as handle:
            handle.read(1)
    except OSError as exc:
        raise InputFileError(f"{path}: cannot be read ({exc.strerror})") from exc
    return path


def head_lines(path: Path, n: int = 20, max_bytes: int = 1 << 20) -> list[str]:
    """The first ``n`` lines, decompressed, for sniffing a format.

    A corrupt gzip stream raises :class:`InputFileError` here, before any import starts.
    """
    kind = compression_of(path)
    try:
        if kind == "gzip":
            with gzip.open(path, "rb") as handle:
                data = handle.read(max_bytes)
        elif kind == "zstd":
            import zstandard

            with path.open("rb") as raw, zstandard.ZstdDecompressor().stream_reader(raw) as handle:
                data = handle.read(max_bytes)
        else:
            with path.open("rb") as handle:
                data = handle.read(max_bytes)
    except (OSError, EOFError, zlib.error) as exc:
        raise InputFileError(f"{path}: compressed data is corrupt ({exc})") from exc
    except Exception as exc:  # zstandard raises its own error type
        raise InputFileError(f"{path}: compressed data is corrupt ({exc})") from exc
    text = data.decode("utf-8", errors="replace")
    return [line for line in text.splitlines()[:n] if line.strip()]

