"""Read a (possibly compressed) text file as line-aligned byte blocks, and index the lines of a block with NumPy.

Logs are read in blocks of a few tens of megabytes so memory stays flat however large the file is, and
:func:`prefetched` reads (and, given a splitting generator, splits) the next block in a thread while the
current one is worked on. The general reader (:mod:`socialseo.ingest.logs.general_reader`) indexes each block's
lines with NumPy (byte comparisons, no Python loop per line), which also finds in bulk the lines that need care before a
CSV reader sees them: lines cut off inside a quoted field (an odd number of quotes, which would make any CSV
reader run on into the next line) and blank lines. Lines that are not valid UTF-8 are re-decoded as
Windows-1252 (a superset of Latin-1 in practice), so a latin-1 referrer is kept, not lost.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterator
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import numpy.typing as npt

from socialseo.errors import InputFileError
from socialseo.ingest.decompress import BoundedReader
from socialseo.ingest.limits import current

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


LongLineSink = Callable[[int, bytes, int], None]
"""Told of each line over the line limit: (line number, its first bytes, its length in bytes)."""

_SHOWN = 200


def iter_chunks(
    path: Path, block_bytes: int | None = None, on_long_line: LongLineSink | None = None
) -> Iterator[tuple[bytes, int]]:
    """Yield the file's bytes in blocks of whole lines (about :data:`BLOCK_BYTES`), each ending in a newline, with
    how many bytes of the file (compressed, if it is) have been read by then: the measure of progress.

    A line longer than :attr:`~socialseo.ingest.limits.Limits.max_line_bytes` is never held whole: it is read on
    in blocks and dropped, left as an empty line so the numbers of the lines after it stay true, and reported to
    ``on_long_line`` (or, without one, raised as a :class:`~socialseo.ingest.limits.LimitExceededError`). A
    corrupt or cut compressed stream, or one passing the decompression limits, raises :class:`InputFileError`.
    """
    block_bytes = block_bytes or BLOCK_BYTES
    limits = current()
    max_line = limits.max_line_bytes

    def long_line(number: int, head: bytes, length: int) -> None:
        if on_long_line is None:
            raise limits.exceeded("max_line_bytes", f"{path}: line {number:,} is {length:,} bytes long")
        on_long_line(number, head[:_SHOWN], length)

    lines_before = 0  # lines yielded so far
    rest = b""  # the start of a line not yet ended
    skipping: list[Any] | None = None  # [head, length] of an over-long line being read past
    try:
        with BoundedReader(path, limits) as stream:
            raw = stream.raw
            while True:
                piece = stream.read(block_bytes)
                if not piece:
                    break
                if skipping is not None:
                    end = piece.find(b"\n")
                    if end < 0:
                        skipping[1] += len(piece)
                        continue
                    long_line(lines_before + 1, skipping[0], skipping[1] + end)
                    skipping = None
                    piece = piece[end:]  # the long line is left empty: its newline stays
                cut = piece.rfind(b"\n")
                if cut < 0:
                    rest += piece
                    if len(rest) > max_line:
                        skipping, rest = [rest[:_SHOWN], len(rest)], b""
                    continue
                data = rest + piece[: cut + 1] if rest else piece[: cut + 1]
                rest = piece[cut + 1 :]
                data = _cut_long_lines(data, max_line, lines_before, long_line)
                lines_before += data.count(b"\n")
                yield data, raw.tell()
                if len(rest) > max_line:
                    skipping, rest = [rest[:_SHOWN], len(rest)], b""
    except OSError as exc:
        raise InputFileError(f"{path}: cannot be read ({exc})") from exc
    if skipping is not None:
        long_line(lines_before + 1, skipping[0], skipping[1])
        yield b"\n", path.stat().st_size
    elif rest:
        yield _cut_long_lines(rest + b"\n", max_line, lines_before, long_line), path.stat().st_size


def _cut_long_lines(data: bytes, max_line: int, lines_before: int, long_line: LongLineSink) -> bytes:
    """``data`` with the content of every line over ``max_line`` bytes removed (its newline kept)."""
    if len(data) <= max_line + 1:
        return data
    # A line longer than max_line covers a whole aligned window of max_line // 2 bytes: when every window holds a
    # newline (a few hundred memchr calls a block), no line is too long and the exact search is skipped.
    half = max(1, max_line // 2)
    if all(data.find(b"\n", at, at + half) >= 0 for at in range(0, len(data) - half + 1, half)):
        return data
    newlines = np.flatnonzero(np.frombuffer(data, dtype=np.uint8) == _NL)
    starts = np.concatenate(([0], newlines[:-1] + 1))
    long = np.flatnonzero(newlines - starts > max_line)
    if not len(long):
        return data
    parts, at = [], 0
    for i in long.tolist():
        start, end = int(starts[i]), int(newlines[i])
        long_line(lines_before + i + 1, data[start : start + _SHOWN], end - start)
        parts.append(data[at:start])
        at = end
    parts.append(data[at:])
    return b"".join(parts)


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
