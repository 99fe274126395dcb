"""``socialseo validate --crawl-chain``: the crawl chain's interval scored on demo sites with and without recrawls.

Each site is generated, imported and estimated as a user would; the full check runs 120 sites per case (see
docs/shares-and-crawl-chain.md), this one three, which is enough to see the harness and the estimate work.
"""

from __future__ import annotations

import json

import pytest

from socialseo.cli import main


def test_validate_crawl_chain_scores_planted_and_null_sites(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["validate", "--crawl-chain", "--seeds", "3", "--json"])
    out, err = capsys.readouterr()
    assert code == 0, err
    rows = {r["case"]: r for r in json.loads(out)}
    planted, null = rows["recrawls planted"], rows["no recrawl planted"]
    assert planted["sites"] == null["sites"] == 3
    assert planted["estimable"] == null["estimable"] == 3
    assert null["mean_truth_hours"] == 0  # nothing planted: the truth is no change at all
    assert planted["mean_truth_hours"] < 0  # planted fetches came sooner than the pages' usual wait
    # a 95% interval covers the truth on most sites, planted or not
    assert planted["coverage"] >= 2 / 3 and null["coverage"] >= 2 / 3
