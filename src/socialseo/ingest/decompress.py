"""Read a plain, gzip or zstd file as a stream of bytes that cannot run away, and that knows when it was cut short.

``gzip.open`` and ``zstandard``'s stream reader trust the file: a 1 MB gzip can decompress to a gigabyte, and a
zstd stream cut in the middle of a frame simply ends, as if the file had been shorter. Here every gzip member and
zstd frame is inflated with a bound on the output of each step, counted against :mod:`socialseo.ingest.limits`
(bytes per member, in total, and the compression ratio), and a member or frame that never reaches its end is
reported as a truncated or corrupt compressed file.
"""

from __future__ import annotations

import zlib
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from socialseo.errors import InputFileError
from socialseo.ingest.limits import Limits, current

GZIP_MAGIC = b"\x1f\x8b"
ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
_READ = 256 << 10
_STEP_OUT = 8 << 20  # most bytes one inflate step may produce
_MIN_ZSTD_IN = 1 << 10


def compression_of(path: Path) -> str:
    """Return ``gzip``, ``zstd`` or ``none`` from the file's first bytes, not its name."""
    with path.open("rb") as handle:
        head = handle.read(4)
    if head.startswith(GZIP_MAGIC):
        return "gzip"
    if head == ZSTD_MAGIC:
        return "zstd"
    return "none"


def corrupt(path: Path, detail: str) -> InputFileError:
    return InputFileError(f"{path}: truncated or corrupt compressed file ({detail})")


class BoundedReader:
    """``read(n)`` over the decompressed bytes of ``path``; ``raw`` is the file, its position the progress made.

    Use as a context manager. Raises :class:`InputFileError` for a truncated or corrupt stream and
    :class:`~socialseo.ingest.limits.LimitExceededError` when a limit is passed.
    """

    def __init__(self, path: Path, limits: Limits | None = None) -> None:
        self.path = path
        self.limits = limits or current()
        self.kind = compression_of(path)
        self.raw: IO[bytes] = path.open("rb")
        self.total_out = 0
        self._member_out = 0
        self._pending = b""  # compressed input not yet given to the decompressor
        self._in_member = False
        self._inflater: Any = None
        self._eof = False
        self._zstd_in = 64 << 10

    def __enter__(self) -> BoundedReader:
        return self

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        self.raw.close()

    def read(self, size: int) -> bytes:
        """Up to ``size`` decompressed bytes; ``b""`` at the end of the file."""
        if self.kind == "none":
            data = self.raw.read(size)
            self.total_out += len(data)
            return data
        pieces: list[bytes] = []
        wanted = size
        while wanted > 0 and not self._eof:
            piece = self._step(min(wanted, _STEP_OUT))
            if piece:
                pieces.append(piece)
                wanted -= len(piece)
                self._count(len(piece))
        return b"".join(pieces)

    # -- one inflate step ---------------------------------------------------------------------------------------
    def _step(self, max_out: int) -> bytes:
        if not self._pending:
            self._pending = self.raw.read(_READ)
            if not self._pending:
                if self._in_member:
                    out = self._inflate_gzip(max_out) if self.kind == "gzip" else b""
                    if out or not self._in_member:
                        return out
                    raise corrupt(self.path, "the last member ends early")
                self._eof = True
                return b""
        if not self._in_member:
            self._pending = self._pending.lstrip(b"\x00")  # gzip allows zero padding between members
            if not self._pending:
                return b""
            self._start_member()
        return self._inflate_gzip(max_out) if self.kind == "gzip" else self._inflate_zstd()

    def _start_member(self) -> None:
        magic = GZIP_MAGIC if self.kind == "gzip" else ZSTD_MAGIC
        if len(self._pending) < len(magic):
            self._pending += self.raw.read(_READ)
        if not self._pending.startswith(magic):
            raise corrupt(self.path, f"data after the last member is not {self.kind}")
        if self.kind == "gzip":
            self._inflater = zlib.decompressobj(wbits=31)
        else:
            import zstandard

            self._inflater = zstandard.ZstdDecompressor().decompressobj()
        self._in_member = True
        self._member_out = 0

    def _inflate_gzip(self, max_out: int) -> bytes:
        try:
            out: bytes = self._inflater.decompress(self._pending, max_out)
        except zlib.error as exc:
            raise corrupt(self.path, str(exc)) from exc
        if self._inflater.eof:
            self._pending = self._inflater.unused_data
            self._in_member = False
        else:
            self._pending = self._inflater.unconsumed_tail
        return out

    def _inflate_zstd(self) -> bytes:
        # zstd's decompressor object has no output bound: give it little input when the data compresses well.
        take = self._zstd_in
        chunk, self._pending = self._pending[:take], self._pending[take:]
        try:
            out: bytes = self._inflater.decompress(chunk)
        except Exception as exc:  # zstandard.ZstdError
            raise corrupt(self.path, str(exc)) from exc
        ratio = len(out) / max(len(chunk), 1)
        self._zstd_in = max(_MIN_ZSTD_IN, min(_READ, int(_STEP_OUT / max(ratio, 1.0))))
        if self._inflater.eof:
            self._pending = self._inflater.unused_data + self._pending
            self._in_member = False
        return out

    def _count(self, n: int) -> None:
        limits = self.limits
        self._member_out += n
        self.total_out += n
        if self._member_out > limits.max_member_bytes:
            raise limits.exceeded("max_member_bytes", f"{self.path}: one compressed member decompresses")
        if self.total_out > limits.max_total_bytes:
            raise limits.exceeded("max_total_bytes", f"{self.path}: decompressed size")
        if self.total_out > limits.ratio_after_bytes:
            ratio = self.total_out / max(self.raw.tell() - len(self._pending), 1)
            if ratio > limits.max_ratio:
                raise limits.exceeded(
                    "max_ratio", f"{self.path}: decompresses to {ratio:,.0f} times its size (a compression bomb?)"
                )
