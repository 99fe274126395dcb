"""What `socialseo ingest logs` stores for a real-shaped log, pinned row for row.

The import is tuned for speed block by block; whatever is changed in how lines are split, encoded and written,
the hits, quarantine, sessions and daily page tables it leaves must stay the same. The log below has what real
logs have (search, social, shorteners, campaigns, click ids, crawlers genuine and not, in-app browsers, IPv6,
Latin-1 bytes, escaped quotes, cut-off and nonsense lines) and is read in small blocks, so that values recur
across blocks; a second, grown copy of it is imported after, so sessions run on across imports and repeated lines
are skipped. Each table is reduced to a digest of its rows in a fixed order; the digests were taken from the
import as it stood before its speed work (``tests/data/logs/pinned_results.json``).
"""

from __future__ import annotations

import hashlib
import json
import random
from datetime import datetime, timedelta
from pathlib import Path

import polars as pl
import pytest

from socialseo.cli import main
from socialseo.store.warehouse import Warehouse

PINNED = Path(__file__).resolve().parents[1] / "data" / "logs" / "pinned_results.json"

AGENTS = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Mobile/15E148 [FBAN/FBIOS;FBAV/450.0.0.38.108]",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148 Instagram 326.0.3.17.91",
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Mobile Safari/537.36",
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2; +https://openai.com/gptbot)",
    "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
    "python-requests/2.32.3",
    "-",
]
REFERRERS = [
    "-", "-", "https://www.google.com/", "https://www.bing.com/search?q=tent+{r}", "https://t.co/{r}",
    "https://l.facebook.com/l.php?u=x{r}&h=AT{r}", "https://lnkd.in/e{r}", "https://www.reddit.com/r/camping/{r}",
    "android-app://com.linkedin.android", "https://www.example.com/blog/{r}", "https://news.ycombinator.com/",
    "https://blog.example.org/p/{r}", "https://chatgpt.com/", "",
]
PATHS = ["/", "/blog/post-{r}", "/products/tent-{r}", "/blog/post-{r}?fbclid=IwAR{r}", "/static/site.css",
         "/img/hero-{r}.jpg", "/blog/post-{r}?utm_source=newsletter&utm_medium=email", "/robots.txt",
         "/products/tent-{r}?gclid=Cj0{r}", "/blog/post-{r}?utm_source=facebook&utm_medium=paid_social"]
ADDRESSES = ["198.51.{a}.{b}", "66.249.66.{b}", "20.171.207.{b}", "2001:db8:{a:x}::{b:x}"]
ODD_LINES = [
    b'203.0.113.10 - - [01/Mar/2026:10:04:00 +0000] "GET /cut HTTP/1.1" 200 5 "-" "Mozilla/5.0 (X11',
    b'203.0.113.12 - - [31/Feb/2026:99:05:00 +0000] "GET /bad-time HTTP/1.1" 200 5 "-" "curl/8.0"',
    b'203.0.113.13 - - [01/Mar/2026:10:06:00 +0000] "GET /bad-status HTTP/1.1" 999 5 "-" "curl/8.0"',
    b'203.0.113.14 - - [01/Mar/2026:10:07:00 +0000] "\\x16\\x03\\x01" 400 0 "-" "-"',
    b'203.0.113.15 - - [01/Mar/2026:10:08:00 +0000] "GET /caf\xe9 HTTP/1.1" 200 5 "http://b\xfccher.de/" "Mozilla/5.0"',
    b'203.0.113.16 - - [01/Mar/2026:10:09:00 +0000] "GET /q HTTP/1.1" 200 5 "-" "Mozilla/5.0 \\"quoted\\" agent"',
    b'203.0.113.17 - - [01/Mar/2026:10:10:00 +0000] "GET /empty-size HTTP/1.1" 304 - "-" "Mozilla/5.0"',
    b"",
]


