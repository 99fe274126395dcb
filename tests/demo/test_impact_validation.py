"""``socialseo validate`` scores single pages, page groups and placebo pages through the command a user runs.

The full table (40 sites) is `socialseo validate`'s and the benchmark's; here 3 small sites keep the suite fast while
still catching a broken interval (a method whose intervals are half as wide as they should be covers the truth
about 65% of the time) or a method that flags placebo pages as a habit.
"""

from __future__ import annotations

import json

import pytest

from socialseo.cli import main
from socialseo.demo.validation import ValidationConfig, coverage_table, run_validation


@pytest.fixture(scope="module")
def runs():  # type: ignore[no-untyped-def]
    return run_validation(ValidationConfig(seeds=3, n_pages=150, days=160, relative_effect=0.3, pages_per_site=4))


def test_validation_scores_single_pages_groups_and_placebos_for_every_method(runs) -> None:  # type: ignore[no-untyped-def]
    table = coverage_table(runs).set_index("analysis")
    assert list(table.index) == ["impact: single page", "panel", "events", "impact: page group"]
    single = runs[runs["analysis"] == "impact: single page"]
    assert set(single["role"]) == {"treated", "placebo"}
    assert (single.loc[single["role"] == "placebo", "truth"] == 0).all()
    assert (single.loc[single["role"] == "treated", "truth"] > 0.15).all(), "full after-period, planted +30%"
    assert (table["placebo"] > 0).all() and (table["treated"] > 0).all()


def test_intervals_cover_the_truth_and_placebos_stay_quiet(runs) -> None:  # type: ignore[no-untyped-def]
    estimable = runs[runs["estimable"]]
    assert len(estimable) >= 0.9 * len(runs)
    assert estimable["covered"].mean() >= 0.85
    placebo = runs[runs["role"] == "placebo"]
    assert placebo["significant"].mean() <= 0.15
    treated = runs[(runs["role"] == "treated") & (runs["analysis"] == "impact: single page")]
    assert treated["significant"].mean() >= 0.5, "a +30% lift on a page with a few clicks a day is usually found"


def test_validate_command_prints_coverage_false_positives_width_and_error(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["validate", "--seeds", "1", "--pages", "120", "--pages-per-site", "2", "--json"])
    assert code == 0
    rows = json.loads(capsys.readouterr().out)
    by_name = {row["analysis"]: row for row in rows}
    assert set(by_name) == {"impact: single page", "panel", "events", "impact: page group"}
    for row in rows:
        assert {"coverage", "false_positives", "mean_width", "mean_abs_error"} <= set(row)
        assert 0 <= row["coverage"] <= 1 and row["mean_width"] > 0


def test_validate_refuses_a_nonsense_setting_with_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "--pages-per-site", "0"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error:") and "--pages-per-site" in err and len(err.strip().splitlines()) == 1
