"""Links and texts out of WARC (response) and WAT (metadata) records, one record at a time, with fastwarc.

This module knows nothing of the warehouse, so the PySpark job (``socialseo.spark``) runs the very same code on
its executors. Responses are parsed as HTML with the one extractor, so ``rel`` is always known; WAT ``Links``
entries carry ``path``, ``url``, ``text`` and sometimes ``rel``. A record that cannot be read (bad JSON, a truncated
gzip member) is reported through ``on_error`` and skipped; the archive goes on with the next record.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any, Literal
from urllib.parse import urljoin

from fastwarc import ArchiveIterator, WarcRecordType

from socialseo.classify.hosts import parse_host, site_host_set
from socialseo.classify.links import host_of
from socialseo.crawl.extract import extract_page, parse_rel

LINK_PATHS = ("A@/href", "AREA@/href")  # WAT paths of <a href> and <area href>; IMG@/src and the like are not links
_HTML_TYPES = ("text/html", "application/xhtml+xml")


@dataclass(frozen=True)
class FoundLink:
    source_url: str
    raw_target: str
    anchor: str
    rel: str | None
    seen: datetime | None
    link_tag: str


@dataclass(frozen=True)
class FoundText:
    source_url: str
    text: str
    seen: datetime | None


ErrorSink = Callable[[int | None, str, str], None]  # (record number, raw, reason)


class LinkFilter:
    """Keeps links whose target is on the site, and (unless ``all_referrers``) whose source is a social platform."""

    def __init__(self, site_hosts: list[str], *, all_referrers: bool = False) -> None:
        self.site = site_host_set(site_hosts)
        self.all_referrers = all_referrers
        self._social: dict[str, bool] = {}

    def source_ok(self, url: str) -> bool:
        host = host_of(url.strip())
        if host is None or host in self.site:
            return False
        if self.all_referrers:
            return True
        if host not in self._social:
            from socialseo.classify import classify_referrer

            self._social[host] = classify_referrer(url).channel == "social"
        return self._social[host]

    def target_ok(self, url: str) -> bool:
        # Called for every link of every social page: the host is cut out with string methods (cached per
        # authority) and only links on wrapper hosts are unwrapped; both are what urlsplit + unwrap_url would give.
        from socialseo.classify.wrappers import is_wrapper_host, unwrap_url

        host = _http_host(url)
        if host is False:
            return host_of(unwrap_url(url)) in self.site
        if host in self.site:
            return True
        return host is not None and is_wrapper_host(host) and host_of(unwrap_url(url)) in self.site


_UNSAFE = frozenset("\t\r\n ")


def _http_host(url: str) -> str | Literal[False] | None:
    """The host of an absolute http(s) URL; False when the URL needs urlsplit's full treatment."""
    if url.startswith("https://"):
        rest = url[8:]
    elif url.startswith("http://"):
        rest = url[7:]
    else:
        return False
    end = len(rest)
    for sep in "/?#":
        cut = rest.find(sep, 0, end)
        if cut != -1:
            end = cut
    authority = rest[:end]
    if not _UNSAFE.isdisjoint(authority):
        return False
    return _authority_host(authority)


@lru_cache(maxsize=65536)
def _authority_host(authority: str) -> str | None:
    return parse_host(authority)


def _date(record: Any) -> datetime | None:
    try:
        value = record.record_date
    except (ValueError, TypeError):
        return None
    return value.replace(tzinfo=None) if isinstance(value, datetime) else None


def _response_links(record: Any, number: int, keep: LinkFilter, on_error: ErrorSink,
                    want_text: bool) -> Iterator[FoundLink | FoundText]:
    url = record.headers.get("WARC-Target-URI") or ""
    if not keep.source_ok(url):
        return
    http = record.http_headers
    content_type = http.get("Content-Type") if http is not None else None
    if content_type and not content_type.lower().startswith(_HTML_TYPES):
        return
    page = extract_page(record.reader.read(), url, content_type=content_type)
    seen = _date(record)
    for error in page.errors:
        on_error(number, url, f"html: {error}")
    for link in page.links:
        if keep.target_ok(link.href):
            yield FoundLink(url, link.href, link.text, " ".join(link.rel) or None, seen, link.tag)
    if want_text and page.text:
        yield FoundText(url, page.text, seen)


