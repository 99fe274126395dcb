"""One answer from the panel model and the event study: agreement, disagreement said plainly, and refusals."""

from __future__ import annotations

import pandas as pd

from socialseo.analysis.impact import headline
from socialseo.analysis.impact.results import effect_row, inconclusive


def _row(analysis: str, rel: float, lo: float, hi: float, treated: int = 40) -> pd.Series:
    return pd.Series(effect_row(analysis=analysis, scope="all", outcome="search_clicks", relative_effect=rel,
                                ci_low=lo, ci_high=hi, p_value=0.01, n_treated=treated, n_control=100))


def test_each_estimate_has_a_verdict_separate_from_being_estimable() -> None:
    assert _row("panel", 0.13, 0.06, 0.21)["verdict"] == "effect"
    wide = _row("panel", 0.17, -0.11, 0.45)
    assert wide["estimable"] and wide["verdict"] == "no_effect_detected" and "includes zero" in wide["verdict_reason"]
    refused = inconclusive("panel", "all", "search_clicks", "2 pages had a social spike", "m", "a").iloc[0]
    assert not refused["estimable"] and refused["verdict"] == "cannot_conclude"
    assert refused["verdict_reason"] == "2 pages had a social spike"


def test_agreeing_methods_give_one_sentence_with_both_numbers() -> None:
    answer = headline([_row("panel", 0.136, 0.059, 0.213), _row("events", 0.19, 0.10, 0.29)])
    assert answer.verdict == "effect" and answer.methods_agree and not answer.disagreement
    assert answer.sentence.startswith("Yes: social spikes raised search clicks by +13.6%")
    assert "+19.0%" in answer.sentence and "event study agrees" in answer.sentence


def test_disagreeing_methods_give_the_precise_ones_answer_and_say_why() -> None:
    answer = headline([_row("panel", 0.17, -0.11, 0.45, treated=87), _row("events", 0.21, 0.12, 0.30, treated=84)])
    assert answer.verdict == "effect" and not answer.methods_agree
    assert answer.sentence.startswith("Yes:") and "event study" in answer.sentence
    assert "The methods disagree: the panel model detects none" in answer.disagreement
    assert "intervals overlap" in answer.disagreement
    assert "one by one" in answer.disagreement and "averages all 87 spiked pages" in answer.disagreement
    assert len(answer.lines()) == 2


def test_opposite_effects_and_no_estimate_cannot_conclude() -> None:
    opposite = headline([_row("panel", 0.2, 0.1, 0.3), _row("events", -0.2, -0.3, -0.1)])
    assert opposite.verdict == "cannot_conclude" and "opposite directions" in opposite.sentence
    nothing = headline([inconclusive("panel", "all", "search_clicks", "the panel is empty", "m", "a").iloc[0],
                        inconclusive("events", "all", "search_clicks", "the panel is empty", "m", "a").iloc[0]])
    assert nothing.verdict == "cannot_conclude" and "the panel is empty" in nothing.sentence


def test_a_method_that_cannot_conclude_is_set_aside_with_its_reason() -> None:
    events = inconclusive("events", "all", "search_clicks", "1 social spike had 28 days before it", "m", "a").iloc[0]
    answer = headline([_row("panel", -0.02, -0.08, 0.04), events])
    assert answer.verdict == "no_effect_detected" and answer.sentence.startswith("No effect of social spikes")
    assert "The event study cannot conclude: 1 social spike had 28 days before it." in answer.disagreement


def test_an_event_study_whose_pages_drifted_before_the_spike_cannot_conclude() -> None:
    import numpy as np

    from socialseo.analysis.impact import event_study

    rng = np.random.default_rng(5)
    dates = pd.date_range("2026-01-01", periods=120, freq="D")
    rows = []
    for i in range(40):
        treated = i < 10
        for d, day in enumerate(dates):
            mean = 40.0 * (1 + 0.04 * max(0, d - 32)) if treated and d < 60 else (40.0 * 2.12 if treated else 40.0)
            rows.append({"page": f"/p{i}", "date": day, "social_posts": 3 if treated and d == 60 else 0,
                         "social_engagement": 0, "social_link_clicks": 0, "social_impressions": 0,
                         "social_sessions": 0, "social_bounce_rate": None, "backlinks_new": 0,
                         "search_clicks": rng.poisson(mean), "search_impressions": 500, "search_ctr": None,
                         "search_position": None})
    summary, _ = event_study(pd.DataFrame(rows))
    overall, placebo = summary.iloc[0], summary.iloc[1]
    assert placebo["verdict"] == "effect", "the pages rose before their spike"
    assert overall["estimable"] and overall["verdict"] == "cannot_conclude"
    assert "already moved apart from their controls before the spike" in overall["verdict_reason"]
