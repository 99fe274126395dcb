"""``socialseo shares`` and ``socialseo analyze crawl-chain``, run in-process on imported access logs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.cli.crawl_logs import IMPOSTOR, RECRAWL_HOURS, SPIKED, write_crawl_log

from socialseo.cli import main

SHARES_LOG = Path(__file__).parents[1] / "data" / "shares" / "access.log"


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def ingest(log: Path, db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["ingest", "logs", str(log), "--site", "www.example.com", "--db", str(db)], capsys)
    assert code == 0, err


@pytest.fixture
def shares_db(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    db = tmp_path / "w.duckdb"
    ingest(SHARES_LOG, db, capsys)
    return db


def test_every_preview_fetcher_is_counted_for_its_platform(shares_db: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["shares", "--by", "platform", "--json", "--db", str(shares_db)], capsys)
    assert code == 0
    fetches = {row["platform"]: row["preview_fetches"] for row in json.loads(out)}
    assert fetches == {"facebook": 2, "x": 1, "whatsapp": 1, "slack": 1, "discord": 1, "telegram": 1,
                       "linkedin": 1, "imessage": 1, "bluesky": 1, "unknown app": 1}


def test_visits_after_a_share_are_split_by_evidence_within_the_window(shares_db: Path,
                                                                      capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["shares", "--json", "--db", str(shares_db)], capsys)
    assert code == 0
    rows = {(r["page"], r["platform"]): r for r in json.loads(out)}
    facebook = rows[("/blog/a", "facebook")]
    assert facebook["date"] == "2026-03-10" and facebook["preview_fetches"] == 2
    # referred, in-app and no-evidence visits; the Google visit is search traffic, not the share's
    assert (facebook["visits"], facebook["platform_visits"], facebook["in_app_visits"],
            facebook["dark_visits"]) == (3, 1, 1, 1)
    assert rows[("/blog/a", "x")]["visits"] == 0  # the direct visit came 50 minutes later
    assert rows[("/blog/b", "whatsapp")]["dark_visits"] == 2
    assert rows[("/blog/c", "linkedin")]["platform_visits"] == 1


def test_a_longer_window_credits_the_late_visit(shares_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["shares", "--window", "60", "--json", "--db", str(shares_db)], capsys)
    rows = {(r["page"], r["platform"]): r for r in json.loads(out)}
    assert code == 0 and rows[("/blog/a", "x")]["dark_visits"] == 1


def test_dark_social_estimate_per_page(shares_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["shares", "--by", "page", "--json", "--db", str(shares_db)], capsys)
    pages = {r["page"]: r for r in json.loads(out)}
    assert code == 0
    assert pages["/blog/b"]["dark_share"] == 1.0 and pages["/blog/b"]["platforms"] == "whatsapp"
    assert pages["/blog/a"]["dark_visits"] == 1 and pages["/blog/a"]["preview_fetches"] == 3


def test_the_table_names_the_fetchers_counted_as_unknown_app(shares_db: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["shares", "--db", str(shares_db)], capsys)
    assert code == 0
    assert "11 preview fetches" in out and "3 of them with" in out
    assert "unknown app: preview fetchers that name no platform (Embedly)" in out


def test_no_preview_fetches_says_so_and_exits_zero(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "w.duckdb"
    ingest(write_crawl_log(tmp_path), db, capsys)
    code, out, err = run(["shares", "--json", "--db", str(db)], capsys)
    assert code == 0 and json.loads(out) == []
    assert "none of the" in err and "link-preview fetch" in err


def test_bad_by_is_one_line_and_exit_2(shares_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["shares", "--by", "week", "--db", str(shares_db)], capsys)
    assert code == 2 and err.strip().startswith("error: --by must be one of day, page, platform")


def test_crawl_chain_finds_the_faster_recrawl_after_spikes(tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "w.duckdb"
    ingest(write_crawl_log(tmp_path), db, capsys)
    code, out, _ = run(["analyze", "crawl-chain", "--json", "--db", str(db)], capsys)
    assert code == 0
    found = json.loads(out)
    latency = next(r for r in found["summary"] if r["measure"] == "first_fetch_hours")
    assert latency["spiked"] == SPIKED and latency["verdict"] == "effect" and latency["ci_high"] < 0
    assert latency["verdict_reason"].startswith("the 95% interval")  # validated on planted truth: no caveat
    assert [r["latency_hours"] for r in found["pages"]] == [RECRAWL_HOURS] * SPIKED
    assert latency["ci_low"] <= latency["effect"] <= latency["ci_high"]
    assert {r["spike_date"] for r in found["pages"]} == {f"2026-02-{10 + p}" for p in range(SPIKED)}
    assert found["unverified"] == [{"bot_name": "Googlebot", "status": "impostor", "fetches": 1}]


def test_crawl_chain_without_a_planted_recrawl_detects_no_faster_one(tmp_path: Path,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "w.duckdb"
    ingest(write_crawl_log(tmp_path, recrawl=False), db, capsys)
    code, out, _ = run(["analyze", "crawl-chain", "--json", "--db", str(db)], capsys)
    waits = [r["latency_hours"] for r in json.loads(out)["pages"]]
    assert code == 0 and len(waits) == SPIKED and sum(waits) / len(waits) > RECRAWL_HOURS * 2


def test_crawl_chain_without_verified_fetches_says_what_would_fill_it(tmp_path: Path,
                                                                      capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "w.duckdb"
    ingest(write_crawl_log(tmp_path, verified=False), db, capsys)
    code, out, _ = run(["analyze", "crawl-chain", "--db", str(db)], capsys)
    assert code == 0
    text = " ".join(out.split())
    assert "no verified search-engine fetches" in text and "full client addresses" in text
    assert "Googlebot (impostor)" in text and IMPOSTOR not in text


def test_crawl_chain_table_states_its_method(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "w.duckdb"
    ingest(write_crawl_log(tmp_path), db, capsys)
    code, out, _ = run(["analyze", "crawl-chain", "--db", str(db)], capsys)
    text = " ".join(out.split())
    assert code == 0 and "6 social spikes" in text and "method: matched difference" in text
    assert "not used, unverified: 1 Googlebot (impostor)" in text


def test_report_shows_shares_and_the_crawl_chain_beside_impact(tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "w.duckdb"
    ingest(SHARES_LOG, db, capsys)
    ingest(write_crawl_log(tmp_path), db, capsys)
    code, _, err = run(["report", "--db", str(db), "--out", str(tmp_path / "report")], capsys)
    html = (tmp_path / "report" / "report.html").read_text(encoding="utf-8")
    assert code == 0, err
    assert "11 link-preview fetches show 3 pages shared on 10 platforms" in html
    assert "After 6 social spikes, verified search engines fetched the page 4.0 hours into the spike day" in html
    assert html.index("Does social activity move search?") < html.index("bring search engines back sooner")
