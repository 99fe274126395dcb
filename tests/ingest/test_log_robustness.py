"""Bad input never crashes an import and never loses a line: every non-blank line is loaded or quarantined
with its line number and a reason. Hand-made cases, then property-based ones (hypothesis)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.ingest.test_access_logs import LINES, UA, write_log

from socialseo.ingest.logs.blocks import index_lines, quote_counts
from socialseo.ingest.logs.importer import import_access_log
from socialseo.ingest.logs.line_privacy import mask_addresses
from socialseo.store.warehouse import Warehouse

SITE = ["www.example.com"]


def line(ts: str = "01/Mar/2026:10:00:00 +0000", target: str = "/p", status: str = "200", ref: str = "-",
         agent: str = UA, ip: str = "192.0.2.1") -> str:
    return f'{ip} - - [{ts}] "GET {target} HTTP/1.1" {status} 5 "{ref}" "{agent}"'


def test_semantic_failures_are_quarantined_with_their_real_line_numbers(warehouse: Warehouse, tmp_path: Path) -> None:
    lines = [line(), line(ts="01/Mar/2999:10:00:00 +0000"), line(), line(ts="01/Jan/1970:00:00:00 +0000"),
             line(status="999"), line(status="OK"), line()]
    result = import_access_log(warehouse, write_log(tmp_path, lines), site_hosts=SITE)
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (7, 3, 4)
    rows = warehouse.con.execute("SELECT line_no, reason, raw FROM quarantine ORDER BY line_no").fetchall()
    assert [r[0] for r in rows] == [2, 4, 5, 6]
    assert "out of range" in rows[0][1] and "out of range" in rows[1][1]
    assert "status" in rows[2][1] and "status" in rows[3][1]
    assert [r[2] for r in rows] == [mask_addresses(lines[i]) for i in (1, 3, 4, 5)]  # kept whole, address masked


def test_latin1_referrer_is_read_not_quarantined(warehouse: Warehouse, tmp_path: Path) -> None:
    path = tmp_path / "latin1.log"
    body = (line() + "\n").encode() + line(ref="https://www.google.de/search?q=Gr\xfc\xdfe").encode("latin-1") + b"\n"
    path.write_bytes(body)
    result = import_access_log(warehouse, path, site_hosts=SITE)
    assert (result.rows_loaded, result.rows_quarantined) == (2, 0)
    assert any("Windows-1252" in note for note in result.notes)
    refs = [r[0] for r in warehouse.con.execute("SELECT referrer FROM hits WHERE referrer IS NOT NULL").fetchall()]
    assert refs == ["https://www.google.de/search?q=Grüße"]
    assert warehouse.con.execute("SELECT channel FROM hits WHERE referrer IS NOT NULL").fetchone() == ("organic_search",)


def test_binary_garbage_a_megabyte_line_and_blank_lines(warehouse: Warehouse, tmp_path: Path) -> None:
    path = tmp_path / "garbage.log"
    huge = line(target="/" + "a" * (1 << 20))
    body = b"\n".join([
        line().encode(),
        b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\xff\xfe\x00\x00",
        b"",
        huge.encode(),
        bytes(b for b in range(256) if b != 10),
        line(target="/last").encode(),
    ]) + b"\n"
    path.write_bytes(body)
    result = import_access_log(warehouse, path, log_format="combined", site_hosts=SITE)
    assert result.rows_read == 5  # the blank line is not a record
    assert result.rows_loaded + result.rows_quarantined == 5
    urls = {r[0] for r in warehouse.con.execute("SELECT url FROM hits").fetchall()}
    assert {"/p", "/last"} <= urls
    quarantined = {r[0] for r in warehouse.con.execute("SELECT line_no FROM quarantine").fetchall()}
    assert {2, 5} <= quarantined
    assert quarantined | {1, 6} | ({4} if "/" + "a" * (1 << 20) in urls else set()) == {1, 2, 4, 5, 6}


def test_escaped_quotes_in_a_user_agent_are_read(warehouse: Warehouse, tmp_path: Path) -> None:
    lines = [line(agent='Mozilla/5.0 \\"quoted\\" thing'), line(agent="ends in a backslash \\\\")]
    result = import_access_log(warehouse, write_log(tmp_path, lines), site_hosts=SITE)
    assert (result.rows_loaded, result.rows_quarantined) == (2, 0)
    agents = [r[0] for r in warehouse.con.execute("SELECT user_agent FROM hits ORDER BY seq").fetchall()]
    assert agents[0] == 'Mozilla/5.0 "quoted" thing'
    assert agents[1].startswith("ends in a backslash")


def test_quote_counts_ignore_escaped_quotes() -> None:
    block = index_lines(b'a "b\\"c" d\n"open\n\\\\"x"\n', 1)
    assert quote_counts(block).tolist() == [2, 1, 2]


_printable = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\n\r\x00"), max_size=60)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(
    _printable,
    st.binary(max_size=40).map(lambda b: b.replace(b"\n", b" ").replace(b"\r", b" ").decode("latin-1")),
    st.builds(line, ref=_printable.map(lambda s: s.replace('"', "")), agent=_printable.map(lambda s: s.replace('"', ""))),
    st.sampled_from(LINES),
), min_size=1, max_size=12))
def test_any_lines_are_loaded_or_quarantined_never_lost(lines: list[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "fuzz.log"
        path.write_bytes(("\n".join(lines) + "\n").encode("utf-8", "surrogatepass"))
        records = sum(1 for raw in path.read_bytes().split(b"\n")[:-1] if raw.rstrip(b"\r"))
        with Warehouse(Path(tmp) / "w.duckdb") as warehouse:
            result = import_access_log(warehouse, path, log_format="combined", site_hosts=SITE)
            assert result.rows_read == records
            assert result.rows_loaded + result.rows_quarantined == records
            assert warehouse.count("hits") == result.rows_loaded
            numbers = [r[0] for r in warehouse.con.execute("SELECT line_no FROM quarantine").fetchall()]
            assert all(n is not None and 1 <= n <= len(lines) for n in numbers)


@settings(max_examples=15, deadline=None)
@given(
    target=st.from_regex(r"/[a-z0-9/._~%-]{0,30}(\?[a-z0-9=&_]{0,20})?", fullmatch=True),
    status=st.integers(100, 599),
    ref=st.sampled_from(["-", "https://t.co/x", "https://www.google.com/", "android-app://com.linkedin.android"]),
    agent=st.text(st.characters(min_codepoint=32, max_codepoint=0x2FF, blacklist_characters='"\\'), max_size=50),
)
def test_well_formed_lines_keep_their_fields(target: str, status: int, ref: str, agent: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "one.log"
        path.write_text(line(target=target, status=str(status), ref=ref, agent=agent) + "\n", encoding="utf-8")
        with Warehouse(Path(tmp) / "w.duckdb") as warehouse:
            result = import_access_log(warehouse, path, log_format="combined", site_hosts=SITE)
            assert result.rows_loaded == 1
            row = warehouse.con.execute("SELECT url, status, referrer, user_agent FROM hits").fetchone()
            assert row is not None
            assert row[:3] == (target, status, None if ref == "-" else ref)
            # An agent of nothing but spaces says no more than "-": both are stored as absent.
            assert row[3] == (agent if agent.strip() not in ("", "-") else None)
