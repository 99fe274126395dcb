"""Open zip archives (Search Console web exports, XLSX workbooks) without trusting what they say about themselves.

A zip can hold a million members, members named ``../../etc/x.csv`` or ``/tmp/x.csv``, or a member that inflates
a thousandfold. Before anything is read, :func:`checked_members` refuses such archives in one line; :func:`read_member`
then reads a member in blocks and stops at the per-member limit, whatever its header claims.
"""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path, PurePosixPath

from socialseo.errors import InputFileError
from socialseo.ingest.limits import Limits, current, shown

_BLOCK = 1 << 20


def open_zip(path: Path) -> zipfile.ZipFile:
    """The archive, or one line saying it is not a readable zip."""
    try:
        return zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as exc:
        raise InputFileError(f"{path}: not a readable zip archive ({exc})") from exc


def checked_members(archive: zipfile.ZipFile, path: Path, limits: Limits | None = None) -> list[zipfile.ZipInfo]:
    """The archive's file members, after refusing unsafe names, too many members, and declared sizes or
    compression ratios beyond the limits."""
    limits = limits or current()
    infos = archive.infolist()
    if len(infos) > limits.max_zip_members:
        raise limits.exceeded("max_zip_members", f"{path}: {len(infos):,} members in the zip")
    total = 0
    for info in infos:
        name = info.filename
        pure = PurePosixPath(name.replace("\\", "/"))
        if pure.is_absolute() or ".." in pure.parts or (len(name) > 1 and name[1] == ":"):
            raise InputFileError(f"{path}: zip member {shown(name, 80)} has an unsafe name (absolute or '..'); "
                                 "refused")
        if info.file_size > limits.max_member_bytes:
            raise limits.exceeded("max_member_bytes", f"{path}: zip member {shown(name, 80)} decompresses")
        if info.file_size > limits.ratio_after_bytes and info.file_size > limits.max_ratio * max(info.compress_size, 1):
            ratio = info.file_size / max(info.compress_size, 1)
            raise limits.exceeded(
                "max_ratio", f"{path}: zip member {shown(name, 80)} decompresses to {ratio:,.0f} times its size "
                "(a compression bomb?)"
            )
        total += info.file_size
        if total > limits.max_total_bytes:
            raise limits.exceeded("max_total_bytes", f"{path}: decompressed size of the zip")
    return [info for info in infos if not info.is_dir()]


def read_member(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, path: Path, limit_name: str = "max_member_bytes"
) -> bytes:
    """A member's bytes, read in blocks and refused beyond the limit ``limit_name`` (a field of
    :class:`~socialseo.ingest.limits.Limits`)."""
    limits = current()
    limit = int(getattr(limits, limit_name))
    blocks: list[bytes] = []
    size = 0
    try:
        with archive.open(info) as member:
            while block := member.read(_BLOCK):
                size += len(block)
                if size > limit:
                    raise limits.exceeded(limit_name, f"{path}: zip member {shown(info.filename, 80)}")
                blocks.append(block)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError) as exc:
        raise InputFileError(f"{path}: zip member {shown(info.filename, 80)} cannot be read ({exc})") from exc
    return b"".join(blocks)
