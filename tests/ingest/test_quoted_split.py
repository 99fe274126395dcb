"""The quote-split reader gives exactly what the general reader gives, on messy logs and across block edges;
and the hits it stores carry what ``attribute()`` says of each line alone."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import socialseo.ingest.logs.blocks as chunks
import socialseo.ingest.logs.hit_encoder as hit_encoder
import socialseo.ingest.logs.importer as access_logs
from socialseo.classify.attribution import attribute
from socialseo.classify.urls import page_key
from socialseo.ingest.logs.formats import COMBINED
from socialseo.ingest.logs.importer import import_access_log
from socialseo.ingest.logs.quoted_reader import split_by_quotes, splits_by_quotes
from socialseo.store.warehouse import Warehouse

SITE = ["www.example.com"]
UA = "Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0"
COLUMNS = ("seq, ts, visitor_id, ip, method, url, page, protocol, status, bytes, referrer, referrer_host, "
           "user_agent, is_bot, bot_name, is_pageview, channel, platform, evidence")


def line(ts: str = "01/Mar/2026:10:00:00 +0000", target: str = "/p", status: str = "200", ref: str = "-",
         agent: str = UA, ip: str = "192.0.2.1", method: str = "GET") -> str:
    return f'{ip} - - [{ts}] "{method} {target} HTTP/1.1" {status} 5 "{ref}" "{agent}"'


MESSY: list[bytes] = [
    line().encode(),
    b"",
    line(ref="https://t.co/abc", agent="Mozilla/5.0 [FBAN/FBIOS;FBAV/450.0]").encode() + b"\r",
    line(agent='Mozilla/5.0 \\"quoted\\" (X11)').encode(),
    line(ref="https://www.google.de/search?q=Gr\xfc\xdfe").encode("latin-1"),
    b'198.51.100.9 - - [01/Mar/2026:10:00:05 +0000] "GET /cut HTTP/1.1" 200 5 "-" "Mozilla/5.0 (Wi',
    line(ts="01/Mar/2999:10:00:00 +0000").encode(),
    line(ts="31/Feb/2026:10:00:00 +0000").encode(),
    line(ts="01/Mar/2026:10:00:00 +05x0").encode(),
    line(status="999").encode(),
    line(status="OK").encode(),
    line(target="/a b").encode(),
    line(method="-", target="").encode(),
    line(ref="", agent="").encode(),
    line(ip="2001:db8:85a3::8a2e:370:7334", ts="01/Mar/2026:12:30:00 -0230").encode(),
    line(target="/blog/post?utm_source=newsletter&utm_medium=email&fbclid=1").encode(),
    line(ref="https://www.example.com/", target="/robots.txt", agent="Mozilla/5.0 scraper").encode(),
    b'192.0.2.7 - - [01/Mar/2026:10:00:09 +0000] "GET / HTTP/1.1" 200 -',
    b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\xff\xfe\x00\x00",
    line(target="/" + "a" * 5000).encode(),
    b'"" "" "" ""',
    line(target="/last").encode(),
]


def _import(tmp_path: Path, body: bytes, name: str) -> list[tuple[object, ...]]:
    path = tmp_path / f"{name}.log"
    path.write_bytes(body)
    wh = Warehouse(tmp_path / f"{name}.duckdb")
    wh.set_setting("ip_salt", "fixed-salt-for-comparison")
    import_access_log(wh, path, site_hosts=SITE, log_format="combined")
    hits = wh.con.execute(f"SELECT {COLUMNS} FROM hits ORDER BY seq").fetchall()
    quarantine = wh.con.execute("SELECT line_no, raw, reason FROM quarantine ORDER BY line_no").fetchall()
    reads = wh.con.execute("SELECT rows_read, rows_loaded, rows_quarantined FROM imports").fetchall()
    wh.close()
    return [tuple(hits), tuple(quarantine), tuple(reads)]


def test_the_messy_case_list_is_taken_by_the_quote_split() -> None:
    assert splits_by_quotes(COMBINED)
    split = split_by_quotes(b"\n".join(MESSY) + b"\n", COMBINED, 1)
    assert split is not None
    assert split.n_lines == len(MESSY)
    assert split.lines_read == len(MESSY) - 1  # the blank line is not a line of the log
    assert [q[0] for q in split.quarantined] == [6]  # cut off inside its user agent
    assert split.recoded_lines == 2  # the latin-1 referrer and the binary garbage


@pytest.mark.parametrize("block_bytes", [None, 700, 97])
def test_quote_split_and_general_reader_store_the_same(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                       block_bytes: int | None) -> None:
    body = b"\n".join(MESSY) + b"\n"
    monkeypatch.setattr(chunks, "BLOCK_BYTES", block_bytes or chunks.BLOCK_BYTES)
    fast = _import(tmp_path, body, "fast")
    monkeypatch.setattr(access_logs, "splits_by_quotes", lambda fmt: False)
    general = _import(tmp_path, body, "general")
    assert fast == general
    hits, quarantine, reads = fast
    assert reads == ((len(MESSY) - 1, len(hits), len(quarantine)),)
    assert len(hits) == 11
    assert {q[0]: q[2] for q in quarantine} == {
        6: "line ends inside a quoted field (cut off)",
        7: "timestamp out of range: 2999-03-01 10:00:00",
        8: "timestamp missing or does not parse",
        9: "timestamp missing or does not parse",
        10: "status is not an HTTP status: 999",
        11: "status is not an HTTP status: OK",
        12: "request is not METHOD TARGET PROTOCOL",
        13: "request is not METHOD TARGET PROTOCOL",
        19: "timestamp missing or does not parse",
        21: "timestamp missing or does not parse",
    }


def test_offsets_escapes_and_encodings_are_read_as_logged(tmp_path: Path) -> None:
    hits = {row[0]: row for row in _import(tmp_path, b"\n".join(MESSY) + b"\n", "fast")[0]}
    assert str(hits[15][1]) == "2026-03-01 15:00:00"  # 12:30 at -02:30 is 15:00 UTC
    assert hits[15][3] == "2001:db8:85a3::"
    assert hits[4][12] == 'Mozilla/5.0 "quoted" (X11)'
    assert hits[5][10] == "https://www.google.de/search?q=Grüße"
    assert hits[3][16:19] == ("social", "x", "shortener")
    assert hits[14][10] is None and hits[14][12] is None
    assert hits[18][9] is None  # bytes "-"
    assert hits[20][5] == "/" + "a" * 5000


REFERRERS = st.sampled_from([
    "-", "", "https://www.google.com/", "https://t.co/x", "https://lnkd.in/abc", "android-app://com.linkedin.android",
    "https://www.example.com/a", "https://example.com/", "https://blog.example.org/facebook-tips",
    "https://l.facebook.com/l.php?u=x", "https://mail.google.com/", "www.reddit.com", "http://[::1]/", "not a url",
])
AGENTS = st.sampled_from([
    UA, "Mozilla/5.0 [FBAN/FBIOS;FBAV/450.0]", "Mozilla/5.0 Instagram 326.0", "Googlebot/2.1", "curl/8.5.0",
    "-", "", "LinkedInApp", "python-requests/2.32",
])
TARGETS = st.sampled_from([
    "/", "/blog/post/", "/p?utm_source=facebook&utm_medium=social", "/p?fbclid=IwAR1", "/x?gclid=1&b=2",
    "/style.css", "/img/a.png?v=2", "/p?utm_source=newsletter&utm_medium=email", "/p?ttclid=9", "/robots.txt",
    "/P%C3%A4ge/?a=1#frag",
])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(REFERRERS, AGENTS, TARGETS, st.sampled_from(["192.0.2.1", "198.51.100.4", "::1"])),
                min_size=1, max_size=40))
def test_every_stored_hit_is_attributed_as_attribute_says(rows: list[tuple[str, str, str, str]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "a.log"
        path.write_text("".join(
            line(ts=f"01/Mar/2026:10:{i // 60:02d}:{i % 60:02d} +0000", ref=r, agent=a, target=t, ip=ip) + "\n"
            for i, (r, a, t, ip) in enumerate(rows)
        ))
        wh = Warehouse(Path(tmp) / "w.duckdb")
        import_access_log(wh, path, site_hosts=SITE)
        stored = wh.con.execute(
            "SELECT seq, channel, platform, evidence, is_bot, bot_name, page, referrer, user_agent FROM hits "
            "ORDER BY seq"
        ).fetchall()
        wh.close()
    assert len(stored) == len(rows)
    for seq, channel, platform, evidence, is_bot, bot_name, page, referrer, agent in stored:
        ref, ua, target, _ = rows[seq - 1]
        expected = attribute(ref, ua, target, SITE)
        assert (channel, platform, evidence) == (expected.channel, expected.platform, expected.evidence)
        if bot_name not in ("robots.txt fetcher", "page rate"):
            assert (is_bot, bot_name) == (expected.is_bot, expected.bot_name)
        assert page == page_key(target)
        assert referrer == (ref if ref not in ("-", "") else None)
        assert agent == (ua if ua not in ("-", "") else None)


def test_visitors_are_the_same_across_blocks_files_and_a_cleared_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    body = "".join(line(ts=f"01/Mar/2026:10:00:{i:02d} +0000", ip=f"192.0.2.{i % 7}", agent=f"UA {i % 3}",
                        target=f"/p{i}") + "\n" for i in range(60))
    first, second = tmp_path / "one.log", tmp_path / "two.log"
    first.write_text(body)
    second.write_text(body.replace("01/Mar/2026", "02/Mar/2026"))
    wh = Warehouse(tmp_path / "w.duckdb")
    import_access_log(wh, first, site_hosts=SITE)
    monkeypatch.setattr(chunks, "BLOCK_BYTES", 300)
    monkeypatch.setattr(hit_encoder, "_CACHE_LIMIT", 5)
    import_access_log(wh, second, site_hosts=SITE)
    by_file = wh.con.execute(
        "SELECT import_id, count(DISTINCT visitor_id), list(DISTINCT url ORDER BY url) FROM hits "
        "GROUP BY import_id ORDER BY import_id"
    ).fetchall()
    assert [row[1] for row in by_file] == [21, 21]  # 7 addresses x 3 user agents
    assert by_file[0][2] == by_file[1][2]
    same = wh.con.execute(
        "SELECT count(*) FROM hits a JOIN hits b ON a.seq = b.seq AND a.import_id < b.import_id "
        "WHERE a.visitor_id = b.visitor_id AND a.user_agent = b.user_agent AND a.page = b.page"
    ).fetchone()
    assert same == (60,)


def test_the_same_bytes_under_another_name_are_skipped_and_change_nothing(tmp_path: Path) -> None:
    body = "".join(line(target=f"/p{i}") + "\n" for i in range(30))
    first, copy = tmp_path / "a.log", tmp_path / "copy-of-a.log"
    first.write_text(body)
    copy.write_text(body)
    wh = Warehouse(tmp_path / "w.duckdb")
    assert import_access_log(wh, first, site_hosts=SITE).rows_loaded == 30
    before = [wh.count(t) for t in ("hit_rows", "hit_requests", "hit_agents", "hit_ips", "imports", "quarantine")]
    again = import_access_log(wh, copy, site_hosts=SITE)
    assert again.skipped and again.import_id is None
    assert [wh.count(t) for t in ("hit_rows", "hit_requests", "hit_agents", "hit_ips", "imports", "quarantine")] \
        == before


@pytest.mark.parametrize("failing", ["encode", "write"])
def test_a_failure_in_any_thread_leaves_the_warehouse_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    path = tmp_path / "a.log"
    path.write_text("".join(line(target=f"/p{i}", ip=f"192.0.2.{i % 250}") + "\n" for i in range(3000)))
    wh = Warehouse(tmp_path / "w.duckdb")
    tables = ("hit_rows", "hit_requests", "hit_referrers", "hit_agents", "hit_ips", "hit_attributions",
              "imports", "quarantine")
    before = [wh.count(t) for t in tables]
    monkeypatch.setattr(chunks, "BLOCK_BYTES", 20_000)
    calls = {"n": 0}
    target, name = (hit_encoder.HitEncoder, "encode") if failing == "encode" else (access_logs, "_write_block")
    original = getattr(target, name)

    def fail_on_third(*args: object, **kwargs: object) -> object:
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("disk on fire")
        return original(*args, **kwargs)

    monkeypatch.setattr(target, name, fail_on_third)
    with pytest.raises(RuntimeError, match="disk on fire"):
        import_access_log(wh, path, site_hosts=SITE)
    assert [wh.count(t) for t in tables] == before
    monkeypatch.setattr(target, name, original)
    assert import_access_log(wh, path, site_hosts=SITE).rows_loaded == 3000


def test_progress_is_reported_in_bytes_of_the_files_as_stored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import gzip

    body = "".join(line(target=f"/p{i}", ip=f"192.0.2.{i % 250}") + "\n" for i in range(2000)).encode()
    plain, packed = tmp_path / "a.log", tmp_path / "b.log.gz"
    plain.write_bytes(body)
    packed.write_bytes(gzip.compress(body.replace(b"/p", b"/q")))
    monkeypatch.setattr(chunks, "BLOCK_BYTES", 30_000)
    seen: list[tuple[int, int]] = []
    wh = Warehouse(tmp_path / "w.duckdb")
    results = access_logs.import_access_logs(wh, [plain, packed], site_hosts=SITE,
                                             on_progress=lambda done, total: seen.append((done, total)))
    assert [r.rows_loaded for r in results] == [2000, 2000]
    total = plain.stat().st_size + packed.stat().st_size
    assert {t for _, t in seen} == {total}
    done = [d for d, _ in seen]
    assert done == sorted(done) and done[-1] == total
    assert len([d for d in done if d < plain.stat().st_size]) >= 5  # block by block, not file by file


def test_on_a_real_apache_log_both_readers_store_the_same(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.conftest import shared_sample

    body = shared_sample("elastic-apache-logs", "apache_logs").read_bytes()
    monkeypatch.setattr(chunks, "BLOCK_BYTES", 300_000)  # several blocks, so codes must hold across them
    fast = _import(tmp_path, body, "fast")
    monkeypatch.setattr(access_logs, "splits_by_quotes", lambda fmt: False)
    general = _import(tmp_path, body, "general")
    assert fast == general
    assert fast[2] == ((10_000, 9_999, 1),)


def test_a_block_holding_every_separator_byte_takes_the_general_reader(tmp_path: Path) -> None:
    garbage = bytes([0, 1, 2, 0x1E, 0x1F]) + b" not a log line"
    body = b"\n".join([line().encode(), garbage, line(target="/b").encode()]) + b"\n"
    assert split_by_quotes(body, COMBINED, 1) is None
    hits, quarantine, reads = _import(tmp_path, body, "separators")
    assert reads == ((3, 2, 1),)
    assert [q[0] for q in quarantine] == [2]
    assert [h[5] for h in hits] == ["/p", "/b"]
