"""Read a (possibly compressed) text file as line-aligned byte blocks, and index the lines of a block with NumPy.

Logs are read in blocks of a few tens of megabytes so memory stays flat however large the file is, and
:func:`prefetched` reads (and, given a splitting generator, splits) the next block in a thread while the
current one is worked on. The general reader (:mod:`socialseo.ingest.logparse`) indexes each block's lines with
NumPy (byte comparisons, no Python loop per line), which also finds in bulk the lines that need care before a
CSV reader sees them: lines cut off inside a quoted field (an odd number of quotes, which would make any CSV
reader run on into the next line) and blank lines. Lines that are not valid UTF-8 are re-decoded as
Windows-1252 (a superset of Latin-1 in practice), so a latin-1 referrer is kept, not lost.
"""

from __future__ import annotations

import gzip
import queue
import threading
import zlib
from collections.abc import Iterator
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, TypeVar

import numpy as np
import numpy.typing as npt

from socialseo.errors import InputFileError
from socialseo.ingest.sources import compression_of

BLOCK_BYTES = 24 << 20
"""Bytes per block: large enough that per-block overhead vanishes, small enough that memory stays flat."""

_NL, _QUOTE, _BACKSLASH, _CR = 10, 34, 92, 13
T = TypeVar("T")


@dataclass
class Block:
    """Whole lines of a file: ``data`` holds them; ``first_line`` is the 1-based number of the first."""

    data: bytes
    first_line: int
    starts: npt.NDArray[np.int64]
    ends: npt.NDArray[np.int64]

    @property
    def n_lines(self) -> int:
        return len(self.starts)

    def line(self, i: int) -> bytes:
        return self.data[int(self.starts[i]) : int(self.ends[i])]

    def text(self, i: int) -> str:
        return decode_line(self.line(i))


def decode_line(raw: bytes) -> str:
    """UTF-8 when it is; otherwise Windows-1252 with undefined bytes kept as Latin-1, never an error."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace").replace("\ufffd", "?")


def _open(path: Path) -> tuple[IO[bytes], IO[bytes]]:
    """The decompressed stream and the raw file under it (whose position tells how far the reading has got)."""
    raw = path.open("rb")
    kind = compression_of(path)
    if kind == "gzip":
        return gzip.GzipFile(fileobj=raw, mode="rb"), raw  # type: ignore[return-value]
    if kind == "zstd":
        import zstandard

        return zstandard.ZstdDecompressor().stream_reader(raw, read_across_frames=True), raw  # type: ignore[return-value]
    return raw, raw


def iter_chunks(path: Path, block_bytes: int | None = None) -> Iterator[tuple[bytes, int]]:
    """Yield the file's bytes in blocks of whole lines (about :data:`BLOCK_BYTES`), each ending in a newline, with
    how many bytes of the file (compressed, if it is) have been read by then: the measure of progress.

    A corrupt compressed stream raises :class:`InputFileError`.
    """
    block_bytes = block_bytes or BLOCK_BYTES
    rest = b""
    try:
        stream, raw = _open(path)
        with raw, stream:
            while True:
                piece = stream.read(block_bytes)
                if not piece:
                    break
                cut = piece.rfind(b"\n")
                if cut < 0:
                    rest += piece
                    continue
                yield (rest + piece[: cut + 1] if rest else piece[: cut + 1]), raw.tell()
                rest = piece[cut + 1 :]
    except (OSError, EOFError, zlib.error) as exc:
        raise InputFileError(f"{path}: compressed data is corrupt or cut short ({exc})") from exc
    except InputFileError:
        raise
    except Exception as exc:
        if type(exc).__module__.startswith("zstandard"):
            raise InputFileError(f"{path}: compressed data is corrupt ({exc})") from exc
        raise
    if rest:
        yield rest + b"\n", path.stat().st_size


def prefetched(chunks: Iterator[T], depth: int = 1) -> Iterator[T]:
    """Run ``chunks`` in a thread, ``depth`` items ahead: reading and decompressing (which release the GIL)
    overlap the work on the previous block. Errors are raised in the consumer; memory holds ``depth + 2`` items.
    """
    items: queue.Queue[tuple[str, Any]] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def produce() -> None:
        try:
            for item in chunks:
                if stop.is_set():
                    return
                items.put(("item", item))
            items.put(("end", None))
        except BaseException as exc:  # handed to the consumer, which raises it
            items.put(("error", exc))
        finally:
            close = getattr(chunks, "close", None)
            if close is not None:  # a generator stopped early runs its own cleanup here, in its own thread
                close()

    worker = threading.Thread(target=produce, name="socialseo-reader", daemon=True)
    worker.start()
    try:
        while True:
            kind, value = items.get()
            if kind == "end":
                return
            if kind == "error":
                raise value
            yield value
    finally:
        stop.set()
        with suppress(queue.Empty):
            while True:
                items.get_nowait()
        worker.join(timeout=5)


def index_lines(data: bytes, first_line: int) -> Block:
    """Line starts and ends (without the newline or a trailing CR) of ``data``, which ends with a newline."""
    arr = np.frombuffer(data, dtype=np.uint8)
    newlines = np.flatnonzero(arr == _NL)
    starts = np.empty(len(newlines), dtype=np.int64)
    starts[0:1] = 0
    starts[1:] = newlines[:-1] + 1
    ends = newlines.astype(np.int64)
    has_cr = (ends > starts) & (arr[np.maximum(ends - 1, 0)] == _CR)
    ends = ends - has_cr
    return Block(data, first_line, starts, ends)


def quote_counts(block: Block) -> npt.NDArray[np.int64]:
    """Unescaped double quotes per line (``\\"`` and ``\\\\`` are escapes, as Apache and Nginx write them)."""
    arr = np.frombuffer(block.data, dtype=np.uint8)
    quotes = np.flatnonzero(arr == _QUOTE)
    if len(quotes):
        # A quote preceded by an odd run of backslashes is escaped. Runs longer than one are rare: handle the
        # common case in bulk and look at the rest one by one.
        prev = arr[np.maximum(quotes - 1, 0)] == _BACKSLASH
        prev[quotes == 0] = False
        double = prev & (arr[np.maximum(quotes - 2, 0)] == _BACKSLASH) & (quotes >= 2)
        escaped = prev & ~double
        for q in quotes[double].tolist():
            run = 0
            while q - run - 1 >= 0 and arr[q - run - 1] == _BACKSLASH:
                run += 1
            escaped[np.searchsorted(quotes, q)] = run % 2 == 1
        quotes = quotes[~escaped]
    line_of = np.searchsorted(block.ends, quotes, side="left")
    return np.bincount(line_of, minlength=block.n_lines)[: block.n_lines].astype(np.int64)


def invalid_utf8_lines(block: Block) -> list[int]:
    """Indexes of lines that are not valid UTF-8.

    Only lines holding a byte above 0x7F can be invalid; NumPy finds those, and each is tried with the C decoder.
    """
    arr = np.frombuffer(block.data, dtype=np.uint8)
    high = np.flatnonzero(arr >= 0x80)
    if not len(high):
        return []
    candidates = np.unique(np.searchsorted(block.ends, high, side="left"))
    view = memoryview(block.data)
    bad = []
    for i in candidates.tolist():
        try:
            str(view[int(block.starts[i]) : int(block.ends[i])], "utf-8")
        except UnicodeDecodeError:
            bad.append(i)
    return bad
