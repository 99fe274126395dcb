"""Lines too long for DuckDB's CSV reader, found before it reads them and set aside for the quarantine.

DuckDB rejects such a line, but when it holds many delimiters around a non-ASCII character its reject table gets a
row per extra column and the read turns quadratic: one 2 MB line of commas took over ten minutes and a gigabyte.
So the lines longer than the limit are found first (block by block, with numpy, so a large export costs one quick
pass), and only when there are some the file is copied with each such line replaced by a line of one cell too many
that DuckDB rejects at once, keeping every other line on its number. The caller quarantines the originals.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

_BLOCK = 8 << 20
_KEPT = 300


@dataclass
class LongLines:
    """The lines over the limit: ``heads[line]`` is the start of each (1-based line numbers), for the quarantine."""

    limit: int
    heads: dict[int, str] = field(default_factory=dict)


def long_line_numbers(path: Path, limit: int) -> list[int]:
    """The 1-based numbers of the lines of ``path`` longer than ``limit`` bytes (line ending included)."""
    found: list[int] = []
    line, carry = 1, 0  # ``carry``: bytes of the line still open at the end of the last block
    with path.open("rb") as handle:
        while block := handle.read(_BLOCK):
            ends = np.flatnonzero(np.frombuffer(block, np.uint8) == 10)
            lengths = np.diff(np.concatenate(([-1], ends, [len(block) - 1])))
            lengths[0] += carry
            found += (line + np.flatnonzero(lengths[:-1] > limit)).tolist()
            carry, line = int(lengths[-1]), line + len(ends)
    if carry > limit:
        found.append(line)
    return found


def masked_copy(path: Path, folder: Path, limit: int, delimiter: str, columns: int) -> tuple[Path, LongLines]:
    """``path`` itself when no line is over ``limit``; else a copy in ``folder`` whose long lines are replaced by
    ``columns + 1`` cells of ``-`` (one too many: rejected; empty trailing cells would be read), and the long lines'
    starts."""
    long = LongLines(limit)
    numbers = set(long_line_numbers(path, limit))
    if not numbers:
        return path, long
    marker = delimiter.join(["-"] * (columns + 1)).encode()
    copy = folder / (path.name + ".lines.csv")
    with path.open("rb") as source, copy.open("wb") as target:
        for number, raw in enumerate(source, 1):
            if number in numbers:
                long.heads[number] = raw[:_KEPT].decode("utf-8", errors="replace")
                ending = b"\r\n" if raw.endswith(b"\r\n") else b"\n" if raw.endswith(b"\n") else b""
                raw = marker + ending
            target.write(raw)
    return copy, long