def real_shaped_log(n: int, seed: int = 5) -> list[bytes]:
    """``n`` combined-format lines in time order, visitors browsing a few pages each, with odd lines among them."""
    rng = random.Random(seed)
    ts = datetime(2026, 3, 1, 0, 0, 0)
    lines: list[bytes] = []
    while len(lines) < n:
        address = rng.choice(ADDRESSES).format(a=rng.randrange(1, 60), b=rng.randrange(1, 250))
        agent = rng.choice(AGENTS)
        first_referrer = rng.choice(REFERRERS).format(r=rng.randrange(400))
        for k in range(rng.choice([1, 1, 2, 3, 5])):
            ts += timedelta(seconds=rng.choice([0, 1, 7, 30, 200, 2000]))
            path = rng.choice(PATHS).format(r=rng.randrange(300))
            referrer = first_referrer if k == 0 else "https://www.example.com/"
            status = rng.choice([200, 200, 200, 304, 404, 301, 500])
            when = ts.strftime("%d/%b/%Y:%H:%M:%S +0000")
            lines.append(f'{address} - - [{when}] "GET {path} HTTP/1.1" {status} {rng.randrange(100, 90_000)} '
                         f'"{referrer}" "{agent}"'.encode())
        if rng.random() < 0.01:
            lines.append(rng.choice(ODD_LINES))
    return lines[:n]


_QUERIES = {
    "hits": "SELECT * EXCLUDE (visitor_id), dense_rank() OVER (ORDER BY visitor_id) AS visitor FROM hits",
    "quarantine": "SELECT line_no, raw, reason FROM quarantine",
    "sessions": "SELECT * EXCLUDE (session_id, visitor_id), dense_rank() OVER (ORDER BY visitor_id) AS visitor "
                "FROM sessions",
    "page_daily": "SELECT * FROM page_daily",
    "imports": "SELECT rows_read, rows_loaded, rows_quarantined, rows_repeated FROM imports",
}


def table_digests(db: Path) -> dict[str, list[object]]:
    """Each table's row count and the SHA-256 of its rows, sorted, as text."""
    wh = Warehouse(db)
    try:
        out: dict[str, list[object]] = {}
        for name, sql in _QUERIES.items():
            rows = sorted(repr(row) for row in wh.con.execute(sql).fetchall())
            out[name] = [len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest()]
        return out
    finally:
        wh.close()


def import_pinned_logs(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                       monkeypatch: pytest.MonkeyPatch) -> tuple[Path, list[str]]:
    """Import the log, then a grown copy of it, with a fixed secret and small blocks; the warehouse and output."""
    monkeypatch.setattr("socialseo.ingest.logs.blocks.BLOCK_BYTES", 64 << 10)
    lines = real_shaped_log(6000)
    first, grown = tmp_path / "access.log.1", tmp_path / "access.log"
    first.write_bytes(b"\n".join(lines[:4000]) + b"\n")
    grown.write_bytes(b"\n".join(lines) + b"\n")
    db = tmp_path / "w.duckdb"
    wh = Warehouse(db)
    wh.set_setting("ip_salt", "pinned-secret")  # visitor ids are keyed hashes: fixed key, fixed ids
    wh.close()
    printed = []
    for log in (first, grown):
        assert main(["ingest", "logs", str(log), "--site", "www.example.com", "--db", str(db)]) == 0
        printed.append(capsys.readouterr().out)
    return db, printed


def test_a_real_shaped_log_is_stored_as_it_always_was(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    db, printed = import_pinned_logs(tmp_path, capsys, monkeypatch)
    assert "3,999 lines were already imported" in printed[1]
    assert table_digests(db) == json.loads(PINNED.read_text())


def test_values_whose_hashes_collide_keep_their_own_codes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The import maps each block's strings to codes by their 64-bit hashes; with hashes cut to four bits, nearly
    # every value shares its hash with another, and the tables must still come out the same.
    real_hash = pl.Series.hash
    monkeypatch.setattr(pl.Series, "hash", lambda self, *a, **k: real_hash(self, *a, **k) % 16)
    db, _ = import_pinned_logs(tmp_path, capsys, monkeypatch)
    assert table_digests(db) == json.loads(PINNED.read_text())


def test_sessions_are_the_same_when_source_keys_are_numbered_instead_of_hashed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Sessions compare external sources by the hash of their key, unless two keys share a hash: then by a number.
    monkeypatch.setattr("socialseo.analysis.sessions._KEYS_COLLIDE", "SELECT true")
    db, _ = import_pinned_logs(tmp_path, capsys, monkeypatch)
    assert table_digests(db) == json.loads(PINNED.read_text())
