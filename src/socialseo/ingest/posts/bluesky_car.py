"""Read a Bluesky account's repository export (a CAR file) as a post export.

Bluesky has no spreadsheet export: an account's data comes as its whole repository, the answer of
``com.atproto.sync.getRepo`` (Settings -> Export my data), a CAR v1 file of DAG-CBOR blocks. The first root is the
signed commit ``{did, version: 3, data, rev, prev, sig}``; ``data`` points at a Merkle Search Tree whose nodes are
``{l, e: [{p, k, v, t}]}`` (each key ``k`` is written after the ``p`` bytes it shares with the key before it) and
whose keys are ``collection/record key``. This module walks that tree in key order and keeps the records under
``app.bsky.feed.post``: their ``text``, ``createdAt``, the links of their ``app.bsky.richtext.facet#link`` facets
and of an ``app.bsky.embed.external`` card (also inside ``app.bsky.embed.recordWithMedia``), and the post's
address ``https://bsky.app/profile/<did>/post/<record key>``. The post id is the record's ``at://`` URI, the one
``socialseo discover`` stores, so the same post found both ways is one post.

The CAR is decoded by libipld (Rust, one small wheel). A file cut short, or one whose tree points at blocks it
does not hold, is refused as a whole, so a partial import never looks like a complete one.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd

from socialseo.errors import InputFileError
from socialseo.ingest._files import read_whole
from socialseo.ingest._values import parse_datetime
from socialseo.ingest.posts.layouts import COUNT_FIELDS, FIELDS, ExportMapping, ParsedExport

POST = "app.bsky.feed.post"
_LINK_FACET = "app.bsky.richtext.facet#link"
MAPPING = ExportMapping(key="bluesky_car", name="Bluesky repository export (CAR)", fields={}, required=(),
                        platform="bluesky", has_text=True)


def is_car(path: Path) -> bool:
    """Whether ``path`` starts like a CAR v1 file: a length, then the DAG-CBOR map ``{roots, version}``."""
    with path.open("rb") as handle:
        head = handle.read(128)
    length, shift, pos = 0, 0, 0
    while pos < len(head) and pos < 4:
        byte = head[pos]
        length |= (byte & 0x7F) << shift
        shift, pos = shift + 7, pos + 1
        if not byte & 0x80:
            break
    # a header map {roots, version}: DAG-CBOR sorts keys by length, so "roots" (text of 5, 0x65) comes first; a
    # header cut short still starts so, and is then refused by the reader with its reason
    return 0 < length < 1 << 16 and head[pos:pos + 7] == b"\xa2eroots"


def read_car(path: Path) -> ParsedExport:
    """The posts of a repository export as rows of the post schema; records that cannot be read are quarantined."""
    import libipld  # imported here: only a CAR import needs it

    try:
        header, blocks = libipld.decode_car(read_whole(path))
    except (ValueError, TypeError) as exc:
        raise InputFileError(f"{path}: not a readable Bluesky repository export (CAR file): {exc}; nothing "
                             "imported (export it again: Settings, Export my data)") from exc
    roots = header.get("roots") if isinstance(header, dict) else None
    commit = _block(blocks, roots[0] if isinstance(roots, list) and roots else None, path, "the commit")
    did = commit.get("did")
    if not isinstance(did, str) or not did.startswith("did:"):
        raise InputFileError(f"{path}: a CAR file, but its root is not a repository commit (no account DID); "
                             "only a Bluesky repository export can be imported as posts")
    rows: list[dict[str, object]] = []
    bad: list[tuple[int | None, str, str]] = []
    others: Counter[str] = Counter()
    for number, (key, cid) in enumerate(_walk(blocks, commit.get("data"), path), start=1):
        collection, _, rkey = key.partition("/")
        if collection != POST:
            others[collection] += 1
            continue
        record = _block(blocks, cid, path, f"the record {key}")
        try:
            rows.append(_post(did, rkey, record, number))
        except ValueError as exc:
            bad.append((number, key, str(exc)))
    if not rows and not bad:
        kinds = ", ".join(f"{n:,} {c}" for c, n in others.most_common(4))
        raise InputFileError(f"{path}: the repository of {did} holds no posts ({POST})"
                             + (f", only {kinds}" if kinds else "") + "; nothing to import")
    frame = pd.DataFrame(rows, columns=[*FIELDS, "link_cells", "line_no"])
    frame["platform"] = MAPPING.platform
    frame["line_no"] = frame["line_no"].astype("int64")
    notes = [f"repository of {did}: {len(rows) + len(bad):,} posts"]
    if others:
        notes.append("other records not read: " + ", ".join(f"{n:,} {c}" for c, n in others.most_common(5)))
    return ParsedExport(MAPPING, frame, rows_read=len(rows) + len(bad), bad_rows=bad, notes=notes)


def _block(blocks: dict[bytes, Any], cid: object, path: Path, what: str) -> dict[str, Any]:
    found = blocks.get(cid) if isinstance(cid, bytes) else None
    if not isinstance(found, dict):
        raise InputFileError(f"{path}: {what} is missing from the CAR file (cut short or incomplete); nothing "
                             "imported (export it again: Settings, Export my data)")
    return found


def _walk(blocks: dict[bytes, Any], root: object, path: Path) -> Iterator[tuple[str, bytes]]:
    """(key, record CID) of every entry of the tree at ``root``, in key order."""
    seen: set[bytes] = set()
    stack: list[tuple[str, object]] = [("node", root)]
    while stack:
        kind, item = stack.pop()
        if kind == "entry":
            yield item  # type: ignore[misc]
            continue
        if item is None:
            continue
        if not isinstance(item, bytes) or item in seen:
            raise InputFileError(f"{path}: the repository's tree is malformed (a node linked twice or not a link)")
        seen.add(item)
        node = _block(blocks, item, path, "a node of the repository's tree")
        entries = node.get("e")
        if not isinstance(entries, list):
            raise InputFileError(f"{path}: the repository's tree is malformed (a node without entries)")
        pending: list[tuple[str, object]] = [("node", node.get("l"))]
        key = b""
        for entry in entries:
            if not isinstance(entry, dict) or not isinstance(entry.get("k"), bytes) or not isinstance(entry.get("p"),
                                                                                                      int):
                raise InputFileError(f"{path}: the repository's tree is malformed (an entry without a key)")
            key = key[: entry["p"]] + entry["k"]
            pending.append(("entry", (key.decode("utf-8", errors="replace"), entry.get("v"))))
            pending.append(("node", entry.get("t")))
        stack.extend(reversed(pending))


def _post(did: str, rkey: str, record: dict[str, Any], number: int) -> dict[str, object]:
    if record.get("$type") != POST:
        raise ValueError(f"$type is {record.get('$type')!r}, not {POST}")
    published = parse_datetime(record.get("createdAt"), tz="UTC")
    if published is None:
        raise ValueError("createdAt: missing: the post has no readable date")
    text = record.get("text") if isinstance(record.get("text"), str) else None
    links = [str(f["uri"]) for facet in record.get("facets") or [] if isinstance(facet, dict)
             for f in facet.get("features") or []
             if isinstance(f, dict) and f.get("$type") == _LINK_FACET and isinstance(f.get("uri"), str)]
    embed = record.get("embed")
    embed = embed if isinstance(embed, dict) else {}
    media = embed.get("media")
    for card in (embed, media if isinstance(media, dict) else {}):
        external = card.get("external")
        if isinstance(external, dict) and isinstance(external.get("uri"), str):
            links.append(external["uri"])
    row: dict[str, object] = dict.fromkeys(FIELDS)
    row.update({name: None for name in COUNT_FIELDS})
    row.update(post_id=f"at://{did}/{POST}/{rkey}", post_url=f"https://bsky.app/profile/{did}/post/{rkey}",
               account=did, text=text, published_at=published,
               link_cells=(*dict.fromkeys(links), *([text] if text else [])), line_no=number)
    return row
