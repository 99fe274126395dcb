"""Turning a page's bytes into text: the charset from the HTTP header, a BOM, ``<meta charset>``, or detection.

The order is the HTML standard's (transport layer first, then the byte-order mark, then the prescan of the
first bytes for ``<meta charset>``), with detection by charset-normalizer only when none of those names a charset
Python knows and the bytes are not valid UTF-8. Decoding never fails: undecodable bytes become U+FFFD, because a
page with one bad byte still has links worth reading.
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)
# The prescan looks for <meta charset=...> or <meta http-equiv content="...; charset=...">.
_META_CHARSET = re.compile(rb"<meta[^>]{0,512}?charset\s*=\s*[\"']?\s*([\w.:-]+)", re.IGNORECASE)
_PRESCAN_BYTES = 4096
_DETECT_BYTES = 64 * 1024
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
# Browsers read these labels as windows-1252 (WHATWG Encoding): latin-1 pages are nearly always cp1252.
_ALIASES = {"iso-8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252", "us-ascii": "cp1252", "ascii": "cp1252"}


def _known(label: str | None) -> str | None:
    if not label:
        return None
    label = label.strip().lower()
    label = _ALIASES.get(label, label)
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def header_charset(content_type: str | None) -> str | None:
    """The charset named in a Content-Type header, if Python knows it.

    >>> header_charset("text/html; charset=ISO-8859-1")
    'cp1252'
    """
    if not content_type:
        return None
    found = _HEADER_CHARSET.search(content_type)
    return _known(found[1]) if found else None


def decode_html(data: bytes, content_type: str | None = None) -> tuple[str, str]:
    """Decode page bytes; returns ``(text, charset used)``.

    >>> decode_html("<meta charset=latin-1><p>caf\\xe9".encode("latin-1"))[1]
    'cp1252'
    """
    for bom, name in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(name, errors="replace"), name
    charset = header_charset(content_type)
    if charset is None:
        found = _META_CHARSET.search(data[:_PRESCAN_BYTES])
        charset = _known(found[1].decode("ascii", "replace")) if found else None
        # A page in UTF-16 cannot carry an ASCII meta prescan; one claiming to is really ASCII-compatible.
        if charset and charset.startswith("utf-16"):
            charset = "utf-8"
    if charset is not None:
        return data.decode(charset, errors="replace"), charset
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    best = from_bytes(data[:_DETECT_BYTES]).best()
    guessed = _known(best.encoding) if best is not None else None
    charset = guessed or "cp1252"
    return data.decode(charset, errors="replace"), charset