def _wat_links(record: Any, number: int, keep: LinkFilter, on_error: ErrorSink) -> Iterator[FoundLink]:
    payload = record.reader.read()
    try:
        data = json.loads(payload)
        envelope = data["Envelope"]
        url = envelope["WARC-Header-Metadata"].get("WARC-Target-URI") or ""
        html = envelope.get("Payload-Metadata", {}).get("HTTP-Response-Metadata", {}).get("HTML-Metadata", {})
        links = html.get("Links") or []
        base = (html.get("Head") or {}).get("Base") or url
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        on_error(number, payload[:300].decode("utf-8", "replace"), f"wat: bad JSON metadata ({str(exc)[:80]})")
        return
    if not url or not keep.source_ok(url):
        return
    seen = _date(record)
    for entry in links:
        if not isinstance(entry, dict) or entry.get("path") not in LINK_PATHS or not entry.get("url"):
            continue
        try:
            href = urljoin(base, str(entry["url"]).strip())
        except ValueError:
            continue
        if href.startswith(("http://", "https://")) and keep.target_ok(href):
            rel = " ".join(parse_rel(entry.get("rel"))) or None
            tag = "area" if str(entry["path"]).startswith("AREA") else "a"
            yield FoundLink(url, href, " ".join(str(entry.get("text") or "").split()), rel, seen, tag)


def read_archive(
    path: str, keep: LinkFilter, on_error: ErrorSink, *, want_text: bool = False
) -> Iterator[FoundLink | FoundText]:
    """Every kept link (and, with ``want_text``, every response's text) in one WARC or WAT file.

    A truncated gzip member or a broken record ends that record, never the job: the error is reported with the
    number of the last record read.
    """
    number = 0
    types = WarcRecordType.response | WarcRecordType.metadata
    last_pos, last_length = -1, 0
    # fastwarc detects gzip members itself and reads local paths or, through fsspec, remote URIs.
    try:
        for record in ArchiveIterator(path, record_types=types, parse_http=True):
            number += 1
            last_pos, last_length = record.stream_pos, record.content_length
            try:
                if record.record_type == WarcRecordType.response:
                    yield from _response_links(record, number, keep, on_error, want_text)
                elif (record.headers.get("Content-Type") or "").startswith("application/json"):
                    yield from _wat_links(record, number, keep, on_error)
            except (OSError, ValueError, EOFError) as exc:
                on_error(number, record.headers.get("WARC-Target-URI") or "", f"warc: record unreadable ({exc})")
    except (OSError, ValueError, EOFError) as exc:
        on_error(number, path, f"warc: archive ends early after record {number} ({str(exc)[:80]})")
        return
    if "://" in path:
        return  # remote archives are checked by their own store's length and checksum
    with open(path, "rb") as handle:
        gzipped = handle.read(2) == b"\x1f\x8b"
    if gzipped and not _gzip_ends_cleanly(path, max(last_pos, 0)):
        on_error(number, path, f"warc: truncated gzip member after record {number}; the records before it were read")
    elif not gzipped and last_pos >= 0 and not _plain_ends_cleanly(path, last_pos, last_length):
        on_error(number, path, f"warc: record {number} is cut short (the file ends inside it); the records before "
                 "it were read")


def _plain_ends_cleanly(path: str, last_record: int, content_length: int) -> bool:
    """fastwarc yields a last record cut short as if whole: its header block plus its declared length must fit."""
    with open(path, "rb") as handle:
        handle.seek(last_record)
        head = handle.read(1 << 16)
        size = handle.seek(0, 2)
    end = head.find(b"\r\n\r\n")
    return end >= 0 and last_record + end + 4 + content_length <= size


def _gzip_ends_cleanly(path: str, last_member: int) -> bool:
    """fastwarc stops quietly at a truncated gzip member; inflating the tail from the last record tells."""
    with open(path, "rb") as handle:
        handle.seek(last_member)
        inflater = zlib.decompressobj(wbits=31)
        tail = handle.read()
    while tail:
        try:
            inflater.decompress(tail)
        except zlib.error:
            return False
        if not inflater.eof:
            return False
        tail = inflater.unused_data
        inflater = zlib.decompressobj(wbits=31)
    return True
