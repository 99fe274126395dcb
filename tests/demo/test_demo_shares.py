"""The demo's planted shares and recrawls, recovered by ``socialseo shares`` and ``socialseo analyze crawl-chain``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import socialseo
from socialseo.cli import main
from socialseo.demo import GeneratedFiles
from socialseo.demo.chain_validation import planted_change


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


def test_crawl_chain_sees_the_planted_recrawls_and_names_the_impostor(demo_db: Path, small_truth: dict[str, Any],
                                                                       capsys: pytest.CaptureFixture[str]) -> None:
    found = run_json(["analyze", "crawl-chain", "--json", "--db", str(demo_db)], capsys)
    assert found["note"] == "" and found["pages"]
    planted = {r["page"]: planted_change(small_truth, r["page"], r["spike_date"]) for r in found["pages"]}
    assert any(p < 0 for p in planted.values()) and any(p == 0 for p in planted.values())
    for row in found["pages"]:
        if planted[row["page"]] < 0:  # the planted fetch came sooner than the page's usual wait
            assert row["latency_hours"] < row["usual_wait_hours"]
    assert any(r["status"] == "impostor" for r in found["unverified"])


def test_truth_gives_the_expected_change_and_the_realised_one_scatters_around_it(small_truth: dict[str, Any]) -> None:
    chain = small_truth["crawl_chain"]
    expected, realised = chain["latency_change_hours"], chain["realised_latency_change_hours"]
    assert expected and set(expected) == set(realised)  # the same recrawled pages
    days = [(page, day) for page in expected for day in set(expected[page]) | set(realised[page])]
    e = np.array([expected[p].get(d, 0.0) for p, d in days])
    r = np.array([realised[p].get(d, 0.0) for p, d in days])
    assert (e <= 0).all() and e.mean() < -1  # a planted fetch can only bring the first fetch sooner
    # over many days the luck of the crawls averages out: the realised change centres on the expected one ...
    assert abs(r.mean() - e.mean()) < 3 * r.std() / np.sqrt(len(r))
    # ... but each day's realised change carries that day's luck, which the expected change leaves out
    assert (r - e).std() > e.std()
