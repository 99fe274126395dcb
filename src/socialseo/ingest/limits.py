"""How much any reader may take from one input file, defined once.

A small file can stand for a very large one (a 1 MB gzip holding one 1 GB line, a zip of zeros, a spreadsheet
whose one cell sits in column XFD), and a reader that trusts it runs out of memory or time. Every reader asks
:func:`current` for its limits and fails with a :class:`LimitExceededError` (one line, exit status 2, the
warehouse untouched) or quarantines the row, never reads on without bound.

The defaults are far above what real exports and logs need; each can be raised (or lowered) with an environment
variable, read at the start of every import, e.g. ``SOCIALSEO_MAX_LINE_BYTES=1048576 socialseo ingest logs ...``.

======================================  ===================  =======================================================
variable                                default              bounds
======================================  ===================  =======================================================
``SOCIALSEO_MAX_MEMBER_BYTES``          8 GiB                decompressed bytes of one gzip member, zstd frame or
                                                             zip member
``SOCIALSEO_MAX_TOTAL_BYTES``           64 GiB               decompressed bytes of one file, all members together
``SOCIALSEO_MAX_RATIO``                 200                  decompressed / compressed bytes (text compresses 5-50x;
                                                             a bomb 1000x and more) ...
``SOCIALSEO_RATIO_AFTER_BYTES``         64 MiB               ... checked once this much has come out
``SOCIALSEO_MAX_LINE_BYTES``            64 KiB               one log line (web servers refuse request lines and
                                                             headers over 8 KiB by default): longer ones are
                                                             quarantined, cut, never held whole
``SOCIALSEO_MAX_FIELD_BYTES``           128 KiB              one field of a CSV export (Python's own CSV limit)
``SOCIALSEO_MAX_WHOLE_FILE_BYTES``      512 MiB              exports read whole (spreadsheet-sized: posts, ranks,
                                                             GA4, Search Console web-export sheets, saved pages)
``SOCIALSEO_MAX_SHEET_ROWS``            1,048,576            rows of one spreadsheet sheet (Excel's own maximum)
``SOCIALSEO_MAX_SHEET_CELLS``           10,000,000           cells of one spreadsheet or CSV export, all sheets
                                                             together
``SOCIALSEO_MAX_SHEET_COLUMNS``         16,384               cells of one row (Excel's own maximum)
``SOCIALSEO_MAX_ZIP_MEMBERS``           1,000                members of one zip (a web export holds 7)
======================================  ===================  =======================================================
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields

from socialseo.errors import InputFileError

_KIB, _MIB, _GIB = 1 << 10, 1 << 20, 1 << 30


class LimitExceededError(InputFileError):
    """An input goes beyond one of the reader limits; the message names the limit and how to raise it."""


@dataclass(frozen=True)
class Limits:
    """The limits of one import; see the module docstring for what each bounds."""

    max_member_bytes: int = 8 * _GIB
    max_total_bytes: int = 64 * _GIB
    max_ratio: int = 200
    ratio_after_bytes: int = 64 * _MIB
    max_line_bytes: int = 64 * _KIB
    max_field_bytes: int = 128 * _KIB
    max_whole_file_bytes: int = 512 * _MIB
    max_sheet_rows: int = 1_048_576
    max_sheet_cells: int = 10_000_000
    max_sheet_columns: int = 16_384
    max_zip_members: int = 1000

    @staticmethod
    def env_name(field_name: str) -> str:
        """``max_line_bytes`` -> ``SOCIALSEO_MAX_LINE_BYTES``."""
        return "SOCIALSEO_" + field_name.upper()

    def exceeded(self, field_name: str, what: str) -> LimitExceededError:
        """The error for ``what`` going past the limit ``field_name``, saying how to raise it."""
        value = getattr(self, field_name)
        raise_it = f"set {self.env_name(field_name)} to raise it"
        return LimitExceededError(f"{what}: beyond the limit of {value:,} ({raise_it})")


def current() -> Limits:
    """The limits now in force: the defaults, overridden by ``SOCIALSEO_MAX_...`` environment variables."""
    overrides: dict[str, int] = {}
    for item in fields(Limits):
        name = Limits.env_name(item.name)
        raw = os.environ.get(name)
        if raw is None or not raw.strip():
            continue
        try:
            value = int(raw.replace("_", "").strip())
        except ValueError:
            raise InputFileError(f"{name}={raw!r}: not a whole number") from None
        if value <= 0:
            raise InputFileError(f"{name}={raw!r}: must be above zero")
        overrides[item.name] = value
    return Limits(**overrides)


def shown(data: bytes | str, size: int = 40) -> str:
    """The start of some input, safe to print on one line: escaped (``repr``) and cut to ``size`` characters."""
    cut = data[:size]
    more = "…" if len(data) > size else ""
    return repr(cut) + more
