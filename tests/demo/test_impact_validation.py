"""A reduced validation run: intervals cover the planted truth and placebo sites are rarely called significant.

`socialseo validate` runs the full table (40 sites per scenario); here 8 small sites per scenario keep the suite
fast while still catching a broken interval (a method whose intervals are half as wide as they should be covers
the truth about 65% of the time).
"""

from __future__ import annotations

from socialseo.demo.validation import ValidationConfig, coverage_table, run_validation


def test_reduced_validation_covers_planted_effects_and_keeps_placebos_quiet() -> None:
    runs = run_validation(ValidationConfig(seeds=8, n_pages=150, days=160, relative_effect=0.3))
    table = coverage_table(runs)
    assert set(table["analysis"]) == {"panel", "events", "impact"}
    assert (table["estimable"] == table["runs"]).all()
    planted = runs[runs["scenario"].str.startswith("planted")]
    placebo = runs[runs["scenario"].str.startswith("placebo")]
    assert planted["covered"].mean() >= 0.85
    assert placebo["covered"].mean() >= 0.85
    assert placebo["significant"].mean() <= 0.15
    assert planted["significant"].mean() >= 0.5, "a +30% effect should usually be found"
    assert (placebo["truth"] == 0).all() and (planted["truth"] > 0).all()
