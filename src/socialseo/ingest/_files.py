"""Checks every reader makes before it touches the warehouse, and the bounded ways to read a file's text.

A missing file, an unreadable gzip or a file of the wrong kind must fail with one clear line *before* any
transaction starts, so the warehouse is never touched by a file that cannot be read. Binary input is named for
what it is (a zip, a gzip, ...) and shown escaped and cut, never printed raw.
"""

from __future__ import annotations

import codecs
from pathlib import Path

from socialseo.errors import InputFileError
from socialseo.ingest.decompress import BoundedReader, compression_of
from socialseo.ingest.limits import current, shown

__all__ = [
    "binary_kind",
    "check_nonempty",
    "check_readable",
    "check_text",
    "compression_of",
    "head_lines",
    "read_whole",
    "utf8_copy",
]

_MAGIC = (
    (b"PK\x03\x04", "a zip archive (or an XLSX workbook)"),
    (b"PK\x05\x06", "an empty zip archive"),
    (b"\x1f\x8b", "a gzip-compressed file"),
    (b"\x28\xb5\x2f\xfd", "a zstd-compressed file"),
    (b"%PDF", "a PDF document"),
    (b"PAR1", "a Parquet file"),
    (b"\xd0\xcf\x11\xe0", "an old Excel/Office (.xls) file"),
    (b"BZh", "a bzip2-compressed file"),
    (b"\xfd7zXZ", "an xz-compressed file"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
)
_TEXT_BOMS = (b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf")
_CONTROL = bytes(b for b in range(32) if b not in (9, 10, 12, 13, 27))


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


def check_nonempty(path: Path) -> Path:
    """Fail unless ``path`` is readable and holds at least one byte."""
    check_readable(path)
    if path.stat().st_size == 0:
        raise InputFileError(f"{path}: file is empty")
    return path


def binary_kind(head: bytes) -> str | None:
    """What a file starting with ``head`` is when it is not text (``"a zip archive"``...), else None."""
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    if head.startswith(_TEXT_BOMS):
        return None
    sample = head[:4096]
    if b"\x00" in sample or (sample and len(sample) - len(sample.translate(None, _CONTROL)) > len(sample) // 20):
        return "binary data"
    return None


def check_text(path: Path, expected: str) -> Path:
    """Fail with one line unless ``path`` is a non-empty text file (``expected`` names the kind, for the message)."""
    check_nonempty(path)
    with path.open("rb") as handle:
        head = handle.read(4096)
    kind = binary_kind(head)
    if kind is not None:
        raise InputFileError(f"{path}: {kind}, not {expected} (starts {shown(head)})")
    return path


def head_lines(path: Path, n: int = 20, max_bytes: int = 1 << 20) -> list[str]:
    """The first ``n`` non-blank lines, decompressed, for sniffing a format.

    A corrupt or cut compressed stream and a compression bomb raise :class:`InputFileError` here, before any
    import starts.
    """
    with BoundedReader(path) as reader:
        data = reader.read(max_bytes)
    text = data.decode("utf-8", errors="replace")
    return [line for line in text.splitlines()[:n] if line.strip()]


def read_whole(path: Path) -> bytes:
    """All of a file meant for spreadsheets (posts, ranks, GA4...), refused with one line when it is larger than
    :attr:`~socialseo.ingest.limits.Limits.max_whole_file_bytes` or empty."""
    check_nonempty(path)
    limits = current()
    if path.stat().st_size > limits.max_whole_file_bytes:
        raise limits.exceeded("max_whole_file_bytes", f"{path}: {path.stat().st_size:,} bytes, read whole")
    return path.read_bytes()


def utf8_copy(path: Path, tmp: Path) -> Path:
    """``path`` itself when it is UTF-8 (with or without a BOM), else a UTF-8 copy in ``tmp``.

    DuckDB's CSV reader reads UTF-8 only. UTF-16 (Excel, Ahrefs) is known by its BOM; any other encoding is
    guessed by charset-normalizer from the file's first megabyte (Windows-1252 when it cannot tell), and the copy
    is written block by block so memory stays flat.
    """
    with path.open("rb") as handle:
        head = handle.read(1 << 20)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16"
    elif _is_utf8(path):
        return path
    else:
        encoding = _guess_encoding(head)
    copy = tmp / (path.name + ".utf8.csv")
    decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
    with path.open("rb") as source, copy.open("w", encoding="utf-8", newline="") as target:
        while block := source.read(8 << 20):
            target.write(decoder.decode(block))
        target.write(decoder.decode(b"", final=True))
    return copy


def _is_utf8(path: Path) -> bool:
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        with path.open("rb") as handle:
            while block := handle.read(8 << 20):
                decoder.decode(block)
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _guess_encoding(sample: bytes) -> str:
    """charset-normalizer's guess, except that Windows-1252 wins whenever it reads the sample as cleanly.

    On a short sample many single-byte code pages fit equally well (``crème`` is as clean in Windows-1250 as in
    Windows-1252); exports from spreadsheets in Western locales are far the most common, so the tie goes to them.
    """
    from charset_normalizer import from_bytes

    matches = list(from_bytes(sample))
    if not matches:
        return "cp1252"
    best = matches[0]
    western = ("cp1252", "latin_1", "iso8859_1", "iso8859_15", "ascii")
    if any(m.encoding in western and m.chaos <= best.chaos + 0.05 for m in matches):
        return "cp1252"
    return str(best.encoding)
