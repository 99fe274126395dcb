"""A tiny CAR v1 / DAG-CBOR writer for test fixtures, written from the public specifications, not from our reader.

CAR v1: a varint length, a DAG-CBOR header ``{roots: [CID], version: 1}``, then blocks, each a varint length of
CID + data, the CID's bytes and the data. CIDs are v1, codec dag-cbor (0x71), sha2-256. DAG-CBOR: definite
lengths, map keys sorted by encoded length then bytes, links as tag 42 over the bytes 0x00 + CID.
"""

from __future__ import annotations

import hashlib
import struct
from dataclasses import dataclass


@dataclass(frozen=True)
class Link:
    """A CID link (CBOR tag 42)."""

    cid: bytes


def _head(major: int, n: int) -> bytes:
    if n < 24:
        return bytes([major << 5 | n])
    for extra, fmt in ((24, ">B"), (25, ">H"), (26, ">I"), (27, ">Q")):
        if n < 1 << (8 * struct.calcsize(fmt)):
            return bytes([major << 5 | extra]) + struct.pack(fmt, n)
    raise ValueError(n)


def cbor(value: object) -> bytes:
    """DAG-CBOR bytes of None, bools, ints, bytes, str, lists, str-keyed dicts and :class:`Link`."""
    if value is None:
        return b"\xf6"
    if isinstance(value, bool):
        return b"\xf5" if value else b"\xf4"
    if isinstance(value, Link):
        return b"\xd8\x2a" + cbor(b"\x00" + value.cid)
    if isinstance(value, int):
        return _head(0, value) if value >= 0 else _head(1, -1 - value)
    if isinstance(value, bytes):
        return _head(2, len(value)) + value
    if isinstance(value, str):
        data = value.encode("utf-8")
        return _head(3, len(data)) + data
    if isinstance(value, list):
        return _head(4, len(value)) + b"".join(cbor(v) for v in value)
    if isinstance(value, dict):
        keys = sorted(value, key=lambda k: (len(k.encode()), k.encode()))
        return _head(5, len(keys)) + b"".join(cbor(k) + cbor(value[k]) for k in keys)
    raise TypeError(type(value))


def varint(n: int) -> bytes:
    out = bytearray()
    while True:
        low, n = n & 0x7F, n >> 7
        out.append(low | (0x80 if n else 0))
        if not n:
            return bytes(out)


class Car:
    """Blocks added in order; ``bytes(root)`` writes the file with ``root`` as its one root."""

    def __init__(self) -> None:
        self.blocks: list[tuple[bytes, bytes]] = []

    def add(self, value: object) -> Link:
        data = cbor(value)
        cid = bytes([0x01, 0x71, 0x12, 0x20]) + hashlib.sha256(data).digest()
        self.blocks.append((cid, data))
        return Link(cid)

    def write(self, root: Link) -> bytes:
        header = cbor({"version": 1, "roots": [root]})
        body = b"".join(varint(len(cid) + len(data)) + cid + data for cid, data in self.blocks)
        return varint(len(header)) + header + body


def mst_node(left: Link | None, entries: list[tuple[str, Link, Link | None]]) -> dict[str, object]:
    """An MST node ``{l, e}``: each key written after the bytes it shares with the key before it."""
    out, previous = [], b""
    for key, value, right in entries:
        raw = key.encode()
        shared = 0
        while shared < min(len(raw), len(previous)) and raw[shared] == previous[shared]:
            shared += 1
        out.append({"p": shared, "k": raw[shared:], "v": value, "t": right})
        previous = raw
    return {"l": left, "e": out}
