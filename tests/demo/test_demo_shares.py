"""The demo's planted shares and recrawls, recovered by ``socialseo shares`` and ``socialseo analyze crawl-chain``."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

import socialseo
from socialseo.cli import main
from socialseo.demo import GeneratedFiles


@pytest.fixture(scope="module")
def demo_db(small_site: GeneratedFiles, small_truth: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("demo-shares") / "w.duckdb"
    with socialseo.open(db) as project:
        project.ingest_logs([small_site.access_log], site=small_truth["site_host"])
        project.ingest_gsc([small_site.search_console])
        project.ingest_posts(list(small_site.posts.values()),
                             link_map={str(k): str(v) for k, v in small_truth["shortlinks"].items()})
    return db


def run_json(args: list[str], capsys: pytest.CaptureFixture[str]) -> Any:
    code = main(args)
    out, err = capsys.readouterr()
    assert code == 0, err
    return json.loads(out)


def test_preview_fetches_per_platform_equal_the_planted_ones(demo_db: Path, small_truth: dict[str, Any],
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    rows = run_json(["shares", "--by", "platform", "--json", "--db", str(demo_db)], capsys)
    found = {r["platform"]: r["preview_fetches"] for r in rows}
    assert found == small_truth["shares"]["preview_fetches"]
    # the planted visits follow the cards: most with the platform's referrer or in-app browser, some with nothing
    assert sum(r["platform_visits"] for r in rows) > sum(r["dark_visits"] for r in rows) > 0


def _planted(truth: dict[str, Any], page: str, spike: str, pre_days: int = 28) -> float:
    """The planted change in the wait for a verified fetch on the spike day, against the page's before period."""
    changes = {k.rstrip("/") or "/": v for k, v in truth["crawl_chain"]["latency_change_hours"].items()}
    by_day = changes.get(page, {})
    day = date.fromisoformat(spike)
    before = [by_day.get((day - timedelta(days=k)).isoformat(), 0.0) for k in range(1, pre_days + 1)]
    return float(by_day.get(spike, 0.0) - sum(before) / pre_days)


def test_crawl_chain_sees_the_planted_recrawls_and_names_the_impostor(demo_db: Path, small_truth: dict[str, Any],
                                                                       capsys: pytest.CaptureFixture[str]) -> None:
    found = run_json(["analyze", "crawl-chain", "--json", "--db", str(demo_db)], capsys)
    assert found["note"] == "" and found["pages"]
    planted = {r["page"]: _planted(small_truth, r["page"], r["spike_date"]) for r in found["pages"]}
    assert any(p < 0 for p in planted.values()) and any(p == 0 for p in planted.values())
    for row in found["pages"]:
        if planted[row["page"]] < 0:  # the planted fetch came sooner than the page's usual wait
            assert row["latency_hours"] < row["usual_wait_hours"]
    assert any(r["status"] == "impostor" for r in found["unverified"])


@pytest.mark.xfail(reason="on the small demo the spiked pages' waits shorten against their controls' even where "
                          "no recrawl was planted, so the estimate lies below the planted change", strict=False)
def test_crawl_chain_interval_covers_the_planted_recrawl(demo_db: Path, small_truth: dict[str, Any],
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    found = run_json(["analyze", "crawl-chain", "--json", "--db", str(demo_db)], capsys)
    latency = next(r for r in found["summary"] if r["measure"] == "first_fetch_hours")
    planted = [_planted(small_truth, r["page"], r["spike_date"]) for r in found["pages"]]
    assert latency["ci_low"] <= sum(planted) / len(planted) <= latency["ci_high"]
