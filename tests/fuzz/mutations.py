"""Hypothesis strategies that turn a real sample file into broken, cut, padded and binary variants of it."""

from __future__ import annotations

import gzip
import io
import zipfile

import zstandard
from hypothesis import strategies as st

_NASTY = [b"\x00", b"\xff", b"\xe9", b'"', b"\n", b"\r", b",", b";", b"\t", b"\\", b"<", b"{", b"\xef\xbb\xbf"]


@st.composite
def mutated(draw: st.DrawFn, seed: bytes, *, compress: bool = False) -> bytes:
    """``seed`` after one to three edits: cut, flipped bytes, inserted junk, a repeated slice, a long run of one
    byte, or replaced by random bytes; sometimes gzip- or zstd-compressed, whole or cut."""
    data = seed
    for _ in range(draw(st.integers(1, 3))):
        op = draw(st.sampled_from(["cut", "flip", "insert", "repeat", "run", "random", "keep"]))
        at = draw(st.integers(0, max(len(data), 1)))
        if op == "cut":
            data = data[:at]
        elif op == "flip" and data:
            i = min(at, len(data) - 1)
            data = data[:i] + bytes([draw(st.integers(0, 255))]) + data[i + 1 :]
        elif op == "insert":
            junk = draw(st.one_of(st.binary(max_size=64), st.sampled_from(_NASTY)))
            data = data[:at] + junk + data[at:]
        elif op == "repeat" and data:
            end = min(len(data), at + draw(st.integers(1, 4096)))
            data = data[:end] + data[at:end] * draw(st.integers(1, 20)) + data[end:]
        elif op == "run":
            data = data[:at] + draw(st.sampled_from([*_NASTY, b"a"])) * draw(st.integers(1, 300_000)) + data[at:]
        elif op == "random":
            data = draw(st.binary(max_size=2048))
    if compress:
        kind = draw(st.sampled_from(["none", "gzip", "zstd"]))
        if kind != "none":
            packed = gzip.compress(data, mtime=0) if kind == "gzip" else zstandard.ZstdCompressor().compress(data)
            if draw(st.booleans()):
                packed = packed[: draw(st.integers(0, len(packed)))]
            data = packed
    return data


@st.composite
def mutated_zip(draw: st.DrawFn, members: dict[str, bytes]) -> bytes:
    """A zip of ``members``, some renamed (``../``, absolute), mutated or dropped; sometimes the zip itself cut."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            action = draw(st.sampled_from(["keep", "keep", "mutate", "drop", "rename"]))
            if action == "drop":
                continue
            if action == "rename":
                name = draw(st.sampled_from(["../" + name, "/tmp/" + name, "a/../../" + name, name.upper()]))
            if action == "mutate":
                data = draw(mutated(data))
            archive.writestr(name, data)
    packed = buffer.getvalue()
    if draw(st.integers(0, 5)) == 0:
        packed = packed[: draw(st.integers(0, len(packed)))]
    return packed
