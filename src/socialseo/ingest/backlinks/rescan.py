"""Finding brand mentions again in pages imported before the brand was set (or before it changed).

Posts keep their text in ``social_posts``, so their mentions are rebuilt in one statement. Pages keep their visible
text in ``page_texts`` (bounded), so fetched pages need no second fetch. Pages imported before that table existed
are read again from their file when it is still where it was imported from, with the same bytes (the ledger's
SHA-256 says so); a page fetched from a URL then, or a file since moved or changed, cannot be re-read here:
:func:`rescan_page_mentions` names them, and ``socialseo ingest pages`` on them again finds their mentions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from socialseo.crawl.extract import extract_page
from socialseo.ingest.backlinks.pages import _declared_url, _mtime, refind_page_mentions
from socialseo.store.warehouse import file_sha256


@dataclass
class MentionScan:
    """What re-finding mentions in stored pages did."""

    pages_read: int = 0
    mentions: int = 0
    not_read: list[str] = field(default_factory=list)
    """Pages imported before whose text could not be read again (fetched URLs, moved or changed files)."""


def rescan_page_mentions(con: duckdb.DuckDBPyConnection) -> MentionScan:
    """Rebuild the page mentions of every ``pages`` import from its kept text, or from its saved file if it has
    none and the file can still be read, inside the caller's transaction; the others keep the mentions they had."""
    scan = MentionScan()
    imports = con.execute(
        "SELECT import_id, path, sha256, options FROM imports WHERE kind = 'pages' AND finished_at IS NOT NULL "
        "AND json_extract_string(options, '$.fetch_error') IS NULL ORDER BY import_id"
    ).fetchall()
    hosts = [str(r[0]) for r in con.execute("SELECT host FROM sites ORDER BY host").fetchall()]
    kept = {int(r[0]): (str(r[1]), r[2], str(r[3])) for r in con.execute(
        "SELECT import_id, source_url, seen_at, text FROM page_texts").fetchall()}
    for import_id, name, sha, _options in imports:
        if int(import_id) in kept:
            source, seen, text = kept[int(import_id)]
            scan.mentions += refind_page_mentions(con, int(import_id), source, text, seen, hosts)
            scan.pages_read += 1
            continue
        path = Path(str(name))
        if str(name).startswith(("http://", "https://")) or not path.is_file() or file_sha256(path) != sha:
            scan.not_read.append(str(name))
            continue
        page = extract_page(path.read_bytes(), path.resolve().as_uri())
        source = _declared_url(page) or path.resolve().as_uri()
        scan.mentions += refind_page_mentions(con, int(import_id), source, page.text, _mtime(path), hosts)
        scan.pages_read += 1
    return scan
